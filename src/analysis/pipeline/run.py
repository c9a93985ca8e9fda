"""``fou run``: build a batch of jobs into an output folder.

For every job the run

1. decides whether anything changed since the last build (:func:`analysis.pipeline.cache.
   job_key`); unchanged jobs are skipped (``--force`` rebuilds);
2. brings ``data/processed/`` up to date (:func:`analysis.data.processed.ensure_processed`)
   once, before any kernel starts, so that the kernels only read it;
3. executes the rest, a bounded number of kernels at a time (``--jobs``, worker processes
   started fresh, not forked) (:func:`analysis.pipeline.execute.execute_job`);
4. moves each job's files into place when the whole job succeeded
   (:func:`analysis.pipeline.out_folder.install_job`) and records its key; a notebook that
   fails is reported with its name, year, cell and error, the other jobs go on;
5. with ``--pdf``, prints each ministry report that has no PDF yet (built now, or built
   earlier without ``--pdf``) to ``<year>/<stem>.pdf`` in one headless Chromium
   (:mod:`analysis.pipeline.pdf`); installing a report removes the PDF of its earlier HTML;
6. writes ``index.html`` (:func:`analysis.pipeline.index.write_index`).

One run at a time per output folder (:mod:`analysis.pipeline.folder_lock`; a second run waits
and says so). On SIGINT or SIGTERM the parent installs nothing more, stops every worker (each
kills its kernel and removes its folders), removes the run's staging folder and raises
:class:`analysis.pipeline.interrupt.RunInterrupted`; ``fou run`` prints one line and exits
130 / 143.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.data.processed import ensure_processed
from analysis.paths import reports_dir
from analysis.pipeline.cache import job_key, load_cache, save_cache
from analysis.pipeline.execute import JobResult, execute_job, run_in_worker, worker_init
from analysis.pipeline.index import write_index
from analysis.pipeline.interrupt import SignalGuard, ignoring_signals
from analysis.pipeline.out_folder import (
    STAGING,
    check_out_dir,
    display_dir,
    install_job,
    outputs_exist,
    prune_failed,
    remove_if_empty,
    remove_stale_staging,
    run_id,
)
from analysis.pipeline.plan import Job
from analysis.pipeline.specs import ReportSpec, load_report_specs


@dataclass
class RunSummary:
    """The results of a run, in the order of the jobs."""

    results: list[JobResult]
    out_dir: Path
    pdf_errors: list[str] = field(default_factory=list)  # one line per PDF not written

    @property
    def failed(self) -> list[JobResult]:
        """The jobs that failed."""
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        """Whether no job failed and every PDF asked for was written."""
        return not self.failed and not self.pdf_errors


def run(
    jobs: Sequence[Job],
    *,
    out_dir: Path | None = None,
    n_jobs: int | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = print,
    specs: dict[str, ReportSpec] | None = None,
    on_wait: Callable[[str], None] | None = None,
    pdf: str | None = None,
) -> RunSummary:
    """Execute the jobs (skipping unchanged ones), write the reports and the index.

    ``pdf`` is the Chromium executable (:func:`analysis.pipeline.pdf.require_chromium`) when
    the ministry reports are also to be printed to PDF (``fou run --pdf``), else None.

    The output folder is locked for the whole run (:class:`analysis.pipeline.folder_lock.
    OutputFolderLock`): a second run into the same folder waits, calling ``on_wait`` (default:
    a line on stderr). Each run stages its files in a folder of its own under ``.staging/``
    and removes only that. On SIGINT or SIGTERM every worker and kernel is stopped, nothing
    more is installed, staging and kernel files are removed and :class:`RunInterrupted` is
    raised.

    Raises
    ------
    OutputFolderError
        ``out_dir`` lies in ``data/`` or is an input file's folder.
    DataValidationError
        ``data/processed`` was stale and a published table no longer validates.
    OSError
        The output folder (or ``data/processed``) cannot be created or written.
    RunInterrupted
        On SIGINT or SIGTERM (in the main thread).
    """
    from analysis.pipeline.folder_lock import OutputFolderLock
    from analysis.pipeline.kernel import remove_stale_runtime_dirs

    specs = specs or load_report_specs()
    out_dir = check_out_dir(
        out_dir or reports_dir(), [p for job in jobs for p in job.inputs.values()]
    )
    say = progress or (lambda _msg: None)

    def tell_wait(holder: str) -> None:
        who = f" (prosess {holder})" if holder else ""
        msg = (
            f"En annen fou run{who} skriver til {display_dir(out_dir)}/; venter til den er ferdig …"
        )
        if on_wait is not None:
            on_wait(msg)
        else:
            print(msg, file=sys.stderr, flush=True)

    with SignalGuard() as signals:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = OutputFolderLock(out_dir)
        lock.acquire(tell_wait)
        run_staging = out_dir / STAGING / run_id()
        try:
            remove_stale_runtime_dirs()
            remove_stale_staging(out_dir)
            prune_failed(out_dir)
            summary = _run_locked(jobs, out_dir, run_staging, n_jobs, force, say, specs, signals)
            if pdf is not None:
                summary.pdf_errors = _print_pdfs(summary, pdf, run_staging, say, signals)
            say("Skriver oversikten (index.html) …")
            with signals.deferred():
                write_index(out_dir, specs)
            _say_summary(summary, say)
            return summary
        finally:
            with ignoring_signals():
                shutil.rmtree(run_staging, ignore_errors=True)
                remove_if_empty(out_dir / STAGING)
                lock.release()


def _stop_pool(pool: ProcessPoolExecutor, futures: Iterable[Any]) -> None:
    """Stop every worker now: cancel what has not started, send SIGTERM to the workers (each
    shuts its kernel down and removes its files) and wait for them; SIGKILL as a last resort."""
    for fut in futures:
        fut.cancel()
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            try:
                proc.terminate()
            except (OSError, ValueError):
                pass
    for proc in processes:
        proc.join(timeout=60)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=10)
    pool.shutdown(wait=False, cancel_futures=True)


def _run_locked(
    jobs: Sequence[Job],
    out_dir: Path,
    run_staging: Path,
    n_jobs: int | None,
    force: bool,
    say: Callable[[str], None],
    specs: dict[str, ReportSpec],
    signals: SignalGuard,
) -> RunSummary:
    if jobs:
        say(f"Sjekker hva som er endret siden forrige bygging ({len(jobs)} notatbok-år) …")
    cache = load_cache(out_dir)
    keys = {job: job_key(job, specs[job.notebook], out_dir) for job in jobs}
    results: list[JobResult] = []
    todo = []
    for job in jobs:
        ident = job.ident
        if not force and cache.get(ident) == keys[job] and outputs_exist(out_dir, job):
            results.append(JobResult(job, "cached"))
            say(f"  {job.label}: uendret, ikke kjørt på nytt")
        else:
            todo.append(job)
    n_jobs = max(1, min(n_jobs or os.cpu_count() or 1, len(todo) or 1))
    total = len(todo)
    if todo and ensure_processed():
        # once, here, before any kernel starts: the kernels only read data/processed
        say("Bygde data/processed/ på nytt fra data/raw/published/ (rådataene var endret).")
    if todo:
        say(f"Kjører {total} notatbok(er) med {n_jobs} kjerne(r) om gangen …")
    done = 0

    def record(res: JobResult) -> None:
        nonlocal done
        signals.check()  # after a signal: install nothing
        with signals.deferred():  # a job is installed whole, with its cache entry
            done += 1
            results.append(res)
            ident = res.job.ident
            if res.status == "built":
                install_job(res, out_dir)
                cache[ident] = keys[res.job]
                save_cache(out_dir, cache)
                say(f"  [{done}/{total}] {res.job.label}: ferdig ({res.seconds:.1f} s)")
            else:
                cache.pop(ident, None)
                save_cache(out_dir, cache)
                say(f"  [{done}/{total}] {res.job.label}: FEILET – {res.error}")

    if n_jobs == 1 or total <= 1:
        for job in todo:
            record(execute_job(job, specs[job.notebook], out_dir, keys[job], run_staging))
    else:
        # fresh interpreters, not forks: a fork would inherit this process's ZeroMQ
        # contexts (from kernels run here before) and their lost I/O threads
        pool = ProcessPoolExecutor(
            max_workers=n_jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=worker_init,
        )
        futures: dict[Any, Job] = {}
        try:
            for job in todo:
                fut = pool.submit(
                    run_in_worker, job, specs[job.notebook], out_dir, keys[job], run_staging
                )
                futures[fut] = job
            for fut in as_completed(futures):
                record(fut.result())
        except BaseException:
            from analysis.pipeline.kernel import remove_stale_runtime_dirs

            with ignoring_signals():
                _stop_pool(pool, futures)
                remove_stale_runtime_dirs()  # anything a killed worker could not remove
            raise
        pool.shutdown(wait=True)
    order = {job: i for i, job in enumerate(jobs)}
    results.sort(key=lambda r: order[r.job])
    return RunSummary(results, out_dir)


def _print_pdfs(
    summary: RunSummary,
    exe: str,
    run_staging: Path,
    say: Callable[[str], None],
    signals: SignalGuard,
) -> list[str]:
    """Print every report of the run that has no PDF (one browser for all); the errors.

    A PDF beside a report always shows that report: installing a new HTML removes the old
    PDF (:func:`analysis.pipeline.out_folder.install_job`), so a PDF that exists is current.
    """
    from analysis.pipeline.pdf import Browser, PdfError, print_report

    out_dir = summary.out_dir
    todo = [
        r.job
        for r in summary.results
        if r.status != "failed"
        and not (out_dir / str(r.job.year) / f"{r.job.output}.pdf").is_file()
    ]
    if not todo:
        return []
    say(f"Skriver {len(todo)} PDF(er) med Chromium …")
    errors: list[str] = []
    browser: Browser | None = None
    try:
        for i, job in enumerate(todo, 1):
            signals.check()
            folder = out_dir / str(job.year)
            start = time.perf_counter()
            try:
                if browser is None:
                    browser = Browser(exe)
                with signals.deferred():
                    size = print_report(
                        browser,
                        folder / f"{job.output}.html",
                        folder / f"{job.output}.pdf",
                        year=job.year,
                        publication_date=job.parameters.get("publication_date"),
                        staging=run_staging / "pdf",
                    )
            except (PdfError, OSError) as e:
                errors.append(f"{job.label}: PDF ikke skrevet: {e}")
                say(f"  [{i}/{len(todo)}] {job.label}: PDF FEILET – {e}")
                if browser is not None:  # start afresh for the next report
                    browser.close()
                    browser = None
                continue
            seconds = time.perf_counter() - start
            say(f"  [{i}/{len(todo)}] {job.label}: PDF ferdig ({size // 1024} kB, {seconds:.1f} s)")
    finally:
        if browser is not None:
            with ignoring_signals():
                browser.close()
    return errors


def _say_summary(summary: RunSummary, say: Callable[[str], None]) -> None:
    results = summary.results
    built = sum(r.status == "built" for r in results)
    cached = sum(r.status == "cached" for r in results)
    pdfs = f", {len(summary.pdf_errors)} PDF(er) feilet" if summary.pdf_errors else ""
    say(
        f"Oppsummering: {built} bygd, {cached} uendret, {len(summary.failed)} feilet{pdfs}. "
        f"Rapportene ligger i {display_dir(summary.out_dir)}/ (oversikt: index.html)."
    )
    for r in summary.failed:
        say(f"  FEIL: {r.error}")
    for e in summary.pdf_errors:
        say(f"  FEIL: {e}")
