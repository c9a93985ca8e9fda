"""Published benchmark rates of sick leave, to compare IMDi with (e.g. the state administration).

The targets in ``sick_leave_targets.csv`` say IMDi's sick leave should be below the average of
the state administration ("gjennomsnittet for statlig forvaltning"), but no source document
gives that average as a number, and no number is invented here. A benchmark is read from
``data/raw/published/benchmarks_sick_leave.csv`` *if that file exists*; it must be a published
table like the others, with the columns

``year``            int, year the benchmark rate refers to
``benchmark``       str, what it is, e.g. ``statlig forvaltning``
``kind``            ``legemeldt``, ``egenmeldt`` or ``totalt``
``rate_pct``        float, the benchmark rate in per cent, as published
``source_document``, ``source_section``, ``source_quote``, ``note``, ``preferred``
                    the citation columns of every published table (the source document must be
                    in ``sources/`` and contain the quote; one preferred row per key
                    ``(year, benchmark, kind)``)

and an entry in ``catalogue.yaml``. :func:`load_benchmark` validates it with the schema
engine and returns an empty frame when the file is absent or has no row for the year; the
report then says so (:func:`analysis.sickleave.texts.benchmark_statement`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.codes import SICK_LEAVE_KINDS
from analysis.data.published import (
    CITATION_COLUMNS,
    TableEntry,
    citation_problems,
    load_catalogue,
    load_published,
)
from analysis.data.readers import read_csv_text
from analysis.data.schema import Column, DataValidationError, Problem, Schema, validate
from analysis.paths import published_dir

__all__ = ["BENCHMARK_COLUMNS", "BENCHMARK_FILE", "BENCHMARK_SCHEMA", "load_benchmark"]

BENCHMARK_FILE = "benchmarks_sick_leave.csv"
BENCHMARK_KEY: tuple[str, ...] = ("year", "benchmark", "kind")
BENCHMARK_SCHEMA = Schema(
    name="benchmarks_sick_leave",
    description="Published sick-leave rates to compare IMDi with (e.g. the state administration)",
    columns=(
        Column(
            "year",
            "int",
            min=2000,
            max=2100,
            unit="year",
            description="year the benchmark rate refers to",
        ),
        Column("benchmark", "str", description="what the rate is for, e.g. 'statlig forvaltning'"),
        Column(
            "kind",
            "str",
            allowed=SICK_LEAVE_KINDS,
            description="legemeldt = doctor-certified, egenmeldt = self-certified, totalt = both",
        ),
        Column(
            "rate_pct",
            "float",
            min=0,
            max=100,
            unit="pct",
            description="the benchmark sick-leave rate in per cent, as published",
        ),
        *CITATION_COLUMNS,
    ),
    allow_extra_columns=False,
)
BENCHMARK_COLUMNS = BENCHMARK_SCHEMA.names


def _empty_benchmark() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": pd.Series(dtype="Int64"),
            "benchmark": pd.Series(dtype="string"),
            "kind": pd.Series(dtype="string"),
            "rate_pct": pd.Series(dtype=float),
            "source_document": pd.Series(dtype="string"),
            "source_section": pd.Series(dtype="string"),
            "source_quote": pd.Series(dtype="string"),
            "note": pd.Series(dtype="string"),
            "preferred": pd.Series(dtype="boolean"),
        }
    )


def _read_benchmark(path: Path) -> pd.DataFrame:
    display = f"data/raw/published/{path.name}" if path.parent == published_dir() else str(path)
    raw = read_csv_text(path, display_name=display, decimal=".")
    if raw.delimiter != ",":
        raise DataValidationError(
            [Problem(display, 1, None, None, "published tables must be comma-separated")]
        )
    frame = validate(raw.frame, BENCHMARK_SCHEMA, display, decimal=".", row_numbers=raw.row_numbers)
    entry = TableEntry(
        file=path.name,
        name=BENCHMARK_SCHEMA.name,
        title="Sick-leave benchmarks",
        description=BENCHMARK_SCHEMA.description,
        key=BENCHMARK_KEY,
        schema=BENCHMARK_SCHEMA,
        raw={},
    )
    problems = citation_problems(frame, entry, display, raw.row_numbers, path.parent)
    if problems:
        raise DataValidationError(problems)
    return frame


def load_benchmark(
    path: Path | str | None = None,
    *,
    year: int | None = None,
    kind: str | None = None,
    benchmark: str | None = None,
) -> pd.DataFrame:
    """Published benchmark rates (e.g. the state administration's average), if any.

    Parameters
    ----------
    path
        The benchmark file; default ``data/raw/published/benchmarks_sick_leave.csv`` (loaded
        through the catalogue when it has an entry for it).
    year, kind, benchmark
        Keep only these rows.

    Returns
    -------
    pandas.DataFrame
        Preferred rows with :data:`BENCHMARK_COLUMNS`; **empty** when the file does not exist
        or has no matching row — no benchmark is ever made up.

    Raises
    ------
    DataValidationError
        When the file exists but breaks the schema (format in the module docstring) or its
        citations do not check out (document missing, quote not in it, not exactly one
        preferred row per year, benchmark and kind).
    """
    if path is None:
        directory = published_dir()
        p = directory / BENCHMARK_FILE
        if not p.is_file():
            return _empty_benchmark()
        if BENCHMARK_SCHEMA.name in load_catalogue(directory):
            frame = load_published(BENCHMARK_SCHEMA.name, directory=directory)
        else:
            frame = _read_benchmark(p)
    else:
        p = Path(path)
        if not p.is_file():
            return _empty_benchmark()
        frame = _read_benchmark(p)
    frame = frame.loc[frame["preferred"].fillna(False).astype(bool)]
    if year is not None:
        frame = frame.loc[frame["year"] == year]
    if kind is not None:
        frame = frame.loc[frame["kind"] == kind]
    if benchmark is not None:
        frame = frame.loc[frame["benchmark"] == benchmark]
    return frame[BENCHMARK_COLUMNS].reset_index(drop=True)
