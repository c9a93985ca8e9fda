"""analysis.disclosure.tables: the small helpers, the joint audit of linked tables and the
Ñopo parts, each on a table written out here with the expected result worked out by hand
from the rules in the docstrings and docs/methods.md («Prikking»).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.disclosure.tables import (
    MARGIN,
    PRIMARY,
    SECONDARY,
    complement_count,
    count_or_none,
    count_text,
    joint_audit,
    nopo_parts,
    protect,
    protect_nopo,
    protect_rows,
    small,
)
from analysis.paygap.nopo import NopoResult

NAN = float("nan")
NNBSP = "\u202f"

# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (None, True),
        (NAN, True),
        (math.inf, True),
        (pd.NA, True),
        (np.float64("nan"), True),
        (0, False),
        (0.0, False),
        (1, True),
        (4, True),
        (4.5, True),
        (5, False),
        (5.0, False),
        (12, False),
    ],
)
def test_small_at_the_default_min_cell_of_five(n, expected):
    # 1 <= n < 5 is small; 0 has no one to protect; a missing count is small (docstring)
    assert small(n) is expected


def test_small_with_another_min_cell():
    assert small(2, 3) and not small(3, 3) and small(9, 10) and not small(10, 10)


def test_count_or_none():
    assert count_or_none(3) is None and count_or_none(NAN) is None and count_or_none(None) is None
    assert count_or_none(7.0) == 7 and isinstance(count_or_none(7.0), int)
    assert count_or_none(0) == 0
    assert count_or_none(4, 3) == 4 and count_or_none(2, 3) is None


@pytest.mark.parametrize(
    ("part", "total", "min_cell", "expected"),
    [
        (None, 10, 5, None),
        (NAN, 10, 5, None),
        (7, 10, 5, None),  # 3 left out: small, the part would give them away
        (6, 10, 5, None),  # 4 left out
        (5, 10, 5, 5),  # 5 left out: enough
        (10, 10, 5, 10),  # nobody left out
        (10.0, 20.0, 5, 10),
        (8, 10, 3, None),  # 2 left out, small at min_cell 3
        (7, 10, 3, 7),  # 3 left out, min_cell 3: enough
        (7, None, 5, None),  # no total: what is left out is unknown
        (7, NAN, 5, None),
    ],
)
def test_complement_count(part, total, min_cell, expected):
    got = complement_count(part, total, min_cell)
    assert got == expected
    if expected is not None:
        assert isinstance(got, int)


def test_count_text():
    assert count_text(3) == "færre enn 5"
    assert count_text(NAN) == "færre enn 5"
    assert count_text(2, 3) == "færre enn 3"
    assert count_text(1234) == f"1{NNBSP}234"
    assert count_text(0) == "0"
    assert count_text(5) == "5"


# --------------------------------------------------------------------------- protect


def test_protect_reasons_and_shown_margins_only():
    # 2 × 2: a K 3 (primary), a M 10, b K 10, b M 10; all margins shown. a K's row needs a M,
    # its column b K; b's row then b M. Reasons: a K primary, the others secondary.
    counts = pd.DataFrame({"K": [3, 10], "M": [10, 10]}, index=["a", "b"])
    p = protect(counts, 5)
    assert p.cells.to_numpy().tolist() == [[True, True], [True, True]]
    assert p.reason.to_numpy().tolist() == [[PRIMARY, SECONDARY], [SECONDARY, SECONDARY]]
    assert p.row_totals.tolist() == [False, False] and p.col_totals.tolist() == [False, False]
    assert p.grand_total is False
    # no margin shown: only the small cell (no equation can give it away)
    p = protect(counts, 5, row_totals=False, col_totals=False, grand_total=False)
    assert p.cells.to_numpy().tolist() == [[True, False], [False, False]]
    # only the row totals: a K and its row partner a M
    p = protect(counts, 5, col_totals=False, grand_total=False)
    assert p.cells.to_numpy().tolist() == [[True, True], [False, False]]
    # only the column totals: a K and its column partner b K
    p = protect(counts, 5, row_totals=False, grand_total=False)
    assert p.cells.to_numpy().tolist() == [[True, False], [True, False]]


def test_protect_small_margins_are_hidden_and_reported():
    # one row of 2 + 1 persons: both cells small, the row total (3) small, the column totals
    # 2 and 1 small, the grand total 3 small: everything is hidden
    counts = pd.DataFrame({"K": [2], "M": [1]}, index=["a"])
    p = protect(counts, 5)
    assert p.cells.to_numpy().all() and p.row_totals.tolist() == [True]
    assert p.col_totals.tolist() == [True, True] and p.grand_total is True
    # a margin that is not shown is never reported hidden
    p = protect(counts, 5, row_totals=False, col_totals=False, grand_total=False)
    assert p.row_totals.tolist() == [False] and p.col_totals.tolist() == [False, False]
    assert p.grand_total is False


def test_protect_force_and_empty_cells():
    # nothing small. A forced empty cell (count 0) or a forced margin that is not shown
    # hides nothing; a forced grand total is hidden.
    counts = pd.DataFrame({"K": [10, 10], "M": [10, 0]}, index=["a", "b"])
    p = protect(counts, 5, force=[("b", "M")])
    assert not p.cells.to_numpy().any()
    p = protect(counts, 5, row_totals=False, force=[("a", MARGIN)])
    assert not p.cells.to_numpy().any() and not p.row_totals.any()
    p = protect(counts, 5, force=[(MARGIN, MARGIN)])
    assert p.grand_total is True
    # a forced cell is hidden for another table's sake: its reason is secondary, not primary
    p = protect(counts, 5, force=[("a", "K")])
    assert p.cells.loc["a", "K"] and p.reason.loc["a", "K"] == SECONDARY


def test_protect_rows_hides_whole_rows_and_maps_forced_groups():
    frame = pd.DataFrame(
        {"group": ["x", "y", "z"], "n_women": [3, 8, 20], "n_men": [10, 7, 20], "gap": [1, 2, 3]}
    )
    t = protect_rows(frame, ["n_women", "n_men"], 5)
    # x women (3) small: row x hidden whole; the women's total needs a second woman cell,
    # the smallest other, y (8): row y hidden whole. The men's total then has x and y hidden.
    assert t.hidden_groups == ["x", "y"]
    assert t.value("z", "gap") == 3 and t.value("x", "gap") is None
    # forcing z: a group name, mapped to its row; unknown groups are ignored
    t = protect_rows(
        frame.assign(n_women=[30, 8, 20]), ["n_women", "n_men"], 5, force=[("z", "n_men")]
    )
    assert t.hidden_groups == ["y", "z"]
    t = protect_rows(
        frame.assign(n_women=[30, 8, 20]), ["n_women", "n_men"], 5, force=[("q", "n_men")]
    )
    assert t.hidden_groups == []


# --------------------------------------------------------------------------- joint audit


def _atoms() -> pd.Series:
    # men by job group × age band (the example of the docstring): 2 apprentices under 30,
    # 10 consultants under 30 and 6 consultants aged 30-39; an empty atom for apprentices
    # 30-39 (known zero)
    idx = pd.MultiIndex.from_tuples(
        [("laer", "<30"), ("kons", "<30"), ("kons", "30-39"), ("laer", "30-39")],
        names=["job", "age"],
    )
    return pd.Series([2, 10, 6, 0], index=idx)


def _cells(atoms: pd.Series) -> dict:
    def covers(job=None, age=None):
        return pd.Series(
            [(job is None or j == job) and (age is None or a == age) for j, a in atoms.index],
            index=atoms.index,
        )

    return {
        ("job", "laer"): covers(job="laer"),
        ("job", "kons"): covers(job="kons"),
        ("age", "<30"): covers(age="<30"),
        ("age", "30-39"): covers(age="30-39"),
    }


def test_joint_audit_finds_the_apprentices_and_names_the_smallest_value_to_hide():
    # hidden: apprentices (2). Shown: consultants 16, under 30 12, 30-39 6. Under 30 minus
    # (consultants minus 30-39) = 12 − (16 − 6) = 2: the apprentices. Hiding the smallest
    # shown value, 30-39 (6), closes the leak (under 30 and consultants alone leave the
    # split of the 12 young men unknown), so it is named.
    atoms = _atoms()
    cells = _cells(atoms)
    assert joint_audit(atoms, cells, {("job", "laer")}, 5) == ("age", "30-39")
    # with 30-39 marked as a margin it is hidden last: the smallest non-margin value that
    # closes the leak is «under 30» (12)
    got = joint_audit(atoms, cells, {("job", "laer")}, 5, margins={("age", "30-39")})
    assert got == ("age", "<30")
    # nothing derivable once 30-39 is hidden too
    assert joint_audit(atoms, cells, {("job", "laer"), ("age", "30-39")}, 5) is None


def test_joint_audit_small_sums_of_small_atoms():
    # women: x <30 1, x 30-39 2, y <30 10. Hidden: x <30 and x 30-39 (each small); shown:
    # «x» (3 persons) and «y». Neither hidden value can be solved for, but their sum (3 < 5)
    # is shown as «x»: a sum of two small atoms is derivable, and «x» is named. With
    # max_subset 1 only single atoms are searched: nothing found.
    idx = pd.Index(["x<30", "x30", "y<30"])
    atoms = pd.Series([1, 2, 10], index=idx)
    cells = {
        "x<30": pd.Series([True, False, False], index=idx),
        "x30": pd.Series([False, True, False], index=idx),
        "x": pd.Series([True, True, False], index=idx),
        "y": pd.Series([False, False, True], index=idx),
    }
    assert joint_audit(atoms, cells, {"x<30", "x30"}, 5) == "x"
    assert joint_audit(atoms, cells, {"x<30", "x30"}, 5, max_subset=1) is None
    # with min_cell 3 the sum (3) is large enough: nothing to do
    assert joint_audit(atoms, cells, {"x<30", "x30"}, 3) is None


def test_joint_audit_nothing_hidden_nothing_to_do():
    # no hidden value and no atom under 5 persons: nothing can leak
    atoms = _atoms().replace(2, 5)
    assert joint_audit(atoms, _cells(atoms), set(), 5) is None
    # the apprentices (2) shown: a single small atom is derivable as it stands, and the
    # value to hide is the smallest shown one covering it — the apprentices themselves
    atoms = _atoms()
    assert joint_audit(atoms, _cells(atoms), set(), 5) == ("job", "laer")


# --------------------------------------------------------------------------- Ñopo parts


def _nopo() -> NopoResult:
    # groups: a (men only), b (women only), c (both); the parts are made-up numbers that add
    # up to the total: 10 + (−4) + 6 + 20 = 32
    pg = pd.DataFrame(
        {
            "group": ["a", "b", "c", "d"],
            "n_men": [5.0, 0.0, 20.0, np.nan],
            "n_women": [np.nan, 7.0, 30.0, 9.0],
            "mean_men": [100.0, np.nan, 90.0, np.nan],
            "in_support": [False, False, True, False],
            "label": ["A", "B", "C", "D"],
        }
    )
    return NopoResult(
        total=32.0,
        men_outside_support=10.0,
        women_outside_support=-4.0,
        composition=6.0,
        within_groups=20.0,
        reference="men",
        common_support=("c",),
        per_group=pg,
    )


def test_nopo_parts_by_hand():
    nopo = _nopo()
    everything = {
        "total": 32.0,
        "men_outside_support": 10.0,
        "women_outside_support": -4.0,
        "composition": 6.0,
        "within_groups": 20.0,
    }
    assert nopo_parts(nopo, []) == everything
    # a (men only) hidden: the men's part outside the support and the composition part
    assert nopo_parts(nopo, ["a"]) == {
        **everything,
        "men_outside_support": None,
        "composition": None,
    }
    # b and d (women only; d's men are missing, i.e. none) hidden
    want = {**everything, "women_outside_support": None, "composition": None}
    assert nopo_parts(nopo, {"b"}) == want and nopo_parts(nopo, ("d",)) == want
    # c (both genders, in the support) hidden: only the parts outside the support rest on
    # single groups (docstring); c's own numbers are hidden in the rows (protect_nopo)
    assert nopo_parts(nopo, ["c"]) == everything


def test_protect_nopo_hides_parts_and_rows():
    nopo = _nopo()
    assert protect_nopo(nopo, []) is nopo
    out = protect_nopo(nopo, ["a"])
    assert math.isnan(out.men_outside_support) and math.isnan(out.composition)
    assert (out.total, out.women_outside_support, out.within_groups) == (32.0, -4.0, 20.0)
    pg = out.per_group
    # row a: every number NaN, its label and text kept; other rows unchanged
    assert pg.loc[0, ["n_men", "n_women", "mean_men"]].isna().all()
    assert pg.loc[0, "group"] == "a" and pg.loc[0, "label"] == "A"
    assert pg.loc[2, "n_men"] == 20.0 and pg.loc[1, "n_women"] == 7.0
    # «every value of a hidden group set to NaN» (docstring): the support flag too
    assert math.isnan(pg.loc[0, "in_support"]) and pg["in_support"].tolist()[1:] == [0, 1, 0]
    # the input is not changed
    assert nopo.per_group.loc[0, "n_men"] == 5.0 and nopo.men_outside_support == 10.0


# --------------------------------------------------------------------------- issue 19: tests
# that bite (each kills mutants of the module; every expected value is worked out by hand
# from the rules in the module docstring: primary = 1 … min_cell − 1 persons; a shown margin
# may not have exactly one hidden value behind it, nor hidden values of 1 … min_cell − 1
# persons together; when no cell is left to hide in a line its margin is hidden; a line whose
# margin is not shown gives the reader no equation)


def _df(rows, index=None, columns=None) -> pd.DataFrame:
    rows = np.asarray(rows, dtype=float)
    return pd.DataFrame(
        rows,
        index=index or [f"r{i}" for i in range(rows.shape[0])],
        columns=columns or [f"c{j}" for j in range(rows.shape[1])],
    )


def test_protect_zero_and_missing_cells_have_no_one_to_protect():
    # a missing count is 0 (docstring): nothing to hide in [[NaN]] whatever is shown
    p = protect(_df([[NAN]]), 6)
    assert not p.cells.to_numpy().any() and not p.row_totals.any() and not p.grand_total
    # [[1, 0], [NaN, 9]] with column totals and grand total: r0c0 (1) is primary and so is
    # its column total (1); grand 10 − c1 (9) would give that column total, so c1 is hidden;
    # c1 (9) is then the sum of its only non-empty cell r1c1, which is hidden. The empty cells
    # stay shown.
    p = protect(_df([[1, 0], [NAN, 9]]), 5, row_totals=False)
    assert p.cells.to_numpy().tolist() == [[True, False], [False, True]]
    assert p.col_totals.tolist() == [True, True] and p.grand_total is False
    # whole_rows never hides an empty cell: [[0, 1]] hides only the 1
    p = protect(_df([[0, 1]]), 5, row_totals=False, grand_total=False, whole_rows=True)
    assert p.cells.to_numpy().tolist() == [[False, True]]
    assert p.reason.to_numpy().tolist() == [["", PRIMARY]]


def test_protect_exactly_min_cell_is_not_small():
    # 5 persons at min_cell 5 may be shown, alone and as a total
    p = protect(_df([[5]]), 5, row_totals=False, grand_total=False)
    assert not p.cells.to_numpy().any() and not p.col_totals.any()
    # [[4], [1]], all margins: both cells small; each row total equals its cell (hidden).
    # The column total and the grand total (5) are the sum of two hidden values holding 5
    # persons together: at least min_cell, so they stay shown.
    p = protect(_df([[4], [1]]), 5)
    assert p.cells.to_numpy().tolist() == [[True], [True]]
    assert p.row_totals.tolist() == [True, True]
    assert p.col_totals.tolist() == [False] and p.grand_total is False


def test_protect_a_total_over_two_hidden_cells_holding_enough_persons_stays_shown():
    # [[3, 4]] all margins: both cells primary, each column total equals its cell (hidden);
    # the row total (7) and the grand total (7) cover two hidden cells of 7 ≥ 5 persons
    p = protect(_df([[3, 4]]), 5)
    assert p.cells.to_numpy().all() and p.col_totals.tolist() == [True, True]
    assert p.row_totals.tolist() == [False] and p.grand_total is False
    # [[2, 20]], min_cell 6, all margins: 2 primary, its row partner 20 hidden, column c0 (2)
    # small, column c1 (20) equal to its only cell: hidden. The row total and the grand total
    # (22 = two hidden cells of 22 persons) stay shown.
    p = protect(_df([[2, 20]]), 6)
    assert p.cells.to_numpy().all() and p.col_totals.tolist() == [True, True]
    assert p.row_totals.tolist() == [False] and p.grand_total is False
    # the same at min_cell 5 without the grand total
    p = protect(_df([[2, 20]]), 5, grand_total=False)
    assert p.cells.to_numpy().all() and p.col_totals.tolist() == [True, True]
    assert p.row_totals.tolist() == [False]


def test_protect_the_grand_total_alone_is_an_equation():
    # one column [6, 3], only the grand total shown (no row or column totals): grand − 6
    # gives the hidden 3. The lines through the hidden cell have no shown margin (hiding a
    # cell there gains nothing), so the grand total itself is hidden; 6 stays shown.
    p = protect(_df([[6], [3]]), 5, row_totals=False, col_totals=False)
    assert p.cells.to_numpy().tolist() == [[False], [True]] and p.grand_total is True
    # the same for a forced cell of 9 persons (not small, but hidden for another table)
    p = protect(_df([[6], [9]]), 5, row_totals=False, col_totals=False, force=[("r1", "c0")])
    assert p.cells.to_numpy().tolist() == [[False], [True]] and p.grand_total is True
    # one row [4, 2] at min_cell 3, only the grand total shown: the same, row-wise
    p = protect(_df([[4, 2]]), 3, row_totals=False, col_totals=False)
    assert p.cells.to_numpy().tolist() == [[False, True]] and p.grand_total is True


def test_protect_forced_margins_and_their_chains():
    # [[9]], min_cell 3, row and column totals shown, the row total forced: the cell equals
    # the row total, so it is hidden, and the column total equals the cell: hidden too
    p = protect(_df([[9]]), 3, grand_total=False, force=[("r0", MARGIN)])
    assert p.cells.to_numpy().tolist() == [[True]]
    assert p.row_totals.tolist() == [True] and p.col_totals.tolist() == [True]
    # [[20, 20]] with the row total and grand total shown, the grand total forced: the grand
    # total equals the only row total, which is hidden; that row total is the sum of two
    # shown cells, so one of them is hidden (the first of two equal ones). A forced column
    # total that is not shown hides nothing.
    p = protect(_df([[20, 20]]), 5, col_totals=False, force=[(MARGIN, MARGIN), (MARGIN, "c1")])
    assert p.cells.to_numpy().tolist() == [[True, False]]
    assert p.row_totals.tolist() == [True] and p.grand_total is True
    assert p.col_totals.tolist() == [False, False]
    # [[1, 9]], min_cell 6, row total and grand total shown, the row total forced: 1 is
    # primary; the hidden row total (10) has the hidden 1 behind it, so nothing determines
    # either and 9 stays shown; the grand total equals the row total: hidden
    p = protect(_df([[1, 9]]), 6, col_totals=False, force=[("r0", MARGIN)])
    assert p.cells.to_numpy().tolist() == [[True, False]]
    assert p.row_totals.tolist() == [True] and p.grand_total is True


def test_protect_reports_labels_and_empty_reasons():
    counts = pd.DataFrame({"K": [3, 10], "M": [10, 10]}, index=["a", "b"])
    p = protect(counts, 5, row_totals=False, col_totals=False, grand_total=False)
    assert p.reason.to_numpy().tolist() == [[PRIMARY, ""], ["", ""]]
    assert p.row_totals.index.tolist() == ["a", "b"] and p.col_totals.index.tolist() == ["K", "M"]


def test_protect_the_grand_total_hides_a_row_through_the_row_totals():
    # rows [9, 0], [6, 0], [5, 1], [1, 2], all margins, min_cell 5.
    # primary: r2c1 (1), r3c0 (1), r3c1 (2), row total r3 (3), column total c1 (3).
    # row r2 (6): its 1 alone → hide r2c0 (5). Column c0: r2c0 + r3c0 = 6 ≥ 5, fine.
    # grand 24 − column c0 (21) gives column c1 (3): hide c0. Grand − row totals: r3 (3)
    # alone hidden → hide the smallest shown row total, r1 (6, before r2's 6). Row r1 is
    # then a hidden total over the shown 6: hide r1c0. r0 stays shown.
    p = protect(_df([[9, 0], [6, 0], [5, 1], [1, 2]]), 5)
    assert p.cells.to_numpy().tolist() == [
        [False, False],
        [True, False],
        [True, True],
        [True, True],
    ]
    assert p.row_totals.tolist() == [False, True, False, True]
    assert p.col_totals.tolist() == [True, True] and p.grand_total is False
    # without the grand total nothing forces row r1
    from analysis.disclosure.tables import suppression_mask

    got = protect(_df([[9, 0], [6, 0], [5, 1], [1, 2]]), 5, grand_total=False)
    assert got.cells.to_numpy().tolist()[1] == [False, False]
    # suppression_mask of a two-way table is protect's cells with every margin shown
    mask = suppression_mask(_df([[9, 0], [6, 0], [5, 1], [1, 2]]), 5)
    assert mask.to_numpy().tolist() == p.cells.to_numpy().tolist()


def test_suppression_mask_two_way_margins_min_cell_and_force():
    from analysis.disclosure.tables import suppression_mask

    counts = pd.DataFrame({"K": [3, 10], "M": [10, 10]}, index=["a", "b"])
    # every margin shown: a K, its row partner a M, its column partner b K, then b M
    assert suppression_mask(counts, 5).to_numpy().all()
    # no margin shown: only the small cell; a forced cell is hidden too, nothing else
    assert suppression_mask(counts, 5, margins=False).to_numpy().tolist() == [
        [True, False],
        [False, False],
    ]
    got = suppression_mask(counts, 5, margins=False, force=[("b", "M")])
    assert got.to_numpy().tolist() == [[True, False], [False, True]]
    # at min_cell 3 nothing is small
    assert not suppression_mask(counts, 3).to_numpy().any()
    assert list(got.index) == ["a", "b"] and list(got.columns) == ["K", "M"]


def test_suppression_mask_one_way_keeps_the_name_and_honours_force_and_min_cell():
    from analysis.disclosure.tables import suppression_mask

    s = pd.Series({"a": 3, "b": 10, "c": 12, "d": 0}, name="antall")
    got = suppression_mask(s, 5)
    assert got.name == "antall" and got.tolist() == [True, True, False, False]
    # c forced: a (3) and c (12) are two hidden values of 15 persons behind the total
    assert suppression_mask(s, 5, force=["c"]).tolist() == [True, False, True, False]
    # no total shown, c forced: a and c only
    assert suppression_mask(s, 5, margins=False, force=["c"]).tolist() == [
        True,
        False,
        True,
        False,
    ]
    # min_cell 3: a (3) is not small
    assert not suppression_mask(s, 3).any()


def test_complement_count_missing_values_and_one_left_out():
    # pd.NA is missing like None and NaN (docstring: a missing part gives None; a missing
    # total makes what is left out unknown)
    assert complement_count(pd.NA, 10) is None
    assert complement_count(7, pd.NA) is None
    # one person left out is small
    assert complement_count(9, 10) is None


def test_count_text_uses_the_given_min_cell():
    assert count_text(4, 3) == "4" and count_text(4) == "færre enn 5"


def test_hide_rows_reads_the_mask_as_booleans_and_keeps_flags_as_flags():
    from analysis.disclosure.tables import hide_rows

    t = pd.DataFrame({"group": ["a", "b"], "n": [3, 10], "flag": [True, False]})
    out = hide_rows(t, np.array([1, 0]), "group")
    assert out["suppressed"].tolist() == [True, False] and out["suppressed"].dtype == bool
    assert np.isnan(out.loc[0, "n"]) and out.loc[1, "n"] == 10
    # a flag is not a number: hidden as None, shown as the flag itself
    assert out.loc[0, "flag"] is None and out.loc[1, "flag"] is False


def test_suppress_only_the_named_columns_and_a_partial_mask():
    from analysis.disclosure.tables import suppress

    df = pd.DataFrame({"n": [3, 10, 12], "rate": [0.5, 0.6, 0.7]})
    out = suppress(df, pd.Series([False, True, False]), columns=["rate"])
    assert out["rate"].isna().tolist() == [False, True, False]
    assert out["n"].tolist() == [3, 10, 12]  # not named: left as it is
    assert out["suppressed"].tolist() == [False, True, False] and out["suppressed"].dtype == bool
    # a mask over some rows only: the others are not suppressed
    out = suppress(df, pd.Series([True], index=[0]))
    assert out["suppressed"].tolist() == [True, False, False]
    assert out["rate"].isna().tolist() == [True, False, False]


def test_protect_rows_passes_its_margins_and_min_cell_on():
    # w: 3 men only; y: 8 women, 7 men; z: 20 and 20.
    frame = pd.DataFrame({"group": ["w", "y", "z"], "n_women": [0, 8, 20], "n_men": [3, 7, 20]})
    # no margin shown: only w (3 men) is hidden
    t = protect_rows(frame, ["n_women", "n_men"], 5, col_totals=False, grand_total=False)
    assert t.hidden_groups == ["w"] and t.protection.grand_total is False
    # only the grand total shown: grand − the shown cells gives w's 3 men, and no line
    # through them has a shown margin, so the grand total itself is hidden
    t = protect_rows(frame, ["n_women", "n_men"], 5, col_totals=False)
    assert t.hidden_groups == ["w"] and t.protection.grand_total is True
    # the column totals shown: w's 3 men alone behind the men's total → y's 7 men hidden,
    # with the whole row y; y's 8 women are then alone behind the women's total (w has
    # none) → z's women hidden, with the whole row z
    t = protect_rows(frame, ["n_women", "n_men"], 5, grand_total=False)
    assert t.hidden_groups == ["w", "y", "z"]
    # row totals are not shown by default, so none is reported hidden
    t = protect_rows(frame, ["n_women", "n_men"], 5)
    assert not t.protection.row_totals.any()
    # min_cell is passed on and kept: at 3, w's 3 men are not small
    t = protect_rows(frame, ["n_women", "n_men"], 3)
    assert t.hidden_groups == [] and t.min_cell == 3


def test_joint_audit_cells_over_some_atoms_only():
    # a cell Series may list only some atoms: the others are not covered (reindexed False)
    atoms = _atoms()
    cells = {k: m[m] for k, m in _cells(atoms).items()}  # only the covered atoms, all True
    assert joint_audit(atoms, cells, {("job", "laer")}, 5) == ("age", "30-39")


def test_joint_audit_puts_back_what_is_not_needed():
    # the apprentices example plus an unrelated job group «adm» (5 persons, all 40+) shown
    # as «adm» and «40+». Ranked by size, adm and 40+ (5 each) are removed first without
    # closing the leak, then 30-39 (6) closes it; adm and 40+ are then put back, so 30-39
    # is named.
    idx = pd.MultiIndex.from_tuples(
        [("laer", "<30"), ("kons", "<30"), ("kons", "30-39"), ("adm", "40+")],
        names=["job", "age"],
    )
    atoms = pd.Series([2, 10, 6, 5], index=idx)

    def covers(job=None, age=None):
        return pd.Series(
            [(job is None or j == job) and (age is None or a == age) for j, a in idx], index=idx
        )

    cells = {
        ("job", "laer"): covers(job="laer"),
        ("job", "adm"): covers(job="adm"),
        ("age", "40+"): covers(age="40+"),
        ("job", "kons"): covers(job="kons"),
        ("age", "<30"): covers(age="<30"),
        ("age", "30-39"): covers(age="30-39"),
    }
    assert joint_audit(atoms, cells, {("job", "laer")}, 5) == ("age", "30-39")


def test_joint_audit_single_shown_value_and_nothing_shown():
    # one atom of 2 persons shown as «x»: derivable as it stands; removing «x» leaves no
    # shown value at all, which closes it
    idx = pd.Index(["a"])
    atoms = pd.Series([2], index=idx)
    assert joint_audit(atoms, {"x": pd.Series([True], index=idx)}, set(), 5) == "x"
    # «x» hidden and nothing shown: nothing can be derived
    assert joint_audit(atoms, {"x": pd.Series([True], index=idx)}, {"x"}, 5) is None


def test_joint_audit_small_sums_of_three_and_past_a_large_pair():
    # three atoms of 1 person each, hidden one by one, shown together as «x» (3 < 5): the
    # sum of three small atoms is derivable
    idx = pd.Index(["a", "b", "c"])
    atoms = pd.Series([1, 1, 1], index=idx)
    cells = {k: pd.Series(idx == k, index=idx) for k in idx}
    cells["x"] = pd.Series([True, True, True], index=idx)
    assert joint_audit(atoms, cells, set(idx), 5) == "x"
    # atoms p 4, q 4, s 1, t 1; hidden one by one; shown «pq» (8) and «st» (2). The pair
    # (p, q) holds 8 ≥ 5 persons and is passed over; the pair (s, t) after it is small
    # and derivable: «st» is named
    idx = pd.Index(["p", "q", "s", "t"])
    atoms = pd.Series([4, 4, 1, 1], index=idx)
    cells = {k: pd.Series(idx == k, index=idx) for k in idx}
    cells["pq"] = pd.Series([True, True, False, False], index=idx)
    cells["st"] = pd.Series([False, False, True, True], index=idx)
    assert joint_audit(atoms, cells, set(idx), 5) == "st"


def test_joint_audit_max_subset_bounds_the_search():
    # five atoms of 1 person, shown together as «x» (5 persons < min_cell 6): a sum of five
    # small atoms, found only when max_subset allows five (the default is 4, docstring)
    idx = pd.Index(list("abcde"))
    atoms = pd.Series([1] * 5, index=idx)
    cells = {k: pd.Series(idx == k, index=idx) for k in idx}
    cells["x"] = pd.Series([True] * 5, index=idx)
    assert joint_audit(atoms, cells, set(idx), 6, max_subset=5) == "x"
    assert joint_audit(atoms, cells, set(idx), 6) is None


# --------------------------------------------------------------------------- large tables


def _two_blocks(crossing: dict[tuple[int, int], float]) -> tuple[pd.DataFrame, list]:
    """A 9 × 9 table of 20s with two blocks forced hidden (rows 0–3 × columns 0–3 and rows
    4–8 × columns 4–8) and the ``crossing`` cells (rows 0–3, columns 4–8) set as given.

    Every row and column then has at least two hidden values of ≥ 5 persons, so no margin
    alone gives anything away; but the row totals of rows 0–3 minus the column totals of
    columns 0–3 cancel block 1 and leave exactly the cells in rows 0–3 outside columns 0–3
    (the crossing cells plus the shown 20s): the crossing cells' sum is derivable. The
    audit's echelon basis then has 17 rows (18 lines touched, one dependency), more than
    the 16 for which all 2^k combinations are tried.
    """
    t = np.full((9, 9), 20.0)
    for k, v in crossing.items():
        t[k] = v
    force = [(i, j) for i in range(4) for j in range(4)]
    force += [(i, j) for i in range(4, 9) for j in range(4, 9)]
    return pd.DataFrame(t), force


def _hidden_outside(p, force, crossing) -> list[tuple[int, int]]:
    c = p.cells.to_numpy()
    return [
        (i, j)
        for i in range(9)
        for j in range(9)
        if c[i, j] and (i, j) not in force and (i, j) not in crossing
    ]


@pytest.mark.parametrize("grand", [True, False])
@pytest.mark.parametrize(
    "crossing",
    [
        {(0, 4): 1.0, (1, 0): 4.0, (1, 5): 1.0},  # 2 persons (a small pivot in between)
        {(0, 4): 1.0, (1, 5): 1.0, (2, 6): 1.0},  # 3 persons
        {(0, 4): 1.0, (1, 5): 1.0, (2, 6): 1.0, (3, 7): 1.0},  # 4 persons: the old bug
    ],
)
def test_protect_a_derivable_sum_of_small_cells_in_a_large_table(crossing, grand):
    """The crossing one-person cells (primary) are derivable together (see _two_blocks):
    2, 3 or 4 persons < 5. Before the fix, a table whose audit basis had more than 16 rows
    was searched for sums of at most 3 hidden values, so the 4-cell sum stayed derivable.
    The fix: the first line of the leak is row 0, whose smallest shown cell is r0c5 (20,
    first of the equal ones): hidden, and the crossing sum is then 22+ persons."""
    from test_suppression import disclosures

    df, force = _two_blocks(crossing)
    small = [k for k in crossing if crossing[k] < 5 and k[1] >= 4]
    # (the grand total, shown or not, plays no part: the derivation uses row and column
    # totals only)
    p = protect(df, 5, force=force, grand_total=grand)
    assert _hidden_outside(p, force, crossing) == [(0, 5)]
    assert not p.row_totals.any() and not p.col_totals.any() and not p.grand_total
    t = df.to_numpy()
    found = disclosures(
        t,
        p.cells.to_numpy(),
        p.row_totals.to_numpy(),
        p.col_totals.to_numpy(),
        p.grand_total,
        rows_shown=True,
        cols_shown=True,
        grand_shown=grand,
    )
    assert found == []
    assert len(small) >= 2


def test_protect_a_bridge_cell_in_a_large_table():
    # one forced crossing cell r0c4 of 20 persons: the only link between the blocks, so it
    # is derivable on its own (see _two_blocks); r0c5 is hidden as above
    df, force = _two_blocks({})
    p = protect(df, 5, force=[*force, (0, 4)])
    assert _hidden_outside(p, [*force, (0, 4)], {}) == [(0, 5)]


def test_protect_a_total_plus_a_cell_derivable_through_the_unshown_grand_total():
    """Rows [5, 0, 0], [0, 1, 9], [1, 3, 20] (the missing count read as 0), min_cell 6, row
    and column totals shown, the grand total not shown.

    Primary: r0c0 (5), r1c1 (1), r2c0 (1), r2c1 (3), row total r0 (5), column total c1 (4).
    Heuristic: row r1 has 1 alone → r1c2 (9) hidden; row r2 has 1 + 3 = 4 < 6 → r2c2 (20)
    hidden. Then the reader's equations: r0c0 = R0 (row r0), r0c0 + r2c0 = 6 (column c0),
    and through the unshown grand total G: R0 + 10 + 24 = G = 6 + C1 + 29, so C1 = R0 − 1
    and C1 + r2c0 = R0 − 1 + 6 − R0 = 5: the hidden column total c1 and the hidden cell r2c0
    hold 5 < 6 persons together and their sum is derivable. The first line through r2c0 with
    a shown margin is row r2, whose non-empty cells are all hidden: its total is hidden, which
    cuts the link through G (and so also r1c1 + r2c0 + r2c1 = 5).
    """
    from test_suppression import disclosures

    counts = [[5, NAN, 0], [0, 1, 9], [1, 3, 20]]
    p = protect(_df(counts), 6, grand_total=False)
    assert p.cells.to_numpy().tolist() == [
        [True, False, False],
        [False, True, True],
        [True, True, True],
    ]
    assert p.row_totals.tolist() == [True, False, True]
    assert p.col_totals.tolist() == [False, True, False] and p.grand_total is False
    found = disclosures(
        np.nan_to_num(np.array(counts)),
        p.cells.to_numpy(),
        p.row_totals.to_numpy(),
        p.col_totals.to_numpy(),
        False,
        rows_shown=True,
        cols_shown=True,
        grand_shown=False,
        min_cell=6,
    )
    assert found == []


def test_protect_a_hidden_total_derivable_through_the_unshown_grand_total():
    """Rows [6, 0], [20, 1], [5, 4], [20, 0], min_cell 6, row and column totals shown.

    Primary: r1c1 (1), r2c0 (5), r2c1 (4), column total c1 (5). Row r1: 1 alone → r1c0 (20)
    hidden. The row totals give G = 6 + 21 + 9 + 20 = 56 and the column totals G = 51 + C1,
    so the hidden c1 total (5) is derivable. It is a member of no line with a shown margin;
    the first line that touches the unknowns and has a shown margin is row r1, whose cells
    are both hidden: its total is hidden (and G is no longer known). Row r0 stays shown.
    """
    p = protect(_df([[6, 0], [20, 1], [5, 4], [20, 0]]), 6, grand_total=False)
    assert p.cells.to_numpy().tolist() == [
        [False, False],
        [True, True],
        [True, True],
        [False, False],
    ]
    assert p.row_totals.tolist() == [False, True, False, False]
    assert p.col_totals.tolist() == [False, True]


def test_protect_a_small_sum_through_the_grand_total_hides_the_grand_total():
    """Rows [0, 3], [1, 6], min_cell 5, column totals and grand total shown.

    Primary: r0c1 (3), r1c0 (1), column total c0 (1). The grand total (10) minus c1 would
    give c0, so c1 is hidden too (the only other column total). Then c0 + c1 = 10 with
    c0 = r1c0 and c1 = r0c1 + 6: r0c1 + r1c0 = 4 < 5 persons is derivable. No line through
    them has a shown margin left; the line of the column totals does (the grand total), and
    both its members are hidden: the grand total is hidden. r1c1 (6) stays shown.
    """
    p = protect(_df([[0, 3], [1, 6]]), 5, row_totals=False)
    assert p.cells.to_numpy().tolist() == [[False, True], [True, False]]
    assert p.col_totals.tolist() == [True, True] and p.grand_total is True


def test_protect_a_forced_grand_total_with_no_other_margin_shown():
    """The grand total forced hidden while no row or column total is shown: it is the sum of
    the shown cells, so one cell must be hidden too. Before the fix this raised
    «en skjult verdi kan regnes ut, men det er ingenting igjen å skjule»: no line on the
    chain has a shown margin. Now the smallest cell of the first row is hidden (10); the
    grand total and that cell are then two unknowns in one equation."""
    counts = pd.DataFrame({"K": [10, 20], "M": [30, 40]}, index=["a", "b"])
    p = protect(counts, 5, row_totals=False, col_totals=False, force=[(MARGIN, MARGIN)])
    assert p.cells.to_numpy().tolist() == [[True, False], [False, False]]
    assert p.grand_total is True
    p = protect(
        _df([[30], [10], [20]]), 5, row_totals=False, col_totals=False, force=[(MARGIN, MARGIN)]
    )
    assert p.cells.to_numpy().tolist() == [[True], [False], [False]] and p.grand_total is True
    # with the row totals shown the grand total is their sum: the smaller row total (a, 40)
    # is hidden, and a's total is then the sum of its two shown cells: a K (10) is hidden
    p = protect(counts, 5, col_totals=False, force=[(MARGIN, MARGIN)])
    assert p.cells.to_numpy().tolist() == [[True, False], [False, False]]
    assert p.row_totals.tolist() == [True, False] and p.grand_total is True
    # a first row of zeros has nothing to hide: the smallest cell of the next row goes
    counts = pd.DataFrame({"K": [0, 10], "M": [0, 20]}, index=["a", "b"])
    p = protect(counts, 5, row_totals=False, col_totals=False, force=[(MARGIN, MARGIN)])
    assert p.cells.to_numpy().tolist() == [[False, False], [True, False]]


def _nopo_with(per_group: pd.DataFrame) -> NopoResult:
    return NopoResult(
        total=32.0,
        men_outside_support=10.0,
        women_outside_support=-4.0,
        composition=6.0,
        within_groups=20.0,
        reference="men",
        common_support=(),
        per_group=per_group,
    )


def test_nopo_parts_single_persons_count_and_empty_groups_do_not():
    # a group of one man (no women) rests on him alone: hidden, it hides the men's part
    # outside the support and the composition part; likewise one woman. A group with
    # nobody in it rests on no one: hiding it hides no part.
    pg = pd.DataFrame(
        {
            "group": ["m1", "w1", "none"],
            "n_men": [1.0, 0.0, 0.0],
            "n_women": [0.0, 1.0, 0.0],
        }
    )
    nopo = _nopo_with(pg)
    got = nopo_parts(nopo, ["m1"])
    assert got["men_outside_support"] is None and got["composition"] is None
    assert got["women_outside_support"] == -4.0
    got = nopo_parts(nopo, ["w1"])
    assert got["women_outside_support"] is None and got["men_outside_support"] == 10.0
    assert nopo_parts(nopo, ["none"]) == nopo.to_dict()


def test_protect_nopo_keeps_numeric_group_codes():
    # group codes may be numbers (job codes): the hidden group's row keeps its code, so the
    # rows read the same (docstring); its counts are hidden
    pg = pd.DataFrame({"group": [11, 12], "n_men": [5.0, 20.0], "n_women": [0.0, 30.0]})
    out = protect_nopo(_nopo_with(pg), [11])
    assert out.per_group["group"].tolist() == [11, 12]
    assert out.per_group.loc[0, ["n_men", "n_women"]].isna().all()


def test_protect_a_forced_row_total_with_whole_rows():
    # the forced row total (60) is the sum of three shown cells: one is hidden (the first of
    # equal ones), and whole rows then hide the rest of the row (no other margin shown)
    p = protect(
        _df([[20, 20, 20]]),
        5,
        col_totals=False,
        grand_total=False,
        whole_rows=True,
        force=[("r0", MARGIN)],
    )
    assert p.cells.to_numpy().tolist() == [[True, True, True]]
    assert p.row_totals.tolist() == [True]


def test_protect_a_hidden_column_total_needs_one_more_round():
    """Rows [9, 1, 0], [3, 5, 1], min_cell 3, column totals and grand total shown.

    Primary: r0c1 (1), r1c2 (1), column total c2 (1). The line of the column totals: c2
    alone hidden behind the grand total → c1 (6, the smallest shown) hidden. Through the
    unshown row totals the grand total is the sum of all cells: 9 + r0c1 + 3 + 5 + r1c2 =
    19, so r0c1 + r1c2 = 2 < 3 is derivable; no line through them has a shown margin, the
    line of the column totals does: c0 (12) is hidden. In the next round c0 is a hidden
    total over two shown cells: r1c0 (3, the smaller) is hidden too.
    """
    p = protect(_df([[9, 1, 0], [3, 5, 1]]), 3, row_totals=False)
    assert p.cells.to_numpy().tolist() == [[False, True, False], [True, False, True]]
    assert p.col_totals.tolist() == [True, True, True] and p.grand_total is False


def test_protect_a_forced_grand_total_with_whole_rows():
    # no margin but the (forced) grand total: one cell is hidden (the first row's smallest),
    # and whole rows then hide its row
    counts = pd.DataFrame({"K": [10, 20], "M": [30, 40]}, index=["a", "b"])
    p = protect(
        counts, 5, row_totals=False, col_totals=False, whole_rows=True, force=[(MARGIN, MARGIN)]
    )
    assert p.cells.to_numpy().tolist() == [[True, True], [False, False]]
