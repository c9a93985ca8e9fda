"""``index.html``: the overview of a report folder, one row per report built into it.

The index lists every report present in the output folder, not only the ones of the last
run: a report built earlier from real person-level data (``<year>/<name>-persondata.html``,
see :data:`analysis.pipeline.plan.REAL_DATA_VARIANT`) stays listed after a run without those
data (``make reports``), which writes ``<year>/<name>.html`` and never touches it. Each row
names the year and the report, shows its headline figure and says what the report was built
from (:func:`built_from`), so a reader can tell two reports of the same year apart; it links
the report, its PDF when there is one (``fou run --pdf``), the version with code and the key
figures. Below the table, the duty or assignment each report serves
(``notebooks/reports.yaml``).

Only what the report itself publishes is shown: the headline figure from the key-figure JSON
when it is quotable (source ``published`` or ``microdata``), never one computed from
synthetic data; the person-level file by its name, as the report's provenance block names it.
When a report's headline rate of all employees is not published but the rates of women and
men are (sick leave 2013 and 2014), the row shows those (:func:`headline_by_gender`); a
headline that is a published total not fitting the published rates of women and men (listed
under :data:`NOT_FITTING_KEY` in the key figures) is named as such, as on the report's card.
"""

from __future__ import annotations

import ast
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from analysis.pipeline.plan import REAL_DATA_VARIANT
from analysis.pipeline.specs import ReportSpec
from analysis.render.formatting import fmt_number, fmt_pct, fmt_share
from analysis.render.inert import CSP_META
from analysis.render.pages import render_page

#: what a row says the report was built from
BUILT_FROM_PUBLISHED = "publiserte tall"
BUILT_FROM_SYNTHETIC = "syntetiske data"
BUILT_FROM_MICRODATA = "persondata fra {file}"
BUILT_FROM_SYNTHETIC_FILE = "syntetiske data fra {file}"
#: the headline cell when the report has no quotable value for it
NOT_PUBLISHED = "ikke publisert"
#: the key figures' list of published totals that do not fit the published rates of women
#: and men (sick leave), and what the index says after such a headline
NOT_FITTING_KEY = "published_totals_not_fitting"
NOT_FITTING_NOTE = " (publisert total, stemmer ikke med tallene for kvinner og menn)"


def format_headline(value: Any, fmt: str) -> str:
    """Headline figure in Norwegian style.

    ``fmt`` is the ``headline.format`` of ``reports.yaml``: ``pct<d>`` (a percentage with
    ``d`` decimals), ``share<d>`` (a share shown as a percentage) or ``number``.
    """
    if value is None:
        return "–"
    if fmt.startswith("pct"):
        return fmt_pct(value, int(fmt[3:] or 1))
    if fmt.startswith("share"):
        return fmt_share(value, int(fmt[5:] or 1))
    return fmt_number(value, 0)


def _published_decimals(values: list[float]) -> int:
    """Decimals to show published rates with when the key figures have lost them (6.30 is
    6.3): one when every value has at most one, otherwise two."""
    return 1 if all(round(v, 1) == round(v, 2) for v in values) else 2


def headline_by_gender(kf: dict[str, Any], key: str) -> str | None:
    """The published rates of women and men in place of a headline rate of all employees
    that is not published: «kvinner 6,6 %, menn 4,0 %».

    For a headline ``rate_<what>`` (``rate_certified_pct``) whose source is not quotable,
    the key figures' ``by_gender`` (published) give ``<what>`` (``certified_pct``) of women
    (``K``) and men (``M``); None when they do not, or are not published.
    """
    by = kf.get("by_gender")
    if not key.startswith("rate_") or headline_source(kf, "by_gender") != "published":
        return None
    if not isinstance(by, dict):
        return None
    sub = key.removeprefix("rate_")
    shown = [
        (name, by[g][sub])
        for g, name in (("K", "kvinner"), ("M", "menn"))
        if isinstance(by.get(g), dict) and isinstance(by[g].get(sub), int | float)
    ]
    if not shown:
        return None
    d = _published_decimals([float(v) for _, v in shown])
    return ", ".join(f"{name} {fmt_pct(float(v), d)}" for name, v in shown)


def headline_source(kf: dict[str, Any], key: str) -> str:
    """Where the headline figure ``key`` comes from: its entry in the key figures'
    ``sources`` map, or (key figures written before that map) their ``data_source``."""
    sources = kf.get("sources")
    if isinstance(sources, dict):
        return str(sources.get(key, ""))
    return str(kf.get("data_source", ""))


def report_heading(executed: Path) -> str | None:
    """The heading of a built report (:func:`analysis.pipeline.export.heading`), read from
    its executed notebook; None when there is none to read."""
    from analysis.pipeline.export import heading

    try:
        nb = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return heading(nb) if isinstance(nb, dict) else None


def person_data_file(executed: Path, parameter: str) -> str | None:
    """The file name the notebook was given as ``parameter`` (``hr_data`` …), read from the
    parameters cell papermill injected into the executed notebook; None without one."""
    try:
        nb = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for cell in nb.get("cells", []):
        if "injected-parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else source)
        except SyntaxError:
            return None
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == parameter for t in node.targets)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                return node.value.value
    return None


def built_from(kf: dict[str, Any], spec: ReportSpec, file: str | None) -> str:
    """What a report was built from, as its index row says it.

    ``persondata fra <file>`` (real person-level data), ``syntetiske data fra <file>`` (a
    person-level file that holds synthetic data), ``publiserte tall`` (no person-level file,
    the headline figure or the report's key figures published — ``data_source`` is
    "published"; whatever is computed is marked as an illustration in the report) or
    ``syntetiske data`` (nothing published for the year).
    """
    person = str(kf.get("person_data_source", kf.get("data_source", "")))
    if file:
        template = BUILT_FROM_SYNTHETIC_FILE if person == "synthetic" else BUILT_FROM_MICRODATA
        return template.format(file=file)
    if headline_source(kf, spec.headline_key) == "published" or kf.get("data_source") == (
        "published"
    ):
        return BUILT_FROM_PUBLISHED
    return BUILT_FROM_SYNTHETIC


@dataclass(frozen=True)
class IndexRow:
    """One report in the index (every text escaped by the template)."""

    year: int
    title: str  # the link text: the report's title and year ("… (persondata)" for real data)
    stem: str  # <name> or <name>-persondata: the file names under <year>/
    label: str
    value: str
    built_from: str
    pdf: bool


def index_rows(out_dir: Path, specs: dict[str, ReportSpec]) -> list[IndexRow]:
    """The reports present in ``out_dir``: newest year first, then in catalogue order, a
    report from real person-level data before the one built without them.

    A report counts when its HTML and its key figures are both there."""
    years = sorted(
        {int(p.name) for p in out_dir.iterdir() if p.is_dir() and p.name.isdigit()}, reverse=True
    )
    rows = []
    for y in years:
        folder = out_dir / str(y)
        for name, spec in specs.items():
            for stem in (f"{name}-{REAL_DATA_VARIANT}", name):
                jpath = folder / f"{stem}.json"
                if not jpath.is_file() or not (folder / f"{stem}.html").is_file():
                    continue
                try:
                    kf = json.loads(jpath.read_text(encoding="utf-8"))
                except ValueError:
                    kf = {}
                if not isinstance(kf, dict):
                    kf = {}
                file = person_data_file(folder / "executed" / f"{stem}.ipynb", spec.data_parameter)
                key = spec.headline_key
                quotable = headline_source(kf, key) in ("published", "microdata")
                value = (
                    format_headline(kf.get(key), spec.headline_format)
                    if quotable
                    else headline_by_gender(kf, key) or NOT_PUBLISHED
                )
                not_fitting = kf.get(NOT_FITTING_KEY)
                if quotable and isinstance(not_fitting, list) and key in not_fitting:
                    value += NOT_FITTING_NOTE
                rows.append(
                    IndexRow(
                        year=y,
                        title=(
                            report_heading(folder / "executed" / f"{stem}.ipynb")
                            or f"{spec.title} {y}"
                        )
                        + (" (persondata)" if stem != name else ""),
                        stem=stem,
                        label=spec.headline_label,
                        value=value,
                        built_from=built_from(kf, spec, file),
                        pdf=(folder / f"{stem}.pdf").is_file(),
                    )
                )
    return rows


def write_index(out_dir: Path, specs: dict[str, ReportSpec]) -> Path:
    """``index.html``: one row per report in the folder (:func:`index_rows`), with its
    headline figure, what it was built from and its files; then the duty of each report.

    Laid out by the template ``render/templates/pages/index.html.j2``; every title, label,
    file name and value is escaped there.
    """
    page = render_page(
        "pages/index.html.j2",
        csp_meta=Markup(CSP_META),
        specs=list(specs.values()),
        rows=index_rows(out_dir, specs),
    )
    path = out_dir / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
