"""The sick-leave report's words: labels, formats and every sentence in bokmål.

The functions take the computed report (:class:`analysis.sickleave.report.SickLeaveReport`)
or an estimator's result and return text; nothing here computes a figure or decides what is
hidden (that is :mod:`analysis.sickleave.report` and :mod:`analysis.disclosure`). The HTML
tables are in :mod:`analysis.sickleave.tables`.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.data.codes import GENDERS
from analysis.data.published import source_title
from analysis.disclosure.tables import small
from analysis.paygap.covariates import covariate_phrase, definite_phrase, plural_phrase
from analysis.paygap.texts import nearly_unchanged
from analysis.render.formatting import (
    fmt_ci,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_share,
)
from analysis.render.inert import md_escape
from analysis.render.sources import SYNTHETIC_SOURCE, person_data
from analysis.sickleave import measures as S
from analysis.sickleave.labels import group_label
from analysis.sickleave.measures import COMPARISON_KIND as KIND
from analysis.sickleave.measures import TOP_SHARES, check_kind
from analysis.sickleave.models import AdjustedRateRatio, ModelNote

if TYPE_CHECKING:
    from analysis.sickleave.report import SickLeaveReport

#: person-level certified rates of synthetic data must lie this close to the published ones
CALIBRATION_TOLERANCE_PP = 0.3
#: decimals of a rate of women, men or all employees computed from person-level data, in every
#: table and sentence: those of the published rates (7,72 %), so the same figure reads the same
#: in the rates table, the text and the comparison with the published rates
RATE_DECIMALS = 2
#: the share of persons with the most absence the text speaks of (one of ``TOP_SHARES``)
TOP_SHARE = 0.10

KIND_LABELS: dict[str, str] = {
    "legemeldt": "Legemeldt sykefravær",
    "egenmeldt": "Egenmeldt sykefravær",
    "totalt": "Samlet sykefravær (legemeldt og egenmeldt)",
}
KIND_SHORT = {"legemeldt": "Legemeldt", "egenmeldt": "Egenmeldt", "totalt": "Samlet"}
#: after the label of a published total that does not fit the published rates of women and
#: men (:meth:`analysis.sickleave.report.SickLeaveReport.total_flagged`)
FLAGGED_TOTAL = "publisert total, stemmer ikke med tallene for kvinner og menn"
#: the same in a sentence, after «IMDi publiserte … for alle ansatte, men»
FLAGGED_TOTAL_CLAUSE = "det stemmer ikke med tallene for kvinner og menn"
#: under published rates: the sources do not say how IMDi computed them
PUBLISHED_DEFINITION = (
    "IMDi oppgir ikke i kildene hvordan tallene er beregnet; vanlig definisjon (SSB og NAV) "
    "er tapte dagsverk i prosent av avtalte dagsverk."
)


def _same(r: SickLeaveReport) -> str:
    """«stillingsgruppe og aldersgruppe»: as in «i samme …» (the model's covariates)."""
    return covariate_phrase(r.sick_leave_covariates)


def _spread(r: SickLeaveReport) -> str:
    """«stillingsgrupper og aldersgrupper»: as in «fordeler seg ulikt på …»."""
    return plural_phrase(r.sick_leave_covariates)


def adjusted_label(r: SickLeaveReport) -> str:
    """The adjusted row of the rate-ratio table: «Justert for stillingsgruppe og
    aldersgruppe»."""
    return f"Justert for {_same(r)}"


def adjusted_intro(r: SickLeaveReport) -> str:
    """The heading and opening of the adjusted comparison (Markdown, shown by
    :func:`analysis.render.notebook.prose`): they follow ``sick_leave_covariates``."""
    return (
        f"## Kvinner og menn i samme {_same(r)}\n\n"
        f"Kvinner og menn er ikke likt fordelt på {_spread(r)}. For å se om\n"
        f"forskjellen i fravær består når kvinner og menn i samme {_same(r)}\n"
        "sammenlignes, er det brukt en statistisk modell for antall tapte dagsverk per person, "
        "der\ndet er tatt hensyn til hvor mange dagsverk hver person skulle ha arbeidet. "
        "Resultatet er\net *rateforhold*: hvor mange ganger så høyt kvinners fravær er som "
        "menns. Modellen er\nbeskrevet i «Om statistikken»."
    )


def method_covariates(r: SickLeaveReport) -> str:
    """The method text's list of the model's explanatory variables («kjønn, stillingsgruppe og
    aldersgruppe»)."""
    return covariate_phrase(("kjønn", *r.sick_leave_covariates))


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
    raise ValueError(f"ukjent konsentrasjonsmål {measure!r}")


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
    what = f"{KIND_SHORT[kind].lower()} sykefravær"
    if sel.empty:
        return (
            f"Sammenligningstall for {name} ({what} {year}) er ikke tilgjengelig i de "
            "publiserte kildene rapporten bygger på."
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


def published_decimal(value: float, decimals: int) -> Decimal:
    """A published rate as the exact decimal printed in the source (7.9 with 2 decimals →
    ``Decimal('7.90')``), so that arithmetic on published figures gives what a reader gets
    by hand, free of binary floating-point error."""
    return Decimal(f"{float(value):.{int(decimals)}f}")


def round_half_up(x: Decimal, places: int) -> Decimal:
    """``x`` rounded to ``places`` decimals, halves away from zero (1,65 → 1,7), as a reader
    rounds by hand."""
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_published_ratio(
    a: float, a_decimals: int, b: float, b_decimals: int, places: int = 1
) -> str:
    """``a / b`` of two published rates, from the printed decimals, rounded half up:
    6,6 / 4,0 = 1,65 → «1,7» (in binary floating point 6.6 / 4.0 is 1.6499…, which a
    float formatter rounds down to «1,6»)."""
    q = published_decimal(a, a_decimals) / published_decimal(b, b_decimals)
    return fmt_number(float(round_half_up(q, places)), places)


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
        name = covariate_phrase([col])
        the = definite_phrase([col])
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
            f"{fmt_pct(x['rate_pct'], RATE_DECIMALS)} for {name}"
            for x, name in ((k, "kvinner"), (m, "menn"), (a, "alle ansatte"))
            if not pd.isna(x["rate_pct"])
        ]
        text = (
            f"For få ansatte til å beregne sykefraværet etter kjønn for {r.year}: tall som "
            f"bygger på færre enn {r.min_cell} personer, er skjult av personvernhensyn, og "
            "kvinner og menn sammenlignes ikke."
        )
        if shown:
            lead = "I de syntetiske dataene var det" if r.person.synthetic else "Det"
            text += f" {lead} legemeldte sykefraværet {_join(shown)} (beregnet fra {basis})."
        return text
    where = "I de syntetiske dataene for" if r.person.synthetic else "I"
    text = (
        f"{where} {r.year} var det legemeldte sykefraværet "
        f"{fmt_pct(k['rate_pct'], RATE_DECIMALS)} for kvinner og "
        f"{fmt_pct(m['rate_pct'], RATE_DECIMALS)} for menn, og "
        f"{fmt_pct(a['rate_pct'], RATE_DECIMALS)} for alle "
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
            f"Sammenlignet innen samme {_same(r)} er forholdet "
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
    """What the adjustment changed. With synthetic data the numbers are said to be synthetic
    and no conclusion is drawn from them."""
    a = r.adjusted
    if not (math.isfinite(a.estimate) and math.isfinite(a.unadjusted)):
        notes = "; ".join(model_note(n) for n in a.notes)
        return "Det justerte forholdet kan ikke beregnes for dette året: " + notes + "."
    ci = fmt_ci(a.ci_low, a.ci_high, 2)
    if r.person.synthetic:
        return (
            f"I de syntetiske dataene er kvinners legemeldte fravær {fmt_ratio(a.unadjusted)} "
            f"ganger menns uten justering og {fmt_ratio(a.estimate)} justert (95\u00a0% "
            f"konfidensintervall {ci}). Med IMDis egne persondata viser sammenligningen hvor "
            "mye av forskjellen mellom kvinner og menn som henger sammen med at de fordeler "
            f"seg ulikt på {_spread(r)}."
        )
    change = 100 * (a.estimate / a.unadjusted - 1)
    if abs(change) < 5:
        what = (
            "Justeringen endrer forholdet lite: forskjellen mellom kvinner og menn skyldes "
            f"i liten grad at de fordeler seg ulikt på {_spread(r)}."
        )
    elif change < 0:
        what = (
            f"Justeringen gjør forholdet {fmt_number(abs(change), 0)}\u00a0% mindre: en "
            "del av forskjellen henger sammen med at kvinner og menn fordeler seg ulikt på "
            f"{_spread(r)}."
        )
    else:
        what = (
            f"Justeringen gjør forholdet {fmt_number(change, 0)}\u00a0% større: innen samme "
            f"{_same(r)} er forskjellen større enn totalt sett."
        )
    return (
        f"Uten justering er kvinners legemeldte fravær {fmt_ratio(a.unadjusted)} ganger "
        f"menns; justert er forholdet {fmt_ratio(a.estimate)} "
        f"(95\u00a0% konfidensintervall {ci}). {what}"
    )


def dispersion_text(r: SickLeaveReport) -> str:
    """For «Om statistikken»: how uneven absence is (the model's dispersion and the Gini
    coefficient of lost days), and what that does to the intervals."""
    a = r.adjusted
    where = "I de syntetiske dataene for" if r.person.synthetic else "I dataene for"
    parts = []
    if math.isfinite(a.dispersion):
        parts.append(
            "Fraværet varierer mye mer mellom personene enn en enkel Poisson-modell "
            "forutsetter – de fleste har ingen fraværsdager, noen få har mange. "
            f"{where} {r.year} er variansen i modellen om lag "
            f"{fmt_number(a.dispersion, 0)} ganger så stor som Poisson-modellen forutsetter "
            "(spredningsparameteren φ), og intervallene er gjort tilsvarende bredere."
        )
    c = r.concentration.set_index("measure")
    if "gini" in c.index and not bool(c.loc["gini", "suppressed"]):
        gini = fmt_number(c.loc["gini", "value"], 2)
        parts.append(
            f"Gini-koeffisienten for de tapte dagsverkene er {gini}"
            f" {'i de syntetiske dataene ' if r.person.synthetic else ''}(0 når alle har like "
            "mye fravær, nær 1 når nesten alt fravær ligger hos én person); kurven i figuren "
            "over konsentrasjonen er en Lorenzkurve."
        )
    return " ".join(parts)


def suppression_text(r: SickLeaveReport) -> str:
    """Under the groups' heading, only when something is hidden in their tables."""
    hidden = bool(r.rates_job["suppressed"].any() or r.rates_age["suppressed"].any())
    if not hidden:
        return ""
    return (
        f"Tall som bygger på færre enn {r.min_cell} personer, vises ikke av personvernhensyn "
        "(markert med «:» i tabellene)."
    )


def concentration_text(r: SickLeaveReport) -> str:
    """Under the concentration figure: how much of the lost days few persons carry (one
    sentence, opening with «I de syntetiske dataene» when the data are synthetic)."""
    c = r.concentration.set_index("measure")
    tops = r.concentration.loc[r.concentration["measure"] == "top_share"]
    top = tops.iloc[[TOP_SHARES.index(TOP_SHARE)]] if len(tops) == len(TOP_SHARES) else tops[:0]
    # each clause twice: verb first after the opening «I de syntetiske dataene …» (V2), and
    # subject first as a clause of its own after the semicolon
    parts: list[tuple[str, str]] = []
    if len(top) and not bool(top["suppressed"].iloc[0]):
        t = top.iloc[0]
        who = (
            f"de {fmt_number(100 * TOP_SHARE, 0)}\u00a0% av de ansatte med mest legemeldt "
            f"fravær ({fmt_int(t['n_persons'])} personer)"
        )
        what = f"for {fmt_share(t['value'], 0)} av alle tapte dagsverk"
        parts.append((f"står {who} {what}", f"{who} står {what}"))
    if "long_term_proxy" in c.index and not bool(c.loc["long_term_proxy", "suppressed"]):
        lt = c.loc["long_term_proxy"]
        who = f"{fmt_share(lt['person_share'], 0)} av de ansatte"
        what = (
            f"mer enn {fmt_number(lt['threshold_days'], 1, trim=True)} tapte dagsverk i året "
            f"og sto for {fmt_share(lt['value'], 0)} av de tapte dagsverkene"
        )
        parts.append((f"hadde {who} {what}", f"{who} hadde {what}"))
    if not parts:
        return f"Fordelingen vises ikke fordi tallene bygger på færre enn {r.min_cell} personer."
    where = "I de syntetiske dataene" if r.person.synthetic else f"I {r.year}"
    clauses = [parts[0][0]] + [straight for _, straight in parts[1:]]
    return f"{where} " + "; ".join(clauses) + "."


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
                f"{fmt_number(CALIBRATION_TOLERANCE_PP, 1)}\u00a0prosentpoeng, er kontrollen "
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
            f" Totalen for alle ansatte er {fmt_pct(t['person_pct'], RATE_DECIMALS)} i "
            f"{person_data(r.person.synthetic)} mot "
            f"{fmt_published(t['published_pct'], t['decimals'])} "
            "publisert. I persondataene er totalen et vektet gjennomsnitt av kvinners og "
            "menns rate; at den publiserte totalen ligger et annet sted, er det samme "
            "avviket som kontrollen nedenfor viser."
        )
    return text


_COUNT_WORDS = {
    1: "én",
    2: "to",
    3: "tre",
    4: "fire",
    5: "fem",
    6: "seks",
    7: "sju",
    8: "åtte",
    9: "ni",
    10: "ti",
}


def _count_word(n: int) -> str:
    """A small count in words («fire»), a larger one in digits."""
    return _COUNT_WORDS.get(int(n), fmt_int(n))


def _totals_named(rows: pd.DataFrame) -> str:
    """The published totals of ``rows`` named by kind and year: «legemeldt 2023, 2024 og
    2025, samlet 2024»."""
    parts = []
    for kind in ("legemeldt", "totalt", "egenmeldt"):
        years = sorted({int(y) for y in rows.loc[rows["subject"] == kind, "year"]})
        if years:
            parts.append(f"{KIND_SHORT[kind].lower()} {_join(years)}")
    return ", ".join(parts)


def findings_text(r: SickLeaveReport) -> str:
    """The check of the published totals in one or two sentences: which totals (kind and
    year) were checked and which do not fit, and what there is to check for the report year."""
    f = r.findings
    bad = f.loc[f["status"] == "avvik"]
    this = r.findings_year
    mine = ""
    if this.empty:
        mine = (
            f" For {r.year} er det ingen publisert legemeldt total for alle ansatte å kontrollere"
        )
        tot = r.published(S.TOTAL, "totalt")
        if tot is not None:
            mine += (
                f"; det samlede sykefraværet ({_fmt_pub(tot)}) er ikke publisert for kvinner "
                "og menn hver for seg og kan derfor ikke kontrolleres på denne måten"
            )
        mine += "."
    if bad.empty:
        return "Alle publiserte totaler stemmer med tallene for kvinner og menn." + mine
    if len(bad) == len(f):
        text = (
            f"Ingen av de {_count_word(len(f))} publiserte totalene ({_totals_named(f)}) "
            "stemmer med de publiserte tallene for kvinner og menn."
        )
    else:
        text = (
            f"{_count_word(len(bad)).capitalize()} av {_count_word(len(f))} publiserte "
            f"totaler ({_totals_named(bad)}) stemmer ikke med de publiserte tallene for "
            "kvinner og menn."
        )
    return text + mine


def applicable_targets(r: SickLeaveReport) -> pd.DataFrame:
    """The published targets in force in the report year.

    A target applies only to the years it was set for: an absolute ceiling (``max_rate_pct``,
    the IA target of 2014) from the year it was stated to its target year, a relative goal
    («under gjennomsnittet for statlig forvaltning», first stated in 2024) from the year it
    was first stated. 2013 has none.
    """
    t = r.targets
    if t.empty:
        return t
    stated = t["year_stated"].astype(int)
    end = pd.to_numeric(t["target_year"], errors="coerce")
    absolute = t["max_rate_pct"].notna() & (stated <= r.year) & (end.isna() | (end >= r.year))
    relative = t["max_rate_pct"].isna() & t["benchmark"].notna() & (stated <= r.year)
    return t.loc[absolute | relative].sort_values("year_stated").reset_index(drop=True)


def _ia_sentence(row: Any) -> str:
    return (
        f"I {int(row.year_stated)} satte IMDi seg som mål i IA-avtalen at det samlede "
        "sykefraværet (legemeldt og egenmeldt) ikke skulle overstige "
        f"{fmt_pct(float(row.max_rate_pct), 1)} per 31.12.{int(row.target_year)} "
        f"({md_escape(source_title(row.source_document))})."
    )


def _ia_verdict(r: SickLeaveReport, row: Any) -> str | None:
    """The published total of the year against the IA ceiling: «over målnivået for 2018»
    (the ceiling was to be reached by the target year, not in the report year)."""
    p = r.published(S.TOTAL, "totalt")
    if p is None:
        return None
    over = published_decimal(p["rate_pct"], p["decimals"]) > Decimal(str(row.max_rate_pct))
    where = "over" if over else "innenfor"
    end = f" for {int(row.target_year)}" if pd.notna(row.target_year) else ""
    return f"{where} målnivået{end}"


def targets_text(r: SickLeaveReport) -> str:
    """«Mål for sykefraværet»: the targets in force in the report year
    (:func:`applicable_targets`) and how the published figures compare, or that the sources
    give no target for the year."""
    t = applicable_targets(r)
    if t.empty:
        text = f"Kildene rapporten bygger på, oppgir ikke noe mål for sykefraværet i {r.year}."
        later = []
        for row in r.targets.itertuples(index=False):
            if pd.notna(row.max_rate_pct):
                later.append(
                    f"målet i IA-avtalen ble satt i {int(row.year_stated)} og gjaldt til "
                    f"utgangen av {int(row.target_year)}"
                )
        rel = r.targets.loc[r.targets["max_rate_pct"].isna() & r.targets["benchmark"].notna()]
        if len(rel):
            later.append(
                "målet om å ligge under gjennomsnittet for statlig forvaltning er oppgitt fra "
                f"{int(rel['year_stated'].min())}"
            )
        if later:
            joined = "; ".join(later)
            text += f" ({joined[:1].upper()}{joined[1:]}.)"
        return text
    parts = []
    for row in t.loc[t["max_rate_pct"].notna()].itertuples(index=False):
        parts.append(_ia_sentence(row))
        verdict = _ia_verdict(r, row)
        p = r.published(S.TOTAL, "totalt")
        if verdict is not None and p is not None:
            parts.append(f"Det samlede sykefraværet var {_fmt_pub(p)} i {r.year}, altså {verdict}.")
        else:
            parts.append(f"Det samlede sykefraværet er ikke publisert for {r.year}.")
        parts.append(
            "Målet gjelder samlet sykefravær; det legemeldte fraværet for kvinner og menn kan "
            "ikke sammenlignes med det."
        )
    rel = t.loc[t["max_rate_pct"].isna()]
    if len(rel):
        titles = dict.fromkeys(md_escape(source_title(d)) for d in rel["source_document"])
        docs = _join(list(titles))
        parts.append(
            "IMDis mål er at sykefraværet skal være «under gjennomsnittet for statlig "
            f"forvaltning» ({docs}); målet oppgir ikke noe tall."
        )
        if r.benchmark.empty:
            parts.append(
                f"Gjennomsnittet for statlig forvaltning for {r.year} finnes ikke i de "
                "publiserte kildene rapporten bygger på, så rapporten vurderer ikke om målet "
                "er nådd."
            )
        else:
            parts.append(r.benchmark_text)
        total = r.published(S.TOTAL, "totalt")
        if total is not None:
            parts.append(f"Publisert samlet sykefravær for {r.year} er {_fmt_pub(total)}.")
    return " ".join(parts)


# --------------------------------------------------------------------------- publication texts


def cite(document: object, section: object | None = None) -> str:
    """A published source as a reader finds it: «IMDi, Likestillingsredegjørelse 2025,
    tabellen under «Likelønn mellom kvinner og menn», rad «Legemeldt sykefravær (%)»».

    ``section`` is the ``source_section`` of a published value: ``"Del 1, <heading> (tabell:
    …, rad '…')"`` for a table, ``"<chapter>. <heading>, <subheading> (tekst)"`` or ``"Del 1,
    <heading> (tekst)"`` for text. The source documents neither number nor name their
    tables, so a table is cited by the heading it stands under (the same wording as the pay
    report) and a text by its heading («avsnittet «…»»); a chapter number is kept.
    """
    title = source_title(document)
    if section is None or pd.isna(section) or not str(section).strip():
        return title
    text = str(section).strip()
    m = re.fullmatch(r"(.*?)\s*\(tabell:\s*(.*?),\s*rad\s*'(.*?)'\)", text)
    if m:
        part, _table, row = m.groups()
        heading = part.split(", ")[-1].strip()
        return f"{title}, tabellen under «{heading}», rad «{row}»"
    text = re.sub(r"\s*\(tekst\)$", "", text)
    chapter = re.match(r"^([IVX]+)\. ", text)
    headings = re.sub(r"^([IVX]+\. |Del \d, )", "", text).split(", ")
    where = f"avsnittet «{headings[-1].strip()}»"
    if chapter:
        where = f"kapittel {chapter.group(1)}, {where}"
    return f"{title}, {where}"


def published_sources(rows: pd.DataFrame) -> str:
    """The «Kilde:» line of published figures: every document and section once, in order."""
    seen: list[str] = []
    for doc, sec in zip(rows["source_document"], rows["source_section"], strict=True):
        c = cite(doc, sec)
        if c not in seen:
            seen.append(c)
    return "; ".join(seen)


def published_titles(rows: pd.DataFrame) -> str:
    """The documents of published figures, each once, in order («IMDi, Årsrapport 2014 og …»)."""
    titles: list[str] = []
    for doc in rows["source_document"]:
        t = source_title(doc)
        if t not in titles:
            titles.append(t)
    return _join(titles)


def computed_source(r: SickLeaveReport) -> str:
    """The «Kilde:» line of figures computed from person-level data."""
    if r.illustrative:
        return SYNTHETIC_SOURCE["hr"]
    return "Beregnet fra persondata fra IMDis lønns- og personalsystem"


def _fmt_pub(row: pd.Series) -> str:
    return fmt_published(float(row["rate_pct"]), int(row["decimals"]))


def _pp_words(diff: float, decimals: int) -> str:
    return fmt_number(abs(diff), decimals) + "\u00a0prosentpoeng"


def change_words(
    old: pd.Series, new: pd.Series, subject: str = "det", *, nearly: bool = False
) -> str:
    """A change between two published rates in words, with ``subject`` after the verb:
    «steg det fra 5,41 % til 7,30 %», «falt det fra …», «var det uendret på 6,3 %» (equal as
    published, at the coarser of the two precisions). With ``nearly``, a change smaller than
    :data:`analysis.paygap.texts.NEARLY_UNCHANGED_PP` (0,1 prosentpoeng) is «var det nesten
    uendret (5,33 % i 2023 og 5,41 % i 2024)», the pay-gap report's rule
    (:func:`analysis.paygap.texts.nearly_unchanged`)."""
    d = min(int(old["decimals"]), int(new["decimals"]))
    a, b = round(float(old["rate_pct"]), d), round(float(new["rate_pct"]), d)
    if a == b:
        return f"var {subject} uendret på {_fmt_pub(new)}"
    pa, pb = (published_decimal(x["rate_pct"], x["decimals"]) for x in (old, new))
    if nearly and nearly_unchanged(float(pb - pa)):
        return (
            f"var {subject} nesten uendret ({_fmt_pub(old)} i {int(old['year'])} og "
            f"{_fmt_pub(new)} i {int(new['year'])})"
        )
    verb = "steg" if b > a else "falt"
    return f"{verb} {subject} fra {_fmt_pub(old)} til {_fmt_pub(new)}"


def _previous_year(r: SickLeaveReport, genders: tuple[str, ...]) -> int | None:
    """The last year before the report year with a published certified rate for ``genders``."""
    s = r.series.loc[(r.series["kind"] == KIND) & (r.series["year"] < r.year)]
    years = [int(y) for y, g in s.groupby("year")["gender"] if set(genders) <= set(g)]
    return max(years) if years else None


def banner_note(r: SickLeaveReport) -> str | None:
    """What the synthetic data of this year are calibrated to (the banner's last sentence);
    None for real data. The banner says once that synthetic figures are not to be quoted;
    details (job groups taken from another year) are in «Om statistikken»."""
    if not r.illustrative:
        return None
    cy = r.sick_calibration_year
    if not r.has_published:
        return (
            f"De syntetiske dataene er kalibrert til de publiserte tallene for {cy} og sier "
            f"ingenting om sykefraværet i {r.year}."
        )
    return (
        "De syntetiske dataene er kalibrert til det publiserte legemeldte sykefraværet for "
        f"kvinner og menn i {cy}."
    )


def header_source(r: SickLeaveReport) -> str:
    """The header's «Datagrunnlag: …» (without the full stop): what the quotable figures are,
    without repeating the banner."""
    if not r.illustrative:
        return "persondata fra IMDis egne systemer"
    if r.has_published:  # plain text: the header escapes it as HTML
        return f"IMDis publiserte tall ({published_titles(r.published_year)})"
    return (
        "syntetiske persondata (illustrasjon); IMDi har ikke publisert sykefraværstall for "
        f"{r.year}"
    )


def _job_groups_note(r: SickLeaveReport) -> str:
    """With synthetic data: where the job-group distribution comes from, when not the year."""
    py = r.person.calibration_year
    if not r.illustrative or py is None or py == r.year:
        return ""
    return f"Fordelingen på stillingsgrupper er ikke publisert for {r.year} og er hentet fra {py}."


def key_cards(r: SickLeaveReport) -> list[tuple[str, str]]:
    """The key-figure cards: the published rates (synthetic data) or the computed ones (real
    data). A rate that is not published for a group has no card; synthetic figures never do,
    nor does a published rate the report doubts (:meth:`SickLeaveReport.doubtful`)."""
    if r.illustrative:
        cards = []
        for g, label in (
            ("K", "Legemeldt sykefravær, kvinner"),
            ("M", "Legemeldt sykefravær, menn"),
            (S.TOTAL, "Legemeldt sykefravær, alle ansatte"),
        ):
            p = r.published(g)
            if p is not None and not r.doubtful(g):
                if g == S.TOTAL and r.total_flagged():
                    label += f" ({FLAGGED_TOTAL})"
                cards.append((label, _fmt_pub(p)))
        p = r.published(S.TOTAL, "totalt")
        if p is not None:
            label = "Samlet sykefravær (legemeldt og egenmeldt), alle ansatte"
            if r.total_flagged(kind="totalt"):
                label += f" ({FLAGGED_TOTAL})"
            cards.append((label, _fmt_pub(p)))
        return cards
    cards = [
        (
            f"Legemeldt sykefravær, {gender_label(g, lower=True)}",
            fmt_pct(r.rate(g)["rate_pct"], RATE_DECIMALS),
        )
        for g in ("K", "M", S.TOTAL)
    ]
    cards.append(("Kvinners fravær i forhold til menns", fmt_ratio(r.adjusted.unadjusted)))
    cards.append(("Samme forhold, justert for stilling og alder", fmt_ratio(r.adjusted.estimate)))
    return cards


def key_cards_source(r: SickLeaveReport) -> str:
    """The line under the cards: where they come from."""
    if r.illustrative:
        rows = r.published_year.loc[r.published_year["kind"].isin([KIND, "totalt"])]
        if rows.empty:
            return ""
        return f"Kilde: {md_escape(published_titles(rows))}."
    return f"Kilde: {computed_source(r)}."


def _target_point(r: SickLeaveReport) -> str | None:
    """The target of the year in «Hovedfunn», only where the report can say something about
    it: the IA ceiling without a published total for the year, or the relative goal with a
    published benchmark. The IA verdict on a published total is part of the total's point;
    a target that does not apply to the year (:func:`applicable_targets`) is never named."""
    t = applicable_targets(r)
    ia = t.loc[t["max_rate_pct"].notna()]
    if len(ia) and r.published(S.TOTAL, "totalt") is None:
        row = next(ia.itertuples(index=False))
        return (
            "IMDis mål i IA-avtalen var at det samlede sykefraværet ikke skulle overstige "
            f"{fmt_pct(float(row.max_rate_pct), 1)} innen utgangen av {int(row.target_year)}. "
            f"Det samlede sykefraværet er ikke publisert for {r.year}."
        )
    if (t["max_rate_pct"].isna()).any() and not r.benchmark.empty:
        return r.benchmark_text
    return None


def _total_point(r: SickLeaveReport, tot: pd.Series) -> str:
    """The published total sick leave of the year, with the IA verdict where it applies."""
    if r.total_flagged(kind="totalt"):
        text = (
            "IMDi publiserte et samlet sykefravær, der også egenmeldt fravær er med, på "
            f"{_fmt_pub(tot)} for alle ansatte, men {FLAGGED_TOTAL_CLAUSE}."
        )
    else:
        text = (
            f"Det samlede sykefraværet, der også egenmeldt fravær er med, var {_fmt_pub(tot)} "
            "for alle ansatte."
        )
    t = applicable_targets(r)
    for row in t.loc[t["max_rate_pct"].notna()].itertuples(index=False):
        verdict = _ia_verdict(r, row)
        if verdict:
            text += (
                " Målet i IA-avtalen var at det samlede sykefraværet ikke skulle overstige "
                f"{fmt_pct(float(row.max_rate_pct), 1)} innen utgangen av "
                f"{int(row.target_year)}, så {_fmt_pub(tot)} er {verdict}."
            )
    return text


def _kind_words(kind: object) -> str:
    """«legemeldt sykefravær», «samlet sykefravær»."""
    return f"{KIND_SHORT.get(str(kind), str(kind)).lower()} sykefravær"


def _findings_point(r: SickLeaveReport) -> str | None:
    f = r.findings_year
    bad = f.loc[f["status"] == "avvik"]
    if bad.empty:
        return None
    row = bad.loc[bad["subject"] == KIND].iloc[0] if (bad["subject"] == KIND).any() else bad.iloc[0]
    what = _kind_words(row["subject"])
    p = r.published(S.TOTAL, str(row["subject"]))
    shown = _fmt_pub(p) if p is not None else fmt_pct(float(row["published"]), 2)
    more = "".join(
        f" Det samme gjelder den publiserte totalen for {_kind_words(o['subject'])}"
        f" ({fmt_pct(float(o['published']), 2)}), som skulle ha vært om lag "
        f"{fmt_pct(float(o['recomputed']), 1)}."
        for _, o in bad.iterrows()
        if o is not row and o["subject"] != row["subject"] and o["subject"] in KIND_LABELS
    )
    return (
        f"Den publiserte totalen for {what} ({shown}) passer ikke med kvinners og menns "
        f"tall: ut fra kjønnsfordelingen blant de ansatte skulle den ha vært om lag "
        f"{fmt_pct(float(row['recomputed']), 1)}. Tallet er gjengitt slik det er publisert." + more
    )


def _doubt_point(r: SickLeaveReport, gender: str) -> str:
    """The caveat on a doubtful published rate of the report year (2023, men)."""
    p = r.published(gender)
    who = {"K": "kvinner", "M": "menn"}.get(gender, "alle ansatte")
    others = [
        r.published_in(y, gender)
        for y in sorted({int(y) for y in r.series["year"]})
        if y != r.year and abs(y - r.year) <= 2 and not r.doubtful(gender, y)
    ]
    others = [o for o in others if o is not None]
    text = f"For {who} er det publisert {_fmt_pub(p)}, men tallet er usikkert:"
    reasons = []
    if others:
        near = _join([f"{_fmt_pub(o)} i {int(o['year'])}" for o in others])
        reasons.append(f"det er mye lavere enn {near}")
    bad = r.findings_year.loc[
        (r.findings_year["status"] == "avvik") & (r.findings_year["subject"] == KIND)
    ]
    tot = r.published(S.TOTAL)
    if len(bad) and tot is not None:
        reasons.append(
            f"med dette tallet skulle totalen for alle ansatte ha vært om lag "
            f"{fmt_pct(float(bad['recomputed'].iloc[0]), 1)}, ikke {_fmt_pub(tot)}"
        )
    text += " " + (", og ".join(reasons) if reasons else "det passer ikke med de andre tallene")
    return (
        text + ". Tallet er lest fra en skannet tabell og gjengitt slik det står der; "
        "rapporten bygger ingen funn på det."
    )


def hovedfunn_points(r: SickLeaveReport) -> list[str]:
    """«Hovedfunn»: 3–5 plain sentences with the key numbers (published ones with synthetic
    data, computed ones with real data)."""
    if r.illustrative and not r.has_published:
        return _points_without_published(r)
    if r.illustrative:
        return _points_published(r)
    return _points_person_data(r)


def _points_published(r: SickLeaveReport) -> list[str]:
    k, m, a = r.published("K"), r.published("M"), r.published(S.TOTAL)
    doubt = [g for g in ("K", "M") if r.doubtful(g)]
    rows = r.published_year.loc[r.published_year["kind"] == KIND]
    src = md_escape(published_titles(rows))
    sure = [(g, p) for g, p in (("K", k), ("M", m)) if g not in doubt and p is not None]
    by = _join([f"{_fmt_pub(p)} for {gender_label(g, lower=True)}" for g, p in sure])
    points = []
    if a is not None and r.total_flagged() and sure:
        # the genders' rates lead; the total is quoted as published and named as flagged
        points.append(
            f"Det legemeldte sykefraværet i IMDi var {by} i {r.year} ({src}). IMDi publiserte "
            f"{_fmt_pub(a)} for alle ansatte, men {FLAGGED_TOTAL_CLAUSE}."
        )
    elif a is not None:
        points.append(
            f"Det legemeldte sykefraværet i IMDi var {_fmt_pub(a)} i {r.year}"
            + (f": {by}" if len(sure) == 2 else f", og {by}" if sure else "")
            + f" ({src})."
        )
    else:
        points.append(
            f"Det legemeldte sykefraværet i IMDi var {by} i {r.year} ({src}). IMDi publiserte "
            "ikke noe legemeldt sykefravær for alle ansatte samlet."
        )
    points.extend(_doubt_point(r, g) for g in doubt)
    tot = r.published(S.TOTAL, "totalt")
    if tot is not None:
        points.append(_total_point(r, tot))
    if not doubt:
        d = min(int(k["decimals"]), int(m["decimals"]))
        pk, pm = (published_decimal(x["rate_pct"], x["decimals"]) for x in (k, m))
        diff = round_half_up(pk - pm, d)
        if diff == 0:
            points.append("Kvinner og menn hadde like høyt legemeldt sykefravær.")
        else:
            times = pk / pm
            higher = "høyere" if diff > 0 else "lavere"
            if diff > 0 and times >= Decimal("1.15"):
                ratio = fmt_published_ratio(
                    k["rate_pct"], k["decimals"], m["rate_pct"], m["decimals"]
                )
                tail = f", {ratio} ganger så høyt."
            elif abs(times - 1) < Decimal("0.15"):
                tail = ", altså nesten like høyt."
            else:
                tail = "."
            points.append(
                f"Kvinners legemeldte sykefravær var {_pp_words(float(diff), d)} {higher} enn "
                f"menns{tail}"
            )
    prev = _previous_year(r, ("K", "M"))
    if prev is not None:
        points.append(_change_point(r, prev))
    else:
        following = _next_point(r)
        if following:
            points.append(following)
    if not doubt:
        finding = _findings_point(r)
        if finding:
            points.append(finding)
    target = _target_point(r)
    if target and len(points) < 5:
        points.append(target)
    return points[:5]


def _next_point(r: SickLeaveReport) -> str | None:
    """In the first year of the published series: that it is the first, and the rates of
    women and men the next year with published rates (2013: «… i 2014 var det legemeldte
    sykefraværet 6,6 % for kvinner og 4,0 % for menn»)."""
    s = r.series.loc[(r.series["kind"] == KIND) & (r.series["year"] > r.year)]
    years = [int(y) for y, g in s.groupby("year")["gender"] if set(GENDERS) <= set(g)]
    if not years:
        return None
    nxt = min(years)
    rows = [(g, r.published_in(nxt, g)) for g in GENDERS if not r.doubtful(g, nxt)]
    if not rows:
        return None
    by = _join([f"{_fmt_pub(p)} for {gender_label(g, lower=True)}" for g, p in rows])
    src = md_escape(published_titles(pd.DataFrame([p for _, p in rows])))
    return (
        f"{r.year} er det første året med publiserte tall etter kjønn i kildene rapporten "
        f"bygger på. I {nxt} var det legemeldte sykefraværet {by} ({src})."
    )


def _change_point(r: SickLeaveReport, prev: int) -> str:
    """The change since the previous published year, leaving out a doubtful rate."""
    since = (
        f"Fra {prev} til {r.year}"
        if prev == r.year - 1
        else f"Fra {prev}, forrige år med publiserte tall, til {r.year}"
    )
    now = {g: r.published(g) for g in ("K", "M", S.TOTAL)}
    before = {g: r.published_in(prev, g) for g in ("K", "M", S.TOTAL)}
    skipped = [g for g in ("K", "M") if r.doubtful(g) or r.doubtful(g, prev)]
    genders = [g for g in ("K", "M") if g not in skipped]
    a, pa = now[S.TOTAL], before[S.TOTAL]
    # a total that does not fit the genders' rates in either year gives no real change
    flagged = a is not None and pa is not None and (r.total_flagged() or r.total_flagged(prev))
    if flagged:
        a = pa = None
    if a is not None and pa is not None:
        subject = "det legemeldte sykefraværet for alle ansatte"
        text = f"{since} {change_words(pa, a, subject, nearly=True)}."
        each = [
            f"for {gender_label(g, lower=True)} {change_words(before[g], now[g])}" for g in genders
        ]
        if each:
            joined = ", ".join(each)
            text += f" {joined[:1].upper()}{joined[1:]}."
    elif genders:
        g0, rest = genders[0], genders[1:]
        subject = f"det legemeldte sykefraværet for {gender_label(g0, lower=True)}"
        text = f"{since} {change_words(before[g0], now[g0], subject)}"
        text += "".join(
            f", og for {gender_label(g, lower=True)} {change_words(before[g], now[g])}"
            for g in rest
        )
        text += "."
    else:
        text = f"{since}: ingen sammenligning for kvinner og menn."
    if flagged:
        bad = [y for y in (prev, r.year) if r.total_flagged(y)]
        why = "ingen av dem stemmer" if len(bad) == 2 else f"totalen for {bad[0]} ikke stemmer"
        text += (
            f" Totalene for alle ansatte kan ikke sammenlignes, fordi {why} med tallene for "
            "kvinner og menn."
        )
    for g in skipped:
        if r.doubtful(g):  # the report year's own caveat is a point of its own
            continue
        text += (
            f" Tallet for {gender_label(g, lower=True)} i {prev} ({_fmt_pub(before[g])}) er "
            "usikkert og er ikke sammenlignet."
        )
    return text


def _points_without_published(r: SickLeaveReport) -> list[str]:
    points = [f"IMDi har ikke publisert sykefraværstall for {r.year}."]
    last = _previous_year(r, ("K", "M"))
    if last is not None:
        k, m, a = (r.published_in(last, g) for g in ("K", "M", S.TOTAL))
        src = md_escape(source_title(k["source_document"]))
        who = _join(
            [
                f"{_fmt_pub(p)} for {gender_label(g, lower=True)}"
                for g, p in (("K", k), ("M", m))
                if not r.doubtful(g, last)
            ]
        )
        text = f"De siste publiserte tallene gjelder {last}: legemeldt sykefravær var {who}"
        if a is not None and r.total_flagged(last):
            text += (
                f" ({src}). IMDi publiserte {_fmt_pub(a)} for alle ansatte i {last}, men "
                f"{FLAGGED_TOTAL_CLAUSE}."
            )
        elif a is not None:
            text = (
                f"De siste publiserte tallene gjelder {last}: legemeldt sykefravær var "
                f"{_fmt_pub(a)} for alle ansatte, {who} ({src})."
            )
        else:
            text += f" ({src})."
        points.append(text)
    target = _target_point(r)
    if target:
        points.append(target)
    return points


def _points_person_data(r: SickLeaveReport) -> list[str]:
    k, m, a = r.rate("K"), r.rate("M"), r.rate(S.TOTAL)
    adj = r.adjusted
    points = []
    if any(pd.isna(x["rate_pct"]) for x in (k, m, a)):
        points.append(headline_text(r))
    else:
        points.append(
            f"Det legemeldte sykefraværet i IMDi var {fmt_pct(a['rate_pct'], RATE_DECIMALS)} i "
            f"{r.year}: {fmt_pct(k['rate_pct'], RATE_DECIMALS)} for kvinner og "
            f"{fmt_pct(m['rate_pct'], RATE_DECIMALS)} for menn "
            "(beregnet fra persondata)."
        )
        if math.isfinite(adj.unadjusted):
            ci = fmt_ci(adj.unadjusted_ci_low, adj.unadjusted_ci_high, 2)
            points.append(
                f"Kvinners legemeldte fravær var {fmt_ratio(adj.unadjusted)} ganger menns "
                f"(95\u00a0% konfidensintervall {ci})."
            )
        if math.isfinite(adj.estimate):
            same = (
                "Forskjellen er større enn tilfeldig variasjon alene gir grunn til å vente."
                if _ci_excludes_one(adj.ci_low, adj.ci_high)
                else "Forskjellen kan ikke skilles fra tilfeldig variasjon."
            )
            points.append(
                f"Sammenlignet med menn i samme {_same(r)} var kvinners "
                f"fravær {fmt_ratio(adj.estimate)} ganger så høyt "
                f"({fmt_ci(adj.ci_low, adj.ci_high, 2)}). {same}"
            )
    pa = r.published(S.TOTAL)
    if pa is not None:
        flag = f", men {FLAGGED_TOTAL_CLAUSE}" if r.total_flagged() else ""
        points.append(
            f"IMDi publiserte {_fmt_pub(pa)} for alle ansatte "
            f"({md_escape(source_title(pa['source_document']))}){flag}; se tabellen som "
            "sammenligner de publiserte tallene med persondataene."
        )
    target = _target_point(r)
    if target is None:
        tot = r.published(S.TOTAL, "totalt")
        t = applicable_targets(r)
        if tot is not None and t["max_rate_pct"].notna().any():
            target = _total_point(r, tot)
    if target:
        points.append(target)
    return points[:5]


def published_text(r: SickLeaveReport) -> str:
    """Under the table of the year's published figures: what a reader must know."""
    if not r.has_published:
        return f"IMDi har ikke publisert sykefraværstall for {r.year}."
    parts = []
    if r.published(S.TOTAL) is None:
        parts.append(
            f"For {r.year} er det legemeldte sykefraværet publisert for kvinner og menn, men "
            "ikke for alle ansatte samlet."
        )
    for g in ("K", "M"):
        if r.doubtful(g):
            parts.append(
                f"Tallet for {gender_label(g, lower=True)} ({_fmt_pub(r.published(g))}) er "
                "usikkert: det er lest fra en skannet tabell og er mye lavere enn i årene rundt. "
                "Det er gjengitt slik det står i kilden."
            )
    bad = r.findings_year.loc[r.findings_year["status"] == "avvik"]
    if len(bad):
        parts.append(
            "Merk at den publiserte totalen for alle ansatte ikke passer med tallene for "
            "kvinner og menn. Tallet er gjengitt slik det er publisert; se «Stemmer de "
            "publiserte totalene?» nedenfor."
        )
    return " ".join(parts)


def illustration_text(r: SickLeaveReport, what: str) -> str:
    """The one line under «Illustrasjon på syntetiske data»: what the section shows."""
    return (
        f"{what} bygger på syntetiske persondata kalibrert til de publiserte tallene for "
        f"{r.sick_calibration_year}. De viser hva rapporten kan vise med IMDis egne "
        "persondata, men beskriver ingen virkelige ansatte og skal ikke siteres."
    )


def series_source(r: SickLeaveReport) -> str:
    """«Kilde:» of the published series (and the IA target drawn in the figure)."""
    rows = pd.concat(
        [r.series.loc[r.series["kind"] == KIND].sort_values("year"), r.targets],
        ignore_index=True,
    )
    titles: list[str] = []
    for doc in rows["source_document"]:
        t = source_title(doc)
        if t not in titles:
            titles.append(t)
    return "; ".join(titles)


def trend_title(r: SickLeaveReport) -> str:
    years = r.series.loc[r.series["kind"] == KIND, "year"]
    return (
        f"Legemeldt sykefravær i IMDi etter kjønn, {int(years.min())}–{int(years.max())}. "
        "Publiserte tall"
    )


def findings_source(r: SickLeaveReport) -> str:
    """«Kilde:» of the check of the published totals."""
    rows = r.findings
    titles: list[str] = []
    for doc in rows["source_document"]:
        t = source_title(doc)
        if t not in titles:
            titles.append(t)
    return (
        f"Beregnet fra de publiserte tallene ({_join(titles)}) og kvinneandelen i de "
        "publiserte lønns- og bemanningstabellene"
    )


def comparison_source(r: SickLeaveReport) -> str:
    """«Kilde:» of the table putting the published rates next to the person-level ones."""
    return f"{published_titles(r.comparison)}; {computed_source(r)}"


def sources_text(r: SickLeaveReport) -> str:
    """«Kilder» in «Om statistikken»: the published documents, the person data and the
    benchmark."""
    s = r.series.sort_values("year")
    lines = []
    for doc, grp in s.groupby("source_document", sort=False):
        years = sorted({int(y) for y in grp["year"]})
        lines.append(f"* **{md_escape(source_title(doc))}**: sykefravær for {_join(years)}.")
    lines.append(
        "* Tallene er hentet uendret, med de desimalene de er publisert med; hver verdi har "
        "kildehenvisning (dokument, del og sitat) i `data/raw/published/sick_leave.csv`."
    )
    if r.illustrative:
        lines.append(
            "* **Persondata**: syntetiske data laget av IMDi for å vise hva rapporten kan vise "
            "med persondata. De beskriver ingen virkelige personer, og de følger de samme "
            "personvernreglene som virkelige persondata. "
            + md_escape(" ".join(t for t in (banner_note(r), _job_groups_note(r)) if t))
        )
    else:
        lines.append(
            "* **Persondata**: uttrekk fra IMDis lønns- og personalsystem for "
            f"{r.year}, én rad per ansatt (filen er oppgitt i sporbarheten nederst)."
        )
    # the state average matters only in years the goal of being below it applies
    if not r.benchmark.empty or applicable_targets(r)["max_rate_pct"].isna().any():
        lines.append(f"* **Statlig forvaltning**: {r.benchmark_text}")
    return "\n".join(lines)


def rates_intro_text(r: SickLeaveReport) -> str:
    """Above the table of rates computed from real person-level data."""
    return (
        f"Tabellen viser sykefraværet i {r.year} beregnet fra IMDis persondata. "
        "Konfidensintervallet (KI) viser hvor mye raten kunne ha variert av tilfeldige grunner: "
        "noen få lange sykmeldinger kan flytte raten for en liten arbeidsplass mye."
    )


def group_title(r: SickLeaveReport, group: str) -> str:
    """Caption of the figure of rates by ``group`` («stillingsgruppe», «aldersgruppe»)."""
    return f"Legemeldt sykefravær etter {group} og kjønn, {r.year}"


def concentration_title(r: SickLeaveReport) -> str:
    return f"Hvordan de tapte dagsverkene fordeler seg på de ansatte, {r.year}"


def quality_text(r: SickLeaveReport) -> str:
    """«Datakvalitet» in «Om statistikken»."""
    text = (
        "De publiserte totalene for alle ansatte er kontrollert mot tallene for kvinner og "
        "menn (se «Stemmer de publiserte totalene?»). Noen publiserte tall er lest fra "
        "skannede dokumenter, der desimalkommaet kan ha falt bort (for eksempel «790%» for "
        "7,90\u00a0%); hver slik tolkning er forklart i kildehenvisningen i "
        "`data/raw/published/sick_leave.csv`."
    )
    if r.illustrative and len(r.comparison):
        text += (
            " Tabellen under er kontrollen av de syntetiske dataene: de skal gi det "
            "publiserte legemeldte sykefraværet for kvinner og menn."
        )
    return text


def hidden_rates_text(r: SickLeaveReport) -> str:
    """With synthetic data, under the illustration's rates: why a gender's rate is hidden
    (empty when nothing is). With real data the same sentence is a main finding."""
    if not any(pd.isna(r.rate(g)["rate_pct"]) for g in ("K", "M", S.TOTAL)):
        return ""
    return headline_text(r)
