"""Funnel plots: limits, winsorisation, dispersion ratio and τ² against hand calculations.

The expected values are written out from the formulas of Spiegelhalter (2005a, 2005b) and
FunnelPlotR's source (``transformed_zscore``, ``winsorisation``, ``truncation``, ``phi_func``,
``tau_func``, ``calculate_limits``), not by calling the module's helpers.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from analysis.methods.funnel import dispersion, funnel_proportions, funnel_ratios, winsorise

Z95, Z998 = 1.959964, 3.090232  # the constants hard-coded in FunnelPlotR


def hand_quantile7(values, p):
    """R's quantile type 7: x[floor(h)] + (h − floor(h)) (x[floor(h)+1] − x[floor(h)])."""
    x = sorted(values)
    h = (len(x) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(x) - 1)
    return x[lo] + (h - lo) * (x[hi] - x[lo])


def hand_tau2(z_w, s):
    n = len(z_w)
    phi = sum(v * v for v in z_w) / n
    w = [1 / si**2 for si in s]
    if n * phi < n - 1:
        return phi, 0.0
    return phi, max(0.0, (n * phi - (n - 1)) / (sum(w) - sum(wi * wi for wi in w) / sum(w)))


# ----------------------------------------------------------------------------- proportions


def test_small_example_overdispersed_by_hand():
    k = [2, 30, 45, 10]
    n = [20, 40, 60, 10]
    p0 = sum(k) / sum(n)  # 87/130
    th0 = math.asin(math.sqrt(p0))
    y = [math.asin(math.sqrt(ki / ni)) for ki, ni in zip(k, n, strict=True)]
    s = [1 / (2 * math.sqrt(ni)) for ni in n]
    z = [(yi - th0) / si for yi, si in zip(y, s, strict=True)]
    lo, hi = hand_quantile7(z, 0.1), hand_quantile7(z, 0.9)
    z_w = [min(max(v, lo), hi) for v in z]
    phi, tau2 = hand_tau2(z_w, s)
    assert tau2 > 0  # the example is overdispersed

    res = funnel_proportions(k, n, ["A", "B", "C", "D"], method="funnelplotr")
    assert res.target == pytest.approx(p0)
    assert res.dispersion_ratio == pytest.approx(phi)
    assert res.tau2 == pytest.approx(tau2)
    assert res.adjusted is True
    assert res.dispersion_p_value == pytest.approx(stats.chi2.sf(4 * phi, 3))
    pp = res.per_project
    assert pp["z"].tolist() == pytest.approx(z)
    assert pp["z_winsorised"].tolist() == pytest.approx(z_w)
    for i, si in enumerate(s):
        sd = math.sqrt(si**2 + tau2)
        for q, suffix in ((Z95, "95"), (Z998, "998")):
            low = math.sin(max(th0 - q * sd, 0.0)) ** 2
            up = math.sin(min(th0 + q * sd, math.pi / 2)) ** 2
            assert pp.loc[i, f"lower{suffix}"] == pytest.approx(low, abs=1e-6)
            assert pp.loc[i, f"upper{suffix}"] == pytest.approx(up, abs=1e-6)
    rate = [ki / ni for ki, ni in zip(k, n, strict=True)]
    exp95 = [
        lab
        for lab, r, i in zip("ABCD", rate, range(4), strict=True)
        if r < pp.loc[i, "lower95"] or r > pp.loc[i, "upper95"]
    ]
    assert res.outside_95 == exp95
    assert "A" in res.outside_95  # 10 % against a pooled 67 %


def test_no_overdispersion_gives_unadjusted_limits():
    k, n = [10, 20, 30], [20, 40, 60]  # every rate equals the pooled rate
    res = funnel_proportions(k, n, ["a", "b", "c"], method="funnelplotr")
    assert res.dispersion_ratio == pytest.approx(0.0)
    assert res.tau2 == 0.0 and res.adjusted is False
    th0 = math.asin(math.sqrt(0.5))
    s = 1 / (2 * math.sqrt(40))
    pp = res.per_project.set_index("label")
    assert pp.loc["b", "lower95"] == pytest.approx(math.sin(th0 - Z95 * s) ** 2, abs=1e-6)
    assert pp.loc["b", "upper998"] == pytest.approx(math.sin(th0 + Z998 * s) ** 2, abs=1e-6)
    assert res.outside_95 == [] and res.outside_99_8 == []


def test_hand_limits_three_projects_and_outside_lists():
    # FunnelPlotR-style unadjusted check with a clear low outlier
    k, n = [5, 70, 80], [50, 100, 100]
    res = funnel_proportions(k, n, ["p1", "p2", "p3"], adjust="none", method="funnelplotr")
    p0 = 155 / 250
    th0 = math.asin(math.sqrt(p0))
    low998 = math.sin(th0 - Z998 / (2 * math.sqrt(50))) ** 2
    assert res.per_project.loc[0, "lower998"] == pytest.approx(low998, abs=1e-6)
    assert 0.1 < low998  # p1 (10 %) is below
    up998_p3 = math.sin(th0 + Z998 / 20) ** 2
    assert res.per_project.loc[2, "upper998"] == pytest.approx(up998_p3, abs=1e-6)
    assert up998_p3 < 0.8  # p3 (80 %) is above
    # p2 has the same n as p3, so the same limits (computed above by hand): 70 % is inside
    assert res.per_project.loc[1, "upper998"] == pytest.approx(up998_p3, abs=1e-6)
    assert res.per_project.loc[1, "lower998"] < 0.7 < up998_p3
    assert res.outside_99_8 == ["p1", "p3"]
    assert res.adjusted is False
    assert res.tau2 >= 0  # the estimate is still reported


def test_given_target_and_grid():
    res = funnel_proportions(
        [6, 9], [10, 10], ["x", "y"], target=0.6, adjust="none", grid=[4, 100], method="funnelplotr"
    )
    th0 = math.asin(math.sqrt(0.6))
    g = res.limits_grid
    assert list(g["n"]) == [4, 100]
    assert g.loc[1, "upper95"] == pytest.approx(math.sin(th0 + Z95 / 20) ** 2, abs=1e-6)
    # at n = 4 the upper 99.8 % limit would pass π/2: clipped to 1 (FunnelPlotR folds back)
    assert th0 + Z998 / 4 > math.pi / 2
    assert g.loc[0, "upper998"] == 1.0
    assert res.target == 0.6


def test_default_grid_covers_the_projects():
    res = funnel_proportions([3, 40], [5, 50], ["a", "b"], method="funnelplotr")
    g = res.limits_grid
    assert g["n"].min() <= 5 and g["n"].max() >= 50
    assert {5.0, 50.0} <= set(g["n"])
    assert (g["lower998"] <= g["lower95"]).all() and (g["upper95"] <= g["upper998"]).all()


# ----------------------------------------------------------------------------- winsorising


def twenty_z():
    rng = np.random.default_rng(7)
    return rng.normal(0, 2, 20)


def test_rank_winsorisation_twenty_units():
    z = twenty_z()
    order = np.argsort(z)
    third_low, third_high = z[order[2]], z[order[-3]]
    w = winsorise(z, 0.1, "rank")
    assert w[order[0]] == third_low and w[order[1]] == third_low
    assert w[order[-1]] == third_high and w[order[-2]] == third_high
    middle = order[2:-2]
    assert np.array_equal(w[middle], z[middle])


def test_quantile_winsorisation_twenty_units_is_r_type7():
    z = twenty_z()
    x = np.sort(z)
    lo = x[1] + 0.9 * (x[2] - x[1])  # h = 19 · 0.1 = 1.9 (0-based)
    hi = x[17] + 0.1 * (x[18] - x[17])  # h = 19 · 0.9 = 17.1
    w = winsorise(z, 0.1)
    assert np.sort(w)[:2] == pytest.approx([lo, lo])
    assert np.sort(w)[-2:] == pytest.approx([hi, hi])
    assert lo == pytest.approx(hand_quantile7(z, 0.1))


def test_dispersion_and_tau2_by_hand_twenty_projects():
    rng = np.random.default_rng(3)
    n = rng.integers(15, 80, 20)
    true_p = np.clip(0.7 + rng.normal(0, 0.12, 20), 0.05, 0.99)
    k = rng.binomial(n, true_p)
    labels = [f"P{i:02d}" for i in range(20)]
    res = funnel_proportions(k, n, labels, winsor_method="rank", method="funnelplotr")
    p0 = k.sum() / n.sum()
    th0 = math.asin(math.sqrt(p0))
    s = [1 / (2 * math.sqrt(v)) for v in n]
    z = [(math.asin(math.sqrt(ki / ni)) - th0) / si for ki, ni, si in zip(k, n, s, strict=True)]
    zs = sorted(z)
    z_w = [min(max(v, zs[2]), zs[-3]) for v in z]
    phi, tau2 = hand_tau2(z_w, s)
    assert res.dispersion_ratio == pytest.approx(phi)
    assert res.tau2 == pytest.approx(tau2)
    assert tau2 > 0 and res.adjusted
    assert res.n_units == 20
    # outside lists agree with the per-project limits
    pp = res.per_project
    manual = [
        lab
        for lab, r, lo, hi in zip(labels, pp["rate"], pp["lower998"], pp["upper998"], strict=True)
        if r < lo or r > hi
    ]
    assert res.outside_99_8 == manual


def test_dispersion_helper_threshold():
    # I·φ < I − 1 gives τ² = 0 even though the formula's numerator could be computed
    phi, tau2, p = dispersion(np.array([0.5, -0.5, 0.2]), np.array([0.1, 0.1, 0.1]))
    assert phi == pytest.approx((0.25 + 0.25 + 0.04) / 3)
    assert tau2 == 0.0
    assert p == pytest.approx(stats.chi2.sf(3 * phi, 2))


def test_adjust_modes():
    k = [2, 30, 45, 10, 20]
    n = [20, 40, 60, 10, 40]
    auto = funnel_proportions(k, n, list("abcde"), method="funnelplotr")
    none = funnel_proportions(k, n, list("abcde"), adjust="none", method="funnelplotr")
    test = funnel_proportions(k, n, list("abcde"), adjust="test", method="funnelplotr")
    assert auto.adjusted and not none.adjusted
    assert test.adjusted == (auto.dispersion_p_value < 0.05)
    assert auto.tau2 == none.tau2  # the estimate is reported either way
    assert (auto.per_project["upper95"] >= none.per_project["upper95"] - 1e-12).all()
    with pytest.raises(ValueError):
        funnel_proportions(k, n, list("abcde"), adjust="sometimes")  # type: ignore[arg-type]


def test_input_checks():
    with pytest.raises(ValueError):
        funnel_proportions([1, 2], [0, 5])
    with pytest.raises(ValueError):
        funnel_proportions([6], [5])
    with pytest.raises(ValueError):
        funnel_proportions([1, 2], [5, 5], ["a", "a"])


# ----------------------------------------------------------------------------- ratios


@pytest.mark.parametrize(
    ("o", "overdispersed"),
    [
        ([5.0, 12.0, 30.0, 9.0], False),
        ([2.0, 12.0, 40.0, 9.0], True),
    ],
)
def test_sqrt_ratio_funnel_by_hand(o, overdispersed):
    e = [8.0, 10.0, 25.0, 9.5]
    res = funnel_ratios(o, e, list("abcd"), method="sqrt")
    s = [1 / (2 * math.sqrt(v)) for v in e]
    z = [(math.sqrt(oi / ei) - 1) / si for oi, ei, si in zip(o, e, s, strict=True)]
    lo, hi = hand_quantile7(z, 0.1), hand_quantile7(z, 0.9)
    z_w = [min(max(v, lo), hi) for v in z]
    phi, tau2 = hand_tau2(z_w, s)
    assert (tau2 > 0) == overdispersed
    assert res.dispersion_ratio == pytest.approx(phi)
    assert res.tau2 == pytest.approx(tau2)
    assert res.adjusted == overdispersed
    pp = res.per_project
    assert pp["z"].tolist() == pytest.approx(z)
    if overdispersed:  # (1 ± z·sqrt(s² + τ²))²
        sd = math.sqrt(s[2] ** 2 + tau2)
        assert pp.loc[2, "upper95"] == pytest.approx((1 + Z95 * sd) ** 2, abs=1e-6)
        assert pp.loc[2, "lower998"] == pytest.approx((1 - Z998 * sd) ** 2, abs=1e-6)
    else:  # unadjusted: exact Poisson limits as FunnelPlotR
        assert pp.loc[2, "lower95"] == pytest.approx(stats.chi2.ppf(0.025, 50) / 50)
        assert pp.loc[2, "upper998"] == pytest.approx(stats.chi2.ppf(0.999, 52) / 50)
    outside = [
        lab
        for lab, r, lo_, hi_ in zip("abcd", pp["ratio"], pp["lower95"], pp["upper95"], strict=True)
        if r < lo_ or r > hi_
    ]
    assert res.outside_95 == outside


def test_sqrt_ratio_always_adjusted_limits():
    o, e = [5.0, 12.0, 30.0], [8.0, 10.0, 25.0]
    res = funnel_ratios(o, e, list("abc"), method="sqrt", adjust="always")
    sd = math.sqrt(1 / (4 * 8.0) + res.tau2)
    assert res.per_project.loc[0, "lower95"] == pytest.approx((1 - Z95 * sd) ** 2, abs=1e-6)
    assert res.per_project.loc[0, "upper998"] == pytest.approx((1 + Z998 * sd) ** 2, abs=1e-6)


def test_log_ratio_truncation_twenty_units():
    rng = np.random.default_rng(11)
    e = rng.uniform(5, 40, 20)
    o = rng.poisson(e * rng.lognormal(0, 0.3, 20)) + 1
    res = funnel_ratios(o, e, list(range(20)), method="log")
    z = np.sqrt(e) * np.log(o / e)
    rank = stats.rankdata(z)
    group = np.floor(rank * 10 / 21)
    keep = (group > 0) & (group < 9)
    assert keep.sum() == 16  # the 2 lowest and 2 highest are truncated
    phi, tau2 = hand_tau2(list(z[keep]), list(1 / np.sqrt(e[keep])))
    assert res.n_units == 16
    assert res.dispersion_ratio == pytest.approx(phi)
    assert res.tau2 == pytest.approx(tau2)
    if res.adjusted:
        sd = math.sqrt(1 / e[0] + tau2)
        assert res.per_project.loc[0, "upper95"] == pytest.approx(math.exp(Z95 * sd), abs=1e-6)
    with pytest.raises(ValueError):
        funnel_ratios([0, 3], [2, 3], method="log")


def test_bernoulli_ratio_funnel():
    o = [8.0, 14.0, 20.0]
    e = [9.0, 12.5, 21.0]
    v = [2.5, 3.4, 5.9]
    res = funnel_ratios(o, e, list("abc"), method="bernoulli", variance=v, adjust="none")
    z = [(oi - ei) / math.sqrt(vi) for oi, ei, vi in zip(o, e, v, strict=True)]
    assert res.per_project["z"].tolist() == pytest.approx(z)
    sd = math.sqrt(3.4) / 12.5
    assert res.per_project.loc[1, "lower95"] == pytest.approx(1 - Z95 * sd, abs=1e-6)
    assert res.per_project.loc[1, "upper998"] == pytest.approx(1 + Z998 * sd, abs=1e-6)
    assert res.x == "expected" and res.y == "ratio"
    with pytest.raises(ValueError):
        funnel_ratios(o, e, method="bernoulli")


# ----------------------------------------------------------------------------- display


def test_table_by_hand_and_repr_html_escapes_labels():
    """``table()``: rate k/n and the unadjusted FunnelPlotR limits sin²(θ0 ± z/(2√n)) worked
    out by hand; ``_repr_html_`` escapes the unit labels and prints Norwegian numbers."""
    k, n = [4, 9, 30], [10, 20, 50]
    labels = ["<P1>", "P&2", "P3"]
    res = funnel_proportions(k, n, labels, method="funnelplotr", adjust="none")
    t = res.table()
    assert list(t.columns) == [
        "label",
        "k",
        "n",
        "rate",
        "z",
        "lower95",
        "upper95",
        "lower998",
        "upper998",
        "outside_95",
        "outside_998",
    ]
    th0 = math.asin(math.sqrt(43 / 80))
    for i, (ki, ni) in enumerate(zip(k, n, strict=True)):
        assert t.loc[i, "label"] == labels[i]
        assert t.loc[i, "rate"] == pytest.approx(ki / ni)
        s = 1 / (2 * math.sqrt(ni))
        assert t.loc[i, "z"] == pytest.approx((math.asin(math.sqrt(ki / ni)) - th0) / s)
        for q, suffix in ((Z95, "95"), (Z998, "998")):
            assert t.loc[i, f"lower{suffix}"] == pytest.approx(math.sin(th0 - q * s) ** 2, abs=1e-6)
            assert t.loc[i, f"upper{suffix}"] == pytest.approx(math.sin(th0 + q * s) ** 2, abs=1e-6)
    html = res._repr_html_()
    assert "&lt;P1&gt;" in html and "P&amp;2" in html and "<P1>" not in html
    assert "45,0\u00a0%" in html  # 9/20 as a Norwegian percentage
    assert "Nedre 99,8\u00a0%" in html


def test_ratio_table_columns():
    res = funnel_ratios([12, 7, 30], [10.0, 9.5, 25.0], ["a", "b", "c"], method="log")
    t = res.table()
    assert list(t.columns[:5]) == ["label", "observed", "expected", "ratio", "z"]
    assert t["ratio"].tolist() == pytest.approx([1.2, 7 / 9.5, 1.2])
