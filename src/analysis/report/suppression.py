"""Disclosure control for tables computed from person-level data.

Primary suppression hides every cell with fewer than ``min_cell`` persons (but more than
zero). Secondary (complementary) suppression then makes sure no hidden cell can be recovered
by subtraction from a published row or column total: any row or column of the table that
holds exactly one hidden cell gets its smallest other non-empty cell hidden too, repeated
until no row or column has a single hidden cell. This is the classic hypercube heuristic for
two-dimensional tables with margins (Giessing & Repsilber 2002; SSB's practice as described
in Statistisk sentralbyrå, "Konfidensialitet i statistikk", and the tau-argus manual,
Hundepool et al. 2014, sec. 4.4). It is not optimal (it may hide more than strictly needed)
but it is safe for tables whose margins are published.

Published figures are shown as published and are never passed through this module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_MIN_CELL = 5


def primary_mask(counts: pd.DataFrame | pd.Series, min_cell: int = DEFAULT_MIN_CELL):
    """True where a cell has between 1 and ``min_cell − 1`` persons."""
    return (counts > 0) & (counts < min_cell)


def suppression_mask(
    counts: pd.DataFrame | pd.Series,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    margins: bool = True,
) -> pd.DataFrame | pd.Series:
    """Cells to hide in a table of person counts (primary and secondary suppression).

    Parameters
    ----------
    counts
        Number of persons behind each cell: a Series (one-way table) or a DataFrame (two-way
        table, rows × columns). Missing counts are treated as 0.
    min_cell
        Smallest number of persons a published cell may rest on.
    margins
        Whether row/column totals (or, for a Series, the grand total) are published alongside;
        only then is secondary suppression needed.

    Returns
    -------
    Same shape as ``counts``, boolean: True = hide.

    Examples
    --------
    >>> s = pd.Series({"a": 3, "b": 10, "c": 12})
    >>> suppression_mask(s).tolist()   # 'a' alone would be recoverable from the total
    [True, True, False]
    """
    values = counts.fillna(0).to_numpy(dtype=float)
    one_dim = values.ndim == 1
    grid = values.reshape(1, -1) if one_dim else values.copy()
    hide = (grid > 0) & (grid < min_cell)
    if margins and hide.any():
        changed = True
        while changed:
            changed = False
            for axis in (1, 0):  # rows, then columns
                lines = grid.shape[0] if axis == 1 else grid.shape[1]
                if one_dim and axis == 0:
                    continue
                for i in range(lines):
                    h = hide[i, :] if axis == 1 else hide[:, i]
                    v = grid[i, :] if axis == 1 else grid[:, i]
                    if h.sum() != 1:
                        continue
                    candidates = np.flatnonzero(~h & (v > 0))
                    if candidates.size == 0:
                        continue
                    j = candidates[np.argmin(v[candidates])]
                    if axis == 1:
                        hide[i, j] = True
                    else:
                        hide[j, i] = True
                    changed = True
    if one_dim:
        return pd.Series(hide[0], index=counts.index)
    return pd.DataFrame(hide, index=counts.index, columns=counts.columns)


def suppress(
    frame: pd.DataFrame, mask: pd.Series, columns: list[str] | None = None
) -> pd.DataFrame:
    """Set ``columns`` (default: all numeric) to NaN on the rows where ``mask`` is True.

    Adds a boolean column ``suppressed`` so reports can print ``:`` instead of a dash.
    """
    out = frame.copy()
    cols = columns if columns is not None else list(out.select_dtypes("number").columns)
    m = mask.reindex(out.index).fillna(False).astype(bool).to_numpy()
    for c in cols:
        out[c] = out[c].astype(float)
        out.loc[m, c] = np.nan
    out["suppressed"] = m
    return out
