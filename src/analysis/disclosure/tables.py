"""Disclosure control: the one layer every number from person-level data passes through.

The rule (``docs/methods.md``, "Personvern og prikking"): *a value hidden anywhere is hidden
everywhere, and no hidden value can be derived from anything that is shown.* A value is hidden
when it rests on between 1 and ``min_cell − 1`` persons (primary suppression). Because reports
also show totals (margins), more values are hidden (secondary suppression) until, for every
shown margin,

* no hidden value is the only hidden one behind it (else margin − shown cells gives it), and
* the hidden values behind it together hold 0 or at least ``min_cell`` persons (else the
  difference is an aggregate of fewer than ``min_cell`` persons);

when no further cell is left to hide, the margin itself is hidden. A final exact audit treats
every shown table as a system of linear equations (each margin = the sum of its cells) and
checks that no hidden value, and no sum of hidden values over fewer than ``min_cell`` persons,
lies in the row space of that system, i.e. can be solved for (the "linear attack" of
Hundepool et al. 2012, *Statistical Disclosure Control*, sec. 4.3; Giessing & Repsilber 2002
for the hypercube heuristic used to pick the complements). The audit hides more cells until
it passes.

Report code gets values to print only through this module:

* :func:`protect` – a two-way (or one-way) table of person counts → :class:`Protection`
  (what is hidden, why, and which margins are hidden);
* :func:`protect_rows` – a per-group table with per-gender (or other) counts →
  :class:`ProtectedTable`, whose :meth:`ProtectedTable.shown` is the only frame reports print
  (hidden values are NaN/None and ``suppressed`` is True; counts of hidden rows are hidden too);
* :func:`small` / :func:`count_or_none` / :func:`count_text` – for scalars and sentences.

Published figures (``data/raw/published``) are shown exactly as published and never pass
through this module.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_MIN_CELL",
    "ProtectedTable",
    "Protection",
    "complement_count",
    "count_or_none",
    "count_text",
    "hide_rows",
    "joint_audit",
    "primary_mask",
    "protect",
    "protect_rows",
    "small",
    "suppress",
    "suppression_mask",
]

DEFAULT_MIN_CELL = 5

#: hidden because the cell itself is small / to protect another hidden cell
PRIMARY, SECONDARY = "primary", "secondary"

#: key of a margin (total) in :func:`protect`'s ``force``
MARGIN = "__margin__"


def small(n: Any, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """True when ``n`` persons (1 ≤ n < ``min_cell``) is too few to publish anything about.

    A missing count is treated as small (nothing is known, so nothing is shown).
    """
    if n is None or (isinstance(n, float) and not np.isfinite(n)) or pd.isna(n):
        return True
    return 0 < float(n) < min_cell


def count_or_none(n: Any, min_cell: int = DEFAULT_MIN_CELL) -> int | None:
    """A person count ready to print: None when it is small (see :func:`small`)."""
    return None if small(n, min_cell) else int(n)


def complement_count(part: Any, total: Any, min_cell: int = DEFAULT_MIN_CELL) -> int | None:
    """A count of a subset ready to print next to the shown ``total``: None when the rest is small.

    ``total − part`` persons are those left out (e.g. the men in job groups without women,
    outside the Oaxaca–Blinder sample); printing ``part`` beside ``total`` gives them away,
    so ``part`` is hidden when between 1 and ``min_cell − 1`` persons are left out.
    """
    if part is None or pd.isna(part):
        return None
    rest = float(total) - float(part) if total is not None and not pd.isna(total) else np.nan
    return None if small(rest, min_cell) and rest != 0 else int(part)


def count_text(n: Any, min_cell: int = DEFAULT_MIN_CELL) -> str:
    """A count for a sentence: the number, or «færre enn ``min_cell``» when it is small."""
    from analysis.render.formatting import fmt_int

    return f"færre enn {min_cell}" if small(n, min_cell) else fmt_int(n)


def primary_mask(counts: pd.DataFrame | pd.Series, min_cell: int = DEFAULT_MIN_CELL):
    """True where a cell has between 1 and ``min_cell − 1`` persons."""
    return (counts > 0) & (counts < min_cell)


def hide_rows(table: pd.DataFrame, mask: Any, group_col: str) -> pd.DataFrame:
    """``table`` with every value of the rows where ``mask`` is True hidden (counts too):
    numbers become NaN, text and flags None; ``suppressed`` marks the rows. Only
    ``group_col`` (the row's label) stays."""
    out = table.copy()
    hidden = np.asarray(mask, dtype=bool)
    for c in out.columns:
        if c == group_col:
            continue
        if pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c]):
            out[c] = out[c].astype(float)
            out.loc[hidden, c] = float("nan")
        else:  # text (object or string dtype), flags, categories: nothing of it is shown
            out[c] = out[c].astype(object)
            out.loc[hidden, c] = None
    out["suppressed"] = hidden
    return out


# --------------------------------------------------------------------------- two-way tables


@dataclass(frozen=True)
class Protection:
    """What to hide in a table of person counts and its margins.

    Attributes
    ----------
    cells
        Boolean frame like the counts: True = hide the cell.
    reason
        ``"primary"``, ``"secondary"`` or ``""`` per cell.
    row_totals, col_totals
        Boolean Series: True = hide that row's / column's total (only meaningful for the
        margins the table shows).
    grand_total
        True = hide the grand total.
    """

    cells: pd.DataFrame
    reason: pd.DataFrame
    row_totals: pd.Series
    col_totals: pd.Series
    grand_total: bool


def protect(
    counts: pd.DataFrame,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    grand_total: bool = True,
    whole_rows: bool = False,
    force: Any = (),
) -> Protection:
    """Primary and secondary suppression of a two-way table against the margins it shows.

    Parameters
    ----------
    counts
        Persons behind each cell (rows × columns); missing = 0.
    min_cell
        Smallest number of persons a shown value (or a derivable sum) may rest on.
    row_totals, col_totals, grand_total
        Which margins are shown anywhere under the output folder. A margin that is not shown
        is unknown to a reader and gives no equation.
    whole_rows
        Hide every cell of a row when one is hidden (for per-group tables whose other
        columns – a gap, a ratio – combine the row's cells).
    force
        Cells to hide whatever their size, as ``(row, column)`` keys; :data:`MARGIN` as the
        row (column) key stands for a column (row) total, ``(MARGIN, MARGIN)`` for the grand
        total. Used when another table of the same people requires it (:func:`joint_audit`);
        secondary suppression then protects these cells like any other hidden one.

    Returns
    -------
    Protection
    """
    inner = counts.fillna(0).to_numpy(dtype=float)
    n_r, n_c = inner.shape
    g = np.zeros((n_r + 1, n_c + 1))
    g[:n_r, :n_c] = inner
    g[:n_r, n_c] = inner.sum(axis=1)
    g[n_r, :n_c] = inner.sum(axis=0)
    g[n_r, n_c] = inner.sum()
    shown = np.zeros_like(g, dtype=bool)
    shown[:n_r, :n_c] = True
    shown[:n_r, n_c] = row_totals
    shown[n_r, :n_c] = col_totals
    shown[n_r, n_c] = grand_total
    hide = shown & (g > 0) & (g < min_cell)
    primary = hide.copy()
    rows_pos = {k: i for i, k in enumerate(counts.index)} | {MARGIN: n_r}
    cols_pos = {k: j for j, k in enumerate(counts.columns)} | {MARGIN: n_c}
    for r_key, c_key in force:
        k = (rows_pos[r_key], cols_pos[c_key])
        if shown[k] and g[k] > 0:
            hide[k] = True
    lines = _lines(n_r, n_c)

    for _ in range(10 * g.size + 10):
        changed = _heuristic_pass(g, shown, hide, lines, min_cell, n_r, n_c, whole_rows)
        if not changed:
            changed = _audit_pass(g, shown, hide, lines, min_cell, n_r, n_c)
        if not changed:
            break
    else:  # pragma: no cover - the loop only ever adds cells, so it ends
        raise RuntimeError("den sekundære prikkingen konvergerte ikke")

    cells = pd.DataFrame(hide[:n_r, :n_c], index=counts.index, columns=counts.columns)
    reason = pd.DataFrame(
        np.where(primary[:n_r, :n_c], PRIMARY, np.where(hide[:n_r, :n_c], SECONDARY, "")),
        index=counts.index,
        columns=counts.columns,
    )
    return Protection(
        cells=cells,
        reason=reason,
        row_totals=pd.Series(hide[:n_r, n_c] & row_totals, index=counts.index),
        col_totals=pd.Series(hide[n_r, :n_c] & col_totals, index=counts.columns),
        grand_total=bool(hide[n_r, n_c] and grand_total),
    )


def _lines(n_r: int, n_c: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Every equation of the augmented table: (its cells, its margin)."""
    out = [([(i, j) for j in range(n_c)], (i, n_c)) for i in range(n_r + 1)]
    out += [([(i, j) for i in range(n_r)], (n_r, j)) for j in range(n_c + 1)]
    return out


def _hide_one(g, shown, hide, members, margin) -> bool:
    """Hide the smallest shown non-empty cell of a line, else its margin. True if changed."""
    cand = [k for k in members if shown[k] and not hide[k] and g[k] > 0]
    if cand:
        k = min(cand, key=lambda k: (g[k], k))
        hide[k] = True
        return True
    if shown[margin] and not hide[margin]:
        hide[margin] = True
        return True
    return False


def _heuristic_pass(g, shown, hide, lines, min_cell, n_r, n_c, whole_rows) -> bool:
    changed = False
    if whole_rows:
        for i in range(n_r):
            if hide[i, :n_c].any():
                for j in range(n_c):
                    if shown[i, j] and not hide[i, j] and g[i, j] > 0:
                        hide[i, j] = changed = True
    for members, margin in lines:
        if not shown[margin] or hide[margin]:
            # the margin is unknown: it is determined when all its cells are known
            if hide[margin] and g[margin] > 0:
                if not any((hide[k] or not shown[k]) and g[k] > 0 for k in members):
                    changed |= _hide_one(g, shown, hide, members, margin)
            continue
        unknown = [k for k in members if (hide[k] or not shown[k]) and g[k] > 0]
        if not any(hide[k] for k in unknown):
            continue  # only values that are not shown anyway: nothing to protect here
        persons = sum(g[k] for k in unknown)
        if len(unknown) == 1 or persons < min_cell:
            changed |= _hide_one(g, shown, hide, members, margin)
    return changed


def _audit_pass(g, shown, hide, lines, min_cell, n_r, n_c) -> bool:
    """Exact linear audit; hides one more value for the first disclosure found.

    The attacker's equations are the shown margins (margin = sum of its cells). A quantity
    is derivable when its coefficient vector lies in the row space of those equations after
    the unknowns that are not shown at all are eliminated. With the equations in reduced row
    echelon form (unshown unknowns first), that subspace is spanned by the rows whose pivot
    is a hidden value, and every 0/1 vector in it is a 0/1 combination of those rows (its
    pivot coordinates are the coefficients). Up to 16 such rows all 2^k combinations are
    tried; beyond that, the combinations that can give a disclosure (see
    :func:`_leak_combinations`). Either way every derivable hidden value and every derivable
    sum of hidden values over fewer than ``min_cell`` persons is found.
    """
    cells = [(i, j) for i in range(n_r + 1) for j in range(n_c + 1)]
    unshown = [k for k in cells if not shown[k]]
    hidden = [k for k in cells if shown[k] and hide[k]]
    if not hidden:
        return False
    order = unshown + hidden
    pos = {k: p for p, k in enumerate(order)}
    rows = []
    for members, margin in lines:
        if margin in pos or any(k in pos for k in members):
            v = np.zeros(len(order))
            for k in members:
                if k in pos:
                    v[pos[k]] = 1.0
            if margin in pos:
                v[pos[margin]] = -1.0
            rows.append(v)
    if not rows:
        return False
    echelon = [(piv, r) for piv, r in _rref(np.array(rows)) if piv >= len(unshown)]
    if not echelon:
        return False
    b = np.array([r[len(unshown) :] for _, r in echelon])
    persons = np.array([g[k] for k in hidden])
    n_basis = b.shape[0]
    if n_basis <= 16:
        combos = itertools.product((0.0, 1.0), repeat=n_basis)
    else:  # far larger tables than any report shows: 2^k is too many
        pivot_persons = [float(persons[piv - len(unshown)]) for piv, _ in echelon]
        combos = _leak_combinations(pivot_persons, min_cell)
    for a in combos:
        if not any(a):
            continue
        v = np.asarray(a) @ b
        if not np.all((np.abs(v) < 1e-9) | (np.abs(v - 1) < 1e-9)):
            continue
        chosen = np.abs(v - 1) < 1e-9
        n = float(persons[chosen].sum())
        if n == 0 or (chosen.sum() > 1 and n >= min_cell):
            continue
        combo = [hidden[i] for i in np.flatnonzero(chosen)]
        for members, margin in lines:
            if any(k in members for k in combo) and shown[margin] and not hide[margin]:
                if _hide_one(g, shown, hide, members, margin):
                    return True
        # determined through a chain of equations: hide more where the unknowns are
        for members, margin in lines:
            touches = margin in pos or any(k in pos for k in members)
            if touches and shown[margin] and not hide[margin]:
                if _hide_one(g, shown, hide, members, margin):
                    return True
        # no shown margin is left on that chain (e.g. a forced grand total when no other
        # margin is shown: it is the sum of the shown cells): hide a cell on it
        for members, margin in lines:
            if margin in pos or any(k in pos for k in members):
                if _hide_one(g, shown, hide, members, margin):
                    return True
        raise RuntimeError("en skjult verdi kan regnes ut, men det er ingenting igjen å skjule")
    return False


def _leak_combinations(pivot_persons: list[float], min_cell: int):
    """The 0/1 combinations of the echelon rows that can give a disclosure, when there are
    too many rows to try all 2^k.

    A combination gives the 0/1 vector whose value at each row's pivot is that row's
    coefficient, so its chosen hidden values include the pivot of every row it uses. A single
    derivable value therefore comes from a single row, and a derivable sum of several hidden
    values over fewer than ``min_cell`` persons only from rows whose pivots together hold fewer
    than ``min_cell`` persons. This yields every single row, then every set of two or more
    rows whose pivots hold fewer than ``min_cell`` persons (a depth-first search over the rows
    with small pivots), so the search stays exact: a sum of four one-person cells is found
    in a table of any size.
    """
    k = len(pivot_persons)

    def vector(picked: list[int]) -> tuple[float, ...]:
        return tuple(1.0 if i in picked else 0.0 for i in range(k))

    for i in range(k):
        yield vector([i])
    small_rows = [i for i in range(k) if pivot_persons[i] < min_cell]

    def extend(start: int, picked: list[int], total: float):
        for at in range(start, len(small_rows)):
            i = small_rows[at]
            held = total + pivot_persons[i]
            if held >= min_cell:
                continue
            more = [*picked, i]
            if len(more) > 1:
                yield vector(more)
            yield from extend(at + 1, more, held)

    yield from extend(0, [], 0.0)


def _rref(m: np.ndarray, tol: float = 1e-9) -> list[tuple[int, np.ndarray]]:
    """Reduced row echelon form of ``m``: (pivot column, row) for each non-zero row."""
    a = m.astype(float).copy()
    n_rows, n_cols = a.shape
    out_rows, r = [], 0
    for c in range(n_cols):
        if r == n_rows:
            break
        p = r + int(np.argmax(np.abs(a[r:, c])))
        if abs(a[p, c]) < tol:
            continue
        a[[r, p]] = a[[p, r]]
        a[r] /= a[r, c]
        for i in range(n_rows):
            if i != r and abs(a[i, c]) > tol:
                a[i] -= a[i, c] * a[r]
        out_rows.append(c)
        r += 1
    return [(c, a[i]) for i, c in enumerate(out_rows)]


def suppression_mask(
    counts: pd.DataFrame | pd.Series,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    margins: bool = True,
    force: Any = (),
) -> pd.DataFrame | pd.Series:
    """Cells to hide in a table of person counts (primary and secondary suppression).

    A Series is a one-way table whose total is shown when ``margins``; a DataFrame a two-way
    table whose row, column and grand totals are shown when ``margins``. Callers that also
    show the margins must use :func:`protect`, which says whether a margin must be hidden too
    (it is, when it is itself small). ``force``: index labels (Series) or ``(row, column)``
    keys (DataFrame) to hide whatever their size (see :func:`protect`).

    Examples
    --------
    >>> s = pd.Series({"a": 3, "b": 10, "c": 12})
    >>> suppression_mask(s).tolist()   # 'a' alone would be recoverable from the total
    [True, True, False]
    """
    if isinstance(counts, pd.Series):
        p = protect(
            counts.to_frame("n"),
            min_cell,
            row_totals=False,
            col_totals=margins,
            grand_total=False,
            force=[(k, "n") for k in force],
        )
        return p.cells["n"].rename(counts.name)
    p = protect(
        counts,
        min_cell,
        row_totals=margins,
        col_totals=margins,
        grand_total=margins,
        force=force,
    )
    return p.cells


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


# --------------------------------------------------------------------------- linked tables


def joint_audit(
    atoms: pd.Series,
    cells: dict[Any, pd.Series],
    hidden: Any,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    margins: Any = (),
    max_subset: int = 4,
) -> Any:
    """Exact linear audit of several tables that split the *same* people differently.

    Each table is protected against its own margins by :func:`protect`; a reader of two
    tables (job group × gender and age band × gender) has more equations: when the men under
    30 are exactly the apprentices and the consultants, «under 30, men» minus «consultants,
    men» gives the hidden apprentices. Here every shown value is written as the sum over
    *atoms* (the cells of the cross-classification of every split, e.g. job group × age band
    × gender) it covers; a hidden value, or a sum over fewer than ``min_cell`` persons, is
    derivable when its atom vector lies in the row space of the shown values' vectors
    (Hundepool et al. 2012, sec. 4.3 and 4.6 on linked tables). Empty atoms are treated as
    known zeros (the reader may know them), which only makes the audit stricter.

    Parameters
    ----------
    atoms
        Persons per atom (index: atom keys).
    cells
        Every value the tables show or hide: key → boolean Series over ``atoms.index`` (True
        for the atoms the value sums over). Margins are cells too.
    hidden
        Keys of ``cells`` that are hidden.
    min_cell
        Smallest number of persons a derivable value may rest on.
    margins
        Keys that are margins: hidden only when no other shown value touches the leak.
    max_subset
        Largest number of small atoms combined when searching for derivable small sums.

    Returns
    -------
    key or None
        A shown cell to hide next (the smallest shown non-margin value that covers the
        derivable atoms), or None when nothing hidden is derivable. Callers hide it (with
        :func:`protect`'s ``force``, so that its own table is protected again) and call
        again until None.
    """
    n = atoms.to_numpy(dtype=float)
    live = n > 0
    n = n[live]
    hidden = set(hidden)
    vec = {
        k: m.reindex(atoms.index, fill_value=False).to_numpy(dtype=bool)[live]
        for k, m in cells.items()
    }
    shown_keys = [k for k in cells if k not in hidden and vec[k].any()]
    leak = _joint_leak(n, vec, [k for k in cells if k in hidden], shown_keys, min_cell, max_subset)
    if leak is None:
        return None
    # hide the most expendable shown values whose removal stops the derivation (a value
    # that takes part in it need not cover the leaked atoms: «consultants, men» above).
    # Remove in order of preference until the leak is closed, then put back what is not
    # needed, and name the first of what is left (its own table is then protected again).
    margins = set(margins)
    order = {k: i for i, k in enumerate(cells)}
    ranked = sorted(shown_keys, key=lambda k: (k in margins, float(n[vec[k]].sum()), order[k]))

    def closed(removed: set) -> bool:
        rest = [vec[j] for j in shown_keys if j not in removed]
        return not _in_span(_null_space(rest, len(n)), leak)

    removed: set = set()
    for k in ranked:
        removed.add(k)
        if closed(removed):
            break
    for k in reversed(ranked):
        if k in removed and closed(removed - {k}):
            removed.discard(k)
    return next(k for k in ranked if k in removed)


def _null_space(rows: list[np.ndarray], n_atoms: int) -> np.ndarray:
    """Basis (atoms × k) of the vectors orthogonal to every row; identity without rows."""
    if not rows:
        return np.eye(n_atoms)
    a = np.array(rows, dtype=float)
    _, sv, vt = np.linalg.svd(a)
    rank = int((sv > 1e-9 * max(1.0, float(sv.max()))).sum())
    return vt[rank:].T


def _in_span(null: np.ndarray, v: np.ndarray) -> bool:
    """True when ``v`` is a linear combination of the rows whose null space is ``null``."""
    return null.shape[1] == 0 or bool(np.all(np.abs(v.astype(float) @ null) < 1e-8))


def _joint_leak(n, vec, hidden_keys, shown_keys, min_cell, max_subset):
    """The atom vector of the first derivable hidden value or small sum, else None."""
    null = _null_space([vec[k] for k in shown_keys], len(n))
    for k in hidden_keys:
        if vec[k].any() and _in_span(null, vec[k]):
            return vec[k]
    small_atoms = [int(i) for i in np.flatnonzero((n > 0) & (n < min_cell))]
    for size in range(1, max_subset + 1):
        for combo in itertools.combinations(small_atoms, size):
            if n[list(combo)].sum() >= min_cell:
                continue
            v = np.zeros(len(n), dtype=bool)
            v[list(combo)] = True
            if _in_span(null, v):
                return v
    return None


# --------------------------------------------------------------------------- per-group tables


@dataclass(frozen=True)
class ProtectedTable:
    """A per-group table from person-level data with its disclosure decisions.

    Build it with :func:`protect_rows`; print only :meth:`shown` (or :meth:`value`).

    Attributes
    ----------
    protection
        The decisions on the counts grid (rows = groups, columns = ``count_cols``).
    min_cell
        The threshold used.
    """

    _frame: pd.DataFrame = field(repr=False)
    protection: Protection
    min_cell: int
    group_col: str

    @property
    def hidden(self) -> pd.Series:
        """True for the rows (groups) whose values are hidden."""
        return self.protection.cells.any(axis=1).reindex(self._frame.index, fill_value=False)

    def shown(self) -> pd.DataFrame:
        """The table as it may be printed: hidden rows' values (counts too) NaN/None."""
        return hide_rows(self._frame, self.hidden.to_numpy(), self.group_col)

    def value(self, group: Any, column: str) -> Any:
        """One value, None when its row is hidden."""
        t = self.shown().set_index(self.group_col)
        v = t.loc[group, column]
        return None if pd.isna(v) else v

    @property
    def hidden_groups(self) -> list[Any]:
        return self._frame.loc[self.hidden.to_numpy(), self.group_col].tolist()


def protect_rows(
    frame: pd.DataFrame,
    count_cols: list[str],
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    group_col: str = "group",
    col_totals: bool = True,
    grand_total: bool = True,
    row_totals: bool = False,
    whole_rows: bool = True,
    force: Any = (),
) -> ProtectedTable:
    """Protect a per-group table (one row per group) against its shown margins.

    ``count_cols`` are the persons behind each row's values per column of the underlying
    two-way table (e.g. ``["n_women", "n_men"]``); the margins are the column totals (e.g. the
    overall mean of each gender, shown in the text and the key figures) and the grand total.
    A row is hidden as a whole when any of its cells is (its gap combines both).
    ``force``: ``(group, count column)`` cells to hide whatever their size (see :func:`protect`).
    """
    counts = frame[count_cols].astype(float)
    pos = {g: i for i, g in zip(frame.index, frame[group_col], strict=True)}
    force = [(pos[g], c) for g, c in force if g in pos]
    p = protect(
        counts,
        min_cell,
        row_totals=row_totals,
        col_totals=col_totals,
        grand_total=grand_total,
        whole_rows=whole_rows,
        force=force,
    )
    return ProtectedTable(_frame=frame.copy(), protection=p, min_cell=min_cell, group_col=group_col)


# --------------------------------------------------------------------------- decompositions


def protect_nopo(nopo: Any, hidden_groups: Any) -> Any:
    """The Ñopo result as it may be shown: hidden parts NaN, hidden groups' rows NaN.

    See :func:`nopo_parts` for which parts are hidden. ``per_group`` keeps its rows (so the
    common support reads the same) with every value of a hidden group set to NaN.
    """
    import dataclasses

    hidden = set(hidden_groups)
    if not hidden:
        return nopo
    parts = nopo_parts(nopo, hidden)
    pg = nopo.per_group.copy()
    rows = pg["group"].isin(hidden).to_numpy()
    for c in pg.columns:
        if c != "group" and pd.api.types.is_numeric_dtype(pg[c]):
            pg[c] = pg[c].astype(float)
            pg.loc[rows, c] = float("nan")
    nan = float("nan")
    return dataclasses.replace(
        nopo, per_group=pg, **{k: (nan if v is None else v) for k, v in parts.items()}
    )


def nopo_parts(nopo: Any, hidden_groups: Any) -> dict[str, float | None]:
    """The Ñopo (2008) parts as they may be shown, given the hidden groups.

    A part outside the common support rests only on the groups with one gender; it is hidden
    (None) when such a group is hidden. Because the parts sum exactly to the total gap (a
    shown margin), hiding one part alone would not protect it: the composition part is then
    hidden too, so that what can be derived (total − within-group part) mixes every group.

    Parameters
    ----------
    nopo
        :class:`analysis.paygap.nopo.NopoResult`.
    hidden_groups
        Groups hidden by :func:`protect_rows` (empty for published cells).
    """
    parts = {k: float(v) for k, v in nopo.to_dict().items()}
    hidden = set(hidden_groups)
    if not hidden:
        return dict(parts)
    pg = nopo.per_group
    men_only = set(pg.loc[(pg["n_women"].fillna(0) == 0) & (pg["n_men"] > 0), "group"])
    women_only = set(pg.loc[(pg["n_men"].fillna(0) == 0) & (pg["n_women"] > 0), "group"])
    out: dict[str, float | None] = dict(parts)
    if men_only & hidden:
        out["men_outside_support"] = None
    if women_only & hidden:
        out["women_outside_support"] = None
    if out["men_outside_support"] is None or out["women_outside_support"] is None:
        out["composition"] = None
    return out
