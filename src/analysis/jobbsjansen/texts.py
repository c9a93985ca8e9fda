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
from analysis.data.values import as_float
from analysis.jobbsjansen import measures as jj
from analysis.jobbsjansen.measures import REQUIREMENT_PCT
from analysis.render.formatting import (
    MISSING,
    fmt_ci,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_share,
)
from analysis.render.inert import md_escape
from analysis.render.sources import SYNTHETIC_SOURCE, the_register

if TYPE_CHECKING:
    from analysis.jobbsjansen.report import JobbsjansenReport


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
            f"{risk_covariates_text()}."
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
        f"{min_cell} deltakere som fullførte, eller for at et skjult tall ikke skal kunne "
        f"regnes ut fra totalen{extra}."
    )


def headline_text(r: JobbsjansenReport) -> str:
    """The headline in one paragraph: rate, interval, the other measure, the 60 % line."""
    t = r.total
    if as_float(t["n_completed"]) == 0:
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
    rest = (
        f"{md_escape(r.programme)} i {r.year}, og {fmt_int(t['n_transition'])} av dem gikk "
        f"over til arbeid, utdanning eller begge deler: {fmt_pct(pct)} (95\u00a0% "
        f"konfidensintervall {fmt_ci(lo, hi, fmt=fmt_pct)})."
    )
    n = fmt_int(t["n_completed"])
    if r.synthetic:
        # an illustration: what the synthetic data give, no conclusion drawn from them
        text = f"I de syntetiske dataene fullførte {n} deltakere {rest}"
        return f"{text} {_split_text(r)} {_phased_text(r)}".strip()
    text = f"{n} deltakere fullførte {rest}"
    return f"{text} {_split_text(r)} {_phased_text(r)}{_target_ci_sentence(r)}"


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
    """Where those who completed went, in shares (hidden shares left out)."""
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
        shown = fmt_number(abs(diff), 1)
        what = "I de syntetiske dataene er andelen" if r.synthetic else "Registeret gir"
        if shown.strip("0,") == "":
            text += f" {what} også {fmt_share(t['transition_rate'])}."
        else:
            rel = f"{shown}\u00a0prosentpoeng {'høyere' if diff > 0 else 'lavere'}"
            text += f" {what} {fmt_share(t['transition_rate'])}, {rel}."
    if r.synthetic:
        text += (
            " De syntetiske dataene er kalibrert til det publiserte tallet, så at tallene "
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
        "1: like mange overganger som forventet"
        if risk
        else (
            f"den samlede andelen, {fmt_share(f.target)}"
            if r.funnel_target is None
            else f"en fast andel på {fmt_share(f.target)}"
        )
    )
    lead = "I de syntetiske dataene viser figuren" if r.synthetic else "Figuren viser"
    parts = [f"{lead} {fmt_int(n_shown)} prosjekter. Midtlinjen er {centre}."]
    n_left = n_all - n_shown
    if n_left > 0:
        parts.append(
            f"{_n_projects(n_left).capitalize()} med skjulte tall er ikke tegnet inn, "
            + (
                "men er med når midtlinjen og grensene beregnes."
                if risk or r.funnel_target is None
                else "men er med når grensene beregnes."
            )
        )
    if f.adjusted and bool(f.dispersion_p_value < 0.05):
        # why the projects vary is a conclusion: not drawn from synthetic data
        why = (
            ""
            if r.synthetic
            else ", blant annet fordi arbeidsmarkedet og deltakerne er ulike fra sted til sted"
        )
        parts.append(
            f"Prosjektene varierer mer enn tilfeldigheter alene skulle tilsi{why}. Grensene er "
            "derfor gjort bredere, slik at bare prosjekter som skiller seg ut også fra den "
            "vanlige variasjonen, havner utenfor."
        )
    elif f.adjusted:
        parts.append(
            "Prosjektene varierer litt mer enn tilfeldigheter alene gir, men ikke så mye at det "
            "er statistisk sikkert. Grensene er likevel gjort litt bredere, slik det er vanlig "
            "i slike figurer."
        )
    else:
        parts.append(
            "Prosjektene varierer ikke mer enn tilfeldigheter alene kan forklare, så grensene "
            "er ikke gjort bredere."
        )
    o998 = list(f.outside_99_8)
    o95 = [x for x in f.outside_95 if x not in o998]
    if o998:
        parts.append(
            "Utenfor 99,8 %-grensene: " + _outside_text(o998, f.per_project, f.target, y) + "."
        )
    elif not hidden["outside_99_8"]:
        parts.append("Ingen prosjekter ligger utenfor 99,8 %-grensene.")
    if o95:
        parts.append(
            "Utenfor 95 %-grensene, men innenfor 99,8 %: "
            + _outside_text(o95, f.per_project, f.target, y)
            + "."
        )
    elif not o998 and not hidden["outside_95_only"]:
        parts.append("Ingen prosjekter ligger utenfor 95 %-grensene.")
    for key, limit in (
        ("outside_99_8", "99,8 %-grensene"),
        ("outside_95_only", "95 %-grensene, men innenfor 99,8 %"),
    ):
        if hidden[key]:
            which = "hvilket" if hidden[key] == 1 else "hvilke"
            parts.append(
                f"{_n_projects(hidden[key]).capitalize()} med skjulte tall ligger "
                f"utenfor {limit}; av personvernhensyn sier vi ikke {which}."
            )
    parts.append(chance_text(n_all))
    return " ".join(parts)


def chance_text(n_all: int) -> str:
    """How many of ``n_all`` projects would lie outside the limits by chance alone, in whole
    numbers (5 % outside the 95 % limits, 1 in 500 outside the 99.8 % limits)."""
    k = round(0.05 * n_all)
    if k == 0:
        expected = f"sjelden noen av {fmt_int(n_all)} prosjekter"
    elif k == 1:
        expected = f"omtrent ett av {fmt_int(n_all)} prosjekter"
    else:
        expected = f"omtrent {fmt_int(k)} av {fmt_int(n_all)} prosjekter"
    return (
        "Selv om alle prosjektene var like gode, ville vi ventet at "
        f"{expected} lå utenfor 95\u00a0%-grensene bare ved en tilfeldighet, og bare ett av "
        "500 utenfor 99,8\u00a0%-grensene."
    )


def funnel_method_text(r: JobbsjansenReport, risk: bool = False) -> str:
    """The funnel's dispersion statistics for «Om statistikken» (φ, the test's p-value, τ²)."""
    f = r.risk.funnel if risk and r.risk is not None else (None if risk else r.funnel)
    if f is None:
        return ""
    what = "Figuren for observert/forventet (O/F)" if risk else "Figuren for andelene"
    phi = fmt_number(f.dispersion_ratio, 2)
    pval = fmt_p(f.dispersion_p_value)
    pval = pval if pval.startswith("<") else f"= {pval}"
    text = f"{what}: spredningsforholdet φ = {phi} (p {pval} i testen for overspredning)"
    if f.adjusted:
        text += "; grensene er gjort bredere med en tilfeldig prosjekteffekt, τ² = "
        text += f"{fmt_number(f.tau2, 4)}."
    else:
        text += "; grensene er ikke justert."
    return text


def risk_text(r: JobbsjansenReport) -> str:
    """The model in plain words: how much the participant mix explains."""
    if r.risk is None:
        return r.risk_note or "Det er for få deltakere som fullførte til å tilpasse modellen."
    fit = r.risk.fit
    auc = fit["auc"]
    strength = "svært lite" if auc < 0.6 else "lite" if auc < 0.7 else "en del"
    names = join_and([jj.DIMENSION_LABELS[c].lower() for c in r.risk.covariates])
    lead = "I de syntetiske dataene forklarer deltakernes" if r.synthetic else "Deltakernes"
    verb = "" if r.synthetic else " forklarer"
    text = f"{lead} {names}{verb} {strength} av hvem som gikk over til arbeid eller utdanning"
    # what the rest of the differences lie in is a conclusion: not drawn from synthetic data
    text += (
        ": det meste av forskjellene ligger i forhold modellen ikke kjenner."
        if auc < 0.7 and not r.synthetic
        else "."
    )
    text += " Hvor godt modellen skiller, står i «Om statistikken»."
    if r.risk.dropped_covariates:
        text += (
            " Utelatt fordi alle hadde samme verdi: "
            + join_and([jj.DIMENSION_LABELS.get(c, c).lower() for c in r.risk.dropped_covariates])
            + "."
        )
    return text


def followup_text(r: JobbsjansenReport) -> str:
    """The register's status one year after, or that it is not available (SSB's published
    figure: :func:`ssb_followup_text`)."""
    if r.followup is None:
        return (
            f"Status ett år etter er ikke tilgjengelig for dem som avsluttet i {r.year}: "
            f"{the_register(r.synthetic)} har ingen opplysninger om status ett år etter for "
            "dette året."
        )
    main = r.followup.loc[r.followup["measure"] == "all_completers"].iloc[0]
    if pd.isna(main["rate"]):
        return f"For få deltakere med kjent status til å vise andelen ett år etter for {r.year}."
    lead = "I de syntetiske dataene var" if r.synthetic else "Ett år etter avslutning var"
    when = " ett år etter avslutning" if r.synthetic else ""
    return (
        f"{lead}{when} {fmt_share(main['rate'])} (usikkerhetsmargin "
        f"{fmt_ci(main['ci_low'], main['ci_high'], fmt=fmt_share, sep=' til ')}) av dem som "
        f"fullførte i {r.year}, i arbeid og/eller utdanning, når de med ukjent status regnes "
        "som ikke i arbeid eller utdanning."
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
    if len(r.trend) and not r.synthetic:
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
    """Where the 60 % goal comes from, that it is the goal for 2014 only, and that the 2023
    tildelingsbrev gives no number."""
    return (
        f"Målet på {fmt_pct(REQUIREMENT_PCT, 0)} er oppgitt i IMDis årsrapport for 2014 og "
        "gjelder 2014; det er ikke et tallkrav fra tildelingsbrevet. Kilder: "
        f"{md_escape(r.requirement_citation)}"
    )


def cost_text(r: JobbsjansenReport) -> str:
    """What the cost table shows, and why there is no cost per transition with synthetic
    data."""
    c = r.cost
    if c.empty:
        return "Det finnes ingen år med både publisert bevilgning og publisert antall deltakere."
    years = join_and([str(y) for y in c["year"]])
    text = ""
    if r.year not in set(c["year"].astype(int)):
        text = (
            f"For {r.year} er ikke både bevilgning og antall deltakere publisert, så "
            f"kostnaden per deltaker kan ikke beregnes for {r.year}. Tabellen viser de årene "
            "der begge deler er publisert. "
        )
    text += (
        f"Både bevilgning og antall deltakere er publisert for {years}. Beløpene er "
        "omtrentlige: bevilget er ikke det samme som brukt, og deltakerne i et år omfatter "
        "også dem som startet året før eller fortsatt er i programmet."
    )
    if r.synthetic:
        text += (
            " Kostnad per overgang krever det virkelige antallet overganger, som IMDi ikke har "
            "publisert; den er derfor ikke beregnet."
        )
    return text


# --------------------------------------------------------------------------- publication


def computed_source(synthetic: bool) -> str:
    """The «Kilde:» line of figures and tables computed from the register: never «av IMDi»
    for synthetic data, which are no IMDi figures."""
    if synthetic:
        return SYNTHETIC_SOURCE["register"]
    return "Beregnet av IMDi fra Jobbsjansen-registeret"


def section_ref(section: str) -> str:
    """A published row's ``source_section`` («heading, subheading, … (kind)») as a reader
    finds it in the document, by its headings (the documents do not number their tables):

    * ``(tabell)``: «tabellen under «heading», …, raden S 3.1»;
    * ``(tekst)``: «avsnittet «last heading» under «the one before»»;
    * ``(fotnote n)``: «fotnote n i avsnittet «last heading»»;
    * no kind: ««last part» under «first part»».
    """
    text = str(section).strip()
    kind = ""
    if text.endswith(")") and "(" in text:
        text, kind = text[: text.rindex("(")].strip(), text[text.rindex("(") + 1 : -1]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return kind
    if kind == "tabell":
        if len(parts) == 1:
            return f"tabellen under «{parts[0]}»"
        return ", ".join([f"tabellen under «{parts[0]}»", *parts[1:-1], f"raden {parts[-1]}"])
    under = f" under «{parts[-2]}»" if len(parts) > 1 else ""
    if kind == "tekst":
        return f"avsnittet «{parts[-1]}»{under}"
    if kind.startswith("fotnote"):
        return f"{kind} i avsnittet «{parts[-1]}»"
    return f"«{parts[-1]}»" + (f" under «{parts[0]}»" if len(parts) > 1 else "")


def published_source(rows: pd.DataFrame) -> str:
    """The «Kilde:» line of published rows: each document once, with its sections."""
    from analysis.data.published import source_title

    out: list[str] = []
    for doc, part in rows.groupby("source_document", sort=False):
        sections = list(dict.fromkeys(section_ref(x) for x in part["source_section"]))
        out.append(f"{source_title(doc)}, " + "; ".join(sections))
    return "; ".join(out)


def join_titles(titles: list[str]) -> str:
    """Document titles as one citation: the publisher named once
    («IMDi, Årsrapport 2014 og Likestillingsutgreiing 2024»)."""
    titles = list(dict.fromkeys(titles))
    if not titles:
        return ""
    head, *rest = titles
    if head.startswith("IMDi, "):
        rest = [t.removeprefix("IMDi, ") for t in rest]
    return join_and([head, *rest])


def series_source(series: pd.DataFrame) -> str:
    """The «Kilde:» line of the published series (documents in order of appearance)."""
    return join_titles([str(t) for t in series["source_title"]])


def _published_value(r: JobbsjansenReport, indicator: str, group: str = TOTAL) -> Any:
    rows = r.published_year.loc[
        (r.published_year["indicator"] == indicator)
        & (r.published_year["group"] == group)
        & (r.published_year["period"].astype(str) == str(r.year))
    ]
    return rows.iloc[0] if len(rows) else None


def _participants(row: pd.Series) -> str:
    q = row.get("qualifier")
    q = f"{q} " if isinstance(q, str) and q.strip() else ""
    return q + fmt_int(row["value"])


def banner_note(r: JobbsjansenReport) -> str | None:
    """The report's own sentence in the synthetic banner: only when the data are calibrated
    to another year (the calibration is otherwise described under «Kilder»)."""
    if not r.synthetic:
        return None
    cal = r.person.calibration_year
    if cal is not None and cal != r.year:
        return (
            f"IMDi har ikke publisert noen overgangsandel for {r.year}: de syntetiske dataene "
            f"er kalibrert til de publiserte tallene for {cal}, ikke til {r.year}."
        )
    return None


def data_basis(r: JobbsjansenReport) -> str | None:
    """The header's «Datagrunnlag:» (None: the shared wording for real data). Says once that
    the published figures may be quoted; the banner says that the rest may not."""
    if not r.synthetic:
        return None
    return "IMDis publiserte tall (kan siteres) og syntetiske registerdata (illustrasjon)"


def parameters_used(r: JobbsjansenReport) -> dict[str, str]:
    """What the parameters left empty stood for in this build, for the provenance block
    (:func:`analysis.render.notebook.provenance_block`, ``used``)."""
    return {"jobbsjansen_data": "ingen (syntetiske registerdata)"} if r.synthetic else {}


def report_title(r: JobbsjansenReport) -> str:
    """The report's title (the year follows): for 2012 the forerunner «Ny sjanse»."""
    if r.programme != "Jobbsjansen":
        return f"{r.programme} (forløperen til Jobbsjansen): overgang til arbeid og utdanning"
    return "Jobbsjansen: overgang til arbeid og utdanning"


def _change_words(diff: float, unit: str = "prosentpoeng", decimals: int = 0) -> str:
    """A signed change as words: «økte med 8 prosentpoeng», «falt med …», «var uendret»."""
    shown = fmt_number(abs(diff), decimals)
    if shown.strip("0,") == "":
        return "var uendret"
    return f"{'økte' if diff > 0 else 'falt'} med {shown}\u00a0{unit}"


def _previous_rate(r: JobbsjansenReport) -> pd.Series | None:
    pts = r.published.loc[
        (r.published["series"] == "transition_rate") & (r.published["year"] == r.year - 1)
    ]
    return pts.iloc[0] if len(pts) else None


def key_cards(r: JobbsjansenReport) -> list[tuple[str, str]]:
    """The key-figure cards: published figures without the real register (synthetic data
    never give a card), the register's figures with it (the published rate for comparison)."""
    cards: list[tuple[str, str]] = []
    p = r.published_rate
    if not r.synthetic:
        t = r.total
        cards.append(("gikk over til arbeid og/eller utdanning", fmt_share(t["transition_rate"])))
        if not pd.isna(t["ci_low"]):
            cards.append(
                (
                    "usikkerhetsmargin (95\u00a0% konfidensintervall)",
                    fmt_ci(100 * t["ci_low"], 100 * t["ci_high"], 1, unit="%"),
                )
            )
        cards.append(("deltakere fullførte programmet", fmt_int(t["n_completed"])))
        if p is not None:
            cards.append((f"publisert av IMDi for {r.year}", fmt_pct(p["value_pct"], 0)))
        return cards
    if p is not None:
        prog = "" if p["programme"] == "Jobbsjansen" else f" i {p['programme']}"
        cards.append(
            (
                f"av deltakerne{prog} gikk over til arbeid og/eller utdanning (publisert av IMDi)",
                fmt_pct(p["value_pct"], 0),
            )
        )
        prev = _previous_rate(r)
        if prev is not None:
            diff = float(p["value_pct"]) - float(prev["value_pct"])
            cards.append(
                (
                    f"endring fra {int(prev['year'])}, da andelen var "
                    f"{fmt_pct(prev['value_pct'], 0)}",
                    _change_words(diff).replace("var uendret", "uendret").capitalize(),
                )
            )
    for indicator, label in (
        ("projects", "prosjekter fikk tilskudd"),
        ("municipalities", "kommuner med tilskudd"),
        ("budget_mnok", "bevilgning i statsbudsjettet"),
        ("participants", "deltakere"),
    ):
        row = _published_value(r, indicator)
        if row is None:
            continue
        if indicator == "budget_mnok":
            value = f"{fmt_number(row['value'], 1)}\u00a0mill.\u00a0kr"
        elif indicator == "participants":
            value = _participants(row).capitalize()
        else:
            value = fmt_int(row["value"])
        if indicator == "municipalities":
            districts = _published_value(r, "city_districts")
            if districts is not None:
                label = f"kommuner med tilskudd, {fmt_int(districts['value'])} av dem bydeler"
            else:  # as published («53 kommuner og bydeler»), as in «Hovedfunn»
                label = "kommuner og bydeler med tilskudd"
        if indicator == "participants" and "innvandrarkvinner" in str(row["source_quote"]):
            label = "innvandrerkvinner deltok"
        cards.append((label, value))
    return cards


#: the tildelingsbrev in the sources (004) names the transition rate as its styringsparameter
#: 1 («Andel deltakere som går over i arbeid og/eller utdanning etter å ha deltatt i
#: Jobbsjansen») without a number
STEERING_PARAMETER_YEAR = 2023


def _goal(target: pd.Series) -> str:
    return (
        f"målet på {fmt_pct(target['value_pct'], 0)} for {md_escape(target['period'])} "
        f"({md_escape(target['source_title'])})"
    )


def target_sentence(r: JobbsjansenReport) -> str:
    """The year's published rate against the target set for that year, or — when no source
    sets one for the year — that there is none (:func:`no_target_text`).

    A target applies only to the years it was set for (:func:`analysis.jobbsjansen.report.
    target_for_year`): 2012 is not graded against the goal of 2014, nor 2024.
    """
    p, t = r.published_rate, r.target
    if p is None or t is None:
        return no_target_text(r)
    v, goal = float(p["value_pct"]), float(t["value_pct"])
    if np.isclose(v, goal):
        return f"Det er det samme som {_goal(t)}."
    return f"Det er {'over' if v > goal else 'under'} {_goal(t)}."


def no_target_text(r: JobbsjansenReport) -> str:
    """That no numeric target is published for the year; from 2023 that the tildelingsbrev
    has the rate as a styringsparameter without a number; after a year with a target, that
    target «til sammenligning» (never as a grade)."""
    text = f"Det er ikke publisert noe tallfestet mål for {r.year}"
    if r.year >= STEERING_PARAMETER_YEAR:
        text += (
            f": tildelingsbrevet for {STEERING_PARAMETER_YEAR} har andelen som "
            "styringsparameter, men uten tallkrav"
        )
    text += "."
    targets = r.published.loc[r.published["series"] == "target"]
    earlier = targets.loc[targets["year_end"].astype(float) < r.year]
    if len(earlier):
        last = earlier.iloc[-1]
        text += (
            f" Til sammenligning var målet for {md_escape(last['period'])} "
            f"{fmt_pct(last['value_pct'], 0)} ({md_escape(last['source_title'])})."
        )
    return text


def hovedfunn(r: JobbsjansenReport) -> list[str]:
    """«Hovedfunn»: 3–5 plain sentences with the key numbers.

    Without the real register they are the published figures only (the banner at the top says
    once that the rest is an illustration); with it, the register's figures lead and the
    published rate is the comparison. The rate is measured against the target set for the
    year only (:func:`target_sentence`).
    """
    if not r.synthetic:
        return _hovedfunn_register(r)
    points: list[str] = []
    p = r.published_rate
    if p is None:
        cal = r.person.calibration_year
        last = r.published.loc[r.published["series"] == "transition_rate"]
        points.append(f"IMDi har ikke publisert noen overgangsandel for Jobbsjansen for {r.year}.")
        if len(last):
            lp = last.iloc[-1]
            points.append(
                f"Siste publiserte tall er for {int(lp['year'])}: "
                f"{fmt_pct(lp['value_pct'], 0)} av deltakerne som avsluttet, gikk over til "
                f"arbeid eller utdanning ({md_escape(lp['source_title'])})."
            )
        if r.target is not None:
            points.append(
                f"Målet for {r.year} var {fmt_pct(r.target['value_pct'], 0)} "
                f"({md_escape(r.target['source_title'])})."
            )
        if cal is not None and cal != r.year and not len(last):
            points.append(f"De syntetiske dataene er kalibrert til tallene for {cal}.")
        return points
    who = (
        "deltakerne som avsluttet Jobbsjansen"
        if p["programme"] == "Jobbsjansen"
        else f"deltakerne som avsluttet {md_escape(p['programme'])}, forløperen til Jobbsjansen"
    )
    points.append(
        f"I {r.year} gikk {fmt_pct(p['value_pct'], 0)} av {who}, over til arbeid, utdanning "
        f"eller begge deler, ifølge IMDis egne tall ({md_escape(p['source_title'])})."
    )
    points.append(target_sentence(r))
    if p["programme"] != "Jobbsjansen":
        points.append(
            f"Ordningen het {md_escape(p['programme'])} fram til 2013, da Jobbsjansen ble en "
            "fast ordning."
        )
    prev = _previous_rate(r)
    if prev is not None:
        diff = float(p["value_pct"]) - float(prev["value_pct"])
        prog = (
            ""
            if prev["programme"] == p["programme"]
            else f", da ordningen het {md_escape(prev['programme'])}"
        )
        points.append(
            f"Andelen {_change_words(diff)} fra {int(prev['year'])}{prog} "
            f"({fmt_pct(prev['value_pct'], 0)})."
        )
    lo = r.published.loc[r.published["series"] == "transition_rate_min"]
    hi = r.published.loc[r.published["series"] == "transition_rate_max"]
    if (
        len(lo)
        and len(hi)
        and int(lo.iloc[0]["year_start"]) <= r.year <= int(lo.iloc[0]["year_end"])
    ):
        a, b = float(lo.iloc[0]["value_pct"]), float(hi.iloc[0]["value_pct"])
        v = float(p["value_pct"])
        # IMDi gives only the range of «de siste fem åra»; reading it as these years is an
        # interpretation (said under «Datakvalitet»), so the year is placed in the range as
        # IMDi gives it, not stated as the lowest or highest of the period
        shown = fmt_pct(v, 0)
        if np.isclose(v, a):
            pos = f"{shown} for {r.year} er det laveste i spennet IMDi oppgir"
        elif np.isclose(v, b):
            pos = f"{shown} for {r.year} er det høyeste i spennet IMDi oppgir"
        else:
            pos = f"{shown} for {r.year} ligger innenfor spennet IMDi oppgir"
        period = str(lo.iloc[0]["period"]).replace("-", "–")
        points.append(
            f"IMDi oppgir at andelen de siste fem årene har ligget mellom {fmt_pct(a, 0)} og "
            f"{fmt_pct(b, 0)} (her lest som {period}), og {pos}."
        )
    projects = _published_value(r, "projects")
    budget = _published_value(r, "budget_mnok")
    if projects is not None and budget is not None:
        mun = _published_value(r, "municipalities")
        where = ""
        if mun is not None:  # the key card's words: «kommuner med tilskudd, 9 av dem bydeler»
            districts = _published_value(r, "city_districts")
            where = f" i {fmt_int(mun['value'])} " + (
                f"kommuner, {fmt_int(districts['value'])} av dem bydeler"
                if districts is not None
                else "kommuner og bydeler"  # as published when the districts are not counted
            )
        points.append(
            f"{fmt_int(projects['value'])} prosjekter fikk tilskudd{where}, og bevilgningen "
            f"var {fmt_number(budget['value'], 1)}\u00a0mill.\u00a0kroner."
        )
    # that the rest is an illustration is said once, in the banner at the top
    return points[:5]


def _hovedfunn_register(r: JobbsjansenReport) -> list[str]:
    t = r.total
    points = [headline_sentence(r)]
    if pd.isna(t["transition_rate"]):
        return points
    points.append(_target_ci_sentence(r))
    p = r.published_rate
    if p is not None:
        diff = 100 * float(t["transition_rate"]) - float(p["value_pct"])
        shown = fmt_number(abs(diff), 1)
        rel = (
            "det samme"
            if shown.strip("0,") == ""
            else f"{shown}\u00a0prosentpoeng {'høyere' if diff > 0 else 'lavere'}"
        )
        points.append(
            f"IMDi har publisert {fmt_pct(p['value_pct'], 0)} for {r.year} "
            f"({md_escape(p['source_title'])}); tallet fra registeret er {rel}."
        )
    if r.funnel is not None:
        n998 = len(r.funnel.outside_99_8) + r.hidden_outside["funnel"]["outside_99_8"]
        n_all = r.funnel.n_units
        points.append(
            f"{fmt_int(n998) if n998 else 'Ingen'} av {fmt_int(n_all)} prosjekter skilte seg ut "
            "mer enn tilfeldigheter og vanlig variasjon kan forklare (utenfor "
            "99,8\u00a0%-grensene i traktplottet)."
        )
    return points


def headline_sentence(r: JobbsjansenReport) -> str:
    """The register's transition rate in one sentence (or why it cannot be shown)."""
    t = r.total
    if as_float(t["n_completed"]) == 0:
        return (
            f"Ingen deltakere fullførte Jobbsjansen i {r.year}, så andelen som gikk over til "
            "arbeid eller utdanning kan ikke beregnes for året."
        )
    if pd.isna(t["transition_rate"]):
        return (
            f"For få avslutninger til å beregne andelen for {r.year}: for få deltakere "
            "fullførte, og tallene er skjult av personvernhensyn."
        )
    return (
        f"Av de {fmt_int(t['n_completed'])} deltakerne som fullførte Jobbsjansen i {r.year}, "
        f"gikk {fmt_int(t['n_transition'])} over til arbeid, utdanning eller begge deler: "
        f"{fmt_share(t['transition_rate'])} (usikkerhetsmargin "
        f"{fmt_ci(t['ci_low'], t['ci_high'], fmt=fmt_share, sep=' til ')})."
    )


def _target_ci_sentence(r: JobbsjansenReport) -> str:
    """The register's rate with its margin against the target set for the year (real
    register only), or that no target is published for the year."""
    t, target = r.total, r.target
    if target is None:
        return no_target_text(r)
    lo, hi = 100 * t["ci_low"], 100 * t["ci_high"]
    goal = float(target["value_pct"])
    if lo > goal:
        return f"Andelen ligger klart over {_goal(target)}."
    if hi < goal:
        return f"Andelen ligger klart under {_goal(target)}."
    return (
        f"Usikkerhetsmarginen omfatter {_goal(target)}, så vi kan ikke si sikkert om andelen "
        "ligger over eller under målet."
    )


#: the one line of each «Illustrasjon på syntetiske data» panel
ILLUSTRATION_TEXTS = {
    "outcomes": "Statusen ved avslutning er beregnet fra syntetiske registerdata kalibrert til "
    "IMDis publiserte andel. Tallene viser hvordan tabellen blir, ikke virkelige resultater, og "
    "kan ikke siteres.",
    "groups": "Andelene etter målgruppe, kjønn og alder er beregnet fra syntetiske "
    "registerdata. De viser hvordan figurene blir, ikke virkelige forskjeller, og kan ikke "
    "siteres.",
    "projects": "Prosjektene, kommunene og tallene deres er syntetiske. Figuren og tabellen "
    "viser metoden, ikke hvordan virkelige prosjekter har gjort det, og kan ikke siteres.",
    "risk": "Den justerte sammenligningen er beregnet fra syntetiske registerdata. Den viser "
    "metoden, ikke virkelige prosjekter, og kan ikke siteres.",
    "followup": "Statusen ett år etter er beregnet fra syntetiske registerdata og kan ikke "
    "siteres.",
}


def ssb_followup_text(r: JobbsjansenReport) -> str:
    """SSB's published follow-up one year after (quotable), or that none is published."""
    ssb = r.published.loc[r.published["series"] == "followup_1y_rate"]
    if not len(ssb):
        return "SSB har ikke publisert tall for status ett år etter."
    s = ssb.iloc[0]
    return (
        f"SSB har målt at {fmt_pct(s['value_pct'], 0)} av dem som avsluttet Jobbsjansen i "
        f"{md_escape(s['period'])}, var i arbeid eller utdanning ett år etter "
        f"({md_escape(s['source_title'])}). Det er det første kullet som er fulgt opp på "
        "denne måten."
    )


def definitions_text() -> str:
    """«Definisjoner» in «Om statistikken»."""
    return (
        "* **Overgangsandel**: blant deltakerne som avsluttet programmet i løpet av året, "
        "andelen som gikk over til arbeid, utdanning eller begge deler. Deltakere som ble "
        "faset ut før tiden, holdes utenfor nevneren; deltakere som fortsatt er i programmet, "
        "teller ikke. Som et andre mål vises andelen med de utfasede i nevneren.\n"
        "* **Fullførte**: deltakere som avsluttet programmet som planlagt i løpet av året.\n"
        "* **Faset ut**: deltakere som sluttet før tiden.\n"
        "* **Usikkerhetsmargin (95\u00a0% konfidensintervall, KI)**: viser hvor mye andelen "
        "kunne ha variert av tilfeldige grunner. Regnet ut på samme måte for mange like "
        "grupper av deltakere, ville 95 av 100 slike intervaller omfatte den underliggende "
        "andelen.\n"
        "* **Traktplott**: en figur som viser hvert prosjekts andel mot antall deltakere, "
        "med kontrollgrenser som blir smalere jo større prosjektet er.\n"
        "* **Observert/forventet (O/F)**: observert antall overganger delt på antallet som "
        f"kunne forventes ut fra deltakernes {risk_covariates_text(short=True)}.\n"
        "* **Ett år etter**: om deltakeren var i arbeid eller utdanning ett år etter at "
        "programmet ble avsluttet (SSBs mål); et annet mål enn overgangen ved avslutning."
    )


def sources_text(r: JobbsjansenReport) -> str:
    """«Kilder» in «Om statistikken»: the published documents, the 60 % line and the
    calibration of the synthetic data."""
    from analysis.data.published import SOURCE_TITLES

    docs = [SOURCE_TITLES.get(d, d) for d in sorted(set(_documents(r)))]
    items = [
        "**Publiserte tall** er hentet uendret fra "
        + join_titles(docs)
        + ". Hver verdi står med dokument, avsnitt og ordrett sitat i fou-analyse "
        "(`data/raw/published/jobbsjansen.csv`).",
        # the citation names the goal itself («Mål 60 % for 2014 (…)»): no label repeating it
        "**Mål og krav**: " + md_escape(r.requirement_citation),
    ]
    if r.synthetic:
        items.append(
            "**Syntetiske registerdata**: tallene under «Illustrasjon på syntetiske data» er "
            "beregnet fra syntetiske data. "
            + calibration_text(r.person.calibration_year, r.person.note)
        )
    return "\n".join(f"* {i}" for i in items)


def calibration_text(year: int | None, note: str | None) -> str:
    """What the synthetic data are calibrated to, in plain sentences: the year, then the
    details of the generator's note (:func:`analysis.data.synthetic.synth_jobbsjansen`)
    without its own first sentence about the year."""
    text = (
        f"De er kalibrert til IMDis publiserte tall for {year}."
        if year is not None
        else "De er kalibrert til IMDis publiserte tall."
    )
    sentences = [s.strip() for s in str(note or "").split(". ") if s.strip()]
    rest = [s if s.endswith(".") else s + "." for s in sentences[1:]]
    return " ".join([text, *(md_escape(s) for s in rest)])


def _documents(r: JobbsjansenReport) -> list[str]:
    """The source documents of the published figures the report shows."""
    docs = list(r.published_year["source_document"].astype(str))
    docs += [str(d) for d in r.published.get("source_document", pd.Series(dtype=str))]
    return docs


def quality_text(r: JobbsjansenReport) -> str:
    """«Datakvalitet» in «Om statistikken»: what in the published figures does not add up."""
    items = [
        "IMDis årsrapport for 2014 oppgir både et mål på 60\u00a0% (i teksten) og et krav "
        "på 55\u00a0% for 2014 (i tabellen over resultatkrav). Rapporten bruker 60\u00a0% som "
        "mål for 2014, og bare for 2014: kildene oppgir ikke noe tallfestet mål for andre år.",
        "For 2020–2024 er bare spennet (72–79\u00a0%) publisert, ikke tallet for hvert år; "
        "«de siste fem åra» i likestillingsutgreiinga for 2024 er lest som 2020–2024.",
        "SSBs oppfølging ett år etter står som 77\u00a0% i teksten og som «tre av fire» i "
        "tittelen på publikasjonen det vises til; rapporten bruker 77\u00a0%.",
        "Antall deltakere for 2024 er publisert som «over 1300» og gjelder "
        "innvandrerkvinnene; kostnaden per deltaker for 2024 er derfor en øvre grense.",
        "Kildene er skannede dokumenter lest med tekstgjenkjenning; tallene er kontrollert mot "
        "sidene, men sitatene i datafilen kan ha feillesninger.",
    ]
    return "\n".join(f"* {i}" for i in items)


def cost_source(r: JobbsjansenReport) -> str:
    """The «Kilde:» line of the cost table."""
    from analysis.data.published import SOURCE_TITLES

    years = set(r.cost["year"].astype(int)) if len(r.cost) else set()
    docs = {"003_afb06a9e0419b34b.txt": 2014, "001_8a3baf08903e064b.txt": 2024}
    used = [SOURCE_TITLES[d] for d, y in docs.items() if y in years]
    text = "Beregnet fra bevilgning og antall deltakere i " + (
        join_titles(used) if used else "IMDis publiserte tall"
    )
    if "per_transition" in r.cost.columns or not r.synthetic:
        text += " og antall overganger i Jobbsjansen-registeret" if not r.synthetic else ""
    return text


def group_figure_title(dimension: str, year: int) -> str:
    """The numbered caption of a group figure."""
    return (
        f"Andel over i arbeid og/eller utdanning etter {jj.DIMENSION_LABELS[dimension].lower()}, "
        f"avsluttet i {year}"
    )


def model_method_text(r: JobbsjansenReport) -> str:
    """The funnels' and the model's statistics and what is hidden, for «Om statistikken»."""
    items = [funnel_method_text(r), funnel_method_text(r, risk=True)]
    if r.risk is not None:
        fit = r.risk.fit
        where = "I de syntetiske dataene skiller den" if r.synthetic else "Den skiller"
        items.append(
            "Modellen for forventet antall overganger er en logistisk regresjon på "
            f"{fmt_int(fit['n_obs'])} deltakere som fullførte. {where} dårlig mellom "
            "deltakere som går over og ikke: c-statistikken (AUC) er "
            f"{fmt_number(fit['auc'], 2)}, der 0,5 er som å gjette og 1 er perfekt."
            if fit["auc"] < 0.7
            else "Modellen for forventet antall overganger er en logistisk regresjon på "
            f"{fmt_int(fit['n_obs'])} deltakere som fullførte; c-statistikken (AUC) er "
            f"{fmt_number(fit['auc'], 2)}, der 0,5 er som å gjette og 1 er perfekt."
        )
    items.append(
        hidden_text("project_id", r.n_projects_hidden, r.n_projects, r.min_cell)
        + " "
        + hidden_text("municipality", r.n_municipalities_hidden, r.n_municipalities, r.min_cell)
    )
    return "\n".join(f"* {i}" for i in items if i)


def no_other_published_text(r: JobbsjansenReport) -> str:
    """Instead of the table of the year's other published figures, when there are none: what
    IMDi has published for the year (the rate is in the series table above)."""
    prog = md_escape(r.programme)
    if r.published_rate is None:
        return f"IMDi har ikke publisert tall om {prog} for {r.year}."
    return (
        f"For {r.year} har IMDi bare publisert overgangsandelen, "
        f"{fmt_pct(r.published_rate['value_pct'], 0)}, som står i tabellen over. Tall om "
        f"bevilgning, prosjekter og deltakere i {prog} er ikke publisert for {r.year}."
    )


# --------------------------------------------------------------------------- the funnel's choices


def funnel_method_description(method: str) -> str:
    """The method text's item on the project funnel (parameter ``funnel_method``)."""
    if method == "funnelplotr":
        return (
            "* **Traktplott**: Spiegelhalter (2005a), med metoden i R-pakken FunnelPlotR: "
            "overspredningen\n"
            "  mellom prosjektene anslås fra winsoriserte z-verdier på arcsin-skala "
            "(Spiegelhalter 2005b)\n"
            "  og legges til som en tilfeldig prosjekteffekt (DerSimonian & Laird 1986); "
            "grensene på 95 %\n"
            "  og 99,8 % er normaltilnærmede på arcsin-skala. Et prosjekt utenfor grensene er "
            "et signal\n"
            "  om å se nærmere på det, ikke et funn."
        )
    return (
        "* **Traktplott**: Spiegelhalter (2005a). Overspredningen mellom prosjektene anslås fra\n"
        "  winsoriserte z-verdier på arcsin-skala (Spiegelhalter 2005b), korrigert for at\n"
        "  winsoriseringen alene gir for lav verdi, og legges til som en tilfeldig "
        "prosjekteffekt\n"
        "  (DerSimonian & Laird 1986). Grensene på 95 % og 99,8 % er eksakte (binomisk eller\n"
        "  beta-binomisk fordeling), slik at små prosjekter og andeler nær 0 eller 100 % ikke "
        "havner\n"
        "  utenfor bare fordi tilnærmingen svikter. Et prosjekt utenfor grensene er et signal "
        "om å se\n"
        "  nærmere på det, ikke et funn. Nøkkeltallene har i tillegg resultatet med metoden i\n"
        "  R-pakken FunnelPlotR."
    )


def funnel_intro(r: JobbsjansenReport) -> str:
    """The opening of «Prosjektene sammenlignet» (Markdown, shown by
    :func:`analysis.render.notebook.prose`): the centre line follows ``funnel_target``."""
    if r.funnel_target is None:
        line = "Den vannrette linjen er andelen for\nalle prosjektene samlet."
        mean = "gjennomsnittet"
    else:
        line = f"Den vannrette linjen er en fast\nandel på {fmt_share(r.funnel_target)}."
        mean = "denne andelen"
    return (
        "Prosjektene er ulike store, og i små prosjekter kan andelen svinge mye fra år til år "
        "av rene\ntilfeldigheter. En rangeringsliste ville derfor gitt et misvisende bilde. "
        "Vi bruker i stedet\net *traktplott*: hvert prosjekt er et punkt som viser andelen som "
        "gikk over til arbeid\nog/eller utdanning mot antall deltakere som fullførte. "
        f"{line} Kurvene er kontrollgrenser: et prosjekt som bare skiller seg fra\n"
        f"{mean} ved tilfeldigheter, havner innenfor 95\u00a0%-grensene i 95 av 100 "
        "tilfeller og\n"
        "innenfor 99,8\u00a0%-grensene i 998 av 1\u202f000. Grensene blir smalere jo større "
        "prosjektet "
        "er –\nderav traktformen.\n\n"
        "Et prosjekt utenfor grensene er et signal om å se nærmere på prosjektet, ikke en "
        "dom:\n"
        "forskjellen kan skyldes hvem deltakerne er, det lokale arbeidsmarkedet eller hvordan\n"
        "resultatene er registrert. Prosjekter utenfor 99,8\u00a0%-grensene gir sterkest "
        "grunn til\n"
        "oppfølging."
    )


# --------------------------------------------------------------------------- the risk model's words

#: shorter words for running text («ut fra deltakernes målgruppe, alder og kjønn»)
_SHORT_WORDS = {"age_band": "alder"}


def risk_covariates_text(
    covariates: tuple[str, ...] | list[str] | None = None, *, short: bool = False
) -> str:
    """The risk model's covariates in words (default
    :data:`analysis.jobbsjansen.models.RISK_COVARIATES`): «målgruppe, aldersgruppe og kjønn»,
    with ``short`` «målgruppe, alder og kjønn»."""
    from analysis.jobbsjansen.models import RISK_COVARIATES

    covs = RISK_COVARIATES if covariates is None else covariates
    return join_and(
        [
            (_SHORT_WORDS.get(c) if short else None) or jj.DIMENSION_LABELS.get(c, c).lower()
            for c in covs
        ]
    )


def risk_intro(r: JobbsjansenReport) -> str:
    """The opening of «Sammenligning justert for hvem deltakerne er» (Markdown, shown by
    :func:`analysis.render.notebook.prose`), naming the model's covariates (those it is
    given; one left out because it did not vary is named by :func:`risk_text`)."""
    covs = None
    return (
        "Prosjektene har ulike deltakere: noen har mange unge, andre mange som har vært "
        "hjemmeværende\nlenge. For å ta hensyn til det beregner vi hvor mange overganger hvert "
        "prosjekt kunne\n*forventes* å ha ut fra deltakernes "
        f"{risk_covariates_text(covs, short=True)}. Forholdet mellom observert og\n"
        "forventet antall overganger (O/F) er over 1 når prosjektet fikk flere over i arbeid "
        "eller\nutdanning enn deltakersammensetningen tilsier, og under 1 når det fikk færre. "
        "Traktplottet\nviser O/F mot forventet antall, med grenser beregnet på samme måte som "
        "over. O/F for hvert\nprosjekt står i tabellen over; modellen er beskrevet i «Om "
        "statistikken»."
    )
