"""The Jobbsjansen report's tables: accessible HTML (:func:`analysis.render.tables.html_table`)
with bokmål captions, column labels, Norwegian number formats and notes.

Each function takes the result it shows (a DataFrame as :func:`analysis.jobbsjansen.report.build`
holds it, or as a researcher computes it in a notebook cell) and what the caption and notes
need: the exit ``year``, whether the data are ``synthetic`` and the ``min_cell`` threshold
the table was protected with. Tables print what they are given: hidden values (NaN in a row
marked ``suppressed``) print as ``:``; nothing here decides what is hidden
(:mod:`analysis.disclosure.register` does), so protect a result before showing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.data.codes import TOTAL
from analysis.data.published import source_title
from analysis.disclosure.tables import DEFAULT_MIN_CELL
from analysis.jobbsjansen import measures as jj
from analysis.jobbsjansen.labels import group_label
from analysis.jobbsjansen.texts import (
    INDICATOR_LABELS,
    PUBLISHED_GROUP_LABELS,
    fmt_p,
    hidden_text,
    section_ref,
)
from analysis.render.formatting import (
    MISSING,
    SUPPRESSED,
    fmt_ci,
    fmt_int,
    fmt_nok,
    fmt_number,
    fmt_pct,
    fmt_share,
)
from analysis.render.sources import register_data
from analysis.render.tables import html_table


def _ratio(v: Any) -> str:
    return fmt_number(v, 2)


def _suppression_note(min_cell: int, hidden: Any = True) -> str:
    """The «: = skjult» note, only when the table hides something (``hidden``)."""
    if not bool(hidden):
        return ""
    return (
        f": = skjult fordi gruppen har færre enn {min_cell} deltakere som fullførte, "
        "eller for at en skjult gruppe ikke skal kunne regnes ut fra totalen."
    )


def _round_nok(v: float) -> str:
    """An approximate amount as a reader would say it: to the nearest thousand kroner
    (``285 777 → 286 000 kr``)."""
    return fmt_nok(round(float(v), -3), 0)


_RATE_LABELS = {
    "group": "Gruppe",
    "n_ended": "Avsluttet (N)",
    "n_completed": "Fullførte (N)",
    "n_transition": "Over i arbeid/utdanning (N)",
    "transition_rate": "Andel",
    "ci_low": "95 % KI, nedre",
    "ci_high": "95 % KI, øvre",
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


def html_group_table(
    rates: pd.DataFrame,
    dimension: str,
    *,
    year: int,
    synthetic: bool = False,
    min_cell: int = DEFAULT_MIN_CELL,
    incl_phased_out: bool = True,
) -> str:
    """Transition rates by target group, gender or age band (suppressed rows print ``:``).

    ``incl_phased_out=False`` leaves out the second measure (the rate with the phased out in
    the denominator), for a narrower table in the report.

    ``rates``: the protected rates by dimension (``dimension``, ``group``, the counts and
    rates of :func:`analysis.jobbsjansen.measures.transition_rates_by_dimension` and
    ``suppressed``; :func:`analysis.disclosure.register.suppress_rates`), with the total row.
    """
    t = rates.loc[rates["dimension"].isin([dimension, TOTAL])].copy()
    t["group"] = [
        ("Alle" if d == TOTAL else group_label(dimension, g))
        for d, g in zip(t["dimension"], t["group"], strict=True)
    ]
    t["ci"] = list(zip(t["ci_low"], t["ci_high"], strict=True))
    cols = ["group", "n_completed", "n_transition", "transition_rate", "ci"]
    if incl_phased_out:
        cols.append("transition_rate_incl_phased_out")
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
        f"avsluttet i {year} ({register_data(synthetic)})",
        row_header="group",
        labels={**_RATE_LABELS, "group": name, "ci": "95\u00a0% KI"},
        formats={**_RATE_FORMATS, incl: str, "ci": _ci_pair},
        suppressed=t["suppressed"],
        note=(
            "Andel = over i arbeid og/eller utdanning blant dem som fullførte (utfasede "
            "holdes utenfor nevneren). KI = konfidensintervall: usikkerhetsmarginen rundt "
            "andelen. "
            + _suppression_note(
                min_cell, t["suppressed"].any() or (incl_phased_out and phased_hidden.any())
            )
        ),
    )


def html_outcomes_table(
    outcomes: pd.DataFrame,
    *,
    year: int,
    synthetic: bool = False,
    min_cell: int = DEFAULT_MIN_CELL,
) -> str:
    """What those who ended in the year went to (``label``, ``n``, ``share``, ``suppressed``;
    :func:`analysis.disclosure.register.protect_outcomes`)."""
    t = outcomes
    return html_table(
        t[["label", "n", "share"]],
        caption=f"Status ved avslutning {year} ({register_data(synthetic)})",
        row_header="label",
        labels={"label": "Status ved avslutning", "n": "Antall", "share": "Andel av fullførte"},
        formats={"n": fmt_int, "share": fmt_share},
        suppressed=t["suppressed"],
        note=(
            "Arbeid, utdanning og begge deler regnes som overgang. Deltakere som ble faset "
            "ut før tiden, er ikke med i IMDis nevner. – = ikke relevant. "
            + _suppression_note(min_cell, t["suppressed"].any())
        ),
    )


def html_municipality_table(
    municipalities: pd.DataFrame,
    *,
    year: int,
    n_total: int,
    synthetic: bool = False,
    min_cell: int = DEFAULT_MIN_CELL,
) -> str:
    """Municipalities with at least ``min_cell`` completers (the others are not named).

    ``municipalities``: the listed ones only (``municipality`` and the rate columns);
    ``n_total``: how many municipalities there are, listed or not.
    """
    t = municipalities
    cols = ["municipality", "n_completed", "n_transition", "transition_rate", "ci_low", "ci_high"]
    return html_table(
        t[cols],
        caption=f"Overgang etter kommune (bydel), avsluttet i {year} ({register_data(synthetic)})",
        row_header="municipality",
        labels={**_RATE_LABELS, "municipality": "Kommune/bydel"},
        formats=_RATE_FORMATS,
        note=(
            "Sortert etter navn, ikke etter resultat. "
            f"{hidden_text('municipality', n_total - len(t), n_total, min_cell)}"
        ),
    )


def _ci_pair(v: Any) -> str:
    lo, hi = v
    return fmt_ci(100 * lo, 100 * hi, 1, unit="%")


def _rate_ci(v: Any) -> str:
    rate, lo, hi = v
    return f"{fmt_share(rate)} ({fmt_ci(100 * lo, 100 * hi, 1)})"


#: U+2011 NON-BREAKING HYPHEN: a project id such as «SYN-P-001» is not broken at its hyphens
#: in a narrow column (display only: the ids in the data, the text and the JSON are unchanged)
NB_HYPHEN = "\u2011"


def _unbroken(v: Any) -> str:
    """A project id as displayed in the project table: hyphens that do not break the line."""
    return str(v).replace("-", NB_HYPHEN)


def _ratio_ci(v: Any) -> str:
    oe, lo, hi = v
    return f"{fmt_number(oe, 2)} ({fmt_ci(lo, hi, 2)})"


def html_project_table(
    projects: pd.DataFrame,
    *,
    year: int,
    n_total: int,
    synthetic: bool = False,
    min_cell: int = DEFAULT_MIN_CELL,
) -> str:
    """Listed projects by id: rate, place in the funnel, expected transitions and O/E.

    ``projects``: the listed ones only (``project_id``, the rate columns, and with the risk
    model ``funnel_position``, ``oe``, ``oe_ci_low``, ``oe_ci_high``, ``oe_position``);
    ``n_total``: how many projects there are, listed or not.
    """
    t = projects.copy()
    t["project_id"] = t["project_id"].map(_unbroken)
    t["rate_ci"] = list(zip(t["transition_rate"], t["ci_low"], t["ci_high"], strict=True))
    t["counts"] = [
        f"{fmt_int(k)} av {fmt_int(n)}"
        for k, n in zip(t["n_transition"], t["n_completed"], strict=True)
    ]
    cols = ["project_id", "counts", "rate_ci"]
    formats: dict[str, Any] = {"counts": str, "rate_ci": _rate_ci}
    unnamed = False
    if "municipality" in t.columns:
        # named only where the municipality itself may be listed (report.build)
        unnamed = bool(t["municipality"].isna().any())
        t["municipality"] = t["municipality"].map(lambda m: MISSING if pd.isna(m) else m)
        cols.insert(1, "municipality")
    if "oe" in t.columns:
        t["oe_ci"] = list(zip(t["oe"], t["oe_ci_low"], t["oe_ci_high"], strict=True))
        cols += ["funnel_position", "oe_ci", "oe_position"]
        formats["oe_ci"] = _ratio_ci
    return html_table(
        t[cols],
        caption=f"Overgang per prosjekt og kommune, avsluttet i {year} "
        f"({register_data(synthetic)})",
        row_header="project_id",
        labels={
            "project_id": "Prosjekt",
            "municipality": "Kommune/bydel",
            "counts": "Overganger",
            "rate_ci": "Andel (95\u00a0% KI)",
            "funnel_position": "Plassering i traktplottet",
            "oe_ci": "O/F (95\u00a0% KI)",
            "oe_position": "Plassering, justert",
        },
        formats=formats,
        note=(
            "Sortert etter prosjekt-id, ikke etter resultat: tabellen er ingen rangering. "
            "Overganger: «3 av 5» = 3 av 5 som fullførte gikk over i arbeid og/eller "
            "utdanning. Plassering: om prosjektet ligger innenfor kontrollgrensene i "
            "traktplottet, eller over eller under 95\u00a0%- eller 99,8\u00a0%-grensen "
            "(«Under 95\u00a0%» = under den nedre 95\u00a0%-grensen). O/F = observert/forventet "
            "antall overganger, forklart under «Sammenligning justert for hvem deltakerne er». "
            f"{hidden_text('project_id', n_total - len(t), n_total, min_cell)}"
            + (
                " – i kommunekolonnen: kommunen er ikke navngitt, fordi den også har et "
                "prosjekt med skjulte tall."
                if unnamed
                else ""
            )
        ),
    )


def html_model_table(
    model_table: pd.DataFrame,
    fit: Mapping[str, Any],
    *,
    year: int,
    synthetic: bool = False,
    min_cell: int = DEFAULT_MIN_CELL,
) -> str:
    """Odds ratios of the logistic model (transition among completers).

    ``model_table``: ``label``, ``odds_ratio``, ``or_ci_low``, ``or_ci_high``, ``p_value``,
    ``suppressed`` (:func:`analysis.disclosure.register.hide_model_levels`); ``fit``: the
    model's fit statistics (:attr:`analysis.jobbsjansen.models.RiskAdjustment.fit`).
    """
    t = model_table
    return html_table(
        t[["label", "odds_ratio", "or_ci_low", "or_ci_high", "p_value"]],
        caption=f"Logistisk regresjon: sjansen for overgang etter deltakernes kjennetegn, "
        f"{year} ({register_data(synthetic)})",
        row_header="label",
        labels={
            "label": "Kjennetegn",
            "odds_ratio": "Oddsforhold",
            "or_ci_low": "95 % KI, nedre",
            "or_ci_high": "95 % KI, øvre",
            "p_value": "p-verdi",
        },
        formats={"odds_ratio": _ratio, "or_ci_low": _ratio, "or_ci_high": _ratio, "p_value": fmt_p},
        suppressed=t["suppressed"],
        note=(
            f"Modellen bygger på {fmt_int(fit['n_obs'])} deltakere som fullførte. Et "
            "oddsforhold over 1 betyr større sjanse for overgang enn referansegruppen når de "
            "andre kjennetegnene holdes like. Wald-intervaller. McFaddens pseudo-R² = "
            f"{fmt_number(fit['mcfadden_r2'], 3)}, c-statistikk (AUC) = "
            f"{fmt_number(fit['auc'], 2)}. Konstantleddet er ikke vist. "
            + _suppression_note(min_cell, t["suppressed"].any())
        ),
    )


def html_followup_table(followup: pd.DataFrame, *, year: int, synthetic: bool = False) -> str:
    """Status one year after the end, both denominators
    (:func:`analysis.jobbsjansen.measures.followup_rate`, protected by
    :func:`analysis.disclosure.register.protect_followup`)."""
    t = followup.copy()
    t["measure"] = t["measure"].map(
        {
            "all_completers": "Alle som fullførte (ukjent status = ikke i arbeid/utdanning)",
            "known_status": "Bare dem med kjent status",
        }
    )
    return html_table(
        t[["measure", "n", "n_work_or_education", "rate", "ci_low", "ci_high"]],
        caption=f"I arbeid og/eller utdanning ett år etter avslutning, fullført i {year} "
        f"({register_data(synthetic)})",
        row_header="measure",
        labels={
            "measure": "Nevner",
            "n": "Deltakere (N)",
            "n_work_or_education": "I arbeid/utdanning (N)",
            "rate": "Andel",
            "ci_low": "95 % KI, nedre",
            "ci_high": "95 % KI, øvre",
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


def _text(value: object) -> str:
    """An already formatted value, as it is (``MISSING`` for none): passed as the format of a
    number column, so that the column is right-aligned like every other number column."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return MISSING
    return str(value)


def _published_value(row: pd.Series) -> str:
    v, unit = float(row["value"]), str(row["unit"])
    if unit == "pct":
        text = fmt_pct(v, 1, trim=True)
    elif unit == "mnok":
        text = f"{fmt_number(v, 1)}\u00a0mill.\u00a0kr"
    else:
        text = fmt_int(v)
    q = row.get("qualifier")
    if q is not None and not pd.isna(q) and str(q).strip():
        text = f"{q} {text}"
    return text


def html_published_table(published: pd.DataFrame, *, year: int) -> str:
    """The figures IMDi has published for ``year``, as published (rows of
    ``load_published("jobbsjansen")`` that concern the year).

    The source goes in the «Kilde:» line under the table
    (:func:`analysis.jobbsjansen.texts.published_source`); a «Kilde» column only when the rows
    come from more than one place. The verbatim quotes (with the OCR's misreadings) stay in
    ``data/raw/published/jobbsjansen.csv``.
    """
    t = published.copy()
    t["what"] = t["indicator"].map(lambda i: INDICATOR_LABELS.get(i, i))
    group = t["group"].map(lambda g: PUBLISHED_GROUP_LABELS.get(g, g))
    t["what"] = [
        w if g == TOTAL else f"{w} – {gl.lower()}"
        for w, g, gl in zip(t["what"], t["group"], group, strict=True)
    ]
    women = t["source_quote"].astype(str).str.contains("innvandrarkvinner") & (
        t["indicator"] == "participants"
    )
    t.loc[women, "what"] = t.loc[women, "what"] + " (innvandrerkvinner)"
    t["shown"] = t.apply(_published_value, axis=1)
    t["period"] = t["period"].astype(str).str.replace("-", "–")
    cols = ["what", "period"]
    if (t["programme"] != "Jobbsjansen").any():
        cols.append("programme")
    cols.append("shown")
    places = t[["source_document", "source_section"]].drop_duplicates()
    if len(places) > 1:
        t["source"] = [
            f"{source_title(d)}, {section_ref(x)}"
            for d, x in zip(t["source_document"], t["source_section"], strict=True)
        ]
        cols.append("source")
    return html_table(
        t[cols],
        caption=f"Publiserte tall om Jobbsjansen som gjelder {year}",
        row_header="what",
        formats={"shown": _text},  # a number column: right-aligned (class "num")
        labels={
            "what": "Tall",
            "period": "Periode",
            "programme": "Ordning",
            "shown": "Verdi",
            "source": "Kilde",
        },
        note="Tallene er gjengitt slik IMDi har publisert dem."
        + (
            ""
            if t["indicator"].str.startswith("transition_rate").any()
            else " Overgangsandelene står i tabellen «Publiserte overgangsandeler, mål og krav»."
        ),
    )


def html_series_table(series: pd.DataFrame) -> str:
    """The published series behind the trend figure, with sources
    (:func:`analysis.data.jobbsjansen_series.published_series`)."""
    t = series.loc[
        series["series"].isin(
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
    # the programme only where it is not Jobbsjansen (Ny sjanse, 2012): one column less
    t["label"] = [
        lab if prog == "Jobbsjansen" else f"{lab} ({prog})"
        for lab, prog in zip(t["label"], t["programme"], strict=True)
    ]
    return html_table(
        t[["label", "period", "shown", "source_title"]],
        caption="Publiserte overgangsandeler, mål og krav for Jobbsjansen",
        row_header="label",
        formats={"shown": _text},  # a number column: right-aligned (class "num")
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


def html_cost_table(cost: pd.DataFrame, *, synthetic: bool = False) -> str:
    """Approximate cost per participant (and per transition where the register has them;
    :func:`analysis.jobbsjansen.measures.cost_per_participant`, protected by
    :func:`analysis.disclosure.register.protect_cost`)."""
    t = cost.copy()
    t["year_text"] = t["year"].astype(str)
    t["participants_text"] = [
        (f"{q} " if isinstance(q, str) and q.strip() else "") + fmt_int(n)
        for q, n in zip(t["participants_qualifier"], t["participants"], strict=True)
    ]
    t["per_participant"] = [
        ("høyst ca. " if b == "upper" else "ca. ") + _round_nok(v)
        for b, v in zip(t["bound"], t["cost_per_participant_nok"], strict=True)
    ]
    cols = ["year_text", "budget_mnok", "participants_text", "per_participant"]
    formats: dict[str, Any] = {
        "budget_mnok": lambda v: fmt_number(v, 1),
        "participants_text": str,
        "per_participant": str,
    }
    # a cost per transition only from real counts: synthetic transitions would give a
    # precise-looking amount nobody may quote
    if "cost_per_transition_nok" in t.columns and not synthetic:
        t["per_transition"] = t["cost_per_transition_nok"].map(
            lambda v: MISSING if pd.isna(v) else "ca. " + _round_nok(v)
        )
        cols += ["n_transition", "per_transition"]
        formats["n_transition"] = fmt_int
        formats["per_transition"] = str
    src = register_data(synthetic)
    per_transition = "per_transition" in cols
    return html_table(
        t[cols],
        caption="Omtrentlig kostnad per deltaker og per overgang"
        if per_transition
        else "Omtrentlig kostnad per deltaker",
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
            "Bevilget beløp i statsbudsjettet delt på publisert antall deltakere i året, "
            "rundet til nærmeste tusen kroner. For 2024 er antallet publisert som «over "
            "1300» (og gjelder innvandrerkvinnene), så beløpet per deltaker er en øvre "
            "grense."
            + (
                " Per overgang: bevilgningen delt på antall overganger for dem som "
                "avsluttet samme år; – = ikke beregnet (ingen registerdata for året)."
                if per_transition
                else ""
            )
        ),
    )
