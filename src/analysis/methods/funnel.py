"""Funnel plots for comparing units (projects, municipalities) with overdispersion.

Implements Spiegelhalter's funnel plots (Spiegelhalter 2005a) with the multiplicative/additive
overdispersion handling of Spiegelhalter (2005b), following the R package FunnelPlotR
(Mainey & others, nhs-r-community/FunnelPlotR, functions ``transformed_zscore``,
``winsorisation``, ``truncation``, ``phi_func``, ``tau_func`` and ``calculate_limits``) so that
results can be checked against R.

Proportions (:func:`funnel_proportions`, FunnelPlotR ``data_type = "PR"``)
------------------------------------------------------------------------------
Unit *i* has ``k_i`` events out of ``n_i``. On the variance-stabilising arcsine scale::

    y_i  = asin(sqrt(k_i / n_i))         θ0 = asin(sqrt(p0)),  p0 = Σk / Σn (pooled rate)
    s_i  = 1 / (2 sqrt(n_i))             z_i = (y_i − θ0) / s_i

Ratios of observed to expected (:func:`funnel_ratios`, FunnelPlotR ``data_type = "SR"``)
------------------------------------------------------------------------------------------
``method="sqrt"`` (Spiegelhalter 2005a, Table I; FunnelPlotR ``sr_method = "CQC"``)::

    y_i = sqrt(O_i / E_i),  target 1,  s_i = 1 / (2 sqrt(E_i))

``method="log"`` (FunnelPlotR's default ``sr_method = "SHMI"``, NHS Digital 2020)::

    y_i = log(O_i / E_i),  target 0,  s_i = 1 / sqrt(E_i)

``method="bernoulli"`` (not in FunnelPlotR): for O a sum of Bernoulli outcomes with fitted
probabilities from a risk model, ``Var(O) = V = Σ p(1 − p)`` is much smaller than the Poisson
variance ``E`` when events are common (transition rates are about 70 %), so the Poisson-based
scales give far too wide limits. Here ``y_i = O_i / E_i``, target 1, ``s_i = sqrt(V_i) / E_i``
and ``z_i = (O_i − E_i) / sqrt(V_i)`` (the normal approximation of Spiegelhalter 2005a, sec. 2,
with the exact null variance of a sum of independent Bernoulli variables).

Overdispersion (Spiegelhalter 2005b; DerSimonian & Laird 1986)
--------------------------------------------------------------
1. Winsorise the z-scores at ``winsor`` (10 %) in each tail. ``winsor_method="quantile"``
   (default, as FunnelPlotR) clamps to the ``winsor`` and ``1 − winsor`` sample quantiles
   computed as R's ``quantile()`` type 7 (= numpy's default linear interpolation);
   ``winsor_method="rank"`` sets the ``m = floor(winsor · I)`` smallest (largest) z-scores to the
   ``(m+1)``-th smallest (largest), the textbook description (20 units: the 2 smallest are set to
   the 3rd smallest). For ``method="log"`` FunnelPlotR truncates instead of winsorising (the
   SHMI rule: rank-based deciles, the lowest and highest dropped); that is what is done here too.
2. Dispersion ratio ``φ = (1/I) Σ z_w²`` over the ``I`` units used.
3. Between-unit variance (additive random effects, FunnelPlotR ``tau_func``)::

       τ² = 0                                        if I·φ < I − 1
       τ² = max(0, (I·φ − (I − 1)) / (Σw − Σw² / Σw)),   w_i = 1 / s_i²,  otherwise.

4. ``adjust``: ``"auto"`` (default, FunnelPlotR's ``draw_adjusted = TRUE``): the limits
   include τ² whenever τ² > 0, i.e. whenever I·φ > I − 1 — FunnelPlotR does *not* test for
   overdispersion first. ``"test"``: include τ² only if, in addition, the dispersion test of
   Spiegelhalter (2005b) rejects (I·φ above the 95 % point of χ²(I − 1)); its p-value is always
   reported as ``dispersion_p_value``. ``"always"``: use the transformed-scale limits with τ²
   (even when τ² = 0). ``"none"``: unadjusted limits. ``tau2`` and ``dispersion_ratio`` are
   always the estimates; ``adjusted`` says whether the limits use τ² (FunnelPlotR reports
   φ = τ² = 0 when ``draw_adjusted = FALSE``; we keep the estimates).

Limits (coverage 95 % and 99.8 %, z = Φ⁻¹(0.975) = 1.959964 and Φ⁻¹(0.999) = 3.090232)::

    proportions:  sin²(θ0 ± z sqrt(s² + τ²))      (the argument clipped to [0, π/2])
    sqrt ratios:  (1 ± z sqrt(s² + τ²))²          (1 − … clipped at 0 before squaring)
    log ratios:   exp(± z sqrt(s² + τ²))
    bernoulli:    1 ± z sqrt(s² + τ²)             (lower clipped at 0)

Unadjusted limits are the same with τ² = 0, except for ``sqrt``/``log`` ratios, where (as in
FunnelPlotR) they are the exact Poisson limits ``χ²_{α/2}(2E) / 2E`` and
``χ²_{1−α/2}(2E + 2) / 2E``. Two deliberate departures from FunnelPlotR: the arcsine argument
is clipped to [0, π/2] (FunnelPlotR lets ``sin²`` fold back, so small units near 100 % get an
upper limit below 1), and the adjusted ``sqrt`` limits are squared back to the ratio scale
(FunnelPlotR 0.5's ``calculate_limits`` leaves them on the square-root scale). A unit is
outside a limit when its rate (ratio) is strictly below the lower or above the upper limit.

References
----------
DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. Controlled Clinical Trials
    7(3), 177–188.
Mainey, C. et al. FunnelPlotR: funnel plots for comparing institutional performance. R package,
    https://github.com/nhs-r-community/FunnelPlotR.
NHS Digital (2020). Summary Hospital-level Mortality Indicator (SHMI) methodology, v1.34.
Spiegelhalter, D. J. (2005a). Funnel plots for comparing institutional performance. Statistics
    in Medicine 24(8), 1185–1202.
Spiegelhalter, D. J. (2005b). Handling over-dispersion of performance indicators. Quality and
    Safety in Health Care 14(5), 347–351.
Spiegelhalter, D. J. et al. (2012). Statistical methods for healthcare regulation: rating,
    screening and surveillance. JRSS A 175(1), 1–47.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import special, stats

__all__ = [
    "FunnelResult",
    "dispersion",
    "funnel_proportions",
    "funnel_ratios",
    "winsorise",
]

Adjust = Literal["auto", "test", "none", "always"]
WinsorMethod = Literal["quantile", "rank"]
LEVEL_SUFFIXES = ("95", "998")


@dataclass(frozen=True, eq=False)
class FunnelResult:
    """Result of :func:`funnel_proportions` or :func:`funnel_ratios`.

    Attributes
    ----------
    data_type
        ``"PR"`` (proportions) or ``"SR"`` (observed/expected ratios).
    method
        ``"calibrated"`` or ``"funnelplotr"`` for proportions; ``"sqrt"``, ``"log"`` or
        ``"bernoulli"`` for ratios.
    target
        The centre line: the pooled rate ``Σk/Σn`` (or the given target) for proportions,
        the target ratio (1) for ratios.
    dispersion_ratio
        φ, the mean squared winsorised (truncated) z-score.
    tau2
        τ², the between-unit variance on the transformed scale (0 when I·φ < I − 1).
    adjusted
        Whether the limits include τ².
    dispersion_p_value
        ``P(χ²(I − 1) > I·φ)``, Spiegelhalter's (2005b) test for overdispersion.
    n_units
        I, the number of units the dispersion ratio is based on (fewer than the units after
        SHMI truncation).
    levels
        Coverage of the inner and outer limits (default 0.95 and 0.998); the column suffixes
        ``95`` and ``998`` always mean inner and outer.
    per_project
        One row per unit: ``label``, the counts (``k``, ``n``, ``rate`` for proportions;
        ``observed``, ``expected``, ``ratio`` for ratios), ``s``, ``z``, ``z_winsorised``
        (NaN when truncated), ``lower95``, ``upper95``, ``lower998``, ``upper998``,
        ``outside_95``, ``outside_998`` (``variance`` after ``ratio`` for ``"bernoulli"``),
        on a fresh 0, 1, … index. The counts and all other numbers are float64 whatever the
        dtype of the input.
    limits_grid
        The limits on a grid of the x-axis variable (``n`` or ``expected``, float64) for
        drawing.
    outside_95, outside_99_8
        Labels of the units outside the inner and outer limits.
    """

    data_type: str
    method: str
    target: float
    dispersion_ratio: float
    tau2: float
    adjusted: bool
    dispersion_p_value: float
    n_units: int
    levels: tuple[float, float]
    per_project: pd.DataFrame
    limits_grid: pd.DataFrame
    outside_95: list
    outside_99_8: list

    @property
    def x(self) -> str:
        """Name of the x-axis column: ``n`` (proportions) or ``expected`` (ratios)."""
        return "n" if self.data_type == "PR" else "expected"

    @property
    def y(self) -> str:
        """Name of the y-axis column: ``rate`` (proportions) or ``ratio`` (ratios)."""
        return "rate" if self.data_type == "PR" else "ratio"

    def table(self) -> pd.DataFrame:
        """One row per unit, in input order: ``label``, the counts (``k``, ``n`` for
        proportions; ``observed``, ``expected`` for ratios), the indicator (``rate`` or
        ``ratio``), ``z``, the limits at the unit's size (``lower95``, ``upper95``,
        ``lower998``, ``upper998``; the suffixes mean inner and outer, see ``levels``) and
        ``outside_95``, ``outside_998``."""
        counts = ["k", "n"] if self.data_type == "PR" else ["observed", "expected"]
        limits = [f"{b}{s}" for s in LEVEL_SUFFIXES for b in ("lower", "upper")]
        cols = ["label", *counts, self.y, "z", *limits, "outside_95", "outside_998"]
        return self.per_project[cols].reset_index(drop=True)

    def _repr_html_(self) -> str:
        """:meth:`table` as an accessible HTML table for JupyterLab (Norwegian formatting)."""
        from analysis.render.formatting import fmt_int, fmt_number, fmt_pct, fmt_share
        from analysis.render.tables import html_table

        pr = self.data_type == "PR"

        def value(v: object) -> str:
            return fmt_share(v) if pr else fmt_number(v, 2)  # type: ignore[arg-type]

        def expected(v: object) -> str:
            return fmt_number(v, 1)  # type: ignore[arg-type]

        t = self.table()
        for c in ("outside_95", "outside_998"):
            t[c] = t[c].map(lambda v: "Ja" if bool(v) else "Nei")
        inner, outer = (
            fmt_pct(round(100 * lev, 1), 0 if float(round(100 * lev, 1)).is_integer() else 1)
            for lev in self.levels
        )
        formats = {self.y: value, **{c: value for c in t.columns if c[:5] in ("lower", "upper")}}
        formats.update({"k": fmt_int, "n": fmt_int} if pr else {"observed": fmt_int})
        if not pr:
            formats["expected"] = expected
        formats["z"] = lambda v: fmt_number(v, 2)  # type: ignore[arg-type]
        return html_table(
            t,
            caption=(
                f"Traktplott ({'andeler' if pr else 'observert/forventet'}) for "
                f"{fmt_int(len(t))} enheter, midtlinje {value(self.target)}"
            ),
            row_header="label",
            labels={
                "label": "Enhet",
                "k": "Hendelser (k)",
                "n": "Antall (n)",
                "observed": "Observert (O)",
                "expected": "Forventet (F)",
                "rate": "Andel",
                "ratio": "O/F",
                "z": "z",
                "lower95": f"Nedre {inner}",
                "upper95": f"Øvre {inner}",
                "lower998": f"Nedre {outer}",
                "upper998": f"Øvre {outer}",
                "outside_95": f"Utenfor {inner}",
                "outside_998": f"Utenfor {outer}",
            },
            formats=formats,
            note=(
                f"Metode: {self.method}. Spredningsforhold φ = "
                f"{fmt_number(self.dispersion_ratio, 2)}, τ² = {fmt_number(self.tau2, 4)}; "
                f"grensene er {'' if self.adjusted else 'ikke '}justert for overspredning."
            ),
        )


def winsorise(z: np.ndarray, winsor: float = 0.1, method: WinsorMethod = "quantile") -> np.ndarray:
    """Winsorise z-scores at ``winsor`` in each tail.

    Parameters
    ----------
    z
        The z-scores.
    winsor
        Share in each tail (0.1 = 10 % at each end).
    method
        ``"quantile"``: clamp to the ``winsor`` and ``1 − winsor`` quantiles (R type 7, as
        FunnelPlotR). ``"rank"``: set the ``floor(winsor · I)`` most extreme values at each end
        to the next value inwards.

    Returns
    -------
    numpy.ndarray
        The winsorised z-scores (float64), in the input order.
    """
    z = np.asarray(z, dtype=float)
    if not 0 <= winsor < 0.5:
        raise ValueError("winsor må ligge i [0, 0.5)")
    if z.size == 0 or winsor == 0:
        return z.copy()
    if method == "quantile":
        lo, hi = np.quantile(z, [winsor, 1 - winsor])  # numpy "linear" = R type 7
    elif method == "rank":
        m = int(np.floor(winsor * z.size))
        ordered = np.sort(z)
        lo, hi = ordered[m], ordered[z.size - 1 - m]
    else:
        raise ValueError(f"ukjent winsor_method {method!r}")
    return np.clip(z, lo, hi)


def _truncate(z: np.ndarray, trim: float) -> np.ndarray:
    """SHMI truncation as FunnelPlotR ``truncation``: NaN for the extreme rank groups."""
    k = 1.0 / trim
    rank = stats.rankdata(z, method="average")
    group = np.floor(rank * k / (z.size + 1))
    keep = (group > 0) & (group < k - 1)
    return np.where(keep, z, np.nan)


def dispersion(
    z_used: np.ndarray, s_used: np.ndarray, scale: float = 1.0
) -> tuple[float, float, float]:
    """Dispersion ratio φ, between-unit variance τ² and the χ² test's p-value.

    Parameters
    ----------
    z_used
        The winsorised (or truncated, NaN dropped) z-scores.
    s_used
        The standard errors on the transformed scale of the same units.
    scale
        Null expectation of ``mean(z²)`` to divide by (1 for FunnelPlotR; see
        :func:`winsorised_null_expectation`).

    Returns
    -------
    tuple
        ``(phi, tau2, p_value)`` with ``phi = mean(z²)``, τ² as FunnelPlotR's ``tau_func``
        (0 when ``I·φ < I − 1``, and 0 for a single unit, whose weights carry no information
        on the between-unit variance) and ``p = P(χ²(I − 1) > I·φ)``.
    """
    z_used = np.asarray(z_used, dtype=float)
    s_used = np.asarray(s_used, dtype=float)
    n_units = z_used.size
    if n_units == 0:
        return float("nan"), 0.0, float("nan")
    phi = float(np.mean(z_used**2)) / scale
    w = 1.0 / s_used**2
    denom = w.sum() - (w**2).sum() / w.sum()
    # one unit: Σw − Σw²/Σw is 0 in exact arithmetic, but rounding can leave a tiny positive
    # number (1/0.1² is not exactly 100) and τ² would explode; no between-unit information
    if n_units * phi < n_units - 1 or denom <= 1e-9 * w.sum():
        tau2 = 0.0
    else:
        tau2 = max(0.0, (n_units * phi - (n_units - 1)) / denom)
    p = float(stats.chi2.sf(n_units * phi, n_units - 1)) if n_units > 1 else float("nan")
    return phi, float(tau2), p


def _z_quantiles(levels: Sequence[float]) -> tuple[float, float]:
    if len(levels) != 2 or not 0 < levels[0] < levels[1] < 1:
        raise ValueError("alpha må være to dekningsgrader, indre < ytre, f.eks. (0.95, 0.998)")
    return tuple(float(stats.norm.ppf(0.5 + lev / 2)) for lev in levels)  # type: ignore[return-value]


def _grid(x: np.ndarray, grid: Sequence[float] | None) -> np.ndarray:
    if grid is not None:
        return np.asarray(grid, dtype=float)
    lo = max(0.5 * float(np.min(x)), 0.5)
    hi = 1.1 * float(np.max(x))
    return np.unique(np.concatenate([np.geomspace(lo, hi, 200), x]))


def _decide(adjust: Adjust, tau2: float, p_value: float) -> bool:
    if adjust == "auto":
        return tau2 > 0
    if adjust == "test":
        return tau2 > 0 and bool(p_value < 0.05)
    if adjust == "always":
        return True
    if adjust == "none":
        return False
    raise ValueError(f"adjust må være 'auto', 'test', 'none' eller 'always', ikke {adjust!r}")


def _assemble(
    *,
    data_type: str,
    method: str,
    frame: pd.DataFrame,
    x: np.ndarray,
    yvalue: np.ndarray,
    s: np.ndarray,
    z: np.ndarray,
    target: float,
    winsor: float,
    winsor_method: WinsorMethod,
    truncate: bool,
    levels: tuple[float, float],
    adjust: Adjust,
    limits: Callable[..., tuple[np.ndarray, np.ndarray]],
    s_of_x: Callable[[np.ndarray], np.ndarray],
    grid: Sequence[float] | None,
    phi_scale: float = 1.0,
) -> FunnelResult:
    """Shared part: dispersion, limits per unit and on the grid, outside flags."""
    zq = _z_quantiles(levels)
    z_w = _truncate(z, winsor) if truncate else winsorise(z, winsor, winsor_method)
    used = np.isfinite(z_w)
    phi, tau2, p_value = dispersion(z_w[used], s[used], phi_scale)
    adjusted = _decide(adjust, tau2, p_value)
    tau2_used = tau2 if adjusted else 0.0

    out = frame.copy()
    out["s"] = s
    out["z"] = z
    out["z_winsorised"] = z_w
    xs = _grid(x, grid)
    grid_frame = pd.DataFrame({"n" if data_type == "PR" else "expected": xs})
    for q, suffix, lev in zip(zq, LEVEL_SUFFIXES, levels, strict=True):
        lower, upper = limits(x, q, adjusted, s=s, tau2=tau2_used, level=lev)
        out[f"lower{suffix}"] = lower
        out[f"upper{suffix}"] = upper
        g_lower, g_upper = limits(xs, q, adjusted, s=s_of_x(xs), tau2=tau2_used, level=lev)
        grid_frame[f"lower{suffix}"] = g_lower
        grid_frame[f"upper{suffix}"] = g_upper
    for suffix in LEVEL_SUFFIXES:
        out[f"outside_{suffix}"] = (yvalue < out[f"lower{suffix}"]) | (
            yvalue > out[f"upper{suffix}"]
        )
    return FunnelResult(
        data_type=data_type,
        method=method,
        target=float(target),
        dispersion_ratio=phi,
        tau2=tau2,
        adjusted=adjusted,
        dispersion_p_value=p_value,
        n_units=int(used.sum()),
        levels=(float(levels[0]), float(levels[1])),
        per_project=out.reset_index(drop=True),
        limits_grid=grid_frame,
        outside_95=out.loc[out["outside_95"], "label"].tolist(),
        outside_99_8=out.loc[out["outside_998"], "label"].tolist(),
    )


def _labels(labels: Sequence | pd.Series | None, size: int) -> list:
    if labels is None:
        return list(range(size))
    labels = list(labels)
    if len(labels) != size:
        raise ValueError("labels må ha én etikett per enhet")
    if len(set(labels)) != len(labels):
        raise ValueError("labels må være unike (aggreger per enhet først)")
    return labels


#: E[min(max(Z, -c), c)^2] for Z ~ N(0, 1) and c = Φ⁻¹(1 − winsor): the null expectation of
#: the winsorised dispersion ratio for many units (0.6786 at 10 %)
def winsorised_null_expectation(winsor: float = 0.1) -> float:
    """Expectation of the winsorised squared z-score under the null, for many units.

    For ``Z ~ N(0, 1)`` clamped to ``±c``, ``c = Φ⁻¹(1 − winsor)``::

        E = (1 − 2·winsor) − 2c·φ(c) + 2c²·winsor

    (0.6786 at ``winsor = 0.1``). FunnelPlotR's φ = mean winsorised z² therefore estimates
    0.68, not 1, when there is no overdispersion, and about 0.68·(1 + τ²/s²) with it, so its
    τ² comes out about half of the truth and the limits are too narrow.
    """
    if winsor == 0:
        return 1.0
    c = float(stats.norm.isf(winsor))
    return float((1 - 2 * winsor) - 2 * c * stats.norm.pdf(c) + 2 * c**2 * winsor)


def _betabinom_limits(
    n: np.ndarray, p0: float, rho: float, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact limits for k/n: the acceptance region of the two one-sided tests at (1 − level)/2.

    ``k ~ Binomial(n, p0)`` (``rho = 0``) or beta-binomial with mean ``p0`` and intra-class
    correlation ``rho`` (between-unit variance ``rho·p0(1 − p0)`` of the true rates). Returns
    ``(lower, upper)`` as proportions: ``lower = L/n`` with L the smallest k with
    ``P(K ≤ k) ≥ a`` and ``upper = U/n`` with U the largest k with ``P(K ≥ k) ≥ a``,
    ``a = (1 − level)/2``. A unit is outside iff ``k < L`` or ``k > U``, i.e. iff one of the
    exact one-sided tail probabilities is below ``a`` (conservative: the size is at most
    nominal; Clopper & Pearson 1934; Spiegelhalter 2005a, appendix A.1). A tail probability
    within 10⁻¹² below ``a`` counts as reaching it (rounding of the sums), and only
    ``0 ≤ k ≤ n`` can be a limit (for a coverage within 2·10⁻¹² of 1 every k is accepted:
    the limits are 0 and 1).
    """
    a = (1 - level) / 2
    n_int = np.maximum(np.rint(n).astype(int), 1)
    if p0 <= 0 or p0 >= 1:
        return np.full(n_int.size, p0), np.full(n_int.size, p0)
    sizes, inverse = np.unique(n_int, return_inverse=True)
    m = sizes[:, None].astype(float)
    ks = np.arange(sizes.max() + 1)[None, :].astype(float)
    valid = ks <= m
    kk, rest = np.where(valid, ks, 0.0), np.where(valid, m - ks, 0.0)
    log_comb = special.gammaln(m + 1) - special.gammaln(kk + 1) - special.gammaln(rest + 1)
    if rho > 0:
        t = 1.0 / rho - 1.0
        a_, b_ = p0 * t, (1 - p0) * t
        logpmf = log_comb + special.betaln(kk + a_, rest + b_) - special.betaln(a_, b_)
    else:
        logpmf = log_comb + kk * np.log(p0) + rest * np.log1p(-p0)
    pmf = np.exp(np.where(valid, logpmf, -np.inf))
    tol = 1e-12  # rounding of the cumulative sums
    lower_k = np.argmax(np.cumsum(pmf, axis=1) >= a - tol, axis=1)
    at_least = np.cumsum(pmf[:, ::-1], axis=1)[:, ::-1]  # P(K >= k)
    # k > n has P(K ≥ k) = 0, which passes the test when a ≤ tol: exclude it explicitly
    upper_k = ks.shape[1] - 1 - np.argmax(((at_least >= a - tol) & valid)[:, ::-1], axis=1)
    return (lower_k / sizes)[inverse], (upper_k / sizes)[inverse]


def funnel_proportions(
    k: Sequence[float] | pd.Series | np.ndarray,
    n: Sequence[float] | pd.Series | np.ndarray,
    labels: Sequence | pd.Series | None = None,
    target: float | None = None,
    winsor: float = 0.1,
    alpha: tuple[float, float] = (0.95, 0.998),
    adjust: Adjust = "auto",
    *,
    method: Literal["calibrated", "funnelplotr"] = "calibrated",
    winsor_method: WinsorMethod = "quantile",
    grid: Sequence[float] | None = None,
) -> FunnelResult:
    """Funnel plot for proportions with overdispersion: calibrated (default) or FunnelPlotR.

    ``method="calibrated"`` (default) differs from FunnelPlotR's "PR" funnel in two ways,
    chosen by simulation (``docs/calibration.md``):

    1. **Dispersion.** The winsorised dispersion ratio is divided by its null expectation
       (:func:`winsorised_null_expectation`, 0.679 at 10 %) before τ² is computed with the
       DerSimonian–Laird moment formula, so that φ ≈ 1 without overdispersion and τ² is not
       halved. FunnelPlotR's φ (mean winsorised z²) underestimates τ² and flags 9–14 % of
       the projects outside 95 % (0.9–1.7 % outside 99.8 %) at arcsine sd 0.05–0.10;
       the calibrated method 1.4–4.1 % (0.01–0.35 %).
    2. **Exact limits.** A project is outside when an exact one-sided tail probability of its
       count is below (1 − level)/2: binomial (τ² = 0) or beta-binomial with intra-class
       correlation ``ρ = 4τ²`` (the arcsine-scale τ² on the proportion scale,
       ``Var(p) ≈ 4p(1 − p)τ²``); the limits drawn are the corresponding acceptance
       regions (steps in n). The normal approximation on the arcsine scale fails for
       extreme rates and small projects (at p ≥ 0.85 0.7 % of projects fall outside the
       99.8 % limits without any overdispersion, and for n ≥ 24 a project with 100 % is
       always "outside"); the exact test never exceeds its nominal size.

    Outside flags are **screening signals**, not findings: with 40 projects about two are
    outside 95 % by chance alone, and a flag says only that a project's rate is hard to
    reconcile with a common rate plus the estimated between-project variation.

    ``method="funnelplotr"``: the arcsine-scale normal limits with FunnelPlotR's winsorised φ
    and τ² (Spiegelhalter 2005a, 2005b; NHS practice), for comparison.

    Parameters
    ----------
    k, n
        Events (transitions) and denominators (completers) per unit; ``n > 0``,
        ``0 ≤ k ≤ n``.
    labels
        Unit identifiers (project ids), unique; default 0, 1, ….
    target
        The centre line as a proportion; default the pooled rate ``Σk / Σn``.
    winsor
        Share of z-scores winsorised in each tail before estimating φ (default 0.1).
    alpha
        Coverage of the inner and outer limits (default 95 % and 99.8 %).
    adjust
        ``"auto"`` | ``"test"`` | ``"none"`` | ``"always"``; see the module docstring.
    method
        ``"calibrated"`` (default) or ``"funnelplotr"``; see above.
    winsor_method
        ``"quantile"`` (FunnelPlotR) or ``"rank"``.
    grid
        Values of n for ``limits_grid``; default 200 log-spaced points plus the observed n
        (rounded to whole projects for the exact limits).

    Returns
    -------
    FunnelResult
        ``method`` is ``"calibrated"`` or ``"funnelplotr"``; ``dispersion_ratio`` the
        (for ``"calibrated"``: rescaled) φ.

    References
    ----------
    Clopper, C. J. & Pearson, E. S. (1934). The use of confidence or fiducial limits
    illustrated in the case of the binomial. Biometrika 26(4), 404–413.
    DerSimonian & Laird (1986); Spiegelhalter (2005a), Table I, sec. 3 and appendix A.1;
    Spiegelhalter (2005b); FunnelPlotR.
    """
    if method not in ("calibrated", "funnelplotr"):
        raise ValueError(f"method må være 'calibrated' eller 'funnelplotr', ikke {method!r}")
    k_arr = np.asarray(k, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    if k_arr.shape != n_arr.shape or k_arr.ndim != 1 or k_arr.size == 0:
        raise ValueError("k og n må være endimensjonale, ikke tomme og like lange")
    if np.any(~np.isfinite(n_arr)) or np.any(n_arr <= 0):
        raise ValueError("hver n må være positiv (utelat enheter uten avsluttede forløp)")
    if np.any(k_arr < 0) or np.any(k_arr > n_arr) or np.any(~np.isfinite(k_arr)):
        raise ValueError("hver k må ligge mellom 0 og n")
    lab = _labels(labels, k_arr.size)
    p0 = float(k_arr.sum() / n_arr.sum()) if target is None else float(target)
    if not 0 <= p0 <= 1:
        raise ValueError("target må være en andel i [0, 1]")
    theta0 = np.arcsin(np.sqrt(p0))
    rate = k_arr / n_arr
    y = np.arcsin(np.sqrt(rate))
    s = 1.0 / (2.0 * np.sqrt(n_arr))
    z = (y - theta0) / s

    def limits(x, q, adjusted, *, s, tau2, level):
        if method == "calibrated":
            return _betabinom_limits(x, p0, min(4.0 * tau2, 0.99), level)
        sd = np.sqrt(s**2 + tau2)
        lo = np.clip(theta0 - q * sd, 0.0, np.pi / 2)
        hi = np.clip(theta0 + q * sd, 0.0, np.pi / 2)
        return np.sin(lo) ** 2, np.sin(hi) ** 2

    frame = pd.DataFrame({"label": lab, "k": k_arr, "n": n_arr, "rate": rate})
    return _assemble(
        data_type="PR",
        method=method,
        phi_scale=winsorised_null_expectation(winsor) if method == "calibrated" else 1.0,
        frame=frame,
        x=n_arr,
        yvalue=rate,
        s=s,
        z=z,
        target=p0,
        winsor=winsor,
        winsor_method=winsor_method,
        truncate=False,
        levels=alpha,
        adjust=adjust,
        limits=limits,
        s_of_x=lambda xs: 1.0 / (2.0 * np.sqrt(xs)),
        grid=grid,
    )


def _poisson_limits(e: np.ndarray, level: float, target: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits for O/E at coverage ``level`` (FunnelPlotR's unadjusted SR limits)."""
    a = (1 - level) / 2
    lower = stats.chi2.ppf(a, 2 * e) / 2 / e
    upper = stats.chi2.ppf(1 - a, 2 * (e + 1)) / 2 / e
    return target * lower, target * upper


def funnel_ratios(
    observed: Sequence[float] | pd.Series | np.ndarray,
    expected: Sequence[float] | pd.Series | np.ndarray,
    labels: Sequence | pd.Series | None = None,
    target: float = 1.0,
    winsor: float = 0.1,
    alpha: tuple[float, float] = (0.95, 0.998),
    adjust: Adjust = "auto",
    *,
    method: Literal["sqrt", "log", "bernoulli"] = "sqrt",
    variance: Sequence[float] | pd.Series | np.ndarray | None = None,
    winsor_method: WinsorMethod = "quantile",
    grid: Sequence[float] | None = None,
) -> FunnelResult:
    """Funnel plot for observed/expected ratios (indirectly standardised; FunnelPlotR "SR").

    Parameters
    ----------
    observed, expected
        O and E per unit (E > 0), e.g. transitions and the sum of a risk model's fitted
        probabilities.
    labels
        Unit identifiers, unique.
    target
        Target ratio (default 1).
    winsor
        Tail share for winsorisation (``sqrt``, ``bernoulli``) or truncation (``log``).
    alpha
        Coverage of the inner and outer limits.
    adjust
        ``"auto"`` | ``"test"`` | ``"none"`` | ``"always"``; see the module docstring.
    method
        ``"sqrt"`` (Spiegelhalter 2005a; FunnelPlotR ``sr_method="CQC"``), ``"log"``
        (FunnelPlotR's default ``"SHMI"``; needs O > 0) or ``"bernoulli"`` (normal
        approximation with ``variance``; for common binary outcomes).
    variance
        Null variance of O per unit, ``Σ p(1 − p)``; required for ``"bernoulli"``. On the
        grid, ``V(E) = E · ΣV / ΣE`` is used (per-unit limits use each unit's own V).
    winsor_method
        ``"quantile"`` (FunnelPlotR) or ``"rank"``; not used by ``"log"`` (truncation).
    grid
        Values of E for ``limits_grid``.

    Returns
    -------
    FunnelResult
        ``per_project`` has ``observed``, ``expected`` and ``ratio`` (plus ``variance`` for
        ``"bernoulli"``).
    """
    o = np.asarray(observed, dtype=float)
    e = np.asarray(expected, dtype=float)
    if o.shape != e.shape or o.ndim != 1 or o.size == 0:
        raise ValueError("observed og expected må være endimensjonale, ikke tomme og like lange")
    if np.any(~np.isfinite(e)) or np.any(e <= 0) or np.any(o < 0) or np.any(~np.isfinite(o)):
        raise ValueError("expected må være positiv og observed ikke negativ")
    if target <= 0:
        raise ValueError("target må være positiv")
    lab = _labels(labels, o.size)
    ratio = o / e
    frame = pd.DataFrame({"label": lab, "observed": o, "expected": e, "ratio": ratio})

    if method == "sqrt":
        s = 1.0 / (2.0 * np.sqrt(e))
        z = (np.sqrt(ratio) - np.sqrt(target)) / s

        def s_of_x(xs):
            return 1.0 / (2.0 * np.sqrt(xs))

        def limits(x, q, adjusted, *, s, tau2, level):
            if not adjusted:
                return _poisson_limits(x, level, target)
            sd = np.sqrt(s**2 + tau2)
            lo = np.clip(np.sqrt(target) - q * sd, 0.0, None)
            return lo**2, (np.sqrt(target) + q * sd) ** 2

        truncate = False
    elif method == "log":
        if np.any(o == 0):
            raise ValueError("method='log' krever observed > 0 i hver enhet; bruk 'sqrt'")
        s = 1.0 / np.sqrt(e)
        z = (np.log(ratio) - np.log(target)) / s

        def s_of_x(xs):
            return 1.0 / np.sqrt(xs)

        def limits(x, q, adjusted, *, s, tau2, level):
            if not adjusted:
                return _poisson_limits(x, level, target)
            sd = np.sqrt(s**2 + tau2)
            return target * np.exp(-q * sd), target * np.exp(q * sd)

        truncate = True
    elif method == "bernoulli":
        if variance is None:
            raise ValueError("method='bernoulli' krever variansen Σp(1−p) per enhet")
        v = np.asarray(variance, dtype=float)
        if v.shape != o.shape or np.any(v <= 0):
            raise ValueError("variance må være positiv, én per enhet")
        frame["variance"] = v
        s = np.sqrt(v) / e
        z = (ratio - target) / s
        v_per_e = float(v.sum() / e.sum())

        def s_of_x(xs):
            return np.sqrt(v_per_e * xs) / xs

        def limits(x, q, adjusted, *, s, tau2, level):
            sd = np.sqrt(s**2 + tau2)
            return np.clip(target - q * sd, 0.0, None), target + q * sd

        truncate = False
    else:
        raise ValueError(f"ukjent method {method!r}")

    return _assemble(
        data_type="SR",
        method=method,
        frame=frame,
        x=e,
        yvalue=ratio,
        s=s,
        z=z,
        target=target,
        winsor=winsor,
        winsor_method=winsor_method,
        truncate=truncate,
        levels=alpha,
        adjust=adjust,
        limits=limits,
        s_of_x=s_of_x,
        grid=grid,
    )
