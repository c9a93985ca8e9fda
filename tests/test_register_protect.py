"""The protection steps of analysis.disclosure.register one at a time, on small hand tables.

Every expected value follows by hand from the rule in the function's docstring and the
threshold rule of docs/methods.md (a count of 1 … min_cell − 1 persons is small; a lone hidden
cell in a table with a shown total is recoverable, so the next smallest is hidden too).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from analysis.disclosure.register import (
    HIDDEN_LABEL,
    hidden_outside,
    hide_model_levels,
    listed_only,
    mask_projects,
    protect_cost,
    protect_followup,
    protect_outcomes,
    protect_phased_out,
    suppress_rates,
)
from analysis.methods.funnel import funnel_proportions

# ----------------------------------------------------------------------------- suppress_rates


def test_suppress_rates_per_dimension_with_force():
    t = pd.DataFrame(
        {
            "dimension": ["alle", "gender", "gender", "project_id", "project_id", "project_id"],
            "group": ["alle", "K", "M", "P1", "P2", "P3"],
            "n_completed": [30, 12, 18, 3, 12, 15],
            "transition_rate": [0.5, 0.5, 0.5, 1 / 3, 0.5, 0.6],
            "label": ["a", "b", "c", "d", "e", "f"],
        }
    )
    out = suppress_rates(t, min_cell=5, force={"gender": {"K"}})
    # project: P1 (3) small, P2 (12, the next smallest) hidden so P1 is not total − P2 − P3;
    # gender: K forced, then M hidden too (else M = total − K gives K back); total shown
    assert out["suppressed"].tolist() == [False, True, True, True, True, False]
    hidden = out.loc[out["suppressed"]]
    assert hidden["n_completed"].isna().all() and hidden["transition_rate"].isna().all()
    assert out.loc[5, "n_completed"] == 15 and out.loc[5, "transition_rate"] == 0.6
    assert out["label"].tolist() == list("abcdef")  # text columns untouched


def test_suppress_rates_without_dimensions_and_another_count():
    t = pd.DataFrame({"group": ["a", "b", "c"], "n": [3, 10, 12], "rate": [0.1, 0.2, 0.3]})
    # margins: 'a' (3) and the next smallest 'b'; without margins only 'a'
    assert suppress_rates(t, 5, count="n")["suppressed"].tolist() == [True, True, False]
    assert suppress_rates(t, 5, count="n", margins=False)["suppressed"].tolist() == [
        True,
        False,
        False,
    ]
    # the default threshold is 5 (docs/methods.md)
    assert suppress_rates(t.rename(columns={"n": "n_completed"}))["suppressed"].tolist() == [
        True,
        True,
        False,
    ]


def test_suppress_rates_passes_threshold_and_margins_on():
    # without a dimension column: with min_cell 3 a group of 4 is shown (nothing small, so
    # no secondary suppression either); with 10 the 4 and the 8 are small, and 12 is shown
    t = pd.DataFrame({"group": ["a", "b", "c"], "n_completed": [4, 8, 12]})
    assert suppress_rates(t, 3)["suppressed"].tolist() == [False, False, False]
    assert suppress_rates(t, 10)["suppressed"].tolist() == [True, True, False]
    # per dimension, margins=False: only the small group (K, 2) is hidden, M (10) is not
    # needed as a complement when no total is shown
    d = pd.DataFrame(
        {
            "dimension": ["gender", "gender", "age_band", "age_band"],
            "group": ["K", "M", "<25", "25-29"],
            "n_completed": [2, 10, 6, 6],
        }
    )
    assert suppress_rates(d, 5, margins=False)["suppressed"].tolist() == [True, False, False, False]
    assert suppress_rates(d, 5)["suppressed"].tolist() == [True, True, False, False]


# ----------------------------------------------------------------------------- funnels


def _funnel():
    """A funnel of five projects whose outlier lists are set by hand (mask_projects only
    relabels; which projects lie outside is the funnel's business, tested elsewhere)."""
    f = funnel_proportions(
        [10, 12, 9, 11, 8], [40, 40, 40, 40, 40], labels=["P1", "P2", "P3", "P4", "P5"]
    )
    return dataclasses.replace(f, outside_95=["P1", "P3", "P5"], outside_99_8=["P1", "P5"])


def test_mask_projects_labels_hidden_ones_and_puts_them_last():
    f = _funnel()
    m = mask_projects(f, {"P1", "P3"})
    assert m.per_project["label"].tolist() == [HIDDEN_LABEL, "P2", HIDDEN_LABEL, "P4", "P5"]
    assert m.outside_99_8 == ["P5", HIDDEN_LABEL]
    assert m.outside_95 == ["P5", HIDDEN_LABEL, HIDDEN_LABEL]
    assert f.per_project["label"].tolist() == ["P1", "P2", "P3", "P4", "P5"]  # a copy
    assert m.target == f.target and m.tau2 == f.tau2
    only = listed_only(m)
    assert only.per_project["label"].tolist() == ["P2", "P4", "P5"]
    assert list(only.per_project.index) == [0, 1, 2]
    assert list(only.per_project.columns) == list(f.per_project.columns)  # no old index
    assert only.outside_99_8 == ["P5"] and HIDDEN_LABEL not in only.outside_95
    # P1 (hidden) outside 99.8 %; P3 (hidden) outside 95 % only
    assert hidden_outside(m) == {"outside_99_8": 1, "outside_95_only": 1}
    inner = dataclasses.replace(m, outside_95=[HIDDEN_LABEL] * 3, outside_99_8=["P5"])
    assert hidden_outside(inner) == {"outside_99_8": 0, "outside_95_only": 3}


# ----------------------------------------------------------------------------- phased out


def _phased(total: int, k: int, m: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = pd.DataFrame(
        {
            "dimension": ["alle", "gender", "gender"],
            "group": ["alle", "K", "M"],
            "n_ended": [40 + total, 20 + k, 20 + m],
            "n_phased_out": [total, k, m],
            "transition_rate_incl_phased_out": [0.4, 0.4, 0.4],
            "ci_low_incl_phased_out": [0.3, 0.3, 0.3],
            "ci_high_incl_phased_out": [0.5, 0.5, 0.5],
            "transition_rate": [0.5, 0.5, 0.5],
        }
    )
    return raw.copy(), raw


def test_phased_out_small_groups_and_small_total():
    rates, raw = _phased(12, 2, 10)
    out = protect_phased_out(rates, raw, 5)
    # K (2) small, M hidden with it (total shown); the total (12) stays
    assert out["n_phased_out"].isna().tolist() == [False, True, True]
    assert out["n_ended"].isna().tolist() == [False, True, True]
    assert out["transition_rate_incl_phased_out"].isna().tolist() == [False, True, True]
    assert out["ci_high_incl_phased_out"].isna().tolist() == [False, True, True]
    assert out["transition_rate"].tolist() == [0.5, 0.5, 0.5]  # not a phased-out column
    rates, raw = _phased(4, 0, 4)
    out = protect_phased_out(rates, raw, 5)
    # total 4 small: hidden; the groups then only get primary suppression: K = 0 shown
    assert out["n_phased_out"].isna().tolist() == [True, False, True]
    rates, raw = _phased(30, 15, 15)
    out = protect_phased_out(rates, raw, 5, force={"alle": {"alle"}, "gender": {"K"}})
    assert out["n_phased_out"].isna().tolist() == [True, True, False]


def test_phased_out_threshold_reaches_total_and_groups():
    # min_cell 3: the total (7) and both groups (4 and 3) are shown; the default (5) would
    # hide them all
    rates, raw = _phased(7, 4, 3)
    out = protect_phased_out(rates, raw, 3)
    assert out["n_phased_out"].isna().tolist() == [False, False, False]
    # min_cell 3, total 4: not small, so the group of 4 is shown and K = 0 is nothing to hide
    rates, raw = _phased(4, 0, 4)
    out = protect_phased_out(rates, raw, 3)
    assert out["n_phased_out"].isna().tolist() == [False, False, False]
    assert out["n_phased_out"].tolist() == [4.0, 0.0, 4.0]


def test_phased_out_hidden_total_means_primary_suppression_only():
    # the total (20) forced hidden by another table: M (3) is small and hidden, but K (17)
    # stays: without the total, 20 − 17 cannot be formed
    rates, raw = _phased(20, 17, 3)
    out = protect_phased_out(rates, raw, 5, force={"alle": {"alle"}})
    assert out["n_phased_out"].isna().tolist() == [True, False, True]
    assert out.loc[1, "n_phased_out"] == 17.0


def test_phased_out_without_a_total_row_or_interval_columns():
    # no total row: nothing to subtract from, so only the small group (2) is hidden; the
    # table also lacks the interval columns (rates without phased-out intervals)
    rates, raw = _phased(12, 2, 10)
    raw = raw.loc[raw["dimension"] != "alle"].drop(
        columns=["ci_low_incl_phased_out", "ci_high_incl_phased_out"]
    )
    out = protect_phased_out(raw.copy(), raw, 5)
    assert out["n_phased_out"].isna().tolist() == [True, False]
    assert out["n_ended"].isna().tolist() == [True, False]
    assert out["transition_rate_incl_phased_out"].isna().tolist() == [True, False]
    assert "ci_low_incl_phased_out" not in out.columns


# ----------------------------------------------------------------------------- outcomes


def test_outcomes_hidden_against_the_total():
    outcomes = pd.DataFrame(
        {
            "status": ["arbeid", "utdanning", "annet", "utfaset"],
            "n": [20.0, 2.0, 8.0, 3.0],
            "share": [20 / 30, 2 / 30, 8 / 30, np.nan],
        },
        index=[7, 8, 9, 10],
    )
    total = pd.Series({"n_completed": 30.0, "n_phased_out": 3.0})
    out = protect_outcomes(outcomes, total, 5)
    # utdanning (2) small, annet (8, next smallest) with it; utfaset (3) small on its own
    assert list(out.index) == [0, 1, 2, 3]
    assert out["suppressed"].tolist() == [False, True, True, True]
    assert out["n"].isna().tolist() == [False, True, True, True]
    assert out["share"].isna().tolist() == [False, True, True, True]
    assert out.loc[0, "n"] == 20.0
    assert list(out.columns) == ["status", "n", "share", "suppressed"]
    # with min_cell = 3 a count of 4 is shown (the default, 5, would hide it)
    out3 = protect_outcomes(outcomes.assign(n=[20.0, 4.0, 8.0, 4.0]), total, 3)
    assert out3["suppressed"].tolist() == [False, False, False, False]
    hidden_total = pd.Series({"n_completed": np.nan, "n_phased_out": 10.0})
    out = protect_outcomes(outcomes.assign(n=[20.0, 6.0, 8.0, 10.0]), hidden_total, 5)
    assert out["suppressed"].tolist() == [True, True, True, False]


def test_followup_and_cost():
    follow = pd.DataFrame(
        {
            "n": [0, 1, 4, 5],
            "rate": [np.nan, 1.0, 0.5, 0.6],
            "ci_low": [np.nan, 0.2, 0.1, 0.2],
            "ci_high": [np.nan, 1.0, 0.9, 0.9],
            "n_work_or_education": [0, 1, 2, 3],
        }
    )
    out = protect_followup(follow, 5)
    # 1 and 4 persons (1 … 4) hidden; 0 (nothing to hide) and 5 shown
    for c in ("rate", "ci_low", "ci_high"):
        assert out[c].isna().tolist() == [True, True, True, False], c
    assert out["n_work_or_education"].isna().tolist() == [False, True, True, False]
    assert list(out.columns) == list(follow.columns)
    assert out["n"].tolist() == [0, 1, 4, 5] and follow.loc[2, "rate"] == 0.5  # a copy
    assert protect_followup(None, 5) is None
    cost = pd.DataFrame({"n_transition": [4, 5, None], "cost_per_transition_nok": [1e5, 2e5, 3e5]})
    c = protect_cost(cost, 5)
    assert c["cost_per_transition_nok"].isna().tolist() == [True, False, True]
    assert c["n_transition"].isna().tolist() == [True, False, True]
    assert c.loc[1, "n_transition"] == 5.0 and cost.loc[0, "cost_per_transition_nok"] == 1e5
    no_count = pd.DataFrame({"cost_per_transition_nok": [1e5]})
    assert protect_cost(no_count, 5).equals(no_count)


# ----------------------------------------------------------------------------- model table


def test_model_levels_hidden_like_their_table_except_the_reference():
    table = pd.DataFrame(
        {
            "covariate": ["gender", "gender", "target_group", "target_group"],
            "level": ["K", "M", "ungdom", "annet"],
            "reference": [True, False, False, False],
            "odds_ratio": [1.0, 1.2, 0.8, 1.5],
            "or_ci_low": [1.0, 0.9, 0.5, 1.0],
            "or_ci_high": [1.0, 1.6, 1.2, 2.2],
            "p_value": [np.nan, 0.2, 0.3, 0.04],
        }
    )
    rates = pd.DataFrame(
        {
            "dimension": ["gender", "gender", "target_group", "target_group", "age_band"],
            "group": ["K", "M", "ungdom", "annet", "ungdom"],
            "suppressed": [True, True, False, True, True],
        }
    )
    out = hide_model_levels(table, rates)
    # K is hidden in its table but is the reference (OR 1 by definition): shown; M and
    # «annet» hidden like their tables; «ungdom» hidden under age_band (a label of another
    # dimension) says nothing about target_group
    assert out["suppressed"].tolist() == [False, True, False, True]
    for c in ("odds_ratio", "or_ci_low", "or_ci_high", "p_value"):
        assert out[c].isna().tolist() == [c == "p_value", True, False, True], c
    assert table["odds_ratio"].notna().all()  # a copy


def test_suppress_rates_zero_is_not_small():
    t = pd.DataFrame({"group": ["a", "b", "c"], "n_completed": [0, 10, 12], "r": [math.nan, 1, 1]})
    assert suppress_rates(t, 5)["suppressed"].tolist() == [False, False, False]
    with pytest.raises(KeyError):
        suppress_rates(t, 5, count="n")
