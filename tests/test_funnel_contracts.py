"""Funnel plots: the parts of the contract the other funnel tests leave open.

Columns and dtypes of ``per_project`` and ``limits_grid``, labels and ``data_type`` of ratio
funnels, the limits of every ratio method on the grid and per unit (log with a target other
than 1, Bernoulli with and without τ²), ``adjust="test"`` when τ² > 0 but the χ² test does not
reject, clipping of the limits, edge cases of the exact limits and of the dispersion helper.

Every expected value is written out from the formulas (Spiegelhalter 2005a, Table I;
Spiegelhalter 2005b; DerSimonian & Laird 1986; FunnelPlotR's ``calculate_limits``) or taken from
``scipy.stats`` (χ², binomial, beta-binomial), never from the module's helpers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.methods.funnel import dispersion, funnel_proportions, funnel_ratios, winsorise

# Φ⁻¹(0.975) = 1.959964 and Φ⁻¹(0.999) = 3.090232 (FunnelPlotR hard-codes them to 6 decimals)
Z95, Z998 = float(stats.norm.ppf(0.975)), float(stats.norm.ppf(0.999))
NBSP = "\u00a0"


def exact_limits(n: int, p0: float, rho: float, level: float) -> tuple[float, float]:
    """(L/n, U/n) from scipy: L the smallest k with P(K ≤ k) ≥ a, U the largest k with
    P(K ≥ k) ≥ a, a = (1 − level)/2, a tail within 10⁻¹² below a counting as reaching it."""
    a = (1 - level) / 2
    if rho > 0:
        t = 1 / rho - 1
        dist = stats.betabinom(n, p0 * t, (1 - p0) * t)
    else:
        dist = stats.binom(n, p0)
    ks = np.arange(n + 1)
    lower = int(ks[np.flatnonzero(dist.cdf(ks) >= a - 1e-12)[0]])
    upper = int(ks[np.flatnonzero(dist.sf(ks - 1) >= a - 1e-12)[-1]])
    return lower / n, upper / n


# --------------------------------------------------------------------------- columns, dtypes


PR_COLUMNS = [
    "label",
    "k",
    "n",
    "rate",
    "s",
    "z",
    "z_winsorised",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "outside_95",
    "outside_998",
]


def test_per_project_columns_and_standard_errors():
    """The columns the FunnelResult docstring lists, in that order, on a 0, 1, … index;
    ``s`` is the standard error on the transformed scale: 1/(2√n) (arcsine, Spiegelhalter
    2005a Table I) and √V/E (Bernoulli)."""
    res = funnel_proportions([4, 9, 30], [10, 20, 50], ["a", "b", "c"], method="funnelplotr")
    pp = res.per_project
    assert list(pp.columns) == PR_COLUMNS
    assert list(pp.index) == [0, 1, 2]
    assert pp["s"].tolist() == pytest.approx([1 / (2 * math.sqrt(v)) for v in (10, 20, 50)])

    o, e, v = [8.0, 14.0, 20.0], [9.0, 12.5, 21.0], [2.5, 3.4, 5.9]
    res = funnel_ratios(o, e, ["a", "b", "c"], method="bernoulli", variance=v)
    pp = res.per_project
    assert list(pp.columns) == [
        "label",
        "observed",
        "expected",
        "ratio",
        "variance",
        *PR_COLUMNS[4:],
    ]
    assert pp["variance"].tolist() == v
    assert pp["s"].tolist() == pytest.approx(
        [math.sqrt(vi) / ei for vi, ei in zip(v, e, strict=True)]
    )
    assert list(pp.index) == [0, 1, 2]


def test_counts_and_grid_are_float_whatever_the_input_dtype():
    """Integer lists, a nullable ``Int64`` column (as read from parquet) and int arrays come
    back as float64 columns (the documented contract: the tables and the JSON key figures
    treat every count alike), with the same values."""
    k = pd.Series([4, 9], dtype="Int64")
    n = np.array([10, 20])
    res = funnel_proportions(k, n, ["a", "b"], method="funnelplotr", grid=[5, 40])
    pp = res.per_project
    assert pp["k"].dtype == np.float64 and pp["n"].dtype == np.float64
    assert pp["k"].tolist() == [4.0, 9.0] and pp["n"].tolist() == [10.0, 20.0]
    assert res.limits_grid["n"].dtype == np.float64
    assert res.limits_grid["n"].tolist() == [5.0, 40.0]

    res = funnel_ratios(
        [8, 14, 20], np.array([9, 12, 21]), method="bernoulli", variance=[2, 3, 6], grid=[4, 30]
    )
    pp = res.per_project
    for c in ("observed", "expected", "variance"):
        assert pp[c].dtype == np.float64, c
    assert pp["variance"].tolist() == [2.0, 3.0, 6.0]
    assert res.limits_grid["expected"].dtype == np.float64
    assert res.limits_grid["expected"].tolist() == [4.0, 30.0]


# --------------------------------------------------------------------------- ratio funnels


def test_ratio_labels_data_type_and_small_expected():
    """Labels are kept (default 0, 1, …), ``data_type`` is "SR"; an expected count below 1
    and a variance below 1 are valid (only E > 0 and V > 0 are required)."""
    res = funnel_ratios([1.0, 2.0, 9.0], [0.5, 3.0, 10.0], ["x", "y", "z"])
    assert res.data_type == "SR" and res.x == "expected" and res.y == "ratio"
    assert res.per_project["label"].tolist() == ["x", "y", "z"]
    assert res.per_project["ratio"].tolist() == pytest.approx([2.0, 2 / 3, 0.9])
    assert funnel_ratios([1.0, 2.0], [0.5, 3.0]).per_project["label"].tolist() == [0, 1]
    res = funnel_ratios([1.0, 2.0], [1.5, 3.0], method="bernoulli", variance=[0.5, 0.8])
    assert res.per_project["variance"].tolist() == [0.5, 0.8]
    assert res.per_project["z"].tolist() == pytest.approx(
        [-0.5 / math.sqrt(0.5), -1 / math.sqrt(0.8)]
    )


def test_sqrt_ratio_adjusted_limits_on_the_grid():
    """O = E everywhere: z = 0, φ = 0, τ² = 0; with ``adjust="always"`` the limits are the
    normal ones on the square-root scale, (1 ± z/(2√E))² (Spiegelhalter 2005a, Table I),
    the lower clipped at 0 before squaring (E = 1: 1 − 3.09/2 < 0), also on the grid."""
    e = [4.0, 9.0, 25.0]
    res = funnel_ratios(e, e, list("abc"), method="sqrt", adjust="always", grid=[1.0, 16.0])
    assert res.tau2 == 0.0 and res.adjusted is True
    g = res.limits_grid
    assert g["expected"].tolist() == [1.0, 16.0]
    for j, ex in enumerate((1.0, 16.0)):
        s = 1 / (2 * math.sqrt(ex))
        for q, suffix in ((Z95, "95"), (Z998, "998")):
            low = max(1 - q * s, 0.0) ** 2
            assert g.loc[j, f"lower{suffix}"] == pytest.approx(low, rel=1e-12, abs=1e-15)
            assert g.loc[j, f"upper{suffix}"] == pytest.approx(
                (1 + q * s) ** 2, rel=1e-12, abs=1e-15
            )
    assert g.loc[0, "lower998"] == 0.0  # 1 − 3.090232/2 < 0


def test_log_ratio_with_a_target_unadjusted():
    """The log method with target 1.2: z = (log(O/E) − log 1.2)·√E (FunnelPlotR "SHMI"); the
    unadjusted limits are the exact Poisson limits times the target, 1.2·χ²_a(2E)/2E and
    1.2·χ²_{1−a}(2E + 2)/2E (FunnelPlotR ``calculate_limits``)."""
    o, e = [12.0, 7.0, 30.0], [10.0, 9.5, 25.0]
    res = funnel_ratios(o, e, list("abc"), method="log", target=1.2, adjust="none", grid=[20.0])
    assert res.target == 1.2
    z = [(math.log(oi / ei) - math.log(1.2)) * math.sqrt(ei) for oi, ei in zip(o, e, strict=True)]
    assert res.per_project["z"].tolist() == pytest.approx(z)
    for i, ei in enumerate(e + [20.0]):
        row = res.per_project.loc[i] if i < 3 else res.limits_grid.loc[0]
        for level, suffix in ((0.95, "95"), (0.998, "998")):
            a = (1 - level) / 2
            low = 1.2 * stats.chi2.ppf(a, 2 * ei) / (2 * ei)
            up = 1.2 * stats.chi2.ppf(1 - a, 2 * ei + 2) / (2 * ei)
            assert row[f"lower{suffix}"] == pytest.approx(low, rel=1e-12)
            assert row[f"upper{suffix}"] == pytest.approx(up, rel=1e-12)


def test_log_ratio_adjusted_limits_per_unit_and_on_the_grid():
    """O = E: τ² = 0; ``adjust="always"``: exp(± z/√E) (FunnelPlotR's SHMI limits on the log
    scale, s = 1/√E), per unit and on the grid."""
    e = [4.0, 9.0, 25.0]
    res = funnel_ratios(e, e, list("abc"), method="log", adjust="always", grid=[1.0, 16.0])
    assert res.adjusted is True and res.tau2 == 0.0
    for frame, xs in ((res.per_project, e), (res.limits_grid, [1.0, 16.0])):
        for i, ex in enumerate(xs):
            for q, suffix in ((Z95, "95"), (Z998, "998")):
                assert frame.loc[i, f"lower{suffix}"] == pytest.approx(
                    math.exp(-q / math.sqrt(ex)), rel=1e-12, abs=1e-15
                )
                assert frame.loc[i, f"upper{suffix}"] == pytest.approx(
                    math.exp(q / math.sqrt(ex)), rel=1e-12, abs=1e-15
                )


def test_bernoulli_tau2_test_mode_and_grid_by_hand():
    """O = 13, 7, 10 against E = 10 with V = 4 each, no winsorisation: z = (O − E)/√V =
    1,5, −1,5, 0; φ = 4,5/3 = 1,5; I·φ = 4,5 > I − 1 = 2, so τ² = (4,5 − 2)/(Σw − Σw²/Σw)
    with w = 1/s² = E²/V = 25: τ² = 2,5/(75 − 25) = 0,05 (DerSimonian–Laird). The χ² test:
    P(χ²(2) > 4,5) = exp(−2,25) = 0,105 ≥ 0,05, so ``adjust="test"`` keeps the unadjusted
    limits 1 ± z·0,2 while ``"auto"`` uses sd = √(0,04 + 0,05) = 0,3. On the grid the
    variance is V(E) = E·ΣV/ΣE = 0,4·E (docstring of ``funnel_ratios``)."""
    o, e, v = [13.0, 7.0, 10.0], [10.0, 10.0, 10.0], [4.0, 4.0, 4.0]
    kw = {"method": "bernoulli", "variance": v, "winsor": 0.0, "grid": [1.0, 40.0]}
    test = funnel_ratios(o, e, list("abc"), adjust="test", **kw)
    auto = funnel_ratios(o, e, list("abc"), **kw)
    for res in (test, auto):
        assert res.per_project["z"].tolist() == pytest.approx([1.5, -1.5, 0.0])
        assert res.n_units == 3
        assert res.dispersion_ratio == pytest.approx(1.5)
        assert res.tau2 == pytest.approx(0.05)
        assert res.dispersion_p_value == pytest.approx(math.exp(-2.25))
    assert test.adjusted is False and auto.adjusted is True
    for res, tau2 in ((test, 0.0), (auto, 0.05)):
        sd = math.sqrt(0.04 + tau2)
        for q, suffix in ((Z95, "95"), (Z998, "998")):
            assert res.per_project.loc[0, f"lower{suffix}"] == pytest.approx(
                1 - q * sd, rel=1e-12, abs=1e-15
            )
            assert res.per_project.loc[0, f"upper{suffix}"] == pytest.approx(
                1 + q * sd, rel=1e-12, abs=1e-15
            )
        g = res.limits_grid
        for j, ex in enumerate((1.0, 40.0)):
            sd = math.sqrt(0.4 * ex / ex**2 + tau2)
            for q, suffix in ((Z95, "95"), (Z998, "998")):
                assert g.loc[j, f"lower{suffix}"] == pytest.approx(
                    max(1 - q * sd, 0.0), rel=1e-12, abs=1e-15
                )
                assert g.loc[j, f"upper{suffix}"] == pytest.approx(1 + q * sd, rel=1e-12, abs=1e-15)
    # E = 1 on the grid: 1 − 3,09·√0,4 < 0, the lower limit is clipped at 0
    assert test.limits_grid.loc[0, "lower998"] == 0.0
    # 1,3 and 0,7 are inside 1 ± 1,96·0,2 = [0,608; 1,392]
    assert test.outside_95 == [] and auto.outside_95 == []


# --------------------------------------------------------------------------- proportions


def test_arcsine_limits_clipped_at_zero_and_not_below_pi_over_three():
    """FunnelPlotR limits sin²(θ0 ± z·s): with p0 = 5 % and n = 4, θ0 − z·s < 0 and the
    lower limit is sin²(0) = 0 (the argument is clipped, not folded back); with p0 = 90 %
    and n = 1000, θ0 − z·s = 1,218 > π/3 and the limit is the plain formula."""
    res = funnel_proportions(
        [0, 1], [4, 100], ["a", "b"], target=0.05, adjust="none", method="funnelplotr"
    )
    th0 = math.asin(math.sqrt(0.05))
    assert th0 - Z95 / 4 < 0
    assert res.per_project.loc[0, "lower95"] == 0.0
    assert res.per_project.loc[1, "lower95"] == pytest.approx(
        math.sin(th0 - Z95 / 20) ** 2, rel=1e-12, abs=1e-15
    )
    res = funnel_proportions(
        [900, 450], [1000, 500], ["a", "b"], target=0.9, adjust="none", method="funnelplotr"
    )
    th0 = math.asin(math.sqrt(0.9))
    s = 1 / (2 * math.sqrt(1000))
    assert th0 - Z998 * s > math.pi / 3
    for q, suffix in ((Z95, "95"), (Z998, "998")):
        assert res.per_project.loc[0, f"lower{suffix}"] == pytest.approx(
            math.sin(th0 - q * s) ** 2, rel=1e-12, abs=1e-15
        )


def test_calibrated_rho_cap_with_a_small_target():
    """4τ² far above 1 (units at 0 % and 100 % against a target of 2 %): ρ = 0,99, and the
    beta-binomial(50, 0,02·t, 0,98·t), t = 1/ρ − 1, puts P(K ≥ 1) ≈ 0,02 < 0,025, so the
    upper 95 % limit is 0 (scipy.stats.betabinom)."""
    k, n = [0, 50, 1, 49, 0, 50], [50] * 6
    res = funnel_proportions(k, n, list("abcdef"), winsor=0.0, target=0.02)
    assert 4 * res.tau2 > 1.99
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        lo, hi = exact_limits(50, 0.02, 0.99, level)
        assert res.per_project.loc[0, f"lower{suffix}"] == pytest.approx(lo, abs=1e-12)
        assert res.per_project.loc[0, f"upper{suffix}"] == pytest.approx(hi, abs=1e-12)
    assert exact_limits(50, 0.02, 0.99, 0.95)[1] == 0.0


def test_calibrated_limits_for_a_unit_of_one():
    """n = 1, p0 = 0,9: P(K ≤ 0) = 0,1 ≥ 0,025, so L = 0 and U = 1 (binomial(1, 0,9))."""
    res = funnel_proportions([1, 9], [1, 10], ["a", "b"], target=0.9, adjust="none")
    assert exact_limits(1, 0.9, 0.0, 0.95) == (0.0, 1.0)
    assert res.per_project.loc[0, "lower95"] == 0.0
    assert res.per_project.loc[0, "upper95"] == 1.0
    lo, hi = exact_limits(10, 0.9, 0.0, 0.95)
    assert (res.per_project.loc[1, "lower95"], res.per_project.loc[1, "upper95"]) == (lo, hi)


def test_calibrated_limits_when_a_tail_equals_a():
    """Binomial(2, 0,5) at coverage 50 %: a = 0,25 = P(K = 0) = P(K = 2) exactly, so 0 and 2
    are in the acceptance region ("P(K ≤ k) ≥ a"): limits 0 and 1, not 0,5 and 0,5."""
    res = funnel_proportions([1], [2], ["a"], target=0.5, adjust="none", alpha=(0.5, 0.9))
    assert stats.binom(2, 0.5).cdf(0) == 0.25 and stats.binom(2, 0.5).sf(1) == 0.25
    assert exact_limits(2, 0.5, 0.0, 0.5) == (0.0, 1.0)
    assert res.per_project.loc[0, "lower95"] == 0.0
    assert res.per_project.loc[0, "upper95"] == 1.0


@pytest.mark.parametrize(
    ("p0", "column", "expected"), [(0.25, "upper95", 0.5), (0.75, "lower95", 0.5)]
)
def test_calibrated_limits_at_the_rounding_allowance(p0, column, expected):
    """The rounding allowance: a tail probability exactly 10⁻¹² below a still counts as
    reaching a. Binomial(2, 0,25): P(K ≥ 1) = 1 − 0,75² = 0,4375 exactly; at the coverage
    0,124999999998 (a − 10⁻¹² is 0,4375 in floating point) U = 1, so the upper limit is 1/2
    (and by symmetry L = 1 for p0 = 0,75)."""
    level = 0.12499999999799999
    a = (1 - level) / 2
    assert a - 1e-12 == 0.4375  # the boundary, bit for bit
    assert exact_limits(2, p0, 0.0, level) == ((0.0, 0.5) if p0 == 0.25 else (0.5, 1.0))
    res = funnel_proportions([1], [2], ["a"], target=p0, adjust="none", alpha=(level, 0.9))
    assert res.per_project.loc[0, column] == expected


def test_calibrated_limits_at_a_coverage_next_to_one():
    """Bug fixed: at a coverage within 2·10⁻¹² of 1 every k from 0 to n is accepted, so the
    limits are 0 and 1 for every unit; the old code returned U = the largest n in the data
    for the smaller units (an upper limit of 500 % for n = 2 next to n = 10)."""
    res = funnel_proportions([1, 5], [2, 10], ["a", "b"], adjust="none", alpha=(0.95, 1 - 1e-13))
    assert res.per_project["lower998"].tolist() == [0.0, 0.0]
    assert res.per_project["upper998"].tolist() == [1.0, 1.0]


def test_equal_coverages_are_refused():
    with pytest.raises(ValueError) as e:
        funnel_proportions([1, 2], [5, 5], alpha=(0.95, 0.95))
    assert str(e.value) == "alpha må være to dekningsgrader, indre < ytre, f.eks. (0.95, 0.998)"


# --------------------------------------------------------------------------- helpers


def test_winsorise_default_share_and_no_winsorisation():
    """The default share is 10 % in each tail (R type-7 quantiles: h = 19·0,1 = 1,9 and
    17,1 for 20 values); ``winsor=0`` is the identity, a missing value included; the
    result is float64 also for integer input."""
    z = np.random.default_rng(7).normal(0, 2, 20)
    x = np.sort(z)
    lo, hi = x[1] + 0.9 * (x[2] - x[1]), x[17] + 0.1 * (x[18] - x[17])
    assert winsorise(z).tolist() == pytest.approx(np.clip(z, lo, hi).tolist())
    out = winsorise(np.array([np.nan, 1.0, -2.0]), 0.0)
    assert math.isnan(out[0]) and out[1:].tolist() == [1.0, -2.0]
    out = winsorise([5, 1, 3, 2], 0.25, "rank")
    assert out.dtype == np.float64 and out.tolist() == [3.0, 2.0, 3.0, 2.0]


def test_dispersion_between_i_minus_1_and_i_plus_1():
    """z = (1, 1), s = (0,1; 0,2): φ = 1, I·φ = 2 > I − 1 = 1; w = 100, 25:
    τ² = (2 − 1)/(125 − 10 625/125) = 1/40 (DerSimonian–Laird)."""
    phi, tau2, p = dispersion(np.array([1.0, 1.0]), np.array([0.1, 0.2]))
    assert phi == 1.0
    assert tau2 == pytest.approx(1 / 40)
    assert p == pytest.approx(stats.chi2.sf(2.0, 1))


def test_dispersion_one_large_unit_has_no_between_unit_variance():
    """One unit of n = 1455 (s = 1/(2√1455), w = 5820): Σw − Σw²/Σw is 0 in exact arithmetic
    but about 9·10⁻¹³ in floating point; τ² stays 0 (one unit carries no information on the
    between-unit variance), however large z is."""
    s = np.array([1 / (2 * math.sqrt(1455))])
    w = 1 / s**2
    assert w.sum() - (w**2).sum() / w.sum() != 0.0  # the rounding the guard is for
    phi, tau2, p = dispersion(np.array([5.0]), s)
    assert phi == 25.0 and tau2 == 0.0 and math.isnan(p)


def test_dispersion_of_integer_arrays_does_not_wrap_around():
    """Integer input is treated as numbers: z = (2³², 0) gives φ = 2⁶⁴/2 = 2⁶³ and, with
    w = (1, 1), τ² = (2⁶⁴ − 1)/(2 − 1); s = (2³², 2³²) with z = (3, −3) gives w = 2⁻⁶⁴ each,
    τ² = (18 − 1)/2⁻⁶⁴. (In 64-bit integers 2³²·2³² wraps around to 0.)"""
    phi, tau2, _ = dispersion(np.array([2**32, 0]), np.array([1, 1]))
    assert phi == 2.0**63
    assert tau2 == pytest.approx(2.0**64 - 1)
    phi, tau2, p = dispersion(np.array([3.0, -3.0]), np.array([2**32, 2**32]))
    assert phi == 9.0
    assert tau2 == pytest.approx(17 * 2.0**64)
    assert p == pytest.approx(stats.chi2.sf(18.0, 1))


def test_html_coverage_labels_one_decimal_at_most():
    """Coverages in the headers with at most one decimal, a whole number without: 95,01 %
    rounds to 95,0, shown «95 %»; 99,949 % rounds to «99,9 %» (not 99,95 → «100,0 %»)."""
    res = funnel_proportions(
        [4, 9], [10, 20], ["P1", "P2"], method="funnelplotr", alpha=(0.9501, 0.99949)
    )
    html = res._repr_html_()
    assert f"Nedre 95{NBSP}%" in html and f"Utenfor 95{NBSP}%" in html
    assert f"Nedre 99,9{NBSP}%" in html and f"Øvre 99,9{NBSP}%" in html
    assert f"95,0{NBSP}%" not in html and "100,0" not in html
