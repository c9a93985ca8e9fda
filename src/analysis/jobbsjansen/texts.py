"""The Jobbsjansen report's words: labels and bokmål sentences built from its numbers.

Every sentence takes computed (and protected) numbers and only words them; nothing here
computes or hides a number. Text from the data (project ids, programme names, source titles)
is escaped for Markdown (:func:`analysis.render.inert.md_escape`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.data.codes import TOTAL
from analysis.data.jobbsjansen_series import published_series
from analysis.jobbsjansen import measures as jj
from analysis.jobbsjansen.measures import REQUIREMENT_PCT
from analysis.render.formatting import (
    MISSING,
    fmt_ci,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_share,
)
from analysis.render.inert import md_escape
from analysis.render.sources import the_register

if TYPE_CHECKING:
    from analysis.jobbsjansen.report import JobbsjansenReport


def _num(x: Any) -> float:
    return float("nan") if x is None or pd.isna(x) else float(x)


# --------------------------------------------------------------------------- labels


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


def fmt_p(v: Any) -> str:
    if v is None or pd.isna(v):
        return MISSING
    return "< 0,001" if v < 0.001 else fmt_number(v, 3)


# --------------------------------------------------------------------------- why not shown


def funnel_skip_text(reason: str, year: int, min_cell: int) -> str:
    """Why projects cannot be compared in ``year``: ``reason`` is ``no_completers``,
    ``too_few`` (fewer than ``min_cell`` completers) or ``one_project``."""
    if reason == "no_completers":
        return (
            f"Ingen deltakere fullførte Jobbsjansen i {year}, så det er ingen prosjekter å "
            "sammenligne."
        )
    if reason == "too_few":
        return (
            f"For få avslutninger til å sammenligne prosjektene: færre enn {min_cell} "
            f"deltakere fullførte i {year}."
        )
    return (
        f"Bare ett prosjekt hadde deltakere som fullførte i {year}, så det er ingen "
        "prosjekter å sammenligne det med."
    )


def risk_skip_text(reason: str) -> str:
    """Why the risk model is not shown: ``reason`` is ``same_outcome``, ``no_covariates`` or
    ``not_estimable``."""
    if reason == "same_outcome":
        return (
            "Modellen kan ikke tilpasses: alle som fullførte, hadde samme utfall, så det er "
            "ingen forskjeller å forklare."
        )
    if reason == "no_covariates":
        return (
            "Modellen har ingen kjennetegn å justere for: alle som fullførte, hadde samme "
            "målgruppe, aldersgruppe og kjønn."
        )
    return (
        "Modellen kunne ikke tilpasses: for få deltakere som fullførte i forhold til "
        "antall kjennetegn i modellen."
    )


# --------------------------------------------------------------------------- sentences


def requirement_citation(value: float = 60, published: pd.DataFrame | None = None) -> str:
    """Bokmål text citing where a required/target transition rate of ``value`` % is published.

    Looks for ``target_pct`` and ``requirement_min_pct`` rows with that value. The 2023
    tildelingsbrev's SP 1 names the indicator but gives no number; that is said explicitly.
    With the default 60 the text cites the 2014 annual report's goal («Målet er at 60 prosent
    …») and mentions the 55 % requirement in the same report's steering-parameter table.
    """
    series = published_series(published)
    pct = fmt_number(value, 2, trim=True)
    hits = series.loc[
        series["series"].isin(["target", "requirement"])
        & np.isclose(series["value_pct"], float(value))
    ]
    others = series.loc[
        series["series"].isin(["target", "requirement"])
        & ~np.isclose(series["value_pct"], float(value))
    ]
    parts = []
    if hits.empty:
        parts.append(f"Linjen på {pct} % er ikke funnet i de publiserte tallene.")
    for _, r in hits.iterrows():
        kind = "Mål" if r["series"] == "target" else "Krav"
        parts.append(
            f"{kind} {pct} % for {r['period']} ({r['source_title']}: «{r['source_quote']}»)."
        )
    for _, r in others.iterrows():
        kind = "målet" if r["series"] == "target" else "kravet"
        other = fmt_number(r["value_pct"], 2, trim=True)
        parts.append(
            f"{r['source_title']} oppgir {kind} for {r['period']} som {other} % "
            f"({r['source_section'].split(',')[0]})."
        )
    parts.append("Tildelingsbrevet 2023 (styringsparameter 1) oppgir ikke noe tallkrav.")
    return " ".join(parts)


def join_and(items: list[str]) -> str:
    """``["a", "b", "c"] → "a, b og c"`` (bokmål, no comma before «og»)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def hidden_text(dimension: str, n: int, total: int, min_cell: int) -> str:
    """How many projects/municipalities (``dimension`` ``project_id`` or ``municipality``)
    are left out of a table, ``n`` of ``total``, and why (never which)."""
    what = "prosjekter" if dimension == "project_id" else "kommuner/bydeler"
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
        f"{min_cell} deltakere som fullførte, for at et skjult tall ikke skal kunne "
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
    return "Av dem som fullførte, gikk " + join_and(parts) + "."


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
    return join_and(named)


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
    pval = fmt_p(f.dispersion_p_value)
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
    names = join_and([jj.DIMENSION_LABELS[c].lower() for c in r.risk.covariates])
    text = (
        f"Modellen forklarer {strength} av forskjellene mellom deltakerne: c-statistikken "
        f"(AUC) er {fmt_number(auc, 2)}, der 0,5 er som å gjette og 1 er perfekt. "
        f"Kjennetegnene i modellen er {names}."
    )
    if r.risk.dropped_covariates:
        text += (
            " Utelatt fordi alle hadde samme verdi: "
            + join_and([jj.DIMENSION_LABELS.get(c, c).lower() for c in r.risk.dropped_covariates])
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
    text = "IMDi har publisert overgangsandeler for " + join_and(parts) + "."
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
            + join_and(
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
    years = join_and([str(y) for y in c["year"]])
    return (
        f"Både bevilgning og antall deltakere er publisert for {years}. Beløpene er "
        "omtrentlige og sier ikke hva en overgang koster i seg selv: de omfatter alle "
        "deltakere, også dem som fortsatt er i programmet, og bevilget er ikke det samme "
        "som brukt."
    )
