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
Every such decision is made in :mod:`analysis.disclosure.register`; this module only
assembles what it returns.

The notebook shows the report with :mod:`analysis.jobbsjansen.tables` (tables),
:mod:`analysis.jobbsjansen.plots` (figures) and :mod:`analysis.jobbsjansen.texts` (sentences).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.inputs import PersonData, register_for_year
from analysis.data.jobbsjansen_series import SERIES_INDICATORS, published_series
from analysis.data.published import load_published
from analysis.data.values import as_float
from analysis.disclosure import register
from analysis.disclosure.min_cell import check_min_cell
from analysis.jobbsjansen import keyfigures, models, texts
from analysis.jobbsjansen import measures as jj
from analysis.jobbsjansen.labels import group_label
from analysis.jobbsjansen.measures import REQUIREMENT_PCT
from analysis.jobbsjansen.parameters import check_funnel_method, check_funnel_target
from analysis.methods.funnel import FunnelResult
from analysis.paths import published_dir

#: Jobbsjansen became a permanent scheme in 2013; before, its forerunner was «Ny sjanse»
#: (IMDi, Årsrapport 2014, fotnote 9: «Jobbsjansen ble innført som permanent ordning i 2013.
#: Tallene fra 2012 viser til forløperen Ny sjanse.»)
PERMANENT_FROM = 2013
PREDECESSOR = "Ny sjanse"


def target_for_year(series: pd.DataFrame, year: int) -> pd.Series | None:
    """The published target (``series == "target"``) whose period holds ``year``, or None.

    A target applies only to the years it was set for: the 60 % of IMDi's annual report 2014
    («Målet er at 60 prosent …») is the goal for 2014, not for 2012 or 2024. When several
    targets apply, the latest stated one wins.
    """
    t = series.loc[series["series"] == "target"]
    start = t["year_start"].astype(float)
    end = t["year_end"].astype(float).fillna(start)
    hits = t.loc[((start <= year) & (end >= year)).fillna(False)]
    return hits.iloc[-1] if len(hits) else None


COVARIATES = models.RISK_COVARIATES


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
    risk: models.RiskAdjustment | None = field(repr=False)  # per_project, funnel: listed only
    hidden_outside: dict[str, dict[str, int]] = field(repr=False)  # hidden projects outside
    model_table: pd.DataFrame | None = field(repr=False)
    funnel_note: str | None  # why the funnel is not shown (None when it is)
    risk_note: str | None  # why the risk model is not shown (None when it is)
    followup: pd.DataFrame | None = field(repr=False)
    trend: pd.DataFrame = field(repr=False)  # register rates by exit year (suppressed rows out)
    published: pd.DataFrame = field(repr=False)  # data.jobbsjansen_series.published_series()
    published_year: pd.DataFrame = field(repr=False)  # published rows for the year, as published
    published_rate: pd.Series | None = field(repr=False)  # the year's published transition rate
    requirement_citation: str
    cost: pd.DataFrame = field(repr=False)
    key_figures: dict[str, Any] = field(repr=False)
    inputs: list[str] = field(default_factory=list)
    min_cell: int = 5
    # the published target that applies to the year (a target applies only to the years it
    # was set for), None when no source sets one: :func:`target_for_year`
    target: pd.Series | None = field(default=None, repr=False)
    #: the project funnel's method and centre line (parameters ``funnel_method``,
    #: ``funnel_target``; None: the rate of all projects together)
    funnel_method: str = "calibrated"
    funnel_target: float | None = None

    @property
    def synthetic(self) -> bool:
        return self.person.synthetic

    @property
    def programme(self) -> str:
        """The scheme's name in the year: «Ny sjanse» before 2013, when Jobbsjansen became a
        permanent scheme (IMDi, Årsrapport 2014, fotnote 9), «Jobbsjansen» from 2013."""
        if self.published_rate is not None:
            return str(self.published_rate["programme"])
        return PREDECESSOR if self.year < PERMANENT_FROM else "Jobbsjansen"

    @property
    def published_other(self) -> pd.DataFrame:
        """The year's published figures that the series table (transition rates, range,
        follow-up, target, requirement) does not already show."""
        p = self.published_year
        return p.loc[~p["indicator"].isin(list(SERIES_INDICATORS))].reset_index(drop=True)

    @property
    def json_key_figures(self) -> dict[str, Any]:
        """The key figures as the JSON holds them (quotable ones at the top level:
        :func:`analysis.jobbsjansen.keyfigures.quotable_key_figures`)."""
        return keyfigures.quotable_key_figures(self.key_figures)

    @property
    def total_rate(self) -> float | None:
        """The headline rate (fraction), None when suppressed or without completers."""
        v = self.total["transition_rate"]
        return None if pd.isna(v) else float(v)


# --------------------------------------------------------------------------- build


def _position(row: pd.Series, target: float, y: str) -> str:
    side = "Over" if row[y] > target else "Under"
    if bool(row["outside_998"]):
        return f"{side} 99,8\u00a0%"
    if bool(row["outside_95"]):
        return f"{side} 95\u00a0%"
    return "Innenfor"


def _outcomes(total: pd.Series) -> pd.DataFrame:
    """Exit status of those who ended in the year: counts and shares of the completers, and
    the phased out (protected by :func:`analysis.disclosure.register.protect_outcomes`)."""
    rows = [
        ("arbeid", "Arbeid", total["n_work"]),
        ("utdanning", "Utdanning", total["n_education"]),
        ("arbeid_og_utdanning", "Både arbeid og utdanning", total["n_both"]),
        ("annet", "Annet (ikke overgang)", total["n_other"]),
    ]
    t = pd.DataFrame(rows, columns=["status", "label", "n"])
    t["n"] = t["n"].astype(float)
    t["share"] = (
        t["n"] / as_float(total["n_completed"]) if as_float(total["n_completed"]) > 0 else np.nan
    )
    phased = pd.DataFrame(
        [
            {
                "status": "utfaset",
                "label": "Faset ut før tiden (ikke i nevneren)",
                "n": as_float(total["n_phased_out"]),
                "share": np.nan,
            }
        ]
    )
    return pd.concat([t, phased], ignore_index=True)


def _model_table(risk: models.RiskAdjustment, raw: pd.DataFrame) -> pd.DataFrame:
    """Odds ratios per covariate level with the reference level shown as 1 (not yet protected:
    :func:`analysis.disclosure.register.hide_model_levels`)."""
    coefs = risk.coefficients.set_index("term")
    rows = []
    for cov in risk.covariates:
        part = raw.loc[(raw["dimension"] == cov) & (raw["n_completed"] > 0)]
        levels = part["group"].tolist()
        for i, level in enumerate(levels):
            term = f"{cov}[{level}]"
            base = {
                "covariate": cov,
                "level": level,
                "label": f"{jj.DIMENSION_LABELS[cov]}: {group_label(cov, level)}",
                "reference": i == 0,
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
    return t


def _funnel_skip_reason(raw: pd.DataFrame, year: int, min_cell: int) -> str | None:
    """Why projects cannot be compared in ``year`` (a sentence), or None when they can.

    The funnel needs at least two projects with completers, and its centre line is the total
    rate, so it is not drawn when the total rests on fewer than ``min_cell`` completers.
    """
    n = as_float(raw.iloc[0]["n_completed"])
    proj = raw.loc[raw["dimension"] == "project_id"]
    n_units = int((proj["n_completed"].fillna(0) > 0).sum())
    if not n > 0:
        return texts.funnel_skip_text("no_completers", year, min_cell)
    if n < min_cell:
        return texts.funnel_skip_text("too_few", year, min_cell)
    if n_units < 2:
        return texts.funnel_skip_text("one_project", year, min_cell)
    return None


def _fit_risk(reg: pd.DataFrame, year: int) -> tuple[models.RiskAdjustment | None, str | None]:
    """The risk-adjusted comparison, or None and a sentence saying why it cannot be fitted.

    A logistic model needs both outcomes among the completers and at least one covariate
    that varies; with complete or quasi-complete separation the estimates are infinite
    (Albert & Anderson 1984) and the model is not shown.
    """
    ended = jj.transition_rates(reg, year).iloc[0]
    n, k = as_float(ended["n_completed"]), as_float(ended["n_transition"])
    if k == 0 or k == n:
        return None, texts.risk_skip_text("same_outcome")
    try:
        risk = models.risk_adjusted(reg, year, covariates=COVARIATES)
    except (ValueError, np.linalg.LinAlgError):
        risk = None
    if risk is not None and not risk.covariates:
        return None, texts.risk_skip_text("no_covariates")
    finite = risk is not None and bool(
        np.isfinite(risk.coefficients[["coef", "std_err"]].to_numpy()).all()
        and np.isfinite(risk.per_project["expected"].to_numpy()).all()
    )
    if not finite:
        return None, texts.risk_skip_text("not_estimable")
    return risk, None


def _published_year(pub: pd.DataFrame, year: int) -> pd.DataFrame:
    """The published rows that concern ``year`` (the year itself or a range holding it)."""
    period = pub["period"].astype(str)
    bounds = period.str.extract(r"^(\d{4})(?:-(\d{4}))?$").astype(float)
    start, end = bounds[0], bounds[1].fillna(bounds[0])
    in_year = ((pub["year"] == year) | ((start <= year) & (end >= year))).fillna(False)
    out = pub.loc[in_year].copy()
    order = list(texts.INDICATOR_LABELS)
    out["_o"] = out["indicator"].map(lambda i: order.index(i) if i in order else len(order))
    return out.sort_values(["_o", "group"], kind="stable").drop(columns="_o").reset_index(drop=True)


def build(
    year: int,
    jobbsjansen_data: str | None = None,
    min_cell: int = 5,
    seed: int = 2025,
    *,
    funnel_method: str | None = None,
    funnel_target: float | None = None,
) -> JobbsjansenReport:
    """Compute the Jobbsjansen report of exit year ``year`` (see the module docstring).

    ``funnel_method`` (``calibrated``, default, or ``funnelplotr``) and ``funnel_target`` (the
    centre line as a share; default the rate of all projects) choose the project funnel
    (:mod:`analysis.jobbsjansen.parameters`).
    """
    year, min_cell = int(year), check_min_cell(min_cell)
    method = check_funnel_method(funnel_method)
    target = check_funnel_target(funnel_target)
    person = register_for_year(year, jobbsjansen_data, seed)
    reg = person.frame
    raw = jj.transition_rates_by_dimension(reg, year)
    rates, listed_proj, hidden_ids, listed_mun = register.protect_dimensions(
        reg, raw, year, min_cell
    )
    total = rates.iloc[0]
    listed_ids = set(listed_proj["project_id"])
    all_proj = raw.loc[raw["dimension"] == "project_id", "group"].tolist()
    mun = rates.loc[rates["dimension"] == "municipality"]

    projects = listed_proj.reset_index(drop=True)
    # each listed project with its municipality, named only where the municipality is listed
    # too (a municipality with a hidden project is never named)
    listed_mun_names = set(listed_mun["group"].astype(str))
    mun_of = (
        reg.dropna(subset=["project_id"])
        .groupby(reg["project_id"].astype(str))["municipality"]
        .agg(lambda m: sorted(set(m.dropna().astype(str))))
    )
    projects["municipality"] = [
        ms[0] if len(ms := mun_of.get(p, [])) == 1 and ms[0] in listed_mun_names else None
        for p in projects["project_id"].astype(str)
    ]
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
        raw_funnel = jj.project_funnel(reg, year, method=method, target=target)
        pos = raw_funnel.per_project.set_index("label")
        projects["funnel_position"] = [
            _position(pos.loc[p], raw_funnel.target, "rate") for p in projects["project_id"]
        ]
        masked = register.mask_projects(raw_funnel, hidden_ids)
        masked_fp = register.mask_projects(
            jj.project_funnel(reg, year, method="funnelplotr", target=target), hidden_ids
        )
        funnel = register.listed_only(masked)
        hidden_outside["funnel"] = register.hidden_outside(masked)

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
        model_table = register.hide_model_levels(_model_table(raw_risk, raw), rates)
        masked_risk = register.mask_projects(raw_risk.funnel, hidden_ids)
        hidden_outside["risk"] = register.hidden_outside(masked_risk)
        per = raw_risk.per_project
        risk = dataclasses.replace(
            raw_risk,
            per_project=per.loc[per["project_id"].isin(listed_ids)].reset_index(drop=True),
            funnel=register.listed_only(masked_risk),
        )

    trend = register.suppress_rates(jj.rates_by_exit_year(reg), min_cell, margins=False)
    trend = trend.loc[~trend["suppressed"]].reset_index(drop=True)
    pub = load_published("jobbsjansen", preferred_only=True)
    series = published_series(pub)
    rate_rows = series.loc[(series["series"] == "transition_rate") & (series["year"] == year)]
    published_rate = rate_rows.iloc[0] if len(rate_rows) else None

    cost = register.protect_cost(jj.cost_per_participant(pub, reg), min_cell)
    follow = register.protect_followup(jj.followup_rate(reg, year), min_cell)

    # the funnel of all projects, hidden ones as «skjult prosjekt»: never named
    kf = keyfigures.key_figures(
        year, person.data_source, reg, masked, min_cell=min_cell, funnel_funnelplotr=masked_fp
    )
    if pd.isna(total["transition_rate_incl_phased_out"]):
        kf["transition_rate_incl_phased_out"] = None
    kf["person_data_source"] = person.data_source
    kf["synthetic"] = person.synthetic
    kf["published_transition_rate_pct"] = (
        float(published_rate["value_pct"]) if published_rate is not None else None
    )
    kf.update(keyfigures.published_key_figures(pub, year))
    inputs = [str(published_dir() / "jobbsjansen.csv"), str(published_dir() / "catalogue.yaml")]
    if jobbsjansen_data:
        inputs.append(str(jobbsjansen_data))
    return JobbsjansenReport(
        year=year,
        person=person,
        rates=rates,
        total=total,
        outcomes=register.protect_outcomes(_outcomes(total), total, min_cell),
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
        requirement_citation=texts.requirement_citation(REQUIREMENT_PCT, pub),
        target=target_for_year(series, year),
        cost=cost,
        key_figures=kf,
        inputs=inputs,
        min_cell=min_cell,
        funnel_method=method,
        funnel_target=target,
    )
