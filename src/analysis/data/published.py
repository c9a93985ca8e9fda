"""The figures IMDi has published, transcribed into ``data/raw/published/*.csv``.

Each CSV holds figures exactly as published, one row per published number or table row, and
every row cites its source: ``source_document`` (a file in ``data/raw/published/sources/``),
``source_section`` (table or section), ``source_quote`` (a verbatim fragment of the source
text containing the number) and ``note``. When the same quantity is published more than once
(in a table and in the text, or in two reports), each occurrence is a row, and exactly one
per key has ``preferred = true``: the one the analyses use.

``catalogue.yaml`` in the same directory describes every file and column (type, unit, code
list, range); the schemas used to validate the files are built from it, so the catalogue is
the single source of truth for the structure of the published data. A table marked
``optional: true`` (e.g. the sick-leave benchmarks no source gives yet) may be absent; when
its file is there it is validated like the others.

The reports read the tables through their typed copies in ``data/processed/``
(:func:`load_published`, :mod:`analysis.data.processed`), rebuilt from these files whenever
they change; :func:`read_published` reads and validates a CSV file itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis.data.readers import read_csv_text
from analysis.data.schema import (
    Column,
    DataValidationError,
    Problem,
    ProblemCollector,
    Schema,
    validate,
)
from analysis.paths import published_dir

CATALOGUE_FILE = "catalogue.yaml"

#: titles of the source documents in ``sources/``, for citations in the reports
SOURCE_TITLES: dict[str, str] = {
    "000_d1bd28d31f4191f0.txt": "IMDi, Likestillingsredegjørelse 2025",
    "001_8a3baf08903e064b.txt": "IMDi, Likestillingsutgreiing 2024",
    "002_6a2a64de500c0d5d.txt": "IMDi, presentasjon om rekruttering 2008",
    "003_afb06a9e0419b34b.txt": "IMDi, Årsrapport 2014",
    "004_21c8107cd1fb065f.txt": "Arbeids- og inkluderingsdepartementet, Tildelingsbrev til "
    "IMDi 2023",
}


def source_title(document: object) -> str:
    """The title of a source document (its file name if unknown)."""
    return SOURCE_TITLES.get(str(document), str(document))


#: columns every published table ends with
CITATION_COLUMNS: tuple[Column, ...] = (
    Column("source_document", "str", description="file name of the source document in sources/"),
    Column("source_section", "str", description="table, figure or section of the source"),
    Column("source_quote", "str", description="verbatim fragment of the source holding the figure"),
    Column("note", "str", nullable=True, description="remarks: rounding, OCR, inconsistencies"),
    Column("preferred", "bool", description="the occurrence the analyses use (one per key)"),
)


@dataclass(frozen=True)
class TableEntry:
    """One file of the catalogue."""

    file: str
    name: str
    title: str
    description: str
    key: tuple[str, ...]
    schema: Schema
    raw: dict[str, Any]
    #: the file may be absent (nothing published yet); present, it is validated as usual
    optional: bool = False


def _column_from_yaml(name: str, spec: dict[str, Any], key: tuple[str, ...]) -> Column:
    dtype = spec.get("type", "str")
    if dtype not in {"int", "float", "str", "bool", "date"}:
        raise ValueError(
            f"katalogen: kolonnen {name!r} har ukjent type {dtype!r} "
            "(bruk int, float, str, bool eller date)"
        )
    allowed = spec.get("allowed")
    numeric = dtype in ("int", "float")
    return Column(
        name=name,
        dtype=dtype,
        required=spec.get("required", True),
        nullable=spec.get("nullable", name not in key),
        allowed=tuple(str(a) for a in allowed) if allowed is not None else None,
        # published figures are counts, amounts and shares: never negative unless stated
        min=spec.get("min", 0 if numeric else None),
        max=spec.get("max"),
        description=str(spec.get("description", "")),
        unit=str(spec.get("unit", "")),
    )


def parse_catalogue(doc: dict[str, Any]) -> dict[str, TableEntry]:
    """Build the table entries and schemas from the parsed ``catalogue.yaml``."""
    files = doc.get("files", [])
    items = files.items() if isinstance(files, dict) else [(f["file"], f) for f in files]
    out: dict[str, TableEntry] = {}
    citation_names = {c.name for c in CITATION_COLUMNS}
    for file, spec in items:
        spec = {**spec, "file": file}
        key = tuple(spec.get("key", ()))
        cols = [
            _column_from_yaml(n, s or {}, key)
            for n, s in (spec.get("columns") or {}).items()
            if n not in citation_names
        ]
        cols.extend(CITATION_COLUMNS)
        name = Path(file).stem
        schema = Schema(
            name=name,
            columns=tuple(cols),
            allow_extra_columns=False,
            description=str(spec.get("description", "")),
            describe_missing=False,  # the catalogue's descriptions are English documentation
        )
        out[name] = TableEntry(
            file=file,
            name=name,
            title=str(spec.get("title", name)),
            description=str(spec.get("description", "")),
            key=key,
            schema=schema,
            raw=spec,
            optional=bool(spec.get("optional", False)),
        )
    return out


@cache
def _catalogue_cached(path: str, mtime: float) -> dict[str, TableEntry]:
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise DataValidationError(
            [Problem(path, row, None, None, f"katalogen er ikke gyldig YAML (detaljer: {e})")]
        ) from e
    except OSError as e:
        raise DataValidationError(
            [Problem(path, None, None, None, f"katalogen kan ikke leses (detaljer: {e})")]
        ) from e
    try:
        return parse_catalogue(doc)
    except (KeyError, TypeError, ValueError) as e:
        raise DataValidationError(
            [Problem(path, None, None, None, f"katalogen har feil oppbygning (detaljer: {e})")]
        ) from e


def load_catalogue(directory: Path | None = None) -> dict[str, TableEntry]:
    """The catalogue of published tables, by table name (file name without ``.csv``)."""
    path = (directory or published_dir()) / CATALOGUE_FILE
    if not path.is_file():
        raise DataValidationError(
            [Problem(str(path), None, None, None, "katalogen over publiserte tabeller mangler")]
        )
    return _catalogue_cached(str(path), path.stat().st_mtime)


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def _source_text(path: str, mtime: float) -> str:
    return _collapse(Path(path).read_text(encoding="utf-8"))


def citation_problems(
    frame: pd.DataFrame, entry: TableEntry, file: str, rows: list[int], directory: Path
) -> list[Problem]:
    """Check the citations of a validated table.

    Every ``source_document`` must exist in ``sources/``, every ``source_quote`` must occur
    in it (whitespace collapsed), and exactly one row per key must be ``preferred``.
    """
    problems: list[Problem] = []
    sources = directory / "sources"
    for pos, (doc, quote) in enumerate(
        zip(frame["source_document"], frame["source_quote"], strict=True)
    ):
        path = sources / str(doc)
        if not path.is_file():
            problems.append(
                Problem(
                    file,
                    rows[pos],
                    "source_document",
                    str(doc),
                    "dokumentet finnes ikke i data/raw/published/sources/",
                )
            )
            continue
        if _collapse(str(quote)) not in _source_text(str(path), path.stat().st_mtime):
            problems.append(
                Problem(
                    file,
                    rows[pos],
                    "source_quote",
                    str(quote),
                    f"sitatet finnes ikke i kildedokumentet {doc} (forventet et ordrett utdrag)",
                )
            )
    if entry.key:
        groups = frame.groupby(list(entry.key), dropna=False, sort=False)
        for k, idx in groups.indices.items():
            k = k if isinstance(k, tuple) else (k,)
            n_pref = int(frame["preferred"].iloc[idx].fillna(False).sum())
            if n_pref != 1:
                shown = ", ".join(f"{n}={v}" for n, v in zip(entry.key, k, strict=True))
                problems.append(
                    Problem(
                        file,
                        rows[idx[0]],
                        "preferred",
                        shown,
                        f"{n_pref} rader med preferred=true for denne nøkkelen; nøyaktig én er "
                        "påkrevd",
                    )
                )
    return problems


def load_published(
    name: str, *, directory: Path | None = None, preferred_only: bool = False
) -> pd.DataFrame:
    """Load one published table, validated and typed.

    Parameters
    ----------
    name
        Table name, e.g. ``"pay_by_job_group"`` (the file name without ``.csv``).
    directory
        Directory holding the CSV files and ``catalogue.yaml``. Default: the project's
        ``data/raw/published``, read through its typed copy ``data/processed/<name>.parquet``
        (rebuilt first when stale, :mod:`analysis.data.processed`), which holds exactly the
        frame :func:`read_published` gives. A directory given is read and validated directly.
    preferred_only
        Keep only the rows marked ``preferred`` (one per key), without the citation columns'
        duplicates.

    Returns
    -------
    pandas.DataFrame
        Typed columns as declared in the catalogue, then the citation columns.

    Raises
    ------
    DataValidationError
        Listing every problem with file, row, column and value.
    """
    if directory is None:
        from analysis.data.processed import load_processed

        frame = load_processed(name)
    else:
        frame = read_published(name, directory)
    if preferred_only:
        frame = frame.loc[frame["preferred"].fillna(False).astype(bool)].reset_index(drop=True)
    return frame


def read_published(name: str, directory: Path | None = None) -> pd.DataFrame:
    """Read and validate one published table from its CSV file (every row).

    Parameters
    ----------
    name
        Table name (the file name without ``.csv``).
    directory
        Directory holding the CSV files and ``catalogue.yaml``; default ``data/raw/published``.

    Raises
    ------
    DataValidationError
        Listing every problem with file, row, column and value.
    """
    directory = directory or published_dir()
    catalogue = load_catalogue(directory)
    if name not in catalogue:
        raise KeyError(
            f"ingen publisert tabell {name!r}; kjente tabeller: {', '.join(sorted(catalogue))}"
        )
    entry = catalogue[name]
    return read_published_file(directory / entry.file, entry, f"data/raw/published/{entry.file}")


def published_decimals(
    name: str, column: str, *, directory: Path | None = None
) -> dict[tuple[Any, ...], int]:
    """Decimals each preferred value of ``column`` was transcribed with, by the table's key.

    ``7.30`` has two, ``6.8`` one: the floats of the typed table have lost trailing zeros, and
    a report that shows a figure "as published" needs them back. Key values are typed as the
    catalogue declares them (``int`` for a year, else text).
    """
    directory = directory or published_dir()
    entry = load_catalogue(directory)[name]
    raw = pd.read_csv(directory / entry.file, dtype=str, keep_default_na=False)
    raw = raw.loc[raw["preferred"].str.strip().str.lower() == "true"]
    dtypes = {c.name: c.dtype for c in entry.schema.columns}
    out: dict[tuple[Any, ...], int] = {}
    for r in raw.to_dict("records"):
        key = tuple(int(r[k]) if dtypes[k] == "int" else str(r[k]) for k in entry.key)
        text = str(r[column]).strip()
        out[key] = len(text.split(".")[1]) if "." in text else 0
    return out


def read_published_file(path: Path, entry: TableEntry, display: str) -> pd.DataFrame:
    """Read and validate one file as the catalogue entry ``entry`` describes it.

    ``display`` names the file in problem messages; the source documents of the citations
    are looked up in ``sources/`` next to the file.

    Raises
    ------
    DataValidationError
        Listing every problem with file, row, column and value.
    """
    raw = read_csv_text(path, display_name=display, decimal=".")
    if raw.delimiter != ",":
        raise DataValidationError(
            [Problem(display, 1, None, None, "publiserte tabeller må være kommaseparerte")]
        )
    frame = validate(raw.frame, entry.schema, display, decimal=".", row_numbers=raw.row_numbers)
    problems = citation_problems(frame, entry, display, raw.row_numbers, path.parent)
    if problems:
        raise DataValidationError(problems)
    return frame


def load_all_published(directory: Path | None = None) -> dict[str, pd.DataFrame]:
    """Load and validate every table in the catalogue; all problems are raised together.

    An optional table whose file is absent is left out.
    """
    directory = directory or published_dir()
    collector = ProblemCollector()
    out: dict[str, pd.DataFrame] = {}
    for name, entry in load_catalogue(directory).items():
        if entry.optional and not (directory / entry.file).is_file():
            continue
        frame = collector.run(lambda n=name: read_published(n, directory))
        if frame is not None:
            out[name] = frame
    collector.raise_if_any()
    return out


def catalogue_markdown(directory: Path | None = None) -> str:
    """``data/raw/published/README.md``: the catalogue as a readable page (generated).

    ``fou data catalogue`` writes it; a test fails when it is out of date.
    """
    directory = directory or published_dir()
    cat = load_catalogue(directory)
    lines = [
        "# Publiserte tall / published figures",
        "",
        "<!-- generated from catalogue.yaml by `fou data catalogue`; do not edit by hand -->",
        "",
        "Tall IMDi har publisert, transkribert **nøyaktig som publisert** fra kildedokumentene i",
        "`sources/` (tekst hentet ut av PDF-ene). Hver rad siterer dokument, tabell/avsnitt og",
        "et ordrett utdrag (`source_quote`) som testene finner igjen i kildeteksten. Når samme",
        "tall er publisert flere steder, er hver forekomst en rad, og nøyaktig én per nøkkel er",
        "merket `preferred = true` (den analysene bruker). Råfilene endres aldri av kode.",
        "",
        "Figures IMDi has published, transcribed exactly as published, one row per published",
        "number or table row, each row citing its source. `catalogue.yaml` is the machine-read",
        "definition (types, units, code lists); this page is generated from it.",
        "",
        "Kilder / sources: `000` likestillingsredegjørelse 2025, `001` likestillingsutgreiing",
        "2024 (nynorsk, med tall for 2023), `002` presentasjon om rekruttering 2008, `003`",
        "årsrapport 2014, `004` tildelingsbrev 2023.",
        "",
    ]
    for entry in cat.values():
        lines += [
            f"## `{entry.file}` — {entry.title}",
            "",
            entry.description,
            "",
            f"Key: {', '.join(f'`{k}`' for k in entry.key) or '–'}."
            + (" Optional: the file may be absent." if entry.optional else ""),
            "",
            "| column | type | unit | description |",
            "| --- | --- | --- | --- |",
        ]
        for col in entry.schema.columns:
            desc = col.description.replace("|", "\\|").replace("\n", " ")
            if col.allowed:
                desc += " Codes: " + ", ".join(f"`{a}`" for a in col.allowed) + "."
            lines.append(f"| `{col.name}` | {col.dtype} | {col.unit or ''} | {desc} |")
        lines.append("")
    return "\n".join(lines)
