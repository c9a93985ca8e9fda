"""Person-level data for a report: the researcher's file, or the synthetic stand-in.

A report notebook asks for the HR data or the Jobbsjansen register of one year. With a path,
the file is read and validated (every problem listed at once) and must hold that year; a
file written by ``fou synth`` is recognised as synthetic. Without a path, synthetic data
calibrated to the published figures of that year (or the nearest year, which the note says)
are generated from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data import microdata, synthetic
from analysis.data.schema import DataValidationError, Problem


@dataclass(frozen=True)
class PersonData:
    """Person-level data for one report year and where they came from."""

    frame: pd.DataFrame
    data_source: str  # "microdata" or "synthetic"
    path: Path | None
    note: str | None
    calibration_year: int | None

    @property
    def synthetic(self) -> bool:
        return self.data_source == "synthetic"


def _no_data_for(file: object, column: str, year: int, message: str) -> DataValidationError:
    """The error for a file that holds nothing for the report year (``column`` is where the
    year is looked for)."""
    return DataValidationError([Problem(str(file), None, column, str(year), message)])


def _source_of(path: Path, frame: pd.DataFrame) -> str:
    return (
        "synthetic"
        if synthetic.is_synthetic(path) or synthetic.is_synthetic(frame)
        else "microdata"
    )


def hr_for_year(year: int, hr_data: str | Path | None = None, seed: int = 2025) -> PersonData:
    """HR rows of ``year`` from ``hr_data``, or synthetic HR data for the year.

    Raises
    ------
    DataValidationError
        If the file is invalid or has no rows for ``year``.
    """
    if hr_data:
        path = Path(hr_data)
        df = microdata.load_hr(path, display_name=str(hr_data))
        rows = df.loc[df["year"] == year].reset_index(drop=True)
        if rows.empty:
            years = ", ".join(str(int(y)) for y in sorted(df["year"].dropna().unique()))
            raise _no_data_for(
                hr_data, "year", year, f"filen har ingen rader for {year} (årene i filen: {years})"
            )
        return PersonData(rows, _source_of(path, df), path, None, None)
    res = synthetic.synth_hr(year, seed)
    return PersonData(res.frame, "synthetic", None, res.note, res.calibration_year)


def register_for_year(
    year: int, jobbsjansen_data: str | Path | None = None, seed: int = 2025
) -> PersonData:
    """The Jobbsjansen register (all spells) for exit year ``year``, or a synthetic one.

    A year in which spells were active but none ended gives a register without completers
    (the report says so).

    Raises
    ------
    DataValidationError
        If the file is invalid or no spell was active in ``year`` (started in or before it
        and not ended before it).
    """
    if jobbsjansen_data:
        path = Path(jobbsjansen_data)
        df = microdata.load_jobbsjansen(path, display_name=str(jobbsjansen_data))
        ended = df["end_date"].dropna()
        last = microdata.latest_plausible_year()
        if year > last:  # spells still open are "active" in every later year
            raise _no_data_for(
                jobbsjansen_data,
                "end_date",
                year,
                f"{year} er etter siste plausible år ({last}): det lages ingen rapport "
                "for et år som ikke har kommet",
            )
        active = (df["start_date"].dt.year <= year) & (
            df["end_date"].isna() | (df["end_date"].dt.year >= year)
        )
        if not active.any():
            years = ", ".join(str(y) for y in sorted(ended.dt.year.unique()))
            raise _no_data_for(
                jobbsjansen_data,
                "end_date",
                year,
                f"ingen forløp i programmet var aktive i {year} (sluttår i filen: "
                f"{years or 'ingen'})",
            )
        return PersonData(df, _source_of(path, df), path, None, None)
    res = synthetic.synth_jobbsjansen(year, seed)
    return PersonData(res.frame, "synthetic", None, res.note, res.calibration_year)
