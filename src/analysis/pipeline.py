"""``fou run``: execute the report notebooks per year with papermill and export them.

For every (notebook, year) job the pipeline

1. decides whether anything changed since the last build: a content hash of the notebook,
   the parameters, every input file (published tables, person-level files) and the package's
   own source; unchanged jobs are skipped (``--force`` rebuilds);
2. executes the notebook with papermill in a fresh kernel (``python3``, the interpreter of
   this environment), parameters injected, working directory ``notebooks/``, with a bounded
   number of kernels at a time (``--jobs``, worker processes started fresh, not forked) and
   a retry when a kernel fails to start (the ``ZMQError: Address already in use`` race of
   many kernels starting at once). The kernel is started before papermill is imported and
   imports the notebook's modules while papermill loads (:mod:`analysis.kernel`);
3. on success, strips volatile metadata (papermill timings, random cell ids), exports two
   self-contained HTML files with nbconvert — ``<year>/<name>.html`` for the ministry (no
   code, no parameter cells, no stderr) and ``<year>/code/<name>.html`` for researchers —
   and writes the key figures the notebook recorded to ``<year>/<name>.json``;
4. writes everything to a staging directory first and moves it into place only when the whole
   job succeeded, so a failed run never overwrites an earlier report. A notebook that fails
   is reported with its name, year, cell and error; the other jobs go on; the run exits
   non-zero. papermill's copy of the failed notebook (with its error banner) is kept for
   debugging *next to* the output folder, in ``.<out>.failed/`` (:func:`failed_dir`), never
   inside it: its error messages are raw and may name data values, and everything inside
   the output folder is meant to be safe to share;
5. writes ``index.html`` listing years × reports with each report's title, the duty or
   assignment it serves (``notebooks/reports.yaml``) and its headline figure.
"""

from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import shutil
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
from analysis.report import keyfigures  # noqa: E402
from analysis.report.formatting import fmt_number, fmt_pct, fmt_share  # noqa: E402
from analysis.report.inert import CSP_META, markdown_html  # noqa: E402

KERNEL_NAME = "python3"
TEMPLATE_DIR = Path(__file__).resolve().parent / "report" / "templates"
TEMPLATE_NAME = "fou"
CACHE_FILE = ".fou-cache.json"
REMOVE_TAGS = {"parameters", "injected-parameters", "remove-cell"}
KERNEL_START_RETRIES = 3
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
    from analysis.report.min_cell import check_min_cell

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
        for y in ys:
            params: dict[str, Any] = {"year": int(y), "min_cell": int(min_cell), "seed": int(seed)}
            base = spec.notebook.parent
            if spec.data == "hr":
                params["hr_data"] = notebook_relative(hr_data, base)
            else:
                params["jobbsjansen_data"] = notebook_relative(jobbsjansen_data, base)
            jobs.append(Job(name, int(y), params))
    return jobs


def notebook_relative(path: str | None, base: Path | None = None) -> str | None:
    """A data path as seen from the notebook's directory (relative: no absolute path is
    recorded in the reports)."""
    if not path:
        return None
    return os.path.relpath(Path(path).resolve(), (base or notebooks_dir()).resolve())


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
    pkg = Path(__file__).resolve().parent
    files = [p for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return _tree_digest(files, pkg)


def job_key(job: Job, spec: ReportSpec) -> str:
    """Content hash of everything a job's output depends on."""
    h = hashlib.sha256()
    h.update(spec.notebook.read_bytes())
    h.update(json.dumps(job.parameters, sort_keys=True).encode())
    h.update(json.dumps(asdict(spec), sort_keys=True).encode())
    pub = published_dir()
    h.update(_tree_digest((p for p in pub.rglob("*") if p.is_file()), pub).encode())
    for key in ("hr_data", "jobbsjansen_data"):
        rel = job.parameters.get(key)
        if rel:
            p = (spec.notebook.parent / rel).resolve()
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
    :data:`analysis.report.inert.CSP`; Markdown outputs are rendered without raw HTML,
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


def execute_job(job: Job, spec: ReportSpec, out_dir: Path, key: str) -> JobResult:
    """Run one job end to end (in a worker process): execute, export, move into place.

    The kernel is started first (:class:`analysis.kernel.WarmKernel`) and imports the
    notebook's modules while this process imports papermill and nbformat.
    """
    from analysis.kernel import WarmKernel, notebook_imports

    start = time.perf_counter()
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    staging = out_dir / ".staging" / f"{job.year}-{job.notebook}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    executed = staging / "executed.ipynb"
    try:
        modules = notebook_imports(spec.notebook)
        for attempt in range(KERNEL_START_RETRIES):
            kernel = WarmKernel(KERNEL_NAME, spec.notebook.parent, KERNEL_ARGUMENTS, modules)
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
                if attempt + 1 < KERNEL_START_RETRIES and _is_kernel_start_failure(exc):
                    time.sleep(0.5 * (attempt + 1))
                    continue
                raise
            finally:
                kernel.close()
        nb = clean_executed(nbformat.read(executed, as_version=4))
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
        final = out_dir / str(job.year)
        for rel in (
            f"{job.notebook}.html",
            f"code/{job.notebook}.html",
            f"executed/{job.notebook}.ipynb",
            f"{job.notebook}.json",
        ):
            dst = final / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, dst)
        return JobResult(job, "built", time.perf_counter() - start, None, figures)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        failed = failed_dir(out_dir) / str(job.year)
        if executed.exists():
            failed.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(executed, failed / f"{job.notebook}.ipynb")
        detail = _describe_failure(exc, job, executed)
        if not isinstance(exc, Exception) or os.environ.get("FOU_DEBUG"):
            detail += "\n" + traceback.format_exc()
        return JobResult(job, "failed", time.perf_counter() - start, detail, None)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
            src_text = {
                "synthetic": " (syntetiske data)",
                "published": " (publiserte tall)",
                "microdata": " (persondata)",
            }.get(source, "")
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


def run(
    jobs: Sequence[Job],
    *,
    out_dir: Path | None = None,
    n_jobs: int | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = print,
    specs: dict[str, ReportSpec] | None = None,
) -> RunSummary:
    """Execute the jobs (skipping unchanged ones), write the reports and the index."""
    specs = specs or load_report_specs()
    out_dir = (out_dir or reports_dir()).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _msg: None)
    cache = _load_cache(out_dir)
    keys = {job: job_key(job, specs[job.notebook]) for job in jobs}
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
        done += 1
        results.append(res)
        if res.status == "built":
            cache[f"{res.job.year}/{res.job.notebook}"] = keys[res.job]
            _save_cache(out_dir, cache)
            say(f"  [{done}/{total}] {res.job.label}: ferdig ({res.seconds:.1f} s)")
        else:
            cache.pop(f"{res.job.year}/{res.job.notebook}", None)
            _save_cache(out_dir, cache)
            say(f"  [{done}/{total}] {res.job.label}: FEILET – {res.error}")

    if n_jobs == 1 or total <= 1:
        for job in todo:
            record(execute_job(job, specs[job.notebook], out_dir, keys[job]))
    else:
        # fresh interpreters, not forks: a fork would inherit this process's ZeroMQ
        # contexts (from kernels run here before) and their lost I/O threads
        with ProcessPoolExecutor(
            max_workers=n_jobs, mp_context=multiprocessing.get_context("spawn")
        ) as pool:
            futures = {
                pool.submit(execute_job, job, specs[job.notebook], out_dir, keys[job]): job
                for job in todo
            }
            for fut in as_completed(futures):
                record(fut.result())
    shutil.rmtree(out_dir / ".staging", ignore_errors=True)
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
