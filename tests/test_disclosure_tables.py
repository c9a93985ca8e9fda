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
