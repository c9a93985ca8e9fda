"""analysis.disclosure.hr on hand-made tables: every hidden cell worked out by hand.

The rules are those of the module docstring and docs/methods.md («Prikking»): a cell (or
margin) resting on 1 to ``min_cell − 1`` persons is hidden (primary); for every shown margin the
hidden cells behind it are none or at least two (secondary, the smallest other cell first);
the same decision for every kind; a job group hidden in the pay report is hidden in the
sick-leave tables and the other way round; a gender total hidden in one table is hidden in all.
The tables below are small enough that each expected cell is derived by hand in the comments,
never from the code under test.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from analysis.disclosure.hr import (
    hide_gender_totals,
    hide_pay_groups,
    protect_concentration,
    protect_gender_rates,
    protect_hr_tables,
    protect_lorenz,
    protect_rate_table,
    protect_sick_leave_key_figures,
    protect_sick_leave_tables,
)
from analysis.sickleave.measures import RATE_COLUMNS

NAN = float("nan")
KINDS = ("legemeldt", "totalt")
VALUES = [c for c in RATE_COLUMNS if c != "n_persons"]


def _rates(cells: dict[tuple, int], dims: tuple[str, ...]) -> pd.DataFrame:
    """A rates frame as sick_leave_rates returns it, two kinds, with the given head counts
    (margins written out by the caller); each value column is a known multiple of ``n``."""
    rows = []
    for kind in KINDS:
        for key, n in cells.items():
            row = dict(zip(dims, key, strict=True))
            row.update(
                kind=kind,
                n_persons=n,
                lost_days=2.0 * n,
                agreed_days=100.0 * n,
                rate_pct=2.0,
                se_pct=0.5,
                ci_low=1.0,
                ci_high=3.0,
            )
            rows.append(row)
    return pd.DataFrame(rows)


def _hidden(out: pd.DataFrame, dims: tuple[str, ...]) -> set:
    """The hidden cells; asserts they are the same for every kind."""
    per_kind = [
        {tuple(r[d] for d in dims) for _, r in out.loc[out["kind"] == k].iterrows() if r.suppressed}
        for k in KINDS
    ]
    assert per_kind[0] == per_kind[1]
    return per_kind[0]


def _check_values(out: pd.DataFrame, rates: pd.DataFrame) -> None:
    """Hidden rows have every rate column NaN; shown rows keep the input values exactly."""
    hid = out["suppressed"].to_numpy(bool)
    assert out.loc[hid, list(RATE_COLUMNS)].isna().all().all()
    shown = out.loc[~hid, list(RATE_COLUMNS)].astype(float)
    assert shown.equals(rates.loc[~hid, list(RATE_COLUMNS)].astype(float))
    assert list(out.columns) == [*rates.columns, "suppressed"]


# --------------------------------------------------------------------------- protect_rate_table


@pytest.mark.parametrize(("n", "hidden"), [(0, False), (1, False), (4, True), (5, False)])
def test_rate_table_one_cell_primary_only(n, hidden):
    # no group column: one figure; hidden iff 1 <= n <= min_cell - 1 (n = 0 has no person
    # to protect). min_cell 5; the row n = 1 is checked at min_cell 1 (nothing is small).
    min_cell = 1 if n == 1 else 5
    rates = _rates({(): n}, ())
    out = protect_rate_table(rates, min_cell)
    assert out["suppressed"].tolist() == [hidden, hidden]
    _check_values(out, rates)


def test_rate_table_one_way_small_group_and_its_complement():
    # groups a 3, b 10, c 12, margin «alle» 25 (shown, 25 >= 5). a is small (primary); the
    # margin would give it away (25 - 10 - 12), so the smallest other group, b, is hidden too.
    cells = {("a",): 3, ("b",): 10, ("c",): 12, ("alle",): 25}
    rates = _rates(cells, ("job_group",))
    out = protect_rate_table(rates, 5)
    assert _hidden(out, ("job_group",)) == {("a",), ("b",)}
    _check_values(out, rates)


def test_rate_table_one_way_small_margin_hidden_with_its_only_cell():
    # one group of 3 and its margin 3: both small, both hidden
    rates = _rates({("a",): 3, ("alle",): 3}, ("job_group",))
    out = protect_rate_table(rates, 5)
    assert _hidden(out, ("job_group",)) == {("a",), ("alle",)}


def test_rate_table_one_way_forced_cell_and_forced_margin():
    # nothing small: a 10, b 12, c 20, margin 42. Forcing b hides b and, for the margin, the
    # smallest other cell a (10).
    cells = {("a",): 10, ("b",): 12, ("c",): 20, ("alle",): 42}
    rates = _rates(cells, ("job_group",))
    out = protect_rate_table(rates, 5, force=[("b", "gender")])
    assert _hidden(out, ("job_group",)) == {("a",), ("b",)}
    # forcing the margin (written as «alle») hides it; with every cell shown it would be
    # their sum, so the smallest cell, a (10), is hidden too
    out = protect_rate_table(rates, 5, force=[("alle", "gender")])
    assert _hidden(out, ("job_group",)) == {("a",), ("alle",)}
    assert protect_rate_table(rates, 5)["suppressed"].sum() == 0


def _two_way() -> dict[tuple, int]:
    # job group × gender, margins by hand:
    #            K    M  | alle
    # saks      10   10  |  20
    # mell       8    7  |  15
    # topp       6    2  |   8
    # alle      24   19  |  43
    return {
        ("saks", "K"): 10,
        ("saks", "M"): 10,
        ("mell", "K"): 8,
        ("mell", "M"): 7,
        ("topp", "K"): 6,
        ("topp", "M"): 2,
        ("saks", "alle"): 20,
        ("mell", "alle"): 15,
        ("topp", "alle"): 8,
        ("alle", "K"): 24,
        ("alle", "M"): 19,
        ("alle", "alle"): 43,
    }


# topp M (2) is small; its row margin (8) needs topp K hidden too; the M column needs a second
# man cell, the smallest other being mell M (7), whose row then needs mell K. The four hidden
# cells form a 2 × 2 block: every shown margin covers two hidden cells, none of them solvable.
TWO_WAY_HIDDEN = {("topp", "M"), ("topp", "K"), ("mell", "M"), ("mell", "K")}


def test_rate_table_two_way_by_hand():
    rates = _rates(_two_way(), ("job_group", "gender"))
    out = protect_rate_table(rates, 5, column="gender")
    assert _hidden(out, ("job_group", "gender")) == TWO_WAY_HIDDEN
    _check_values(out, rates)


def test_rate_table_two_way_gender_first_in_the_frame():
    # the frame lists gender before job group: ``column`` still picks gender as the column
    # dimension, and the hidden cells are the same
    rates = _rates(_two_way(), ("job_group", "gender"))
    rates = rates[["gender", *[c for c in rates.columns if c != "gender"]]]
    out = protect_rate_table(rates, 5, column="gender")
    assert _hidden(out, ("job_group", "gender")) == TWO_WAY_HIDDEN
    # and with the default column
    assert _hidden(protect_rate_table(rates, 5), ("job_group", "gender")) == TWO_WAY_HIDDEN


def test_rate_table_two_way_column_not_in_the_table():
    # ``column`` not among the dimensions: the second group column is the column dimension
    cells = {(g, s): n for (g, s), n in _two_way().items()}
    rates = _rates(cells, ("job_group", "sex"))
    out = protect_rate_table(rates, 5, column="gender")
    assert _hidden(out, ("job_group", "sex")) == TWO_WAY_HIDDEN


def test_rate_table_two_way_small_margins_and_missing_cell():
    # laerling has only women (2), no row for men: the missing cell counts as 0.
    #            K    M  | alle
    # saks      40   20  |  60
    # mell       9    6  |  15
    # laer       2    -  |   2
    # alle      51   26  |  77
    # laer K (2) and its margin (2) are small (primary). The K column then needs a second
    # woman cell: the smallest other, mell K (9). The row margins add up to the grand total
    # (a line of its own): laer's hidden margin needs a second hidden row margin, the
    # smallest other, mell (15). mell K is then covered by its hidden row margin, so mell M
    # stays; no gender margin and not the grand total is hidden. Check: K column 51 − 40
    # leaves laer K + mell K = 11; grand total 77 − 60 leaves the two hidden margins = 17.
    cells = {
        ("saks", "K"): 40,
        ("saks", "M"): 20,
        ("mell", "K"): 9,
        ("mell", "M"): 6,
        ("laer", "K"): 2,
        ("saks", "alle"): 60,
        ("mell", "alle"): 15,
        ("laer", "alle"): 2,
        ("alle", "K"): 51,
        ("alle", "M"): 26,
        ("alle", "alle"): 77,
    }
    rates = _rates(cells, ("job_group", "gender"))
    out = protect_rate_table(rates, 5)
    hidden = _hidden(out, ("job_group", "gender"))
    assert hidden == {("laer", "K"), ("laer", "alle"), ("mell", "K"), ("mell", "alle")}
    _check_values(out, rates)


def test_rate_table_two_way_forced_cells_and_margins():
    # nothing small: a 2 × 2 table of 10s. Forcing (a, K) hides it; its row and its column
    # then each need a second cell: (a, M) and (b, K), and (b, M) for their row and column.
    cells = {
        ("a", "K"): 10,
        ("a", "M"): 10,
        ("b", "K"): 10,
        ("b", "M"): 10,
        ("a", "alle"): 20,
        ("b", "alle"): 20,
        ("alle", "K"): 20,
        ("alle", "M"): 20,
        ("alle", "alle"): 40,
    }
    rates = _rates(cells, ("job_group", "gender"))
    assert protect_rate_table(rates, 5)["suppressed"].sum() == 0
    out = protect_rate_table(rates, 5, force=[("a", "K")])
    assert _hidden(out, ("job_group", "gender")) == {("a", "K"), ("a", "M"), ("b", "K"), ("b", "M")}
    # the grand total forced: it is hidden; the shown cells add up to it, so a cell must go
    # too — but then its row and column margins give it away unless their partners go: the
    # margins alone never reveal the grand total when one cell of each line is hidden.
    out = protect_rate_table(rates, 5, force=[("alle", "alle")])
    hidden = _hidden(out, ("job_group", "gender"))
    assert ("alle", "alle") in hidden
    # a gender margin forced: («alle», K) hidden
    out = protect_rate_table(rates, 5, force=[("alle", "K")])
    assert ("alle", "K") in _hidden(out, ("job_group", "gender"))
    # a row margin forced: (a, «alle») hidden
    out = protect_rate_table(rates, 5, force=[("a", "alle")])
    assert ("a", "alle") in _hidden(out, ("job_group", "gender"))


def test_rate_table_more_than_two_dimensions_is_an_error():
    rates = _rates({("a", "K", "<30"): 10}, ("job_group", "gender", "age_band"))
    with pytest.raises(ValueError) as e:
        protect_rate_table(rates, 5)
    assert str(e.value) == (
        "en rapporttabell har høyst to dimensjoner, fikk job_group, gender, age_band"
    )


def test_rate_table_ignores_an_existing_suppressed_column():
    # a frame that already carries ``suppressed`` (e.g. protected once) is not three-way
    rates = _rates({("a",): 3, ("b",): 10, ("c",): 12, ("alle",): 25}, ("job_group",))
    rates["suppressed"] = False
    out = protect_rate_table(rates, 5)
    assert _hidden(out, ("job_group",)) == {("a",), ("b",)}


# --------------------------------------------------------------------------- hide_gender_totals


def _gender_rates() -> pd.DataFrame:
    return _rates({("K",): 24, ("M",): 19, ("alle",): 43}, ("gender",))


def _tables(hidden_margin: str | None) -> dict[str, pd.DataFrame]:
    """A job table and an age table, each with margins; in the job table the margin of
    ``hidden_margin`` (a gender) is marked hidden."""
    job = _rates(
        {("saks", "K"): 24, ("saks", "M"): 19, ("alle", "K"): 24, ("alle", "M"): 19},
        ("job_group", "gender"),
    )
    job["suppressed"] = (job["job_group"] == "alle") & (job["gender"] == hidden_margin)
    age = _rates(
        {("<30", "K"): 24, ("<30", "M"): 19, ("alle", "K"): 24, ("alle", "M"): 19},
        ("age_band", "gender"),
    )
    age["suppressed"] = False
    return {"job_group": job, "age_band": age}


def test_gender_total_hidden_in_one_table_is_hidden_everywhere():
    rates, tables = _gender_rates(), _tables("M")
    shown, hidden = hide_gender_totals(rates, tables)
    assert hidden == {"M"}
    # the men's rows of the rates by gender: every rate column NaN, the women's and the
    # total's unchanged; no ``suppressed`` column left in the rates
    men = shown["gender"] == "M"
    assert shown.loc[men, list(RATE_COLUMNS)].isna().all().all()
    assert shown.loc[~men, "n_persons"].tolist() == [24, 43, 24, 43]
    assert "suppressed" not in shown.columns
    # the men's margin of the age table hidden too (values NaN, marked), nothing else
    age = tables["age_band"]
    rows = (age["age_band"] == "alle") & (age["gender"] == "M")
    assert age.loc[rows, "suppressed"].all() and not age.loc[~rows, "suppressed"].any()
    assert age.loc[rows, list(RATE_COLUMNS)].isna().all().all()
    assert age.loc[~rows, "n_persons"].notna().all()


def test_gender_total_hidden_in_the_rates_is_hidden_in_the_tables():
    rates, tables = _gender_rates(), _tables(None)
    shown, hidden = hide_gender_totals(rates, tables, hidden={"K"})
    assert hidden == {"K"}
    assert shown.loc[shown["gender"] == "K", "rate_pct"].isna().all()
    assert shown.loc[shown["gender"] != "K", "rate_pct"].tolist() == [2.0, 2.0, 2.0, 2.0]
    for dim, t in tables.items():
        rows = (t[dim] == "alle") & (t["gender"] == "K")
        assert t.loc[rows, "suppressed"].all() and not t.loc[~rows, "suppressed"].any()
        assert t.loc[rows, "rate_pct"].isna().all() and t.loc[~rows, "rate_pct"].notna().all()


def test_no_hidden_gender_total_changes_nothing():
    rates, tables = _gender_rates(), _tables(None)
    before = {k: t.copy() for k, t in tables.items()}
    shown, hidden = hide_gender_totals(rates, tables)
    assert hidden == set()
    pd.testing.assert_frame_equal(shown, _gender_rates())
    for k, t in tables.items():
        pd.testing.assert_frame_equal(t, before[k])


def test_hidden_cell_that_is_not_a_margin_hides_no_gender_total():
    rates, tables = _gender_rates(), _tables(None)
    job = tables["job_group"]
    job.loc[(job["job_group"] == "saks") & (job["gender"] == "M"), "suppressed"] = True
    _, hidden = hide_gender_totals(rates, tables)
    assert hidden == set()


# --------------------------------------------------------------------------- protect_concentration


def _conc(top: tuple[int, int], parts: tuple[int, int, int], gini_n: int) -> pd.DataFrame:
    rows = [
        ("top_share", 0.05, NAN, top[0]),
        ("top_share", 0.10, NAN, top[1]),
        ("long_term_proxy", NAN, 16.0, parts[0]),
        ("short_term_proxy", NAN, 16.0, parts[1]),
        ("no_absence", NAN, NAN, parts[2]),
        ("gini", NAN, NAN, gini_n),
    ]
    return pd.DataFrame(
        [
            {
                "kind": "legemeldt",
                "measure": m,
                "share": s,
                "threshold_days": t,
                "person_share": n / 100,
                "n_persons": n,
                "lost_days": 3.0 * n,
                "value": 0.5,
            }
            for m, s, t, n in rows
        ]
    )


def test_concentration_hidden_by_hand():
    # top shares: 3 persons (hidden, primary) and 10 (shown) — nested, no complement.
    # long / short / none: 2 (primary), 10, 20 add up to 32 persons: the smallest other,
    # short (10), is hidden too. Gini on 32 persons: shown.
    conc = _conc((3, 10), (2, 10, 20), 32)
    out = protect_concentration(conc, 5)
    assert out["suppressed"].tolist() == [True, False, True, True, False, False]
    hid = out["suppressed"].to_numpy(bool)
    for c in ("person_share", "n_persons", "lost_days", "value"):
        assert out.loc[hid, c].isna().all()
        assert out.loc[~hid, c].tolist() == conc.loc[~hid, c].astype(float).tolist()
    # the parameters of a row stay: they say which row it is
    assert out["share"].iloc[0] == 0.05 and out["threshold_days"].iloc[2] == 16.0
    assert out["measure"].tolist() == conc["measure"].tolist()
    assert list(out.columns) == [*conc.columns, "suppressed"]
    assert out["suppressed"].dtype == bool
    for c in ("person_share", "n_persons", "lost_days", "value"):
        assert out[c].dtype == float


def test_concentration_no_absence_is_a_part_of_the_total():
    # long / short / none = 2, 20, 10: the smallest other part is «no absence» (10), which is
    # hidden with the long-term group; short (20) stays
    out = protect_concentration(_conc((5, 10), (2, 20, 10), 32), 5)
    assert out["suppressed"].tolist() == [False, False, True, False, True, False]


@pytest.mark.parametrize(
    ("min_cell", "hidden"),
    [
        # top 3 and 10, parts 2, 10, 20, gini 32. At 3: only the part of 2 (and its
        # complement, the smallest other part, 10). At 11: top 3 and 10, the parts 2 and 10
        # (together 12, enough), gini shown.
        (3, [False, False, True, True, False, False]),
        (11, [True, True, True, True, False, False]),
        # at 33 even the Gini (32 persons) and every part: the third part (20) is needed
        # because the total (32) is below 33 as well
        (33, [True, True, True, True, True, True]),
    ],
)
def test_concentration_at_other_thresholds(min_cell, hidden):
    out = protect_concentration(_conc((3, 10), (2, 10, 20), 32), min_cell)
    assert out["suppressed"].tolist() == hidden


def test_concentration_nothing_small_and_gini_small():
    out = protect_concentration(_conc((5, 10), (5, 10, 20), 35), 5)
    assert not out["suppressed"].any()
    assert out["n_persons"].tolist() == [5.0, 10.0, 5.0, 10.0, 20.0, 35.0]
    # four persons in all: each top share and the Gini rest on too few; of the three parts
    # two are small (1 and 3) and the third (0) has no one; all of them hidden but the zero
    out = protect_concentration(_conc((1, 1), (1, 3, 0), 4), 5)
    assert out["suppressed"].tolist() == [True, True, True, True, False, True]
    # a gini over 4 persons hidden with nothing else small
    out = protect_concentration(_conc((5, 10), (5, 10, 20), 4), 5)
    assert out["suppressed"].tolist() == [False, False, False, False, False, True]


# --------------------------------------------------------------------------- lorenz, key figures


def test_lorenz_hidden_below_min_cell():
    lorenz = pd.DataFrame({"person_share": [0.0, 0.5, 1.0], "lost_days_share": [0.0, 0.2, 1.0]})
    out = protect_lorenz(lorenz, 4, 5)
    assert out["lost_days_share"].isna().all() and out["person_share"].tolist() == [0, 0.5, 1]
    assert out["lost_days_share"].dtype == float  # still a numeric curve for the plot
    pd.testing.assert_frame_equal(protect_lorenz(lorenz, 5, 5), lorenz)
    assert protect_lorenz(lorenz, 9, 10)["lost_days_share"].isna().all()


# --------------------------------------------------------------------------- gender rates


def _by_gender_counts(counts: dict[str, int]) -> pd.DataFrame:
    return _rates({(g,): n for g, n in counts.items()}, ("gender",))


@pytest.mark.parametrize(
    ("counts", "min_cell", "hidden"),
    [
        # at 3: 2 men are small, the women (10) complete them; the total (12) is shown
        ({"K": 10, "M": 2, "alle": 12}, 3, {"K", "M"}),
        ({"K": 10, "M": 3, "alle": 13}, 3, set()),
        # at 10: 9 women and 9 men both small, the total 18 shown
        ({"K": 9, "M": 9, "alle": 18}, 10, {"K", "M"}),
        # at 10: 12 women, 6 men, total 18: men small, women complete
        ({"K": 12, "M": 6, "alle": 18}, 10, {"K", "M"}),
        # at 20: the total 18 is small too
        ({"K": 12, "M": 6, "alle": 18}, 20, {"K", "M", "alle"}),
        # no total row: a missing total counts as no one and is reported hidden (nothing to
        # show), at every threshold from 1
        ({"K": 7}, 1, {"alle"}),
        ({"K": 7}, 5, {"alle"}),
    ],
)
def test_gender_rates_at_other_thresholds(counts, min_cell, hidden):
    rates = _by_gender_counts(counts)
    out, found = protect_gender_rates(rates, min_cell)
    assert found == hidden
    hid = out["gender"].isin(hidden).to_numpy()
    # every value column of a hidden group is NaN; the head count stays (docstring)
    for c in ("lost_days", "agreed_days", "rate_pct", "se_pct", "ci_low", "ci_high"):
        assert out.loc[hid, c].isna().all(), c
        assert out.loc[~hid, c].tolist() == rates.loc[~hid, c].tolist(), c
        assert out[c].dtype == float
    assert out["n_persons"].tolist() == rates["n_persons"].tolist()


def _key_figures() -> dict:
    return {
        "by_gender": {"K": {"rate": 1.0}, "M": {"rate": 2.0}},
        "rate_total_pct": 5.0,
        "rate_certified_pct": 3.0,
        "rate_self_pct": 2.0,
    }


def test_key_figures_lose_hidden_and_absent_genders():
    rates = _rates({("K",): 10, ("alle",): 10}, ("gender",))
    kf = protect_sick_leave_key_figures(_key_figures(), rates, {"K"})
    # K hidden, M absent from the rates: both gone; the total (not hidden) stays
    assert kf["by_gender"] == {"K": None, "M": None}
    assert (kf["rate_total_pct"], kf["rate_certified_pct"], kf["rate_self_pct"]) == (5.0, 3.0, 2.0)
    rates = _rates({("K",): 10, ("M",): 10, ("alle",): 20}, ("gender",))
    kf = protect_sick_leave_key_figures(_key_figures(), rates, {"alle"})
    assert kf["by_gender"] == {"K": {"rate": 1.0}, "M": {"rate": 2.0}}
    assert (kf["rate_total_pct"], kf["rate_certified_pct"], kf["rate_self_pct"]) == (None,) * 3
    # nothing hidden: nothing changes, even for a gender absent from the rates
    rates = _rates({("K",): 10, ("alle",): 10}, ("gender",))
    assert protect_sick_leave_key_figures(_key_figures(), rates, set()) == _key_figures()


# --------------------------------------------------------------------------- hide_pay_groups


def test_hide_pay_groups_keeps_the_total_row():
    table = pd.DataFrame(
        {
            "group": ["saks", "topp", "alle"],
            "n_women": [10, 3, 13],
            "gap_pct": [1.5, 2.5, 1.8],
            "note": ["x", "y", "z"],
        }
    )
    out = hide_pay_groups(table, ["topp", "alle"])
    assert out["suppressed"].tolist() == [False, True, False]
    assert math.isnan(out["n_women"].iloc[1]) and math.isnan(out["gap_pct"].iloc[1])
    assert out["note"].iloc[1] is None and out["group"].tolist() == ["saks", "topp", "alle"]
    assert out["n_women"].iloc[[0, 2]].tolist() == [10.0, 13.0]
    other = table.rename(columns={"group": "job_group"})
    out = hide_pay_groups(other, ("saks",), group_col="job_group")
    assert out["suppressed"].tolist() == [True, False, False]
    assert out["job_group"].tolist() == ["saks", "topp", "alle"]


# --------------------------------------------------------------------------- protect_hr_tables


def _hr(
    cells: dict[tuple[str, str], int],
    no_pay: dict[tuple[str, str], int],
    no_days: dict[tuple[str, str], int] | None = None,
) -> pd.DataFrame:
    """Persons per (job group, gender), all in the age band 30-39; ``no_pay`` of them have
    no annual pay (they are in the sick-leave tables but not in the pay report); the last
    ``no_days`` of them have no agreed working days (in the pay report, but not at risk in
    the sick-leave tables)."""
    no_days = no_days or {}
    rows = []
    for (job, g), n in cells.items():
        for i in range(n):
            rows.append(
                {
                    "year": 2025,
                    "person_id": f"{job}{g}{i}",
                    "gender": g,
                    "job_group": job,
                    "age_band": "30-39",
                    "annual_pay": NAN if i < no_pay.get((job, g), 0) else 500_000.0 + i,
                    "agreed_workdays": 0.0 if i >= n - no_days.get((job, g), 0) else 200.0,
                    "sick_days_certified": float(i % 5),
                    "sick_days_self": float(i % 2),
                }
            )
    return pd.DataFrame(rows)


def _job_hidden(prot) -> set:
    t = prot.job
    return {(r.job_group, r.gender) for r in t.itertuples() if r.suppressed}


def test_hr_tables_a_group_hidden_in_pay_is_hidden_in_sick_leave():
    # sick leave: saksbehandler 10/10, mellomleder 8/7, toppleder 5/6: nothing small.
    # pay: one top-leader woman has no pay, so the pay report has 4 top-leader women (small):
    # the whole group is hidden there, and for the women's total a second group, the
    # smallest other (mellomleder, 8 women). Both groups' gender cells are then hidden in
    # the sick-leave table (a 2 × 2 block, as before; no margin needs to go).
    cells = {
        ("saksbehandler", "K"): 10,
        ("saksbehandler", "M"): 10,
        ("mellomleder", "K"): 8,
        ("mellomleder", "M"): 7,
        ("toppleder", "K"): 5,
        ("toppleder", "M"): 6,
    }
    prot = protect_hr_tables(_hr(cells, {("toppleder", "K"): 1}), 5)
    assert prot.pay_hidden_groups == ("toppleder", "mellomleder")  # in JOB_GROUPS order
    assert _job_hidden(prot) == {
        ("toppleder", "K"),
        ("toppleder", "M"),
        ("mellomleder", "K"),
        ("mellomleder", "M"),
    }
    assert not prot.age["suppressed"].any() and prot.hidden_genders == frozenset()
    # the rates by gender computed from the data (with the margin «alle»), every kind: women
    # 10 + 8 + 5 = 23, men 10 + 7 + 6 = 23, all 46
    n = prot.rates.groupby("gender")["n_persons"].agg(["min", "max", "size"])
    assert n["min"].to_dict() == n["max"].to_dict() == {"K": 23, "M": 23, "alle": 46}
    assert set(n["size"]) == {len(set(prot.rates["kind"]))} and len(set(prot.rates["kind"])) == 3
    assert prot.rates["rate_pct"].notna().all()
    # without the missing pay nothing is hidden anywhere
    prot = protect_hr_tables(_hr(cells, {}), 5)
    assert prot.pay_hidden_groups == () and not prot.job["suppressed"].any()


def test_hr_tables_a_cell_hidden_in_sick_leave_is_hidden_in_pay():
    # the table of TWO_WAY_HIDDEN with real job groups: toppleder M (2) small in both reports;
    # in the pay report the whole toppleder row goes, and the men's total needs a second
    # group: mellomleder (7 men). The same four cells in the sick-leave table.
    cells = {
        ("saksbehandler", "K"): 10,
        ("saksbehandler", "M"): 10,
        ("mellomleder", "K"): 8,
        ("mellomleder", "M"): 7,
        ("toppleder", "K"): 6,
        ("toppleder", "M"): 2,
    }
    prot = protect_hr_tables(_hr(cells, {}), 5)
    assert prot.pay_hidden_groups == ("toppleder", "mellomleder")
    assert _job_hidden(prot) == {
        ("toppleder", "K"),
        ("toppleder", "M"),
        ("mellomleder", "K"),
        ("mellomleder", "M"),
    }


def test_hr_tables_sick_leave_hides_what_pay_alone_would_show():
    # saksbehandler 10/10, mellomleder 8/7, toppleder 6/5, but three top-leader men have no
    # pay: the sick-leave table (5 men) hides nothing on its own; the pay table has 2
    # top-leader men and hides toppleder and, for the men's total, mellomleder (7).
    # With age bands added from «age» when the frame has none.
    cells = {
        ("saksbehandler", "K"): 10,
        ("saksbehandler", "M"): 10,
        ("mellomleder", "K"): 8,
        ("mellomleder", "M"): 7,
        ("toppleder", "K"): 6,
        ("toppleder", "M"): 5,
    }
    hr = _hr(cells, {("toppleder", "M"): 3}).drop(columns="age_band").assign(age=35)
    prot = protect_hr_tables(hr, 5)
    assert prot.pay_hidden_groups == ("toppleder", "mellomleder")
    assert _job_hidden(prot) == {
        ("toppleder", "K"),
        ("toppleder", "M"),
        ("mellomleder", "K"),
        ("mellomleder", "M"),
    }
    assert set(prot.age["age_band"]) == {"30-39", "alle"}


def test_hr_tables_small_gender_total_hidden_everywhere():
    # only two men in all (one per group): every men's cell is small, and so is the men's
    # total (2) — it is hidden in both tables and in the rates by gender
    cells = {
        ("saksbehandler", "K"): 10,
        ("saksbehandler", "M"): 1,
        ("mellomleder", "K"): 8,
        ("mellomleder", "M"): 1,
    }
    given = _by_gender(cells)
    prot = protect_sick_leave_tables(_hr(cells, {}), 5, rates=given)
    # the men (2) small; the women (18) complete them; the total (20) is shown
    assert prot.hidden_genders == frozenset({"K", "M"})
    men = prot.rates["gender"].isin(["K", "M"])
    assert prot.rates.loc[men, "rate_pct"].isna().all()
    # the rates given are the ones protected (their made-up values 2,0 %, not recomputed)
    assert prot.rates.loc[~men, "rate_pct"].tolist() == [2.0, 2.0]
    assert prot.rates.loc[~men, "n_persons"].tolist() == [20, 20]
    for t, dim in ((prot.job, "job_group"), (prot.age, "age_band")):
        margin = t.loc[(t[dim] == "alle") & (t["gender"] == "M")]
        assert margin["suppressed"].all() and margin["rate_pct"].isna().all()


def _by_gender(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    """Rates by gender with margins for ``cells`` (head counts summed by hand)."""
    k = sum(n for (_, g), n in cells.items() if g == "K")
    m = sum(n for (_, g), n in cells.items() if g == "M")
    return _rates({("K",): k, ("M",): m, ("alle",): k + m}, ("gender",))


def test_sick_leave_tables_protect_the_rates_given():
    # the tables (saksbehandler 10/10, mellomleder 8/7) hide nothing; the rates by gender
    # passed in say 2 men and 18 women (e.g. computed on another basis): the men are small,
    # the women complete them (protect_gender_rates), and a gender hidden there is hidden in
    # every table too (its margin «alle» in the job table and in the age table)
    cells = {
        ("saksbehandler", "K"): 10,
        ("saksbehandler", "M"): 10,
        ("mellomleder", "K"): 8,
        ("mellomleder", "M"): 7,
    }
    assert not protect_hr_tables(_hr(cells, {}), 5).job["suppressed"].any()
    given = _rates({("K",): 18, ("M",): 2, ("alle",): 20}, ("gender",))
    prot = protect_sick_leave_tables(_hr(cells, {}), 5, rates=given)
    assert prot.hidden_genders == frozenset({"K", "M"})
    kinds = prot.rates["gender"].isin(["K", "M"])
    assert prot.rates.loc[kinds, list(VALUES)].isna().all().all()
    assert prot.rates.loc[~kinds, "rate_pct"].tolist() == [2.0, 2.0]
    for t, dim in ((prot.job, "job_group"), (prot.age, "age_band")):
        margins = t.loc[(t[dim] == "alle") & t["gender"].isin(["K", "M"])]
        assert margins["suppressed"].all() and margins["rate_pct"].isna().all()
        # the cells themselves stay (the tables alone hide nothing)
        assert not t.loc[(t[dim] != "alle") & (t["gender"] != "alle"), "suppressed"].any()


def test_hr_tables_a_cell_hidden_only_in_sick_leave_is_hidden_in_pay():
    # one man each in mellomleder and toppleder has no agreed working days: the sick-leave
    # tables count 4 men there (not at risk), the pay report 5.
    #   sick leave: saksbehandler 8/20, mellomleder 20/4, toppleder 6/4
    #   pay:        saksbehandler 8/20, mellomleder 20/5, toppleder 6/5 (nothing small)
    # Sick leave: both groups' men small; each row needs its women too; the men's and the
    # women's totals then cover two hidden cells each. The pay report hides those two groups
    # because the sick-leave tables do (not saksbehandler, its smallest other women's cell,
    # which it would pick for toppleder alone).
    cells = {
        ("saksbehandler", "K"): 8,
        ("saksbehandler", "M"): 20,
        ("mellomleder", "K"): 20,
        ("mellomleder", "M"): 5,
        ("toppleder", "K"): 6,
        ("toppleder", "M"): 5,
    }
    no_days = {("mellomleder", "M"): 1, ("toppleder", "M"): 1}
    prot = protect_hr_tables(_hr(cells, {}, no_days), 5)
    assert _job_hidden(prot) == {
        ("toppleder", "K"),
        ("toppleder", "M"),
        ("mellomleder", "K"),
        ("mellomleder", "M"),
    }
    assert prot.pay_hidden_groups == ("toppleder", "mellomleder")
    # at min_cell 4 the 4 men are not small: nothing is hidden anywhere
    prot = protect_hr_tables(_hr(cells, {}, no_days), 4)
    assert prot.pay_hidden_groups == () and not prot.job["suppressed"].any()


def test_hr_tables_threshold_is_passed_to_the_pay_report():
    # the pay report's 4 top-leader women are small at 5 (see above) but not at 4
    cells = {
        ("saksbehandler", "K"): 10,
        ("saksbehandler", "M"): 10,
        ("mellomleder", "K"): 8,
        ("mellomleder", "M"): 7,
        ("toppleder", "K"): 5,
        ("toppleder", "M"): 6,
    }
    prot = protect_hr_tables(_hr(cells, {("toppleder", "K"): 1}), 4)
    assert prot.pay_hidden_groups == () and not prot.job["suppressed"].any()


def test_hr_tables_without_any_pay():
    # three women in one job group, none with pay: no pay table at all (no groups); every
    # sick-leave figure rests on 3 < 5 persons and is hidden, margins included, and the
    # women's and the grand total are hidden everywhere
    prot = protect_hr_tables(_hr({("saksbehandler", "K"): 3}, {("saksbehandler", "K"): 3}), 5)
    assert prot.pay_hidden_groups == ()
    assert prot.job["suppressed"].all() and prot.age["suppressed"].all()
    assert prot.hidden_genders == frozenset({"K", "alle"})


def _hr_atoms(atoms: dict[tuple[str, str, str], int]) -> pd.DataFrame:
    """Persons per (job group, age band, gender), with pay and agreed days."""
    rows = []
    for (job, band, g), n in atoms.items():
        for i in range(n):
            rows.append(
                {
                    "year": 2025,
                    "person_id": f"{job}{band}{g}{i}",
                    "gender": g,
                    "job_group": job,
                    "age_band": band,
                    "annual_pay": 500_000.0 + i,
                    "agreed_workdays": 200.0,
                    "sick_days_certified": float(i % 5),
                    "sick_days_self": float(i % 2),
                }
            )
    return pd.DataFrame(rows)


# the example of the module docstring: the only young men are 2 apprentices and 6
# consultants; the men aged 30-39 are 5 case officers; the women (9 case officers, 20
# consultants) are all 30-39.
#                 job × gender                        age band × gender
#               K    M  | alle                       K    M  | alle
#   saks        9    5  |  14               <30      0    8  |   8
#   kons       20    6  |  26               30-39   29    5  |  34
#   laer        0    2  |   2               alle    29   13  |  42
#   alle       29   13  |  42
# Alone, the job table hides the 2 apprentices (and their margin) and, for the men's total,
# the smallest other man cell, the 5 case officers (and, for the sum of the row margins, the
# case officers' margin). The age table alone hides nothing. Together, «30-39, men» (5) is
# exactly the hidden case officers, and «under 30, men» minus «consultants, men» (8 − 6) the
# hidden apprentices: more must be hidden.
DOCSTRING_ATOMS = {
    ("laerling", "<30", "M"): 2,
    ("konsulent", "<30", "M"): 6,
    ("saksbehandler", "30-39", "M"): 5,
    ("saksbehandler", "30-39", "K"): 9,
    ("konsulent", "30-39", "K"): 20,
}


def test_hr_tables_joint_audit_of_job_and_age_tables():
    hr = _hr_atoms(DOCSTRING_ATOMS)
    prot = protect_hr_tables(hr, 5)
    job = {(r.job_group, r.gender): bool(r.suppressed) for r in prot.job.itertuples()}
    age = {(r.age_band, r.gender): bool(r.suppressed) for r in prot.age.itertuples()}
    assert job[("laerling", "M")] and job[("saksbehandler", "M")]
    # the two leaks above are closed: «30-39, men» is the hidden case officers themselves, so
    # it is hidden; «under 30, men» − «konsulent, men» gives the apprentices, so one of the
    # two is hidden (necessary conditions, by hand; the full check follows)
    assert age[("30-39", "M")]
    assert age[("<30", "M")] or job[("konsulent", "M")]
    # and, by a second method, no hidden value can be solved for from everything shown in
    # both tables (every value a sum over the atoms; numpy's rank test)
    keys = sorted(DOCSTRING_ATOMS)
    shown, hidden = [], []
    for table, dim in ((prot.job, "job_group"), (prot.age, "age_band")):
        pos = 0 if dim == "job_group" else 1
        for grp, g, supp in table.drop_duplicates([dim, "gender"])[
            [dim, "gender", "suppressed"]
        ].itertuples(index=False):
            v = np.array(
                [(grp == "alle" or a[pos] == grp) and (g == "alle" or a[2] == g) for a in keys],
                dtype=float,
            )
            (hidden if supp else shown).append(v)
    a = np.array(shown)
    rank = np.linalg.matrix_rank(a)
    for v in hidden:
        if v.any():
            assert np.linalg.matrix_rank(np.vstack([a, v])) > rank
    # the pay report hides what the sick-leave job table hides (apprentices, case officers)
    assert {"laerling", "saksbehandler"} <= set(prot.pay_hidden_groups)


def test_hr_tables_that_never_settle_raise_a_clear_error(monkeypatch):
    # if the joint audit kept naming a value to hide (it cannot: every round hides one more),
    # the loop stops with a message in bokmål instead of running for ever
    from analysis.disclosure import hr as module

    monkeypatch.setattr(
        module.disclosure, "joint_audit", lambda *a, **k: ("job_group", "saksbehandler", "K")
    )
    with pytest.raises(RuntimeError) as e:
        protect_hr_tables(_hr({("saksbehandler", "K"): 6, ("saksbehandler", "M"): 6}, {}), 5)
    assert str(e.value) == "den felles prikkingen av HR-tabellene konvergerte ikke"


def test_rate_table_one_way_without_margin_rows_and_another_index():
    # no «alle» row (the margin is summed from the cells), an index that is not 0, 1, 2 …,
    # and min_cell 11: a (3) and b (10) are both small, their sum (13) is enough; c (12) stays
    rates = _rates({("a",): 3, ("b",): 10, ("c",): 12}, ("job_group",))
    rates.index = rates.index + 100
    out = protect_rate_table(rates, 11)
    assert _hidden(out, ("job_group",)) == {("a",), ("b",)}
    assert list(out.index) == list(rates.index)
    # at 5: a small, b (the smallest other) its complement, as with the margin row
    assert _hidden(protect_rate_table(rates, 5), ("job_group",)) == {("a",), ("b",)}
    # at 4 with a of 4 persons: nothing small
    assert not protect_rate_table(rates.replace({"n_persons": {3: 4}}), 4)["suppressed"].any()


# --------------------------------------------------------------------------- issue 19: more


def test_rate_table_gender_first_is_still_the_column_by_default():
    """A table whose transpose is protected differently, with gender first in the frame: the
    default ``column='gender'`` keeps gender as the column dimension.

    g0: K 3, M 2; g1: K 0, M 6 (margins g0 5, g1 6, K 3, M 8, all 11). Rows first: g0's two
    hidden cells hold 5 persons, fine. The line of the gender totals: total K (3) is small, so
    grand − total M would give it: total M is hidden. Column M is then a hidden total with
    g0 M (hidden) behind it: nothing more. (Read the other way round, with gender as rows, the
    row M would hide g1 M first.)
    """
    cells = {
        ("g0", "K"): 3,
        ("g0", "M"): 2,
        ("g1", "K"): 0,
        ("g1", "M"): 6,
        ("g0", "alle"): 5,
        ("g1", "alle"): 6,
        ("alle", "K"): 3,
        ("alle", "M"): 8,
        ("alle", "alle"): 11,
    }
    rates = _rates(cells, ("job_group", "gender"))
    rates = rates[["gender", *[c for c in rates.columns if c != "gender"]]]
    want = {("g0", "K"), ("g0", "M"), ("alle", "K"), ("alle", "M")}
    assert _hidden(protect_rate_table(rates, 5), ("job_group", "gender")) == want


def test_hr_tables_joint_audit_uses_the_threshold():
    # at min_cell 3, 4 persons are not small: nothing is hidden anywhere, although each
    # shown cell is a single atom of 4 persons (which would be small at 5)
    hr = _hr({("saksbehandler", "K"): 4, ("saksbehandler", "M"): 4}, {})
    prot = protect_hr_tables(hr, 3)
    assert not prot.job["suppressed"].any() and not prot.age["suppressed"].any()
    assert prot.pay_hidden_groups == () and prot.hidden_genders == frozenset()


def test_hr_tables_settle_after_many_rounds(monkeypatch):
    # the loop guard allows 10 rounds per atom and per pay group plus 10 (here 2 atoms and 1
    # pay group: 40 rounds): a joint audit that names the same value for 25 rounds and then
    # nothing settles (the value is hidden in both reports)
    from analysis.disclosure import hr as module

    calls = {"n": 0}

    def audit(*a, **k):
        calls["n"] += 1
        return ("job_group", "saksbehandler", "K") if calls["n"] <= 25 else None

    monkeypatch.setattr(module.disclosure, "joint_audit", audit)
    prot = protect_hr_tables(_hr({("saksbehandler", "K"): 6, ("saksbehandler", "M"): 6}, {}), 5)
    assert calls["n"] == 26
    assert ("saksbehandler", "K") in _job_hidden(prot)


def _joint_leaks(prot, atoms: dict) -> list:
    """Hidden values of both sick-leave tables that can be solved for from every value the
    two tables show (each value a sum over the atoms; numpy's rank test), and small sums of
    two or three hidden inner cells over fewer than 5 persons that can."""
    keys = sorted(atoms)
    n = np.array([atoms[k] for k in keys], dtype=float)
    shown, hidden = [], []
    for table, dim in ((prot.job, "job_group"), (prot.age, "age_band")):
        pos = 0 if dim == "job_group" else 1
        for grp, g, supp in table.drop_duplicates([dim, "gender"])[
            [dim, "gender", "suppressed"]
        ].itertuples(index=False):
            v = np.array(
                [(grp == "alle" or a[pos] == grp) and (g == "alle" or a[2] == g) for a in keys],
                dtype=float,
            )
            (hidden if supp else shown).append(((dim, grp, g), v))
    a = np.array([v for _, v in shown])
    rank = np.linalg.matrix_rank(a)

    def derivable(v):
        return np.linalg.matrix_rank(np.vstack([a, v])) == rank

    leaks = [k for k, v in hidden if v.any() and derivable(v)]
    inner = [(k, v) for k, v in hidden if "alle" not in k[1:]]
    for size in (2, 3):
        for combo in itertools.combinations(inner, size):
            v = sum(v for _, v in combo)
            if v.max() <= 1 and 0 < v @ n < 5 and derivable(v):
                leaks.append(tuple(k for k, _ in combo))
    return leaks


def test_hr_tables_random_looking_cases_leave_nothing_derivable_and_margins_last():
    # two data sets (three job groups × two age bands × gender with small cells): after
    # protection nothing hidden can be solved for from both tables together (second
    # method above). In the second, hiding the inner cells is enough, so no margin («alle»)
    # is hidden: the joint audit hides margins only when no other value closes a leak.
    first = {
        ("a", "<30", "K"): 4,
        ("a", "<30", "M"): 2,
        ("b", "30-39", "M"): 12,
        ("c", "<30", "M"): 4,
        ("c", "30-39", "K"): 6,
        ("c", "30-39", "M"): 1,
    }
    second = {
        ("a", "<30", "K"): 12,
        ("a", "30-39", "M"): 6,
        ("b", "<30", "K"): 2,
        ("b", "<30", "M"): 12,
        ("b", "30-39", "K"): 1,
        ("c", "<30", "K"): 3,
        ("c", "<30", "M"): 8,
        ("c", "30-39", "K"): 4,
    }
    for atoms in (first, second):
        prot = protect_hr_tables(_hr_atoms(atoms), 5)
        assert _joint_leaks(prot, atoms) == []
    margins = [
        (r.job_group, r.gender) for r in prot.job.itertuples() if r.suppressed and "alle" in r
    ]
    margins += [
        (r.age_band, r.gender) for r in prot.age.itertuples() if r.suppressed and "alle" in r
    ]
    assert margins == []
