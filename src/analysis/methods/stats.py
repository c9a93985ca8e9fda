"""Small, independent statistics helpers shared by the analyses.

Every function here takes plain arrays (or array-likes) and returns numbers, tuples or small
frozen results; none knows about the HR data, the published tables or the reports. Keep it
that way: a helper that needs a DataFrame belongs in the analysis module that uses it. The
result types have ``table()`` (a one-row DataFrame) and ``_repr_html_`` (that table, for
JupyterLab).

Contents
--------
``normal_quantile``      the two-sided normal critical value for ``alpha``
``normal_ci``            Wald interval ``estimate ± z·se``
``log_normal_ci``        Wald interval on the log scale, for positive estimates (ratios, rates)
``wilson_ci``            Wilson score interval for a binomial proportion (Wilson 1927)
``ratio_estimate``       ratio estimator ``R = Σy / Σx`` with its linearised standard error
                         (Cochran 1977, ch. 6)
``gamma_ratio_ci``       small-sample interval for a ratio of sums of a skewed quantity
                         (gamma interval after Fay & Feuer 1997)
``ratio_ci``             the interval used for rates: log-scale Wald from ``n_small`` units
                         on, the gamma interval below
``weighted_mean``        weighted arithmetic mean
``weighted_quantile``    weighted quantile, inverted empirical CDF (Hyndman & Fan 1996, type 1)
``bootstrap``            seeded non-parametric bootstrap over units (rows), optionally stratified
                         (Efron & Tibshirani 1993)
``lorenz_curve``, ``gini``, ``top_share``
                         concentration of a non-negative quantity over units (Lorenz 1905;
                         Gini 1912)

References
----------
Agresti, A. & Coull, B. A. (1998). Approximate is better than "exact" for interval estimation
    of binomial proportions. The American Statistician 52(2), 119–126.
Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley. Chapter 6 (ratio estimators).
Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
Fay, M. P. & Feuer, E. J. (1997). Confidence intervals for directly standardized rates: a
    method based on the gamma distribution. Statistics in Medicine 16(7), 791–801.
Gini, C. (1912). Variabilità e mutabilità. Bologna: Tipografia di Paolo Cuppini.
Hyndman, R. J. & Fan, Y. (1996). Sample quantiles in statistical packages. The American
    Statistician 50(4), 361–365.
Lorenz, M. O. (1905). Methods of measuring the concentration of wealth. Publications of the
    American Statistical Association 9(70), 209–219.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    Journal of the American Statistical Association 22(158), 209–212.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_SEED",
    "BootstrapResult",
    "RatioEstimate",
    "bootstrap",
    "gamma_ratio_ci",
    "gini",
    "log_normal_ci",
    "lorenz_curve",
    "normal_ci",
    "normal_quantile",
    "ratio_ci",
    "ratio_estimate",
    "top_share",
    "weighted_mean",
    "weighted_quantile",
    "wilson_ci",
]

#: default seed of the bootstrap helpers: results are reproducible unless a seed is given
DEFAULT_SEED = 20250101

_LABELS = {
    "estimate": "Estimat",
    "se": "Standardfeil",
    "n_boot": "Replikater",
    "seed": "Frø",
}


def _html(
    table: pd.DataFrame, caption: str, note: str, labels: dict[str, str] | None = None
) -> str:
    """A one-row result table as accessible HTML (Norwegian number formatting); ``labels``
    override the column labels of :data:`_LABELS`."""
    from analysis.render.formatting import fmt_int, fmt_number
    from analysis.render.tables import html_table

    def number(v: object) -> str:
        return fmt_number(v, 4)  # type: ignore[arg-type]

    def whole(v: object) -> str:
        return fmt_int(v)  # type: ignore[arg-type]

    shown = table.astype({"seed": str}) if "seed" in table.columns else table  # an id
    formats = {c: whole if c == "n_boot" else number for c in table.columns if c != "seed"}
    return html_table(
        shown, caption=caption, labels={**_LABELS, **(labels or {})}, formats=formats, note=note
    )


# --------------------------------------------------------------------------- intervals


def normal_quantile(alpha: float = 0.05) -> float:
    """The critical value ``z`` with ``P(|Z| > z) = alpha`` (1.959964 for ``alpha=0.05``)."""
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha må ligge i (0, 1), fikk {alpha}")
    return NormalDist().inv_cdf(1.0 - alpha / 2.0)


def normal_ci(estimate: float, se: float, alpha: float = 0.05) -> tuple[float, float]:
    """Wald interval ``estimate ± z·se``; NaN when either input is NaN."""
    z = normal_quantile(alpha)
    return float(estimate - z * se), float(estimate + z * se)


def log_normal_ci(estimate: float, se: float, alpha: float = 0.05) -> tuple[float, float]:
    """Wald interval computed on the log scale: ``estimate · exp(±z·se/estimate)``.

    The delta method gives ``se(log R) ≈ se(R)/R``; the interval is then transformed back, so
    it is asymmetric and never negative, which suits rates and ratios whose sampling
    distribution is skewed in small groups. For ``estimate <= 0`` (no events) the interval
    is undefined and NaN is returned.
    """
    if not estimate > 0 or math.isnan(se):
        return float("nan"), float("nan")
    z = normal_quantile(alpha)
    f = math.exp(z * se / estimate)
    return float(estimate / f), float(estimate * f)


def wilson_ci(k: ArrayLike, n: ArrayLike, alpha: float = 0.05):
    """Wilson score interval for a binomial proportion ``k/n`` (no continuity correction).

    ``centre = (p + z²/2n) / (1 + z²/n)``,
    ``half = z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n)`` (Wilson 1927; recommended over the Wald
    interval by Agresti & Coull 1998). Identical to
    ``statsmodels.stats.proportion.proportion_confint(k, n, alpha, method="wilson")``.

    Parameters
    ----------
    k, n
        Successes and trials: scalars or arrays of the same shape. ``n = 0`` gives NaN.
    alpha
        1 − confidence level.

    Returns
    -------
    (low, high)
        Floats for scalar input, arrays otherwise.
    """
    k_arr = np.asarray(k, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    if np.any(k_arr < 0) or np.any(k_arr > n_arr):
        raise ValueError("wilson_ci krever 0 <= k <= n")
    z = normal_quantile(alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k_arr / n_arr
        denom = 1.0 + z**2 / n_arr
        centre = (p + z**2 / (2.0 * n_arr)) / denom
        half = z * np.sqrt(p * (1.0 - p) / n_arr + z**2 / (4.0 * n_arr**2)) / denom
    # exactly 0 for k = 0 and 1 for k = n (the formula gives that up to rounding)
    low = np.where(k_arr == 0, 0.0, centre - half)
    high = np.where(k_arr == n_arr, 1.0, centre + half)
    low = np.where(n_arr > 0, np.clip(low, 0.0, 1.0), np.nan)
    high = np.where(n_arr > 0, np.clip(high, 0.0, 1.0), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


# --------------------------------------------------------------------------- ratio estimator


class RatioEstimate(NamedTuple):
    """``R = Σy/Σx`` and its linearised standard error (unpacks as ``R, se``)."""

    estimate: float
    se: float

    def table(self) -> pd.DataFrame:
        """One row: ``estimate``, ``se``."""
        import pandas as pd

        return pd.DataFrame([{"estimate": float(self.estimate), "se": float(self.se)}])

    def _repr_html_(self) -> str:
        """:meth:`table` as an accessible HTML table for JupyterLab."""
        return _html(self.table(), "Forholdsestimat R = Σy/Σx", "Linearisert standardfeil.")


def ratio_estimate(y: ArrayLike, x: ArrayLike) -> RatioEstimate:
    """Ratio estimator ``R = Σy/Σx`` over units with its Taylor-linearised standard error.

    ``Var(R) ≈ 1/(n(n−1)) · Σ (y_i − R·x_i)² / x̄²`` (Cochran 1977, eq. 6.9 without the
    finite-population correction). Each unit ``i`` contributes one ``(y_i, x_i)`` pair, so
    whatever correlation there is *within* a unit (e.g. the days of one person's absence) is
    carried by the unit's residual ``y_i − R·x_i``: the variance is that of a cluster sample
    with units as clusters.

    No finite-population correction is applied: when the units are a whole population (all
    employees), the standard error describes the variability of the process that generated
    the rates (a superpopulation view), which is what a comparison between groups or years
    needs.

    Parameters
    ----------
    y, x
        Numerator and denominator per unit (1-d, same length). ``x`` must be non-negative.

    Returns
    -------
    RatioEstimate
        ``(estimate, se)``; estimate NaN if ``Σx = 0``, se NaN if fewer than 2 units.
    """
    y_arr = np.asarray(y, dtype=float).ravel()
    x_arr = np.asarray(x, dtype=float).ravel()
    if y_arr.shape != x_arr.shape:
        raise ValueError("y og x må ha samme lengde")
    n = y_arr.size
    sx = x_arr.sum()
    if n == 0 or sx == 0:
        return RatioEstimate(float("nan"), float("nan"))
    r = y_arr.sum() / sx
    if n < 2:
        return RatioEstimate(float(r), float("nan"))
    resid = y_arr - r * x_arr
    xbar = sx / n
    var = (resid**2).sum() / (n * (n - 1)) / xbar**2
    return RatioEstimate(float(r), float(math.sqrt(var)))


def gamma_ratio_ci(
    y: ArrayLike, x: ArrayLike, alpha: float = 0.05, df_adjust: bool = True
) -> tuple[float, float]:
    """Gamma interval for ``R = Σy/Σx`` when y is non-negative and heavily skewed.

    Skewed y (sick leave: most persons lose few days, a few lose months) gives a ratio whose
    sampling distribution is right-skewed, and the probability that a sample holds none of
    the rare large values is substantial; Wald intervals (also on the log scale, with t
    quantiles or the jackknife) and the bootstrap (percentile, BCa, bootstrap-t) then miss
    the true rate far too often from below (``docs/calibration.md``). Following Fay & Feuer
    (1997), R is treated as gamma distributed with its estimated mean ``R`` and variance
    ``v``::

        lower = v/(2R) · χ²_{α/2}(2R²/v)
        upper = (v + w²)/(2(R + w)) · χ²_{1−α/2}(2(R + w)²/(v + w²))

    where ``w = max_i y_i / Σx`` is the contribution of the unit with the largest y: as Fay
    and Feuer's "one more event of the largest weight", the upper limit allows for one more
    unit like the most extreme one seen. ``v`` is the linearised variance of
    :func:`ratio_estimate`; with ``df_adjust`` it is multiplied by ``(t_{n−1, 1−α/2} /
    z_{1−α/2})²``, the degrees-of-freedom adjustment of Korn & Graubard (1998) for a variance
    estimated from n units (it matters in small groups only: 1,09 at 30 units, 1,02 at 100).

    Returns
    -------
    (low, high)
        NaN when ``Σy = 0`` or fewer than 2 units.

    References
    ----------
    Fay, M. P. & Feuer, E. J. (1997). Confidence intervals for directly standardized rates: a
    method based on the gamma distribution. *Statistics in Medicine* 16, 791–801.
    Korn, E. L. & Graubard, B. I. (1998). Confidence intervals for proportions with small
    expected number of positive counts estimated from survey data. *Survey Methodology* 24,
    193–201.
    """
    y_arr = np.asarray(y, dtype=float).ravel()
    x_arr = np.asarray(x, dtype=float).ravel()
    r, se = ratio_estimate(y_arr, x_arr)
    if not r > 0 or not se > 0:
        return float("nan"), float("nan")
    from scipy import stats as sps

    v = se**2
    if df_adjust:
        q = 1 - alpha / 2
        v *= (sps.t.ppf(q, y_arr.size - 1) / sps.norm.ppf(q)) ** 2
    w = float(y_arr.max() / x_arr.sum())
    low = v / (2 * r) * sps.chi2.ppf(alpha / 2, 2 * r**2 / v)
    high = (v + w**2) / (2 * (r + w)) * sps.chi2.ppf(1 - alpha / 2, 2 * (r + w) ** 2 / (v + w**2))
    return float(low), float(high)


#: the intervals :func:`ratio_ci` offers
RATIO_CI_METHODS = ("gamma", "log_wald")


def ratio_ci(
    y: ArrayLike, x: ArrayLike, alpha: float = 0.05, method: str = "gamma"
) -> tuple[float, float]:
    """Interval for ``R = Σy/Σx`` from per-unit ``(y_i, x_i)``.

    ``method="gamma"`` (default): :func:`gamma_ratio_ci` with the degrees-of-freedom
    adjustment, at every group size: in the calibration study (``docs/calibration.md``) it
    covers at least 93 % at 30 units and 95–97 % from 100 units on, where the log-scale Wald
    interval covers 85–88 % at 30 and about 91 % at 100. ``method="log_wald"``: the
    log-scale Wald interval (:func:`log_normal_ci` with the linearised SE), for comparison.
    """
    if method not in RATIO_CI_METHODS:
        raise ValueError(f"ukjent intervallmetode {method!r}; velg en av {RATIO_CI_METHODS}")
    y_arr = np.asarray(y, dtype=float).ravel()
    if method == "gamma":
        return gamma_ratio_ci(y_arr, x, alpha)
    r, se = ratio_estimate(y_arr, x)
    return log_normal_ci(r, se, alpha)


# --------------------------------------------------------------------------- weighted stats


def _pairs(x: ArrayLike, w: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    xa = np.asarray(x, dtype=float).ravel()
    wa = np.asarray(w, dtype=float).ravel()
    if xa.shape != wa.shape:
        raise ValueError("values og weights må ha samme lengde")
    keep = ~(np.isnan(xa) | np.isnan(wa))
    xa, wa = xa[keep], wa[keep]
    if np.any(wa < 0):
        raise ValueError("weights kan ikke være negative")
    return xa, wa


def weighted_mean(x: ArrayLike, w: ArrayLike) -> float:
    """``Σ w·x / Σ w``, ignoring pairs where either is NaN; NaN if the weights sum to 0."""
    xa, wa = _pairs(x, w)
    sw = wa.sum()
    return float((wa * xa).sum() / sw) if sw > 0 else float("nan")


def weighted_quantile(x: ArrayLike, w: ArrayLike, q: float | ArrayLike):
    """Weighted quantile by the inverted empirical distribution function.

    The ``q``-quantile is the smallest value ``x_(j)`` whose cumulative weight share reaches
    ``q``: ``min{x_(j) : Σ_{i<=j} w_(i) / Σ w >= q}`` (Hyndman & Fan 1996, definition 1,
    with weights; equals ``numpy.quantile(x, q, weights=w, method="inverted_cdf")``). With
    equal weights it is an order statistic, never an interpolation, so it is always a value
    that occurs in the data. Pairs with NaN are ignored; zero weights do not count.

    Parameters
    ----------
    x, w
        Values and non-negative weights.
    q
        Probability or array of probabilities in [0, 1].
    """
    xa, wa = _pairs(x, w)
    qa = np.asarray(q, dtype=float)
    if np.any((qa < 0) | (qa > 1)):
        raise ValueError("q må ligge i [0, 1]")
    keep = wa > 0
    xa, wa = xa[keep], wa[keep]
    if xa.size == 0:
        out = np.full(qa.shape, np.nan)
        return float(out) if out.ndim == 0 else out
    order = np.argsort(xa, kind="stable")
    xs, cw = xa[order], np.cumsum(wa[order])
    share = cw / cw[-1]
    # a tiny tolerance so that q exactly at a cumulative share picks that value
    idx = np.searchsorted(share, qa - 1e-12, side="left")
    idx = np.clip(idx, 0, xs.size - 1)
    out = xs[idx]
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- bootstrap


@dataclass(frozen=True)
class BootstrapResult:
    """A bootstrap estimate: the statistic on the data, the bootstrap SE and percentile CI.

    ``alpha`` is 1 − the confidence level of the interval ``[ci_low, ci_high]``.
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n_boot: int
    seed: int
    replicates: np.ndarray = field(repr=False, compare=False)
    alpha: float = 0.05

    def table(self) -> pd.DataFrame:
        """One row: ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n_boot``, ``seed``."""
        import pandas as pd

        cols = ("estimate", "se", "ci_low", "ci_high", "n_boot", "seed")
        return pd.DataFrame([{c: getattr(self, c) for c in cols}])

    def _repr_html_(self) -> str:
        """:meth:`table` as an accessible HTML table for JupyterLab."""
        from analysis.render.formatting import fmt_ci_level

        level = fmt_ci_level(self.alpha)
        return _html(
            self.table(),
            "Bootstrap-estimat",
            "Standardfeil: standardavviket til replikatene; intervallet er persentilintervallet.",
            labels={"ci_low": f"{level} KI, nedre", "ci_high": f"{level} KI, øvre"},
        )


def bootstrap(
    statistic: Callable[..., float],
    arrays: Sequence[ArrayLike],
    *,
    n_boot: int = 2000,
    seed: int = DEFAULT_SEED,
    alpha: float = 0.05,
    strata: ArrayLike | None = None,
) -> BootstrapResult:
    """Seeded non-parametric bootstrap over units (Efron & Tibshirani 1993, ch. 6 and 13).

    The rows of ``arrays`` (one row per unit) are resampled jointly with replacement; with
    ``strata`` they are resampled within each stratum, keeping the stratum sizes fixed.
    Resample whole clusters (e.g. one row per person holding the person's totals) to respect
    dependence within clusters.

    Parameters
    ----------
    statistic
        ``statistic(*resampled_arrays) -> float``.
    arrays
        1-d arrays of equal length.
    n_boot
        Number of replicates.
    seed
        Seed of ``numpy.random.default_rng``: the same seed gives the same result.
    alpha
        1 − confidence level of the percentile interval.
    strata
        Optional stratum label per unit.

    Returns
    -------
    BootstrapResult
        ``se`` is the standard deviation of the replicates (ddof=1); the interval is the
        percentile interval (the ``alpha/2`` and ``1 − alpha/2`` quantiles of the replicates,
        replicates that are NaN ignored).
    """
    arrs = [np.asarray(a) for a in arrays]
    if not arrs:
        raise ValueError("bootstrap trenger minst én tabell (array)")
    n = arrs[0].shape[0]
    if any(a.shape[0] != n for a in arrs):
        raise ValueError("alle tabellene (arrays) må ha samme lengde")
    if n == 0:
        raise ValueError("bootstrap trenger minst én enhet")
    if n_boot < 2:
        raise ValueError("n_boot må være minst 2")
    estimate = float(statistic(*arrs))
    rng = np.random.default_rng(seed)
    if strata is None:
        groups = [np.arange(n)]
    else:
        s = np.asarray(strata)
        if s.shape[0] != n:
            raise ValueError("strata må ha én etikett per enhet")
        _, inv = np.unique(s, return_inverse=True)
        groups = [np.flatnonzero(inv == g) for g in range(inv.max() + 1)]
    reps = np.empty(n_boot)
    for b in range(n_boot):
        idx = np.concatenate([g[rng.integers(0, g.size, g.size)] for g in groups])
        reps[b] = statistic(*(a[idx] for a in arrs))
    ok = reps[~np.isnan(reps)]
    if ok.size < 2:
        return BootstrapResult(
            estimate, float("nan"), float("nan"), float("nan"), n_boot, seed, reps, alpha
        )
    lo, hi = np.quantile(ok, [alpha / 2.0, 1.0 - alpha / 2.0])
    return BootstrapResult(
        estimate, float(ok.std(ddof=1)), float(lo), float(hi), n_boot, seed, reps, alpha
    )


# --------------------------------------------------------------------------- concentration


def _nonnegative(values: ArrayLike) -> np.ndarray:
    v = np.asarray(values, dtype=float).ravel()
    if np.isnan(v).any():
        raise ValueError("values kan ikke inneholde NaN")
    if np.any(v < 0):
        raise ValueError("values kan ikke være negative")
    return v


def lorenz_curve(values: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The Lorenz curve of non-negative values (Lorenz 1905).

    Units are sorted by value ascending; the curve passes through ``(0, 0)`` and
    ``(j/n, Σ_{i<=j} v_(i) / Σ v)`` for ``j = 1..n``. Ties do not matter: equal values give
    the same points whichever order they are in.

    Returns
    -------
    (p, L)
        Arrays of length ``n + 1``: cumulative share of units and of the total. ``L`` is NaN
        when the total is 0.
    """
    v = np.sort(_nonnegative(values))
    n = v.size
    p = np.arange(n + 1) / n if n else np.array([0.0])
    total = v.sum()
    cum = np.concatenate([[0.0], np.cumsum(v)])
    L = cum / total if total > 0 else np.full(n + 1, np.nan)
    return p, L


def gini(values: ArrayLike) -> float:
    """Gini coefficient of non-negative values (Gini 1912).

    ``G = Σ_i (2i − n − 1)·v_(i) / (n·Σv)`` with values sorted ascending, i = 1..n: equal
    to one minus twice the area under the (piecewise linear) Lorenz curve. 0 when every unit
    has the same value, ``(n−1)/n`` when one unit has everything. NaN if the total is 0.
    """
    v = np.sort(_nonnegative(values))
    n = v.size
    total = v.sum()
    if n == 0 or total == 0:
        return float("nan")
    i = np.arange(1, n + 1)
    return float(((2 * i - n - 1) * v).sum() / (n * total))


def top_share(values: ArrayLike, share: float) -> tuple[int, float]:
    """Share of the total held by the top ``share`` of units.

    The top group is the ``k = ⌈share·n⌉`` units with the largest values (at least the
    requested share of units). Which of several tied units are taken does not change the sum,
    so the result is deterministic.

    Returns
    -------
    (k, share_of_total)
        ``share_of_total`` is NaN if the total is 0.
    """
    if not 0.0 < share <= 1.0:
        raise ValueError("share må ligge i (0, 1]")
    v = np.sort(_nonnegative(values))[::-1]
    n = v.size
    k = min(n, math.ceil(share * n - 1e-9))
    total = v.sum()
    return k, float(v[:k].sum() / total) if total > 0 else float("nan")
