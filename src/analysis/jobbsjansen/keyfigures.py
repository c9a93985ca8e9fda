"""The Jobbsjansen report's key figures (``<year>/jobbsjansen.json``), as plain JSON values."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.disclosure.tables import DEFAULT_MIN_CELL, suppression_mask
from analysis.jobbsjansen.measures import followup_rate, project_funnel, transition_rates
from analysis.methods.funnel import FunnelResult
from analysis.render.jsonable import json_number, to_jsonable
from analysis.render.keyfigures import META_KEYS, arrange_key_figures

__all__ = ["PUBLISHED_KEYS", "key_figures", "published_key_figures", "quotable_key_figures"]

#: the name of the register's transition rate under ``synthetic_illustration`` (the top-level
#: ``transition_rate`` is the published rate there)
ILLUSTRATION_RATE_KEY = "register_transition_rate"

#: the published figures on the key cards, by JSON key: (indicator in
#: ``data/raw/published/jobbsjansen.csv``, what the key holds)
PUBLISHED_CARD_KEYS: dict[str, str] = {
    "published_projects": "projects",
    "published_municipalities": "municipalities",
    "published_city_districts": "city_districts",
    "published_budget_mnok": "budget_mnok",
    "published_participants": "participants",
}
#: every key figure IMDi has published (source ``"published"``, at the top level of the JSON
#: also with synthetic person data)
PUBLISHED_KEYS = frozenset(
    {
        "published_transition_rate_pct",
        *PUBLISHED_CARD_KEYS,
        "published_participants_qualifier",
        "published_participants_group",
    }
)


def published_key_figures(published: pd.DataFrame, year: int) -> dict[str, Any]:
    """The published figures of the key cards for ``year``, as published (null when not).

    ``published``: the preferred rows of ``data/raw/published/jobbsjansen.csv``
    (:func:`analysis.data.published.load_published`). Only figures published for the year
    itself (``period`` is the year) count. Counts are integers, the budget is in million
    kroner; ``published_participants_qualifier`` is the qualifier printed with the number of
    participants («over» for «over 1300», else null), and ``published_participants_group``
    says whom the number counts: ``"innvandrerkvinner"`` where the source counts immigrant
    women only («deltok over 1300 innvandrarkvinner»), else ``"alle"``.
    """
    rows = published.loc[
        (published["group"] == "alle") & (published["period"].astype(str) == str(int(year)))
    ]
    out: dict[str, Any] = {}
    for key, indicator in PUBLISHED_CARD_KEYS.items():
        hit = rows.loc[rows["indicator"] == indicator]
        value = None
        if len(hit):
            v = float(hit.iloc[0]["value"])
            value = json_number(v) if indicator == "budget_mnok" else int(round(v))
        out[key] = value
    part = rows.loc[rows["indicator"] == "participants"]
    qualifier = group = None
    if len(part):
        q = part.iloc[0].get("qualifier")
        qualifier = str(q).strip() if isinstance(q, str) and q.strip() else None
        women = "innvandrarkvinner" in str(part.iloc[0]["source_quote"])
        group = "innvandrerkvinner" if women else "alle"
    out["published_participants_qualifier"] = qualifier
    out["published_participants_group"] = group
    return out


def key_figures(
    year: int,
    data_source: str,
    register: pd.DataFrame,
    funnel: FunnelResult | None = None,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    funnel_funnelplotr: FunnelResult | None = None,
) -> dict[str, Any]:
    """The report's key figures (JSON-ready).

    Parameters
    ----------
    year
        Exit year.
    data_source
        Where the register came from (e.g. ``"synthetic"`` or ``"register"``).
    register
        The register.
    funnel
        The project funnel; computed with :func:`project_funnel` (defaults: the calibrated
        method) when None.
    min_cell
        Smallest number of completers a published group may rest on.
    funnel_funnelplotr
        The same funnel by FunnelPlotR's method (``method="funnelplotr"``), for comparison
        with NHS practice; computed when None.

    Returns
    -------
    dict
        Exactly ``year``, ``data_source``, ``n_completed``, ``n_transition``,
        ``transition_rate``, ``ci_low``, ``ci_high``, ``transition_rate_incl_phased_out``,
        ``by_target_group``, ``funnel``, ``funnel_funnelplotr``, ``followup_1y_rate``. Rates
        are fractions (0–1).
        ``by_target_group`` maps every target group with completers to ``{n_completed,
        n_transition, rate, ci_low, ci_high}``, or to ``null`` when suppressed (fewer than
        ``min_cell`` completers, plus secondary suppression because the total is published).
        If the total itself rests on fewer than ``min_cell`` completers, its counts and rates
        are null too. ``funnel`` = ``{method, target, dispersion_ratio, tau2, outside_95,
        outside_99_8}`` with project ids (outside: screening signals, not findings);
        ``funnel_funnelplotr`` has the same keys for FunnelPlotR's method.
        ``followup_1y_rate`` is the ``all_completers`` rate of :func:`followup_rate`, null
        when ``status_1y`` is absent. A year without completers gives null rates and funnels
        of nulls with empty outlier lists; so does a year whose total is hidden or with fewer
        than two projects with completers (unless the funnels are given).
    """
    total = transition_rates(register, year).iloc[0]
    hide_total = 0 < total["n_completed"] < min_cell
    by_tg = transition_rates(register, year, by="target_group")
    by_tg = by_tg.loc[by_tg["n_completed"] > 0].reset_index(drop=True)
    mask = suppression_mask(by_tg["n_completed"], min_cell, margins=True)
    groups: dict[str, Any] = {}
    for i, r in by_tg.iterrows():
        groups[str(r["target_group"])] = (
            None
            if (mask.iloc[i] or hide_total)
            else {
                "n_completed": int(r["n_completed"]),
                "n_transition": int(r["n_transition"]),
                "rate": json_number(r["transition_rate"]),
                "ci_low": json_number(r["ci_low"]),
                "ci_high": json_number(r["ci_high"]),
            }
        )
    n_units = int((transition_rates(register, year, by="project_id")["n_completed"] > 0).sum())
    if funnel is None and total["n_completed"] >= min_cell and n_units >= 2:
        # a funnel needs at least two projects, and its centre line is the total rate: not
        # computed when the total is hidden
        funnel = project_funnel(register, year)
    if funnel_funnelplotr is None and total["n_completed"] >= min_cell and n_units >= 2:
        funnel_funnelplotr = project_funnel(register, year, method="funnelplotr")
    follow = followup_rate(register, year)
    follow_rate = None
    if follow is not None:
        follow_rate = json_number(follow.loc[follow["measure"] == "all_completers", "rate"].iloc[0])

    def hidden(v: Any) -> Any:
        return None if hide_total else v

    return {
        "year": int(year),
        "data_source": str(data_source),
        "n_completed": hidden(int(total["n_completed"])),
        "n_transition": hidden(int(total["n_transition"])),
        "transition_rate": hidden(json_number(total["transition_rate"])),
        "ci_low": hidden(json_number(total["ci_low"])),
        "ci_high": hidden(json_number(total["ci_high"])),
        "transition_rate_incl_phased_out": hidden(
            json_number(total["transition_rate_incl_phased_out"])
        ),
        "by_target_group": groups,
        "funnel": _funnel_record(funnel, "calibrated"),
        "funnel_funnelplotr": _funnel_record(funnel_funnelplotr, "funnelplotr"),
        "followup_1y_rate": follow_rate,
    }


def _funnel_record(funnel: FunnelResult | None, method: str) -> dict[str, Any]:
    return {
        "method": funnel.method if funnel else method,
        "target": json_number(funnel.target) if funnel else None,
        "dispersion_ratio": json_number(funnel.dispersion_ratio) if funnel else None,
        "tau2": json_number(funnel.tau2) if funnel else None,
        "outside_95": [to_jsonable(x) for x in funnel.outside_95] if funnel else [],
        "outside_99_8": [to_jsonable(x) for x in funnel.outside_99_8] if funnel else [],
    }


def quotable_key_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """The key figures as ``<year>/jobbsjansen.json`` holds them: what a reader may quote at
    the top level (:func:`analysis.render.keyfigures.arrange_key_figures`).

    ``figures`` are those of :func:`analysis.jobbsjansen.report.build` (the register's figures
    of :func:`key_figures` plus ``person_data_source``, ``synthetic``,
    ``published_transition_rate_pct`` and the published figures of the key cards,
    :func:`published_key_figures`). The published figures (:data:`PUBLISHED_KEYS`) are always
    at the top level with source ``"published"``.

    * Real register (``synthetic`` false): the register's figures stay at the top level
      (source ``"microdata"``); ``published_transition_rate_pct`` is the comparison.
    * Synthetic register: every figure computed from it moves under
      ``synthetic_illustration`` (source ``"synthetic"``), its rate as
      ``register_transition_rate``. The top-level ``transition_rate`` (the index's headline)
      is IMDi's published rate as a fraction, and ``data_source`` says ``"published"``; in a
      year without a published rate there is no top-level ``transition_rate``.
    """
    out = dict(figures)
    published_pct = out.get("published_transition_rate_pct")
    sources: dict[str, str] = {}
    computed = [k for k in figures if k not in META_KEYS and k not in PUBLISHED_KEYS]
    if not out.get("synthetic"):
        sources.update({k: "microdata" for k in computed})
    else:
        for k in computed:
            value = out.pop(k)
            name = ILLUSTRATION_RATE_KEY if k == "transition_rate" else k
            out[name] = value
            sources[name] = "synthetic"
        if published_pct is not None:
            out["transition_rate"] = float(published_pct) / 100
            sources["transition_rate"] = "published"
            out["data_source"] = "published"
    sources.update({k: "published" for k in figures if k in PUBLISHED_KEYS})
    return arrange_key_figures(out, sources)
