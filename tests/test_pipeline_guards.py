"""Pipeline guards without running a notebook: the cache key, --out checks, path redaction,
the parameters cell, the output-folder lock."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import cache
from analysis.pipeline.folder_lock import OutputFolderLock
from analysis.pipeline.out_folder import OutputFolderError, check_out_dir
from analysis.pipeline.plan import Job, plan
from analysis.pipeline.sanitise import (
    local_path_replacements,
    redact_local_paths,
    show_inputs_by_name,
)
from analysis.pipeline.specs import ReportSpec


@pytest.fixture
def spec(tmp_path: Path) -> ReportSpec:
    d = tmp_path / "nb"
    d.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), d / "mini.ipynb")
    return ReportSpec("mini", "T", "D", "s", "k", "l", "number", "hr", str(d))


def test_cache_key_ignores_the_output_folder_and_the_inputs_folder(
    spec, published_copy, tmp_path, monkeypatch
):
    monkeypatch.setattr(cache, "published_dir", lambda: published_copy)
    out = published_copy / "rapporter"  # an output folder inside the hashed tables
    out.mkdir()
    a, b = tmp_path / "a" / "hr.csv", tmp_path / "b" / "hr.csv"
    for p in (a, b):
        p.parent.mkdir()
        p.write_text("person_id\n1\n", encoding="utf-8")
    job_a = Job("mini", 2025, {"year": 2025, "hr_data": "hr.csv"}, {"hr_data": str(a)})
    job_b = Job("mini", 2025, {"year": 2025, "hr_data": "hr.csv"}, {"hr_data": str(b)})
    key = cache.job_key(job_a, spec, out)
    (out / "index.html").write_text("x", encoding="utf-8")
    (out / ".fou-cache.json").write_text("{}", encoding="utf-8")
    assert cache.job_key(job_a, spec, out) == key  # what the run writes does not count
    assert cache.job_key(job_b, spec, out) == key  # same name and content, other folder
    b.write_text("person_id\n2\n", encoding="utf-8")
    assert cache.job_key(job_b, spec, out) != key  # other content
    (published_copy / "ny.csv").write_text("x", encoding="utf-8")
    assert cache.job_key(job_a, spec, out) != key  # the tables themselves do count


def test_plan_passes_only_the_file_name(tmp_path):
    from analysis.data.synthetic import synth_hr, write_synthetic

    path = tmp_path / "dyp" / "mappe" / "hr_2025.csv"
    path.parent.mkdir(parents=True)
    write_synthetic(synth_hr(2025, 1), path)
    jobs = plan(years=[2025], notebooks=["lonnsgap"], hr_data=str(path))
    assert [(j.parameters["hr_data"], j.inputs) for j in jobs] == [
        ("hr_2025.csv", {"hr_data": str(path.resolve())})
    ]


def test_check_out_dir(root, tmp_path):
    with pytest.raises(OutputFolderError, match="ligger i data/"):
        check_out_dir(root / "data" / "raw" / "published")
    with pytest.raises(OutputFolderError, match="inndatafilen hr.csv"):
        check_out_dir(tmp_path, [None, str(tmp_path / "hr.csv")])
    assert check_out_dir(tmp_path / "r", [str(tmp_path / "hr.csv")]) == tmp_path / "r"
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="er en fil, ikke en mappe"):
        check_out_dir(tmp_path / "fil")


def _nb_with_outputs(*texts: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('# Parameters\nyear = 2025\nhr_data = "hr.csv"\n')
    params.metadata["tags"] = ["injected-parameters"]
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text=texts[0]),
        nbformat.v4.new_output("error", ename="E", evalue=texts[1], traceback=list(texts[2:])),
    ]
    nb.cells = [params, cell]
    return nb


def test_redaction_and_parameters_cell(tmp_path):
    import sys

    from analysis.paths import project_root

    folder = tmp_path / "Per Hansen" / "eksport"
    nb = _nb_with_outputs(
        f"{folder}/hr.csv:3: UserWarning: rar verdi\n",
        f"finner ikke {folder}/hr.csv.mangler",
        f"File {sys.prefix}/lib/x.py:10",
        f"File {project_root()}/src/analysis/a.py:5",
        f"cwd {folder}",
    )
    show_inputs_by_name(nb, {"hr_data": "ab" * 32})
    assert nb.cells[0].source == (
        f'# Parameters\nyear = 2025\nhr_data = "hr.csv"  # sha256: {"ab" * 32}\n'
    )
    redact_local_paths(nb, local_path_replacements([folder]))
    out = nb.cells[1].outputs
    assert out[0]["text"] == "hr.csv:3: UserWarning: rar verdi\n"
    assert out[1]["evalue"] == "finner ikke hr.csv.mangler"
    assert out[1]["traceback"] == [
        "File <python>/lib/x.py:10",
        "File <prosjekt>/src/analysis/a.py:5",
        "cwd <mappe>",
    ]


def test_lock_is_exclusive_between_open_files_and_released(tmp_path):
    first, second = OutputFolderLock(tmp_path, poll=0.01), OutputFolderLock(tmp_path, poll=0.01)
    first.acquire()
    waited: list[str] = []

    class Stop(Exception):
        pass

    def on_wait(holder: str) -> None:
        waited.append(holder)
        raise Stop  # do not wait for ever in a test

    with pytest.raises(Stop):
        second.acquire(on_wait)
    import os

    assert waited == [str(os.getpid())] and not second.held
    first.release()
    second.acquire(on_wait)  # free now: no waiting
    assert second.held and waited == [str(os.getpid())]
    second.release()


def test_run_brings_processed_data_up_to_date_before_any_kernel(spec, tmp_path, monkeypatch):
    """The parent rebuilds a stale data/processed once, before the first job starts, so the
    report kernels only read it (no two kernels race to write it)."""
    from analysis.pipeline import run as run_module
    from analysis.pipeline.execute import JobResult

    calls: list[str] = []
    monkeypatch.setattr(run_module, "ensure_processed", lambda: calls.append("processed"))

    def fake_execute(job, *args):
        calls.append(f"job {job.year}")
        return JobResult(job, "failed", error="x")

    monkeypatch.setattr(run_module, "execute_job", fake_execute)
    jobs = [Job("mini", y, {"year": y}) for y in (2024, 2025)]
    summary = run_module.run(
        jobs, out_dir=tmp_path / "out", n_jobs=1, specs={"mini": spec}, progress=None
    )
    assert [r.status for r in summary.results] == ["failed", "failed"]
    assert calls == ["processed", "job 2024", "job 2025"]
