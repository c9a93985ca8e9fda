"""The warm kernel: which modules it imports, and that it leaves no trace in the notebook."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from analysis import kernel
from analysis.paths import notebooks_dir


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
            "import json, os.path as osp\nfrom analysis.report import notebook as rn",
            "%matplotlib inline\nimport not_seen",  # a magic: not Python, skipped
            "def f():\n    import inner_only\nfrom . import relative\nimport json\n"
            "from analysis import paygap_plots as plots, stats",
        ],
    )
    assert kernel.notebook_imports(path) == [
        "json",
        "os.path",
        "analysis.report",
        "analysis.report.notebook",
        "analysis",
        "analysis.paygap_plots",
        "analysis.stats",
    ]


def test_report_notebooks_import_their_assemblers():
    for name, module in (
        ("lonnsgap", "analysis.reports.lonnsgap"),
        ("sykefravaer", "analysis.reports.sykefravaer"),
        ("jobbsjansen", "analysis.reports.jobbsjansen"),
    ):
        assert module in kernel.notebook_imports(notebooks_dir() / f"{name}.ipynb")


def test_warmup_code_imports_and_leaves_no_name():
    ns: dict = {}
    exec(kernel.warmup_code(["json", "analysis.stats", "no_such_module_xyz"]), ns)
    assert set(ns) == {"__builtins__"}
    import sys

    assert "analysis.stats" in sys.modules


@pytest.mark.slow
def test_warm_kernel_runs_notebook_like_a_fresh_one(tmp_path):
    """Executed with a warm kernel, a notebook has the same outputs and execution counts as
    with a kernel papermill starts itself; the warm-up bound no name and the kernel is gone
    afterwards."""
    import papermill as pm

    src = _write(
        tmp_path / "probe.ipynb",
        [
            "import json\nfrom analysis import stats",
            "print(sorted(k for k in globals() if not k.startswith('_') "
            "and k not in ('In', 'Out', 'exit', 'quit', 'get_ipython', 'open')))",
            "import sys\nprint('analysis.stats' in sys.modules, len(In))",
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
