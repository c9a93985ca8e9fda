"""Shared statistics helpers, each against an independent computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.methods.stats import (
    bootstrap,
    gamma_ratio_ci,
    gini,
    log_normal_ci,
    lorenz_curve,
    normal_ci,
    normal_quantile,
    ratio_ci,
    ratio_estimate,
    top_share,
    weighted_mean,
    weighted_quantile,
    wilson_ci,
)

# --------------------------------------------------------------------------- intervals


def test_normal_quantile_and_cis():
    assert normal_quantile(0.05) == pytest.approx(1.959963984540054)
    assert normal_quantile(0.10) == pytest.approx(1.6448536269514722)
    lo, hi = normal_ci(10.0, 2.0)
    assert (lo, hi) == pytest.approx((10 - 1.959963984540054 * 2, 10 + 1.959963984540054 * 2))
    lo, hi = log_normal_ci(5.0, 1.0)
    f = math.exp(1.959963984540054 * 1.0 / 5.0)
    assert (lo, hi) == pytest.approx((5.0 / f, 5.0 * f))
    assert lo * hi == pytest.approx(25.0)  # symmetric on the log scale
    assert all(math.isnan(v) for v in log_normal_ci(0.0, 0.0))
    with pytest.raises(ValueError):
        normal_quantile(1.5)


@pytest.mark.parametrize("alpha", [0.05, 0.10, 0.01])
def test_wilson_matches_statsmodels(alpha):
    for n in (1, 2, 5, 13, 40, 250):
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            if k < 0:
                continue
            expected = proportion_confint(k, n, alpha=alpha, method="wilson")
            assert wilson_ci(k, n, alpha) == pytest.approx(expected, abs=1e-12), (k, n)


def test_wilson_vectorised_and_edge_cases():
    k = np.array([0, 3, 7, 10])
    n = np.array([10, 10, 10, 10])
    lo, hi = wilson_ci(k, n)
    exp_lo, exp_hi = proportion_confint(k, n, method="wilson")
    np.testing.assert_allclose(lo, exp_lo, atol=1e-12)
    np.testing.assert_allclose(hi, exp_hi, atol=1e-12)
    # by hand for k=0, n=10: upper = z²/n / (1 + z²/n) = z² / (n + z²)
    z2 = 1.959963984540054**2
    assert hi[0] == pytest.approx(z2 / (10 + z2))
    assert lo[0] == 0.0
    assert all(math.isnan(v) for v in wilson_ci(0, 0))
    with pytest.raises(ValueError):
        wilson_ci(5, 4)


# --------------------------------------------------------------------------- ratio estimator


def test_ratio_estimate_by_hand():
    # y = [1, 2, 3], x = [10, 10, 20]: R = 6/40 = 0.15, residuals -0.5, 0.5, 0
    # Var = (0.25 + 0.25) / (3·2) / (40/3)² = 0.5 · 9 / (6 · 1600)
    r, se = ratio_estimate([1, 2, 3], [10, 10, 20])
    assert r == pytest.approx(0.15)
    assert se == pytest.approx(math.sqrt(0.5 * 9 / (6 * 1600)))


def test_ratio_estimate_against_covariance_form():
    """Var(R) ≈ (s_y² + R² s_x² − 2 R s_xy) / (n x̄²): the same estimator written with sample
    (co)variances, computed with numpy's var/cov."""
    rng = np.random.default_rng(7)
    x = rng.uniform(50, 260, 300)
    y = rng.gamma(0.4, 0.05 * x / 0.4)
    r, se = ratio_estimate(y, x)
    n = len(x)
    R = y.sum() / x.sum()
    c = np.cov(y, x, ddof=1)
    var = (c[0, 0] + R**2 * c[1, 1] - 2 * R * c[0, 1]) / (n * x.mean() ** 2)
    assert r == pytest.approx(R)
    assert se == pytest.approx(math.sqrt(var), rel=1e-10)


def test_ratio_estimate_edge_cases():
    assert all(math.isnan(v) for v in ratio_estimate([0.0, 0.0], [0.0, 0.0]))
    r, se = ratio_estimate([3.0], [10.0])
    assert r == 0.3 and math.isnan(se)
    assert all(math.isnan(v) for v in ratio_estimate([], []))
    with pytest.raises(ValueError):
        ratio_estimate([1, 2], [1])


# --------------------------------------------------------------------------- weighted


def test_weighted_mean():
    assert weighted_mean([1, 2, 3], [1, 1, 2]) == pytest.approx((1 + 2 + 6) / 4)
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=50), rng.uniform(size=50)
    assert weighted_mean(x, w) == pytest.approx(np.average(x, weights=w))
    assert weighted_mean([1.0, np.nan, 3.0], [1.0, 5.0, 1.0]) == pytest.approx(2.0)
    assert math.isnan(weighted_mean([1.0], [0.0]))
    with pytest.raises(ValueError):
        weighted_mean([1, 2], [1, -1])


def test_weighted_quantile_by_hand_and_against_numpy():
    # weights 1, 1, 2 on 10, 20, 30: cumulative shares 0.25, 0.5, 1.0
    assert weighted_quantile([30, 10, 20], [2, 1, 1], 0.25) == 10
    assert weighted_quantile([30, 10, 20], [2, 1, 1], 0.5) == 20
    assert weighted_quantile([30, 10, 20], [2, 1, 1], 0.51) == 30
    assert weighted_quantile([30, 10, 20], [2, 1, 1], 0.0) == 10
    rng = np.random.default_rng(11)
    x = rng.normal(size=80)
    w = rng.uniform(0.1, 3.0, size=80)
    qs = np.array([0.0, 0.1, 0.25, 0.5, 0.77, 0.9, 1.0])
    ours = weighted_quantile(x, w, qs)
    theirs = np.quantile(x, qs, weights=w, method="inverted_cdf")
    np.testing.assert_allclose(ours, theirs)
    # equal weights: an order statistic
    assert weighted_quantile([5, 1, 4, 2, 3], np.ones(5), 0.5) == 3


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_is_seeded_and_matches_the_standard_error_of_a_mean():
    rng = np.random.default_rng(5)
    v = rng.exponential(2.0, 400)
    a = bootstrap(np.mean, [v], n_boot=1500, seed=1)
    b = bootstrap(np.mean, [v], n_boot=1500, seed=1)
    c = bootstrap(np.mean, [v], n_boot=1500, seed=2)
    assert a.se == b.se and a.ci_low == b.ci_low
    assert a.se != c.se
    assert a.estimate == pytest.approx(v.mean())
    assert a.se == pytest.approx(v.std(ddof=1) / math.sqrt(v.size), rel=0.1)
    assert a.ci_low < v.mean() < a.ci_high
    assert a.replicates.shape == (1500,)


def test_bootstrap_strata_keep_their_sizes():
    strata = np.array(["a"] * 7 + ["b"] * 13)
    res = bootstrap(lambda s: float((s == "a").sum()), [strata], n_boot=200, seed=3, strata=strata)
    assert res.se == 0.0 and res.ci_low == res.ci_high == 7.0


# --------------------------------------------------------------------------- concentration


def test_gini_by_hand_and_against_mean_difference():
    assert gini([1, 1, 1, 1]) == 0.0
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)  # (n−1)/n
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    rng = np.random.default_rng(9)
    v = rng.gamma(0.5, 4.0, 60)
    mad = np.abs(v[:, None] - v[None, :]).sum() / (2 * v.size**2 * v.mean())
    assert gini(v) == pytest.approx(mad)
    assert math.isnan(gini([0, 0]))
    with pytest.raises(ValueError):
        gini([1, -1])


def test_lorenz_curve_and_gini_agree():
    p, L = lorenz_curve([10, 0, 0, 0])
    np.testing.assert_allclose(p, [0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(L, [0, 0, 0, 0, 1.0])
    rng = np.random.default_rng(2)
    v = rng.gamma(0.3, 10.0, 101)
    p, L = lorenz_curve(v)
    area = float(((L[1:] + L[:-1]) / 2 * np.diff(p)).sum())
    assert 1 - 2 * area == pytest.approx(gini(v))


def test_top_share_ties_and_rounding_up():
    # 10 units: top 5 % = ⌈0.5⌉ = 1 unit, top 20 % = 2 units
    v = [0, 0, 0, 0, 1, 2, 3, 4, 20, 50]
    assert top_share(v, 0.05) == (1, pytest.approx(50 / 80))
    assert top_share(v, 0.20) == (2, pytest.approx(70 / 80))
    assert top_share([5, 5, 5, 0], 0.25) == (1, pytest.approx(5 / 15))
    assert top_share([5, 5, 5, 0], 1.0) == (4, 1.0)
    k, s = top_share([0, 0], 0.5)
    assert k == 1 and math.isnan(s)


def test_ratio_ci_is_the_df_adjusted_gamma_interval_by_hand():
    from scipy.stats import chi2, norm, t

    rng = np.random.default_rng(4)
    x = rng.uniform(100, 230, 60)
    y = np.where(rng.random(60) < 0.5, 0.0, rng.poisson(5, 60)).astype(float)
    for n in (60, 49, 12):
        yn, xn = y[:n], x[:n]
        # Fay & Feuer (1997) with w = max y / Σx; the linearised variance (Cochran 6.9)
        # times (t_{n-1} / z)^2 (Korn & Graubard 1998), all written out here
        r = yn.sum() / xn.sum()
        v = ((yn - r * xn) ** 2).sum() / (n * (n - 1)) / xn.mean() ** 2
        v *= (t.ppf(0.975, n - 1) / norm.ppf(0.975)) ** 2
        w = yn.max() / xn.sum()
        low = v / (2 * r) * chi2.ppf(0.025, 2 * r**2 / v)
        high = (v + w**2) / (2 * (r + w)) * chi2.ppf(0.975, 2 * (r + w) ** 2 / (v + w**2))
        assert ratio_ci(yn, xn) == pytest.approx((low, high), rel=1e-12)
        assert gamma_ratio_ci(yn, xn) == pytest.approx((low, high), rel=1e-12)
        assert low < r < high
    # the adjustment widens: without it the interval lies strictly inside
    lo0, hi0 = gamma_ratio_ci(y[:12], x[:12], df_adjust=False)
    lo1, hi1 = gamma_ratio_ci(y[:12], x[:12])
    assert lo1 < lo0 and hi0 < hi1
    # the log-scale Wald interval stays available for comparison
    assert ratio_ci(y, x, method="log_wald") == pytest.approx(log_normal_ci(*ratio_estimate(y, x)))
    with pytest.raises(ValueError, match="intervallmetode"):
        ratio_ci(y, x, method="wald")
    assert all(np.isnan(gamma_ratio_ci(np.zeros(5), np.ones(5))))  # no events: undefined


# --------------------------------------------------------------------------- display


def test_result_tables_and_html():
    # R = 6/40 = 0.15 and its SE by hand (see test_ratio_estimate_by_hand)
    t = ratio_estimate([1, 2, 3], [10, 10, 20]).table()
    assert list(t.columns) == ["estimate", "se"]
    assert t.loc[0, "estimate"] == pytest.approx(0.15)
    assert t.loc[0, "se"] == pytest.approx(math.sqrt(0.5 * 9 / (6 * 1600)))
    html = ratio_estimate([1, 2, 3], [10, 10, 20])._repr_html_()
    assert "0,1500" in html and "<caption>" in html
    # a constant sample: every replicate equals the mean, so SE 0 and a degenerate interval
    b = bootstrap(np.mean, [np.full(20, 2.5)], n_boot=50, seed=3).table()
    assert b.iloc[0].to_dict() == {
        "estimate": 2.5,
        "se": 0.0,
        "ci_low": 2.5,
        "ci_high": 2.5,
        "n_boot": 50,
        "seed": 3,
    }
    html = bootstrap(np.mean, [np.full(20, 2.5)], n_boot=50, seed=20250101)._repr_html_()
    assert '<td class="num">2,5000</td>' in html and "<td>20250101</td>" in html  # seed: an id
