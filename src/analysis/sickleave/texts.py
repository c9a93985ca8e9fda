"""The sick-leave report's words: labels, formats and every sentence in bokmål.

The functions take the computed report (:class:`analysis.sickleave.report.SickLeaveReport`)
or an estimator's result and return text; nothing here computes a figure or decides what is
hidden (that is :mod:`analysis.sickleave.report` and :mod:`analysis.disclosure`). The HTML
tables are in :mod:`analysis.sickleave.tables`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.data.published import source_title
from analysis.disclosure.tables import small
from analysis.render.formatting import (
    fmt_ci,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_share,
)
from analysis.render.inert import md_escape
from analysis.render.sources import person_data
from analysis.sickleave import measures as S
from analysis.sickleave.labels import group_label
from analysis.sickleave.measures import COMPARISON_KIND as KIND
from analysis.sickleave.measures import TOP_SHARES, check_kind
from analysis.sickleave.models import AdjustedRateRatio, ModelNote

if TYPE_CHECKING:
    from analysis.sickleave.report import SickLeaveReport

#: person-level certified rates of synthetic data must lie this close to the published ones
CALIBRATION_TOLERANCE_PP = 0.3
#: the share of persons with the most absence the text speaks of (one of ``TOP_SHARES``)
TOP_SHARE = 0.10

KIND_LABELS: dict[str, str] = {
    "legemeldt": "Legemeldt sykefravær",
    "egenmeldt": "Egenmeldt sykefravær",
    "totalt": "Samlet sykefravær (legemeldt og egenmeldt)",
}
KIND_SHORT = {"legemeldt": "Legemeldt", "egenmeldt": "Egenmeldt", "totalt": "Samlet"}
_COVARIATE_NAMES = {"job_group": "stillingsgruppe", "age_band": "aldersgruppe"}
_COVARIATE_DEFINITE = {"job_group": "stillingsgruppen", "age_band": "aldersgruppen"}


# --------------------------------------------------------------------------- estimator output


def concentration_label(measure: str, share: float, threshold_days: float) -> str:
    """The row label of one measure of :func:`analysis.sickleave.measures.absence_concentration`."""
    if measure == "top_share":
        return f"De {fmt_pct(100 * share, 1, trim=True)} med mest fravær"
    if measure == "long_term_proxy":
        days = fmt_number(threshold_days, 1, trim=True)
        return f"Mer enn {days} tapte dagsverk (antatt langtidsfravær)"
    if measure == "short_term_proxy":
        return (
            f"1–{fmt_number(threshold_days, 1, trim=True)} tapte dagsverk (antatt korttidsfravær)"
        )
    if measure == "no_absence":
        return "Ingen tapte dagsverk"
    if measure == "gini":
        return "Gini-koeffisient"
    raise ValueError(f"unknown concentration measure {measure!r}")


def with_concentration_labels(concentration: pd.DataFrame) -> pd.DataFrame:
    """``concentration`` with the column ``label`` (:func:`concentration_label`) after
    ``measure``."""
    out = concentration.copy()
    labels = [
        concentration_label(m, s, t)
        for m, s, t in zip(out["measure"], out["share"], out["threshold_days"], strict=True)
    ]
    out.insert(list(out.columns).index("measure") + 1, "label", labels)
    return out


def model_note(note: ModelNote) -> str:
    """One note of :func:`analysis.sickleave.models.adjusted_rate_ratio` in bokmål."""
    levels = ", ".join(note.levels)
    texts = {
        "no_agreed_days": f"{note.count} rad(er) uten avtalte dagsverk er utelatt",
        "no_lost_days": f"{note.column} = {levels}: ingen tapte dagsverk, "
        f"{note.count} rad(er) utelatt fra den justerte modellen",
        "one_gender": f"{note.column} = {levels}: bare ett kjønn; bidrar ikke "
        "til sammenligningen av kvinner og menn",
        "gender_missing": "begge kjønn må være med for å sammenligne",
        "gender_without_days": "ett av kjønnene har ingen tapte dagsverk; forholdet er ikke "
        "definert",
        "gender_without_days_after_drops": "etter utelatelsene mangler tapte dagsverk for ett "
        "av kjønnene",
        "too_few_persons": "for få ansatte til å sammenligne kvinner og menn (det trengs minst "
        f"{note.count} kvinner og minst {note.count} menn)",
    }
    return texts[note.code]


def method_text(a: AdjustedRateRatio) -> str:
    """The model behind a rate ratio, in bokmål."""
    text = {
        "quasipoisson": "quasi-Poisson GLM, log(avtalte dagsverk) som offset, "
        "skala = Pearson χ²/fg",
        "negbin": "negativ binomisk (NB2), log(avtalte dagsverk) som offset",
    }[a.method]
    if a.robust:
        text += "; robuste standardfeil (sandwich) med personer som klynger"
    return text


def benchmark_statement(
    benchmark: pd.DataFrame, year: int, kind: str = "totalt", name: str = "statlig forvaltning"
) -> str:
    """One sentence in bokmål for the report: the benchmark rate, or that there is none.

    ``benchmark`` as :func:`analysis.data.benchmarks.load_benchmark` returns it.
    """
    check_kind(kind)
    sel = benchmark
    if not sel.empty:
        sel = sel.loc[(sel["year"] == year) & (sel["kind"] == kind) & (sel["benchmark"] == name)]
    what = KIND_LABELS[kind].lower()
    if sel.empty:
        return (
            f"Sammenligningstall for {name} ({what}, {year}) er ikke tilgjengelig i de "
            "publiserte kildene prosjektet bygger på. Målet om å ligge under "
            "gjennomsnittet kan derfor ikke vurderes her."
        )
    r = sel.iloc[0]
    return (
        f"Til sammenligning var {what} i {name} {fmt_pct(float(r['rate_pct']), 1)} i "
        f"{year} (kilde: {r['source_document']}, {r['source_section']})."
    )


# --------------------------------------------------------------------------- small helpers


def gender_label(code: str, lower: bool = False) -> str:
    text = {"K": "Kvinner", "M": "Menn", S.TOTAL: "Alle ansatte"}.get(code, code)
    return text.lower() if lower else text


def fmt_ratio(x: float) -> str:
    return fmt_number(x, 2)


def fmt_published(value: float, decimals: int) -> str:
    """A published rate with the decimals it was published with."""
    return fmt_pct(value, int(decimals))


def _join(items: list[Any]) -> str:
    """'a', 'a og b', 'a, b og c'."""
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def _ci_excludes_one(lo: float, hi: float) -> bool:
    return math.isfinite(lo) and math.isfinite(hi) and (lo > 1 or hi < 1)


def adjusted_notes(r: SickLeaveReport) -> list[str]:
    """The adjusted model's notes in bokmål, without revealing anything about small groups:
    a level without lost days is named only when it has at least ``min_cell`` persons."""
    out = []
    for note in r.adjusted.notes:
        if note.code not in ("no_lost_days", "one_gender") or note.column is None:
            continue
        col, levels = note.column, note.levels
        name = _COVARIATE_NAMES.get(col, col)
        the = _COVARIATE_DEFINITE.get(col, col)
        labels = ", ".join(group_label(col, v) for v in levels)
        if note.code == "one_gender":
            out.append(
                f"I {the} {labels} er det bare ansatte av ett kjønn; gruppen bidrar "
                "ikke til sammenligningen av kvinner og menn."
            )
        else:
            n_rows = note.count
            if not small(n_rows, r.min_cell):
                out.append(
                    f"Ingen av de {n_rows} personene i {the} {labels} har tapte "
                    "dagsverk; de er utelatt fra den justerte modellen."
                )
            else:
                out.append(
                    f"En {name} der ingen har tapte dagsverk, er utelatt fra den "
                    f"justerte modellen (færre enn {r.min_cell} personer)."
                )
    return out


# --------------------------------------------------------------------------- text (bokmål)


def headline_text(r: SickLeaveReport) -> str:
    """The headline paragraph: certified rates and the ratio women/men."""
    k, m, a = r.rate("K"), r.rate("M"), r.rate(S.TOTAL)
    adj = r.adjusted
    basis = person_data(r.person.synthetic)
    cy = r.person.calibration_year
    if r.person.synthetic and not r.has_published and cy is not None and cy != r.year:
        basis += (
            f" kalibrert til de publiserte tallene for {cy}; for {r.year} finnes ingen "
            "publiserte tall"
        )
    if any(pd.isna(x["rate_pct"]) for x in (k, m, a)):
        shown = [
            f"{fmt_pct(x['rate_pct'])} for {name}"
            for x, name in ((k, "kvinner"), (m, "menn"), (a, "alle ansatte"))
            if not pd.isna(x["rate_pct"])
        ]
        text = (
            f"For få ansatte til å beregne sykefraværet etter kjønn for {r.year}: tall som "
            f"bygger på færre enn {r.min_cell} personer, er skjult av personvernhensyn, og "
            "kvinner og menn sammenlignes ikke."
        )
        if shown:
            text += f" Det legemeldte sykefraværet var {_join(shown)} (beregnet fra {basis})."
        return text
    text = (
        f"I {r.year} var det legemeldte sykefraværet {fmt_pct(k['rate_pct'])} for kvinner "
        f"og {fmt_pct(m['rate_pct'])} for menn, og {fmt_pct(a['rate_pct'])} for alle "
        f"ansatte (beregnet fra {basis}). "
    )
    if not math.isfinite(adj.unadjusted):
        return text + "Forholdet mellom kvinners og menns fravær kan ikke beregnes i år."
    ci = fmt_ci(adj.unadjusted_ci_low, adj.unadjusted_ci_high, 2)
    text += (
        f"Kvinners legemeldte fravær var dermed {fmt_ratio(adj.unadjusted)} ganger menns "
        f"(95 % konfidensintervall {ci}). "
    )
    if math.isfinite(adj.estimate):
        text += (
            f"Sammenlignet innen samme stillingsgruppe og aldersgruppe er forholdet "
            f"{fmt_ratio(adj.estimate)} ({fmt_ci(adj.ci_low, adj.ci_high, 2)}). "
        )
        if _ci_excludes_one(adj.ci_low, adj.ci_high):
            text += (
                "Intervallet omfatter ikke 1: forskjellen er større enn det tilfeldig "
                "variasjon alene gir grunn til å vente."
            )
        else:
            text += (
                "Intervallet omfatter 1: med så få ansatte og så ujevnt fordelt fravær "
                "kan forskjellen ikke skilles fra tilfeldig variasjon."
            )
    return text


def adjusted_text(r: SickLeaveReport) -> str:
    """What the adjustment changed."""
    a = r.adjusted
    if not (math.isfinite(a.estimate) and math.isfinite(a.unadjusted)):
        notes = "; ".join(model_note(n) for n in a.notes)
        return "Det justerte forholdet kan ikke beregnes for dette året: " + notes + "."
    change = 100 * (a.estimate / a.unadjusted - 1)
    if abs(change) < 5:
        what = (
            "Justeringen endrer forholdet lite: forskjellen mellom kvinner og menn skyldes "
            "i liten grad at de fordeler seg ulikt på stillingsgrupper og aldersgrupper."
        )
    elif change < 0:
        what = (
            f"Justeringen gjør forholdet {fmt_number(abs(change), 0)}\u00a0% mindre: en "
            "del av forskjellen henger sammen med at kvinner og menn fordeler seg ulikt på "
            "stillingsgrupper og aldersgrupper."
        )
    else:
        what = (
            f"Justeringen gjør forholdet {fmt_number(change, 0)}\u00a0% større: innen samme "
            "stillingsgruppe og aldersgruppe er forskjellen større enn totalt sett."
        )
    return (
        f"Uten justering er kvinners legemeldte fravær {fmt_ratio(a.unadjusted)} ganger "
        f"menns; justert er forholdet {fmt_ratio(a.estimate)}. {what} Fraværet varierer "
        "mye mer mellom personene enn en enkel tellemodell (Poisson) forutsetter – de "
        "fleste har ingen fraværsdager, noen få har mange; variansen er om lag "
        f"{fmt_number(a.dispersion, 0)} ganger så stor. Intervallene er gjort tilsvarende "
        "bredere."
    )


def concentration_text(r: SickLeaveReport) -> str:
    c = r.concentration.set_index("measure")
    tops = r.concentration.loc[r.concentration["measure"] == "top_share"]
    top = tops.iloc[[TOP_SHARES.index(TOP_SHARE)]] if len(tops) == len(TOP_SHARES) else tops[:0]
    parts = []
    if len(top) and not bool(top["suppressed"].iloc[0]):
        t = top.iloc[0]
        parts.append(
            f"De {fmt_number(100 * TOP_SHARE, 0)}\u00a0% av de ansatte med mest "
            f"legemeldt fravær ({fmt_int(t['n_persons'])} personer) står for "
            f"{fmt_share(t['value'], 0)} av alle tapte dagsverk."
        )
    if "gini" in c.index and not bool(c.loc["gini", "suppressed"]):
        parts.append(f"Gini-koeffisienten er {fmt_number(c.loc['gini', 'value'], 2)}.")
    if "long_term_proxy" in c.index and not bool(c.loc["long_term_proxy", "suppressed"]):
        lt = c.loc["long_term_proxy"]
        parts.append(
            f"{fmt_share(lt['person_share'], 0)} av de ansatte hadde mer enn 16 tapte "
            f"dagsverk i året; de står for {fmt_share(lt['value'], 0)} av de tapte "
            "dagsverkene."
        )
    if not parts:
        return f"Fordelingen vises ikke fordi tallene bygger på færre enn {r.min_cell} personer."
    return " ".join(parts)


def comparison_text(r: SickLeaveReport) -> str:
    """The person-level rates against the published ones (the calibration check)."""
    if r.comparison.empty:
        text = (
            f"IMDi har ikke publisert sykefraværstall for {r.year}, så tallene fra "
            f"{person_data(r.person.synthetic)} kan ikke sammenlignes med publiserte tall for året."
        )
        cy = r.person.calibration_year
        if r.person.synthetic and cy is not None and cy != r.year:
            text += (
                f" De syntetiske dataene er kalibrert til de publiserte tallene for {cy}, "
                "det nærmeste året med publiserte tall; de sier derfor ingenting om "
                f"sykefraværet i {r.year}."
            )
        return text
    d = r.max_calibration_diff_pp
    total = r.comparison.loc[(r.comparison["kind"] == KIND) & (r.comparison["gender"] == S.TOTAL)]
    if r.person.synthetic:
        if d is None:
            text = (
                "De syntetiske dataene er kalibrert til de publiserte tallene; for dette "
                "året er det ikke publisert legemeldt fravær for kvinner og menn hver for "
                "seg."
            )
        else:
            ok = d <= CALIBRATION_TOLERANCE_PP
            text = (
                f"De syntetiske dataene er laget slik at det legemeldte fraværet for "
                f"kvinner og for menn skal stemme med de publiserte tallene for {r.year}. "
                "At de stemmer innen "
                f"{fmt_number(CALIBRATION_TOLERANCE_PP, 1)} prosentpoeng, er kontrollen "
                f"av kalibreringen. Største avvik er {fmt_pp(d, 2)}"
                + (
                    ", så kontrollen er bestått."
                    if ok
                    else ": kontrollen feiler, og tallene fra persondata bør ikke brukes."
                )
            )
    else:
        text = (
            "Persondataene og de publiserte tallene kan avvike fordi uttrekkene er gjort på "
            "ulike tidspunkt eller med ulik avgrensning av hvem som regnes som ansatt."
        )
        if d is not None:
            text += f" Største avvik for kvinner og menn er {fmt_pp(d, 2)}."
    if len(total):
        t = total.iloc[0]
        text += (
            f" Totalen for alle ansatte er {fmt_pct(t['person_pct'], 2)} i "
            f"{person_data(r.person.synthetic)} mot "
            f"{fmt_published(t['published_pct'], t['decimals'])} "
            "publisert. I persondataene er totalen et vektet gjennomsnitt av kvinners og "
            "menns rate; at den publiserte totalen ligger et annet sted, er det samme "
            "avviket som kontrollen nedenfor viser."
        )
    return text


def findings_text(r: SickLeaveReport) -> str:
    f = r.findings
    bad = f.loc[f["status"] == "avvik"]
    years = sorted({int(y) for y in bad["year"]})
    if bad.empty:
        return "Alle publiserte totaler stemmer med kvinners og menns rater."
    this = r.findings_year
    if this.empty:
        mine = f"Det er ingen publisert total for {r.year} å kontrollere."
    elif (this["status"] == "avvik").any():
        mine = f"Også for {r.year} stemmer totalen ikke."
    else:
        mine = f"For {r.year} stemmer totalen."
    return (
        f"De publiserte totalene for {_join(years)} stemmer ikke med de "
        f"publiserte ratene for kvinner og menn ({len(bad)} av {len(f)} kontroller). "
        f"{mine}"
    )


def targets_text(r: SickLeaveReport) -> str:
    """IMDi's published targets: the IA ceiling and the relative goal."""
    t = r.targets
    parts = []
    for row in t.loc[t["max_rate_pct"].notna()].itertuples(index=False):
        parts.append(
            f"I {int(row.year_stated)} satte IMDi seg som mål i IA-avtalen at det samlede "
            f"sykefraværet ikke skulle overstige {fmt_pct(float(row.max_rate_pct), 1)} per "
            f"31.12.{int(row.target_year)} ({md_escape(source_title(row.source_document))})."
        )
    rel = t.loc[t["max_rate_pct"].isna() & t["benchmark"].notna()]
    if len(rel):
        first = int(rel["year_stated"].min())
        docs = " og ".join(
            md_escape(source_title(d)) for d in rel.sort_values("year_stated")["source_document"]
        )
        parts.append(
            f"Fra {first} er målet at sykefraværet skal være «under gjennomsnittet "
            f"for statlig forvaltning» ({docs}); målet oppgir ikke noe tall."
        )
    total = r.published_year.loc[
        (r.published_year["kind"] == "totalt") & (r.published_year["gender"] == S.TOTAL)
    ]
    if len(total):
        v = total.iloc[0]
        parts.append(
            f"Publisert samlet sykefravær for {r.year} er "
            f"{fmt_published(v['rate_pct'], v['decimals'])}."
        )
    return " ".join(parts)
