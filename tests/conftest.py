"""Shared fixtures.

The default reports (what ``make reports`` builds, plus the pay report for 2026, a year
without published figures) are built once per test session and shared by every test that
only reads them (:func:`default_reports`); under pytest-xdist the workers share one build.
See docs/testing.md ("Hastighet").

Two tiers (docs/testing.md, "To nivåer"): ``make test`` runs the quick tier, every test not
marked ``slow`` or ``browser``; ``make test-all`` runs everything. A test is ``slow`` when it
runs a notebook, starts a kernel, builds reports (through the pipeline or each year's report
in-process) or uses the shared builds; the last is marked here (:data:`BUILD_FIXTURES`), and
a quick-tier test that starts a kernel fails (:func:`_no_kernel_in_the_quick_tier`).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

# as analysis.pipeline does: jsonschema (imported with nbformat by test modules before the
# pipeline) would otherwise build an IRI grammar no notebook schema uses, 1.5-3 s per worker
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

ROOT = Path(__file__).resolve().parents[1]

#: the jobs of the shared default build, beyond ``plan()`` (every report for every year with
#: published figures): the pay report for a year without published figures
EXTRA_DEFAULT_JOBS = {"years": [2026], "notebooks": ["lonnsgap"]}
#: fixtures that build reports: a test using one (directly or through another fixture) is slow
BUILD_FIXTURES = frozenset({"default_reports", "file_reports"})


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark a test that uses a shared build (:data:`BUILD_FIXTURES`) ``slow`` as it is
    collected, before ``-m`` selects the tier."""
    if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
        item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _no_kernel_in_the_quick_tier(request: pytest.FixtureRequest, monkeypatch) -> None:
    """A test outside the slow tier may not start a Jupyter kernel (a notebook run costs
    10–15 CPU-seconds): it fails with a message saying to mark it ``slow``. This keeps
    ``make test`` quick as tests are added."""
    if request.node.get_closest_marker("slow") or request.node.get_closest_marker("browser"):
        return
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    async def refuse(*_args, **_kwargs):  # every kernel start (sync, async, papermill) ends here
        raise RuntimeError(
            f"{request.node.nodeid} starts a Jupyter kernel: mark it @pytest.mark.slow "
            "(the quick tier, `make test`, runs no notebooks; see docs/testing.md)"
        )

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", refuse)


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def published_copy(tmp_path: Path) -> Path:
    """A writable copy of data/raw/published (to break files in)."""
    dst = tmp_path / "published"
    shutil.copytree(ROOT / "data" / "raw" / "published", dst)
    return dst


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by every worker of this test session (and by no other session).

    Under pytest-xdist each worker's base temporary folder is ``pytest-N/popen-gwK``; their
    parent is the session's. Without xdist the session's own base folder is used.
    """
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def default_jobs() -> list:
    """The jobs of the shared default build (see :data:`EXTRA_DEFAULT_JOBS`)."""
    from analysis.pipeline.plan import plan

    return plan() + plan(**EXTRA_DEFAULT_JOBS)


@pytest.fixture(scope="session")
def default_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of the default reports, built once per session: READ ONLY.

    Built through the pipeline (:func:`analysis.pipeline.run.run`) exactly as ``make
    reports`` builds them. The first worker to ask builds (both cores, ``--jobs 2``) while
    holding a lock; the others wait for it and then find the folder complete (a marker file
    beside it says so). A test that needs to change the folder copies it first
    (:func:`copy_of_default_reports`).
    """
    from analysis.pipeline.folder_lock import OutputFolderLock
    from analysis.pipeline.run import run

    root = shared_dir(tmp_path_factory) / "fou-default-reports"
    root.mkdir(exist_ok=True)
    out, done = root / "reports", root / "built"
    lock = OutputFolderLock(root)
    lock.acquire(lambda _msg: None)
    try:
        if not done.exists():
            if out.exists():  # a build that failed half-way in another worker
                shutil.rmtree(out)
            summary = run(default_jobs(), out_dir=out, n_jobs=2, progress=None)
            assert summary.ok, [r.error for r in summary.failed]
            done.write_text("ok\n", encoding="utf-8")
    finally:
        lock.release()
    return out


@pytest.fixture(scope="session")
def file_reports(tmp_path_factory: pytest.TempPathFactory, default_reports: Path) -> dict:
    """The default reports plus every report for 2026 built from person-level files: READ ONLY.

    What ``make reports`` builds (a copy of :func:`default_reports`, whose cache makes the run
    skip those jobs) and the three reports for 2026 from a synthetic HR file and register file
    in a deeply nested folder with telling names (no output may reveal any part of it). Built
    once per session, like :func:`default_reports` (one worker builds under a lock, the others
    find it done), so that ``test_reports_built.py`` and its browser tests
    (``test_reports_built_browser.py``) can run on different workers. Returns ``out`` (the
    output folder), ``data`` (the input folder), ``ids`` (every person id of the synthetic
    data) and ``jobs`` (the jobs of the run).
    """
    import pandas as pd

    from analysis.data.synthetic import synth_hr, synth_jobbsjansen, write_synthetic
    from analysis.pipeline.folder_lock import OutputFolderLock
    from analysis.pipeline.plan import plan
    from analysis.pipeline.run import run

    root = shared_dir(tmp_path_factory) / "fou-file-reports"
    root.mkdir(exist_ok=True)
    out, done = root / "reports", root / "built"
    data = root / "data" / "Ola Nordmann" / "prosjekt-fortrolig-k9" / "eksport"
    hr_path, js_path = data / "hr.csv", data / "js.parquet"
    lock = OutputFolderLock(root)
    lock.acquire(lambda _msg: None)
    try:
        if not done.exists():
            for half_done in (out, root / "data"):  # a build that failed in another worker
                if half_done.exists():
                    shutil.rmtree(half_done)
            copy_of_default_reports(default_reports, out)
            data.mkdir(parents=True)
            write_synthetic(synth_hr(2026, 11), hr_path)
            write_synthetic(synth_jobbsjansen(2026, 11), js_path)
        jobs = plan()  # every year with data, as make reports
        jobs += plan(years=[2026], hr_data=str(hr_path), jobbsjansen_data=str(js_path))
        if not done.exists():
            summary = run(jobs, out_dir=out, n_jobs=2, progress=None)
            assert summary.ok, [r.error for r in summary.failed]
            # the published years come from the shared build; 2026 is built here from the files
            assert {r.job.ident for r in summary.results if r.status == "built"} == {
                f"2026/{name}" for name in ("lonnsgap", "sykefravaer", "jobbsjansen")
            }
            done.write_text("ok\n", encoding="utf-8")
    finally:
        lock.release()
    ids = set(synth_hr(2024, 2025).frame["person_id"]) | set(
        synth_jobbsjansen(2024, 2025).frame["participant_id"]
    )
    ids |= set(pd.read_csv(hr_path)["person_id"]) | set(pd.read_parquet(js_path)["participant_id"])
    return {"out": out, "ids": ids, "data": data, "jobs": jobs}


def report_pages(out: Path) -> list[Path]:
    """Every HTML page of an output folder: the reports, their code pages and the index."""
    return sorted(out.glob("*/*.html")) + sorted(out.glob("*/code/*.html")) + [out / "index.html"]


def copy_of_default_reports(default_reports: Path, dst: Path) -> Path:
    """A private, writable copy of the shared default reports (cache file included, so that a
    run into the copy skips every job already built)."""
    shutil.copytree(default_reports, dst, ignore=shutil.ignore_patterns(".fou.lock"))
    return dst


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Test files with a ``slow`` test (notebook runs, report builds) first.

    ``make test-all`` hands out whole files to the workers (``--dist loadfile``) in the order of
    this list; a long file handed out last would leave the other core idle at the end. The
    sort is stable and runs after pytest-randomly's shuffle (``trylast``): the slow files keep
    their random order among themselves, the others theirs, and the tests in each file theirs.
    """
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)
