"""Analysis choices on the command line: ``fou run --param NAME=VALUE``.

As papermill's ``-y``, ``VALUE`` is read as YAML (``[age, tenure_years]`` is a list of two
names, ``7`` a number, ``null`` None). Each parameter is checked before anything is built:

1. the name is a parameter of at least one notebook of the run (its cell tagged
   ``parameters``); it is passed only to the notebooks that declare it;
2. it is not one the command line sets itself (``year`` → ``--year``, ``hr_data`` →
   ``--hr-data``, …); ``min_cell`` is ``--min-cell`` and is checked the same way (at least 3);
3. its value passes the check of the report's domain package
   (``analysis.<domain>.parameters.check_parameter``, the ``domain`` of the report in
   ``notebooks/reports.yaml``), which names the parameter and what is allowed.

A refusal is a :class:`ParameterError` (bokmål; ``fou run`` exits with status 2 and writes
nothing). The parameters are job parameters, so they are in the cache key, the executed
notebook's injected parameters cell and the report's provenance.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from analysis.pipeline.specs import ReportSpec

__all__ = [
    "ParameterError",
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
