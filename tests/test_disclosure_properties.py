"""Property-based tests (hypothesis) of the disclosure rule through ``analysis.disclosure``.

The rule (``docs/methods.md``, "Personvern og prikking"; the module docstring of
:mod:`analysis.disclosure.tables`): *no hidden value can be derived from anything that is
shown*. For random tables with many zeros and every combination of published margins, the
published table is turned into the linear system a reader can write down (each published
margin = the sum of its cells; shown values are known, hidden ones unknown). A hidden value –
or a sum of hidden values over 1 … min_cell − 1 persons – can be derived exactly when its
indicator vector lies in the row space of that system (Hundepool et al. 2012, *Statistical
Disclosure Control*, sec. 4.3). The check here uses floating-point matrix ranks (numpy's SVD),
independently of the module's own exact elimination and of the rational checker in
``test_suppression.py``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.disclosure import DEFAULT_MIN_CELL, protect, suppression_mask

# zeros are common in real tables (a job group without women); small cells too
value = st.sampled_from([0, 0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30])


def _derivable(a: np.ndarray, v: np.ndarray) -> bool:
    """True when ``v · u`` is determined by ``a u = b`` (v in the row space of a)."""
    if a.size == 0:
        return False
    return np.linalg.matrix_rank(np.vstack([a, v])) == np.linalg.matrix_rank(a)


def _leaks(
    counts: np.ndarray,
    hidden: np.ndarray,
    rows: bool,
    cols: bool,
    grand: bool,
    row_hidden: np.ndarray,
    col_hidden: np.ndarray,
    grand_hidden: bool,
    min_cell: int,
) -> list:
    n_r, n_c = counts.shape
    # the unknowns: hidden cells, then hidden margins that are published (as unknowns)
    unknown = [("cell", i, j) for i in range(n_r) for j in range(n_c) if hidden[i, j]]
    unknown += [("row", i) for i in range(n_r) if rows and row_hidden[i]]
    unknown += [("col", j) for j in range(n_c) if cols and col_hidden[j]]
    if grand and grand_hidden:
        unknown.append(("grand",))
    pos = {u: k for k, u in enumerate(unknown)}
    eqs = []

    def equation(total_key, members):
        # members − total = 0; known terms drop into the right-hand side (not needed here)
        e = np.zeros(len(unknown))
        for m in members:
            if m in pos:
                e[pos[m]] += 1
        if total_key in pos:
            e[pos[total_key]] -= 1
        if e.any():
            eqs.append(e)

    if rows:
        for i in range(n_r):
            equation(("row", i), [("cell", i, j) for j in range(n_c)])
    if cols:
        for j in range(n_c):
            equation(("col", j), [("cell", i, j) for i in range(n_r)])
    if grand:
        equation(("grand",), [("cell", i, j) for i in range(n_r) for j in range(n_c)])
        if rows:
            equation(("grand",), [("row", i) for i in range(n_r)])
        if cols:
            equation(("grand",), [("col", j) for j in range(n_c)])
    a = np.array(eqs) if eqs else np.zeros((0, len(unknown)))
    cells = [u for u in unknown if u[0] == "cell"]
    leaks = []
    for size in (1, 2, 3):
        for subset in itertools.combinations(cells, size):
            total = sum(counts[i, j] for _, i, j in subset)
            if size > 1 and not 0 < total < min_cell:
                continue
            v = np.zeros(len(unknown))
            for s in subset:
                v[pos[s]] = 1
            if _derivable(a, v):
                leaks.append((subset, total))
    return leaks


table = st.integers(1, 4).flatmap(
    lambda n_c: st.lists(st.lists(value, min_size=n_c, max_size=n_c), min_size=1, max_size=4)
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(table, st.booleans(), st.booleans(), st.booleans(), st.integers(3, 6))
def test_no_hidden_value_is_derivable_from_the_published_margins(rows, r, c, g, min_cell):
    counts = np.array(rows)
    frame = pd.DataFrame(counts)
    p = protect(frame, min_cell, row_totals=r, col_totals=c, grand_total=g)
    hidden = p.cells.to_numpy()
    # primary suppression: every cell of 1 … min_cell − 1 persons is hidden, no zero is
    small = (counts > 0) & (counts < min_cell)
    assert (hidden[small]).all()
    assert not hidden[counts == 0].any()
    # a published margin that is itself small is hidden
    if r:
        assert p.row_totals[(counts.sum(1) > 0) & (counts.sum(1) < min_cell)].all()
    if c:
        assert p.col_totals[(counts.sum(0) > 0) & (counts.sum(0) < min_cell)].all()
    if g and 0 < counts.sum() < min_cell:
        assert p.grand_total
    leaks = _leaks(
        counts,
        hidden,
        r,
        c,
        g,
        p.row_totals.to_numpy(),
        p.col_totals.to_numpy(),
        p.grand_total,
        min_cell,
    )
    assert leaks == [], leaks


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(value, min_size=1, max_size=6))
def test_one_way_table_with_its_total(values):
    """A one-way table whose total is published: a hidden value is never alone behind the
    total, and the hidden values together hold 0 or at least ``min_cell`` persons – or the
    total is hidden (``protect``'s column total)."""
    s = pd.Series(values, index=[f"k{i}" for i in range(len(values))])
    mask = suppression_mask(s)
    p = protect(s.to_frame("n"), row_totals=False, col_totals=True, grand_total=False)
    assert mask.tolist() == p.cells["n"].tolist()
    hidden = s[mask]
    assert ((s > 0) & (s < DEFAULT_MIN_CELL))[~mask].sum() == 0
    if not bool(p.col_totals["n"]):
        assert len(hidden) != 1
        assert hidden.sum() == 0 or hidden.sum() >= DEFAULT_MIN_CELL


def test_the_issue_19_example_hides_the_total():
    """``{a: 3, b: 0, c: 0}`` with its total: the total equals ``a``, so it is hidden too."""
    p = protect(
        pd.Series({"a": 3, "b": 0, "c": 0}).to_frame("n"),
        row_totals=False,
        col_totals=True,
        grand_total=False,
    )
    assert p.cells["n"].tolist() == [True, False, False]
    assert bool(p.col_totals["n"])
