"""The analysis choices of the pay-gap report: notebook parameters and their checks.

``fou run --param NAME=VALUE`` checks each value here before anything is built
(:func:`check_parameter`, called through :mod:`analysis.pipeline.params`), and
:func:`analysis.paygap.report.build` checks them again, so that a value typed into the
notebook's parameters cell in JupyterLab gets the same message. ``None`` is the standard
model everywhere.
"""

from __future__ import annotations

from typing import Any

from analysis.paygap.covariates import allowed_covariates, check_covariates
from analysis.paygap.models import DEFAULT_OAXACA_COVARIATES

__all__ = [
    "COLUMN_PARAMETERS",
    "OAXACA_REFERENCES",
    "PARAMETERS",
    "check_for_year",
    "check_oaxaca_covariates",
    "check_oaxaca_references",
    "check_parameter",
]

#: the reference wage structures of the twofold decomposition, in the report's order
#: (:func:`analysis.paygap.models.oaxaca_reference_label`)
OAXACA_REFERENCES: tuple[str, ...] = ("male", "female", "pooled")


def check_oaxaca_covariates(value: Any) -> tuple[str, ...]:
    """The wage equation's covariates (default
    :data:`analysis.paygap.models.DEFAULT_OAXACA_COVARIATES`): HR columns and ``age2``."""
    if value is None:
        return DEFAULT_OAXACA_COVARIATES
    return check_covariates("oaxaca_covariates", value, allowed_covariates(derived=("age2",)))


def check_oaxaca_references(value: Any) -> tuple[str, ...]:
    """Whose wage structure values the explained part: a subset of ``male``, ``female``,
    ``pooled`` (default all three), returned in that order."""
    if value is None:
        return OAXACA_REFERENCES
    if isinstance(value, str):
        value = [value]
    allowed = ", ".join(OAXACA_REFERENCES)
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(
            f"parameteren oaxaca_references må være en liste med minst én av {allowed}; "
            f"fikk {value!r}"
        )
    bad = [v for v in value if v not in OAXACA_REFERENCES]
    if bad:
        raise ValueError(
            f"parameteren oaxaca_references: ukjent referanse "
            f"{', '.join(repr(v) for v in bad)}. Tillatt: {allowed}"
        )
    return tuple(r for r in OAXACA_REFERENCES if r in value)


def check_compare_year(value: Any) -> int | None:
    """The year to compare with (default the year before)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"parameteren compare_year må være et årstall, ikke {value!r}")
    return int(value)


def check_for_year(name: str, value: Any, year: int) -> None:
    """The checks that need the report's year: ``compare_year`` lies before ``year``.

    Raises
    ------
    ValueError
        In bokmål, naming the parameter, the value and the year.
    """
    if name == "compare_year" and value is not None and int(value) >= int(year):
        raise ValueError(
            f"parameteren compare_year må være et år før rapportåret {year}, ikke {value}"
        )


#: parameters that name columns of the HR data: name → {derived column: its source}
#: (checked against the run's data before anything is built,
#: :func:`analysis.pipeline.params.check_param_columns`)
COLUMN_PARAMETERS = {"oaxaca_covariates": {"age2": "age"}}

#: parameter → its check (the value passed on is what the check returns, as a list)
PARAMETERS = {
    "oaxaca_covariates": check_oaxaca_covariates,
    "oaxaca_references": check_oaxaca_references,
    "compare_year": check_compare_year,
}


def check_parameter(name: str, value: Any) -> Any:
    """``value`` checked (a bokmål ``ValueError`` naming ``name`` if it is not valid), in the
    form the notebook is given (a tuple becomes a list, as YAML wrote it)."""
    if name not in PARAMETERS or value is None:
        return value
    checked = PARAMETERS[name](value)
    return list(checked) if isinstance(checked, tuple) else checked
