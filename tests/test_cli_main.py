"""``fou`` through ``main()`` on its success paths: every option of ``run`` and ``data``
reaches what it controls.

Expected values come from the inputs the test writes itself (a register whose transition
counts are computed here with IMDi's definition), from the parameters passed, and from the
files on disk; not from the code under test.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.data.codes import TRANSITION_STATUSES

pytestmark = pytest.mark.slow


def _parameters(executed: Path) -> str:
    nb = nbformat.read(executed, as_version=4)
    cells = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "papermill injects exactly one parameters cell"
    return cells[0].source


@pytest.fixture(scope="module")
def register(tmp_path_factory) -> tuple[Path, int, int]:
    """A synthetic 2024 register (written by ``fou synth``) with a third of the transitions
    turned into 'annet', so that its counts differ from the default synthetic register."""
    d = tmp_path_factory.mktemp("register")
    path = d / "jobbsjansen_2024.parquet"
    assert main(["synth", "jobbsjansen", "--year", "2024", "--seed", "5", "--out", str(path)]) == 0
    df = pd.read_parquet(path)
    ended = df["end_date"].notna() & (df["end_date"].dt.year == 2024)
    moved = df.index[ended & df["exit_status"].isin(TRANSITION_STATUSES)][::3]
    df.loc[moved, "exit_status"] = "annet"
    df.to_parquet(path, index=False)
    exits = df.loc[ended & (df["exit_status"] != "utfaset")]
    return path, len(exits), int(exits["exit_status"].isin(TRANSITION_STATUSES).sum())


@pytest.fixture(scope="module")
def built(register, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    path, *_ = register
    args = ["run", "--year", "2024", "--notebook", "jobbsjansen", "--jobbsjansen-data", str(path)]
    args += ["--out", str(out), "--min-cell", "7", "--seed", "11", "--jobs", "1", "--quiet"]
    assert main(args) == 0
    return out


def test_run_uses_the_register_given(built, register):
    _, n_completed, n_transition = register
    kf = json.loads((built / "2024" / "jobbsjansen.json").read_text(encoding="utf-8"))
    # a file from fou synth is synthetic: its figures are an illustration, not key figures
    ill = kf["synthetic_illustration"]
    assert ill["n_completed"] == n_completed
    assert ill["n_transition"] == n_transition
    assert ill["register_transition_rate"] == pytest.approx(n_transition / n_completed)
    assert kf["sources"]["n_completed"] == "synthetic"


def test_min_cell_and_seed_reach_the_notebook(built):
    source = _parameters(built / "2024" / "executed" / "jobbsjansen.ipynb")
    assert "min_cell = 7" in source and "seed = 11" in source and "year = 2024" in source


def test_unchanged_run_is_skipped_and_force_rebuilds(built, register):
    path, *_ = register
    html = built / "2024" / "jobbsjansen.html"
    before = html.stat().st_mtime_ns
    args = ["run", "--year", "2024", "--notebook", "jobbsjansen", "--jobbsjansen-data", str(path)]
    args += ["--out", str(built), "--min-cell", "7", "--seed", "11", "--quiet"]
    assert main(args) == 0
    assert html.stat().st_mtime_ns == before, "nothing changed: the report is not rebuilt"
    assert main([*args, "--force"]) == 0
    assert html.stat().st_mtime_ns != before, "--force rebuilds"


def test_jobs_builds_every_year(tmp_path):
    args = ["run", "--notebook", "jobbsjansen", "--year", "2013", "--year", "2024"]
    assert main([*args, "--out", str(tmp_path), "--jobs", "2", "--quiet"]) == 0
    for year in (2013, 2024):
        kf = json.loads((tmp_path / str(year) / "jobbsjansen.json").read_text(encoding="utf-8"))
        assert kf["year"] == year
    assert "2013" in (tmp_path / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A private project root with a copy of the published data."""
    root = tmp_path / "proj"
    shutil.copytree(paths.published_dir(), root / "data" / "raw" / "published")
    shutil.copy(paths.project_root() / "pyproject.toml", root / "pyproject.toml")
    monkeypatch.setenv("FOU_PROJECT_ROOT", str(root))
    paths.project_root.cache_clear()
    yield root
    paths.project_root.cache_clear()


def test_data_build_writes_every_published_table(project):
    assert main(["data", "build", "--quiet"]) == 0
    written = {p.stem for p in (project / "data" / "processed").glob("*.parquet")}
    tables = {p.stem for p in (project / "data" / "raw" / "published").glob("*.csv")}
    assert tables <= written
    for name in tables:
        raw = pd.read_csv(project / "data" / "raw" / "published" / f"{name}.csv", dtype=str)
        assert len(pd.read_parquet(project / "data" / "processed" / f"{name}.parquet")) == len(raw)


def test_data_catalogue_check_and_write(project):
    readme = project / "data" / "raw" / "published" / "README.md"
    assert main(["data", "catalogue", "--check"]) == 0
    readme.write_text(readme.read_text(encoding="utf-8") + "\nstale\n", encoding="utf-8")
    assert main(["data", "catalogue", "--check"]) == 1
    assert main(["data", "catalogue"]) == 0
    assert "stale" not in readme.read_text(encoding="utf-8")
    assert main(["data", "catalogue", "--check"]) == 0
