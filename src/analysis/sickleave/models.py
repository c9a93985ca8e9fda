"""The rate ratio of women's and men's sick leave, adjusted for job group and age band.

Definitions of the rates and of the HR data are those of :mod:`analysis.sickleave.measures`.
What the model leaves out, and why, is recorded as :class:`ModelNote` codes; the report words
them (:func:`analysis.sickleave.texts.model_note`).

Adjusted comparison of women and men
------------------------------------
:func:`adjusted_rate_ratio` fits a quasi-Poisson GLM of a person's lost days with
``log(agreed days)`` as offset, so ``exp(β)`` are rate ratios, and job group and age band as
covariates (McCullagh & Nelder 1989, sec. 6.2 and 9.2): the variance is taken as
``φ·μ``, with the dispersion ``φ`` estimated by Pearson's χ² / residual df (statsmodels
``fit(scale="X2")``). Lost days are overdispersed (many persons with none, a few with a long
absence), so ``φ`` is typically far above 1 and a plain Poisson model would give far too
narrow intervals. The unadjusted ratio comes from the same GLM with gender as the only
covariate: its estimate equals ``rate_K / rate_M`` exactly (a Poisson GLM with one
categorical covariate reproduces the group rates), and its interval uses the same
quasi-Poisson variance, so adjusted and unadjusted are comparable. A negative binomial (NB2)
model with the same offset is available as a sensitivity analysis (Cameron & Trivedi 2013,
ch. 3). When a person appears in several rows (several years), the standard errors are
cluster-robust by person instead.

References
----------
Cameron, A. C. & Trivedi, P. K. (2013). Regression Analysis of Count Data, 2nd ed. Cambridge
    University Press.
Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear
    models. Biometrika 73(1), 13–22.
McCullagh, P. & Nelder, J. A. (1989). Generalized Linear Models, 2nd ed. Chapman & Hall.
White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator and a direct
    test for heteroskedasticity. Econometrica 48(4), 817–838.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import GENDERS
from analysis.methods import stats
from analysis.sickleave.measures import AGREED, UNIT, as_tuple, check_kind, prepare

__all__ = [
    "DEFAULT_COVARIATES",
    "METHODS",
    "NOTE_CODES",
    "AdjustedRateRatio",
    "ModelNote",
    "adjusted_rate_ratio",
]

#: the covariates of the adjusted comparison (the report's parameter ``sick_leave_covariates``)
DEFAULT_COVARIATES: tuple[str, ...] = ("job_group", "age_band")

#: what a :class:`ModelNote` can say
NOTE_CODES: tuple[str, ...] = (
    "no_agreed_days",  # rows without agreed days left out (count = rows)
    "no_lost_days",  # levels of ``column`` without lost days left out (count = rows)
    "one_gender",  # levels of ``column`` with one gender only (kept, no gender contrast)
    "gender_missing",  # women or men absent: nothing to compare
    "gender_without_days",  # women or men without lost days: the ratio is not defined
    "gender_without_days_after_drops",  # the same after the levels were left out
    "too_few_persons",  # not fitted: fewer than ``count`` women or men (the report's rule)
)


@dataclass(frozen=True)
class ModelNote:
    """Something :func:`adjusted_rate_ratio` left out or could not do.

    ``code`` is one of :data:`NOTE_CODES`; ``column`` and ``levels`` name the covariate levels
    concerned; ``count`` is the number of rows left out (or, for ``too_few_persons``, the
    number of women and of men needed).
    """

    code: str
    column: str | None = None
    levels: tuple[str, ...] = ()
    count: int = 0


# --------------------------------------------------------------------------- adjusted ratio


@dataclass(frozen=True)
class AdjustedRateRatio:
    """The sick-leave rate of women relative to men, adjusted and unadjusted.

    ``estimate`` (with ``ci_low``, ``ci_high``) is ``exp(β_K)`` from the model with
    ``covariates``; ``unadjusted`` (with its interval) from the same kind of model with
    gender only, which equals ``rate_K / rate_M``. ``dispersion`` is the quasi-Poisson scale
    ``φ`` (Pearson χ²/df) of the adjusted model, or the NB2 ``α`` for the negative binomial.
    ``n_persons`` counts the persons in the adjusted model. ``method`` is ``quasipoisson``
    or ``negbin``; ``robust`` says whether the standard errors are the sandwich with persons
    as clusters. ``notes`` says what was dropped and why (:class:`ModelNote`).
    """

    estimate: float
    ci_low: float
    ci_high: float
    unadjusted: float
    unadjusted_ci_low: float
    unadjusted_ci_high: float
    covariates: tuple[str, ...]
    kind: str
    dispersion: float
    n_persons: int
    method: str
    notes: tuple[ModelNote, ...] = ()
    robust: bool = False


METHODS = ("quasipoisson", "negbin")


def _is_categorical(s: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s))


def _levels(frame: pd.DataFrame, covariates: Sequence[str]) -> dict[str, list[str]]:
    """Levels of each categorical covariate, the most populous first (the reference)."""
    out = {}
    for c in covariates:
        if _is_categorical(frame[c]):
            counts = frame[c].astype(str).value_counts()
            out[c] = sorted(counts.index, key=lambda v: (-counts[v], str(v)))
    return out


def _design(
    frame: pd.DataFrame, covariates: Sequence[str], levels_by: dict[str, list[str]] | None = None
) -> pd.DataFrame:
    """Intercept, the women indicator and the covariates (treatment coding for categorical
    ones, the most populous level as reference; numeric ones linear)."""
    X = pd.DataFrame(
        {"const": 1.0, "female": (frame["gender"] == "K").astype(float)}, index=frame.index
    )
    levels_by = levels_by if levels_by is not None else _levels(frame, covariates)
    for c in covariates:
        s = frame[c]
        if c not in levels_by:
            X[c] = s.astype(float)
            continue
        levels = levels_by[c]
        for lvl in levels[1:]:
            X[f"{c}[{lvl}]"] = (s.astype(str) == lvl).astype(float)
    return X


def _fit_ratio(
    y: pd.Series,
    X: pd.DataFrame,
    offset: np.ndarray,
    groups: np.ndarray | None,
    method: str,
    alpha: float,
) -> tuple[float, float, float, float]:
    """(rate ratio, low, high, dispersion) for the 'female' column; cluster-robust by
    ``groups`` when given."""
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "quasipoisson":
            model = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
            if groups is None:
                res = model.fit(scale="X2")
                disp = float(res.scale)
            else:
                res = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
                disp = float(res.pearson_chi2 / res.df_resid)
        else:
            model = sm.NegativeBinomial(y, X, offset=offset, loglike_method="nb2")
            kw: dict[str, Any] = (
                {} if groups is None else {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
            )
            res = model.fit(disp=0, maxiter=500, method="bfgs", **kw)
            disp = float(res.params["alpha"])
    b = float(res.params["female"])
    lo, hi = (
        float(v)
        for v in np.asarray(res.conf_int(alpha)).reshape(-1, 2)[
            list(res.params.index).index("female")
        ]
    )
    return math.exp(b), math.exp(lo), math.exp(hi), disp


def _fit_ratio_grouped(
    df: pd.DataFrame, y_col: str, covariates: Sequence[str], alpha: float, se: str = "sandwich"
) -> tuple[float, float, float, float]:
    """The quasi-Poisson fit of :func:`_fit_ratio` on cell totals (same result, fast).

    With only categorical covariates, persons with the same gender and covariate levels share
    the linear predictor, so the Poisson likelihood depends on the data only through the
    cell totals of lost and agreed days: fitting the cells with ``offset = log(Σ agreed)``
    gives the person-level estimates and Fisher information exactly. The quasi-Poisson
    scale uses the person-level Pearson statistic, computed per cell from
    ``Σ y²/x``: ``X² = Σ_c (Σ_i y_i²/x_i)/r_c − 2·Y_c + r_c·X_c`` with ``r_c`` the fitted
    rate of cell ``c`` (McCullagh & Nelder 1989, sec. 4.5 and 6.2).

    ``se="sandwich"`` (default): the person-level robust (sandwich) covariance
    ``A⁻¹ B A⁻¹ · n/(n − p)``, exactly as a person-level fit with persons as clusters
    (statsmodels ``cov_type="cluster"``, whose small-sample factor is then ``n/(n − p)``).
    The bread ``A = Σ_c μ_c X_c'X_c`` is the Fisher information of the cell fit; the meat
    needs person-level scores ``X_c (y_i − r_c x_i)``, which share ``X_c`` within a cell, so
    ``B = Σ_c X_c'X_c S_c`` with ``S_c = Σ_i (y_i − r_c x_i)² = Σy² − 2 r_c Σxy + r_c² Σx²``:
    three more cell sums give it exactly (Liang & Zeger 1986; White 1980). ``se="model"``:
    the quasi-Poisson ``φ·A⁻¹``.
    """
    import statsmodels.api as sm

    keys = ["gender", *covariates]
    work = df[keys].astype(str)
    work["y"] = df[y_col].to_numpy(float)
    work["x"] = df[AGREED].to_numpy(float)
    work["y2x"] = work["y"] ** 2 / work["x"]
    work["yy"] = work["y"] ** 2
    work["xy"] = work["x"] * work["y"]
    work["xx"] = work["x"] ** 2
    sums = ["y", "x", "y2x", "yy", "xy", "xx"]
    cells = work.groupby(keys, sort=True, observed=True)[sums].sum().reset_index()
    X = _design(cells, covariates, _levels(df, covariates))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.GLM(
            cells["y"], X, family=sm.families.Poisson(), offset=np.log(cells["x"].to_numpy())
        ).fit(scale=1.0)
    rate = np.exp(X.to_numpy() @ res.params.to_numpy())
    chi2 = float((cells["y2x"] / rate - 2 * cells["y"] + rate * cells["x"]).sum())
    df_resid = len(df) - X.shape[1]
    phi = chi2 / df_resid if df_resid > 0 else float("nan")
    b = float(res.params["female"])
    j = list(X.columns).index("female")
    if se == "sandwich":
        Xm = X.to_numpy()
        S = (cells["yy"] - 2 * rate * cells["xy"] + rate**2 * cells["xx"]).to_numpy()
        Ainv = np.linalg.pinv((Xm * (rate * cells["x"].to_numpy())[:, None]).T @ Xm)
        meat = (Xm * S[:, None]).T @ Xm
        n, p = len(df), Xm.shape[1]
        se_b = (
            math.sqrt(max((Ainv @ meat @ Ainv)[j, j], 0.0) * n / (n - p)) if n > p else float("nan")
        )
    else:
        se_b = float(res.bse["female"]) * math.sqrt(phi)
    z = float(stats.normal_quantile(alpha))
    with np.errstate(over="ignore"):  # separation in tiny data: an infinite bound, not a crash
        est, lo, hi = (float(v) for v in np.exp([b, b - z * se_b, b + z * se_b]))
    return est, lo, hi, phi


def adjusted_rate_ratio(
    hr: pd.DataFrame,
    kind: str = "legemeldt",
    covariates: Sequence[str] = DEFAULT_COVARIATES,
    *,
    method: str = "quasipoisson",
    alpha: float = 0.05,
    se: str = "sandwich",
) -> AdjustedRateRatio:
    """Rate ratio women/men of lost days, adjusted for job group and age band.

    Model (``method="quasipoisson"``, McCullagh & Nelder 1989)::

        log E[y_i] = log(agreed_i) + β0 + β_K·[woman_i] + job group + age band
        Var(y_i)   = φ·E[y_i],   φ = Pearson χ² / (n − p)

    fitted with statsmodels ``GLM(..., family=Poisson(), offset=log(agreed)).fit(scale="X2")``;
    ``exp(β_K)`` is the ratio of the rates of women and men of the same job group and age
    band. The unadjusted ratio is ``exp(β_K)`` of the model with gender only (= rate_K/rate_M,
    quasi-Poisson interval). With ``method="negbin"`` both are fitted as NB2 negative binomial
    models with the same offset (``statsmodels.discrete.NegativeBinomial``; Cameron & Trivedi
    2013) as a sensitivity analysis.

    Standard errors (``se``): ``"sandwich"`` (default) is the robust covariance with persons
    as clusters (Liang & Zeger 1986): under heavy-tailed absence the variance of lost days
    is not ``φ·μ`` (it grows faster than the mean for persons with many agreed days), and the
    model-based quasi-Poisson SE is too small (SE/SD 0.87–0.91 at 150–500 persons per gender
    in ``docs/calibration.md``, 0.92 in the audit of issue 15); the sandwich gives 0.92–0.95
    there (still slightly small with 150 persons per gender). With cell totals the sandwich is
    computed exactly from three more cell sums (see :func:`_fit_ratio_grouped`).
    ``"model"``: the quasi-Poisson ``φ·I⁻¹`` (for the negative binomial, model-based);
    when some person has more than one row, the standard errors are cluster-robust by
    ``person_id`` in any case.

    Robustness: persons without agreed days are dropped (no offset). A level of a categorical
    covariate in which nobody lost a day has a coefficient of −∞ (the maximum-likelihood
    estimate does not exist); its persons are dropped from the adjusted model, which gives
    the limit of the estimates as that coefficient → −∞ (they contribute nothing to the
    other estimating equations there). Levels with only one gender (e.g. a job group of one
    person) stay in: they inform the other covariates but not the gender contrast. Levels
    without persons are never created. What was dropped is listed in ``notes``.

    Parameters
    ----------
    hr
        HR data with ``gender``, ``agreed_workdays``, the lost-days columns and the
        covariates (``age_band`` is derived from ``age`` when absent).
    kind
        ``legemeldt`` (default), ``egenmeldt`` or ``totalt``.
    covariates
        Covariate columns; categorical unless numeric (numeric ones enter linearly).
    method
        ``quasipoisson`` or ``negbin``.
    alpha
        1 − confidence level.
    se
        ``sandwich`` (default; persons as clusters) or ``model``; see above.

    Returns
    -------
    AdjustedRateRatio
        NaN estimates (with a note) when a gender is missing or has no lost days.
    """
    check_kind(kind)
    if method not in METHODS:
        raise ValueError(f"ukjent metode {method!r}; bruk en av {', '.join(METHODS)}")
    if se not in ("sandwich", "model"):
        raise ValueError(f"ukjent se {se!r}; bruk 'sandwich' eller 'model'")
    covariates = as_tuple(covariates)
    df = prepare(hr, ("gender", *covariates))
    y_col = f"__y_{kind}"
    notes: list[ModelNote] = []
    n0 = len(df)
    df = df.loc[df[AGREED] > 0]
    if len(df) < n0:
        notes.append(ModelNote("no_agreed_days", count=n0 - len(df)))
    df = df.dropna(subset=["gender", *covariates, y_col])
    df = df.loc[df["gender"].isin(GENDERS)]
    clustered = bool(df[UNIT].duplicated().any())
    robust = clustered or se == "sandwich"
    nan = float("nan")

    def empty(reason: str) -> AdjustedRateRatio:
        return AdjustedRateRatio(
            nan,
            nan,
            nan,
            nan,
            nan,
            nan,
            covariates,
            kind,
            nan,
            int(df[UNIT].nunique()),
            method,
            (*notes, ModelNote(reason)),
            robust,
        )

    days = df.groupby("gender")[y_col].sum()
    if set(days.index) != set(GENDERS):
        return empty("gender_missing")
    if (days <= 0).any():
        return empty("gender_without_days")

    def groups_of(frame: pd.DataFrame) -> np.ndarray | None:
        return pd.factorize(frame[UNIT])[0] if robust else None

    grouped = (
        method == "quasipoisson"
        and not clustered
        and all(_is_categorical(df[c]) for c in covariates)
    )

    # unadjusted: all persons
    if grouped:
        un = _fit_ratio_grouped(df, y_col, (), alpha, se)
    else:
        Xu = _design(df, ())
        un = _fit_ratio(df[y_col], Xu, np.log(df[AGREED].to_numpy()), groups_of(df), method, alpha)

    # adjusted: drop levels without lost days until none is left
    adj = df
    changed = True
    while changed:
        changed = False
        for c in covariates:
            if not _is_categorical(adj[c]):
                continue
            tot = adj.groupby(adj[c].astype(str))[y_col].sum()
            zero = [lvl for lvl, v in tot.items() if v <= 0]
            if zero:
                n_drop = int(adj[c].astype(str).isin(zero).sum())
                notes.append(ModelNote("no_lost_days", c, tuple(map(str, zero)), n_drop))
                adj = adj.loc[~adj[c].astype(str).isin(zero)]
                changed = True
    for c in covariates:
        if not _is_categorical(adj[c]):
            continue
        genders = adj.groupby(adj[c].astype(str))["gender"].nunique()
        single = [lvl for lvl, v in genders.items() if v < 2]
        if single:
            notes.append(ModelNote("one_gender", c, tuple(map(str, single))))
    if adj.groupby("gender")[y_col].sum().reindex(list(GENDERS)).fillna(0).le(0).any():
        return empty("gender_without_days_after_drops")
    if grouped:
        est = _fit_ratio_grouped(adj, y_col, covariates, alpha, se)
    else:
        Xa = _design(adj, covariates)
        est = _fit_ratio(
            adj[y_col], Xa, np.log(adj[AGREED].to_numpy()), groups_of(adj), method, alpha
        )
    return AdjustedRateRatio(
        estimate=est[0],
        ci_low=est[1],
        ci_high=est[2],
        unadjusted=un[0],
        unadjusted_ci_low=un[1],
        unadjusted_ci_high=un[2],
        covariates=covariates,
        kind=kind,
        dispersion=est[3],
        n_persons=int(adj[UNIT].nunique()),
        method=method,
        notes=tuple(notes),
        robust=robust,
    )
