"""``fou run``: execute the report notebooks per year with papermill and export them.

For every (notebook, year) job the pipeline

1. decides whether anything changed since the last build: a content hash of the notebook,
   the parameters, every input file (published tables, person-level files) and the package's
   own source; unchanged jobs are skipped (``--force`` rebuilds);
2. executes the notebook with papermill in a fresh kernel (``python3``, the interpreter of
   this environment), parameters injected, with a bounded number of kernels at a time
   (``--jobs``, worker processes started fresh, not forked). The kernel runs in a private
   temporary folder that holds links to the person-level files by file name (the notebook
   is given only the name: no local folder reaches an output), talks over Unix sockets in a
   private folder (no TCP ports that concurrent kernels could both take; TCP with a retry
   only where the OS has no Unix sockets), and is started before papermill is imported so
   that it imports the notebook's modules while papermill loads (:mod:`analysis.pipeline.kernel`);
3. on success, strips volatile metadata (papermill timings, random cell ids), exports two
   self-contained HTML files with nbconvert — ``<year>/<name>.html`` for the ministry (no
   code, no parameter cells, no stderr) and ``<year>/code/<name>.html`` for researchers —
   and writes the key figures the notebook recorded to ``<year>/<name>.json``;
4. writes everything to the run's own staging folder (``.staging/run-<pid>-<random>/``)
   first; the parent process moves a job's files into place only when the whole job
   succeeded, so a failed run never overwrites an earlier report. A notebook that fails
   is reported with its name, year, cell and error; the other jobs go on; the run exits
   non-zero. papermill's copy of the failed notebook (with its error banner, local folders
   redacted) is kept for debugging *next to* the output folder, in ``.<out>.failed/``
   (:func:`failed_dir`), never inside it: its error messages are raw and may name data
   values, and everything inside the output folder is meant to be safe to share. It is
   removed when the same notebook and year builds again, or after ``FAILED_MAX_AGE_DAYS``
   days;
5. writes ``index.html`` listing years × reports with each report's title, the duty or
   assignment it serves (``notebooks/reports.yaml``) and its headline figure.

One run at a time per output folder (:mod:`analysis.pipeline.folder_lock`; a second run waits and
says so). ``--out`` may not lie in ``data/`` nor be an input file's folder. On SIGINT or
SIGTERM the parent installs nothing more, stops every worker (each kills its kernel and
removes its folders), removes the run's staging folder and raises :class:`RunInterrupted`;
``fou run`` prints one line and exits 130 / 143.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

# jsonschema imports rfc3987_syntax (when installed, as jupyterlab's dependencies do) only to
# check the "iri" string format, which the notebook schema never uses; building its grammar
# costs 1.5 s on every import of nbformat. Leave it out of this process.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from analysis.paths import notebooks_dir, project_root, published_dir, reports_dir  # noqa: E402
from analysis.render import keyfigures  # noqa: E402
from analysis.render.formatting import fmt_number, fmt_pct, fmt_share  # noqa: E402
from analysis.render.inert import CSP_META, markdown_html  # noqa: E402
from analysis.render.sources import DATA_SOURCE_SHORT  # noqa: E402

KERNEL_NAME = "python3"
# the analysis package: its source, templates and catalogues count in every cache key
PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = PACKAGE_DIR / "render" / "templates"
TEMPLATE_NAME = "fou"
CACHE_FILE = ".fou-cache.json"
REMOVE_TAGS = {"parameters", "injected-parameters", "remove-cell"}
KERNEL_START_RETRIES = 3
STAGING = ".staging"
FAILED_MAX_AGE_DAYS = 30
# the kernel's own log (e.g. its TCP-without-encryption warning) is noise in the reports
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",)


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class ReportSpec:
    """One report: a notebook, its title, the duty it serves and its headline figure."""

    name: str
    title: str
    duty: str
    source: str
    headline_key: str
    headline_label: str
    headline_format: str
    data: str  # "hr" or "jobbsjansen": which person-level data the notebook uses
    directory: str = ""  # directory of the notebook (default notebooks/)

    @property
    def notebook(self) -> Path:
        return Path(self.directory or notebooks_dir()) / f"{self.name}.ipynb"


def load_report_specs(path: Path | None = None) -> dict[str, ReportSpec]:
    """The reports listed in ``notebooks/reports.yaml``, in file order."""
    path = path or notebooks_dir() / "reports.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = {}
    for name, s in doc["reports"].items():
        h = s["headline"]
        out[name] = ReportSpec(
            name,
            s["title"],
            " ".join(s["duty"].split()),
            s["source"],
            h["key"],
            h["label"],
            h.get("format", "number"),
            s["data"],
            str(path.parent.resolve()),
        )
    return out


def format_headline(value: Any, fmt: str) -> str:
    """Headline figure in Norwegian style."""
    if value is None:
        return "–"
    if fmt.startswith("pct"):
        return fmt_pct(value, int(fmt[3:] or 1))
    if fmt.startswith("share"):
        return fmt_share(value, int(fmt[5:] or 1))
    return fmt_number(value, 0)


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Job:
    """One notebook for one year, with its parameters."""

    notebook: str
    year: int
    parameters: dict[str, Any] = field(default_factory=dict, hash=False)
    # parameter name -> absolute path of a person-level file; the parameter itself holds only
    # the file name (see :func:`stage_inputs`)
    inputs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def label(self) -> str:
        return f"{self.notebook} {self.year}"


def published_years(spec: ReportSpec) -> list[int]:
    """Years for which the published tables have figures for this report."""
    from analysis.data.published import load_published

    if spec.name == "lonnsgap":
        pay = load_published("pay_by_job_group", preferred_only=True)
        years = pay.loc[pay["row"] != "totalt"].dropna(subset=["n_total"])["year"]
    elif spec.name == "sykefravaer":
        sick = load_published("sick_leave", preferred_only=True)
        years = sick.loc[sick["gender"].isin(["K", "M"])]["year"]
    elif spec.name == "jobbsjansen":
        js = load_published("jobbsjansen", preferred_only=True)
        years = js.loc[(js["indicator"] == "transition_rate_pct") & (js["group"] == "alle")][
            "year"
        ].dropna()
    else:
        return []
    return sorted({int(y) for y in years})


def check_inputs(hr_data: str | None, jobbsjansen_data: str | None) -> None:
    """Validate the person-level files before anything runs (all problems at once).

    Raises
    ------
    DataValidationError
        Listing every problem in both files, with file, row, column and value.
    """
    if not (hr_data or jobbsjansen_data):
        return
    from analysis.data import microdata
    from analysis.data.errors import ProblemCollector

    collector = ProblemCollector()
    if hr_data:
        collector.run(lambda: microdata.load_hr(Path(hr_data), display_name=str(hr_data)))
    if jobbsjansen_data:
        collector.run(
            lambda: microdata.load_jobbsjansen(
                Path(jobbsjansen_data), display_name=str(jobbsjansen_data)
            )
        )
    collector.raise_if_any()


def microdata_years(kind: str, path: str | None) -> list[int]:
    """Years present in a person-level file (HR: ``year``; register: exit years)."""
    if not path:
        return []
    from analysis.data import microdata

    if kind == "hr":
        df = microdata.load_hr(Path(path))
        return sorted({int(y) for y in df["year"].dropna()})
    df = microdata.load_jobbsjansen(Path(path))
    return sorted({int(d.year) for d in df["end_date"].dropna()})


def plan(
    *,
    years: Sequence[int] = (),
    notebooks: Sequence[str] = (),
    hr_data: str | None = None,
    jobbsjansen_data: str | None = None,
    min_cell: int = 5,
    seed: int = 2025,
    specs: dict[str, ReportSpec] | None = None,
) -> list[Job]:
    """The jobs to run: each notebook × each requested year.

    Without ``years``: for a notebook whose person-level file is given, the years in that
    file (HR: ``year``; register: exit years); otherwise the years with published figures.
    """
    from analysis.disclosure.min_cell import check_min_cell

    min_cell = check_min_cell(min_cell)
    specs = specs or load_report_specs()
    check_inputs(hr_data, jobbsjansen_data)
    unknown = [n for n in notebooks if n not in specs]
    if unknown:
        raise ValueError(f"unknown notebook(s): {', '.join(unknown)}; known: {', '.join(specs)}")
    jobs = []
    for name in notebooks or list(specs):
        spec = specs[name]
        data_path = hr_data if spec.data == "hr" else jobbsjansen_data
        if years:
            ys = sorted(set(years))
        elif data_path:  # the researcher's file decides which years to report
            ys = microdata_years(spec.data, data_path)
        else:
            ys = published_years(spec)
        key = "hr_data" if spec.data == "hr" else "jobbsjansen_data"
        for y in ys:
            params: dict[str, Any] = {"year": int(y), "min_cell": int(min_cell), "seed": int(seed)}
            params[key] = Path(data_path).name if data_path else None
            inputs = {key: str(Path(data_path).resolve())} if data_path else {}
            jobs.append(Job(name, int(y), params, inputs))
    return jobs


# --------------------------------------------------------------------------- hashing


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _tree_digest(paths: Iterable[Path], base: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.relative_to(base).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def package_digest() -> str:
    """Digest of the package's own source, templates and catalogues."""
    pkg = PACKAGE_DIR
    files = [p for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return _tree_digest(files, pkg)


def job_key(job: Job, spec: ReportSpec, out_dir: Path | None = None) -> str:
    """Content hash of everything a job's output depends on.

    Person-level files count by name (the parameter) and content, not by folder; files under
    ``out_dir`` never count (an output folder inside the published tables would otherwise
    change the key on every run).
    """
    h = hashlib.sha256()
    h.update(spec.notebook.read_bytes())
    h.update(json.dumps(job.parameters, sort_keys=True).encode())
    h.update(json.dumps(asdict(spec), sort_keys=True).encode())
    pub = published_dir()
    skip = out_dir.resolve() if out_dir is not None else None
    h.update(
        _tree_digest(
            (
                p
                for p in pub.rglob("*")
                if p.is_file() and not (skip is not None and p.resolve().is_relative_to(skip))
            ),
            pub,
        ).encode()
    )
    for key in sorted(job.inputs):
        p = Path(job.inputs[key])
        h.update(key.encode())
        h.update(p.read_bytes() if p.is_file() else b"missing")
        side = Path(str(p) + ".meta.json")
        if side.is_file():
            h.update(side.read_bytes())
    h.update(package_digest().encode())
    h.update(sys.version.encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- export


def clean_executed(nb: Any) -> Any:
    """Remove what changes between runs: papermill metadata, timings, random ids."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = str(i)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
    return nb


_EXPORTER: Any = None
_EXPORTER_LOCK = threading.Lock()


def _exporter() -> Any:
    """One HTML exporter per process: its Jinja template is compiled once and reused.

    Thread-safe: :func:`execute_job` builds it in a background thread while the kernel runs.
    """
    global _EXPORTER
    with _EXPORTER_LOCK:
        if _EXPORTER is None:
            from nbconvert import HTMLExporter

            exporter = HTMLExporter(
                filters={"inert_markdown": markdown_html},
                template_name=TEMPLATE_NAME,
                extra_template_basedirs=[str(TEMPLATE_DIR)],
                exclude_input_prompt=True,
                exclude_output_prompt=True,
                embed_images=True,
            )
            exporter.language_code = "nb"
            exporter.template  # noqa: B018 - compile the Jinja template now
            _EXPORTER = exporter
    return _EXPORTER


def export_html(nb: Any, *, title: str, code: bool) -> str:
    """Self-contained HTML of an executed notebook.

    ``code=False`` is the ministry version: no code, no cells tagged ``parameters``,
    ``injected-parameters`` or ``remove-cell``, no stderr, no prompts. ``code=True`` shows the
    code for researchers. Both use the ``fou`` template (no script, stylesheet or font from
    the web; ``lang="nb"``; PNG alt text kept) and carry the Content-Security-Policy of
    :data:`analysis.render.inert.CSP`; Markdown outputs are rendered without raw HTML,
    links or images.
    """
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    if not code:
        nb.cells = [c for c in nb.cells if not REMOVE_TAGS & set(c.metadata.get("tags", []))]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = [o for o in cell.get("outputs", []) if keyfigures.MIME not in o.get("data", {})]
        if not code:
            outputs = [
                o
                for o in outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
        cell.outputs = outputs
    exporter = _exporter()
    exporter.exclude_input = not code
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": title}, "fou_csp_meta": CSP_META}
    )
    return body


# --------------------------------------------------------------------------- execution


@dataclass
class JobResult:
    job: Job
    status: str  # "built", "cached" or "failed"
    seconds: float = 0.0
    error: str | None = None
    key_figures: dict[str, Any] | None = None
    staging: str | None = None  # built, not yet installed: the job's staging folder


class RunInterrupted(BaseException):
    """SIGINT or SIGTERM arrived: stop everything, install nothing more, clean up.

    A :class:`BaseException` (like :class:`KeyboardInterrupt`) so that no ``except
    Exception`` on the way swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def signal_name(self) -> str:
        return "Ctrl-C" if self.signum == signal.SIGINT else signal.Signals(self.signum).name


class OutputFolderError(ValueError):
    """``--out`` points somewhere reports may not be written (exit status 2)."""


def _describe_failure(exc: BaseException, job: Job, executed: Path | None = None) -> str:
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
            f"{job.notebook} {job.year}: feil i celle {index} "
            f"(kjøring {exc.exec_count}: {first.strip()[:80]!r}): {exc.ename}: {exc.evalue}"
        )
    if isinstance(exc, OSError) and exc.filename is not None:
        from analysis.oserrors import describe_os_error

        return f"{job.notebook} {job.year}: {describe_os_error(exc)}"
    return f"{job.notebook} {job.year}: {type(exc).__name__}: {exc}"


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


def input_digests(job: Job) -> dict[str, str]:
    """SHA-256 of each person-level file of ``job``, by parameter name."""
    from analysis.render.provenance import sha256_file

    return {k: sha256_file(Path(p)) for k, p in sorted(job.inputs.items()) if Path(p).is_file()}


def show_inputs_by_name(nb: Any, digests: dict[str, str]) -> Any:
    """Add the SHA-256 of each input to its line in papermill's injected parameters cell:
    ``hr_data = "hr_2026.csv"  # sha256: …`` (the file name and checksum, as the provenance
    block names inputs)."""
    for cell in nb.cells:
        if "injected-parameters" not in cell.metadata.get("tags", []):
            continue
        lines = cell.source.split("\n")
        for i, line in enumerate(lines):
            name = line.split(" = ", 1)[0].strip()
            if " = " in line and name in digests:
                lines[i] = f"{line}  # sha256: {digests[name]}"
        cell.source = "\n".join(lines)
    return nb


def local_path_replacements(folders: Iterable[Path | str] = ()) -> list[tuple[str, str]]:
    """Local folders and what an output shows instead, most specific first.

    ``folders`` (the inputs' folders, the job's private folder) disappear, leaving the file
    name; the project root reads ``<prosjekt>``, the Python installation ``<python>``, the
    home folder ``~`` and the temporary folder ``<tmp>``.
    """
    import tempfile

    pairs: dict[str, str] = {}
    named = [
        (Path.home(), "~"),
        (Path(tempfile.gettempdir()), "<tmp>"),
        (Path(sys.base_prefix), "<python>"),
        (Path(sys.exec_prefix), "<python>"),
        (Path(sys.prefix), "<python>"),
        (project_root(), "<prosjekt>"),
    ]
    for path, label in named:
        for form in {str(path), str(path.resolve())}:
            if len(form) > 1:
                pairs[form] = label
    for folder in folders:
        for form in {str(folder), str(Path(folder).resolve())}:
            if len(form) > 1:
                pairs[form + os.sep] = ""
                pairs[form] = "<mappe>"
    return sorted(pairs.items(), key=lambda kv: len(kv[0]), reverse=True)


def redact_local_paths(nb: Any, replacements: Sequence[tuple[str, str]]) -> Any:
    """Replace local folders in every output of ``nb`` (tracebacks, warnings on stderr,
    printed text, rich output) by what :func:`local_path_replacements` says."""

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            for old, new in replacements:
                if old in value:
                    value = value.replace(old, new)
            return value
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return type(value)((k, fix(v)) for k, v in value.items())
        return value

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [fix(o) for o in cell.get("outputs", [])]
    return nb


def sanitise_executed(nb: Any, job: Job, folders: Iterable[Path | str] = ()) -> Any:
    """An executed notebook as it may leave the machine: volatile metadata removed, inputs
    named by file name and SHA-256, no local folder in any output."""
    nb = clean_executed(nb)
    show_inputs_by_name(nb, input_digests(job))
    dirs = [Path(p).parent for p in job.inputs.values()]
    return redact_local_paths(nb, local_path_replacements([*dirs, *folders]))


def execute_job(
    job: Job, spec: ReportSpec, out_dir: Path, key: str, run_staging: Path | None = None
) -> JobResult:
    """Run one job (in a worker process): execute and export into its staging folder.

    Returns a result with status ``built`` and the staging folder, which
    :func:`install_job` (in the parent, unless the run was interrupted) moves into place;
    or ``failed``, with the staging folder removed. ``run_staging`` is the run's own staging
    folder (default: a new one under ``<out>/.staging``).

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
    staging = (run_staging or out_dir / STAGING / run_id()) / f"{job.year}-{job.notebook}"
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
        env = {"FOU_PROJECT_ROOT": str(project_root())}
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
                preload = threading.Thread(target=_exporter, daemon=True)
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
        title = f"{spec.title} {job.year}"
        ministry = export_html(nb, title=title, code=False)
        with_code = export_html(nb, title=f"{title} (med kode)", code=True)
        (staging / "code").mkdir()
        (staging / "executed").mkdir()
        (staging / f"{job.notebook}.html").write_text(ministry, encoding="utf-8")
        (staging / "code" / f"{job.notebook}.html").write_text(with_code, encoding="utf-8")
        (staging / f"{job.notebook}.json").write_text(keyfigures.dumps(figures), encoding="utf-8")
        (staging / "executed" / f"{job.notebook}.ipynb").write_text(
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
        if _STOPPING is not None:  # the kernel was killed by a signal: not a failure
            raise RunInterrupted(_STOPPING) from None
        failed = failed_dir(out_dir) / str(job.year)
        if executed.exists():
            import nbformat

            failed.mkdir(parents=True, exist_ok=True)
            try:
                bad = sanitise_executed(
                    nbformat.read(executed, as_version=4), job, [p for p in [workdir] if p]
                )
                nbformat.write(bad, failed / f"{job.notebook}.ipynb")
            except Exception:  # unreadable: keep nothing rather than an unredacted copy
                pass
        detail = _describe_failure(exc, job, executed)
        if not isinstance(exc, Exception) or os.environ.get("FOU_DEBUG"):
            detail += "\n" + traceback.format_exc()
        return JobResult(job, "failed", time.perf_counter() - start, detail, None)
    finally:
        if not keep_staging:
            shutil.rmtree(staging, ignore_errors=True)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        _JOB_FOLDERS.difference_update({staging, workdir})


def output_files(notebook: str) -> tuple[str, ...]:
    """The files a job installs, relative to ``<out>/<year>``."""
    return (
        f"{notebook}.html",
        f"code/{notebook}.html",
        f"executed/{notebook}.ipynb",
        f"{notebook}.json",
    )


def install_job(result: JobResult, out_dir: Path) -> None:
    """Move a built job's files from its staging folder into ``<out>/<year>`` and drop the
    job's stale failure copy under ``.failed/`` (it failed before; now it built)."""
    if result.staging is None:
        return
    staging = Path(result.staging)
    final = out_dir / str(result.job.year)
    for rel in output_files(result.job.notebook):
        dst = final / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, dst)
    shutil.rmtree(staging, ignore_errors=True)
    result.staging = None
    stale = failed_dir(out_dir) / str(result.job.year) / f"{result.job.notebook}.ipynb"
    stale.unlink(missing_ok=True)
    _remove_if_empty(stale.parent)
    _remove_if_empty(stale.parent.parent)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


# --------------------------------------------------------------------------- workers and signals

# set when SIGINT/SIGTERM arrived: a job that ends after it (e.g. because its kernel was
# killed) is neither reported as failed nor copied to .failed/
_STOPPING: int | None = None
# folders of the running job (its staging and private folders), removed on SIGTERM
_JOB_FOLDERS: set[Path] = set()


def _worker_init() -> None:
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


def _run_in_worker(
    job: Job, spec: ReportSpec, out_dir: Path, key: str, run_staging: Path
) -> JobResult:
    """:func:`execute_job` in a worker process."""
    return execute_job(job, spec, out_dir, key, run_staging)


class _Signals:
    """SIGINT and SIGTERM as :class:`RunInterrupted` in the main thread of the parent.

    Inside :meth:`deferred` (installing a job's files, saving the cache) a signal is held
    back until the block ends, so that a job is installed whole or not at all. After the
    first signal, further ones are ignored while the run cleans up.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._defer = 0
        self._previous: dict[int, Any] = {}
        self._log_level: int | None = None

    def __enter__(self) -> _Signals:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        global _STOPPING
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()
        _STOPPING = None
        if self._log_level is not None:
            import logging

            logging.getLogger("papermill").setLevel(self._log_level)

    def _handle(self, signum: int, frame: Any) -> None:
        global _STOPPING
        if self.received is not None:
            return  # already stopping
        self.received = signum
        _STOPPING = signum
        from analysis.pipeline.kernel import _LIVE, kill_live_kernels

        if _LIVE:
            # a job runs in this process (--jobs 1): an exception raised here could be
            # swallowed by the event loop papermill runs the notebook in. Kill the kernel
            # instead; papermill then fails at once and execute_job, seeing _STOPPING, raises
            # RunInterrupted itself.
            import logging

            log = logging.getLogger("papermill")
            self._log_level = log.level
            log.setLevel(logging.CRITICAL)  # no "Kernel died …" line
            kill_live_kernels()
            return
        if not self._defer:
            raise RunInterrupted(signum)

    def deferred(self) -> Any:
        import contextlib

        @contextlib.contextmanager
        def block() -> Any:
            self._defer += 1
            try:
                yield
            finally:
                self._defer -= 1
            self.check()

        return block()

    def check(self) -> None:
        if self.received is not None and not self._defer:
            raise RunInterrupted(self.received)


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


def run_id() -> str:
    """A unique name for one run's staging folder: ``run-<pid>-<random>``."""
    import secrets

    return f"run-{os.getpid()}-{secrets.token_hex(4)}"


def _remove_stale_staging(out_dir: Path) -> None:
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
    _remove_if_empty(root)


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
        _remove_if_empty(d)
    _remove_if_empty(root)
    return removed


def failed_dir(out_dir: Path) -> Path:
    """Where copies of failed notebooks go: beside ``out_dir``, never inside it.

    A failed notebook holds the raw error (which may quote a count or a value from the data)
    and is not disclosure-controlled, so it must not sit in the folder that is shared.
    """
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f".{out_dir.name}.failed"


# --------------------------------------------------------------------------- index


def write_index(out_dir: Path, specs: dict[str, ReportSpec]) -> Path:
    """``index.html``: years × reports with title, duty and headline figure."""
    years = sorted(
        {int(p.name) for p in out_dir.iterdir() if p.is_dir() and p.name.isdigit()}, reverse=True
    )
    e = html.escape
    rows = []
    for y in years:
        cells = [f'<th scope="row">{y}</th>']
        for name, spec in specs.items():
            jpath = out_dir / str(y) / f"{name}.json"
            if not jpath.is_file() or not (out_dir / str(y) / f"{name}.html").is_file():
                cells.append("<td>–</td>")
                continue
            kf = json.loads(jpath.read_text(encoding="utf-8"))
            value = format_headline(kf.get(spec.headline_key), spec.headline_format)
            source = kf.get("data_source", "")
            src_text = f" ({DATA_SOURCE_SHORT[source]})" if source in DATA_SOURCE_SHORT else ""
            cells.append(
                f'<td><a href="{y}/{name}.html">{e(spec.headline_label)}: {e(value)}</a>'
                f'{e(src_text)} · <a href="{y}/code/{name}.html">med kode</a> · '
                f'<a href="{y}/{name}.json">nøkkeltall (JSON)</a></td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th scope="col">{e(s.title)}</th>' for s in specs.values())
    duties = "".join(f"<li><strong>{e(s.title)}</strong>: {e(s.duty)}</li>" for s in specs.values())
    css = (TEMPLATE_DIR / TEMPLATE_NAME / "fou.css").read_text(encoding="utf-8")
    page = f"""<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
{CSP_META}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>FoU-rapporter – oversikt</title>
<style>
{css}
</style>
</head>
<body>
<main>
<div id="notebook-container">
<h1>FoU-rapporter – oversikt</h1>
<p>Rapporter bygd av <code>fou run</code> fra IMDis publiserte tall og persondata (eller
syntetiske data der persondata mangler). Hver rapport finnes i en versjon for departementet
og en versjon med koden, og med nøkkeltallene som JSON.</p>
<table class="fou-table">
<caption>Rapporter etter år</caption>
<thead><tr><th scope="col">År</th>{head}</tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
<h2>Hva rapportene svarer på</h2>
<ul>{duties}</ul>
</div>
</main>
</body>
</html>
"""
    path = out_dir / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------- run


@dataclass
class RunSummary:
    results: list[JobResult]
    out_dir: Path

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed


def _load_cache(out_dir: Path) -> dict[str, str]:
    try:
        return json.loads((out_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_cache(out_dir: Path, cache: dict[str, str]) -> None:
    tmp = out_dir / (CACHE_FILE + ".tmp")
    tmp.write_text(json.dumps(cache, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, out_dir / CACHE_FILE)


def _outputs_exist(out_dir: Path, job: Job) -> bool:
    d = out_dir / str(job.year)
    return all(
        (d / rel).is_file()
        for rel in (f"{job.notebook}.html", f"code/{job.notebook}.html", f"{job.notebook}.json")
    )


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


def run(
    jobs: Sequence[Job],
    *,
    out_dir: Path | None = None,
    n_jobs: int | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = print,
    specs: dict[str, ReportSpec] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> RunSummary:
    """Execute the jobs (skipping unchanged ones), write the reports and the index.

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
    OSError
        The output folder cannot be created or written.
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

    with _Signals() as signals:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = OutputFolderLock(out_dir)
        lock.acquire(tell_wait)
        run_staging = out_dir / STAGING / run_id()
        try:
            remove_stale_runtime_dirs()
            _remove_stale_staging(out_dir)
            prune_failed(out_dir)
            return _run_locked(jobs, out_dir, run_staging, n_jobs, force, say, specs, signals)
        finally:
            with _ignoring_signals():
                shutil.rmtree(run_staging, ignore_errors=True)
                _remove_if_empty(out_dir / STAGING)
                lock.release()


def _ignoring_signals() -> Any:
    """A block during which SIGINT and SIGTERM are ignored (final cleanup)."""
    import contextlib

    @contextlib.contextmanager
    def block() -> Any:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, h in previous.items():
                signal.signal(s, h)

    return block()


def _run_locked(
    jobs: Sequence[Job],
    out_dir: Path,
    run_staging: Path,
    n_jobs: int | None,
    force: bool,
    say: Callable[[str], None],
    specs: dict[str, ReportSpec],
    signals: _Signals,
) -> RunSummary:
    if jobs:
        say(f"Sjekker hva som er endret siden forrige bygging ({len(jobs)} notatbok-år) …")
    cache = _load_cache(out_dir)
    keys = {job: job_key(job, specs[job.notebook], out_dir) for job in jobs}
    results: list[JobResult] = []
    todo = []
    for job in jobs:
        ident = f"{job.year}/{job.notebook}"
        if not force and cache.get(ident) == keys[job] and _outputs_exist(out_dir, job):
            results.append(JobResult(job, "cached"))
            say(f"  {job.label}: uendret, ikke kjørt på nytt")
        else:
            todo.append(job)
    n_jobs = max(1, min(n_jobs or os.cpu_count() or 1, len(todo) or 1))
    total = len(todo)
    if todo:
        say(f"Kjører {total} notatbok(er) med {n_jobs} kjerne(r) om gangen …")
    done = 0

    def record(res: JobResult) -> None:
        nonlocal done
        signals.check()  # after a signal: install nothing
        with signals.deferred():  # a job is installed whole, with its cache entry
            done += 1
            results.append(res)
            ident = f"{res.job.year}/{res.job.notebook}"
            if res.status == "built":
                install_job(res, out_dir)
                cache[ident] = keys[res.job]
                _save_cache(out_dir, cache)
                say(f"  [{done}/{total}] {res.job.label}: ferdig ({res.seconds:.1f} s)")
            else:
                cache.pop(ident, None)
                _save_cache(out_dir, cache)
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
            initializer=_worker_init,
        )
        futures: dict[Any, Job] = {}
        try:
            for job in todo:
                fut = pool.submit(
                    _run_in_worker, job, specs[job.notebook], out_dir, keys[job], run_staging
                )
                futures[fut] = job
            for fut in as_completed(futures):
                record(fut.result())
        except BaseException:
            from analysis.pipeline.kernel import remove_stale_runtime_dirs

            with _ignoring_signals():
                _stop_pool(pool, futures)
                remove_stale_runtime_dirs()  # anything a killed worker could not remove
            raise
        pool.shutdown(wait=True)
    say("Skriver oversikten (index.html) …")
    with signals.deferred():
        write_index(out_dir, specs)
    order = {job: i for i, job in enumerate(jobs)}
    results.sort(key=lambda r: order[r.job])
    summary = RunSummary(results, out_dir)
    built = sum(r.status == "built" for r in results)
    cached = sum(r.status == "cached" for r in results)
    say(
        f"Oppsummering: {built} bygd, {cached} uendret, {len(summary.failed)} feilet. "
        f"Rapportene ligger i {display_dir(out_dir)}/ (oversikt: index.html)."
    )
    for r in summary.failed:
        say(f"  FEIL: {r.error}")
    return summary


def display_dir(path: Path) -> str:
    try:
        return path.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(path)
