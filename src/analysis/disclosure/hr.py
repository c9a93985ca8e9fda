"""One disclosure decision for every table built from the HR file (pay gap and sick leave).

The pay-gap report and the sick-leave report show the same employees: the pay report per job
group × gender (counts and pay, a group hidden as a whole), the sick-leave report per job
group × gender and per age band × gender (counts and rates, with «i alt» margins). A reader
who has both reports has every table at once, so they are protected together:

* each table gets primary and secondary suppression against its own margins
  (:func:`analysis.disclosure.tables.protect` / :func:`analysis.disclosure.tables.protect_rows`);
* a job group × gender cell hidden in one report is hidden in the other (the pay report
  hides the whole group; the sick-leave table then hides both genders' cells), and a gender
  total hidden in one sick-leave table is hidden in both and in the gender table;
* :func:`analysis.disclosure.tables.joint_audit` checks all shown values as one system of equations
  over job group × age band × gender and names a further value to hide while a hidden value,
  or a sum over fewer than ``min_cell`` persons, can be solved for (e.g. «under 30, men»
  minus «consultants, men» when those are the only young men besides hidden apprentices).

Both reports call :func:`protect_hr_tables` on the same data and get the same decisions. The
sick-leave report's other figures from the same file are protected here too
(:func:`protect_sick_leave_tables`, :func:`protect_concentration`, :func:`protect_lorenz`,
:func:`protect_sick_leave_key_figures`): the domain packages hold no suppression of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from analysis.data.codes import GENDERS
from analysis.disclosure import tables as disclosure
from analysis.disclosure.tables import (
    DEFAULT_MIN_CELL,
    MARGIN,
    primary_mask,
    protect,
    suppress,
    suppression_mask,
)
from analysis.paygap import measures as paygap
from analysis.sickleave import measures as S
from analysis.sickleave.measures import RATE_COLUMNS, TOTAL

#: the two splits of the same employees the sick-leave report shows (each × gender)
SPLITS = ("job_group", "age_band")
_PAY_COLUMNS = {"K": "n_women", "M": "n_men"}


@dataclass(frozen=True)
class HRProtection:
    """The disclosure decisions for the HR reports.

    Attributes
    ----------
    job, age
        Sick-leave rates by job group × gender and age band × gender, suppressed (``:``).
    rates
        Sick-leave rates by gender with hidden gender totals set to NaN.
    pay_hidden_groups
        Job groups the pay-gap report hides everywhere.
    hidden_genders
        Genders (``K``, ``M``, ``alle``) whose totals are hidden: in every table and in
        :attr:`rates`.
    """

    job: pd.DataFrame
    age: pd.DataFrame
    rates: pd.DataFrame
    pay_hidden_groups: tuple[str, ...]
    hidden_genders: frozenset[str] = frozenset()


def protect_hr_tables(
    hr: pd.DataFrame, min_cell: int, *, rates: pd.DataFrame | None = None
) -> HRProtection:
    """Protect every HR table of both reports together (see the module docstring).

    Parameters
    ----------
    hr
        The person-level HR data of the year (``age_band`` is added when missing).
    min_cell
        Smallest number of persons a shown value (or a derivable sum) may rest on.
    rates
        Sick-leave rates by gender with margins (computed when not given).
    """
    if "age_band" not in hr.columns:
        hr = S.add_age_band(hr)
    if rates is None:
        rates = S.sick_leave_rates(hr, by=("gender",), kinds=S.KINDS, margins=True)
    atoms = hr.groupby([*SPLITS, "gender"], observed=True).size()
    pay_counts = paygap.cells_from_microdata(hr)[["group", "n_women", "n_men"]]
    by_split = {
        dim: S.sick_leave_rates(hr, by=(dim, "gender"), kinds=S.KINDS, margins=True)
        for dim in SPLITS
    }
    force: dict[str, set[tuple[Any, Any]]] = {d: set() for d in SPLITS}
    force_pay: set[tuple[str, str]] = set()
    for _ in range(10 * len(atoms) + 10 * len(pay_counts) + 10):
        tables = {
            dim: protect_rate_table(
                by_split[dim], min_cell, column="gender", force=sorted(force[dim], key=str)
            )
            for dim in SPLITS
        }
        pay = disclosure.protect_rows(
            pay_counts, ["n_women", "n_men"], min_cell, force=sorted(force_pay)
        )
        pay_hidden = set(pay.hidden_groups)
        # a job group × gender cell hidden in one report is hidden in the other
        job = tables["job_group"]
        cells_job = job.drop_duplicates(["job_group", "gender"])
        synced = False
        for grp, g, supp in cells_job[["job_group", "gender", "suppressed"]].itertuples(
            index=False
        ):
            if g not in _PAY_COLUMNS or grp == TOTAL:
                continue
            if grp in pay_hidden and not supp:
                force["job_group"].add((grp, g))
                synced = True
            elif supp and grp not in pay_hidden and grp in set(pay_counts["group"]):
                force_pay.add((grp, _PAY_COLUMNS[g]))
                synced = True
        if synced:
            continue
        # a gender total (or the grand total) hidden in one table is hidden everywhere
        shown_rates, hidden_genders = hide_gender_totals(rates, tables)
        cells, hidden, margins = {}, set(), set()
        for pos, (dim, t) in enumerate(tables.items()):
            for grp, g, supp in t.drop_duplicates([dim, "gender"])[
                [dim, "gender", "suppressed"]
            ].itertuples(index=False):
                key = (dim, grp, g)
                cells[key] = pd.Series(
                    [
                        (grp == TOTAL or a[pos] == grp) and (g == TOTAL or a[2] == g)
                        for a in atoms.index
                    ],
                    index=atoms.index,
                )
                if bool(supp):
                    hidden.add(key)
                if TOTAL in (grp, g):
                    margins.add(key)
        key = disclosure.joint_audit(atoms, cells, hidden, min_cell, margins=margins)
        if key is None:
            return HRProtection(
                job=tables["job_group"],
                age=tables["age_band"],
                rates=shown_rates,
                pay_hidden_groups=tuple(g for g in pay_counts["group"] if g in pay_hidden),
                hidden_genders=frozenset(hidden_genders),
            )
        force[key[0]].add((key[1], key[2]))
    raise RuntimeError("den felles prikkingen av HR-tabellene konvergerte ikke")


def hide_gender_totals(
    rates: pd.DataFrame, tables: Mapping[str, pd.DataFrame], hidden: Any = ()
) -> tuple[pd.DataFrame, set[str]]:
    """A gender total (or the grand total) hidden anywhere is hidden everywhere.

    ``tables`` maps a group column to its group × gender table (suppressed, with the margins
    ``"alle"``); ``hidden`` names genders already hidden in ``rates`` (the rates by gender).
    Every gender whose margin is hidden in one table, or that is in ``hidden``, gets its row of
    ``rates`` and its margin in every table hidden (the tables are changed in place).

    Returns
    -------
    tuple
        ``rates`` with the hidden rows set to NaN, and the set of hidden genders.
    """
    hidden_genders: set[str] = set(hidden)
    for dim, t in tables.items():
        margin = t.loc[t[dim] == TOTAL]
        hidden_genders |= set(margin.loc[margin["suppressed"].astype(bool), "gender"])
    if hidden_genders:
        rates = suppress(
            rates, rates["gender"].isin(hidden_genders), columns=list(RATE_COLUMNS)
        ).drop(columns="suppressed")
        for dim, t in tables.items():
            rows = ((t[dim] == TOTAL) & t["gender"].isin(hidden_genders)).to_numpy()
            t.loc[rows, list(RATE_COLUMNS)] = float("nan")
            t.loc[rows, "suppressed"] = True
    return rates, hidden_genders


def protect_sick_leave_tables(hr: pd.DataFrame, min_cell: int, rates: pd.DataFrame) -> HRProtection:
    """Every rate table of the sick-leave report, protected.

    :func:`protect_hr_tables` (one decision with the pay-gap report), then the rates by gender
    (:func:`protect_gender_rates`); a gender total hidden in one table is hidden in all
    (:func:`hide_gender_totals`).

    Returns
    -------
    HRProtection
        ``rates`` by gender with the hidden rows set to NaN and ``hidden_genders`` the hidden
        genders (``K``, ``M``, ``alle``).
    """
    prot = protect_hr_tables(hr, min_cell, rates=rates)
    shown, hidden = protect_gender_rates(prot.rates, min_cell)
    shown, hidden = hide_gender_totals(shown, {"job_group": prot.job, "age_band": prot.age}, hidden)
    return replace(prot, rates=shown, hidden_genders=frozenset(hidden))


def protect_gender_rates(rates: pd.DataFrame, min_cell: int) -> tuple[pd.DataFrame, set[str]]:
    """Hide the rates by gender (and for all) that rest on fewer than ``min_cell`` persons.

    Women and men add up to all employees, so they get primary and secondary suppression
    against that total; the total is hidden when it rests on too few persons itself, or when
    exactly one gender is hidden (the total would then give it away). Head counts stay.
    Returns the rates and the set of hidden groups (``K``, ``M``, ``alle``).
    """
    n = rates.drop_duplicates("gender").set_index("gender")["n_persons"].astype(float)
    genders = [g for g in GENDERS if g in n.index]
    mask = suppression_mask(n.loc[genders], min_cell, margins=True)
    hidden = {g for g in genders if bool(mask.loc[g])}
    if n.get(TOTAL, 0.0) < min_cell or len(hidden) == 1:
        hidden.add(TOTAL)
    if not hidden:
        return rates, hidden
    out = rates.copy()
    rows = out["gender"].isin(hidden)
    for c in ("lost_days", "agreed_days", "rate_pct", "se_pct", "ci_low", "ci_high"):
        if c in out.columns:
            out[c] = out[c].astype(float)
            out.loc[rows, c] = float("nan")
    return out, hidden


def protect_concentration(conc: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Hide concentration measures that describe fewer than ``min_cell`` persons.

    A top share rests on its k persons (primary suppression only: the shares are nested, not
    parts of a total). The three groups long / short / no absence add up to all persons, so
    they get secondary suppression against that total. The Gini coefficient rests on all.
    """
    out = conc.copy()
    out["suppressed"] = False
    top = out["measure"] == "top_share"
    out.loc[top, "suppressed"] = primary_mask(
        out.loc[top, "n_persons"].astype(float), min_cell
    ).to_numpy()
    parts = out["measure"].isin(["long_term_proxy", "short_term_proxy", "no_absence"])
    counts = out.loc[parts, "n_persons"].astype(float)
    out.loc[parts, "suppressed"] = suppression_mask(counts, min_cell, margins=True).to_numpy()
    gini = out["measure"] == "gini"
    out.loc[gini, "suppressed"] = primary_mask(
        out.loc[gini, "n_persons"].astype(float), min_cell
    ).to_numpy()
    hide = out["suppressed"].to_numpy(bool)
    for c in ("person_share", "n_persons", "lost_days", "value"):
        out[c] = out[c].astype(float)
        out.loc[hide, c] = float("nan")
    return out


def protect_lorenz(lorenz: pd.DataFrame, n_persons: int, min_cell: int) -> pd.DataFrame:
    """Hide the Lorenz curve (``lost_days_share``) when it rests on fewer than ``min_cell``
    persons with agreed days: the curve would show single persons."""
    if n_persons < min_cell:
        return lorenz.assign(lost_days_share=float("nan"))
    return lorenz


def protect_sick_leave_key_figures(
    key_figures: dict[str, Any], rates: pd.DataFrame, hidden: Any
) -> dict[str, Any]:
    """What the tables hide is hidden in the key figures too.

    ``key_figures`` as :func:`analysis.sickleave.report.key_figures` returns them (changed in
    place and returned); ``rates`` the protected rates by gender; ``hidden`` the hidden
    genders. A gender that is hidden or absent loses its ``by_gender`` entry; a hidden total
    ("alle") its overall rates.
    """
    if hidden:
        present = set(rates["gender"])
        for g in GENDERS:
            if g in hidden or g not in present:
                key_figures["by_gender"][g] = None
        if TOTAL in hidden:
            for key in ("rate_total_pct", "rate_certified_pct", "rate_self_pct"):
                key_figures[key] = None
    return key_figures


def protect_rate_table(
    rates: pd.DataFrame,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    column: str = "gender",
    force: Any = (),
) -> pd.DataFrame:
    """Rates ready to publish: cells resting on fewer than ``min_cell`` persons hidden.

    The table is two-way, group × gender (or one-way), *with margins*: the rows "alle" of
    :func:`analysis.sickleave.measures.sick_leave_rates` with ``margins=True`` (when absent,
    margin counts are summed from the cells). :func:`analysis.disclosure.tables.protect`
    protects the cells and the margins together: a small margin (a job group of three
    persons) is hidden too, and for every shown margin the hidden cells behind it are none,
    or at least two holding at least ``min_cell`` persons (secondary suppression; margins
    hidden when nothing else is left).
    The same cells are hidden for every kind.

    Parameters
    ----------
    rates
        Output of :func:`analysis.sickleave.measures.sick_leave_rates` with at most two group
        columns.
    min_cell
        Smallest number of persons a published cell may rest on.
    column
        The column dimension of the two-way table (default ``gender``).
    force
        ``(row, column)`` cells to hide whatever their size (:data:`TOTAL` for a margin),
        because another table of the same people gives them away
        (:func:`analysis.disclosure.tables.joint_audit`); protected like any hidden cell.

    Returns
    -------
    pandas.DataFrame
        ``rates`` with every value column (:data:`analysis.sickleave.measures.RATE_COLUMNS`,
        ``n_persons`` included) set to NaN in hidden cells and a boolean column ``suppressed``.
    """
    dims = [c for c in rates.columns if c not in (*RATE_COLUMNS, "kind", "suppressed")]
    if len(dims) > 2:
        raise ValueError(f"en rapporttabell har høyst to dimensjoner, fikk {', '.join(dims)}")
    if not dims:  # one cell: only primary suppression
        mask = primary_mask(rates["n_persons"].astype(float), min_cell)
        return suppress(rates, mask, columns=list(RATE_COLUMNS))
    cells = rates.drop_duplicates(dims)[[*dims, "n_persons"]]
    if len(dims) == 1:
        (row_dim,) = dims
        grid = cells.set_index(row_dim)["n_persons"].astype(float)
        inner = grid.drop(index=[TOTAL], errors="ignore").to_frame("n")
        forced = [(MARGIN if k[0] == TOTAL else k[0], "n") for k in force]
        p = protect(
            inner, min_cell, row_totals=False, col_totals=True, grand_total=False, force=forced
        )
        lookup = {(k,): bool(v) for k, v in p.cells["n"].items()}
        lookup[(TOTAL,)] = bool(p.col_totals["n"])
        keys = list(zip(rates[row_dim], strict=True))
    else:
        col_dim = column if column in dims else dims[1]
        row_dim = next(d for d in dims if d != col_dim)
        grid = cells.pivot(index=row_dim, columns=col_dim, values="n_persons").astype(float)
        inner_rows = [r for r in grid.index if r != TOTAL]
        inner_cols = [c for c in grid.columns if c != TOTAL]
        inner = grid.loc[inner_rows, inner_cols].fillna(0)
        # the margins (rows "alle") are the sums of the cells: protect cells and margins
        # together against every margin shown (analysis.disclosure.tables)
        forced = [tuple(MARGIN if x == TOTAL else x for x in k) for k in force]
        p = protect(
            inner, min_cell, row_totals=True, col_totals=True, grand_total=True, force=forced
        )
        lookup = {(r, c): bool(p.cells.loc[r, c]) for r in inner_rows for c in inner_cols}
        lookup.update({(r, TOTAL): bool(p.row_totals[r]) for r in inner_rows})
        lookup.update({(TOTAL, c): bool(p.col_totals[c]) for c in inner_cols})
        lookup[(TOTAL, TOTAL)] = p.grand_total
        keys = list(zip(rates[row_dim], rates[col_dim], strict=True))
    mask = pd.Series([lookup.get(k, False) for k in keys], index=rates.index)
    return suppress(rates, mask, columns=list(RATE_COLUMNS))


def hide_pay_groups(
    table: pd.DataFrame, hidden: list[str] | set[str] | tuple[str, ...], group_col: str = "group"
) -> pd.DataFrame:
    """Hide the rows of a per-group pay table whose group is in ``hidden`` (counts included).

    ``hidden`` is :attr:`HRProtection.pay_hidden_groups`. The total row (``TOTAL``), if present, is
    kept (it is the margin the protection was made against).
    """
    mask = table[group_col].isin(set(hidden)) & (table[group_col] != TOTAL)
    return disclosure.hide_rows(table, mask.to_numpy(), group_col)


#: column added by :func:`show_published_counts`: the row's head counts are published figures
COUNTS_PUBLISHED = "counts_published"
#: ``DataFrame.attrs`` key set by :func:`show_published_counts`: the year of those counts
COUNTS_PUBLISHED_YEAR = "counts_published_year"


def show_published_counts(
    hidden: pd.DataFrame,
    computed: pd.DataFrame,
    published: pd.DataFrame | None,
    *,
    synthetic: bool,
    published_year: int | None = None,
    group_col: str = "group",
) -> pd.DataFrame:
    """Put the head counts back into the hidden rows of a per-group pay table where they are
    IMDi's published counts, so that no table hides a number another table publishes.

    A count that is published is not hidden data: hiding it protects nobody, and a reader
    sees «:» in one table and the number in the published table beside it. Only the pay
    values of the row stay hidden (means, gaps, intervals, flags).

    This applies to **synthetic** person-level data only, which are made to reproduce the
    published counts: a row gets its counts back when both its computed counts equal the
    published ``n_men`` and ``n_women`` of the same group. With real person-level data the
    counts of a hidden row stay hidden whatever they are: deciding by comparing them with
    the published counts would itself tell whether a small group's real count differs from
    the published one.

    Parameters
    ----------
    hidden
        The protected table (:func:`hide_pay_groups`), with ``suppressed`` and ``n_men``,
        ``n_women``.
    computed
        The same table before protection (the counts computed from the person-level data).
    published
        The published cells of the year the synthetic data reproduce
        (:func:`analysis.paygap.measures.cells_from_published`: ``group, n_men, n_women``), or
        None when nothing is published.
    synthetic
        Whether the person-level data are synthetic.
    published_year
        The year of ``published`` (kept in ``attrs`` for the table note).

    Returns
    -------
    pandas.DataFrame
        ``hidden`` with the counts restored where published, and a boolean column
        :data:`COUNTS_PUBLISHED` (True on exactly those rows); ``attrs`` holds
        :data:`COUNTS_PUBLISHED_YEAR` when any row is True.
    """
    out = hidden.copy()
    out[COUNTS_PUBLISHED] = False
    if not synthetic or published is None or "suppressed" not in out.columns:
        return out
    ref = published.set_index(group_col)[["n_men", "n_women"]]
    own = computed.set_index(group_col)[["n_men", "n_women"]]
    for i, row in out.iterrows():
        g = row[group_col]
        if not bool(row["suppressed"]) or g == TOTAL or g not in ref.index or g not in own.index:
            continue
        mine, theirs = own.loc[g], ref.loc[g]
        if theirs.isna().any() or mine.isna().any():
            continue
        if all(int(mine[c]) == int(theirs[c]) for c in ("n_men", "n_women")):
            out.loc[i, ["n_men", "n_women"]] = [float(mine["n_men"]), float(mine["n_women"])]
            out.loc[i, COUNTS_PUBLISHED] = True
    if published_year is not None and bool(out[COUNTS_PUBLISHED].any()):
        out.attrs[COUNTS_PUBLISHED_YEAR] = int(published_year)
    return out
