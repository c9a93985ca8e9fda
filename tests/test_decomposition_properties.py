"""Property-based tests (hypothesis): every decomposition adds up to the gap it decomposes.

Expected values come from the definitions, not from the code under test: the gap is the
difference of the two groups' means computed here with numpy (Oaxaca–Blinder: mean of the
outcome per group; Ñopo: head-count-weighted mean pay per gender), and the parts must add
up to it exactly (Jann 2008, eq. 2–5, for the twofold and threefold Oaxaca–Blinder
decomposition; Ñopo 2008, sec. III, for Δ = Δ_M + Δ_F + Δ_X + Δ_0). The detailed terms of
each Oaxaca–Blinder component add up to that component (Jann 2008, eq. 6).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.methods.oaxaca import oaxaca_blinder
from analysis.paygap.nopo import nopo_decomposition

SETTINGS = settings(max_examples=15, deadline=None, derandomize=True)


def _sample(seed: int, n_a: int, n_b: int, shift: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_a + n_b
    g = np.array(["a"] * n_a + ["b"] * n_b)
    x = rng.normal(10 + shift * (g == "a"), 3, n)
    edu = rng.choice(["grunn", "vgs", "hoyere"], n)
    # every category in both groups, so that each dummy is estimable in both regressions
    edu[:3], edu[n_a : n_a + 3] = ["grunn", "vgs", "hoyere"], ["grunn", "vgs", "hoyere"]
    y = 1.0 + 0.05 * x + 0.2 * (edu == "hoyere") + 0.1 * (g == "a") + rng.normal(0, 0.3, n)
    return pd.DataFrame(
        {
            "y": y,
            "x": x,
            "grunn": (edu == "grunn").astype(float),
            "vgs": (edu == "vgs").astype(float),
            "hoyere": (edu == "hoyere").astype(float),
            "g": g,
        }
    )


@SETTINGS
@given(
    seed=st.integers(0, 10_000),
    n_a=st.integers(12, 60),
    n_b=st.integers(12, 60),
    shift=st.floats(-3, 3),
    design=st.sampled_from(
        [
            (False, "pooled"),
            (False, "group_a"),
            (False, "group_b"),
            (True, "group_a"),
            (True, "group_b"),
        ]
    ),
)
def test_oaxaca_parts_add_up_to_the_difference_of_means(seed, n_a, n_b, shift, design):
    threefold, reference = design
    df = _sample(seed, n_a, n_b, shift)
    res = oaxaca_blinder(
        df,
        "y",
        "g",
        ["x", "edu"],
        group_a="a",
        categorical={"edu": ["grunn", "vgs", "hoyere"]},
        reference=reference,
        threefold=threefold,
    )
    gap = df.loc[df.g == "a", "y"].mean() - df.loc[df.g == "b", "y"].mean()
    assert res.gap == pytest.approx(gap, abs=1e-10)
    parts = (
        ["endowments", "coefficients", "interaction"] if threefold else ["explained", "unexplained"]
    )
    assert list(res.overall.index) == parts
    assert math.fsum(res.overall["estimate"]) == pytest.approx(gap, abs=1e-10)
    for comp in parts:
        detail = res.detailed.loc[comp, "estimate"]
        assert math.fsum(detail) == pytest.approx(res.overall.loc[comp, "estimate"], abs=1e-10)


def _cells(data: list[tuple[int, int, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "group": f"g{i}",
                "n_men": nm,
                "n_women": nk,
                "mean_men": mm if nm else float("nan"),
                "mean_women": mk if nk else float("nan"),
            }
            for i, (nm, nk, mm, mk) in enumerate(data)
        ]
    )


pay = st.floats(300_000, 1_500_000, allow_nan=False)
cell = st.tuples(st.integers(0, 40), st.integers(0, 40), pay, pay)


@SETTINGS
@given(
    data=st.lists(cell, min_size=1, max_size=8).filter(
        lambda d: any(nm and nk for nm, nk, _, _ in d)
    ),
    reference=st.sampled_from(["men", "women", "pooled"]),
)
def test_nopo_parts_add_up_to_the_gap_including_groups_outside_the_support(data, reference):
    cells = _cells(data)
    n_m = np.array([d[0] for d in data], float)
    n_k = np.array([d[1] for d in data], float)
    m_m = np.array([d[2] for d in data])
    m_k = np.array([d[3] for d in data])
    gap = (n_m @ m_m) / n_m.sum() - (n_k @ m_k) / n_k.sum()
    res = nopo_decomposition(cells, reference=reference)
    tol = 1e-9 * 1_500_000
    assert res.total == pytest.approx(gap, abs=tol)
    parts = (res.men_outside_support, res.women_outside_support, res.composition, res.within_groups)
    assert math.fsum(parts) == pytest.approx(gap, abs=tol)
    # nobody outside the common support → the outside parts are exactly zero
    inside = (n_m > 0) & (n_k > 0)
    if not (~inside & (n_m > 0)).any():
        assert res.men_outside_support == 0
    if not (~inside & (n_k > 0)).any():
        assert res.women_outside_support == 0
    per = res.per_group
    summed = per[["outside_contrib", "composition_contrib", "within_contrib"]].to_numpy().sum()
    assert summed == pytest.approx(gap, abs=tol)
    assert set(res.common_support) == {f"g{i}" for i in np.flatnonzero(inside)}
