"""One job: execute a notebook for one year with papermill, export it, stage its files.

The kernel (``python3``, the interpreter of this environment) is started before papermill is
imported, so that it imports the notebook's modules while papermill loads
(:mod:`analysis.pipeline.kernel`). It runs in a private temporary folder holding links to the
person-level files by file name (the notebook is given only the name: no local folder reaches
an output) and talks over Unix sockets in a private folder (TCP with a retry only where the
OS has no Unix sockets). On success the job's files are written to its staging folder, which
the parent installs (:func:`analysis.pipeline.out_folder.install_job`); on failure the
redacted notebook is copied beside the output folder
(:func:`analysis.pipeline.out_folder.failed_dir`).

In a ``--jobs`` worker process, SIGTERM (sent by the parent after Ctrl-C) kills the kernel,
removes the job's folders and ends the worker.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.paths import project_root
from analysis.pipeline import interrupt
from analysis.pipeline.export import export_html, exporter, heading
from analysis.pipeline.interrupt import RunInterrupted
from analysis.pipeline.out_folder import STAGING, failed_dir, run_id
from analysis.pipeline.plan import Job
from analysis.pipeline.sanitise import sanitise_executed
from analysis.pipeline.specs import ReportSpec
from analysis.render import keyfigures

KERNEL_NAME = "python3"
KERNEL_START_RETRIES = 3
# the kernel's own log (e.g. its TCP-without-encryption warning) is noise in the reports
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",)

# folders of the running job (its staging and private folders), removed on SIGTERM
_JOB_FOLDERS: set[Path] = set()


@dataclass
class JobResult:
    """What became of one job."""

    job: Job
    status: str  # "built", "cached" or "failed"
    seconds: float = 0.0
    error: str | None = None
    key_figures: dict[str, Any] | None = None
    staging: str | None = None  # built, not yet installed: the job's staging folder


def describe_failure(exc: BaseException, job: Job, executed: Path | None = None) -> str:
    """Name the notebook, the year, the cell (its id in the notebook file) and the error."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = next((ln for ln in exc.source.splitlines() if ln.strip()), "")
        index = exc.cell_index
        if executed is not None and executed.is_file():  # papermill inserted a parameters cell
            import nbformat

            cells = nbformat.read(executed, as_version=4).cells[:index]
            index -= sum("injected-parameters" in c.metadata.get("tags", []) for c in cells)
        return (
            f"{job.label}: feil i celle {index} "
            f"(kjøring {exc.exec_count}: {first.strip()[:80]!r}): {exc.ename}: {exc.evalue}"
        )
    if isinstance(exc, OSError) and exc.filename is not None:
        from analysis.oserrors import describe_os_error

        return f"{job.label}: {describe_os_error(exc)}"
    return f"{job.label}: {type(exc).__name__}: {exc}"


def _is_kernel_start_failure(exc: BaseException) -> bool:
    text = f"{type(exc).__name__}: {exc}"
    return any(
        s in text
        for s in (
            "ZMQError",
            "Address already in use",
            "Kernel died before",
            "Kernel didn't respond",
        )
    )


def stage_inputs(job: Job, folder: Path) -> None:
    """Make each person-level file of ``job`` (and its ``.meta.json`` sidecar) available in
    ``folder`` under its file name: the kernel runs in ``folder`` and is given only the name,
    so no folder of the researcher's reaches the notebook or its outputs.

    A symbolic link where the OS allows it, else a hard link, else a copy.
    """
    for key, source in job.inputs.items():
        name = job.parameters.get(key)
        if not name:
            continue
        src = Path(source)
        for s_path, d_path in (
            (src, folder / name),
            (Path(f"{src}.meta.json"), folder / f"{name}.meta.json"),
        ):
            if not s_path.is_file():
                continue
            try:
                os.symlink(s_path, d_path)
            except OSError:
                try:
                    os.link(s_path, d_path)
                except OSError:
                    shutil.copyfile(s_path, d_path)


def execute_job(
    job: Job, spec: ReportSpec, out_dir: Path, key: str, run_staging: Path | None = None
) -> JobResult:
    """Run one job (in a worker process): execute and export into its staging folder.

    Returns a result with status ``built`` and the staging folder, which
    :func:`analysis.pipeline.out_folder.install_job` (in the parent, unless the run was
    interrupted) moves into place; or ``failed``, with the staging folder removed.
    ``run_staging`` is the run's own staging folder (default: a new one under
    ``<out>/.staging``).

    The kernel is started first (:class:`analysis.pipeline.kernel.WarmKernel`) and imports the
    notebook's modules while this process imports papermill and nbformat. It runs in a
    private folder holding links to the job's person-level files by file name
    (:func:`stage_inputs`), talks over Unix sockets where the OS has them, and is shut down
    and its files removed on every exit path.
    """
    import tempfile

    from analysis.pipeline.kernel import RUNTIME_PREFIX, WarmKernel, notebook_imports

    start = time.perf_counter()
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    staging = (run_staging or out_dir / STAGING / run_id()) / f"{job.year}-{job.output}"
    executed = staging / "executed.ipynb"
    workdir: Path | None = None
    keep_staging = False
    _JOB_FOLDERS.add(staging)
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        workdir = Path(tempfile.mkdtemp(prefix=f"{RUNTIME_PREFIX}{os.getpid()}-job-"))
        _JOB_FOLDERS.add(workdir)
        stage_inputs(job, workdir)
        modules = notebook_imports(spec.notebook)
        # FOU_PIPELINE: the notebook is built as a report, not explored (rn.interactive)
        env = {"FOU_PROJECT_ROOT": str(project_root()), "FOU_PIPELINE": "1"}
        for attempt in range(KERNEL_START_RETRIES):
            kernel = WarmKernel(KERNEL_NAME, workdir, KERNEL_ARGUMENTS, modules, env)
            try:
                kernel.start()
                import nbformat
                import papermill as pm

                declared = pm.inspect_notebook(str(spec.notebook))
                params = {k: v for k, v in job.parameters.items() if k in declared}
                kernel.wait()
                # this process waits on the kernel while the notebook runs: load nbconvert
                # and compile the report template meanwhile
                preload = threading.Thread(target=exporter, daemon=True)
                preload.start()
                pm.execute_notebook(
                    str(spec.notebook),
                    str(executed),
                    parameters=params,
                    kernel_name=KERNEL_NAME,
                    km=kernel.km,
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    execution_timeout=1800,
                )
                break
            except Exception as exc:
                # Unix sockets cannot collide; only a TCP kernel can lose the port race
                if (
                    kernel.transport == "tcp"
                    and attempt + 1 < KERNEL_START_RETRIES
                    and _is_kernel_start_failure(exc)
                ):
                    time.sleep(0.5 * (attempt + 1))
                    continue
                raise
            finally:
                kernel.close()
        nb = sanitise_executed(nbformat.read(executed, as_version=4), job, [workdir])
        figures = keyfigures.extract_key_figures(nb)
        if figures is None:
            raise RuntimeError("notatboka registrerte ingen nøkkeltall (record_key_figures)")
        if job.variant and figures.get("person_data_source", "microdata") != "microdata":
            # the name says real data: never let a synthetic report take it
            raise RuntimeError(
                "notatboka brukte syntetiske persondata, men jobben skulle bygge rapporten "
                f"fra ekte persondata ({job.output})"
            )
        title = heading(nb) or f"{spec.title} {job.year}"  # the page says what its h1 says
        ministry = export_html(nb, title=title, code=False)
        with_code = export_html(nb, title=f"{title} (med kode)", code=True)
        (staging / "code").mkdir()
        (staging / "executed").mkdir()
        stem = job.output
        (staging / f"{stem}.html").write_text(ministry, encoding="utf-8")
        (staging / "code" / f"{stem}.html").write_text(with_code, encoding="utf-8")
        (staging / f"{stem}.json").write_text(keyfigures.dumps(figures), encoding="utf-8")
        (staging / "executed" / f"{stem}.ipynb").write_text(
            json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        executed.unlink()
        keep_staging = True
        return JobResult(
            job, "built", time.perf_counter() - start, None, figures, staging=str(staging)
        )
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, RunInterrupted)):
            raise
        if interrupt.stopping is not None:  # the kernel was killed by a signal: not a failure
            raise RunInterrupted(interrupt.stopping) from None
        failed = failed_dir(out_dir) / str(job.year)
        if executed.exists():
            import nbformat

            failed.mkdir(parents=True, exist_ok=True)
            try:
                bad = sanitise_executed(
                    nbformat.read(executed, as_version=4), job, [p for p in [workdir] if p]
                )
                nbformat.write(bad, failed / f"{job.output}.ipynb")
            except Exception:  # unreadable: keep nothing rather than an unredacted copy
                pass
        detail = describe_failure(exc, job, executed)
        if not isinstance(exc, Exception) or os.environ.get("FOU_DEBUG"):
            detail += "\n" + traceback.format_exc()
        return JobResult(job, "failed", time.perf_counter() - start, detail, None)
    finally:
        if not keep_staging:
            shutil.rmtree(staging, ignore_errors=True)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        _JOB_FOLDERS.difference_update({staging, workdir})


# --------------------------------------------------------------------------- worker processes


def worker_init() -> None:
    """In each ``--jobs`` worker: the parent handles Ctrl-C (the terminal sends it to the
    whole process group) and stops the workers with SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_sigterm)


def _worker_sigterm(signum: int, frame: Any) -> None:
    """Stop this worker now: kill its kernel, remove the job's folders, exit.

    Done here rather than by raising an exception, which the event loop papermill runs the
    notebook in could swallow."""
    from analysis.pipeline.kernel import kill_live_kernels

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        kill_live_kernels()
        for folder in list(_JOB_FOLDERS):
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        os._exit(128 + signum)


def run_in_worker(
    job: Job, spec: ReportSpec, out_dir: Path, key: str, run_staging: Path
) -> JobResult:
    """:func:`execute_job` in a worker process."""
    return execute_job(job, spec, out_dir, key, run_staging)
