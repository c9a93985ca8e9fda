"""Small-cell suppression: no hidden cell can be recovered from the margins."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from analysis.report.suppression import primary_mask, suppress, suppression_mask


def _recoverable(counts: np.ndarray, hide: np.ndarray) -> bool:
    """True if some hidden cell is the only hidden one in its row or column."""
    return bool((hide.sum(axis=1) == 1).any() or (hide.sum(axis=0) == 1).any())


def test_one_way_adds_a_complement():
    s = pd.Series({"a": 3, "b": 10, "c": 12, "d": 0})
    m = suppression_mask(s, 5)
    assert m.tolist() == [True, True, False, False]
    assert suppression_mask(s, 5, margins=False).tolist() == [True, False, False, False]


def test_two_way_no_single_hidden_cell_in_any_line():
    t = pd.DataFrame([[2, 30, 40], [25, 3, 50], [60, 70, 80]], columns=list("xyz"))
    m = suppression_mask(t, 5)
    assert m.iloc[0, 0] and m.iloc[1, 1]
    assert not _recoverable(t.to_numpy(), m.to_numpy())


def test_random_tables_are_always_protected():
    rng = np.random.default_rng(1)
    for _ in range(300):
        t = pd.DataFrame(rng.integers(0, 15, size=(rng.integers(2, 6), rng.integers(2, 6))))
        m = suppression_mask(t, 5).to_numpy()
        assert (m[(t.to_numpy() > 0) & (t.to_numpy() < 5)]).all()
        # every row/column with a hidden cell has at least two (unless nothing else to hide)
        for i, j in itertools.product(range(t.shape[0]), range(t.shape[1])):
            if m[i, j]:
                row_ok = m[i].sum() >= 2 or ((t.to_numpy()[i] > 0) & ~m[i]).sum() == 0
                col_ok = m[:, j].sum() >= 2 or ((t.to_numpy()[:, j] > 0) & ~m[:, j]).sum() == 0
                assert row_ok and col_ok


def test_primary_only_nonzero_small():
    assert primary_mask(pd.Series([0, 1, 4, 5])).tolist() == [False, True, True, False]


def test_suppress_sets_values_missing():
    df = pd.DataFrame({"n": [3, 10, 12], "rate": [0.5, 0.6, 0.7]})
    out = suppress(df, suppression_mask(df["n"], 5))
    assert out["rate"].isna().tolist() == [True, True, False]
    assert out["suppressed"].tolist() == [True, True, False]
