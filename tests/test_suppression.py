"""Disclosure control: no hidden cell, and no hidden sum over fewer than min_cell persons,
can be solved for from the shown cells and margins.

The checker here is independent of :mod:`analysis.disclosure.tables`: it writes down the attacker's
equations (every shown margin = the sum of its cells), eliminates exactly with fractions, and
tries every hidden cell and every combination of hidden cells holding fewer than
``min_cell`` persons (brute force), asking whether that sum is in the row space.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analysis.disclosure.tables import (
    ProtectedTable,
    count_text,
    primary_mask,
    protect,
    protect_rows,
    suppress,
    suppression_mask,
)

MIN = 5


# --------------------------------------------------------------------------- the checker


def _rref(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Reduced row echelon form: list of (pivot column, row)."""
    basis: list[tuple[int, list[Fraction]]] = []
    for r in rows:
        r = list(r)
        for p, b in basis:
            if r[p] != 0:
                f = r[p]
                r = [x - f * y for x, y in zip(r, b, strict=True)]
        piv = next((i for i, x in enumerate(r) if x != 0), None)
        if piv is None:
            continue
        f = r[piv]
        r = [x / f for x in r]
        basis = [(p, [x - b[piv] * y for x, y in zip(b, r, strict=True)]) for p, b in basis]
        basis.append((piv, r))
    return basis


def _in_span(basis, v: list[Fraction]) -> bool:
    v = list(v)
    for p, b in basis:
        if v[p] != 0:
            f = v[p]
            v = [x - f * y for x, y in zip(v, b, strict=True)]
    return all(x == 0 for x in v)


def disclosures(
    counts: np.ndarray,
    hidden_cells: np.ndarray,
    hidden_rows: np.ndarray,
    hidden_cols: np.ndarray,
    hidden_grand: bool,
    *,
    rows_shown: bool,
    cols_shown: bool,
    grand_shown: bool,
    min_cell: int = MIN,
) -> list[tuple]:
    """Every hidden cell or small hidden union an attacker can solve for (empty = safe)."""
    n_r, n_c = counts.shape
    value: dict[tuple, float] = {}
    known: dict[tuple, bool] = {}
    for i, j in itertools.product(range(n_r), range(n_c)):
        value[("c", i, j)] = counts[i, j]
        known[("c", i, j)] = not hidden_cells[i, j]
    for i in range(n_r):
        value[("r", i)] = counts[i].sum()
        known[("r", i)] = rows_shown and not hidden_rows[i]
    for j in range(n_c):
        value[("k", j)] = counts[:, j].sum()
        known[("k", j)] = cols_shown and not hidden_cols[j]
    value[("g",)] = counts.sum()
    known[("g",)] = grand_shown and not hidden_grand
    eqs = [([("c", i, j) for j in range(n_c)], ("r", i)) for i in range(n_r)]
    eqs += [([("c", i, j) for i in range(n_r)], ("k", j)) for j in range(n_c)]
    eqs += [([("r", i) for i in range(n_r)], ("g",)), ([("k", j) for j in range(n_c)], ("g",))]
    unknown = [k for k in value if not known[k]]
    pos = {k: p for p, k in enumerate(unknown)}
    rows = []
    for members, total in eqs:
        v = [Fraction(0)] * len(unknown)
        for m in members:
            if m in pos:
                v[pos[m]] += 1
        if total in pos:
            v[pos[total]] -= 1
        rows.append(v)
    basis = _rref(rows)
    # what the report hides on purpose (unshown margins are not "hidden values")
    hidden = [
        k
        for k in unknown
        if value[k] > 0
        and (
            k[0] == "c"
            or (k[0] == "r" and rows_shown)
            or (k[0] == "k" and cols_shown)
            or (k[0] == "g" and grand_shown)
        )
    ]
    found = []
    for k in hidden:
        v = [Fraction(0)] * len(unknown)
        v[pos[k]] = Fraction(1)
        if _in_span(basis, v):
            found.append((k,))
    small_ones = [k for k in hidden if value[k] < min_cell]
    for size in range(2, len(small_ones) + 1):
        for combo in itertools.combinations(small_ones, size):
            if sum(value[k] for k in combo) >= min_cell:
                continue
            v = [Fraction(0)] * len(unknown)
            for k in combo:
                v[pos[k]] = Fraction(1)
            if _in_span(basis, v):
                found.append(combo)
    return found


def _check(counts: np.ndarray, rows: bool, cols: bool, grand: bool, min_cell: int = MIN):
    t = pd.DataFrame(counts)
    p = protect(t, min_cell, row_totals=rows, col_totals=cols, grand_total=grand)
    cells = p.cells.to_numpy()
    # primary: every small cell (and small shown margin) is hidden
    assert cells[(counts > 0) & (counts < min_cell)].all()
    rs, cs = counts.sum(axis=1), counts.sum(axis=0)
    if rows:
        assert p.row_totals.to_numpy()[(rs > 0) & (rs < min_cell)].all()
    if cols:
        assert p.col_totals.to_numpy()[(cs > 0) & (cs < min_cell)].all()
    found = disclosures(
        counts,
        cells,
        p.row_totals.to_numpy(),
        p.col_totals.to_numpy(),
        p.grand_total,
        rows_shown=rows,
        cols_shown=cols,
        grand_shown=grand,
        min_cell=min_cell,
    )
    assert not found, (counts.tolist(), found)
    return p


# --------------------------------------------------------------------------- known cases


def test_checker_finds_the_old_leaks():
    """The checker itself bites: the old rule's outputs are flagged."""
    # issue 19: {"a": 3, "b": 0, "c": 0} with only 'a' hidden and the total shown
    c = np.array([[3], [0], [0]])
    assert disclosures(
        c,
        np.array([[True], [False], [False]]),
        np.zeros(3, bool),
        np.array([False]),
        False,
        rows_shown=False,
        cols_shown=True,
        grand_shown=False,
    ) == [(("c", 0, 0),)]
    # two hidden cells of 1 and 2 persons in a column: their sum (3 persons) is derivable
    c = np.array([[1, 10], [2, 10], [30, 10]])
    hidden = np.array([[True, False], [True, False], [False, False]])
    found = disclosures(
        c,
        hidden,
        np.zeros(3, bool),
        np.zeros(2, bool),
        False,
        rows_shown=False,
        cols_shown=True,
        grand_shown=True,
    )
    assert (("c", 0, 0), ("c", 1, 0)) in found


def test_issue_19_total_is_hidden_with_its_only_cell():
    s = pd.Series({"a": 3, "b": 0, "c": 0})
    assert suppression_mask(s, 5).tolist() == [True, False, False]
    p = protect(s.to_frame("n"), 5, row_totals=False, grand_total=False)
    assert bool(p.col_totals["n"])  # the total (3 persons) is hidden too
    p = _check(np.array([[3, 0], [10, 20]]), True, True, True)
    assert p.cells.iloc[0, 0] and p.row_totals.iloc[0]


def test_one_way_adds_a_complement():
    s = pd.Series({"a": 3, "b": 10, "c": 12, "d": 0})
    assert suppression_mask(s, 5).tolist() == [True, True, False, False]
    assert suppression_mask(s, 5, margins=False).tolist() == [True, False, False, False]


def test_union_of_small_cells_gets_a_complement():
    # 1 + 1 = 2 persons hidden: the total minus the rest gives their sum → hide 12 as well
    s = pd.Series({"a": 1, "b": 1, "c": 12, "d": 30})
    assert suppression_mask(s, 5).tolist() == [True, True, True, False]


def test_two_way_no_single_hidden_cell_in_any_line():
    t = np.array([[2, 30, 40], [25, 3, 50], [60, 70, 80]])
    p = _check(t, True, True, True)
    assert p.cells.iloc[0, 0] and p.cells.iloc[1, 1]


def test_bridge_between_two_hidden_rectangles_is_caught():
    # Two hidden 2x2 blocks joined by one more hidden cell: every row and column has at least
    # two hidden cells, yet the joining cell is determined (a local rule would miss it).
    t = np.array(
        [
            [2, 2, 9, 9],
            [2, 2, 9, 9],
            [9, 9, 2, 2],
            [9, 9, 2, 2],
        ]
    )
    _check(t, True, True, True)


# --------------------------------------------------------------------------- property tests


def test_random_tables_are_always_protected():
    """Seeded random two-way tables with zeros, every combination of shown margins."""
    rng = np.random.default_rng(20261127)
    for _ in range(150):
        shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        t = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 20], size=shape)
        rows, cols, grand = (bool(x) for x in rng.integers(0, 2, size=3))
        _check(t, rows, cols, grand)


def test_random_per_group_tables_hide_whole_rows():
    rng = np.random.default_rng(7)
    for _ in range(80):
        n = int(rng.integers(2, 7))
        frame = pd.DataFrame(
            {
                "group": [f"g{i}" for i in range(n)],
                "n_women": rng.choice([0, 1, 2, 3, 6, 15, 40], size=n),
                "n_men": rng.choice([0, 1, 3, 4, 8, 30], size=n),
            }
        )
        pt = protect_rows(frame, ["n_women", "n_men"], MIN)
        cells = pt.protection.cells.to_numpy()
        counts = frame[["n_women", "n_men"]].to_numpy()
        # whole rows: a hidden row hides every non-empty cell
        for i in range(n):
            if cells[i].any():
                assert cells[i][counts[i] > 0].all()
        found = disclosures(
            counts,
            cells,
            np.zeros(n, bool),
            pt.protection.col_totals.to_numpy(),
            pt.protection.grand_total,
            rows_shown=False,
            cols_shown=True,
            grand_shown=True,
        )
        assert not found, (counts.tolist(), found)
        shown = pt.shown()
        assert shown.loc[shown["suppressed"], ["n_women", "n_men"]].isna().all().all()


def test_property_with_hypothesis():
    hyp = pytest.importorskip("hypothesis")
    st = pytest.importorskip("hypothesis.strategies")

    @hyp.settings(max_examples=120, deadline=None, derandomize=True)
    @hyp.given(
        st.integers(1, 4).flatmap(
            lambda r: st.lists(
                st.lists(st.integers(0, 12), min_size=r, max_size=r), min_size=1, max_size=4
            )
        ),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.integers(3, 6),
    )
    def prop(rows, r, c, g, min_cell):
        _check(np.array(rows), r, c, g, min_cell)

    prop()


# --------------------------------------------------------------------------- small helpers


def test_primary_only_nonzero_small():
    assert primary_mask(pd.Series([0, 1, 4, 5])).tolist() == [False, True, True, False]


def test_suppress_sets_values_missing():
    df = pd.DataFrame({"n": [3, 10, 12], "rate": [0.5, 0.6, 0.7]})
    out = suppress(df, suppression_mask(df["n"], 5))
    assert out["rate"].isna().tolist() == [True, True, False]
    assert out["suppressed"].tolist() == [True, True, False]


def test_count_text_hides_small_counts():
    assert count_text(2, 5) == "færre enn 5"
    assert count_text(0, 5) == "0"
    assert count_text(12, 5) == "12"


def test_protected_table_value_is_none_when_hidden():
    frame = pd.DataFrame(
        {"group": ["a", "b", "c"], "n_women": [3, 20, 30], "n_men": [10, 20, 30], "m": [1.0, 2, 3]}
    )
    pt = protect_rows(frame, ["n_women", "n_men"], 5)
    assert isinstance(pt, ProtectedTable)
    assert pt.value("a", "m") is None
    assert "a" in pt.hidden_groups and len(pt.hidden_groups) >= 2


def test_hide_rows_hides_every_value_of_the_row_but_its_label():
    from analysis.disclosure.tables import hide_rows

    t = pd.DataFrame({"group": ["a", "b"], "n": [3, 10], "mean": [1.5, 2.0], "note": ["x", "y"]})
    out = hide_rows(t, [True, False], "group")
    assert out["group"].tolist() == ["a", "b"]
    assert np.isnan(out.loc[0, "n"]) and np.isnan(out.loc[0, "mean"]) and out.loc[0, "note"] is None
    assert (out.loc[1, "n"], out.loc[1, "mean"], out.loc[1, "note"]) == (10, 2.0, "y")
    assert out["suppressed"].tolist() == [True, False]
