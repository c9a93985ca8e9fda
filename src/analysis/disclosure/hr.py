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

Both reports call :func:`protect_hr_tables` on the same data and get the same decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.disclosure import tables as disclosure
from analysis.disclosure.tables import suppress
from analysis.paygap import measures as paygap
from analysis.sickleave import measures as S

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
    """

    job: pd.DataFrame
    age: pd.DataFrame
    rates: pd.DataFrame
    pay_hidden_groups: tuple[str, ...]


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
            dim: S.rates_table_for_report(
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
            if g not in _PAY_COLUMNS or grp == S.TOTAL:
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
        hidden_genders: set[str] = set()
        for dim, t in tables.items():
            margin = t.loc[t[dim] == S.TOTAL]
            hidden_genders |= set(margin.loc[margin["suppressed"].astype(bool), "gender"])
        shown_rates = rates
        if hidden_genders:
            shown_rates = suppress(
                rates, rates["gender"].isin(hidden_genders), columns=list(S.RATE_COLUMNS)
            ).drop(columns="suppressed")
            for dim, t in tables.items():
                rows = ((t[dim] == S.TOTAL) & t["gender"].isin(hidden_genders)).to_numpy()
                t.loc[rows, list(S.RATE_COLUMNS)] = float("nan")
                t.loc[rows, "suppressed"] = True
        cells, hidden, margins = {}, set(), set()
        for pos, (dim, t) in enumerate(tables.items()):
            for grp, g, supp in t.drop_duplicates([dim, "gender"])[
                [dim, "gender", "suppressed"]
            ].itertuples(index=False):
                key = (dim, grp, g)
                cells[key] = pd.Series(
                    [
                        (grp == S.TOTAL or a[pos] == grp) and (g == S.TOTAL or a[2] == g)
                        for a in atoms.index
                    ],
                    index=atoms.index,
                )
                if bool(supp):
                    hidden.add(key)
                if S.TOTAL in (grp, g):
                    margins.add(key)
        key = disclosure.joint_audit(atoms, cells, hidden, min_cell, margins=margins)
        if key is None:
            return HRProtection(
                job=tables["job_group"],
                age=tables["age_band"],
                rates=shown_rates,
                pay_hidden_groups=tuple(g for g in pay_counts["group"] if g in pay_hidden),
            )
        force[key[0]].add((key[1], key[2]))
    raise RuntimeError("the joint protection of the HR tables did not converge")


def hide_pay_groups(
    table: pd.DataFrame, hidden: list[str] | set[str] | tuple[str, ...], group_col: str = "group"
) -> pd.DataFrame:
    """Hide the rows of a per-group pay table whose group is in ``hidden`` (counts included).

    ``hidden`` is :attr:`HRProtection.pay_hidden_groups`. The ``totalt`` row, if present, is
    kept (it is the margin the protection was made against).
    """
    mask = table[group_col].isin(set(hidden)) & (table[group_col] != "totalt")
    return disclosure.hide_rows(table, mask.to_numpy(), group_col)
