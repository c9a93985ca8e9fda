"""The person-level bootstrap of the sick-leave rate (analysis.sickleave.measures), exactly.

The expected endpoints come from the exact bootstrap distribution, worked out by hand, not
from the code: in group K eight persons each have 200 agreed days; four lost 20 days and four
none. A resample of eight persons contains K ~ Binomial(8, 1/2) of the absent ones, and its
rate is ``100 · 20K / 1600 = 1.25 K`` per cent. The cumulative probabilities of K are

    K       0       1       2       3       4       5       6       7       8
    P(≤K)   0.0039  0.0352  0.1445  0.3633  0.6367  0.8555  0.9648  0.9961  1

so the 2.5 % quantile is K = 1 and the 97.5 % quantile K = 7: the 95 % percentile interval is
[1.25 %, 8.75 %], while a 90 % interval would be [2.5 %, 7.5 %] (K = 2 and 6). With 20 000
replicates the empirical distribution function lies within ±0.0013 (one standard error) of
P(≤K), and every P(≤K) is at least 0.0102 (eight standard errors) from 0.025, 0.05, 0.95 and
0.975, so the percentile endpoints fall on these atoms exactly. The bootstrap standard
deviation is 1.25·√(8·½·½) = 1.25·√2 ≈ 1.768 %; its Monte Carlo error with 20 000 replicates
is about 0.5 % of it, hence the 3 % tolerance.

In group M every person has the same rate (10 of 200 days, 5 %), so every replicate is 5 %:
both endpoints equal the rate and the standard deviation is 0.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.sickleave.measures import rate_bootstrap_ci

N_BOOT = 20_000


def _hr() -> pd.DataFrame:
    days = [20.0] * 4 + [0.0] * 4 + [10.0] * 3
    return pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(len(days))],
            "gender": ["K"] * 8 + ["M"] * 3,
            "agreed_workdays": 200.0,
            "sick_days_certified": days,
            "sick_days_self": 0.0,
        }
    )


@pytest.fixture  # per test: make mutate links each test to the functions it calls
def boot() -> pd.DataFrame:
    return rate_bootstrap_ci(_hr(), kind="legemeldt", by=("gender",), n_boot=N_BOOT, seed=11)


def test_endpoints_are_the_exact_bootstrap_quantiles(boot):
    k = boot.set_index("gender").loc["K"]
    assert k["n_persons"] == 8 and k["n_boot"] == N_BOOT
    assert k["rate_pct"] == pytest.approx(5.0, abs=1e-12)  # 80 / 1600
    assert k["ci_low"] == pytest.approx(1.25, abs=1e-12)  # K = 1
    assert k["ci_high"] == pytest.approx(8.75, abs=1e-12)  # K = 7
    assert k["se_pct"] == pytest.approx(1.25 * math.sqrt(2.0), rel=0.03)


def test_degenerate_group_has_a_point_interval(boot):
    m = boot.set_index("gender").loc["M"]
    assert m["n_persons"] == 3
    assert m["rate_pct"] == m["ci_low"] == m["ci_high"] == pytest.approx(5.0, abs=1e-12)
    assert m["se_pct"] == pytest.approx(0.0, abs=1e-12)


def test_the_level_follows_alpha():
    """alpha = 0.10 gives the 5 % and 95 % quantiles: K = 2 and 6 (table above)."""
    b = rate_bootstrap_ci(
        _hr(), kind="legemeldt", by=("gender",), n_boot=N_BOOT, seed=11, alpha=0.10
    )
    k = b.set_index("gender").loc["K"]
    assert (k["ci_low"], k["ci_high"]) == (pytest.approx(2.5), pytest.approx(7.5))
