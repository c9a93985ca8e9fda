"""The analysis choices of the sick-leave report: notebook parameters and their checks.

``fou run --param NAME=VALUE`` checks each value here before anything is built
(:mod:`analysis.pipeline.params`); :func:`analysis.sickleave.report.build` checks them again
for a value typed into the notebook's parameters cell. ``None`` is the standard model.
"""

from __future__ import annotations

from typing import Any

from analysis.paygap.covariates import allowed_covariates, check_covariates
from analysis.sickleave.models import DEFAULT_COVARIATES

__all__ = ["COLUMN_PARAMETERS", "PARAMETERS", "check_parameter", "check_sick_leave_covariates"]


def check_sick_leave_covariates(value: Any) -> tuple[str, ...]:
    """The adjusted comparison's covariates (default
    :data:`analysis.sickleave.models.DEFAULT_COVARIATES`): HR columns and ``age_band``."""
    if value is None:
        return DEFAULT_COVARIATES
    return check_covariates(
        "sick_leave_covariates", value, allowed_covariates(derived=("age_band",))
    )


def _method_doc_value() -> str:
    from analysis.paygap.covariates import covariate_phrase

    return (
        f"{covariate_phrase(('kjønn', *DEFAULT_COVARIATES))} (standard; parameteren "
        "`sick_leave_covariates` velger andre)"
    )


#: what ``docs/methods.md`` shows for the method text's fields that follow a parameter
METHOD_DOC_VALUES = {"adjusted_covariates": _method_doc_value()}

#: parameters that name columns of the HR data: name → {derived column: its source}
#: (checked against the run's data before anything is built,
#: :func:`analysis.pipeline.params.check_param_columns`)
COLUMN_PARAMETERS = {"sick_leave_covariates": {"age_band": "age"}}

#: parameter → its check
PARAMETERS = {"sick_leave_covariates": check_sick_leave_covariates}


def check_parameter(name: str, value: Any) -> Any:
    """``value`` checked (a bokmål ``ValueError`` naming ``name``), as the notebook gets it."""
    if name not in PARAMETERS or value is None:
        return value
    checked = PARAMETERS[name](value)
    return list(checked) if isinstance(checked, tuple) else checked
