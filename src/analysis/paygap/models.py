"""Oaxaca–Blinder decompositions of the gap in log pay on person-level data, men minus women.

Wraps :func:`analysis.methods.oaxaca.oaxaca_blinder` for the HR data: the wage equation's
covariates, the common support of categorical covariates, and the ``male``/``female``/
``pooled`` labels of the reference coefficients.

References
----------
Blinder, A. S. (1973). Wage discrimination: reduced form and structural estimates. Journal of
    Human Resources 8(4), 436–455.
Fortin, N. M. (2008). The gender wage gap among young adults in the United States: the
    importance of money versus people. Journal of Human Resources 43(4), 884–918.
Jann, B. (2008). The Blinder–Oaxaca decomposition for linear regression models. Stata Journal
    8(4), 453–479.
Oaxaca, R. (1973). Male-female wage differentials in urban labor markets. International
    Economic Review 14(3), 693–709.
Yun, M.-S. (2005). A simple solution to the identification problem in detailed wage
    decompositions. Economic Inquiry 43(4), 766–772.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from analysis.methods.oaxaca import OaxacaResult, oaxaca_blinder
from analysis.paygap.measures import MEN, WOMEN, _check_gender, _single_year, prepare_pay_data

__all__ = [
    "DEFAULT_OAXACA_COVARIATES",
    "SampleNote",
    "base_covariates",
    "oaxaca_key_figures",
    "oaxaca_paygap",
    "oaxaca_reference_label",
]

DEFAULT_OAXACA_COVARIATES: tuple[str, ...] = (
    "job_group",
    "age",
    "age2",
    "tenure_years",
    "temporary",
)


class SampleNote(RuntimeWarning):
    """A warning (bokmål) that a model left persons or covariates out of its sample.

    A report build turns these into notes the researcher can act on
    (:attr:`analysis.paygap.report.PayGapReport.notes`) instead of printing them.
    """


def oaxaca_reference_label(result: OaxacaResult) -> str:
    """``male``, ``female`` or ``pooled``: whose coefficients value the explained part.

    :func:`analysis.methods.oaxaca.oaxaca_blinder` names references by group ("group_a" = the
    coefficients of ``group_a``); this maps them to the genders of the result. For a
    threefold result it names whose coefficients value the endowments.
    """
    gender_of = {"group_a": result.group_a, "group_b": result.group_b}
    if result.reference not in gender_of:
        return "pooled" if result.reference == "pooled" else str(result.reference)
    return {MEN: "male", WOMEN: "female"}[gender_of[result.reference]]


def _usable_covariates(
    df: pd.DataFrame, covariates: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Restrict to categories present for both genders; drop covariates constant in a gender."""
    categorical = [c for c in covariates if not pd.api.types.is_numeric_dtype(df[c])]
    for col in categorical:
        genders = df.groupby(col)["gender"].nunique()
        support = set(genders.index[genders == 2])
        lost = sorted(map(str, set(df[col]) - support))
        if lost:
            warnings.warn(
                f"Oaxaca–Blinder: de ansatte i {col} = {', '.join(lost)} er utelatt fra "
                f"utvalget fordi {'kategorien' if len(lost) == 1 else 'kategoriene'} bare har "
                "ett kjønn (utenfor felles støtte). Den "
                "forklarte og den uforklarte delen gjelder de andre; gapet som skyldes "
                "kategorier med bare ett kjønn, står i delingen i fire deler. Vil du ha dem "
                f"med, ta {col} ut av oaxaca_covariates.",
                SampleNote,
                stacklevel=3,
            )
            df = df.loc[df[col].isin(support)]
    keep = []
    for col in covariates:
        if col in categorical:
            varies = df[col].nunique() >= 2
        else:
            x = df[col].astype(float)
            varies = all(x[df["gender"] == g].nunique() >= 2 for g in (MEN, WOMEN))
        if varies:
            keep.append(col)
        else:
            warnings.warn(
                f"Oaxaca–Blinder: forklaringsvariabelen {col} varierer ikke blant menn eller "
                "blant kvinner i utvalget og er utelatt fra modellen; ta den ut av "
                "oaxaca_covariates, eller bruk data der den varierer.",
                SampleNote,
                stacklevel=3,
            )
    return df, keep


def oaxaca_paygap(
    hr: pd.DataFrame,
    covariates: Sequence[str] = DEFAULT_OAXACA_COVARIATES,
    weights: str | None = None,
    *,
    threefold: bool = False,
    **kwargs: Any,
) -> list[OaxacaResult]:
    """Oaxaca–Blinder decompositions of the gap in log pay, men minus women.

    Parameters
    ----------
    hr
        Person-level data of one year (``gender``, ``annual_pay`` and the covariates).
        ``log_pay`` and ``age2`` are added internally
        (:func:`analysis.paygap.measures.prepare_pay_data`).
    covariates
        Columns of the wage equations. String columns (``job_group``, ``education_level``)
        become dummy sets, normalised (deviation contrast; Yun 2005) so that the detailed
        results do not depend on the omitted category. Default ``job_group, age, age2,
        tenure_years, temporary``.
    weights
        Optional weight column (analytic weights).
    threefold
        Also return the threefold decompositions (endowments, coefficients, interaction),
        from women's (Stata's default) and from men's point of view.
    **kwargs
        Passed on to :func:`analysis.methods.oaxaca.oaxaca_blinder` (``vce``, ``se_method``, ...).

    Returns
    -------
    list of OaxacaResult
        Twofold with men's coefficients as the reference (``male``: ``reference =
        "group_a"`` with ``group_a = "M"``), with women's (``female``, ``"group_b"``) and the
        pooled model with a gender indicator (``pooled``; Fortin 2008, Jann 2008); then, if
        ``threefold``, the two threefold results. Use :func:`oaxaca_reference_label` for
        the ``male/female/pooled`` label of each.

    Notes
    -----
    Outcome ``ln(annual_pay)``; ``mean_a − mean_b`` is the gap in mean log pay, men minus
    women. Categories of a categorical covariate where only one gender works (e.g. a job
    group of women only) make the design singular in the other gender's regression; those
    persons are left out (they are outside the common support, cf. Ñopo 2008) with a
    warning, and counted in ``n_dropped``. Covariates constant among men or among women are
    left out with a warning.
    """
    _single_year(hr, "hr")
    _check_gender(hr)
    df = prepare_pay_data(hr)
    cols = ["log_pay", "gender", *covariates] + ([weights] if weights else [])
    complete = df.loc[df[cols].notna().all(axis=1)]
    n_incomplete = len(df) - len(complete)
    sample, covs = _usable_covariates(complete, covariates)
    n_outside = len(complete) - len(sample)
    if not covs:
        raise ValueError(
            "ingen brukbar forklaringsvariabel igjen for Oaxaca–Blinder-dekomponeringen"
        )
    runs = [("group_a", False), ("group_b", False), ("pooled", False)]
    if threefold:
        runs += [("group_b", True), ("group_a", True)]
    results = []
    for reference, three in runs:
        res = oaxaca_blinder(
            sample,
            "log_pay",
            "gender",
            covs,
            group_a=MEN,
            reference=reference,
            threefold=three,
            weights=weights,
            **kwargs,
        )
        results.append(replace(res, n_dropped=res.n_dropped + n_incomplete + n_outside))
    return results


def base_covariates(terms: Iterable[str]) -> list[str]:
    """``["job_group[a]", "job_group[b]", "age"] → ["job_group", "age"]``."""
    return list(dict.fromkeys(t.split("[", 1)[0] for t in terms))


def oaxaca_key_figures(results: Iterable[OaxacaResult]) -> list[dict[str, Any]]:
    """Key figures of twofold Oaxaca–Blinder results (log-pay scale); threefold are skipped.

    Returns
    -------
    list of dict
        Each ``{reference (male|female|pooled), covariates (list of covariate names),
        n_men, n_women, total, explained, unexplained, se_explained, se_unexplained}``, where
        ``total`` is the gap in mean log pay (men − women) and the standard errors are those
        of the result (delta method by default).
    """
    out = []
    for r in results:
        if r.kind != "twofold":
            continue
        n = {r.group_a: int(r.n_a), r.group_b: int(r.n_b)}
        ov = r.overall
        out.append(
            {
                "reference": oaxaca_reference_label(r),
                "covariates": base_covariates(r.covariates),
                "n_men": n[MEN],
                "n_women": n[WOMEN],
                "total": float(r.gap),
                "explained": float(ov.loc["explained", "estimate"]),
                "unexplained": float(ov.loc["unexplained", "estimate"]),
                "se_explained": float(ov.loc["explained", "se"]),
                "se_unexplained": float(ov.loc["unexplained", "se"]),
            }
        )
    return out
