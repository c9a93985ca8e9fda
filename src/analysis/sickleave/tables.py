"""The sick-leave report's HTML tables (bokmål captions, labels and notes).

Each function takes the computed report (:class:`analysis.sickleave.report.SickLeaveReport`)
and returns one accessible table (:func:`analysis.render.tables.html_table`); hidden cells are
shown as ``:``. The words come from :mod:`analysis.sickleave.texts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.data.codes import GENDERS
from analysis.data.published import source_title
from analysis.render.formatting import (
    MISSING,
    SUPPRESSED,
    fmt_ci,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_share,
)
from analysis.render.sources import person_data
from analysis.render.tables import html_table
from analysis.sickleave import measures as S
from analysis.sickleave.labels import group_label
from analysis.sickleave.measures import COMPARISON_KIND as KIND
from analysis.sickleave.texts import (
    KIND_SHORT,
    PUBLISHED_DEFINITION,
    RATE_DECIMALS,
    adjusted_label,
    adjusted_notes,
    cite,
    fmt_published,
    fmt_ratio,
    gender_label,
)

if TYPE_CHECKING:
    from analysis.sickleave.report import SickLeaveReport


# --------------------------------------------------------------------------- tables (HTML)


def html_rates_table(r: SickLeaveReport) -> str:
    """Headline rates: kind × gender, each with its 95 % interval."""
    rows = []
    for k in S.KINDS:
        row: dict[str, Any] = {"kind": KIND_SHORT[k]}
        for g in (*GENDERS, S.TOTAL):
            x = r.rate(g, k)
            hidden = pd.isna(x["rate_pct"])
            row[f"rate_{g}"] = SUPPRESSED if hidden else fmt_pct(x["rate_pct"], RATE_DECIMALS)
            row[f"ci_{g}"] = SUPPRESSED if hidden else fmt_ci(x["ci_low"], x["ci_high"], unit="%")
        rows.append(row)
    t = pd.DataFrame(rows)
    n = {g: r.rate(g)["n_persons"] for g in (*GENDERS, S.TOTAL)}
    any_hidden = any(pd.isna(v) for v in n.values())
    labels = {"kind": "Sykefravær"}
    for g in (*GENDERS, S.TOTAL):
        n_text = SUPPRESSED if pd.isna(n[g]) else fmt_int(n[g])
        labels[f"rate_{g}"] = f"{gender_label(g)} (N\u00a0=\u00a0{n_text})"
        labels[f"ci_{g}"] = f"95\u00a0% KI, {gender_label(g, lower=True)}"
    return html_table(
        t,
        caption=(
            f"Sykefravær etter kjønn {r.year}, prosent av avtalte dagsverk "
            f"({person_data(r.person.synthetic)})"
        ),
        row_header="kind",
        labels=labels,
        formats={c: str for c in t.columns if c != "kind"},
        note=(
            "Sykefraværsprosent = tapte dagsverk × 100 / avtalte dagsverk (SSBs og NAVs "
            "definisjon). Samlet = legemeldt og egenmeldt. KI = konfidensintervall, beregnet "
            "med personer som enheter. "
            "N = antall personer med avtalte dagsverk."
            + (
                f" : = skjult fordi tallet bygger på færre enn {r.min_cell} personer, eller "
                "for at det ikke skal kunne regnes ut fra de andre tallene."
                if any_hidden
                else ""
            )
        ),
    )


def _group_rows(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """The suppressed group × gender table, wide in kinds, one row per group and gender."""
    wide = []
    for (grp, g), sub in table.groupby([column, "gender"], sort=False):
        by_kind = sub.set_index("kind")
        cert = by_kind.loc[KIND]
        label = group_label(column, grp)
        who = "i alt" if g == S.TOTAL else gender_label(g, lower=True)
        wide.append(
            {
                "group": f"{label}, {who}",
                "n": cert["n_persons"],
                "certified": cert["rate_pct"],
                "ci": fmt_ci(cert["ci_low"], cert["ci_high"], unit="%"),
                "self": by_kind.loc["egenmeldt", "rate_pct"],
                "total": by_kind.loc["totalt", "rate_pct"],
                "suppressed": bool(cert["suppressed"]),
            }
        )
    return pd.DataFrame(wide)


def _html_group_table(r: SickLeaveReport, table: pd.DataFrame, column: str, title: str) -> str:
    t = _group_rows(table, column)
    return html_table(
        t[["group", "n", "certified", "ci", "self", "total"]],
        caption=f"Sykefravær etter {title} og kjønn {r.year} ({person_data(r.person.synthetic)})",
        row_header="group",
        labels={
            "group": title.capitalize() + " og kjønn",
            "n": "Personer (N)",
            "certified": "Legemeldt",
            "ci": "95\u00a0% KI legemeldt",
            "self": "Egenmeldt",
            "total": "Samlet",
        },
        formats={"n": fmt_int, "certified": fmt_pct, "ci": str, "self": fmt_pct, "total": fmt_pct},
        suppressed=t["suppressed"],
        note=(
            "Prosent av avtalte dagsverk, avrundet til én desimal (ratene for alle "
            "ansatte, kvinner og menn er vist med to desimaler i tabellen over sykefravær "
            "etter kjønn). KI = konfidensintervall. Grupper uten ansatte av et kjønn har "
            "ingen rad."
            + (
                f" : = skjult fordi tallet bygger på færre enn {r.min_cell} personer, eller for "
                "at skjulte tall ikke skal kunne regnes ut fra de andre."
                if bool(t["suppressed"].any())
                else ""
            )
        ),
    )


def html_job_group_table(r: SickLeaveReport) -> str:
    """Rates by job group × gender (suppressed cells shown as ``:``)."""
    return _html_group_table(r, r.rates_job, "job_group", "stillingsgruppe")


def html_age_band_table(r: SickLeaveReport) -> str:
    """Rates by age band × gender (suppressed cells shown as ``:``)."""
    return _html_group_table(r, r.rates_age, "age_band", "aldersgruppe")


def html_adjusted_table(r: SickLeaveReport) -> str:
    """Unadjusted and adjusted rate ratio women/men (doctor-certified)."""
    a = r.adjusted
    rows = [
        {
            "what": "Ujustert (bare kjønn)",
            "est": a.unadjusted,
            "ci": fmt_ci(a.unadjusted_ci_low, a.unadjusted_ci_high, 2),
        },
        {
            "what": adjusted_label(r),
            "est": a.estimate,
            "ci": fmt_ci(a.ci_low, a.ci_high, 2),
        },
    ]
    nb = r.adjusted_negbin
    if nb is not None:
        rows.append(
            {
                "what": "Justert, med en alternativ modell (kontroll av resultatet)",
                "est": nb.estimate,
                "ci": fmt_ci(nb.ci_low, nb.ci_high, 2),
            }
        )
    t = pd.DataFrame(rows)
    notes = " ".join(adjusted_notes(r))
    return html_table(
        t,
        caption=f"Legemeldt sykefravær for kvinner i forhold til menn {r.year} (rateforhold, "
        f"{person_data(r.person.synthetic)})",
        row_header="what",
        labels={
            "what": "Sammenligning",
            "est": "Rateforhold kvinner/menn",
            "ci": "95\u00a0% konfidensintervall",
        },
        formats={"est": fmt_ratio, "ci": str},
        note=(
            "Rateforhold 1 = like høyt fravær; 2 = kvinners fravær er dobbelt så høyt som "
            "menns. Modellen er beskrevet i «Om statistikken». " + notes
        ).strip(),
    )


def html_concentration_table(r: SickLeaveReport) -> str:
    """How concentrated the certified lost days are (measures on few persons hidden)."""
    conc = r.concentration
    t = conc.loc[conc["measure"] != "gini"]  # a summary measure: in «Om statistikken»
    return html_table(
        t[["label", "n_persons", "person_share", "value"]],
        caption=f"Hvordan det legemeldte fraværet fordeler seg på de ansatte {r.year} "
        f"({person_data(r.person.synthetic)})",
        row_header="label",
        labels={
            "label": "Gruppe av ansatte",
            "n_persons": "Personer (N)",
            "person_share": "Andel av de ansatte",
            "value": "Andel av tapte dagsverk",
        },
        formats={"n_persons": fmt_int, "person_share": fmt_share, "value": fmt_share},
        suppressed=t["suppressed"],
        note=(
            "Langtids- og korttidsfravær er anslått fra summen av tapte dagsverk per person "
            "i året, ikke fra sykefraværstilfeller: se teksten. "
            + (
                f": = skjult fordi tallet bygger på færre enn {r.min_cell} personer."
                if bool(t["suppressed"].any())
                else ""
            )
        ).strip(),
    )


def html_published_year_table(r: SickLeaveReport) -> str:
    """The year's published rates, as published, with source document and section."""
    t = r.published_year.copy()
    t["what"] = [
        f"{KIND_SHORT[k]}, {gender_label(g, lower=True)}"
        for k, g in zip(t["kind"], t["gender"], strict=True)
    ]
    t["value"] = [fmt_published(v, d) for v, d in zip(t["rate_pct"], t["decimals"], strict=True)]
    t["source"] = [
        cite(d, s) for d, s in zip(t["source_document"], t["source_section"], strict=True)
    ]
    # one source for every row: named once, in the «Kilde:» line under the table
    columns = ["what", "value", "source"] if t["source"].nunique() > 1 else ["what", "value"]
    return html_table(
        t[columns],
        caption=f"Sykefravær i IMDi {r.year}, som publisert",
        row_header="what",
        labels={"what": "Sykefravær", "value": "Publisert", "source": "Kilde"},
        formats={"value": str},
        note="Prosent, med de desimalene tallene er publisert med. " + PUBLISHED_DEFINITION,
    )


def html_comparison_table(r: SickLeaveReport) -> str:
    """Published rates of the year next to the person-level rates."""
    t = r.comparison.copy()
    t["what"] = [
        f"{KIND_SHORT[k]}, {gender_label(g, lower=True)}"
        for k, g in zip(t["kind"], t["gender"], strict=True)
    ]
    t["published"] = [
        fmt_published(v, d) for v, d in zip(t["published_pct"], t["decimals"], strict=True)
    ]
    t["ci"] = [fmt_ci(lo, hi, unit="%") for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)]
    own = "syntetiske persondata" if r.person.synthetic else "persondata"
    return html_table(
        t[["what", "published", "person_pct", "ci", "difference_pp"]],
        caption=f"Publiserte tall og {own} {r.year}",
        row_header="what",
        labels={
            "what": "Sykefravær",
            "published": "Publisert",
            "person_pct": own.capitalize(),
            "ci": "95\u00a0% KI",
            "difference_pp": "Forskjell (prosentpoeng)",
        },
        formats={
            "published": str,
            "person_pct": lambda v: fmt_pct(v, RATE_DECIMALS),
            "ci": str,
            "difference_pp": lambda v: fmt_number(v, 2),
        },
        note=(
            f"Forskjell = {own} minus publisert. Totalen i persondataene er et vektet "
            "gjennomsnitt av kvinners og menns rater, med deres andeler av de avtalte "
            "dagsverkene som vekter."
        ),
    )


def html_series_table(r: SickLeaveReport) -> str:
    """The published doctor-certified series, year × gender, with sources."""
    s = r.series.loc[r.series["kind"] == KIND]
    rows = []
    for y, grp in s.groupby("year", sort=True):
        by = grp.set_index("gender")
        row = {"year": f"{y} (rapportåret)" if int(y) == r.year else str(y)}
        for g in (*GENDERS, S.TOTAL):
            row[g] = (
                fmt_published(by.loc[g, "rate_pct"], by.loc[g, "decimals"])
                if g in by.index
                else MISSING
            )
        row["source"] = ", ".join(sorted({source_title(d) for d in grp["source_document"]}))
        rows.append(row)
    t = pd.DataFrame(rows)
    years = sorted(int(y) for y in s["year"].unique())
    missing = [y for y in range(years[0], years[-1] + 1) if y not in years]
    gap = f" Det finnes ingen publiserte tall for {missing[0]}–{missing[-1]}." if missing else ""
    doubt = "".join(
        f" Tallet for {gender_label(g, lower=True)} i {int(y)} "
        f"({fmt_published(by_year.loc[g, 'rate_pct'], by_year.loc[g, 'decimals'])}) er usikkert "
        "(lest fra en skannet tabell, mye lavere enn i årene rundt)."
        for y, grp in s.groupby("year", sort=True)
        for by_year in [grp.set_index("gender")]
        for g in GENDERS
        if g in by_year.index and r.doubtful(g, int(y))
    )
    return html_table(
        t,
        caption="Legemeldt sykefravær i IMDi etter kjønn, som publisert",
        row_header="year",
        labels={
            "year": "År",
            "K": "Kvinner",
            "M": "Menn",
            S.TOTAL: "Alle ansatte",
            "source": "Kilde",
        },
        formats={"K": str, "M": str, S.TOTAL: str},
        note=(
            "Prosent, med de desimalene tallene er publisert med. – = ikke publisert."
            + gap
            + doubt
            + " "
            + PUBLISHED_DEFINITION
        ),
    )


def html_findings_table(r: SickLeaveReport) -> str:
    """Reconciliation of the published totals with the gender rates: all years, this year's
    rows marked in the year column."""
    t = r.findings.copy()
    t["year_text"] = [
        f"{int(y)} (rapportåret)" if int(y) == r.year else str(int(y)) for y in t["year"]
    ]
    t["status"] = (
        t["status"]
        .map({"ok": "Stemmer", "avvik": "Stemmer ikke", "info": "Merknad"})
        .fillna(t["status"])
    )
    t["kind"] = t["subject"].map(KIND_SHORT).fillna(t["subject"])
    # the year and kind have their own columns, the documents the «Kilde:» line
    t["detail"] = (
        t["detail"]
        .str.replace(r"^[^:]*\b\d{4}: ", "", regex=True)
        .str.replace(" %", "\u00a0%", regex=False)
    )
    t["detail"] = t["detail"].str[:1].str.upper() + t["detail"].str[1:]
    return html_table(
        t[["year_text", "kind", "status", "detail"]],
        caption="Kontroll av de publiserte totalene mot kvinners og menns rater",
        row_header="year_text",
        labels={
            "year_text": "År",
            "kind": "Sykefravær",
            "status": "Resultat",
            "detail": "Kontroll",
        },
        note=(
            "Kvinneandelen av de ansatte er hentet fra den publiserte lønnstabellen "
            "(«Totalt»-raden) eller bemanningstabellen for samme år. Avviket regnes som "
            "reelt når det er større enn avrundingen av de publiserte tallene kan forklare."
        ),
    )
