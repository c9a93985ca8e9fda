"""The report catalogue: ``notebooks/reports.yaml``, one entry per report notebook.

Each entry names the notebook (its key), the title, the duty or assignment the report serves,
the source document of that duty, the headline figure shown on the index page, the kind of
person-level data the notebook reads and which years have published figures for it. A new
report needs an entry here, its notebook and its domain package; nothing in the pipeline
names a report. The keys are documented in ``docs/pipeline.md``.

A malformed entry is an input error: :class:`~analysis.data.errors.DataValidationError`
naming the file, the line, the key and the value (``fou`` exits with status 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from analysis.data.errors import DataValidationError, Problem
from analysis.paths import notebooks_dir, project_root

REPORTS_FILE = "reports.yaml"

#: the kinds of person-level data a notebook may read (``data:``), and the notebook parameter
#: that receives the file name (``fou run --hr-data`` / ``--jobbsjansen-data``)
DATA_PARAMETERS = {"hr": "hr_data", "jobbsjansen": "jobbsjansen_data"}

#: a report's name is its notebook's file name and part of every output path and link
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")

_REPORT_KEYS = {
    "title",
    "duty",
    "source",
    "headline",
    "data",
    "years_with_data",
    "publication_date",
    "domain",
}
_REQUIRED_KEYS = {"title", "duty", "source", "headline", "data"}
_HEADLINE_KEYS = {"key", "label", "format"}
_YEARS_KEYS = {"table", "year_column", "include", "exclude", "present"}
_HEADLINE_FORMAT = re.compile(r"number|pct\d*|share\d*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_publication_date(value: object) -> str:
    """A publication date as ``ÅÅÅÅ-MM-DD`` (ISO 8601, a real calendar day) → the same text.

    The one form accepted everywhere (``fou run --publication-date``, ``publication_date`` in
    ``reports.yaml``): no week dates, no ``20260301``, no time of day.

    Raises
    ------
    ValueError
        With a bokmål message naming the value.
    """
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"{text!r} er ingen dato som finnes i kalenderen") from None
    raise ValueError(f"publiseringsdatoen må skrives ÅÅÅÅ-MM-DD, f.eks. 2026-03-01 (fikk {text!r})")


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates: ``2026-02-30`` stays text, so that a bad date is reported
    with its line instead of failing inside the YAML reader."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YearsRule:
    """Which years have published figures for a report: the years of the preferred rows of
    a published table that pass the filters.

    ``include`` keeps rows whose column holds one of the values, ``exclude`` drops them,
    ``present`` keeps rows where each column has a value; the years are the distinct
    non-missing values of ``year_column``.
    """

    table: str
    year_column: str = "year"
    include: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    exclude: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    present: tuple[str, ...] = ()


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
    data: str  # a key of DATA_PARAMETERS: which person-level data the notebook uses
    directory: str = ""  # directory of the notebook (default notebooks/)
    years_with_data: YearsRule | None = None  # None: no published figures to report on
    publication_date: str | None = None  # ÅÅÅÅ-MM-DD; fou run --publication-date wins
    #: the domain package (``src/analysis/<domain>/``) whose ``parameters`` module checks the
    #: notebook's analysis parameters (``fou run --param``); None: no checks beyond the name
    domain: str | None = None

    @property
    def notebook(self) -> Path:
        """The notebook file (``<directory>/<name>.ipynb``)."""
        return Path(self.directory or notebooks_dir()) / f"{self.name}.ipynb"

    @property
    def data_parameter(self) -> str:
        """The notebook parameter that receives the person-level file's name."""
        return DATA_PARAMETERS[self.data]


def display_name(path: Path) -> str:
    """How messages name the catalogue: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(path)


class _Catalogue:
    """Reads one ``reports.yaml``, collecting every problem with its line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.display = display_name(path)
        self.problems: list[Problem] = []
        try:
            self.doc = yaml.load(text, Loader=_Loader)  # a SafeLoader
            self.root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            row = mark.line + 1 if mark is not None else None
            raise DataValidationError(
                [Problem(self.display, row, None, None, f"ikke gyldig YAML (detaljer: {e})")]
            ) from e

    def line(self, *keys: str) -> int | None:
        """The line of the entry at ``keys`` (or of its nearest parent found)."""
        node, line = self.root, None
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            pair = next(((k, v) for k, v in node.value if k.value == key), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        return line

    def problem(self, keys: tuple[str, ...], value: Any, message: str) -> None:
        shown = None if value is None else str(value)
        self.problems.append(
            Problem(self.display, self.line(*keys), ".".join(keys) or None, shown, message)
        )

    def mapping(self, value: Any, keys: tuple[str, ...], allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(keys, value, "must be a mapping of keys to values")
            return {}
        for k in sorted(set(value) - allowed, key=str):
            self.problem((*keys, str(k)), None, f"unknown key; known: {', '.join(sorted(allowed))}")
        return value

    def text(self, value: Any, keys: tuple[str, ...]) -> str:
        if not isinstance(value, str) or not value.strip():
            self.problem(keys, value, "must be a non-empty text")
            return ""
        return value

    def filters(self, value: Any, keys: tuple[str, ...]) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problem(keys, value, "must map column names to a list of values")
            return ()
        out = []
        for column, values in value.items():
            vals = values if isinstance(values, list) else [values]
            if not vals or any(isinstance(v, (dict, list)) or v is None for v in vals):
                self.problem((*keys, str(column)), values, "must be a value or a list of values")
                continue
            out.append((str(column), tuple(vals)))
        return tuple(out)

    def years_rule(self, value: Any, keys: tuple[str, ...]) -> YearsRule | None:
        if value is None:
            return None
        value = self.mapping(value, keys, _YEARS_KEYS)
        if not value:
            return None
        present = value.get("present") or []
        if not isinstance(present, list) or not all(isinstance(c, str) for c in present):
            self.problem((*keys, "present"), present, "must be a list of column names")
            present = []
        return YearsRule(
            table=self.text(value.get("table"), (*keys, "table")),
            year_column=self.text(value.get("year_column", "year"), (*keys, "year_column")),
            include=self.filters(value.get("include"), (*keys, "include")),
            exclude=self.filters(value.get("exclude"), (*keys, "exclude")),
            present=tuple(present),
        )

    def spec(self, name: Any, s: Any) -> ReportSpec | None:
        keys = ("reports", str(name))
        if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
            self.problem(
                keys,
                name,
                "a report name is lower-case letters, digits and _ (the notebook's file name)",
            )
            return None
        s = self.mapping(s, keys, _REPORT_KEYS)
        for k in sorted(_REQUIRED_KEYS - set(s)):
            self.problem((*keys, k), None, "is missing")
        if not s or _REQUIRED_KEYS - set(s):
            return None
        h = self.mapping(s["headline"], (*keys, "headline"), _HEADLINE_KEYS)
        fmt = h.get("format", "number")
        if not isinstance(fmt, str) or not _HEADLINE_FORMAT.fullmatch(fmt):
            self.problem((*keys, "headline", "format"), fmt, "must be number, pct<d> or share<d>")
        if s["data"] not in DATA_PARAMETERS:
            self.problem((*keys, "data"), s["data"], f"must be one of {', '.join(DATA_PARAMETERS)}")
        domain = s.get("domain")
        if domain is not None and (
            not isinstance(domain, str) or not NAME_PATTERN.fullmatch(domain)
        ):
            self.problem(
                (*keys, "domain"), domain, "must be the name of a package in src/analysis/"
            )
            domain = None
        published_on = s.get("publication_date")
        if published_on is not None:
            try:
                published_on = check_publication_date(published_on)
            except ValueError as e:
                self.problem((*keys, "publication_date"), published_on, str(e))
                published_on = None
        return ReportSpec(
            name,
            self.text(s["title"], (*keys, "title")),
            " ".join(self.text(s["duty"], (*keys, "duty")).split()),
            self.text(s["source"], (*keys, "source")),
            self.text(h.get("key"), (*keys, "headline", "key")),
            self.text(h.get("label"), (*keys, "headline", "label")),
            str(fmt),
            str(s["data"]),
            str(self.path.parent.resolve()),
            self.years_rule(s.get("years_with_data"), (*keys, "years_with_data")),
            published_on,
            domain,
        )


def load_report_specs(path: Path | None = None) -> dict[str, ReportSpec]:
    """The reports listed in ``notebooks/reports.yaml``, in file order.

    Parameters
    ----------
    path
        The catalogue file; default ``notebooks/reports.yaml``. Notebooks are looked up in
        the same folder.

    Returns
    -------
    dict
        Report name → :class:`ReportSpec`.

    Raises
    ------
    DataValidationError
        Listing every problem of the file: its line, the key and the value.
    """
    path = path or notebooks_dir() / REPORTS_FILE
    cat = _Catalogue(path, path.read_text(encoding="utf-8"))
    reports = cat.mapping(cat.doc, (), {"reports"}).get("reports")
    if not isinstance(reports, dict) or not reports:
        cat.problem(("reports",), None, "must list at least one report")
        reports = {}
    out = {}
    for name, s in reports.items():
        spec = cat.spec(name, s)
        if spec is not None:
            out[spec.name] = spec
    if cat.problems:
        raise DataValidationError(cat.problems)
    return out
