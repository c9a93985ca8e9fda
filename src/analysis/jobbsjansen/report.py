"""Everything the Jobbsjansen report (``notebooks/jobbsjansen.ipynb``) shows for one exit year.

:func:`build` computes; the notebook only displays. Which data feed which part:

* the transition rate, its breakdowns, the project funnel, the risk adjustment and the
  follow-up one year after need the register: the researcher's file (``jobbsjansen_data``) or,
  without one, a synthetic register calibrated to the published figures of the year (or the
  nearest year with a published transition rate; the report then says so at the top);
* the published series (Ny sjanse 2012, 2013, the 2020–2024 range, 2024, SSB's follow-up for
  the 2021 cohort), the 60 % line with its citation, the budgets and the published figures of
  the year come from ``data/raw/published/jobbsjansen.csv`` and are shown as published.

Disclosure control: rate tables by target group, gender and age band print ``:`` where a group
rests on fewer than ``min_cell`` completers (with secondary suppression against the total).
Projects and municipalities are named entities, so their tables only *list* those with at
least ``min_cell`` completers that are not hidden by secondary suppression; the others are
counted but never named — also not in the funnel plots, their alt texts, the outlier lists or
the key figures, where they appear as «skjult prosjekt 1», «skjult prosjekt 2», ….
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import TOTAL
from analysis.data.inputs import PersonData, register_for_year
from analysis.data.published import load_published, source_title
from analysis.disclosure.min_cell import check_min_cell
from analysis.disclosure.tables import protect, small, suppression_mask
from analysis.jobbsjansen import measures as jj
from analysis.jobbsjansen.labels import group_label
from analysis.methods.funnel import FunnelResult
from analysis.paths import published_dir
from analysis.render.formatting import (
    MISSING,
    SUPPRESSED,
    fmt_ci,
    fmt_int,
    fmt_nok,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_share,
)
from analysis.render.inert import md_escape
from analysis.render.sources import register_data, the_register
from analysis.render.tables import html_table

#: the line drawn in the trend and group figures (per cent); see :func:`requirement_text`
REQUIREMENT_PCT = 60
HIDDEN_LABEL = "skjult prosjekt"
COVARIATES = ("target_group", "age_band", "gender")
MIN_GROUP_FIG_HEIGHT = 3.0  # inches


@dataclass(frozen=True)
class JobbsjansenReport:
    """The computed contents of one exit year's Jobbsjansen report."""

    year: int
    person: PersonData = field(repr=False)
    rates: pd.DataFrame = field(repr=False)  # by dimension, suppressed (incl. total row)
    total: pd.Series = field(repr=False)  # the total row of ``rates``
    outcomes: pd.DataFrame = field(repr=False)  # arbeid / utdanning / both / annet / utfaset
    projects: pd.DataFrame = field(repr=False)  # listed projects only, rates, funnel, O/E
    n_projects: int
    n_projects_hidden: int
    municipalities: pd.DataFrame = field(repr=False)  # listed municipalities only
    n_municipalities: int
    n_municipalities_hidden: int
    funnel: FunnelResult | None = field(repr=False)  # listed projects only; limits from all
    risk: jj.RiskAdjustment | None = field(repr=False)  # per_project, funnel: listed only
    hidden_outside: dict[str, dict[str, int]] = field(repr=False)  # hidden projects outside
    model_table: pd.DataFrame | None = field(repr=False)
    funnel_note: str | None  # why the funnel is not shown (None when it is)
    risk_note: str | None  # why the risk model is not shown (None when it is)
    followup: pd.DataFrame | None = field(repr=False)
    trend: pd.DataFrame = field(repr=False)  # register rates by exit year (suppressed rows out)
    published: pd.DataFrame = field(repr=False)  # jj.published_series()
    published_year: pd.DataFrame = field(repr=False)  # published rows for the year, as published
    published_rate: pd.Series | None = field(repr=False)  # the year's published transition rate
    requirement_citation: str
    cost: pd.DataFrame = field(repr=False)
    key_figures: dict[str, Any] = field(repr=False)
    inputs: list[str] = field(default_factory=list)
    min_cell: int = 5

    @property
    def synthetic(self) -> bool:
        return self.person.synthetic

    @property
    def total_rate(self) -> float | None:
        """The headline rate (fraction), None when suppressed or without completers."""
        v = self.total["transition_rate"]
        return None if pd.isna(v) else float(v)


# --------------------------------------------------------------------------- build


def _num(x: Any) -> float:
    return float("nan") if x is None or pd.isna(x) else float(x)


def _listed(part: pd.DataFrame, min_cell: int) -> pd.Series:
    """Rows of a suppressed one-way table that may be named: not hidden, ≥ min_cell completers."""
    return ~part["suppressed"].astype(bool) & (part["n_completed"].fillna(0) >= min_cell)


def _mask(funnel: FunnelResult, hidden: set[Any]) -> FunnelResult:
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


def _shown(masked: FunnelResult) -> FunnelResult:
    """Only the listed projects (target, φ, τ² and limits stay those of all projects)."""
    pp = masked.per_project
    return dataclasses.replace(
        masked,
        per_project=pp.loc[pp["label"] != HIDDEN_LABEL].reset_index(drop=True),
        outside_95=[v for v in masked.outside_95 if v != HIDDEN_LABEL],
        outside_99_8=[v for v in masked.outside_99_8 if v != HIDDEN_LABEL],
    )


def _hidden_outside(masked: FunnelResult) -> dict[str, int]:
    n998 = sum(v == HIDDEN_LABEL for v in masked.outside_99_8)
    return {
        "outside_99_8": n998,
        "outside_95_only": sum(v == HIDDEN_LABEL for v in masked.outside_95) - n998,
    }


def _position(row: pd.Series, target: float, y: str) -> str:
    side = "Over" if row[y] > target else "Under"
    if bool(row["outside_998"]):
        return f"{side} 99,8\u00a0%"
    if bool(row["outside_95"]):
        return f"{side} 95\u00a0%"
    return "Innenfor"


def _outcomes(total: pd.Series, min_cell: int) -> pd.DataFrame:
    """Exit status of those who ended in the year: counts and shares (suppressed)."""
    rows = [
        ("arbeid", "Arbeid", total["n_work"]),
        ("utdanning", "Utdanning", total["n_education"]),
        ("arbeid_og_utdanning", "Både arbeid og utdanning", total["n_both"]),
        ("annet", "Annet (ikke overgang)", total["n_other"]),
    ]
    t = pd.DataFrame(rows, columns=["status", "label", "n"])
    t["n"] = t["n"].astype(float)
    t["share"] = t["n"] / _num(total["n_completed"]) if _num(total["n_completed"]) > 0 else np.nan
    hide = suppression_mask(t["n"], min_cell, margins=True).to_numpy().copy()
    if pd.isna(total["n_completed"]):
        hide[:] = True
    phased = pd.DataFrame(
        [
            {
                "status": "utfaset",
                "label": "Faset ut før tiden (ikke i nevneren)",
                "n": _num(total["n_phased_out"]),
                "share": np.nan,
            }
        ]
    )
    phased_hide = small(total["n_phased_out"], min_cell)
    out = pd.concat([t, phased], ignore_index=True)
    out["suppressed"] = [*hide.tolist(), bool(phased_hide)]
    out.loc[out["suppressed"], ["n", "share"]] = np.nan
    return out


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
    total_n = _num(raw.loc[is_total, "n_phased_out"].iloc[0]) if is_total.any() else np.nan
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


def _model_table(risk: jj.RiskAdjustment, raw: pd.DataFrame, supp: pd.DataFrame) -> pd.DataFrame:
    """Odds ratios per covariate level with the reference level shown as 1."""
    coefs = risk.coefficients.set_index("term")
    rows = []
    for cov in risk.covariates:
        part = raw.loc[(raw["dimension"] == cov) & (raw["n_completed"] > 0)]
        hidden = set(supp.loc[(supp["dimension"] == cov) & supp["suppressed"], "group"])
        levels = part["group"].tolist()
        for i, level in enumerate(levels):
            term = f"{cov}[{level}]"
            base = {
                "covariate": cov,
                "level": level,
                "label": f"{jj.DIMENSION_LABELS[cov]}: {group_label(cov, level)}",
                "reference": i == 0,
                "suppressed": level in hidden and i != 0,
            }
            if i == 0:
                rows.append(
                    {
                        **base,
                        "label": base["label"] + " (referanse)",
                        "odds_ratio": 1.0,
                        "or_ci_low": np.nan,
                        "or_ci_high": np.nan,
                        "p_value": np.nan,
                    }
                )
            elif term in coefs.index:
                c = coefs.loc[term]
                rows.append(
                    {
                        **base,
                        "odds_ratio": c["odds_ratio"],
                        "or_ci_low": c["or_ci_low"],
                        "or_ci_high": c["or_ci_high"],
                        "p_value": c["p_value"],
                    }
                )
    t = pd.DataFrame(rows)
    for c in ("odds_ratio", "or_ci_low", "or_ci_high", "p_value"):
        t[c] = t[c].astype(float)
        t.loc[t["suppressed"], c] = np.nan
    return t


def _funnel_skip_reason(raw: pd.DataFrame, year: int, min_cell: int) -> str | None:
    """Why projects cannot be compared in ``year`` (a sentence), or None when they can.

    The funnel needs at least two projects with completers, and its centre line is the total
    rate, so it is not drawn when the total rests on fewer than ``min_cell`` completers.
    """
    n = _num(raw.iloc[0]["n_completed"])
    proj = raw.loc[raw["dimension"] == "project_id"]
    n_units = int((proj["n_completed"].fillna(0) > 0).sum())
    if not n > 0:
        return (
            f"Ingen deltakere fullførte Jobbsjansen i {year}, så det er ingen prosjekter å "
            "sammenligne."
        )
    if n < min_cell:
        return (
            f"For få avslutninger til å sammenligne prosjektene: færre enn {min_cell} "
            f"deltakere fullførte i {year}."
        )
    if n_units < 2:
        return (
            f"Bare ett prosjekt hadde deltakere som fullførte i {year}, så det er ingen "
            "prosjekter å sammenligne det med."
        )
    return None


def _fit_risk(reg: pd.DataFrame, year: int) -> tuple[jj.RiskAdjustment | None, str | None]:
    """The risk-adjusted comparison, or None and a sentence saying why it cannot be fitted.

    A logistic model needs both outcomes among the completers and at least one covariate
    that varies; with complete or quasi-complete separation the estimates are infinite
    (Albert & Anderson 1984) and the model is not shown.
    """
    ended = jj.transition_rates(reg, year).iloc[0]
    n, k = _num(ended["n_completed"]), _num(ended["n_transition"])
    if k == 0 or k == n:
        return None, (
            "Modellen kan ikke tilpasses: alle som fullførte, hadde samme utfall, så det er "
            "ingen forskjeller å forklare."
        )
    try:
        risk = jj.risk_adjusted(reg, year, covariates=COVARIATES)
    except (ValueError, np.linalg.LinAlgError):
        risk = None
    if risk is not None and not risk.covariates:
        return None, (
            "Modellen har ingen kjennetegn å justere for: alle som fullførte, hadde samme "
            "målgruppe, aldersgruppe og kjønn."
        )
    finite = risk is not None and bool(
        np.isfinite(risk.coefficients[["coef", "std_err"]].to_numpy()).all()
        and np.isfinite(risk.per_project["expected"].to_numpy()).all()
    )
    if not finite:
        return None, (
            "Modellen kunne ikke tilpasses: for få deltakere som fullførte i forhold til "
            "antall kjennetegn i modellen."
        )
    return risk, None


def _published_year(pub: pd.DataFrame, year: int) -> pd.DataFrame:
    """The published rows that concern ``year`` (the year itself or a range holding it)."""
    period = pub["period"].astype(str)
    bounds = period.str.extract(r"^(\d{4})(?:-(\d{4}))?$").astype(float)
    start, end = bounds[0], bounds[1].fillna(bounds[0])
    in_year = ((pub["year"] == year) | ((start <= year) & (end >= year))).fillna(False)
    out = pub.loc[in_year].copy()
    order = list(INDICATOR_LABELS)
    out["_o"] = out["indicator"].map(lambda i: order.index(i) if i in order else len(order))
    return out.sort_values(["_o", "group"], kind="stable").drop(columns="_o").reset_index(drop=True)


def protect_dimensions(
    reg: pd.DataFrame, raw: pd.DataFrame, year: int, min_cell: int
) -> tuple[pd.DataFrame, pd.DataFrame, set[str], pd.DataFrame]:
    """The one-way tables (target group, gender, age band, project, municipality) protected
    *together*.

    Each dimension gets primary and secondary suppression against the total
    (:func:`analysis.jobbsjansen.measures.suppress_rates`); projects are named only with ≥
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
    from analysis.disclosure import tables as disclosure

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
            jj.suppress_rates(raw, min_cell, force=force), raw, min_cell, force=force_phased
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
            key = disclosure.joint_audit(
                phased_atoms, cells_p, hidden_p, min_cell, margins={(TOTAL, TOTAL)}
            )
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
        key = disclosure.joint_audit(
            atoms, cells, hidden, min_cell, margins={(TOTAL, TOTAL)}, max_subset=1
        )
        if key is None:
            break
        force.setdefault(key[0], set()).add(key[1])
    return rates, listed_proj, hidden_ids, listed_mun


def build(
    year: int, jobbsjansen_data: str | None = None, min_cell: int = 5, seed: int = 2025
) -> JobbsjansenReport:
    """Compute the Jobbsjansen report of exit year ``year`` (see the module docstring)."""
    year, min_cell = int(year), check_min_cell(min_cell)
    person = register_for_year(year, jobbsjansen_data, seed)
    reg = person.frame
    raw = jj.transition_rates_by_dimension(reg, year)
    rates, listed_proj, hidden_ids, listed_mun = protect_dimensions(reg, raw, year, min_cell)
    total = rates.iloc[0]
    listed_ids = set(listed_proj["project_id"])
    all_proj = raw.loc[raw["dimension"] == "project_id", "group"].tolist()
    mun = rates.loc[rates["dimension"] == "municipality"]

    projects = listed_proj.reset_index(drop=True)
    funnel = risk = model_table = masked = masked_fp = None
    hidden_outside = {
        "funnel": {"outside_99_8": 0, "outside_95_only": 0},
        "risk": {"outside_99_8": 0, "outside_95_only": 0},
    }
    funnel_note = _funnel_skip_reason(raw, year, min_cell)
    risk_note = funnel_note
    raw_risk = None
    if funnel_note is None:
        raw_risk, risk_note = _fit_risk(reg, year)
    if funnel_note is None:
        raw_funnel = jj.project_funnel(reg, year)
        pos = raw_funnel.per_project.set_index("label")
        projects["funnel_position"] = [
            _position(pos.loc[p], raw_funnel.target, "rate") for p in projects["project_id"]
        ]
        masked = _mask(raw_funnel, hidden_ids)
        masked_fp = _mask(jj.project_funnel(reg, year, method="funnelplotr"), hidden_ids)
        funnel = _shown(masked)
        hidden_outside["funnel"] = _hidden_outside(masked)

    if raw_risk is not None:
        oe = raw_risk.per_project.set_index("project_id")
        rpos = raw_risk.funnel.per_project.set_index("label")
        for col, src in (
            ("expected", "expected"),
            ("oe", "oe"),
            ("oe_ci_low", "ci_low"),
            ("oe_ci_high", "ci_high"),
        ):
            projects[col] = [float(oe.loc[p, src]) for p in projects["project_id"]]
        projects["oe_position"] = [
            _position(rpos.loc[p], 1.0, "ratio") for p in projects["project_id"]
        ]
        model_table = _model_table(raw_risk, raw, rates)
        masked_risk = _mask(raw_risk.funnel, hidden_ids)
        hidden_outside["risk"] = _hidden_outside(masked_risk)
        per = raw_risk.per_project
        risk = dataclasses.replace(
            raw_risk,
            per_project=per.loc[per["project_id"].isin(listed_ids)].reset_index(drop=True),
            funnel=_shown(masked_risk),
        )

    trend = jj.suppress_rates(jj.rates_by_exit_year(reg), min_cell, margins=False)
    trend = trend.loc[~trend["suppressed"]].reset_index(drop=True)
    pub = load_published("jobbsjansen", preferred_only=True)
    series = jj.published_series(pub)
    rate_rows = series.loc[(series["series"] == "transition_rate") & (series["year"] == year)]
    published_rate = rate_rows.iloc[0] if len(rate_rows) else None

    cost = jj.cost_per_participant(pub, reg)
    if "n_transition" in cost.columns:
        small = cost["n_transition"].fillna(0).astype(float) < min_cell
        cost.loc[small, "cost_per_transition_nok"] = np.nan
        cost["n_transition"] = cost["n_transition"].astype(float).where(~small)

    follow = jj.followup_rate(reg, year)
    if follow is not None:
        follow = follow.copy()
        hide = (follow["n"] > 0) & (follow["n"] < min_cell)
        follow.loc[hide, ["rate", "ci_low", "ci_high", "n_work_or_education"]] = np.nan

    # the funnel of all projects, hidden ones as «skjult prosjekt»: never named
    kf = jj.key_figures(
        year, person.data_source, reg, masked, min_cell=min_cell, funnel_funnelplotr=masked_fp
    )
    if pd.isna(total["transition_rate_incl_phased_out"]):
        kf["transition_rate_incl_phased_out"] = None
    kf["person_data_source"] = person.data_source
    kf["synthetic"] = person.synthetic
    kf["published_transition_rate_pct"] = (
        float(published_rate["value_pct"]) if published_rate is not None else None
    )
    inputs = [str(published_dir() / "jobbsjansen.csv"), str(published_dir() / "catalogue.yaml")]
    if jobbsjansen_data:
        inputs.append(str(jobbsjansen_data))
    return JobbsjansenReport(
        year=year,
        person=person,
        rates=rates,
        total=total,
        outcomes=_outcomes(total, min_cell),
        projects=projects,
        n_projects=len(all_proj),
        n_projects_hidden=len(hidden_ids),
        municipalities=listed_mun.rename(columns={"group": "municipality"}).reset_index(drop=True),
        n_municipalities=len(mun),
        n_municipalities_hidden=len(mun) - len(listed_mun),
        funnel=funnel,
        risk=risk,
        hidden_outside=hidden_outside,
        model_table=model_table,
        funnel_note=funnel_note,
        risk_note=risk_note,
        followup=follow,
        trend=trend,
        published=series,
        published_year=_published_year(pub, year),
        published_rate=published_rate,
        requirement_citation=jj.requirement_citation(REQUIREMENT_PCT, pub),
        cost=cost,
        key_figures=kf,
        inputs=inputs,
        min_cell=min_cell,
    )


def funnel_figure(r: JobbsjansenReport, risk: bool = False) -> tuple[Any, str]:
    """:func:`plots.plot_funnel` of the projects (or their O/E), readable when crowded.

    All projects outside the 95 % limits are labelled. The legend is moved below the axes
    (in the plot it can cover projects and limits) and labels that would overlap are moved
    apart.
    """
    from analysis.jobbsjansen import plots

    if risk:
        fig, alt = plots.plot_funnel(
            r.risk.funnel,
            f"Observert/forventet antall overganger per prosjekt, {r.year}",
            label="95",
        )
    else:
        fig, alt = plots.plot_funnel(
            r.funnel,
            f"Andel over i arbeid og/eller utdanning per prosjekt, {r.year}",
            label="95",
            x_label="Antall deltakere som fullførte (n)",
        )
    ax = fig.axes[0]
    legend = ax.get_legend()
    if legend is not None:
        handles, labels = ax.get_legend_handles_labels()
        legend.remove()
        fig.set_figheight(fig.get_figheight() + 0.9)
        ax.legend(
            handles,
            labels,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            ncol=2,
            frameon=False,
            fontsize=8,
        )
    fig.tight_layout()
    _spread_labels(fig, ax)
    return fig, alt


def _spread_labels(fig: Any, ax: Any) -> None:
    """Move point labels (annotations) that would overlap another label, another labelled
    point or the edge of the axes to the first free offset around their point."""
    from matplotlib.text import Annotation
    from matplotlib.transforms import Bbox

    offsets = [(4, 4), (4, -12), (-58, 4), (-58, -12), (4, 14), (4, -22)]
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    anns = sorted(
        (t for t in ax.texts if isinstance(t, Annotation)),
        key=lambda a: (float(a.xy[0]), float(a.xy[1])),
    )
    points = []
    for a in anns:
        x, y = ax.transData.transform(a.xy)
        points.append(Bbox.from_extents(x - 5, y - 5, x + 5, y + 5))
    placed: list[Any] = []
    for i, a in enumerate(anns):
        obstacles = placed + [p for j, p in enumerate(points) if j != i]
        for off in offsets:
            a.xyann = off
            box = a.get_window_extent(renderer).padded(2)
            inside = (
                box.x0 >= frame.x0
                and box.x1 <= frame.x1
                and box.y0 >= frame.y0
                and box.y1 <= frame.y1
            )
            if inside and not any(box.overlaps(b) for b in obstacles):
                break
        else:
            a.xyann = offsets[0]
        placed.append(a.get_window_extent(renderer).padded(2))


def group_figure(r: JobbsjansenReport, dimension: str) -> tuple[Any, str]:
    """:func:`plots.plot_rates_by_group` for one dimension, with room for the legend.

    With two or three groups the figure is so low that the legend (placed below the axes)
    overlaps the x-axis title; the figure is then made taller and the legend moved down.
    """
    from analysis.jobbsjansen import plots

    fig, alt = plots.plot_rates_by_group(
        r.rates,
        dimension=dimension,
        total=r.total_rate,
        requirement=REQUIREMENT_PCT,
        min_cell=r.min_cell,
    )
    if fig.get_figheight() < MIN_GROUP_FIG_HEIGHT:
        ax = fig.axes[0]
        n = len(ax.get_yticks())
        ax.set_ylim(-0.8, n - 0.2)  # keep the few rows together, not at the axes' edges
        fig.set_figheight(MIN_GROUP_FIG_HEIGHT)
        legend = ax.get_legend()
        if legend is not None:
            legend.set_bbox_to_anchor(
                (0.5, -0.75 / (MIN_GROUP_FIG_HEIGHT - 1.0)), transform=ax.transAxes
            )
        fig.tight_layout()
    return fig, alt


# --------------------------------------------------------------------------- tables (HTML)

INDICATOR_LABELS = {
    "transition_rate_pct": "Andel over i arbeid og/eller utdanning",
    "transition_rate_min_pct": "Andel over i arbeid og/eller utdanning, lavest i perioden",
    "transition_rate_max_pct": "Andel over i arbeid og/eller utdanning, høyest i perioden",
    "followup_1y_rate_pct": "I arbeid eller utdanning ett år etter (SSB)",
    "target_pct": "Mål for andelen over i arbeid eller utdanning",
    "requirement_min_pct": "Krav til andelen (styringsparameter)",
    "budget_mnok": "Bevilgning i statsbudsjettet",
    "budget_per_capita_model_mnok": "Bevilgning, per capita-modell",
    "municipalities": "Kommuner og bydeler med tilskudd",
    "city_districts": "Av dem bydeler",
    "projects": "Prosjekter med tilskudd",
    "participants_per_project_min": "Deltakere per prosjekt, færrest",
    "participants_per_project_max": "Deltakere per prosjekt, flest",
    "participants": "Deltakere",
}
PUBLISHED_GROUP_LABELS = {
    TOTAL: "Alle",
    "innvandrerkvinner": "Prosjekter rettet mot innvandrerkvinner",
    "ikke_innvandrerkvinner": "Øvrige prosjekter",
    "ungdom": "Rene ungdomsprosjekter",
    "kvinner_menn_ungdom": "Prosjekter for kvinner, menn og ungdom",
}


def _ci_low(v: Any) -> str:
    return fmt_share(v)


def _p(v: Any) -> str:
    if v is None or pd.isna(v):
        return MISSING
    return "< 0,001" if v < 0.001 else fmt_number(v, 3)


def _ratio(v: Any) -> str:
    return fmt_number(v, 2)


def _suppression_note(r: JobbsjansenReport) -> str:
    return (
        f": = skjult fordi gruppen har færre enn {r.min_cell} deltakere som fullførte, "
        "eller for at en skjult gruppe ikke skal kunne regnes ut fra totalen."
    )


_RATE_LABELS = {
    "group": "Gruppe",
    "n_ended": "Avsluttet (N)",
    "n_completed": "Fullførte (N)",
    "n_transition": "Over i arbeid/utdanning (N)",
    "transition_rate": "Andel",
    "ci_low": "95 % KI, nedre",
    "ci_high": "95 % KI, øvre",
    "transition_rate_incl_phased_out": "Andel med utfasede i nevneren",
}
_RATE_FORMATS = {
    "n_ended": fmt_int,
    "n_completed": fmt_int,
    "n_transition": fmt_int,
    "transition_rate": fmt_share,
    "ci_low": fmt_share,
    "ci_high": fmt_share,
    "transition_rate_incl_phased_out": fmt_share,
}


def html_group_table(r: JobbsjansenReport, dimension: str) -> str:
    """Transition rates by target group, gender or age band (suppressed rows print ``:``)."""
    t = r.rates.loc[r.rates["dimension"].isin([dimension, TOTAL])].copy()
    t["group"] = [
        ("Alle" if d == TOTAL else group_label(dimension, g))
        for d, g in zip(t["dimension"], t["group"], strict=True)
    ]
    cols = [
        "group",
        "n_completed",
        "n_transition",
        "transition_rate",
        "ci_low",
        "ci_high",
        "transition_rate_incl_phased_out",
    ]
    name = jj.DIMENSION_LABELS[dimension]
    # the rate with the phased out in the denominator is hidden on its own where it would
    # give back a small phased-out count (protect_phased_out): print ``:`` there
    incl = "transition_rate_incl_phased_out"
    phased_hidden = t[incl].isna() & t["transition_rate"].notna()
    t[incl] = [
        SUPPRESSED if h else fmt_share(v) for h, v in zip(phased_hidden, t[incl], strict=True)
    ]
    return html_table(
        t[cols],
        caption=f"Overgang til arbeid og/eller utdanning etter {name.lower()}, "
        f"avsluttet i {r.year} ({register_data(r.synthetic)})",
        row_header="group",
        labels={**_RATE_LABELS, "group": name},
        formats={**_RATE_FORMATS, incl: str},
        suppressed=t["suppressed"],
        note=(
            "Andel = over i arbeid og/eller utdanning blant dem som fullførte (utfasede "
            "holdes utenfor nevneren). Konfidensintervallene er Wilson-intervaller. "
            + _suppression_note(r)
        ),
    )


def html_outcomes_table(r: JobbsjansenReport) -> str:
    """What those who ended in the year went to."""
    t = r.outcomes
    return html_table(
        t[["label", "n", "share"]],
        caption=f"Status ved avslutning {r.year} ({register_data(r.synthetic)})",
        row_header="label",
        labels={"label": "Status ved avslutning", "n": "Antall", "share": "Andel av fullførte"},
        formats={"n": fmt_int, "share": fmt_share},
        suppressed=t["suppressed"],
        note=(
            "Arbeid, utdanning og begge deler regnes som overgang. Deltakere som ble faset "
            "ut før tiden, er ikke med i IMDis nevner. – = ikke relevant. " + _suppression_note(r)
        ),
    )


def html_municipality_table(r: JobbsjansenReport) -> str:
    """Municipalities with at least ``min_cell`` completers (the others are not named)."""
    t = r.municipalities
    cols = ["municipality", "n_completed", "n_transition", "transition_rate", "ci_low", "ci_high"]
    return html_table(
        t[cols],
        caption=(
            f"Overgang etter kommune (bydel), avsluttet i {r.year} ({register_data(r.synthetic)})"
        ),
        row_header="municipality",
        labels={**_RATE_LABELS, "municipality": "Kommune/bydel"},
        formats=_RATE_FORMATS,
        note=(f"Sortert etter navn, ikke etter resultat. {hidden_text(r, 'municipality')}"),
    )


def _rate_ci(v: Any) -> str:
    rate, lo, hi = v
    return f"{fmt_share(rate)} ({fmt_ci(100 * lo, 100 * hi, 1)})"


def _ratio_ci(v: Any) -> str:
    oe, lo, hi = v
    return f"{fmt_number(oe, 2)} ({fmt_ci(lo, hi, 2)})"


def html_project_table(r: JobbsjansenReport) -> str:
    """Listed projects by id: rate, place in the funnel, expected transitions and O/E."""
    t = r.projects.copy()
    t["rate_ci"] = list(zip(t["transition_rate"], t["ci_low"], t["ci_high"], strict=True))
    t["counts"] = [
        f"{fmt_int(k)} av {fmt_int(n)}"
        for k, n in zip(t["n_transition"], t["n_completed"], strict=True)
    ]
    cols = ["project_id", "counts", "rate_ci"]
    formats: dict[str, Any] = {"counts": str, "rate_ci": _rate_ci}
    if "oe" in t.columns:
        t["oe_ci"] = list(zip(t["oe"], t["oe_ci_low"], t["oe_ci_high"], strict=True))
        cols += ["funnel_position", "oe_ci", "oe_position"]
        formats["oe_ci"] = _ratio_ci
    return html_table(
        t[cols],
        caption=f"Overgang per prosjekt, avsluttet i {r.year} ({register_data(r.synthetic)})",
        row_header="project_id",
        labels={
            "project_id": "Prosjekt",
            "counts": "Overganger",
            "rate_ci": "Andel (95 % KI)",
            "funnel_position": "Traktplott",
            "oe_ci": "O/F (95 % KI)",
            "oe_position": "Traktplott, justert",
        },
        formats=formats,
        note=(
            "Sortert etter prosjekt-id, ikke etter resultat: tabellen er ingen rangering. "
            "Overganger: «3 av 5» = 3 av 5 som fullførte gikk over i arbeid og/eller "
            "utdanning. Traktplott: om prosjektet ligger "
            "innenfor kontrollgrensene, eller over eller under 95 %- eller 99,8 %-grensen "
            "(«Under 95 %» = under den nedre 95 %-grensen). "
            "Forventet = antall overganger modellen venter ut fra deltakernes målgruppe, "
            "alder og kjønn; O/F = observert/forventet, over 1 betyr flere overganger enn "
            "forventet. "
            f"{hidden_text(r, 'project_id')}"
        ),
    )


def html_model_table(r: JobbsjansenReport) -> str:
    """Odds ratios of the logistic model (transition among completers)."""
    t = r.model_table
    fit = r.risk.fit
    return html_table(
        t[["label", "odds_ratio", "or_ci_low", "or_ci_high", "p_value"]],
        caption=f"Logistisk regresjon: sjansen for overgang etter deltakernes kjennetegn, "
        f"{r.year} ({register_data(r.synthetic)})",
        row_header="label",
        labels={
            "label": "Kjennetegn",
            "odds_ratio": "Oddsforhold",
            "or_ci_low": "95 % KI, nedre",
            "or_ci_high": "95 % KI, øvre",
            "p_value": "p-verdi",
        },
        formats={"odds_ratio": _ratio, "or_ci_low": _ratio, "or_ci_high": _ratio, "p_value": _p},
        suppressed=t["suppressed"],
        note=(
            f"Modellen bygger på {fmt_int(fit['n_obs'])} deltakere som fullførte. Et "
            "oddsforhold over 1 betyr større sjanse for overgang enn referansegruppen når de "
            "andre kjennetegnene holdes like. Wald-intervaller. McFaddens pseudo-R² = "
            f"{fmt_number(fit['mcfadden_r2'], 3)}, c-statistikk (AUC) = "
            f"{fmt_number(fit['auc'], 2)}. Konstantleddet er ikke vist. " + _suppression_note(r)
        ),
    )


def html_followup_table(r: JobbsjansenReport) -> str:
    t = r.followup.copy()
    t["measure"] = t["measure"].map(
        {
            "all_completers": "Alle som fullførte (ukjent status = ikke i arbeid/utdanning)",
            "known_status": "Bare dem med kjent status",
        }
    )
    return html_table(
        t[["measure", "n", "n_work_or_education", "rate", "ci_low", "ci_high"]],
        caption=f"I arbeid og/eller utdanning ett år etter avslutning, fullført i {r.year} "
        f"({register_data(r.synthetic)})",
        row_header="measure",
        labels={
            "measure": "Nevner",
            "n": "Deltakere (N)",
            "n_work_or_education": "I arbeid/utdanning (N)",
            "rate": "Andel",
            "ci_low": "95 % KI, nedre",
            "ci_high": "95 % KI, øvre",
        },
        formats={
            "n": fmt_int,
            "n_work_or_education": fmt_int,
            "rate": fmt_share,
            "ci_low": fmt_share,
            "ci_high": fmt_share,
        },
        note=(
            "Status ett år etter programslutt er et annet mål enn overgangen ved avslutning. "
            "Den første raden er sammenlignbar med SSBs publiserte tall; de to radene kan "
            "leses som en nedre og en øvre referanse."
        ),
    )


def _published_value(row: pd.Series) -> str:
    v, unit = float(row["value"]), str(row["unit"])
    if unit == "pct":
        text = fmt_pct(v, 1, trim=True)
    elif unit == "mnok":
        text = f"{fmt_number(v, 1)}\u00a0mill. kr"
    else:
        text = fmt_int(v)
    q = row.get("qualifier")
    if q is not None and not pd.isna(q) and str(q).strip():
        text = f"{q} {text}"
    return text


def html_published_table(r: JobbsjansenReport) -> str:
    """The figures IMDi has published for the year, as published, with their sources."""
    t = r.published_year.copy()
    t["what"] = t["indicator"].map(lambda i: INDICATOR_LABELS.get(i, i))
    group = t["group"].map(lambda g: PUBLISHED_GROUP_LABELS.get(g, g))
    t["what"] = [
        w if g == TOTAL else f"{w} – {gl.lower()}"
        for w, g, gl in zip(t["what"], t["group"], group, strict=True)
    ]
    t["shown"] = t.apply(_published_value, axis=1)
    t["source"] = [
        f"{source_title(d)}, {s}"
        for d, s in zip(t["source_document"], t["source_section"], strict=True)
    ]
    t["quote"] = t["source_quote"].map(lambda q: f"«{q}»")
    t["period"] = t["period"].astype(str).str.replace("-", "–")
    return html_table(
        t[["what", "period", "programme", "shown", "source", "quote"]],
        caption=f"Publiserte tall om Jobbsjansen som gjelder {r.year}, som publisert",
        row_header="what",
        labels={
            "what": "Tall",
            "period": "Periode",
            "programme": "Ordning",
            "shown": "Verdi",
            "source": "Kilde",
            "quote": "Sitat fra kilden",
        },
        note=(
            "Tallene er gjengitt uendret. Sitatene er ordrette, også skrivefeil fra "
            "tekstgjenkjenningen."
        ),
    )


def html_series_table(r: JobbsjansenReport) -> str:
    """The published series behind the trend figure, with sources."""
    t = r.published.loc[
        r.published["series"].isin(
            [
                "transition_rate",
                "transition_rate_min",
                "transition_rate_max",
                "followup_1y_rate",
                "target",
                "requirement",
            ]
        )
    ].copy()
    t["shown"] = t["value_pct"].map(lambda v: fmt_pct(v, 0))
    t["period"] = t["period"].astype(str).str.replace("-", "–")
    return html_table(
        t[["label", "period", "programme", "shown", "source_title"]],
        caption="Publiserte overgangsandeler, mål og krav for Jobbsjansen",
        row_header="label",
        labels={
            "label": "Tall",
            "period": "Periode",
            "programme": "Ordning",
            "shown": "Verdi",
            "source_title": "Kilde",
        },
        note=(
            "SSBs tall gjelder status ett år etter programslutt og er et annet mål enn "
            "overgangen ved avslutning. For 2020–2024 er bare spennet publisert, ikke "
            "tallene for hvert år."
        ),
    )


def html_cost_table(r: JobbsjansenReport) -> str:
    """Approximate cost per participant (and per transition where the register has them)."""
    t = r.cost.copy()
    t["year_text"] = t["year"].astype(str)
    t["participants_text"] = [
        (f"{q} " if isinstance(q, str) and q.strip() else "") + fmt_int(n)
        for q, n in zip(t["participants_qualifier"], t["participants"], strict=True)
    ]
    t["per_participant"] = [
        ("høyst " if b == "upper" else "ca. ") + fmt_nok(v, 0)
        for b, v in zip(t["bound"], t["cost_per_participant_nok"], strict=True)
    ]
    cols = ["year_text", "budget_mnok", "participants_text", "per_participant"]
    formats: dict[str, Any] = {
        "budget_mnok": lambda v: fmt_number(v, 1),
        "participants_text": str,
        "per_participant": str,
    }
    if "cost_per_transition_nok" in t.columns:
        t["per_transition"] = t["cost_per_transition_nok"].map(
            lambda v: MISSING if pd.isna(v) else "ca. " + fmt_nok(v, 0)
        )
        cols += ["n_transition", "per_transition"]
        formats["n_transition"] = fmt_int
        formats["per_transition"] = str
    src = register_data(r.synthetic)
    return html_table(
        t[cols],
        caption="Omtrentlig kostnad per deltaker og per overgang",
        row_header="year_text",
        labels={
            "year_text": "År",
            "budget_mnok": "Bevilgning (mill. kr)",
            "participants_text": "Deltakere (publisert)",
            "per_participant": "Per deltaker",
            "n_transition": f"Overganger ({src})",
            "per_transition": "Per overgang",
        },
        formats=formats,
        note=(
            "Bevilget beløp i statsbudsjettet delt på publisert antall deltakere i året; "
            "omtrentlig, fordi bevilget ikke er det samme som brukt og deltakerne i et år "
            "også omfatter noen som startet året før. For 2024 er antallet publisert som "
            "«over 1300» (og gjelder innvandrerkvinnene), så beløpet per deltaker er en øvre "
            "grense. Per overgang: bevilgningen delt på antall overganger for dem som "
            "avsluttet samme år; – = ikke beregnet (ingen registerdata for året)."
            + (
                " Overgangene er fra syntetiske data og beløpet per overgang skal ikke siteres."
                if r.synthetic
                else ""
            )
        ),
    )


# --------------------------------------------------------------------------- text (bokmål)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def hidden_text(r: JobbsjansenReport, dimension: str) -> str:
    """How many projects/municipalities are left out of a table, and why (never which)."""
    if dimension == "project_id":
        n, total, what = r.n_projects_hidden, r.n_projects, "prosjekter"
    else:
        n, total, what = r.n_municipalities_hidden, r.n_municipalities, "kommuner/bydeler"
    if n == 0:
        return f"Alle {fmt_int(total)} {what} er vist."
    extra = (
        ""
        if dimension == "project_id"
        else ", eller fordi et prosjekt i kommunen har skjulte tall (kommunens tall er summen "
        "av prosjektenes)"
    )
    return (
        f"{fmt_int(n)} av {fmt_int(total)} {what} er ikke vist, fordi de har færre enn "
        f"{r.min_cell} deltakere som fullførte, for at et skjult tall ikke skal kunne "
        f"regnes ut fra totalen{extra}."
    )


def headline_text(r: JobbsjansenReport) -> str:
    """The headline in one paragraph: rate, interval, the other measure, the 60 % line."""
    t = r.total
    if _num(t["n_completed"]) == 0:
        return (
            f"Ingen deltakere fullførte Jobbsjansen i {r.year}, så andelen som gikk over til "
            "arbeid eller utdanning kan ikke beregnes for året."
        )
    if pd.isna(t["transition_rate"]):
        return (
            f"For få avslutninger til å beregne andelen for {r.year}: færre enn {r.min_cell} "
            "deltakere fullførte, og tallene er skjult av personvernhensyn."
        )
    pct = 100 * t["transition_rate"]
    lo, hi = 100 * t["ci_low"], 100 * t["ci_high"]
    req = fmt_pct(REQUIREMENT_PCT, 0)
    if lo > REQUIREMENT_PCT:
        line = (
            f"Hele konfidensintervallet ligger over linjen på {req}, målet fra IMDis "
            "årsrapport for 2014."
        )
    elif hi < REQUIREMENT_PCT:
        line = (
            f"Hele konfidensintervallet ligger under linjen på {req}, målet fra IMDis "
            "årsrapport for 2014."
        )
    else:
        line = (
            f"Konfidensintervallet omfatter linjen på {req}, målet fra IMDis årsrapport "
            "for 2014, så vi kan ikke si sikkert om andelen ligger over eller under."
        )
    return (
        f"Av de {fmt_int(t['n_completed'])} deltakerne som fullførte Jobbsjansen i {r.year}, "
        f"gikk {fmt_int(t['n_transition'])} over til arbeid, utdanning eller begge deler: "
        f"{fmt_pct(pct)} (95 % konfidensintervall {fmt_ci(lo, hi, fmt=fmt_pct)}). "
        f"{_split_text(r)} {_phased_text(r)}{line}"
    )


def incl_phased_out_text(r: JobbsjansenReport) -> str:
    """The rate with the phased out in the denominator for a key-figure card (``:`` hidden)."""
    t = r.total
    if pd.isna(t["transition_rate_incl_phased_out"]) and not pd.isna(t["transition_rate"]):
        return ":"
    return fmt_share(t["transition_rate_incl_phased_out"])


def _phased_text(r: JobbsjansenReport) -> str:
    """The rate with the phased out counted in, or why it is not shown."""
    t = r.total
    if pd.isna(t["n_phased_out"]) or pd.isna(t["transition_rate_incl_phased_out"]):
        return (
            f"Andelen med de utfasede i nevneren vises ikke, fordi færre enn {r.min_cell} "
            "ble faset ut før tiden. "
        )
    return (
        f"Regner vi med de {fmt_int(t['n_phased_out'])} som ble faset ut før tiden, blir "
        f"andelen {fmt_share(t['transition_rate_incl_phased_out'])}. "
    )


def _split_text(r: JobbsjansenReport) -> str:
    o = r.outcomes.set_index("status")
    parts = []
    for key, name in (
        ("arbeid", "arbeid"),
        ("utdanning", "utdanning"),
        ("arbeid_og_utdanning", "både arbeid og utdanning"),
    ):
        if not bool(o.loc[key, "suppressed"]):
            parts.append(f"{fmt_share(o.loc[key, 'share'])} til {name}")
    if not parts:
        return ""
    return "Av dem som fullførte, gikk " + _join(parts) + "."


def published_comparison_text(r: JobbsjansenReport) -> str:
    """The year's published figure (if any) against the register figure."""
    t = r.total
    if r.published_rate is None:
        base = f"IMDi har ikke publisert noen overgangsandel for {r.year}."
        if r.synthetic and r.person.calibration_year:
            base += (
                f" De syntetiske dataene er derfor kalibrert til det publiserte tallet for "
                f"{r.person.calibration_year}."
            )
        return base
    p = r.published_rate
    who = (
        "deltakerne"
        if p["programme"] == "Jobbsjansen"
        else f"deltakerne i {md_escape(p['programme'])}, forløperen til Jobbsjansen,"
    )
    text = (
        f"IMDi har publisert at {fmt_pct(p['value_pct'], 0)} av {who} gikk over til arbeid "
        f"eller utdanning i {r.year} ({md_escape(p['source_title'])})."
    )
    if not pd.isna(t["transition_rate"]):
        diff = 100 * t["transition_rate"] - float(p["value_pct"])
        text += f" Tallet her er {fmt_share(t['transition_rate'])}, en forskjell på {fmt_pp(diff)}."
    if r.synthetic:
        text += (
            " De syntetiske dataene er kalibrert til det publiserte tallet, så at de "
            "stemmer overens, sier ingenting om kvaliteten på IMDis tall."
        )
    return text


def _outside_text(labels: list[Any], pp: pd.DataFrame, target: float, y: str) -> str:
    named = []
    for lab in labels:
        row = pp.loc[pp["label"] == lab].iloc[0]
        named.append(f"{md_escape(lab)} ({'over' if row[y] > target else 'under'})")
    return _join(named)


def _n_projects(n: int) -> str:
    return "ett prosjekt" if n == 1 else f"{fmt_int(n)} prosjekter"


def funnel_text(r: JobbsjansenReport, risk: bool = False) -> str:
    """What the (unadjusted or risk-adjusted) funnel shows, with the outliers by project id."""
    f = r.risk.funnel if risk and r.risk is not None else (None if risk else r.funnel)
    if f is None:
        note = r.risk_note if risk else r.funnel_note
        return note or "Det er ingen prosjekter med deltakere som fullførte å sammenligne."
    y = f.y
    hidden = r.hidden_outside["risk" if risk else "funnel"]
    n_shown = len(f.per_project)
    n_all = f.n_units  # all projects with completers (arcsine and Bernoulli scales)
    centre = (
        "O/F = 1 (like mange overganger som forventet)"
        if risk
        else f"den samlede andelen, {fmt_share(f.target)}"
    )
    parts = [f"Traktplottet viser {fmt_int(n_shown)} prosjekter. Midtlinjen er {centre}."]
    n_left = n_all - n_shown
    if n_left > 0:
        parts.append(
            f"{_n_projects(n_left).capitalize()} med skjulte tall er ikke tegnet inn, "
            "men er med når midtlinjen og grensene beregnes."
        )
    phi = fmt_number(f.dispersion_ratio, 2)
    pval = _p(f.dispersion_p_value)
    pval = pval if pval.startswith("<") else f"= {pval}"
    tau = f"τ² = {fmt_number(f.tau2, 4)}"
    significant = bool(f.dispersion_p_value < 0.05)
    if f.adjusted and significant:
        parts.append(
            f"Prosjektene varierer mer enn tilfeldigheter alene skulle tilsi (overspredning: "
            f"spredningsforholdet φ = {phi}, p {pval} i testen for overspredning). "
            f"Grensene er derfor gjort bredere med en tilfeldig prosjekteffekt ({tau})."
        )
    elif f.adjusted:
        parts.append(
            f"Prosjektene varierer litt mer enn tilfeldigheter alene gir (spredningsforholdet "
            f"φ = {phi}), men forskjellen er ikke statistisk sikker (p {pval} i testen for "
            "overspredning). Grensene er likevel gjort bredere med en tilfeldig "
            f"prosjekteffekt ({tau}), slik det er vanlig i traktplott (Spiegelhalter 2005)."
        )
    else:
        parts.append(
            f"Prosjektene varierer ikke mer enn tilfeldigheter alene kan forklare "
            f"(spredningsforholdet φ = {phi}, p {pval} i testen for overspredning), så "
            "grensene er ikke justert."
        )
    o998 = list(f.outside_99_8)
    o95 = [x for x in f.outside_95 if x not in o998]
    if o998:
        parts.append(
            "Utenfor 99,8 %-grensene: " + _outside_text(o998, f.per_project, f.target, y) + "."
        )
    elif not hidden["outside_99_8"]:
        parts.append("Ingen prosjekter ligger utenfor 99,8 %-grensene.")
    if o95:
        parts.append(
            "Utenfor 95 %-grensene, men innenfor 99,8 %: "
            + _outside_text(o95, f.per_project, f.target, y)
            + "."
        )
    elif not o998 and not hidden["outside_95_only"]:
        parts.append("Ingen prosjekter ligger utenfor 95 %-grensene.")
    for key, limit in (
        ("outside_99_8", "99,8 %-grensene"),
        ("outside_95_only", "95 %-grensene, men innenfor 99,8 %"),
    ):
        if hidden[key]:
            which = "hvilket" if hidden[key] == 1 else "hvilke"
            parts.append(
                f"{_n_projects(hidden[key]).capitalize()} med skjulte tall ligger "
                f"utenfor {limit}; av personvernhensyn sier vi ikke {which}."
            )
    expected = 0.05 * n_all
    parts.append(
        f"Selv om alle prosjektene var like gode, ville vi ventet at omtrent "
        f"{fmt_number(expected, 0 if expected >= 10 else 1)} av {fmt_int(n_all)} prosjekter lå "
        "utenfor 95 %-grensene ved en tilfeldighet, og bare ett av 500 utenfor 99,8 %-grensene."
    )
    return " ".join(parts)


def risk_text(r: JobbsjansenReport) -> str:
    """The model in plain words: how much the participant mix explains."""
    if r.risk is None:
        return r.risk_note or "Det er for få deltakere som fullførte til å tilpasse modellen."
    fit = r.risk.fit
    auc = fit["auc"]
    strength = "svært lite" if auc < 0.6 else "lite" if auc < 0.7 else "en del"
    names = _join([jj.DIMENSION_LABELS[c].lower() for c in r.risk.covariates])
    text = (
        f"Modellen forklarer {strength} av forskjellene mellom deltakerne: c-statistikken "
        f"(AUC) er {fmt_number(auc, 2)}, der 0,5 er som å gjette og 1 er perfekt. "
        f"Kjennetegnene i modellen er {names}."
    )
    if r.risk.dropped_covariates:
        text += (
            " Utelatt fordi alle hadde samme verdi: "
            + _join([jj.DIMENSION_LABELS.get(c, c).lower() for c in r.risk.dropped_covariates])
            + "."
        )
    return text


def followup_text(r: JobbsjansenReport) -> str:
    """The follow-up one year after, or that it is not available, plus SSB's published 77 %."""
    ssb = r.published.loc[r.published["series"] == "followup_1y_rate"]
    ssb_text = ""
    if len(ssb):
        s = ssb.iloc[0]
        ssb_text = (
            f" SSB har målt at {fmt_pct(s['value_pct'], 0)} av dem som avsluttet "
            f"Jobbsjansen i {md_escape(s['period'])}, var i arbeid eller utdanning ett år etter "
            f"({md_escape(s['source_title'])})."
        )
    if r.followup is None:
        return (
            f"Status ett år etter er ikke tilgjengelig for dem som avsluttet i {r.year}: "
            f"{the_register(r.synthetic)} har ingen "
            "opplysninger om status ett år etter for dette året." + ssb_text
        )
    main = r.followup.loc[r.followup["measure"] == "all_completers"].iloc[0]
    if pd.isna(main["rate"]):
        return (
            f"For få deltakere med kjent status til å vise andelen ett år etter "
            f"for {r.year}." + ssb_text
        )
    return (
        f"Ett år etter avslutning var {fmt_share(main['rate'])} (95 % KI "
        f"{fmt_ci(main['ci_low'], main['ci_high'], fmt=fmt_share)}) av dem som fullførte i "
        f"{r.year}, i arbeid og/eller utdanning, når de med ukjent status regnes som ikke "
        "i arbeid eller utdanning." + ssb_text
    )


def trend_text(r: JobbsjansenReport) -> str:
    """The published series in words, with the register figure of the year."""
    s = r.published
    pts = s.loc[s["series"] == "transition_rate"]
    parts = [
        f"{int(p['year'])}: {fmt_pct(p['value_pct'], 0)}"
        + (f" ({md_escape(p['programme'])})" if p["programme"] != "Jobbsjansen" else "")
        for _, p in pts.iterrows()
    ]
    text = "IMDi har publisert overgangsandeler for " + _join(parts) + "."
    lo = s.loc[s["series"] == "transition_rate_min"]
    hi = s.loc[s["series"] == "transition_rate_max"]
    if len(lo) and len(hi):
        text += (
            f" For {md_escape(lo.iloc[0]['period'].replace('-', '–'))} er bare spennet publisert: "
            f"mellom {fmt_pct(lo.iloc[0]['value_pct'], 0)} og "
            f"{fmt_pct(hi.iloc[0]['value_pct'], 0)}."
        )
    if len(r.trend):
        src = the_register(r.synthetic)
        text += (
            " Fra "
            + src
            + ": "
            + _join(
                [
                    f"{int(t['year'])} {fmt_share(t['transition_rate'])}"
                    for _, t in r.trend.iterrows()
                ]
            )
            + "."
        )
    return text


def requirement_text(r: JobbsjansenReport) -> str:
    """Where the 60 % line comes from (and that the 2023 tildelingsbrev gives no number)."""
    return (
        f"Linjen på {fmt_pct(REQUIREMENT_PCT, 0)} er målet som er oppgitt i IMDis "
        "årsrapport for 2014, ikke et tallkrav fra tildelingsbrevet. Kilder: "
        f"{md_escape(r.requirement_citation)}"
    )


def cost_text(r: JobbsjansenReport) -> str:
    c = r.cost
    if c.empty:
        return "Det finnes ingen år med både publisert bevilgning og publisert antall deltakere."
    years = _join([str(y) for y in c["year"]])
    return (
        f"Både bevilgning og antall deltakere er publisert for {years}. Beløpene er "
        "omtrentlige og sier ikke hva en overgang koster i seg selv: de omfatter alle "
        "deltakere, også dem som fortsatt er i programmet, og bevilget er ikke det samme "
        "som brukt."
    )
