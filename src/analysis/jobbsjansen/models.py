"""Jobbsjansen: the risk-adjusted comparison of projects (logistic model, O/E and their funnel).

Projects differ in whom they take in. :func:`risk_adjusted` fits a logistic regression of
transition among the completers of an exit year on the participants' characteristics and
compares each project's observed transitions with the number its participant mix predicts
(indirect standardisation), drawn as a funnel of O/E ratios
(:func:`analysis.methods.funnel.funnel_ratios`).

References
----------
Garwood, F. (1936). Fiducial limits for the Poisson distribution. Biometrika 28, 437–442.
Hosmer, D. W., Lemeshow, S. & Sturdivant, R. X. (2013). Applied Logistic Regression, 3rd ed.
    Wiley.
Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. Statistics
    in Medicine 24(8), 1185–1202.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from analysis.jobbsjansen.measures import ended_in, prepare_register
from analysis.methods.funnel import FunnelResult, funnel_ratios

__all__ = ["RISK_COVARIATES", "RiskAdjustment", "risk_adjusted"]


@dataclass(frozen=True, eq=False)
class RiskAdjustment:
    """Result of :func:`risk_adjusted`.

    Attributes
    ----------
    year
        Exit year.
    covariates
        The covariates in the model; ``dropped_covariates`` those left out (one level only).
    n
        Completers in the model.
    coefficients
        One row per term: ``term``, ``coef``, ``std_err``, ``z``, ``p_value``, ``ci_low``,
        ``ci_high`` (log-odds, Wald 95 %), ``odds_ratio``, ``or_ci_low``, ``or_ci_high``.
        Categorical covariates use treatment coding with the first level in code order
        present as reference (term names ``covariate[level]``).
    fit
        ``n_obs``, ``llf``, ``llnull``, ``mcfadden_r2``, ``auc`` (c-statistic),
        ``converged``.
    per_project
        ``project_id``, ``n_completed``, ``observed`` (O, transitions), ``expected``
        (E = Σ fitted p), ``variance`` (Σ p(1 − p)), ``oe`` (O/E), ``ci_low``, ``ci_high``
        (normal interval ``(O ± z sqrt(V)) / E`` with the model's Bernoulli variance),
        ``ci_low_poisson``, ``ci_high_poisson`` (exact Poisson/Garwood on O, E fixed —
        conventional for standardised ratios, but too wide for a common outcome),
        ``adjusted_rate`` (O/E × overall rate, indirect standardisation).
    funnel
        :func:`analysis.methods.funnel.funnel_ratios` of O/E.
    model
        The fitted statsmodels GLM results.
    """

    year: int
    covariates: tuple[str, ...]
    dropped_covariates: tuple[str, ...]
    n: int
    coefficients: pd.DataFrame
    fit: dict[str, Any]
    per_project: pd.DataFrame
    funnel: FunnelResult
    model: Any


def _design(data: pd.DataFrame, covariates: Sequence[str]) -> tuple[pd.DataFrame, list, list]:
    cols: dict[str, np.ndarray] = {"const": np.ones(len(data))}
    used, dropped = [], []
    for cov in covariates:
        s = data[cov]
        if isinstance(s.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(s):
            cats = (
                s.cat.categories
                if isinstance(s.dtype, pd.CategoricalDtype)
                else sorted(s.dropna().astype(str).unique())
            )
            values = s.astype(str) if not isinstance(s.dtype, pd.CategoricalDtype) else s
            present = [c for c in cats if (values == c).any()]
            if len(present) < 2:
                dropped.append(cov)
                continue
            for level in present[1:]:
                cols[f"{cov}[{level}]"] = (values == level).to_numpy(dtype=float)
        else:
            if s.nunique() < 2:
                dropped.append(cov)
                continue
            cols[cov] = s.to_numpy(dtype=float)
        used.append(cov)
    return pd.DataFrame(cols, index=data.index), used, dropped


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    n1 = int(y.sum())
    n0 = y.size - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = stats.rankdata(p)
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


#: the participant characteristics the risk adjustment takes into account (the report's
#: texts, method text and notebook name them from here)
RISK_COVARIATES: tuple[str, ...] = ("target_group", "age_band", "gender")


def risk_adjusted(
    register: pd.DataFrame,
    year: int,
    covariates: Sequence[str] = RISK_COVARIATES,
    *,
    project: str = "project_id",
    funnel_method: Literal["bernoulli", "sqrt", "log"] = "bernoulli",
    alpha: float = 0.05,
    **funnel_kwargs: Any,
) -> RiskAdjustment:
    """Risk-adjusted comparison of projects: logistic model, O/E ratios and their funnel.

    A logistic regression (statsmodels GLM, Binomial family, logit link) of transition among
    the completers of ``year`` (utfaset excluded, as in IMDi's measure) on ``covariates``
    (categorical: treatment-coded, first level in code order present as reference; numeric:
    linear). Covariates with a single level in the data are dropped. Expected transitions per
    project ``E = Σ p̂``; ``O/E`` compares a project with what its participant mix predicts
    (indirect standardisation). With an intercept, ``ΣO = ΣE`` over all projects.

    Parameters
    ----------
    register
        The register.
    year
        Exit year.
    covariates
        Register columns (``age_band`` is derived). Add e.g. ``municipality`` only if it is
        not the comparison unit.
    project
        The unit compared (default ``project_id``).
    funnel_method
        Scale of the O/E funnel: ``"bernoulli"`` (default; normal approximation with the
        model's variance ``Σ p(1 − p)``, appropriate for a common outcome), ``"sqrt"`` or
        ``"log"`` (Poisson-based standardised-ratio funnels as FunnelPlotR ``data_type="SR"``).
    alpha
        1 − confidence level of the coefficient and O/E intervals.
    funnel_kwargs
        Passed to :func:`analysis.methods.funnel.funnel_ratios` (``adjust``, ``winsor``, …).

    Returns
    -------
    RiskAdjustment

    References
    ----------
    Hosmer, Lemeshow & Sturdivant (2013); Spiegelhalter (2005); Garwood (1936).
    """
    import statsmodels.api as sm

    reg = prepare_register(register)
    data = ended_in(reg, year)
    data = data.loc[data["completed"]]
    covariates = list(covariates)
    data = data.dropna(subset=covariates)
    if data.empty:
        raise ValueError(f"ingen fullførte deltakere med alle forklaringsvariabler utfylt i {year}")
    X, used, dropped = _design(data, covariates)
    y = data["transition"].to_numpy(dtype=float)
    res = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    ci = res.conf_int(alpha=alpha)
    coefs = pd.DataFrame(
        {
            "term": X.columns,
            "coef": res.params.to_numpy(),
            "std_err": res.bse.to_numpy(),
            "z": res.tvalues.to_numpy(),
            "p_value": res.pvalues.to_numpy(),
            "ci_low": ci.iloc[:, 0].to_numpy(),
            "ci_high": ci.iloc[:, 1].to_numpy(),
        }
    )
    coefs["odds_ratio"] = np.exp(coefs["coef"])
    coefs["or_ci_low"] = np.exp(coefs["ci_low"])
    coefs["or_ci_high"] = np.exp(coefs["ci_high"])
    p = np.asarray(res.fittedvalues, dtype=float)
    llnull = float(res.llnull)
    fit = {
        "n_obs": int(res.nobs),
        "llf": float(res.llf),
        "llnull": llnull,
        "mcfadden_r2": 1.0 - float(res.llf) / llnull if llnull != 0 else float("nan"),
        "auc": _auc(y, p),
        "converged": bool(res.converged),
    }
    work = pd.DataFrame(
        {
            project: data[project].to_numpy(),
            "o": y,
            "p": p,
            "v": p * (1 - p),
        }
    )
    per = (
        work.groupby(project, sort=True)
        .agg(
            n_completed=("o", "size"),
            observed=("o", "sum"),
            expected=("p", "sum"),
            variance=("v", "sum"),
        )
        .reset_index()
    )
    per["oe"] = per["observed"] / per["expected"]
    zq = stats.norm.ppf(1 - alpha / 2)
    half = zq * np.sqrt(per["variance"])
    per["ci_low"] = np.clip((per["observed"] - half) / per["expected"], 0.0, None)
    per["ci_high"] = (per["observed"] + half) / per["expected"]
    o = per["observed"].to_numpy()
    e = per["expected"].to_numpy()
    with np.errstate(invalid="ignore"):
        lower = np.where(o > 0, stats.chi2.ppf(alpha / 2, 2 * o) / 2, 0.0)
    per["ci_low_poisson"] = lower / e
    per["ci_high_poisson"] = stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2 / e
    per["adjusted_rate"] = per["oe"] * y.mean()
    funnel = funnel_ratios(
        per["observed"],
        per["expected"],
        per[project],
        method=funnel_method,
        variance=per["variance"],
        **funnel_kwargs,
    )
    return RiskAdjustment(
        year=year,
        covariates=tuple(used),
        dropped_covariates=tuple(dropped),
        n=len(data),
        coefficients=coefs,
        fit=fit,
        per_project=per,
        funnel=funnel,
        model=res,
    )
