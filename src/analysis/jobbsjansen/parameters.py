"""The analysis choices of the Jobbsjansen report: notebook parameters and their checks.

``fou run --param NAME=VALUE`` checks each value here before anything is built
(:mod:`analysis.pipeline.params`); :func:`analysis.jobbsjansen.report.build` checks them
again for a value typed into the notebook's parameters cell. ``None`` is the standard.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "FUNNEL_METHODS",
    "METHOD_DOC_VALUES",
    "PARAMETERS",
    "check_funnel_method",
    "check_funnel_target",
    "check_parameter",
]

#: the funnel's methods (:func:`analysis.methods.funnel.funnel_proportions`), default first
FUNNEL_METHODS: tuple[str, ...] = ("calibrated", "funnelplotr")


def check_funnel_method(value: Any) -> str:
    """How the project funnel's limits are computed: ``calibrated`` (default) or
    ``funnelplotr`` (the method of the R package FunnelPlotR)."""
    if value is None:
        return FUNNEL_METHODS[0]
    if value not in FUNNEL_METHODS:
        raise ValueError(
            f"parameteren funnel_method: ukjent metode {value!r}. Tillatt: "
            f"{', '.join(FUNNEL_METHODS)}"
        )
    return str(value)


def check_funnel_target(value: Any) -> float | None:
    """The funnel's centre line as a share between 0 and 1 (``0.6`` = 60 %); None: the rate of
    all projects together (default)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(
            f"parameteren funnel_target må være en andel mellom 0 og 1 (f.eks. 0.6 for 60 %) "
            f"eller null, ikke {value!r}"
        )
    if not (math.isfinite(value) and 0 < value < 1):
        raise ValueError(
            f"parameteren funnel_target må være en andel mellom 0 og 1 (f.eks. 0.6 for 60 %), "
            f"ikke {value!r}"
        )
    return float(value)


#: parameter → its check
PARAMETERS = {"funnel_method": check_funnel_method, "funnel_target": check_funnel_target}


def check_parameter(name: str, value: Any) -> Any:
    """``value`` checked (a bokmål ``ValueError`` naming ``name``), as the notebook gets it."""
    if name not in PARAMETERS or value is None:
        return value
    return PARAMETERS[name](value)


def _method_doc_value() -> str:
    from analysis.jobbsjansen.texts import funnel_method_description

    return funnel_method_description(FUNNEL_METHODS[0])


#: what ``docs/methods.md`` shows for the method text's fields that follow a parameter
def _risk_doc_value() -> str:
    from analysis.jobbsjansen.texts import risk_covariates_text

    return risk_covariates_text()


METHOD_DOC_VALUES = {"funnel_method": _method_doc_value(), "risk_covariates": _risk_doc_value()}
