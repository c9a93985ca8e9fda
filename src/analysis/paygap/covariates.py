"""The characteristics of an employee that a model can take into account, and their words.

Which covariates exist comes from the data, not from a list written here: every column of
the HR schema (:data:`analysis.data.microdata.HR_SCHEMA`) that describes the employee (not
the identifiers, the gender compared, the pay or the sick-leave outcomes), plus the columns
the models derive (``age2`` for the wage equation, ``age_band`` for the sick-leave model).
A model's covariates are a parameter of the report (``oaxaca_covariates``,
``sick_leave_covariates``); the report's sentences, footnotes and method text name them
with :func:`covariate_phrase` and :func:`heading_phrase`, so no list of covariates is
written by hand in a text.

The words (:data:`WORDS`) are vocabulary, as the group labels are: the noun as in «kvinner og
menn har ulik …», the short word a heading uses (None: the heading leaves it out), and the
definite form. A column without words is named by its schema description.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from analysis.data.microdata import HR_SCHEMA

__all__ = [
    "WORDS",
    "CovariateError",
    "allowed_covariates",
    "check_covariates",
    "covariate_phrase",
    "definite_phrase",
    "heading_phrase",
    "join_and",
    "plural_phrase",
]

#: HR columns that are not characteristics to adjust for: identifiers, the two groups
#: compared, and the outcomes of the pay and sick-leave models
NOT_COVARIATES = frozenset(
    {
        "person_id",
        "year",
        "gender",
        "annual_pay",
        "agreed_workdays",
        "sick_days_certified",
        "sick_days_self",
    }
)

#: derived covariates: name → the HR column it is computed from
DERIVED = {"age2": "age", "age_band": "age"}


class Word(NamedTuple):
    """The bokmål words of one covariate."""

    noun: str  # «ulik <noun>», «i samme <noun>»
    heading: str | None  # the word in a heading («… når alder og ansiennitet er tatt med»)
    definite: str  # «i <definite>»
    plural: str  # «fordeler seg ulikt på <plural>»


WORDS: dict[str, Word] = {
    "job_group": Word("stillingsgruppe", "stilling", "stillingsgruppen", "stillingsgrupper"),
    "age": Word("alder", "alder", "alderen", "alder"),
    # the square of age: the same characteristic
    "age2": Word("alder", "alder", "alderen", "alder"),
    "age_band": Word("aldersgruppe", "aldersgruppe", "aldersgruppen", "aldersgrupper"),
    "tenure_years": Word("ansiennitet", "ansiennitet", "ansienniteten", "ansiennitet"),
    "temporary": Word(
        "andel midlertidige", None, "andelen midlertidige", "faste og midlertidige stillinger"
    ),
    "fte": Word("stillingsandel", "stillingsandel", "stillingsandelen", "stillingsandeler"),
    "part_time": Word("andel deltidsansatte", None, "andelen deltidsansatte", "heltid og deltid"),
    "education_level": Word("utdanning", "utdanning", "utdanningen", "utdanningsnivåer"),
    "parental_leave_weeks": Word(
        "foreldrepermisjon", "foreldrepermisjon", "foreldrepermisjonen", "foreldrepermisjon"
    ),
}

#: the order in which a heading names the characteristics (personal ones first)
_HEADING_ORDER = (
    "age",
    "age2",
    "age_band",
    "tenure_years",
    "education_level",
    "parental_leave_weeks",
    "fte",
    "part_time",
    "job_group",
    "temporary",
)


class CovariateError(ValueError):
    """A covariate parameter names something the data do not have (message in bokmål)."""


def allowed_covariates(derived: Iterable[str] = ()) -> tuple[str, ...]:
    """The covariates a model may use: the HR schema's descriptive columns (schema order),
    then the ``derived`` ones (``age2``, ``age_band``) the model computes itself."""
    cols = tuple(c.name for c in HR_SCHEMA.columns if c.name not in NOT_COVARIATES)
    return cols + tuple(d for d in derived if d in DERIVED)


def check_covariates(name: str, value: Any, allowed: Sequence[str]) -> tuple[str, ...]:
    """``value`` as a tuple of covariate names, or a bokmål :class:`CovariateError` naming the
    parameter ``name`` and listing the ``allowed`` covariates.

    Accepts a list (or tuple) of names, or one name as text; at least one, no repeats.
    """
    listing = ", ".join(allowed)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise CovariateError(
            f"parameteren {name} må være en liste med minst én forklaringsvariabel, "
            f"f.eks. [age, tenure_years]; fikk {value!r}. Tillatt: {listing}"
        )
    bad = [v for v in value if not isinstance(v, str) or v not in allowed]
    if bad:
        shown = ", ".join(repr(v) for v in bad)
        raise CovariateError(
            f"parameteren {name}: ukjent forklaringsvariabel {shown}. Tillatt: {listing}"
        )
    repeated = sorted({v for v in value if list(value).count(v) > 1})
    if repeated:
        raise CovariateError(
            f"parameteren {name}: {', '.join(repeated)} står mer enn én gang i listen"
        )
    return tuple(value)


def _word(col: str) -> Word:
    if col in WORDS:
        return WORDS[col]
    desc = next((c.description for c in HR_SCHEMA.columns if c.name == col), col)
    return Word(desc, desc, desc, desc)


def join_and(items: Sequence[str]) -> str:
    """«a», «a og b», «a, b og c»."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def covariate_phrase(covariates: Iterable[str]) -> str:
    """The covariates as in «kvinner og menn har ulik …», in the model's order
    (``job_group, age, age2, tenure_years, temporary`` → «stillingsgruppe, alder, ansiennitet
    og andel midlertidige»)."""
    return join_and(list(dict.fromkeys(_word(c).noun for c in covariates)))


def definite_phrase(covariates: Iterable[str]) -> str:
    """The covariates in the definite form («stillingsgruppen og aldersgruppen»)."""
    return join_and(list(dict.fromkeys(_word(c).definite for c in covariates)))


def plural_phrase(covariates: Iterable[str]) -> str:
    """The covariates as in «kvinner og menn fordeler seg ulikt på …»
    (``job_group, age_band`` → «stillingsgrupper og aldersgrupper»)."""
    return join_and(list(dict.fromkeys(_word(c).plural for c in covariates)))


def heading_phrase(covariates: Iterable[str]) -> str:
    """The covariates as a heading names them, personal characteristics first
    (``job_group, age, age2, tenure_years, temporary`` → «alder, ansiennitet og stilling»);
    the nouns when none has a heading word."""
    covs = list(covariates)
    order = {c: i for i, c in enumerate(_HEADING_ORDER)}
    ranked = sorted(covs, key=lambda c: (order.get(c, len(order)), covs.index(c)))
    words = [w for c in ranked if (w := _word(c).heading) is not None]
    return join_and(list(dict.fromkeys(words))) if words else covariate_phrase(covs)
