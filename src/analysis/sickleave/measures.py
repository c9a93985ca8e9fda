"""Sick leave among IMDi's employees: rates, uncertainty, adjusted gender comparison,
concentration, the published series and benchmarks.

Definition
----------
The sick-leave rate (sykefraværsprosent) follows Statistics Norway (SSB) and NAV: *lost
working days (tapte dagsverk) in per cent of agreed working days (avtalte dagsverk)*, both
weighted by the job share (stillingsandel) and lost days also by the sick-leave grade
(sykmeldingsgrad)::

    rate = Σ lost working days × 100 / Σ agreed working days

(SSB, *Sykefravær*, "Om statistikken", definitions of sykefraværsdagsverk and avtalte
dagsverk; Statistikkbanken tabell 12441, sykefravær for lønnstakere etter kjønn, næring og
type sykefravær; NAV, *Sykefraværsstatistikk*, same definition). Three kinds are computed,
with the codes of the published table ``sick_leave.csv``:

``legemeldt``  doctor-certified (``sick_days_certified``)
``egenmeldt``  self-certified (``sick_days_self``)
``totalt``     both (their sum)

The HR data hold one row per person and year with the person's agreed working days
(``agreed_workdays``) and lost days (``sick_days_certified``, ``sick_days_self``) already
weighted as SSB does. A rate is computed for a group as a whole (a ratio of sums), never as a
mean of personal rates.

Age bands
---------
``age_band`` is derived from ``age`` (age in the year, whole years) with left-closed bands
``<30``, ``30-39``, ``40-49``, ``50-59``, ``60+`` (:data:`AGE_BANDS`), the ten-year bands of
SSB's sick-leave statistics with the youngest (apprentices, first jobs) and the oldest
(60+, near retirement) pooled because IMDi has few employees there.

Uncertainty
-----------
The rate is a ratio estimator ``R = Σy/Σx`` over persons (y = lost days, x = agreed days).
Its standard error is the linearised (Taylor) one, ``Var(R) ≈ Σ(y_i − R x_i)² / (n(n−1) x̄²)``
with persons as units (Cochran 1977, ch. 6; :func:`analysis.methods.stats.ratio_estimate`): days of
absence come in spells and persons, not as independent days, and treating persons (summed
over their rows) as the units is what respects that clustering. A binomial standard error on
days would be far too small. No finite-population correction: the staff is the whole
population, and the standard error describes the variability of the process generating the
rates (the superpopulation view needed to compare groups and years). The 95 % interval is a
Wald interval on the log scale (:func:`analysis.methods.stats.log_normal_ci`), asymmetric and never
negative, for groups of 50 persons or more; for smaller groups it is the gamma interval of
:func:`analysis.methods.stats.gamma_ratio_ci` (after Fay & Feuer 1997), whose upper limit allows for
one more person as absent as the most absent one seen: lost days are so skewed that in 30
persons the log-scale Wald interval covers the true rate only 85–88 % of the time, and
t quantiles, the jackknife and the bootstrap (percentile, BCa, bootstrap-t) do little
better, while the gamma interval reaches 92.6–93.2 % (``docs/calibration.md``). For a group with no
lost days the interval is undefined (NaN). :func:`rate_bootstrap_ci` gives a person-level
bootstrap to cross-check.

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

Benchmark
---------
The targets in ``sick_leave_targets.csv`` say IMDi's sick leave should be below the average of
the state administration ("gjennomsnittet for statlig forvaltning"), but no source document
gives that average as a number, and no number is invented here. A benchmark is read from
``data/raw/published/benchmarks_sick_leave.csv`` *if that file exists*; it must be a published
table like the others, with the columns

``year``            int, year the benchmark rate refers to
``benchmark``       str, what it is, e.g. ``statlig forvaltning``
``kind``            ``legemeldt``, ``egenmeldt`` or ``totalt``
``rate_pct``        float, the benchmark rate in per cent, as published
``source_document``, ``source_section``, ``source_quote``, ``note``, ``preferred``
                    the citation columns of every published table (the source document must be
                    in ``sources/`` and contain the quote; one preferred row per key
                    ``(year, benchmark, kind)``)

and an entry in ``catalogue.yaml``. :func:`load_benchmark` validates it with the schema
engine and returns an empty frame when the file is absent or has no row for the year;
:func:`benchmark_statement` then says so in the report.

References
----------
Cameron, A. C. & Trivedi, P. K. (2013). Regression Analysis of Count Data, 2nd ed. Cambridge
    University Press.
Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley.
Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
Fay, M. P. & Feuer, E. J. (1997). Confidence intervals for directly standardized rates: a
    method based on the gamma distribution. Statistics in Medicine 16(7), 791–801.
Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear
    models. Biometrika 73(1), 13–22.
McCullagh, P. & Nelder, J. A. (1989). Generalized Linear Models, 2nd ed. Chapman & Hall.
NAV. Sykefraværsstatistikk: om statistikken (definisjoner av tapte og avtalte dagsverk).
Statistisk sentralbyrå (SSB). Sykefravær: om statistikken; Statistikkbanken tabell 12441.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import GENDERS, JOB_GROUPS
from analysis.data.published import (
    CITATION_COLUMNS,
    TableEntry,
    citation_problems,
    load_catalogue,
    load_published,
)
from analysis.data.quality import check_sick_leave_totals
from analysis.data.readers import read_csv_text
from analysis.data.schema import Column, DataValidationError, Problem, Schema, validate
from analysis.disclosure.tables import DEFAULT_MIN_CELL, MARGIN, primary_mask, protect, suppress
from analysis.methods import stats
from analysis.paths import published_dir
from analysis.render.formatting import fmt_number, fmt_pct

__all__ = [
    "AGE_BANDS",
    "AGE_BAND_LABELS",
    "BENCHMARK_COLUMNS",
    "BENCHMARK_FILE",
    "BENCHMARK_SCHEMA",
    "KINDS",
    "KIND_LABELS",
    "RATE_COLUMNS",
    "TOTAL",
    "AdjustedRateRatio",
    "absence_concentration",
    "add_age_band",
    "adjusted_rate_ratio",
    "age_band",
    "benchmark_statement",
    "key_figures",
    "load_benchmark",
    "lorenz_curve",
    "order_key",
    "lost_days",
    "published_reconciliation",
    "published_series",
    "rate_bootstrap_ci",
    "rates_table_for_report",
    "sick_leave_rates",
]

#: kinds of sick leave, codes as in ``sick_leave.csv``
KINDS: tuple[str, ...] = ("legemeldt", "egenmeldt", "totalt")
#: the HR columns holding the lost days of each kind
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "legemeldt": ("sick_days_certified",),
    "egenmeldt": ("sick_days_self",),
    "totalt": ("sick_days_certified", "sick_days_self"),
}
KIND_LABELS: dict[str, str] = {
    "legemeldt": "Legemeldt sykefravær",
    "egenmeldt": "Egenmeldt sykefravær",
    "totalt": "Samlet sykefravær (legemeldt og egenmeldt)",
}

#: age bands, left-closed: [0, 30), [30, 40), [40, 50), [50, 60), [60, ∞)
AGE_BANDS: tuple[str, ...] = ("<30", "30-39", "40-49", "50-59", "60+")
AGE_BREAKS: tuple[float, ...] = (-math.inf, 30, 40, 50, 60, math.inf)
AGE_BAND_LABELS: dict[str, str] = {
    "<30": "Under 30 år",
    "30-39": "30–39 år",
    "40-49": "40–49 år",
    "50-59": "50–59 år",
    "60+": "60 år og over",
}

#: value of a group column in a margin (total over that column)
TOTAL = "alle"

#: value columns of :func:`sick_leave_rates` (after the group columns and ``kind``)
RATE_COLUMNS: tuple[str, ...] = (
    "n_persons",
    "lost_days",
    "agreed_days",
    "rate_pct",
    "se_pct",
    "ci_low",
    "ci_high",
)

_UNIT = "__unit"
_X = "__agreed"
_HR_REQUIRED = ("agreed_workdays", "sick_days_certified", "sick_days_self")

_ORDERS: dict[str, tuple[Any, ...]] = {
    "gender": GENDERS,
    "job_group": JOB_GROUPS,
    "age_band": AGE_BANDS,
    "kind": KINDS,
}


# --------------------------------------------------------------------------- preparation


def age_band(age: pd.Series) -> pd.Series:
    """The age band (:data:`AGE_BANDS`) of each age; NaN where the age is missing."""
    bands = pd.cut(
        pd.to_numeric(age, errors="coerce").astype(float),
        bins=list(AGE_BREAKS),
        right=False,
        labels=list(AGE_BANDS),
    )
    return bands.astype(object).where(bands.notna(), np.nan)


def add_age_band(hr: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``hr`` with the column ``age_band`` (see :func:`age_band`)."""
    out = hr.copy()
    out["age_band"] = age_band(out["age"])
    return out


def lost_days(hr: pd.DataFrame, kind: str = "legemeldt") -> pd.Series:
    """Lost working days of each row for ``kind`` (``totalt`` = certified + self-certified)."""
    _check_kind(kind)
    cols = KIND_COLUMNS[kind]
    return hr[list(cols)].astype(float).sum(axis=1, min_count=len(cols))


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")


def _as_tuple(by: str | Iterable[str] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    if isinstance(by, str):
        return (by,)
    return tuple(by)


def _prepare(hr: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The columns needed, with ``age_band`` derived if asked for, a unit id per person, the
    lost days of every kind and the agreed days as floats."""
    needed = [*_HR_REQUIRED, *[c for c in columns if c != "age_band"]]
    if "age_band" in columns and "age_band" not in hr.columns:
        needed.append("age")
    missing = [c for c in dict.fromkeys(needed) if c not in hr.columns]
    if missing:
        raise ValueError(f"the HR frame lacks the column(s) {', '.join(missing)}")
    df = hr.copy()
    if "age_band" in columns and "age_band" not in df.columns:
        df["age_band"] = age_band(df["age"])
    # persons are the units; without person ids every row is its own unit
    df[_UNIT] = df["person_id"].astype(str) if "person_id" in df.columns else np.arange(len(df))
    for k in KINDS:
        df[f"__y_{k}"] = lost_days(df, k)
    df[_X] = df["agreed_workdays"].astype(float)
    return df


def order_key(column: str, values: pd.Series) -> pd.Series:
    """Sort key of group values: code-list order for known columns, else natural; 'alle' last."""
    order = _ORDERS.get(column)

    def key(v: Any) -> tuple[int, Any]:
        if isinstance(v, str) and v == TOTAL:
            return (2, "")
        if order is not None and v in order:
            return (0, order.index(v))
        return (1, str(v) if not isinstance(v, int | float | np.number) else float(v))

    return values.map(key)


def _sort(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    if frame.empty or not columns:
        return frame.reset_index(drop=True)
    keys = pd.DataFrame({c: order_key(c, frame[c]) for c in columns}, index=frame.index)
    order = sorted(range(len(frame)), key=lambda i: tuple(keys.iloc[i]))
    return frame.iloc[order].reset_index(drop=True)


# --------------------------------------------------------------------------- rates


def sick_leave_rates(
    hr: pd.DataFrame,
    by: str | Sequence[str] | None = ("gender",),
    kinds: Sequence[str] = KINDS,
    *,
    alpha: float = 0.05,
    margins: bool = False,
) -> pd.DataFrame:
    """Sick-leave rates (SSB definition) with person-level standard errors and 95 % CIs.

    ``rate_pct = Σ lost days × 100 / Σ agreed days`` per group (see the module docstring).

    Parameters
    ----------
    hr
        HR data, one row per person and year (``person_id`` identifies persons; a person with
        several rows in a group, e.g. several years, is one unit whose days are summed).
    by
        Group columns, e.g. ``("gender",)``, ``("job_group", "gender")``, ``("age_band",)``
        (derived from ``age`` when absent), or ``()`` for the whole frame.
    kinds
        Any of ``legemeldt``, ``egenmeldt``, ``totalt``.
    alpha
        1 − confidence level.
    margins
        Also return every margin: each subset of ``by`` with the other group columns set to
        ``"alle"`` (e.g. per job group over both genders, per gender over all job groups, and
        the grand total).

    Returns
    -------
    pandas.DataFrame
        Long format, one row per group and kind, with the columns ``*by, kind, n_persons,
        lost_days, agreed_days, rate_pct, se_pct, ci_low, ci_high``. ``n_persons`` counts
        persons with agreed days > 0 (persons without agreed days are left out: they are not
        at risk); ``se_pct`` is the linearised standard error of the rate in percentage
        points; ``ci_low``/``ci_high`` the log-scale Wald interval from 50 persons on, the
        gamma interval (Fay & Feuer 1997) below (:func:`analysis.methods.stats.ratio_ci`; NaN when
        no days were lost). Rows are in code-list order (genders K, M; job groups top to
        bottom; age bands young to old), margins ("alle") last.

    References
    ----------
    SSB, Sykefravær: om statistikken; Cochran (1977), ch. 6.

    Examples
    --------
    >>> hr = pd.DataFrame({"person_id": ["a", "b"], "gender": ["K", "M"],
    ...                    "agreed_workdays": [200.0, 100.0], "sick_days_certified": [10.0, 0.0],
    ...                    "sick_days_self": [2.0, 1.0]})
    >>> round(sick_leave_rates(hr, by=(), kinds=("totalt",))["rate_pct"].item(), 4)  # 13/300
    4.3333
    """
    by = _as_tuple(by)
    kinds = tuple(kinds)
    for k in kinds:
        _check_kind(k)
    df = _prepare(hr, by)
    if margins:
        subsets = [c for r in range(len(by), -1, -1) for c in itertools.combinations(by, r)]
    else:
        subsets = [by]
    ycols = [f"__y_{k}" for k in kinds]
    records: list[dict[str, Any]] = []
    for subset in subsets:
        keys = [*subset, _UNIT]
        persons = df.groupby(keys, sort=False, dropna=True)[[*ycols, _X]].sum().reset_index()
        persons = persons.loc[persons[_X] > 0]
        cells = (
            [((), persons)]
            if not subset
            else [
                (k if isinstance(k, tuple) else (k,), g)
                for k, g in persons.groupby(list(subset), sort=False)
            ]
        )
        for values, cell in cells:
            labels = dict.fromkeys(by, TOTAL)
            labels.update(dict(zip(subset, values, strict=True)))
            x = cell[_X].to_numpy(float)
            for k, yc in zip(kinds, ycols, strict=True):
                y = cell[yc].to_numpy(float)
                r, se = stats.ratio_estimate(y, x)
                lo, hi = (100 * v for v in stats.ratio_ci(y, x, alpha))
                records.append(
                    {
                        **labels,
                        "kind": k,
                        "n_persons": len(cell),
                        "lost_days": float(y.sum()),
                        "agreed_days": float(x.sum()),
                        "rate_pct": 100 * r,
                        "se_pct": 100 * se,
                        "ci_low": lo,
                        "ci_high": hi,
                    }
                )
    out = pd.DataFrame(records, columns=[*by, "kind", *RATE_COLUMNS])
    out["n_persons"] = out["n_persons"].astype(int)
    return _sort(out, [*by, "kind"])


def rate_bootstrap_ci(
    hr: pd.DataFrame,
    kind: str = "legemeldt",
    by: str | Sequence[str] | None = (),
    *,
    n_boot: int = 2000,
    seed: int = stats.DEFAULT_SEED,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Person-level bootstrap of the sick-leave rate, to cross-check the linearised SE.

    Within each group, persons (with all their lost and agreed days) are resampled with
    replacement and the rate ``Σy/Σx`` recomputed (Efron & Tibshirani 1993, ch. 6);
    :func:`analysis.methods.stats.bootstrap` does the resampling.

    Returns
    -------
    pandas.DataFrame
        ``*by, kind, n_persons, rate_pct, se_pct, ci_low, ci_high, n_boot``: the rate, the
        bootstrap standard deviation and the percentile interval, in per cent.
    """
    _check_kind(kind)
    by = _as_tuple(by)
    df = _prepare(hr, by)
    yc = f"__y_{kind}"
    persons = df.groupby([*by, _UNIT], sort=False)[[yc, _X]].sum().reset_index()
    persons = persons.loc[persons[_X] > 0]
    cells = (
        [((), persons)]
        if not by
        else [
            (k if isinstance(k, tuple) else (k,), g)
            for k, g in persons.groupby(list(by), sort=False)
        ]
    )

    def rate(y: np.ndarray, x: np.ndarray) -> float:
        sx = x.sum()
        return 100.0 * y.sum() / sx if sx > 0 else float("nan")

    records = []
    for values, cell in cells:
        res = stats.bootstrap(
            rate,
            [cell[yc].to_numpy(float), cell[_X].to_numpy(float)],
            n_boot=n_boot,
            seed=seed,
            alpha=alpha,
        )
        records.append(
            {
                **dict(zip(by, values, strict=True)),
                "kind": kind,
                "n_persons": len(cell),
                "rate_pct": res.estimate,
                "se_pct": res.se,
                "ci_low": res.ci_low,
                "ci_high": res.ci_high,
                "n_boot": n_boot,
            }
        )
    out = pd.DataFrame(
        records,
        columns=[*by, "kind", "n_persons", "rate_pct", "se_pct", "ci_low", "ci_high", "n_boot"],
    )
    return _sort(out, list(by))


# --------------------------------------------------------------------------- adjusted ratio


@dataclass(frozen=True)
class AdjustedRateRatio:
    """The sick-leave rate of women relative to men, adjusted and unadjusted.

    ``estimate`` (with ``ci_low``, ``ci_high``) is ``exp(β_K)`` from the model with
    ``covariates``; ``unadjusted`` (with its interval) from the same kind of model with
    gender only, which equals ``rate_K / rate_M``. ``dispersion`` is the quasi-Poisson scale
    ``φ`` (Pearson χ²/df) of the adjusted model, or the NB2 ``α`` for the negative binomial.
    ``n_persons`` counts the persons in the adjusted model. ``notes`` says what was dropped
    and why.
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
    notes: tuple[str, ...] = ()


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
    work["x"] = df[_X].to_numpy(float)
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
    covariates: Sequence[str] = ("job_group", "age_band"),
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
    _check_kind(kind)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if se not in ("sandwich", "model"):
        raise ValueError(f"unknown se {se!r}; use 'sandwich' or 'model'")
    covariates = _as_tuple(covariates)
    df = _prepare(hr, ("gender", *covariates))
    y_col = f"__y_{kind}"
    notes: list[str] = []
    n0 = len(df)
    df = df.loc[df[_X] > 0]
    if len(df) < n0:
        notes.append(f"{n0 - len(df)} rad(er) uten avtalte dagsverk er utelatt")
    df = df.dropna(subset=["gender", *covariates, y_col])
    df = df.loc[df["gender"].isin(GENDERS)]
    method_text = {
        "quasipoisson": "quasi-Poisson GLM, log(avtalte dagsverk) som offset, "
        "skala = Pearson χ²/fg",
        "negbin": "negativ binomisk (NB2), log(avtalte dagsverk) som offset",
    }[method]
    clustered = df[_UNIT].duplicated().any()
    robust = clustered or se == "sandwich"
    if robust:
        method_text += "; robuste standardfeil (sandwich) med personer som klynger"
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
            int(df[_UNIT].nunique()),
            method_text,
            (*notes, reason),
        )

    days = df.groupby("gender")[y_col].sum()
    if set(days.index) != set(GENDERS):
        return empty("begge kjønn må være med for å sammenligne")
    if (days <= 0).any():
        return empty("ett av kjønnene har ingen tapte dagsverk; forholdet er ikke definert")

    def groups_of(frame: pd.DataFrame) -> np.ndarray | None:
        return pd.factorize(frame[_UNIT])[0] if robust else None

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
        un = _fit_ratio(df[y_col], Xu, np.log(df[_X].to_numpy()), groups_of(df), method, alpha)

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
                notes.append(
                    f"{c} = {', '.join(map(str, zero))}: ingen tapte dagsverk, "
                    f"{n_drop} rad(er) utelatt fra den justerte modellen"
                )
                adj = adj.loc[~adj[c].astype(str).isin(zero)]
                changed = True
    for c in covariates:
        if not _is_categorical(adj[c]):
            continue
        genders = adj.groupby(adj[c].astype(str))["gender"].nunique()
        single = [lvl for lvl, v in genders.items() if v < 2]
        if single:
            notes.append(
                f"{c} = {', '.join(map(str, single))}: bare ett kjønn; bidrar ikke "
                "til sammenligningen av kvinner og menn"
            )
    if adj.groupby("gender")[y_col].sum().reindex(list(GENDERS)).fillna(0).le(0).any():
        return empty("etter utelatelsene mangler tapte dagsverk for ett av kjønnene")
    if grouped:
        est = _fit_ratio_grouped(adj, y_col, covariates, alpha, se)
    else:
        Xa = _design(adj, covariates)
        est = _fit_ratio(adj[y_col], Xa, np.log(adj[_X].to_numpy()), groups_of(adj), method, alpha)
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
        n_persons=int(adj[_UNIT].nunique()),
        method=method_text,
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- concentration


def _person_lost_days(hr: pd.DataFrame, kind: str) -> pd.DataFrame:
    df = _prepare(hr, ())
    yc = f"__y_{kind}"
    p = df.groupby(_UNIT, sort=True)[[yc, _X]].sum()
    return p.rename(columns={yc: "lost_days", _X: "agreed_days"})


def absence_concentration(
    hr: pd.DataFrame,
    kind: str = "legemeldt",
    shares: Sequence[float] = (0.05, 0.10, 0.20),
    *,
    long_term_threshold_days: float = 16.0,
) -> pd.DataFrame:
    """How concentrated lost days are on few persons.

    Rows (column ``measure``):

    ``top_share``
        For each of ``shares``: the share of all lost days carried by the ``k = ⌈share·n⌉``
        persons with the most lost days (:func:`analysis.methods.stats.top_share`; ties cannot
        change
        the sum, so the result is deterministic).
    ``long_term_proxy`` / ``short_term_proxy`` / ``no_absence``
        Persons with more than ``long_term_threshold_days`` lost days in total, with 0 < days
        <= threshold, and with none; their share of persons and of lost days. This is a
        **proxy**: the data hold one total per person and year, not spells, so long and short
        spells cannot be separated. The employer period (arbeidsgiverperioden) is 16 calendar
        days, about 12 working days; a total above 16 lost working days cannot come from
        one spell within the employer period, so it marks persons who very likely had a
        spell beyond it (long-term absence paid by NAV) — but it also catches persons with
        many short spells, and misses graded or part-time long spells that lose few days.
    ``gini``
        The Gini coefficient of lost days over persons (0 = everyone lost the same, near 1 =
        one person lost everything; :func:`analysis.methods.stats.gini`).

    Persons are summed over their rows (``person_id``); persons without agreed days are left
    out.

    Returns
    -------
    pandas.DataFrame
        ``kind, measure, label, person_share, n_persons, lost_days, value``: ``value`` is the
        share of lost days (0–1) for the first four measures and the coefficient for ``gini``.
    """
    _check_kind(kind)
    p = _person_lost_days(hr, kind)
    p = p.loc[p["agreed_days"] > 0]
    v = p["lost_days"].to_numpy(float)
    n, total = v.size, float(v.sum())
    rows: list[dict[str, Any]] = []
    for s in shares:
        k, sh = stats.top_share(v, s) if n else (0, float("nan"))
        top = float(np.sort(v)[::-1][:k].sum())
        rows.append(
            dict(
                measure="top_share",
                label=f"De {fmt_pct(100 * s, 1, trim=True)} med mest fravær",
                person_share=k / n if n else float("nan"),
                n_persons=k,
                lost_days=top,
                value=sh,
            )
        )
    days = fmt_number(long_term_threshold_days, 1, trim=True)
    groups = {
        "long_term_proxy": (
            v > long_term_threshold_days,
            f"Mer enn {days} tapte dagsverk (antatt langtidsfravær)",
        ),
        "short_term_proxy": (
            (v > 0) & (v <= long_term_threshold_days),
            f"1–{days} tapte dagsverk (antatt korttidsfravær)",
        ),
        "no_absence": (v == 0, "Ingen tapte dagsverk"),
    }
    for measure, (mask, label) in groups.items():
        d = float(v[mask].sum())
        rows.append(
            dict(
                measure=measure,
                label=label,
                person_share=mask.sum() / n if n else float("nan"),
                n_persons=int(mask.sum()),
                lost_days=d,
                value=d / total if total > 0 else float("nan"),
            )
        )
    rows.append(
        dict(
            measure="gini",
            label="Gini-koeffisient",
            person_share=1.0 if n else float("nan"),
            n_persons=n,
            lost_days=total,
            value=stats.gini(v) if n else float("nan"),
        )
    )
    out = pd.DataFrame(rows)
    out.insert(0, "kind", kind)
    out["n_persons"] = out["n_persons"].astype(int)
    return out[["kind", "measure", "label", "person_share", "n_persons", "lost_days", "value"]]


def lorenz_curve(
    hr: pd.DataFrame, kind: str = "legemeldt", points: int | None = 101
) -> pd.DataFrame:
    """The Lorenz curve of lost days over persons.

    Parameters
    ----------
    points
        Evaluate the curve on this many equally spaced person shares from 0 to 1 (linear
        interpolation of the exact curve), so that a plot does not show single persons.
        ``None`` returns the exact curve (one point per person).

    Returns
    -------
    pandas.DataFrame
        ``person_share`` (0–1, persons sorted by lost days ascending) and
        ``lost_days_share`` (0–1).
    """
    _check_kind(kind)
    p = _person_lost_days(hr, kind)
    p = p.loc[p["agreed_days"] > 0]
    ps, ls = stats.lorenz_curve(p["lost_days"].to_numpy(float))
    if points is not None:
        grid = np.linspace(0.0, 1.0, points)
        ls = np.interp(grid, ps, ls)
        ps = grid
    return pd.DataFrame({"person_share": ps, "lost_days_share": ls})


# --------------------------------------------------------------------------- published


SERIES_COLUMNS = ["year", "gender", "kind", "rate_pct", "source_document", "source_section", "note"]


def published_series(sick: pd.DataFrame | None = None) -> pd.DataFrame:
    """IMDi's published sick-leave rates, 2013–2025, by gender and kind.

    Parameters
    ----------
    sick
        The ``sick_leave`` table; default: loaded with
        ``load_published("sick_leave", preferred_only=True)``. If it has a ``preferred``
        column, only preferred rows are kept.

    Returns
    -------
    pandas.DataFrame
        ``year, gender, kind, rate_pct, source_document, source_section, note``, one row per
        published (year, gender, kind), sorted by kind, gender (K, M, alle) and year. Only
        years with published figures appear (2013, 2014, 2023–2025): nothing is
        interpolated.
    """
    if sick is None:
        sick = load_published("sick_leave", preferred_only=True)
    elif "preferred" in sick.columns:
        sick = sick.loc[sick["preferred"].fillna(False).astype(bool)]
    out = sick[[c for c in SERIES_COLUMNS if c in sick.columns]].copy()
    out["year"] = out["year"].astype(int)
    out["rate_pct"] = out["rate_pct"].astype(float)
    out = _sort(out, ["kind", "gender", "year"])
    return out


def published_reconciliation(directory: Path | None = None) -> pd.DataFrame:
    """Findings of :func:`analysis.data.quality.check_sick_leave_totals` for the published
    sick-leave table, with the women's headcount shares from the preferred rows of the pay
    table (preferred) and the workforce table.

    Returns the findings frame (:data:`analysis.data.quality.FINDING_COLUMNS`).
    """
    sick = load_published("sick_leave", directory=directory, preferred_only=True)
    pay = load_published("pay_by_job_group", directory=directory, preferred_only=True)
    workforce = load_published("workforce", directory=directory, preferred_only=True)
    return check_sick_leave_totals(sick, pay, workforce)


# --------------------------------------------------------------------------- benchmark


BENCHMARK_FILE = "benchmarks_sick_leave.csv"
BENCHMARK_KEY: tuple[str, ...] = ("year", "benchmark", "kind")
BENCHMARK_SCHEMA = Schema(
    name="benchmarks_sick_leave",
    description="Published sick-leave rates to compare IMDi with (e.g. the state administration)",
    columns=(
        Column(
            "year",
            "int",
            min=2000,
            max=2100,
            unit="year",
            description="year the benchmark rate refers to",
        ),
        Column("benchmark", "str", description="what the rate is for, e.g. 'statlig forvaltning'"),
        Column(
            "kind",
            "str",
            allowed=KINDS,
            description="legemeldt = doctor-certified, egenmeldt = self-certified, totalt = both",
        ),
        Column(
            "rate_pct",
            "float",
            min=0,
            max=100,
            unit="pct",
            description="the benchmark sick-leave rate in per cent, as published",
        ),
        *CITATION_COLUMNS,
    ),
    allow_extra_columns=False,
)
BENCHMARK_COLUMNS = BENCHMARK_SCHEMA.names


def _empty_benchmark() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": pd.Series(dtype="Int64"),
            "benchmark": pd.Series(dtype="string"),
            "kind": pd.Series(dtype="string"),
            "rate_pct": pd.Series(dtype=float),
            "source_document": pd.Series(dtype="string"),
            "source_section": pd.Series(dtype="string"),
            "source_quote": pd.Series(dtype="string"),
            "note": pd.Series(dtype="string"),
            "preferred": pd.Series(dtype="boolean"),
        }
    )


def _read_benchmark(path: Path) -> pd.DataFrame:
    display = f"data/raw/published/{path.name}" if path.parent == published_dir() else str(path)
    raw = read_csv_text(path, display_name=display, decimal=".")
    if raw.delimiter != ",":
        raise DataValidationError(
            [Problem(display, 1, None, None, "published tables must be comma-separated")]
        )
    frame = validate(raw.frame, BENCHMARK_SCHEMA, display, decimal=".", row_numbers=raw.row_numbers)
    entry = TableEntry(
        file=path.name,
        name=BENCHMARK_SCHEMA.name,
        title="Sick-leave benchmarks",
        description=BENCHMARK_SCHEMA.description,
        key=BENCHMARK_KEY,
        schema=BENCHMARK_SCHEMA,
        raw={},
    )
    problems = citation_problems(frame, entry, display, raw.row_numbers, path.parent)
    if problems:
        raise DataValidationError(problems)
    return frame


def load_benchmark(
    path: Path | str | None = None,
    *,
    year: int | None = None,
    kind: str | None = None,
    benchmark: str | None = None,
) -> pd.DataFrame:
    """Published benchmark rates (e.g. the state administration's average), if any.

    Parameters
    ----------
    path
        The benchmark file; default ``data/raw/published/benchmarks_sick_leave.csv`` (loaded
        through the catalogue when it has an entry for it).
    year, kind, benchmark
        Keep only these rows.

    Returns
    -------
    pandas.DataFrame
        Preferred rows with :data:`BENCHMARK_COLUMNS`; **empty** when the file does not exist
        or has no matching row — no benchmark is ever made up.

    Raises
    ------
    DataValidationError
        When the file exists but breaks the schema (format in the module docstring) or its
        citations do not check out (document missing, quote not in it, not exactly one
        preferred row per year, benchmark and kind).
    """
    if path is None:
        directory = published_dir()
        p = directory / BENCHMARK_FILE
        if not p.is_file():
            return _empty_benchmark()
        if BENCHMARK_SCHEMA.name in load_catalogue(directory):
            frame = load_published(BENCHMARK_SCHEMA.name, directory=directory)
        else:
            frame = _read_benchmark(p)
    else:
        p = Path(path)
        if not p.is_file():
            return _empty_benchmark()
        frame = _read_benchmark(p)
    frame = frame.loc[frame["preferred"].fillna(False).astype(bool)]
    if year is not None:
        frame = frame.loc[frame["year"] == year]
    if kind is not None:
        frame = frame.loc[frame["kind"] == kind]
    if benchmark is not None:
        frame = frame.loc[frame["benchmark"] == benchmark]
    return frame[BENCHMARK_COLUMNS].reset_index(drop=True)


def benchmark_statement(
    benchmark: pd.DataFrame, year: int, kind: str = "totalt", name: str = "statlig forvaltning"
) -> str:
    """One sentence in bokmål for the report: the benchmark rate, or that there is none."""
    from analysis.render.formatting import fmt_pct

    _check_kind(kind)
    sel = benchmark
    if not sel.empty:
        sel = sel.loc[(sel["year"] == year) & (sel["kind"] == kind) & (sel["benchmark"] == name)]
    what = KIND_LABELS[kind].lower()
    if sel.empty:
        return (
            f"Sammenligningstall for {name} ({what}, {year}) er ikke tilgjengelig i de "
            "publiserte kildene prosjektet bygger på. Målet om å ligge under "
            "gjennomsnittet kan derfor ikke vurderes her."
        )
    r = sel.iloc[0]
    return (
        f"Til sammenligning var {what} i {name} {fmt_pct(float(r['rate_pct']), 1)} i "
        f"{year} (kilde: {r['source_document']}, {r['source_section']})."
    )


# --------------------------------------------------------------------------- suppression


def rates_table_for_report(
    rates: pd.DataFrame,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    column: str = "gender",
    force: Any = (),
) -> pd.DataFrame:
    """Rates ready to publish: cells resting on fewer than ``min_cell`` persons hidden.

    The table is two-way, group × gender (or one-way), *with margins*: the rows "alle" of
    :func:`sick_leave_rates` with ``margins=True`` (when absent, margin counts are summed
    from the cells). :func:`analysis.disclosure.tables.protect` protects the cells and the margins
    together: a small margin (a job group of three persons) is hidden too, and for every
    shown margin the hidden cells behind it are none, or at least two holding at least
    ``min_cell`` persons (secondary suppression; margins hidden when nothing else is left).
    The same cells are hidden for every kind.

    Parameters
    ----------
    rates
        Output of :func:`sick_leave_rates` with at most two group columns.
    min_cell
        Smallest number of persons a published cell may rest on.
    column
        The column dimension of the two-way table (default ``gender``).
    force
        ``(row, column)`` cells to hide whatever their size (:data:`TOTAL` for a margin),
        because another table of the same people gives them away
        (:func:`analysis.disclosure.tables.joint_audit`); protected like any hidden cell.

    Returns
    -------
    pandas.DataFrame
        ``rates`` with every value column (:data:`RATE_COLUMNS`, ``n_persons`` included) set
        to NaN in hidden cells and a boolean column ``suppressed``.
    """
    dims = [c for c in rates.columns if c not in (*RATE_COLUMNS, "kind", "suppressed")]
    if len(dims) > 2:
        raise ValueError(f"a report table has at most two dimensions, got {', '.join(dims)}")
    if not dims:  # one cell: only primary suppression
        mask = primary_mask(rates["n_persons"].astype(float), min_cell)
        return suppress(rates, mask, columns=list(RATE_COLUMNS))
    cells = rates.drop_duplicates(dims)[[*dims, "n_persons"]]
    if len(dims) == 1:
        (row_dim,) = dims
        grid = cells.set_index(row_dim)["n_persons"].astype(float)
        inner = grid.drop(index=[TOTAL], errors="ignore").to_frame("n")
        forced = [(MARGIN if k[0] == TOTAL else k[0], "n") for k in force]
        p = protect(
            inner, min_cell, row_totals=False, col_totals=True, grand_total=False, force=forced
        )
        lookup = {(k,): bool(v) for k, v in p.cells["n"].items()}
        lookup[(TOTAL,)] = bool(p.col_totals["n"])
        keys = list(zip(rates[row_dim], strict=True))
    else:
        col_dim = column if column in dims else dims[1]
        row_dim = next(d for d in dims if d != col_dim)
        grid = cells.pivot(index=row_dim, columns=col_dim, values="n_persons").astype(float)
        inner_rows = [r for r in grid.index if r != TOTAL]
        inner_cols = [c for c in grid.columns if c != TOTAL]
        inner = grid.loc[inner_rows, inner_cols].fillna(0)
        # the margins (rows "alle") are the sums of the cells: protect cells and margins
        # together against every margin shown (analysis.disclosure.tables)
        forced = [tuple(MARGIN if x == TOTAL else x for x in k) for k in force]
        p = protect(
            inner, min_cell, row_totals=True, col_totals=True, grand_total=True, force=forced
        )
        lookup = {(r, c): bool(p.cells.loc[r, c]) for r in inner_rows for c in inner_cols}
        lookup.update({(r, TOTAL): bool(p.row_totals[r]) for r in inner_rows})
        lookup.update({(TOTAL, c): bool(p.col_totals[c]) for c in inner_cols})
        lookup[(TOTAL, TOTAL)] = p.grand_total
        keys = list(zip(rates[row_dim], rates[col_dim], strict=True))
    mask = pd.Series([lookup.get(k, False) for k in keys], index=rates.index)
    return suppress(rates, mask, columns=list(RATE_COLUMNS))


# --------------------------------------------------------------------------- key figures


def _r(x: float, nd: int = 6) -> float:
    return round(float(x), nd) if x is not None and math.isfinite(float(x)) else float("nan")


def key_figures(
    year: int, data_source: str, hr: pd.DataFrame, kind: str = "legemeldt"
) -> dict[str, Any]:
    """The sick-leave key figures of one year, for the JSON key-figure record.

    ``hr`` is restricted to ``year`` when it has a ``year`` column. Rates are in per cent
    (SSB definition); ``rate_ratio_women_vs_men`` is the unadjusted rate ratio women/men
    of ``kind`` (default: doctor-certified); ``adjusted_rate_ratio`` the quasi-Poisson
    estimate adjusted for job group and age band (:func:`adjusted_rate_ratio`).

    Returns
    -------
    dict
        ``year, data_source, rate_total_pct, rate_certified_pct, rate_self_pct,
        by_gender {K, M: {total_pct, certified_pct, self_pct}}, rate_ratio_women_vs_men,
        adjusted_rate_ratio {estimate, ci_low, ci_high, covariates}``.
    """
    _check_kind(kind)
    if "year" in hr.columns:
        hr = hr.loc[hr["year"] == year]
        if hr.empty:
            raise ValueError(f"the HR frame has no rows for {year}")
    overall = sick_leave_rates(hr, by=(), kinds=KINDS).set_index("kind")["rate_pct"]
    by_g = sick_leave_rates(hr, by=("gender",), kinds=KINDS).set_index(["gender", "kind"])[
        "rate_pct"
    ]
    names = {"totalt": "total_pct", "legemeldt": "certified_pct", "egenmeldt": "self_pct"}
    by_gender = {
        g: {
            names[k]: _r(by_g.get((g, k), float("nan")))
            for k in ("totalt", "legemeldt", "egenmeldt")
        }
        for g in GENDERS
    }
    adj = adjusted_rate_ratio(hr, kind=kind)
    return {
        "year": int(year),
        "data_source": str(data_source),
        "rate_total_pct": _r(overall["totalt"]),
        "rate_certified_pct": _r(overall["legemeldt"]),
        "rate_self_pct": _r(overall["egenmeldt"]),
        "by_gender": by_gender,
        "rate_ratio_women_vs_men": _r(adj.unadjusted),
        "adjusted_rate_ratio": {
            "estimate": _r(adj.estimate),
            "ci_low": _r(adj.ci_low),
            "ci_high": _r(adj.ci_high),
            "covariates": list(adj.covariates),
        },
    }
