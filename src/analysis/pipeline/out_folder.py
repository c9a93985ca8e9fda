"""The output folder (``--out``): what may be one, its layout, staging and failed copies.

A job writes its files to the run's own staging folder (``<out>/.staging/run-<pid>-<random>/``)
and the parent moves them into ``<out>/<year>/`` only when the whole job succeeded
(:func:`install_job`), so a failed run never overwrites an earlier report. Copies of failed
notebooks go *beside* the output folder (:func:`failed_dir`), never inside it.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.paths import project_root

if TYPE_CHECKING:
    from analysis.pipeline.execute import JobResult
    from analysis.pipeline.plan import Job

STAGING = ".staging"
FAILED_MAX_AGE_DAYS = 30


class OutputFolderError(ValueError):
    """``--out`` points somewhere reports may not be written (exit status 2)."""


def display_dir(path: Path) -> str:
    """A folder as messages name it: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(path)


def check_out_dir(out_dir: Path, inputs: Iterable[str | Path | None] = ()) -> Path:
    """Refuse an output folder that would mix reports with data.

    ``--out`` may not be (or lie inside) the project's ``data/`` folder, nor be the folder
    of a person-level input file.

    Raises
    ------
    OutputFolderError
        With a one-line bokmål message naming the folder.
    """
    out = Path(out_dir).resolve()
    data = (project_root() / "data").resolve()
    if out == data or out.is_relative_to(data):
        raise OutputFolderError(
            f"--out {display_dir(out)} ligger i data/: rapportene skal ikke blandes med "
            "rådata eller behandlede data. Velg en annen mappe (standard: reports/)."
        )
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"--out {display_dir(out)} er en fil, ikke en mappe.")
    for p in inputs:
        if p and Path(p).resolve().parent == out:
            raise OutputFolderError(
                f"--out {display_dir(out)} er mappen der inndatafilen {Path(p).name} ligger: "
                "rapportene skal ikke skrives ved siden av persondata. Velg en annen mappe."
            )
    return out


def output_files(stem: str) -> tuple[str, ...]:
    """The files a job installs, relative to ``<out>/<year>``; ``stem`` is the job's
    :attr:`~analysis.pipeline.plan.Job.output` (``<notebook>`` or ``<notebook>-persondata``).
    The PDF (``<stem>.pdf``, ``fou run --pdf``) is written afterwards from the installed HTML
    (:mod:`analysis.pipeline.pdf`)."""
    return (
        f"{stem}.html",
        f"code/{stem}.html",
        f"executed/{stem}.ipynb",
        f"{stem}.json",
    )


def outputs_exist(out_dir: Path, job: Job) -> bool:
    """Whether the report files of ``job`` are all in ``out_dir`` (HTML, code HTML, JSON)."""
    d = out_dir / str(job.year)
    stem = job.output
    return all((d / rel).is_file() for rel in (f"{stem}.html", f"code/{stem}.html", f"{stem}.json"))


def remove_if_empty(folder: Path) -> None:
    """Remove ``folder`` if it is empty (and exists)."""
    try:
        folder.rmdir()
    except OSError:
        pass


def run_id() -> str:
    """A unique name for one run's staging folder: ``run-<pid>-<random>``."""
    import secrets

    return f"run-{os.getpid()}-{secrets.token_hex(4)}"


def remove_stale_staging(out_dir: Path) -> None:
    """Remove staging folders of runs that no longer exist (``kill -9``). Called with the
    output folder locked, and only for folders whose process id is not running."""
    from analysis.pipeline.kernel import _pid_alive

    root = out_dir / STAGING
    if not root.is_dir():
        return
    for p in root.iterdir():
        parts = p.name.split("-")
        if len(parts) >= 3 and parts[0] == "run" and parts[1].isdigit():
            if not _pid_alive(int(parts[1])):
                shutil.rmtree(p, ignore_errors=True)
    remove_if_empty(root)


def failed_dir(out_dir: Path) -> Path:
    """Where copies of failed notebooks go: beside ``out_dir``, never inside it.

    A failed notebook holds the raw error (which may quote a count or a value from the data)
    and is not disclosure-controlled, so it must not sit in the folder that is shared.
    """
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f".{out_dir.name}.failed"


def prune_failed(out_dir: Path, max_age_days: float | None = None) -> list[Path]:
    """Retention of the failed copies (:func:`failed_dir`): a failed notebook copy is kept
    until the same notebook and year builds again (:func:`install_job`) or for
    ``FAILED_MAX_AGE_DAYS`` days, whichever comes first; a newer failure of the same notebook
    and year replaces the older one.
    Returns the files removed."""
    max_age = FAILED_MAX_AGE_DAYS if max_age_days is None else max_age_days
    root = failed_dir(out_dir)
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    limit = time.time() - max_age * 86400
    for f in sorted(root.rglob("*.ipynb")):
        try:
            if f.stat().st_mtime < limit:
                f.unlink()
                removed.append(f)
        except OSError:
            continue
    for d in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        remove_if_empty(d)
    remove_if_empty(root)
    return removed


def install_job(result: JobResult, out_dir: Path) -> None:
    """Move a built job's files from its staging folder into ``<out>/<year>`` and drop the
    job's stale failure copy under ``.failed/`` (it failed before; now it built).

    A PDF of the report's earlier HTML is removed first: it no longer shows what the HTML
    shows (``fou run --pdf`` prints a new one)."""
    if result.staging is None:
        return
    staging = Path(result.staging)
    final = out_dir / str(result.job.year)
    stem = result.job.output
    (final / f"{stem}.pdf").unlink(missing_ok=True)
    for rel in output_files(stem):
        dst = final / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, dst)
    shutil.rmtree(staging, ignore_errors=True)
    result.staging = None
    stale = failed_dir(out_dir) / str(result.job.year) / f"{stem}.ipynb"
    stale.unlink(missing_ok=True)
    remove_if_empty(stale.parent)
    remove_if_empty(stale.parent.parent)
