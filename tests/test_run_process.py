"""``fou run`` as a process: two runs into one folder, Ctrl-C with --jobs 2, stale files.

The runs use a small project of their own (``FOU_PROJECT_ROOT``): one notebook that sleeps
for as many seconds as ``FOU_TEST_SLEEP_<year>`` says, so a test can interrupt a run while a
kernel is busy. Nothing here asserts a duration: the tests wait for events (a message, a
file, a kernel) with generous bounds that only keep a broken build from hanging.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline.folder_lock import OutputFolderLock

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parents[1] / "src"

CELLS = [
    ("year = 2025\nmin_cell = 5\nseed = 1\nhr_data = None", ["parameters"]),
    (
        "import os, time\nfrom analysis.render.keyfigures import record_key_figures\n"
        "time.sleep(float(os.environ.get(f'FOU_TEST_SLEEP_{year}', '0')))\n"
        "record_key_figures({'year': year, 'data_source': 'synthetic', 'value': year / 100})",
        [],
    ),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "data" / "raw" / "published").mkdir(parents=True)
    (root / "notebooks").mkdir()
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    nb = nbformat.v4.new_notebook()
    for i, (src, tags) in enumerate(CELLS):
        cell = nbformat.v4.new_code_cell(src)
        cell["id"] = str(i)
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, root / "notebooks" / "mini.ipynb")
    (root / "notebooks" / "reports.yaml").write_text(
        "reports:\n  mini:\n    title: Testrapport\n    duty: En plikt\n    source: x.txt\n"
        "    headline: {key: value, label: Verdi, format: pct1}\n    data: hr\n",
        encoding="utf-8",
    )
    return root


def _env(project: Path, tmpdir: Path, **extra: str) -> dict[str, str]:
    tmpdir.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOU_")}
    path = os.environ.get("PYTHONPATH")
    env.update(
        FOU_PROJECT_ROOT=str(project),
        PYTHONPATH=f"{SRC}{os.pathsep}{path}" if path else str(SRC),
        TMPDIR=str(tmpdir),
        **extra,
    )
    return env


def _fou(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "w", encoding="utf-8") as err:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "-m", "analysis", "run", *args],
            env=env,
            cwd=log.parent,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def _wait_for(condition, what: str, limit: float = 600.0) -> None:
    """Poll until ``condition()`` holds; the bound only keeps a broken build from hanging."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def _leftovers(tmpdir: Path) -> list[str]:
    """Kernel folders, sockets and connection files left in the temporary folder."""
    return sorted(
        p.relative_to(tmpdir).as_posix()
        for p in tmpdir.rglob("*")
        if p.name.startswith("fou-") or p.is_socket() or p.name.startswith("kernel")
    )


def test_two_runs_into_the_same_folder_wait_for_each_other(project, tmp_path):
    """A run holding the folder makes the next two wait (they say so); when it lets go, both
    build their year, the cache keeps both entries and no staging folder is left."""
    out, tmpdir = tmp_path / "out", tmp_path / "t"
    out.mkdir()
    env = _env(project, tmpdir)
    holder = OutputFolderLock(out)
    holder.acquire()
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    try:
        runs = [
            _fou(["--year", str(year), "--jobs", "1", "--quiet", "--out", str(out)], env, log)
            for year, log in zip((2024, 2025), logs, strict=True)
        ]
        for log in logs:
            _wait_for(lambda log=log: "venter" in log.read_text(encoding="utf-8"), log.name)
    finally:
        holder.release()
    codes = [r.wait(timeout=900) for r in runs]
    texts = [log.read_text(encoding="utf-8") for log in logs]
    assert codes == [0, 0], texts
    for text in texts:
        assert text.strip().splitlines() == [
            f"En annen fou run (prosess {os.getpid()}) skriver til {out}/; "
            "venter til den er ferdig …"
        ]
    cache = json.loads((out / ".fou-cache.json").read_text(encoding="utf-8"))
    assert sorted(cache) == ["2024/mini", "2025/mini"]
    for year in (2024, 2025):
        assert (out / str(year) / "mini.html").is_file()
        assert (out / str(year) / "code" / "mini.html").is_file()
    assert not (out / ".staging").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2024/mini.html"' in index and 'href="2025/mini.html"' in index
    assert _leftovers(tmpdir) == []


def _kernel_processes(tmpdir: Path) -> list:
    import psutil

    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if "ipykernel" in cmd and str(tmpdir) in cmd:
            found.append(proc)
    return found


def _gone(proc) -> bool:
    import psutil

    try:
        return not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _describe(procs) -> list[str]:
    out = []
    for p in procs:
        try:
            out.append(f"{p.pid} {p.status()} ppid={p.ppid()} {' '.join(p.cmdline())[:120]}")
        except Exception as exc:
            out.append(f"{p.pid} {exc!r}")
    return out


@pytest.mark.parametrize(
    ("sig", "code", "name", "jobs"),
    [
        (signal.SIGINT, 130, "Ctrl-C", "2"),
        (signal.SIGTERM, 143, "SIGTERM", "2"),
        (signal.SIGINT, 130, "Ctrl-C", "1"),  # the kernel runs under the main process
    ],
)
def test_interrupt_stops_everything(project, tmp_path, sig, code, name, jobs):
    """``--jobs 2``: 2024 builds at once, 2025 and 2026 sleep in their kernels. After 2024
    is installed and a kernel is running, SIGINT (SIGTERM): exit 130 (143) with one line,
    2024 stays, nothing else is installed (no report, no index, no cache entry, no .failed
    copy), no staging folder, no kernel or worker process and no socket or connection file
    is left."""
    psutil = pytest.importorskip("psutil")
    out, tmpdir = tmp_path / "out", tmp_path / "t"
    env = _env(project, tmpdir, FOU_TEST_SLEEP_2025="900", FOU_TEST_SLEEP_2026="900")
    log = tmp_path / "run.log"
    args = ["--year", "2024", "--year", "2025", "--year", "2026", "--jobs", jobs, "--quiet"]
    run = _fou([*args, "--out", str(out)], env, log)
    try:
        _wait_for(lambda: (out / "2024" / "mini.html").is_file(), "the 2024 report")
        _wait_for(lambda: _kernel_processes(tmpdir), "a running kernel")
        _wait_for(lambda: list(tmpdir.glob("fou-kernel-*/kernel.json")), "a connection file")
        kernels = _kernel_processes(tmpdir)
        workers = [
            p for p in psutil.Process(run.pid).children() if "spawn_main" in " ".join(p.cmdline())
        ]
        assert kernels and (workers or jobs == "1")
        run.send_signal(sig)
        assert run.wait(timeout=300) == code
    finally:
        if run.poll() is None:
            run.kill()
    err = log.read_text(encoding="utf-8")
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        f"fou run: avbrutt ({name}); alle kjerner er stoppet, ingen rapport er installert "
        "etter avbruddet og midlertidige filer er fjernet."
    ]
    assert sorted(p.name for p in out.iterdir()) == [".fou-cache.json", ".fou.lock", "2024"]
    cache = json.loads((out / ".fou-cache.json").read_text(encoding="utf-8"))
    assert sorted(cache) == ["2024/mini"]
    assert _describe(p for p in kernels + workers if not _gone(p)) == []
    assert _kernel_processes(tmpdir) == []
    assert _leftovers(tmpdir) == []


def test_stale_staging_of_a_killed_run_is_removed_and_live_one_kept(project, tmp_path):
    """A run killed with ``kill -9`` leaves its staging folder; the next run (holding the
    lock) removes it because its process is gone, and leaves a live process's folder."""
    from analysis.pipeline.out_folder import remove_stale_staging

    out = tmp_path / "out"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = out / ".staging" / f"run-{int(dead.stdout)}-abcd" / "2024-mini"
    live = out / ".staging" / f"run-{os.getpid()}-beef" / "2024-mini"
    for d in (stale, live):
        d.mkdir(parents=True)
        (d / "mini.html").write_text("x", encoding="utf-8")
    remove_stale_staging(out)
    assert not stale.parent.exists() and live.is_dir()


def test_failed_copies_are_pruned_by_age_and_by_a_later_success(tmp_path):
    from analysis.pipeline.execute import JobResult
    from analysis.pipeline.out_folder import (
        FAILED_MAX_AGE_DAYS,
        failed_dir,
        install_job,
        output_files,
        prune_failed,
    )
    from analysis.pipeline.plan import Job

    out = tmp_path / "out"
    old = failed_dir(out) / "2023" / "mini.ipynb"
    new = failed_dir(out) / "2024" / "mini.ipynb"
    for f in (old, new):
        f.parent.mkdir(parents=True)
        f.write_text("{}", encoding="utf-8")
    past = time.time() - (FAILED_MAX_AGE_DAYS + 1) * 86400
    os.utime(old, (past, past))
    assert prune_failed(out) == [old]
    assert not old.parent.exists() and new.is_file()
    # the same notebook and year built again: its failure copy goes
    staging = tmp_path / "stage"
    for rel in output_files("mini"):
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text("x", encoding="utf-8")
    job = Job("mini", 2024, {})
    install_job(JobResult(job, "built", staging=str(staging)), out)
    assert (out / "2024" / "mini.html").is_file() and not failed_dir(out).exists()
    assert not staging.exists()
