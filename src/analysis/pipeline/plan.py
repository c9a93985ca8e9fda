"""The jobs of a run: which report notebooks to build for which years, with which parameters.

Without ``--year``, a report is built for every year its data cover: the years in the
researcher's person-level file when one is given, else the years with published figures.

A report built from real person-level data is written under its own name,
``<year>/<name>-persondata.*`` (:data:`REAL_DATA_VARIANT`), beside the report built without
them (``<year>/<name>.*``, published figures and synthetic illustrations): a later run without
the data (``make reports``) never overwrites it, and ``index.html`` lists both, each with what
it was built from. A file that ``fou synth`` wrote (or whose ids are all synthetic) is not
real data: its report takes the ordinary name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.pipeline.specs import ReportSpec, load_report_specs

if TYPE_CHECKING:
    import pandas as pd


#: the suffix of the outputs of a report built from real person-level data
REAL_DATA_VARIANT = "persondata"


class UnknownReportError(ValueError):
    """``--notebook`` names a report that notebooks/reports.yaml does not list (exit 2)."""


@dataclass(frozen=True)
class Job:
    """One notebook for one year, with its parameters."""

    notebook: str
    year: int
    parameters: dict[str, Any] = field(default_factory=dict, hash=False)
    # parameter name -> absolute path of a person-level file; the parameter itself holds only
    # the file name (see :func:`analysis.pipeline.execute.stage_inputs`)
    inputs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # "" or REAL_DATA_VARIANT: which of a report's two sets of outputs the job writes
    variant: str = ""

    @property
    def output(self) -> str:
        """The file stem of the job's outputs: ``<notebook>`` or ``<notebook>-persondata``
        (report names never hold a hyphen, so the two cannot collide)."""
        return f"{self.notebook}-{self.variant}" if self.variant else self.notebook

    @property
    def ident(self) -> str:
        """``<year>/<output>``: the job's entry in the cache of an output folder."""
        return f"{self.year}/{self.output}"

    @property
    def label(self) -> str:
        """``<notebook> <year>`` (``… (persondata)`` for real data), as progress and error
        messages name the job."""
        return f"{self.notebook} {self.year}" + (f" ({self.variant})" if self.variant else "")


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
            spec,
            f"{where}.table",
            rule.table,
            f"ingen publisert tabell med dette navnet; kjente: {', '.join(catalogue)}",
        )
    frame = load_published(rule.table, preferred_only=True)
    columns = [rule.year_column, *(c for c, _ in rule.include + rule.exclude), *rule.present]
    for column in columns:
        if column not in frame.columns:
            raise _rule_error(spec, where, column, f"ingen kolonne i tabellen {rule.table}")
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


def output_variant(path: str | None) -> str:
    """``""`` without a person-level file or for a synthetic one (written by ``fou synth``, or
    every id synthetic: the rule the notebooks use), else :data:`REAL_DATA_VARIANT`."""
    if not path:
        return ""
    from analysis.data import synthetic

    return "" if synthetic.is_synthetic(Path(path)) else REAL_DATA_VARIANT


def check_publication_dates(
    jobs: Sequence[Job], specs: dict[str, ReportSpec], from_command_line: bool
) -> None:
    """A report cannot be published before its statistics year: refuse such a date.

    Raises
    ------
    DataValidationError
        Naming the report, the year and the date.
    """
    from analysis.data.errors import DataValidationError, Problem
    from analysis.pipeline.specs import REPORTS_FILE, display_name

    problems = []
    for job in jobs:
        day = job.parameters.get("publication_date")
        if not day or int(day[:4]) >= job.year:
            continue
        spec = specs[job.notebook]
        file, key = "--publication-date", None
        if not from_command_line:  # the date came from the catalogue
            file = display_name(Path(spec.directory or ".") / REPORTS_FILE)
            key = f"reports.{job.notebook}.publication_date"
        problems.append(
            Problem(
                file,
                None,
                key,
                day,
                f"{job.label}: publiseringsdatoen er før statistikkåret {job.year}",
            )
        )
    if problems:
        raise DataValidationError(problems)


def plan(
    *,
    years: Sequence[int] = (),
    notebooks: Sequence[str] = (),
    hr_data: str | None = None,
    jobbsjansen_data: str | None = None,
    min_cell: int | None = None,
    seed: int = 2025,
    publication_date: str | None = None,
    specs: dict[str, ReportSpec] | None = None,
    params: Mapping[str, Any] | None = None,
) -> list[Job]:
    """The jobs to run: each notebook × each requested year.

    Without ``years``: for a notebook whose person-level file is given, the years in that
    file (HR: ``year``; register: exit years); otherwise the years with published figures.

    ``publication_date`` (``ÅÅÅÅ-MM-DD``, ``fou run --publication-date``) is given to every
    notebook as the parameter ``publication_date``; without it, a report's own
    ``publication_date`` in ``reports.yaml``, else None (the masthead then shows only the
    statistics year). It is a parameter, so it counts in the cache key.

    ``params`` are the analysis choices of ``fou run --param`` (name → value read as YAML),
    checked by :func:`analysis.pipeline.params.check_params` and given to the notebooks that
    declare them; ``min_cell`` among them is ``min_cell``.

    Raises
    ------
    ValueError
        An unknown notebook, or ``publication_date`` not a date written ``ÅÅÅÅ-MM-DD``.
    ParameterError
        A ``params`` entry no notebook declares, or whose value is refused.
    DataValidationError
        A person-level file is invalid, or a publication date lies before a report's
        statistics year.
    """
    from analysis.disclosure.min_cell import check_min_cell
    from analysis.pipeline.params import (
        check_for_years,
        check_param_columns,
        check_params,
        min_cell_of,
    )
    from analysis.pipeline.specs import check_publication_date

    params = dict(params or {})
    given = min_cell_of(params, min_cell)
    min_cell = check_min_cell(5 if given is None else given)
    if publication_date is not None:
        publication_date = check_publication_date(publication_date)
    specs = specs or load_report_specs()
    unknown = [n for n in notebooks if n not in specs]
    if unknown:
        raise UnknownReportError(
            f"ukjent rapport {', '.join(unknown)} (--notebook); rapportene i "
            f"notebooks/reports.yaml er {', '.join(specs)}"
        )
    # the choices before the (slow) person-level files: a typo stops the run at once
    choices = check_params(params, [specs[n] for n in (notebooks or list(specs))])
    check_inputs(hr_data, jobbsjansen_data)
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
        variant = output_variant(data_path)
        for y in ys:
            job_params: dict[str, Any] = {
                "year": int(y),
                "min_cell": int(min_cell),
                "seed": int(seed),
            }
            job_params[key] = Path(data_path).name if data_path else None
            job_params["publication_date"] = publication_date or spec.publication_date
            job_params.update(choices[name])
            inputs = {key: str(Path(data_path).resolve())} if data_path else {}
            jobs.append(Job(name, int(y), job_params, inputs, variant))
    check_publication_dates(jobs, specs, publication_date is not None)
    check_for_years(jobs, specs)
    check_param_columns(jobs, specs, {"hr": hr_data, "jobbsjansen": jobbsjansen_data})
    return jobs
