"""Edge cases of analysis.methods.stats that the docstrings promise, with values by hand.

* A zero total gives NaN (gini, lorenz_curve, top_share, weighted_mean: "NaN if the total /
  the weights sum to 0") — and quietly: no numpy RuntimeWarning (0/0) leaks into a notebook's
  output. Warnings are turned into errors here.
* ``normal_quantile()`` is the two-sided 95 % critical value 1.959964 (its docstring; the
  standard normal table).
* ``weighted_quantile`` returns a float for a scalar ``q`` (also when every weight is 0) and
  an array for an array of ``q``.
* ``wilson_ci`` gives exactly 1 as upper limit when k = n (its comment): for n = 13 at the
  95 % level the Wilson formula itself rounds to 0.9999999999999999 in floating point.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from analysis.methods.stats import (
    gini,
    lorenz_curve,
    normal_quantile,
    top_share,
    weighted_mean,
    weighted_quantile,
    wilson_ci,
)


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_zero_totals_are_nan_without_warnings():
    assert math.isnan(gini([0.0, 0.0, 0.0]))
    p, L = lorenz_curve([0.0, 0.0])
    assert p.tolist() == [0.0, 0.5, 1.0] and np.isnan(L).all() and L.size == 3
    k, share = top_share([0.0, 0.0, 0.0, 0.0], 0.5)
    assert k == 2 and math.isnan(share)
    assert math.isnan(weighted_mean([1.0, 2.0], [0.0, 0.0]))


def test_normal_quantile_default_is_the_95_per_cent_value():
    assert normal_quantile() == pytest.approx(1.959963984540054, abs=1e-12)


def test_weighted_quantile_returns_a_float_for_a_scalar_q():
    # values 1, 2, 3 with weights 1, 1, 2: cumulative shares 0.25, 0.5, 1 → median 2
    m = weighted_quantile([3.0, 1.0, 2.0], [2.0, 1.0, 1.0], 0.5)
    assert type(m) is float and m == 2.0
    empty = weighted_quantile([1.0, 2.0], [0.0, 0.0], 0.5)
    assert type(empty) is float and math.isnan(empty)
    both = weighted_quantile([3.0, 1.0, 2.0], [2.0, 1.0, 1.0], [0.25, 0.75])
    assert isinstance(both, np.ndarray) and both.tolist() == [1.0, 3.0]


def test_wilson_upper_limit_is_exactly_one_when_every_trial_succeeds():
    z = normal_quantile(0.05)
    n = 13
    # the formula on its own, written out: p = 1, so half = z·√(z²/4n²)/(1 + z²/n)
    raw = (1 + z**2 / (2 * n)) / (1 + z**2 / n) + z * math.sqrt(z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert raw < 1.0  # rounding: the reason for the explicit 1
    low, high = wilson_ci(n, n)
    assert high == 1.0
    assert low == pytest.approx((1 + z**2 / (2 * n) - z**2 / (2 * n)) / (1 + z**2 / n))
