"""One disclosure decision for every table built from the Jobbsjansen register.

The Jobbsjansen report shows the completers of an exit year split five ways (target group,
gender, age band, project, municipality), the phased-out counts split three ways, the exit
statuses, the follow-up one year after, the model's odds ratios and the cost per transition.
Every split is of the same persons, so they are protected together:

* each one-way table gets primary and secondary suppression against the total
  (:func:`suppress_rates`, :func:`protect_phased_out`);
* projects and municipalities are named entities: they are *listed* only with at least
  ``min_cell`` completers and not hidden, and a municipality holding a hidden project is not
  listed (:func:`protect_dimensions`);
* :func:`analysis.disclosure.tables.joint_audit` checks all shown rows as one system of
  equations over the cross-classification of the dimensions (:func:`protect_dimensions`);
* hidden projects are never named, also not in the funnel plots, their alt texts, the outlier
  lists or the key figures, where they appear as «skjult prosjekt» (:func:`mask_projects`);
* a group hidden in a one-way table is hidden in the model's odds ratios
  (:func:`hide_model_levels`), and counts of fewer than ``min_cell`` persons are hidden in
  the exit statuses, the follow-up and the cost per transition (:func:`protect_outcomes`,
  :func:`protect_followup`, :func:`protect_cost`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import TOTAL
from analysis.data.values import as_float
from analysis.disclosure.tables import (
    DEFAULT_MIN_CELL,
    joint_audit,
    protect,
    small,
    suppress,
    suppression_mask,
)
from analysis.jobbsjansen import measures as jj
from analysis.methods.funnel import FunnelResult

__all__ = [
    "HIDDEN_LABEL",
    "PHASED_COLUMNS",
    "hidden_outside",
    "hide_model_levels",
    "listed_only",
    "mask_projects",
    "protect_cost",
    "protect_dimensions",
    "protect_followup",
    "protect_outcomes",
    "protect_phased_out",
    "suppress_rates",
]

#: how a hidden project is named wherever projects are listed
HIDDEN_LABEL = "skjult prosjekt"


def suppress_rates(
    table: pd.DataFrame,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    count: str = "n_completed",
    margins: bool = True,
    force: dict[str, set[str]] | None = None,
) -> pd.DataFrame:
    """Hide the rows of a rate table that rest on fewer than ``min_cell`` completers.

    Primary and secondary suppression with
    :func:`analysis.disclosure.tables.suppression_mask` on ``count`` (default
    ``n_completed``), separately within each ``dimension`` when the table has that column (each
    dimension's groups add up to the published total, hence ``margins=True``). All numeric
    columns of a hidden row become NaN and ``suppressed`` is True; reports print ``:``.
    ``force`` (dimension → groups) hides groups whatever their size, because another
    dimension gives them away (:func:`analysis.disclosure.tables.joint_audit`).
    """
    force = force or {}
    if "dimension" in table.columns:
        mask = pd.Series(False, index=table.index)
        for dim, idx in table.groupby("dimension", sort=False).groups.items():
            part = table.loc[idx]
            forced = part.index[part["group"].astype(str).isin(force.get(dim, set()))]
            mask.loc[idx] = suppression_mask(
                part[count], min_cell, margins=margins, force=list(forced)
            )
    else:
        mask = suppression_mask(table[count], min_cell, margins=margins)
    return suppress(table, mask)


def _listed(part: pd.DataFrame, min_cell: int) -> pd.Series:
    """Rows of a suppressed one-way table that may be named: not hidden, ≥ min_cell completers."""
    return ~part["suppressed"].astype(bool) & (part["n_completed"].fillna(0) >= min_cell)


def mask_projects(funnel: FunnelResult, hidden: set[Any]) -> FunnelResult:
    """The funnel with every hidden project labelled «skjult prosjekt» (all the same label)."""

    def lab(v: Any) -> Any:
        return HIDDEN_LABEL if v in hidden else v

    def listed_first(labels: list[Any]) -> list[Any]:
        # hidden ones last: their place in an id-sorted list would hint at their ids
        named = [v for v in labels if v not in hidden]
        return named + [HIDDEN_LABEL] * (len(labels) - len(named))

    pp = funnel.per_project.copy()
    pp["label"] = pp["label"].map(lab)
    return dataclasses.replace(
        funnel,
        per_project=pp,
        outside_95=listed_first(list(funnel.outside_95)),
        outside_99_8=listed_first(list(funnel.outside_99_8)),
    )


def listed_only(masked: FunnelResult) -> FunnelResult:
    """Only the listed projects (target, φ, τ² and limits stay those of all projects)."""
    pp = masked.per_project
    return dataclasses.replace(
        masked,
        per_project=pp.loc[pp["label"] != HIDDEN_LABEL].reset_index(drop=True),
        outside_95=[v for v in masked.outside_95 if v != HIDDEN_LABEL],
        outside_99_8=[v for v in masked.outside_99_8 if v != HIDDEN_LABEL],
    )


def hidden_outside(masked: FunnelResult) -> dict[str, int]:
    n998 = sum(v == HIDDEN_LABEL for v in masked.outside_99_8)
    return {
        "outside_99_8": n998,
        "outside_95_only": sum(v == HIDDEN_LABEL for v in masked.outside_95) - n998,
    }


#: the columns that reveal how many were phased out (n_ended − n_completed)
PHASED_COLUMNS = (
    "n_ended",
    "n_phased_out",
    "transition_rate_incl_phased_out",
    "ci_low_incl_phased_out",
    "ci_high_incl_phased_out",
)


def protect_phased_out(
    rates: pd.DataFrame,
    raw: pd.DataFrame,
    min_cell: int,
    force: dict[str, set[str]] | None = None,
) -> pd.DataFrame:
    """Hide the phased-out counts (and what reveals them) that rest on too few persons.

    Within each dimension the groups' phased-out counts add up to the total's, so they get
    primary and secondary suppression against that total
    (:func:`analysis.disclosure.tables.protect`);
    when the total itself is small it is hidden in every dimension and the groups get primary
    suppression only. Hidden: ``n_ended``, ``n_phased_out`` and the rate (and interval) with
    the phased out in the denominator, which would give the count back. ``force``
    (dimension → groups; ``"alle"`` → ``{"alle"}`` for the total) hides counts whatever their
    size, because the other dimensions give them away
    (:func:`analysis.disclosure.tables.joint_audit`).
    """
    force = force or {}
    out = rates.copy()
    for c in PHASED_COLUMNS:
        if c in out.columns:
            out[c] = out[c].astype(float)
    is_total = (raw["dimension"] == TOTAL).to_numpy()
    total_n = as_float(raw.loc[is_total, "n_phased_out"].iloc[0]) if is_total.any() else np.nan
    total_hidden = small(total_n, min_cell) or TOTAL in force.get(TOTAL, set())
    hide = pd.Series(False, index=out.index)
    hide.loc[out.index[is_total]] = total_hidden
    for dim, idx in raw.loc[~is_total].groupby("dimension", sort=False).groups.items():
        counts = raw.loc[idx, "n_phased_out"].astype(float).fillna(0).to_frame("n")
        groups = raw.loc[idx, "group"].astype(str)
        forced = [(i, "n") for i in groups.index[groups.isin(force.get(dim, set()))]]
        p = protect(
            counts,
            min_cell,
            row_totals=False,
            col_totals=not total_hidden,
            grand_total=False,
            force=forced,
        )
        hide.loc[idx] = p.cells["n"].to_numpy()
    cols = [c for c in PHASED_COLUMNS if c in out.columns]
    out.loc[hide.to_numpy(), cols] = np.nan
    return out


def protect_dimensions(
    reg: pd.DataFrame, raw: pd.DataFrame, year: int, min_cell: int
) -> tuple[pd.DataFrame, pd.DataFrame, set[str], pd.DataFrame]:
    """The one-way tables (target group, gender, age band, project, municipality) protected
    *together*.

    Each dimension gets primary and secondary suppression against the total
    (:func:`suppress_rates`); projects are named only with ≥
    ``min_cell``
    completers and not hidden, and a municipality holding a hidden project is not listed (its
    count is the sum of its projects'). Because every dimension splits the same completers,
    :func:`analysis.disclosure.tables.joint_audit` then checks all shown rows as one system of
    equations over the cross-classification of the dimensions and names a further row to
    hide while a hidden row, or one person, can be solved for – e.g. a hidden target group of
    two when the secondary-suppressed one is exactly the completers of a listed project.

    Returns
    -------
    rates, listed projects (``project_id`` column), hidden project ids, listed municipalities
    """
    prepared = jj.prepare_register(reg)
    done = prepared.loc[prepared["completed"] & (prepared["exit_year"] == year).fillna(False)]
    dims = list(jj.DIMENSIONS)
    atoms = (
        done[dims].astype(str).groupby(dims, observed=True).size()
        if len(done)
        else pd.Series(dtype=float)
    )
    out_dims = ["target_group", "gender", "age_band"]  # the tables that show phased-out counts
    phased = prepared.loc[prepared["phased_out"] & (prepared["exit_year"] == year).fillna(False)]
    phased_atoms = (
        phased[out_dims].astype(str).groupby(out_dims, observed=True).size()
        if len(phased)
        else pd.Series(dtype=float)
    )
    by_pm = jj.transition_rates(reg, year, by=["project_id", "municipality"])
    force: dict[str, set[str]] = {}
    force_phased: dict[str, set[str]] = {}
    for _ in range(2 * len(raw) + 10):
        rates = protect_phased_out(
            suppress_rates(raw, min_cell, force=force), raw, min_cell, force=force_phased
        )
        proj = rates.loc[rates["dimension"] == "project_id"]
        listed_proj = proj.loc[_listed(proj, min_cell)].rename(columns={"group": "project_id"})
        listed_ids = set(listed_proj["project_id"])
        all_proj = raw.loc[raw["dimension"] == "project_id", "group"].tolist()
        hidden_ids = set(all_proj) - listed_ids
        tainted = set(
            by_pm.loc[by_pm["project_id"].astype(str).isin(hidden_ids), "municipality"].astype(str)
        )
        mun = rates.loc[rates["dimension"] == "municipality"]
        listed_mun = mun.loc[_listed(mun, min_cell) & ~mun["group"].isin(tainted)]
        if not phased_atoms.empty:
            cells_p: dict[Any, pd.Series] = {}
            hidden_p: set[Any] = set()
            for dim, grp, n_out in rates[["dimension", "group", "n_phased_out"]].itertuples(
                index=False
            ):
                if dim != TOTAL and dim not in out_dims:
                    continue
                key = (dim, str(grp))
                if dim == TOTAL:
                    cells_p[key] = pd.Series(True, index=phased_atoms.index)
                else:
                    pos = out_dims.index(dim)
                    cells_p[key] = pd.Series(
                        [a[pos] == key[1] for a in phased_atoms.index], index=phased_atoms.index
                    )
                if pd.isna(n_out):
                    hidden_p.add(key)
            key = joint_audit(phased_atoms, cells_p, hidden_p, min_cell, margins={(TOTAL, TOTAL)})
            if key is not None:
                force_phased.setdefault(key[0], set()).add(key[1])
                continue
        if atoms.empty:
            break
        shown = {("municipality", g) for g in listed_mun["group"]}
        shown |= {("project_id", g) for g in listed_ids}
        cells: dict[Any, pd.Series] = {}
        hidden: set[Any] = set()
        for dim, grp, supp in rates[["dimension", "group", "suppressed"]].itertuples(index=False):
            key = (dim, str(grp))
            if dim == TOTAL:
                cells[key] = pd.Series(True, index=atoms.index)
            else:
                pos = dims.index(dim)
                cells[key] = pd.Series([a[pos] == key[1] for a in atoms.index], index=atoms.index)
            is_shown = key in shown if dim in ("project_id", "municipality") else not bool(supp)
            if not is_shown:
                hidden.add(key)
        key = joint_audit(atoms, cells, hidden, min_cell, margins={(TOTAL, TOTAL)}, max_subset=1)
        if key is None:
            break
        force.setdefault(key[0], set()).add(key[1])
    return rates, listed_proj, hidden_ids, listed_mun


def protect_outcomes(outcomes: pd.DataFrame, total: pd.Series, min_cell: int) -> pd.DataFrame:
    """Hide the exit-status counts (and shares) that rest on too few persons.

    ``outcomes`` has one row per exit status of the completers (``status``, ``n``, ``share``)
    and a last row ``utfaset`` (the phased out, outside the denominator); ``total`` is the
    total row of the protected rates. The completers' statuses add up to the completers, so
    they get primary and secondary suppression against that total, and are all hidden when
    the total is; the phased-out count is hidden when it is small.
    """
    out = outcomes.reset_index(drop=True)
    done = (out["status"] != "utfaset").to_numpy()
    hide = suppression_mask(out.loc[done, "n"], min_cell, margins=True).to_numpy().copy()
    if pd.isna(total["n_completed"]):
        hide[:] = True
    phased_hide = small(total["n_phased_out"], min_cell)
    out["suppressed"] = [*hide.tolist(), bool(phased_hide)]
    out.loc[out["suppressed"], ["n", "share"]] = np.nan
    return out


def protect_followup(follow: pd.DataFrame | None, min_cell: int) -> pd.DataFrame | None:
    """Hide the follow-up rates whose denominator holds fewer than ``min_cell`` persons."""
    if follow is None:
        return None
    follow = follow.copy()
    hide = (follow["n"] > 0) & (follow["n"] < min_cell)
    follow.loc[hide, ["rate", "ci_low", "ci_high", "n_work_or_education"]] = np.nan
    return follow


def protect_cost(cost: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Hide the register's transitions (and the cost per transition) where they are small."""
    cost = cost.copy()
    if "n_transition" in cost.columns:
        small = cost["n_transition"].fillna(0).astype(float) < min_cell
        cost.loc[small, "cost_per_transition_nok"] = np.nan
        cost["n_transition"] = cost["n_transition"].astype(float).where(~small)
    return cost


def hide_model_levels(table: pd.DataFrame, rates: pd.DataFrame) -> pd.DataFrame:
    """Hide the odds ratios of the covariate levels that are hidden in the one-way tables.

    ``table`` has ``covariate``, ``level``, ``reference`` and the estimates; ``rates`` are
    the protected rates by dimension. A level hidden in its table (fewer than ``min_cell``
    completers, or secondary suppression) gets no estimate, except the reference level,
    whose odds ratio is 1 by definition. Adds the column ``suppressed``.
    """
    t = table.copy()
    hidden = {
        cov: set(rates.loc[(rates["dimension"] == cov) & rates["suppressed"], "group"])
        for cov in t["covariate"].unique()
    }
    t["suppressed"] = [
        level in hidden[cov] and not ref
        for cov, level, ref in zip(t["covariate"], t["level"], t["reference"], strict=True)
    ]
    for c in ("odds_ratio", "or_ci_low", "or_ci_high", "p_value"):
        t.loc[t["suppressed"], c] = np.nan
    return t
