"""Repository hygiene: dependencies in sync, notebooks clean, nothing confidential tracked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_dependency_has_a_lower_bound():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for spec in project["dependencies"]:
        assert ">=" in spec, f"{spec} needs a tested lower bound"


def _notebooks() -> list[Path]:
    """The report notebooks and the exploration notebooks (``notebooks/utforsk/``)."""
    nbs = ROOT / "notebooks"
    return sorted(nbs.glob("*.ipynb")) + sorted((nbs / "utforsk").glob("*.ipynb"))


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_notebook_committed_clean(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        assert cell.get("id") == str(i), f"{path.name}: cell {i} id is {cell.get('id')!r}"
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: cell {i} has outputs"
            assert cell.get("execution_count") is None, f"{path.name}: cell {i} was executed"
    assert nb["metadata"].get("kernelspec", {}) == {
        "display_name": "Python (fou-analyse)",
        "language": "python",
        "name": "fou-analyse",
    }


def _git_files() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_no_data_outside_published_and_no_microdata_tracked():
    files = _git_files()
    data = [f for f in files if f.startswith("data/")]
    allowed = ("data/raw/published/", "data/raw/microdata/README.md", "data/processed/README.md")
    assert [f for f in data if not f.startswith(allowed)] == []
    assert [f for f in files if f.startswith("reports/") and f != "reports/README.md"] == []
    data_suffixes = (".parquet", ".xlsx", ".xls", ".sav", ".dta", ".feather")
    assert [f for f in files if f.endswith(data_suffixes)] == []


def test_microdata_dir_is_ignored_by_git(tmp_path: Path):
    _git_files()
    probe = ROOT / "data" / "raw" / "microdata" / "hr_probe_never_commit.csv"
    res = subprocess.run(["git", "check-ignore", "-q", str(probe)], cwd=ROOT)
    assert res.returncode == 0, "data/raw/microdata/ must be git-ignored"


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=" ".join)
def test_ruff_clean(command: list[str]):
    """``make lint``: no lint findings and every file formatted."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff not installed")
    paths = [p for p in ("src", "tests", "benchmarks") if (ROOT / p).is_dir()]
    res = subprocess.run([ruff, *command, *paths], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_notebook_paired_script_in_sync(path: Path):
    """Each notebook has a jupytext py:percent twin with the same cells (for code review)."""
    jupytext = pytest.importorskip("jupytext")
    script = path.with_suffix(".py")
    assert script.is_file(), f"{script.name} missing: jupytext --set-formats ipynb,py:percent"
    a = jupytext.read(path)
    b = jupytext.read(script)
    assert [(c.cell_type, c.source) for c in a.cells] == [(c.cell_type, c.source) for c in b.cells]
    assert a.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
    assert a.metadata.get("kernelspec") == b.metadata.get("kernelspec")


def test_one_kernel_everywhere():
    """The notebooks, `make setup`/`make kernel-user` and the README name the same kernel."""
    from analysis.pipeline.notebook_hygiene import KERNELSPEC

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"KERNEL := {KERNELSPEC['name']}\n" in makefile
    assert f"KERNEL_DISPLAY := {KERNELSPEC['display_name']}\n" in makefile
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"«{KERNELSPEC['display_name']}»" in readme
    assert "Python 3 (ipykernel)" not in readme


def test_only_public_fixtures_outside_data():
    """Data files outside data/raw/published are limited to public test fixtures (R's
    chicago data with Stata's published results, for the Oaxaca–Blinder peer check)."""
    files = _git_files()
    data_like = [
        f
        for f in files
        if f.endswith((".csv", ".parquet", ".xlsx", ".json"))
        and not f.startswith(("data/raw/published/", "src/"))
    ]
    assert data_like == [
        "tests/data/oaxaca_chicago/chicago.csv",
        "tests/data/oaxaca_chicago/stata_results.json",
    ]
