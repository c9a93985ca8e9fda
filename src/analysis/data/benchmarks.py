"""Published benchmark rates of sick leave, to compare IMDi with (e.g. the state administration).

The targets in ``sick_leave_targets.csv`` say IMDi's sick leave should be below the average of
the state administration ("gjennomsnittet for statlig forvaltning"), but no source document
gives that average as a number, and no number is invented here. A benchmark is read from
``data/raw/published/benchmarks_sick_leave.csv`` *if that file exists*; it is a published
table like the others, described (columns, types, code lists, key ``(year, benchmark, kind)``)
by its entry in ``catalogue.yaml``, which marks it ``optional``: the citation columns, the
source document in ``sources/`` holding each quote and one preferred row per key are checked
as for every published table. :func:`load_benchmark` returns an empty frame when the file is
absent or has no row for the year; the report then says so
(:func:`analysis.sickleave.texts.benchmark_statement`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.published import load_catalogue, load_published, read_published_file
from analysis.data.schema import Schema, empty_frame
from analysis.paths import published_dir

__all__ = ["BENCHMARK_FILE", "BENCHMARK_TABLE", "benchmark_schema", "load_benchmark"]

#: the catalogue's name of the benchmark table, and its file
BENCHMARK_TABLE = "benchmarks_sick_leave"
BENCHMARK_FILE = f"{BENCHMARK_TABLE}.csv"


def benchmark_schema(directory: Path | None = None) -> Schema:
    """The schema of the benchmark table, from the catalogue (``catalogue.yaml``)."""
    return load_catalogue(directory or published_dir())[BENCHMARK_TABLE].schema


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
        The benchmark file; default ``data/raw/published/benchmarks_sick_leave.csv``. Any
        file is validated with the catalogue's schema, its citations against ``sources/``
        next to it.
    year, kind, benchmark
        Keep only these rows.

    Returns
    -------
    pandas.DataFrame
        Preferred rows with the columns of :func:`benchmark_schema`; **empty** when the file
        does not exist or has no matching row — no benchmark is ever made up.

    Raises
    ------
    DataValidationError
        When the file exists but breaks the schema or its citations do not check out
        (document missing, quote not in it, not exactly one preferred row per year,
        benchmark and kind).
    """
    directory = published_dir()
    entry = load_catalogue(directory)[BENCHMARK_TABLE]
    p = directory / entry.file if path is None else Path(path)
    if not p.is_file():
        return empty_frame(entry.schema)
    if path is None:
        frame = load_published(BENCHMARK_TABLE, directory=directory)
    else:
        display = f"data/raw/published/{p.name}" if p.parent == directory else str(p)
        frame = read_published_file(p, entry, display)
    frame = frame.loc[frame["preferred"].fillna(False).astype(bool)]
    if year is not None:
        frame = frame.loc[frame["year"] == year]
    if kind is not None:
        frame = frame.loc[frame["kind"] == kind]
    if benchmark is not None:
        frame = frame.loc[frame["benchmark"] == benchmark]
    return frame[entry.schema.names].reset_index(drop=True)
