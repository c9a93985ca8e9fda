"""The documented edge cases, messages and interval levels of ``analysis.methods.stats``.

Written against the survivors of a mutation run (``make mutate``): each assertion states the
behaviour the docstring promises, with the expected value worked out here from the
definition (the hand arithmetic is in the comments), not taken from the code.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats as sps

from analysis.methods import stats as S

NAN_PAIR = (True, True)


def _isnan_pair(pair) -> tuple[bool, bool]:
    return math.isnan(pair[0]), math.isnan(pair[1])


# --------------------------------------------------------------------------- messages (bokmål)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: S.normal_quantile(0.0), "alpha må ligge i (0, 1), fikk 0.0"),
        (lambda: S.normal_quantile(1.0), "alpha må ligge i (0, 1), fikk 1.0"),
        (lambda: S.wilson_ci(-1, 5), "wilson_ci krever 0 <= k <= n"),
        (lambda: S.wilson_ci(6, 5), "wilson_ci krever 0 <= k <= n"),
        (lambda: S.ratio_estimate([1, 2], [1]), "y og x må ha samme lengde"),
        (lambda: S.weighted_mean([1, 2], [1]), "values og weights må ha samme lengde"),
        (lambda: S.weighted_mean([1, 2], [1, -1]), "weights kan ikke være negative"),
        (lambda: S.weighted_quantile([1, 2], [1, 1], 1.5), "q må ligge i [0, 1]"),
        (lambda: S.weighted_quantile([1, 2], [1, 1], -0.5), "q må ligge i [0, 1]"),
        (lambda: S.gini([1.0, float("nan")]), "values kan ikke inneholde NaN"),
        (lambda: S.gini([1.0, -1.0]), "values kan ikke være negative"),
        (lambda: S.top_share([1.0, 2.0], 0.0), "share må ligge i (0, 1]"),
        (lambda: S.top_share([1.0, 2.0], 1.5), "share må ligge i (0, 1]"),
        (lambda: S.bootstrap(np.mean, []), "bootstrap trenger minst én tabell (array)"),
        (lambda: S.bootstrap(np.mean, [[1, 2], [1]]), "alle tabellene (arrays) må ha samme lengde"),
        (lambda: S.bootstrap(np.mean, [[]]), "bootstrap trenger minst én enhet"),
        (lambda: S.bootstrap(np.mean, [[1, 2]], n_boot=1), "n_boot må være minst 2"),
        (lambda: S.bootstrap(np.mean, [[1, 2]], strata=[1]), "strata må ha én etikett per enhet"),
    ],
)
def test_bad_input_is_refused_with_its_message(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value) == message


# --------------------------------------------------------------------------- boundaries


def test_boundaries_that_are_allowed():
    # alpha just inside (0, 1); share = 1 (everyone) and n_boot = 2 are allowed
    assert S.normal_quantile(0.999) == pytest.approx(sps.norm.ppf(1 - 0.999 / 2))
    assert S.top_share([1.0, 3.0], 1.0) == (2, 1.0)
    assert S.bootstrap(np.mean, [[1.0, 3.0]], n_boot=2).n_boot == 2
    assert S.weighted_quantile([1.0, 2.0], [1.0, 1.0], [0.0, 1.0]).tolist() == [1.0, 2.0]
    assert S.wilson_ci(5, 5)[1] == 1.0 and S.wilson_ci(0, 5)[0] == 0.0


def test_nan_results_where_the_docstrings_say_nan():
    assert _isnan_pair(S.log_normal_ci(0.0, 0.1)) == NAN_PAIR
    assert _isnan_pair(S.log_normal_ci(0.2, float("nan"))) == NAN_PAIR
    assert _isnan_pair(S.ratio_estimate([], [])) == NAN_PAIR
    assert _isnan_pair(S.ratio_estimate([1.0, 2.0], [0.0, 0.0])) == NAN_PAIR
    # one unit: R = 3/10 is known, its SE is not
    r, se = S.ratio_estimate([3.0], [10.0])
    assert r == 0.3 and math.isnan(se)
    # two units: R = 4/4 = 1, residuals 1 − 1 = 0 and 3 − 3 = 0 → se 0, not NaN
    assert S.ratio_estimate([1.0, 3.0], [1.0, 3.0]) == (1.0, 0.0)
    # a sum of x equal to one is a sum like any other: R = 2/1
    assert S.ratio_estimate([1.0, 1.0], [0.5, 0.5]).estimate == 2.0
    assert _isnan_pair(S.gamma_ratio_ci([0.0, 0.0, 0.0], [1.0, 2.0, 3.0])) == NAN_PAIR
    assert _isnan_pair(S.gamma_ratio_ci([2.0, 4.0], [1.0, 2.0])) == NAN_PAIR  # se = 0
    assert math.isnan(S.weighted_mean([1.0, 2.0], [0.0, 0.0]))
    assert S.weighted_mean([1.0, 3.0], [0.25, 0.25]) == 2.0  # Σw = 0.5 < 1 still a mean
    assert math.isnan(S.weighted_quantile([1.0], [0.0], 0.5))
    empty = S.weighted_quantile([1.0, 2.0], [0.0, 0.0], [0.25, 0.75])
    assert empty.shape == (2,) and np.isnan(empty).all()
    assert math.isnan(S.gini([0.0, 0.0])) and math.isnan(S.gini([]))
    assert S.gini([5.0]) == 0.0  # one unit holds everything: (n − 1)/n = 0
    assert S.gini([0.0, 1.0]) == 0.5  # (2·1 − 3)·0 + (2·2 − 3)·1 = 1, over 2·1
    assert S.gini([0.5, 0.5]) == 0.0
    k, share = S.top_share([0.0, 0.0], 0.5)
    assert k == 1 and math.isnan(share)
    assert S.top_share([0.25, 0.25, 0.5], 0.34) == (2, 0.75)  # ⌈1.02⌉ = 2 units: 0.5 + 0.25


def test_lorenz_curve_edge_cases():
    p, L = S.lorenz_curve([])
    assert p.tolist() == [0.0] and np.isnan(L).all() and L.shape == (1,)
    p, L = S.lorenz_curve([0.0, 0.0, 0.0])
    assert p.tolist() == [0, 1 / 3, 2 / 3, 1] and L.shape == (4,) and np.isnan(L).all()
    p, L = S.lorenz_curve([0.25, 0.25])  # total 0.5 < 1
    assert L.tolist() == [0.0, 0.5, 1.0]


def test_wilson_with_no_trials_is_nan_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, high = S.wilson_ci(np.array([0, 3]), np.array([0, 10]))
    assert np.isnan(low[0]) and np.isnan(high[0])
    # k = 3, n = 10, z = 1.959964: Wilson (1927) by hand
    z, p, n = sps.norm.ppf(0.975), 0.3, 10
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert (low[1], high[1]) == pytest.approx((centre - half, centre + half), abs=1e-12)


def test_ratio_ci_passes_alpha_on():
    rng = np.random.default_rng(3)
    x = rng.uniform(100, 200, 40)
    y = rng.gamma(0.5, 0.1 * x)
    r, se = S.ratio_estimate(y, x)
    z90 = sps.norm.ppf(0.95)
    lo, hi = S.ratio_ci(y, x, alpha=0.10, method="log_wald")
    assert (lo, hi) == pytest.approx((r * math.exp(-z90 * se / r), r * math.exp(z90 * se / r)))
    g90, g95 = S.ratio_ci(y, x, alpha=0.10), S.ratio_ci(y, x, alpha=0.05)
    assert g95[0] < g90[0] < r < g90[1] < g95[1]
    assert g90 == S.gamma_ratio_ci(y, x, 0.10)


def test_weighted_quantile_ties_and_exact_shares():
    # cumulative shares 0.25, 0.5, 0.75, 1: q exactly at a share picks that value
    x, w = [4.0, 1.0, 3.0, 2.0], [1.0, 1.0, 1.0, 1.0]
    assert S.weighted_quantile(x, w, [0.25, 0.5, 0.75, 1.0]).tolist() == [1, 2, 3, 4]
    assert S.weighted_quantile(x, w, 0.0) == 1.0
    assert S.weighted_quantile(x, w, 0.26) == 2.0


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_interval_is_the_percentile_interval_at_the_level_asked():
    """Efron & Tibshirani (1993, sec. 13.3): the (1 − α) percentile interval is the α/2 and
    1 − α/2 quantiles of the replicates; a 90 % interval must not pass for a 95 % one."""
    rng = np.random.default_rng(11)
    data = rng.exponential(1.0, 60)
    for alpha in (0.05, 0.10, 0.32):
        res = S.bootstrap(np.mean, [data], n_boot=400, seed=3, alpha=alpha)
        lo, hi = np.quantile(res.replicates, [alpha / 2, 1 - alpha / 2])
        assert (res.ci_low, res.ci_high) == (lo, hi)
        assert res.se == pytest.approx(np.std(res.replicates, ddof=1))
    wide = S.bootstrap(np.mean, [data], n_boot=400, seed=3, alpha=0.05)
    narrow = S.bootstrap(np.mean, [data], n_boot=400, seed=3, alpha=0.10)
    assert wide.ci_low < narrow.ci_low and narrow.ci_high < wide.ci_high


def test_bootstrap_resamples_every_unit_and_keeps_strata_sizes():
    # the mean of a resample of (0, 1) is the share of ones drawn: over many replicates each
    # unit is drawn half the time (both indices reachable), so the replicate mean is ≈ 0.5
    res = S.bootstrap(np.mean, [[0.0, 1.0]], n_boot=4000, seed=1)
    assert abs(np.mean(res.replicates) - 0.5) < 0.03
    assert set(np.unique(res.replicates)) == {0.0, 0.5, 1.0}
    # strata: a resample keeps 3 units of stratum a (value 1) and 2 of b (value 0)
    values = np.array([1.0, 1.0, 1.0, 0.0, 0.0])
    strata = ["a", "a", "a", "b", "b"]
    res = S.bootstrap(np.sum, [values], n_boot=50, seed=2, strata=strata)
    assert (res.replicates == 3.0).all() and res.se == 0.0
    # a single stratum label: the same as no strata
    one = S.bootstrap(np.mean, [values], n_boot=50, seed=2, strata=["s"] * 5)
    assert set(np.unique(one.replicates)) - {0.0, 0.2, 0.4, 0.6, 0.8, 1.0} == set()
    assert len(np.unique(one.replicates)) > 1


def test_bootstrap_with_too_few_finite_replicates_is_nan():
    calls = []

    def stat(v):  # 7 on the data (the first call), NaN on every replicate
        calls.append(1)
        return 7.0 if len(calls) == 1 else float("nan")

    res = S.bootstrap(stat, [np.array([1.0, 2.0])], n_boot=5, seed=1)
    assert res.estimate == 7.0
    assert math.isnan(res.se) and math.isnan(res.ci_low) and math.isnan(res.ci_high)
    assert res.n_boot == 5 and res.seed == 1 and len(res.replicates) == 5
    # two finite replicates are enough for an SE and an interval
    res = S.bootstrap(np.mean, [np.array([1.0, 3.0])], n_boot=2, seed=1)
    assert not math.isnan(res.se)
    assert S.bootstrap(np.mean, [[1.0, 2.0]]).n_boot == 2000  # the documented default
