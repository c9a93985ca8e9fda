"""The cache key: every input a report depends on changes it, nothing else does.

A stale cache hit is the worst failure of an incremental build (a report that silently shows
last month's data), so each input is changed on its own and the key must move. The expected
behaviour is the contract in ``analysis.pipeline.cache.job_key``'s docstring and the README
("Uendrede rapporter bygges ikke på nytt"), not the current code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from analysis.paths import published_dir
from analysis.pipeline import cache
from analysis.pipeline.plan import Job
from analysis.pipeline.specs import load_report_specs


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("year = 2025\nhr_data = None\nmin_cell = 5\nseed = 1")
    cell.metadata["tags"] = ["parameters"]
    nb.cells.append(cell)
    nbformat.write(nb, nbdir / "mini.ipynb")
    (nbdir / "reports.yaml").write_text(
        "reports:\n  mini:\n    title: T\n    duty: D\n    source: x.txt\n"
        "    headline: {key: value, label: V, format: pct1}\n    data: hr\n",
        encoding="utf-8",
    )
    spec = load_report_specs(nbdir / "reports.yaml")["mini"]
    # published figures: a private copy the test may edit
    pub = tmp_path / "published"
    shutil.copytree(published_dir(), pub)
    monkeypatch.setattr(cache, "published_dir", lambda: pub)
    # the package source: a private copy the test may edit
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "module.py").write_text("x = 1\n", encoding="utf-8")
    (pkg / "sub" / "template.html.j2").write_text("<p>{{ x }}</p>\n", encoding="utf-8")
    monkeypatch.setattr(cache, "PACKAGE_DIR", pkg)
    data = tmp_path / "data" / "hr.csv"
    data.parent.mkdir()
    data.write_text("a;b\n1;2\n", encoding="utf-8")
    job = Job(
        "mini",
        2025,
        {"year": 2025, "hr_data": data.name, "min_cell": 5, "seed": 1},
        inputs={"hr_data": str(data)},
    )
    return spec, job, data, pub, pkg


def test_key_is_deterministic(setup):
    spec, job, *_ = setup
    assert cache.job_key(job, spec) == cache.job_key(job, spec)
    assert len(cache.job_key(job, spec)) == 64


def test_editing_the_person_level_file_changes_the_key(setup):
    spec, job, data, *_ = setup
    before = cache.job_key(job, spec)
    data.write_text("a;b\n1;3\n", encoding="utf-8")  # same size, one value edited
    assert cache.job_key(job, spec) != before


def test_the_synthetic_sidecar_changes_the_key(setup):
    spec, job, data, *_ = setup
    before = cache.job_key(job, spec)
    Path(str(data) + ".meta.json").write_text('{"synthetic": true}', encoding="utf-8")
    with_sidecar = cache.job_key(job, spec)
    assert with_sidecar != before
    Path(str(data) + ".meta.json").write_text('{"synthetic": false}', encoding="utf-8")
    assert cache.job_key(job, spec) != with_sidecar


def test_editing_a_published_table_changes_the_key(setup):
    spec, job, _, pub, _ = setup
    before = cache.job_key(job, spec)
    table = sorted(pub.glob("*.csv"))[0]
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cache.job_key(job, spec) != before


def test_editing_the_package_source_changes_the_key(setup):
    spec, job, _, _, pkg = setup
    before = cache.job_key(job, spec)
    (pkg / "module.py").write_text("x = 2\n", encoding="utf-8")
    after_source = cache.job_key(job, spec)
    assert after_source != before
    (pkg / "sub" / "template.html.j2").write_text("<p>{{ y }}</p>\n", encoding="utf-8")
    assert cache.job_key(job, spec) != after_source


def test_bytecode_caches_do_not_change_the_key(setup):
    spec, job, _, _, pkg = setup
    before = cache.job_key(job, spec)
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\x00\x01")
    assert cache.job_key(job, spec) == before


def test_editing_the_notebook_changes_the_key(setup):
    spec, job, *_ = setup
    before = cache.job_key(job, spec)
    nb = nbformat.read(spec.notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Ny tekst."))
    nbformat.write(nb, spec.notebook)
    assert cache.job_key(job, spec) != before


def test_the_folder_of_an_input_does_not_change_the_key(setup, tmp_path):
    """Inputs count by name and content (README: the same file elsewhere is the same input)."""
    spec, job, data, *_ = setup
    elsewhere = tmp_path / "elsewhere" / data.name
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(data.read_bytes())
    moved = Job(job.notebook, job.year, job.parameters, inputs={"hr_data": str(elsewhere)})
    assert cache.job_key(moved, spec) == cache.job_key(job, spec)


def test_an_output_folder_inside_the_published_data_does_not_change_the_key(setup):
    spec, job, _, pub, _ = setup
    out = pub / "reports"
    before = cache.job_key(job, spec, out)
    (out / "2025").mkdir(parents=True)
    (out / "2025" / "mini.html").write_text("<p>rapport</p>", encoding="utf-8")
    assert cache.job_key(job, spec, out) == before
    assert cache.job_key(job, spec) != before  # without out_dir the file would count
