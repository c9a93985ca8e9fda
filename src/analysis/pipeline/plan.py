"""The jobs of a run: which report notebooks to build for which years, with which parameters.

Without ``--year``, a report is built for every year its data cover: the years in the
researcher's person-level file when one is given, else the years with published figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.pipeline.specs import ReportSpec, load_report_specs


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
