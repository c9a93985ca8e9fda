"""Small, seeded versions of the simulation studies in benchmarks/calibrate.py (issue 15).

Each test draws from the same data-generating model as ``make calibrate`` with few
replicates and asserts a tolerance that the calibrated method meets and the former method
fails by a clear margin; the comment in each test gives the former method's value (from the
audit in issue 15 and docs/calibration.md) and why the tolerance separates them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.methods import oaxaca
from analysis.methods.funnel import funnel_proportions
from analysis.methods.stats import log_normal_ci, ratio_ci, ratio_estimate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import calibrate

Z95 = 1.959963984540054


def _coverage(hits: np.ndarray) -> float:
    return float(np.mean(hits))


def test_pooled_oaxaca_se_calibrated_in_the_stress_design():
    # Neumark's reference (pooled without indicator) in the stress design, the targets
    # (SE/SD 0.95-1.10, coverage >= 93.5 %). On these seeded replicates the former SEs (b* a
    # fixed linear map of the group coefficients, independent of the covariate means) give
    # SE/SD 0.89 / 0.94 and coverage 92.7 % / 93.0 % (explained / unexplained) and fail;
    # the stacked sandwich gives 1.05 / 1.04 and 95 % / 96 %. MCSE of SE/SD about 0.04.
    rng = np.random.default_rng(151)
    big = calibrate.oaxaca_draw(np.random.default_rng(1), 100_000, "stress")
    truth = calibrate._decompose(*big, "pooled_no_indicator", False, need_var=False)[0]
    est, se = [], []
    for _ in range(300):
        ZA, ZB = calibrate.oaxaca_draw(rng, 400, "stress")
        e, s, *_ = calibrate._decompose(ZA, ZB, "pooled_no_indicator", False)
        est.append(e)
        se.append(s)
    est, se = np.array(est), np.array(se)
    ratio = se.mean(0) / est.std(0, ddof=1)
    cover = np.mean(np.abs(est - truth) <= Z95 * se, axis=0)
    assert np.all(ratio > 0.95) and np.all(ratio < 1.15), ratio
    assert np.all(cover >= 0.935), cover


def test_detailed_flags_and_percentile_intervals():
    rng = np.random.default_rng(3)
    ZA, ZB = calibrate.oaxaca_draw(rng, 120, "stress")
    frame = pd.DataFrame(np.vstack([ZA, ZB]), columns=["age", "c1", "c2", "c3", "c4", "y"])
    frame["cat"] = np.select(
        [frame[c] == 1 for c in ("c1", "c2", "c3", "c4")], ["c1", "c2", "c3", "c4"], "c0"
    )
    frame["g"] = ["m"] * 120 + ["w"] * 120
    res = oaxaca.oaxaca_blinder(frame, "y", "g", ["age", "cat"], group_a="m")
    det = res.detailed
    women = frame.loc[frame.g == "w", "cat"].value_counts()
    men = frame.loc[frame.g == "m", "cat"].value_counts()
    n_min = det.xs("explained", level="component")["n_min"]
    assert n_min["cat[c4]"] == min(women["c4"], men["c4"])  # 5 % of women: sparse
    assert n_min["age"] == 120
    flagged = det.loc[det["approximate"]].index.get_level_values("term")
    assert "cat[c4]" in flagged and "age" not in flagged  # 120 >= 100 but c4 < 100

    # percentile intervals: quantiles of the decomposition on resampled persons (drawn here
    # with the same generator calls as the estimator, recomputed through the public API)
    pct = oaxaca.oaxaca_blinder(
        frame, "y", "g", ["age", "cat"], group_a="m", detailed_ci="percentile", reps=40, seed=9
    )
    assert not pct.detailed["approximate"].any()
    pd.testing.assert_series_equal(pct.detailed["se"], det["se"])  # SEs stay delta-method
    rng = np.random.default_rng(9)
    a, b = frame.loc[frame.g == "m"], frame.loc[frame.g == "w"]
    draws = []
    for _ in range(40):
        ia, ib = rng.integers(0, len(a), len(a)), rng.integers(0, len(b), len(b))
        rep = pd.concat([a.iloc[ia], b.iloc[ib]], ignore_index=True)
        try:
            one = oaxaca.oaxaca_blinder(rep, "y", "g", ["age", "cat"], group_a="m")
        except ValueError:
            continue
        draws.append(one.detailed["estimate"].reindex(det.index).to_numpy())
    lo, hi = np.quantile(np.array(draws), [0.025, 0.975], axis=0)
    np.testing.assert_allclose(pct.detailed["ci_low"], lo, atol=1e-10)
    np.testing.assert_allclose(pct.detailed["ci_high"], hi, atol=1e-10)
    again = oaxaca.oaxaca_blinder(
        frame, "y", "g", ["age", "cat"], group_a="m", detailed_ci="percentile", reps=40, seed=9
    )
    pd.testing.assert_frame_equal(again.detailed, pct.detailed)  # seeded


def test_funnel_default_flags_at_most_nominal_under_overdispersion():
    # 40 projects, p = 0.6, arcsine sd 0.05, no true outliers: FunnelPlotR's method flags
    # about 9.5 % outside 95 % (audit: 9.8 %); 50 replicates give 2000 project flags (MCSE
    # about 0.7 points), so the bound 7 % separates it from the default (about 3.5 %)
    res = calibrate.funnel_task((0.6, 0.05, 50, 2026))
    share = {m: c / (50 * calibrate.FUNNEL_PROJECTS) for m, c in res["counts"].items()}
    assert share["calibrated"][0] <= 0.07 and share["calibrated"][1] <= 0.006
    assert share["funnelplotr"][0] > 0.07  # the study still tells the two methods apart


def test_full_project_is_not_outside_by_construction():
    # target 0.9, a project with 24 of 24: P(K = 24) = 0.9^24 = 0.080, neither a 99.8 % nor
    # a 95 % signal; on the arcsine scale z = (π/2 − asin(√0.9))·2√24 = 3.15 > 3.09, so the
    # normal limits put it outside 99.8 % (and so for every n >= 24)
    k = np.array([24, 90, 180, 45, 88])
    n = np.array([24, 100, 200, 50, 98])
    kw = {"target": 0.9, "adjust": "none"}
    default = funnel_proportions(k, n, list("abcde"), **kw)
    fpr = funnel_proportions(k, n, list("abcde"), method="funnelplotr", **kw)
    assert "a" not in default.outside_99_8 and "a" not in default.outside_95
    assert "a" in fpr.outside_99_8
    row = default.per_project.set_index("label").loc["a"]
    assert row["upper998"] == row["upper95"] == 1.0
    # exact binomial limits by hand for n = 98 at 95 %: L = smallest k with P(K <= k) >=
    # 0.025, U = largest k with P(K >= k) >= 0.025
    from scipy.stats import binom

    ks = np.arange(99)
    low = ks[binom.cdf(ks, 98, 0.9) >= 0.025].min()
    high = ks[binom.sf(ks - 1, 98, 0.9) >= 0.025].max()
    row = default.per_project.set_index("label").loc["e"]
    assert (row["lower95"], row["upper95"]) == (low / 98, high / 98)


def test_small_group_rate_intervals_cover():
    # 30 persons per group, heavy-tailed absence: the former log-scale Wald interval covers
    # about 85-88 % (audit: 86-88 %) and the gamma interval without the degrees-of-freedom
    # adjustment about 92.6-93.2 % (docs/calibration.md); the adjusted gamma interval covers
    # about 93.5-94.5 %. 1500 replicates (MCSE about 0.6 points): the seeded draws pin the
    # target of issue 15 (at least 93 %) and show the Wald interval far below it
    for women in (True, False):
        xb, yb = calibrate.absence_draw(np.random.default_rng(1), (1_000_000,), women)
        truth = yb.sum() / xb.sum()
        x, y = calibrate.absence_draw(np.random.default_rng(30 + women), (1500, 30), women)
        new, old = [], []
        for i in range(1500):
            lo, hi = ratio_ci(y[i], x[i])
            new.append(lo <= truth <= hi)
            lo, hi = log_normal_ci(*ratio_estimate(y[i], x[i]))
            old.append(lo <= truth <= hi)
        assert np.mean(new) >= 0.93, (women, np.mean(new))
        assert np.mean(old) < 0.90, (women, np.mean(old))
