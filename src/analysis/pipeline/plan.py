"""The jobs of a run: which report notebooks to build for which years, with which parameters.

Without ``--year``, a report is built for every year its data cover: the years in the
researcher's person-level file when one is given, else the years with published figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.pipeline.specs import ReportSpec, load_report_specs

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Job:
    """One notebook for one year, with its parameters."""

    notebook: str
    year: int
    parameters: dict[str, Any] = field(default_factory=dict, hash=False)
    # parameter name -> absolute path of a person-level file; the parameter itself holds only
    # the file name (see :func:`analysis.pipeline.execute.stage_inputs`)
    inputs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def label(self) -> str:
        """``<notebook> <year>``, as progress and error messages name the job."""
        return f"{self.notebook} {self.year}"


def published_years(spec: ReportSpec) -> list[int]:
    """Years for which the published tables have figures for this report.

    The rule is the report's ``years_with_data`` entry in ``reports.yaml``
    (:class:`~analysis.pipeline.specs.YearsRule`): the distinct years of the preferred rows of
    its table that pass its filters. A report without the entry has no published years.

    Raises
    ------
    DataValidationError
        The rule names a table or a column the published catalogue does not have.
    """
    rule = spec.years_with_data
    if rule is None:
        return []
    import pandas as pd

    from analysis.data.published import load_catalogue, load_published

    where = f"reports.{spec.name}.years_with_data"
    catalogue = load_catalogue()
    if rule.table not in catalogue:
        raise _rule_error(
            spec, f"{where}.table", rule.table, f"no published table; known: {', '.join(catalogue)}"
        )
    frame = load_published(rule.table, preferred_only=True)
    columns = [rule.year_column, *(c for c, _ in rule.include + rule.exclude), *rule.present]
    for column in columns:
        if column not in frame.columns:
            raise _rule_error(spec, where, column, f"no column of the table {rule.table}")
    keep = pd.Series(True, index=frame.index)
    for column, values in rule.include:
        keep &= frame[column].isin(_as_column_values(frame[column], values)).fillna(False)
    for column, values in rule.exclude:
        keep &= ~frame[column].isin(_as_column_values(frame[column], values)).fillna(False)
    for column in rule.present:
        keep &= frame[column].notna()
    years = frame.loc[keep.astype(bool), rule.year_column].dropna()
    return sorted({int(y) for y in years})


def _as_column_values(column: pd.Series, values: tuple[Any, ...]) -> list[Any]:
    """The values of a filter as the column holds them: text for a text column (YAML reads
    ``2024`` as a number and ``no`` as a truth value)."""
    from pandas.api.types import is_string_dtype

    if is_string_dtype(column.dtype):
        return [str(v) for v in values]
    return list(values)


def _rule_error(spec: ReportSpec, key: str, value: str, message: str) -> Exception:
    from analysis.data.errors import DataValidationError, Problem
    from analysis.pipeline.specs import REPORTS_FILE, display_name

    file = display_name(Path(spec.directory or ".") / REPORTS_FILE)
    return DataValidationError([Problem(file, None, key, value, message)])


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
        data_path = {"hr": hr_data, "jobbsjansen": jobbsjansen_data}[spec.data]
        if years:
            ys = sorted(set(years))
        elif data_path:  # the researcher's file decides which years to report
            ys = microdata_years(spec.data, data_path)
        else:
            ys = published_years(spec)
        key = spec.data_parameter
        for y in ys:
            params: dict[str, Any] = {"year": int(y), "min_cell": int(min_cell), "seed": int(seed)}
            params[key] = Path(data_path).name if data_path else None
            inputs = {key: str(Path(data_path).resolve())} if data_path else {}
            jobs.append(Job(name, int(y), params, inputs))
    return jobs
