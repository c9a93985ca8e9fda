"""Analysis choices on the command line: ``fou run --param NAME=VALUE``.

As papermill's ``-y``, ``VALUE`` is read as YAML (``[age, tenure_years]`` is a list of two
names, ``7`` a number, ``null`` None). Each parameter is checked before anything is built:

1. the name is a parameter of at least one notebook of the run (its cell tagged
   ``parameters``); it is passed only to the notebooks that declare it;
2. it is not one the command line sets itself (``year`` → ``--year``, ``hr_data`` →
   ``--hr-data``, …); ``min_cell`` is ``--min-cell`` and is checked the same way (at least 3);
3. its value passes the check of the report's domain package
   (``analysis.<domain>.parameters.check_parameter``, the ``domain`` of the report in
   ``notebooks/reports.yaml``), which names the parameter and what is allowed;
4. a parameter that names columns (the domain's ``COLUMN_PARAMETERS``, e.g. the covariates)
   names only columns the run's data have: the ``--hr-data``/``--jobbsjansen-data`` file, or
   the synthetic data when no file is given (:func:`check_param_columns`).

A refusal is a :class:`ParameterError` (bokmål; ``fou run`` exits with status 2 and writes
nothing). The parameters are job parameters, so they are in the cache key, the executed
notebook's injected parameters cell and the report's provenance.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.pipeline.specs import ReportSpec

__all__ = [
    "ParameterError",
    "check_for_years",
    "check_param_columns",
    "check_params",
    "declared_parameters",
    "parse_param",
    "parse_params",
]

#: parameters the command line sets with its own options
RESERVED = {
    "year": "--year",
    "hr_data": "--hr-data",
    "jobbsjansen_data": "--jobbsjansen-data",
    "publication_date": "--publication-date",
    "seed": "--seed",
}


class ParameterError(ValueError):
    """A ``--param`` that cannot be used (message in bokmål, naming the parameter)."""


def parse_param(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` → ``(NAME, VALUE read as YAML)``."""
    import yaml

    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise ParameterError(
            f"--param {text!r}: skriv NAVN=VERDI, f.eks. --param 'oaxaca_covariates=[age, "
            "tenure_years]'"
        )
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        reason = str(e).splitlines()[0]
        raise ParameterError(
            f"--param {name}: verdien {raw!r} er ikke gyldig YAML ({reason})"
        ) from None
    return name, value


def parse_params(texts: Iterable[str]) -> dict[str, Any]:
    """Every ``--param`` of the command line; a name given twice is refused."""
    out: dict[str, Any] = {}
    for text in texts:
        name, value = parse_param(text)
        if name in out:
            raise ParameterError(f"--param {name} er gitt mer enn én gang")
        out[name] = value
    return out


def declared_parameters(spec: ReportSpec) -> dict[str, Any]:
    """The parameters the report's notebook declares (name → papermill's description)."""
    import papermill as pm

    return dict(pm.inspect_notebook(str(spec.notebook)))


def _domain_check(spec: ReportSpec, name: str, value: Any) -> Any:
    if not spec.domain:
        return value
    try:
        module = importlib.import_module(f"analysis.{spec.domain}.parameters")
    except ModuleNotFoundError:
        return value
    try:
        return module.check_parameter(name, value)
    except ValueError as e:
        raise ParameterError(f"{spec.name}: {e}") from None


def check_params(
    params: Mapping[str, Any], specs: Sequence[ReportSpec]
) -> dict[str, dict[str, Any]]:
    """The checked parameters for each report of the run (report name → {name: value}).

    ``min_cell`` is not in the result: the caller passes it as ``--min-cell``
    (:func:`min_cell_of`).

    Raises
    ------
    ParameterError
        A reserved name, a name no notebook of the run declares, or a value the report's
        domain refuses.
    """
    out: dict[str, dict[str, Any]] = {s.name: {} for s in specs}
    if not params:
        return out
    declared = {s.name: declared_parameters(s) for s in specs}
    for name, value in params.items():
        if name in RESERVED:
            raise ParameterError(f"--param {name}: bruk {RESERVED[name]} for {name}, ikke --param")
        if name == "min_cell":
            continue
        takers = [s for s in specs if name in declared[s.name]]
        if not takers:
            known = sorted({p for d in declared.values() for p in d} - set(RESERVED) - {"min_cell"})
            reports = ", ".join(s.name for s in specs)
            raise ParameterError(
                f"--param {name}: ukjent parameter for {reports}. Parameterne som kan "
                f"settes med --param: {', '.join(known + ['min_cell'])}"
            )
        for s in takers:
            out[s.name][name] = _domain_check(s, name, value)
    return out


def min_cell_of(params: Mapping[str, Any], min_cell: int | None) -> int | None:
    """``min_cell`` from ``--param min_cell=N`` and ``--min-cell N`` (checked as
    ``--min-cell``: a whole number of at least 3; the two must agree when both are given)."""
    from analysis.disclosure.min_cell import check_min_cell

    if "min_cell" not in params:
        return min_cell
    value = params["min_cell"]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"--param min_cell: må være et helt tall, ikke {value!r}")
    try:
        value = check_min_cell(value)
    except ValueError as e:
        raise ParameterError(f"--param min_cell: {e}") from None
    if min_cell is not None and min_cell != value:
        raise ParameterError(
            f"--param min_cell={value} og --min-cell {min_cell} er ulike; bruk én av dem"
        )
    return value


def _column_parameters(spec: ReportSpec) -> Mapping[str, Mapping[str, str]]:
    """The domain's parameters that name data columns: name → {derived column: its source}."""
    if not spec.domain:
        return {}
    try:
        module = importlib.import_module(f"analysis.{spec.domain}.parameters")
    except ModuleNotFoundError:
        return {}
    return getattr(module, "COLUMN_PARAMETERS", {})


def check_param_columns(
    jobs: Sequence[Any], specs: Mapping[str, ReportSpec], data_files: Mapping[str, str | None]
) -> None:
    """Every column a parameter names is in the data the job will read.

    ``jobs`` are :class:`analysis.pipeline.plan.Job` (notebook, year, parameters);
    ``data_files`` maps a report's ``data`` kind (``hr``, ``jobbsjansen``) to the
    person-level file given on the command line, or None for the synthetic data. Derived
    columns (``age2``, ``age_band``) count as present when their source column is. A year the
    file has no rows for is left to the run, which reports it for that job alone.

    Raises
    ------
    ParameterError
        Naming the parameter, the missing columns, the file and the columns it has.
    """
    from analysis.data import inputs
    from analysis.data.errors import DataValidationError

    readers = {"hr": inputs.hr_for_year, "jobbsjansen": inputs.register_for_year}
    seen: dict[tuple[str, str], list[str] | None] = {}
    for job in jobs:
        spec = specs[job.notebook]
        rules = _column_parameters(spec)
        asked = {n: v for n, v in job.parameters.items() if n in rules and v}
        if not asked or spec.data not in readers:
            continue
        path = data_files.get(spec.data)
        key = (spec.data, str(path) if path else f"synthetic {job.year}")
        if key not in seen:
            try:
                frame = readers[spec.data](job.year, path, job.parameters.get("seed", 2025)).frame
                seen[key] = [str(c) for c in frame.columns]
            except DataValidationError:
                seen[key] = None
        columns = seen[key]
        if columns is None:
            continue
        where = Path(path).name if path else "de syntetiske persondataene"
        for name, value in asked.items():
            derived = rules[name]
            names = [value] if isinstance(value, str) else list(value)
            missing = [c for c in names if derived.get(c, c) not in columns]
            if missing:
                raise ParameterError(
                    f"--param {name}: {', '.join(map(str, missing))} finnes ikke i {where}; "
                    f"kolonnene der er {', '.join(columns)}"
                )


def check_for_years(jobs: Sequence[Any], specs: Mapping[str, ReportSpec]) -> None:
    """The domains' checks that need the report's year (e.g. ``compare_year`` before
    ``year``): ``analysis.<domain>.parameters.check_for_year(name, value, year)`` where the
    domain has one.

    Raises
    ------
    ParameterError
        Naming the report, the parameter, the value and the year.
    """
    for job in jobs:
        spec = specs[job.notebook]
        if not spec.domain:
            continue
        try:
            module = importlib.import_module(f"analysis.{spec.domain}.parameters")
        except ModuleNotFoundError:
            continue
        check = getattr(module, "check_for_year", None)
        if check is None:
            continue
        for name, value in job.parameters.items():
            try:
                check(name, value, job.year)
            except ValueError as e:
                raise ParameterError(f"{spec.name} {job.year}: {e}") from None
