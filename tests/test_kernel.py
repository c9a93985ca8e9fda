"""The warm kernel: which modules it imports, and that it leaves no trace in the notebook."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from analysis.paths import notebooks_dir
from analysis.pipeline import kernel


def _write(path: Path, sources: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    for i, src in enumerate(sources):
        cell = nbformat.v4.new_code_cell(src)
        cell["id"] = str(i)
        nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_markdown_cell("import not_code"))
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def test_notebook_imports_in_order_without_duplicates(tmp_path):
    path = _write(
        tmp_path / "a.ipynb",
        [
            "import json, os.path as osp\nfrom analysis.render import notebook as rn",
            "%matplotlib inline\nimport not_seen",  # a magic: not Python, skipped
            "def f():\n    import inner_only\nfrom . import relative\nimport json\n"
            "from analysis.paygap import plots; from analysis.methods import stats",
        ],
    )
    assert kernel.notebook_imports(path) == [
        "json",
        "os.path",
        "analysis.render",
        "analysis.render.notebook",
        "analysis.paygap",
        "analysis.paygap.plots",
        "analysis.methods",
        "analysis.methods.stats",
    ]


def test_report_notebooks_import_their_assemblers():
    for name, module in (
        ("lonnsgap", "analysis.paygap.report"),
        ("sykefravaer", "analysis.sickleave.report"),
        ("jobbsjansen", "analysis.jobbsjansen.report"),
    ):
        assert module in kernel.notebook_imports(notebooks_dir() / f"{name}.ipynb")


def test_warmup_code_imports_and_leaves_no_name():
    ns: dict = {}
    exec(kernel.warmup_code(["json", "analysis.methods.stats", "no_such_module_xyz"]), ns)
    assert set(ns) == {"__builtins__"}
    import sys

    assert "analysis.methods.stats" in sys.modules


@pytest.mark.slow
def test_warm_kernel_runs_notebook_like_a_fresh_one(tmp_path):
    """Executed with a warm kernel, a notebook has the same outputs and execution counts as
    with a kernel papermill starts itself; the warm-up bound no name and the kernel is gone
    afterwards."""
    import papermill as pm

    src = _write(
        tmp_path / "probe.ipynb",
        [
            "import json\nfrom analysis.methods import stats",
            "print(sorted(k for k in globals() if not k.startswith('_') "
            "and k not in ('In', 'Out', 'exit', 'quit', 'get_ipython', 'open')))",
            "import sys\nprint('analysis.methods.stats' in sys.modules, len(In))",
        ],
    )
    fresh = pm.execute_notebook(
        str(src),
        str(tmp_path / "fresh.ipynb"),
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    warm = kernel.WarmKernel("python3", tmp_path, modules=kernel.notebook_imports(src))
    try:
        warm.start()
        warm.wait()
        km = warm.km
        got = pm.execute_notebook(
            str(src), str(tmp_path / "warm.ipynb"), kernel_name="python3", km=km, progress_bar=False
        )
    finally:
        warm.close()
    assert not km.has_kernel and warm.km is None

    def cells(nb):
        return [
            (c.execution_count, json.dumps(c.outputs, sort_keys=True))
            for c in nb.cells
            if c.cell_type == "code"
        ]

    assert cells(got) == cells(fresh)
    assert [c.execution_count for c in got.cells if c.cell_type == "code"] == [1, 2, 3]
    assert got.cells[1].outputs[0]["text"] == "['json', 'stats']\n"


@pytest.mark.slow
def test_warm_kernel_close_is_safe_when_never_started(tmp_path):
    warm = kernel.WarmKernel("python3", tmp_path, modules=["json"])
    warm.close()  # nothing started: nothing to do, no error
    with kernel.WarmKernel("python3", tmp_path) as started:
        started.wait()  # no modules: returns at once
        assert started.km.is_alive()
    assert started.km is None


def _start_one(index: int) -> dict:
    """In a fresh process: start a warm kernel, run one cell, close it; report how it ran.

    A kernel that dies during start-up on an overloaded machine (not a port collision: no
    port is used) is started once more, as ``fou run`` does; a collision would raise
    ``ZMQError: Address already in use`` and fail the test."""
    try:
        return _start_one_attempt(index)
    except RuntimeError as exc:
        if "died" not in str(exc):
            raise
        return _start_one_attempt(index)


def _start_one_attempt(index: int) -> dict:
    from analysis.pipeline.kernel import WarmKernel

    warm = WarmKernel("python3", Path.cwd(), modules=["json"])
    try:
        warm.start()
        warm.wait()
        info = warm.km.get_connection_info()
        runtime = warm.runtime_dir
        kc = warm.km.blocking_client()
        kc.start_channels()
        try:
            # the answer comes in the reply on the shell socket (no iopub subscription race)
            reply = kc.execute_interactive(
                f"value = {index} * 2", user_expressions={"v": "value"}, timeout=120
            )
        finally:
            kc.stop_channels()
            kc.context.destroy(linger=0)
        sockets = sorted(p.name for p in runtime.iterdir() if p.is_socket())
    finally:
        warm.close()
    return {
        "transport": info["transport"],
        "ip": info["ip"],
        "status": reply["content"]["status"],
        "value": reply["content"]["user_expressions"]["v"]["data"]["text/plain"],
        "sockets": sockets,
        "runtime_left": runtime.exists(),
    }


@pytest.mark.slow
@pytest.mark.skipif(not kernel.ipc_available(), reason="Unix sockets not available")
def test_many_kernels_at_once_use_private_sockets_and_leave_nothing(tmp_path, monkeypatch):
    """16 kernels, 4 starting at the same moment (fresh processes, as ``fou run --jobs``):
    every one starts over ipc in a folder of its own and answers; no TCP port is used, so no
    two can collide; no socket, connection file or folder is left behind."""
    import multiprocessing
    import shutil
    import tempfile
    from concurrent.futures import ProcessPoolExecutor

    # a short private folder, so that the sockets sit in the kernels' own folders (a deeper
    # TMPDIR is reached through short links: test_deep_tmpdir_reaches_sockets_through_a_link)
    private_tmp = Path(
        tempfile.mkdtemp(prefix="fk-", dir="/tmp" if Path("/tmp").is_dir() else None)
    )
    monkeypatch.setenv("TMPDIR", str(private_tmp))  # inherited by the worker processes
    try:
        with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(_start_one, range(16)))
        left = list(private_tmp.iterdir())
    finally:
        shutil.rmtree(private_tmp, ignore_errors=True)
    assert [r["status"] for r in results] == ["ok"] * 16
    assert [r["value"] for r in results] == [str(2 * i) for i in range(16)]
    assert {r["transport"] for r in results} == {"ipc"}
    folders = [Path(r["ip"]).parent for r in results]
    assert len(set(folders)) == 16 and all(f.parent == private_tmp for f in folders)
    assert all(r["sockets"] == ["k-1", "k-2", "k-3", "k-4", "k-5"] for r in results)
    assert not any(r["runtime_left"] for r in results)
    assert left == []


def test_stale_runtime_folders_of_dead_processes_are_removed(tmp_path):
    import os
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    stale = tmp_path / f"fou-kernel-{dead_pid}-abc"
    live = tmp_path / f"fou-kernel-{os.getpid()}-def"
    other = tmp_path / "fou-kernel-notapid-x"
    for d in (stale, live, other):
        d.mkdir()
        (d / "k-1").write_text("")
    assert kernel.remove_stale_runtime_dirs(tmp_path, link_dirs=()) == [stale]
    assert not stale.exists() and live.exists() and other.exists()


def test_stale_links_of_dead_processes_are_removed_but_not_their_targets(tmp_path):
    """A short link left by a killed process is removed (the link, not what it points to);
    a live process's link, a folder in the link place and someone's other file stay."""
    import os
    import subprocess
    import sys

    dead_pid = int(
        subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    tmp, links = tmp_path / "tmp", tmp_path / "links"
    tmp.mkdir()
    links.mkdir()
    target = tmp / f"fou-kernel-{os.getpid()}-live"  # a live folder: kept
    target.mkdir()
    stale_link = links / f"fou-kernel-{dead_pid}-1234abcd"
    stale_link.symlink_to(target, target_is_directory=True)
    dangling = links / f"fou-kernel-{dead_pid}-dangling"
    dangling.symlink_to(tmp / "gone", target_is_directory=True)
    live_link = links / f"fou-kernel-{os.getpid()}-5678abcd"
    live_link.symlink_to(target, target_is_directory=True)
    dead_folder_in_links = links / f"fou-kernel-{dead_pid}-folder"  # not ours to remove
    dead_folder_in_links.mkdir()
    removed = kernel.remove_stale_runtime_dirs(tmp, link_dirs=[links])
    assert sorted(removed) == sorted([stale_link, dangling])
    assert not stale_link.is_symlink() and not dangling.is_symlink()
    assert target.is_dir() and live_link.is_symlink() and dead_folder_in_links.is_dir()


def _run_one_cell(warm: kernel.WarmKernel) -> str:
    kc = warm.km.blocking_client()
    kc.start_channels()
    try:
        reply = kc.execute_interactive("v = 6 * 7", user_expressions={"v": "v"}, timeout=120)
    finally:
        kc.stop_channels()
        kc.context.destroy(linger=0)
    return reply["content"]["user_expressions"]["v"]["data"]["text/plain"]


@pytest.mark.slow
@pytest.mark.skipif(not kernel.ipc_available(), reason="Unix sockets not available")
def test_deep_tmpdir_reaches_sockets_through_a_link(tmp_path, monkeypatch):
    """A TMPDIR too deep for a Unix socket path (pytest's own folders under pytest-xdist are)
    must not make the kernel fall back to TCP, where two kernels started at once can take the
    same port (``Address already in use`` in the heartbeat thread, seen in CI). The sockets
    are created in the private folder through a short link in /tmp; link and folder are gone
    after close."""
    import tempfile

    links = Path(tempfile.mkdtemp(prefix="fl-", dir="/tmp"))  # the link place, short
    monkeypatch.setattr(kernel, "SHORT_LINK_DIRS", (str(links),))
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    warm = kernel.WarmKernel("python3", tmp_path, modules=["json"])
    try:
        warm.start()
        warm.wait()
        runtime, link = warm.runtime_dir, warm.short_link
        assert runtime.parent == deep and not kernel.socket_path_fits(runtime)
        info = warm.km.get_connection_info()
        assert (warm.transport, info["transport"]) == ("ipc", "ipc")
        assert link is not None and link.parent == links and link.resolve() == runtime
        assert info["ip"] == str(link / "k") and len(info["ip"]) + 6 <= 100
        assert _run_one_cell(warm) == "42"
        sockets = sorted(p.name for p in runtime.iterdir() if p.is_socket())
        assert sockets == ["k-1", "k-2", "k-3", "k-4", "k-5"]
        assert (runtime.stat().st_mode & 0o777) == 0o700
    finally:
        warm.close()
    left = list(links.iterdir())
    links.rmdir()
    assert left == [] and not runtime.exists() and warm.short_link is None


@pytest.mark.slow
def test_no_short_place_for_sockets_falls_back_to_tcp(tmp_path, monkeypatch):
    """No place for a short link (here: a link folder that does not exist) and a deep
    TMPDIR: the kernel runs over TCP and says so (``transport``), so that ``fou run``
    retries a start that lost the port race."""
    import tempfile

    monkeypatch.setattr(kernel, "SHORT_LINK_DIRS", (str(tmp_path / "missing"),))
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    warm = kernel.WarmKernel("python3", tmp_path, transport="ipc")
    try:
        warm.start()
        assert warm.transport == "tcp" and warm.short_link is None
        assert warm.km.get_connection_info()["transport"] == "tcp"
        assert _run_one_cell(warm) == "42"
    finally:
        warm.close()
    assert list(deep.iterdir()) == []
