"""The pay-gap report's words: labels and bokmål sentences built from its numbers.

Every sentence takes computed (and protected) numbers and only words them; nothing here
computes or hides a number. Changes are written as words («falt med 0,64 prosentpoeng»), an
amount that rounds to nothing as «uendret», never «minket med 0 kr».
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from analysis.paygap.covariates import covariate_phrase, heading_phrase
from analysis.render.formatting import fmt_nok, fmt_number, fmt_pct
from analysis.render.inert import md_escape
from analysis.render.sources import person_data

if TYPE_CHECKING:
    import pandas as pd

    from analysis.paygap.report import Headline, PayGapReport

#: the table of the published documents the figures come from (the documents do not number
#: their tables; «Kjønnsbalanse og lønn» is the first table in both)
PUBLISHED_TABLE = "tabell 1 «Kjønnsbalanse og lønn»"


# --------------------------------------------------------------------------- why not shown


def sparse_text(year: int, min_cell: int) -> str:
    """The person-level data hold fewer than ``min_cell`` women or men."""
    return (
        f"For få ansatte til å beregne lønnsforskjellen fra persondataene for {year}: det "
        f"trengs minst {min_cell} kvinner og {min_cell} menn, og tallene som ville beskrive "
        "så få personer, er skjult."
    )


def oaxaca_skip_text(reason: str, year: int, min_cell: int) -> str:
    """Why the Oaxaca–Blinder decomposition is not shown: ``reason`` is ``only_women``,
    ``only_men``, ``too_few`` (fewer than ``min_cell`` of a gender) or ``not_estimable``."""
    if reason in ("only_women", "only_men"):
        only = "kvinner" if reason == "only_women" else "menn"
        return (
            f"Oaxaca–Blinder-dekomponeringen sammenligner kvinner og menn, men "
            f"persondataene for {year} har bare {only}. Den er derfor ikke beregnet."
        )
    if reason == "too_few":
        return (
            f"For få ansatte til å beregne Oaxaca–Blinder-dekomponeringen for {year}: den "
            f"krever minst {min_cell} kvinner og {min_cell} menn."
        )
    return (
        f"Oaxaca–Blinder-dekomponeringen kan ikke beregnes for {year}: for få ansatte i "
        "forhold til antall kjennetegn, eller kjennetegnene varierer ikke blant både "
        "kvinner og menn."
    )


def same_source_text(year: int, compare_year: int) -> str:
    """The synthetic data of ``year`` are calibrated to the published table of
    ``compare_year``: a comparison would compare that table with itself."""
    return (
        f"Endringen fra {compare_year} er ikke beregnet: IMDi har ikke publisert lønnstall "
        f"for {year}, og de syntetiske dataene for {year} er laget ut fra de publiserte "
        f"tallene for {compare_year}. En sammenligning ville bare sammenligne tallene for "
        f"{compare_year} med seg selv."
    )


# --------------------------------------------------------------------------- words


def short_title(document: str | None) -> str:
    """«IMDi, Likestillingsredegjørelse 2025» → «Likestillingsredegjørelse 2025»."""
    text = document or "IMDis publiserte tall"
    return text.removeprefix("IMDi, ")


def published_source(h: Headline) -> str:
    """The «Kilde:» of a published figure: document and table."""
    return f"{h.document}, {PUBLISHED_TABLE}"


def computed_source(r: PayGapReport, *, person_level: bool = False) -> str:
    """The «Kilde:» of a figure computed by IMDi from the report's data.

    ``person_level``: computed from the person-level data (always), else from the basis of
    the headline (the published table, or the person-level data aggregated to job groups).
    """
    if not person_level and r.lead == "published" and r.headline is not None:
        return f"Beregnet av IMDi fra {short_title(r.headline.document)}, {PUBLISHED_TABLE}"
    if r.person.synthetic:
        return "Beregnet av IMDi fra syntetiske persondata (illustrasjon)"
    name = r.person.path.name if r.person.path is not None else "persondata"
    return f"Beregnet av IMDi fra persondata fra IMDis egne systemer ({name})"


def change_source(r: PayGapReport) -> str:
    """The «Kilde:» of the change between the two years."""
    c = r.change
    if c is None:
        return computed_source(r)
    if r.change_source == "published" and r.published_previous and r.headline:
        return (
            f"Beregnet av IMDi fra {short_title(r.headline.document)} ({c.year1}) og "
            f"{short_title(r.published_previous.document)} ({c.year0}), {PUBLISHED_TABLE}"
        )
    if r.change_source and r.change_source.startswith("published/"):
        prev = short_title(r.published_previous.document if r.published_previous else None)
        data = person_data(r.person.synthetic) + (" (illustrasjon)" if r.person.synthetic else "")
        return f"Beregnet av IMDi fra {prev} ({c.year0}) og {data} ({c.year1})"
    return computed_source(r, person_level=True)


def _fmt_ratio(v: float) -> str:
    return fmt_pct(v, 2)


def _moved(v: float, what: str, fmt, *, up: str = "økte", down: str = "falt") -> str:
    """«økte <what> med X» / «falt <what> med X» / «var <what> uendret» (X rounds to zero);
    the verb first, as after «Fra 2024 til 2025»."""
    text = fmt(abs(v))
    if not math.isfinite(v) or text == fmt(0.0):
        return f"var {what} uendret"
    return f"{up if v > 0 else down} {what} med {text}"


def _clause(v: float, subject: str, fmt, *, up: str = "økte", down: str = "falt") -> str:
    """«<subject> økte med X» / «falt med X» / «var uendret»: subject first."""
    text = fmt(abs(v))
    if not math.isfinite(v) or text == fmt(0.0):
        return f"{subject} var uendret"
    return f"{subject} {up if v > 0 else down} med {text}"


def _pp(v: float) -> str:
    return f"{fmt_number(v, 2)}\u00a0prosentpoeng"


def _share_of_gap(part: float, total: float) -> str:
    return fmt_pct(100.0 * part / total, 0)


# --------------------------------------------------------------------------- the top


def header_source(r: PayGapReport) -> str:
    """The header's «Datagrunnlag: …» (without the full stop)."""
    if r.lead == "published" and r.headline is not None:
        text = f"IMDis publiserte tall ({short_title(r.headline.document)})"
        if r.person.synthetic:
            text += "; analysene på personnivå er illustrasjoner på syntetiske persondata"
        return text
    if r.lead == "microdata":
        return "persondata fra IMDis egne systemer"
    return "syntetiske persondata (illustrasjon); IMDi har ikke publisert lønnstall for året"


def banner_note(r: PayGapReport) -> str | None:
    """The report's sentence after the synthetic-data banner (None with real data)."""
    if not r.person.synthetic:
        return None
    if r.lead == "published":
        return (
            f"Nøkkeltallene og hovedfunnene er IMDis publiserte tall for {r.year} og kan siteres."
        )
    if r.calibration_year is not None:
        return (
            f"IMDi har ikke publisert lønnstall for {r.year}. De syntetiske dataene er "
            f"laget ut fra de publiserte tallene for {r.calibration_year}, så ingen "
            f"lønnstall for {r.year} i denne rapporten kan siteres."
        )
    return (
        f"IMDi har ikke publisert lønnstall for {r.year}, så ingen lønnstall i denne "
        "rapporten kan siteres."
    )


def key_cards(r: PayGapReport) -> list[tuple[str, str]]:
    """The key-figure cards: published figures, or figures from real person-level data;
    none when the headline would be synthetic or rests on too few persons."""
    h = r.headline
    if h is None or h.source == "synthetic":
        return []
    mark = " (publisert)" if h.source == "published" else ""
    return [
        (f"Kvinners lønn i prosent av menns{mark}", _fmt_ratio(h.women_share_of_men_pay_pct)),
        (
            f"Lønnsgap: menns minus kvinners gjennomsnittslønn{mark}",
            fmt_nok(h.gap_nok),
        ),
        (f"Andel kvinner blant de ansatte{mark}", fmt_pct(h.share_women_pct, 2)),
    ]


def _pay_sentence(h: Headline) -> str:
    return (
        f"I {h.year} tjente kvinner i IMDi i gjennomsnitt "
        f"{_fmt_ratio(h.women_share_of_men_pay_pct)} av det menn tjente: "
        f"{fmt_nok(h.mean_women)} mot {fmt_nok(h.mean_men)} i årslønn omregnet til heltid."
    )


def _change_sentence(r: PayGapReport) -> str | None:
    """The change in women's share and in the gap since the comparison year."""
    h, c = r.headline, r.change
    if h is None or c is None:
        return None
    if r.change_source == "published" and r.published_previous is not None:
        p = r.published_previous
        d_ratio = h.women_share_of_men_pay_pct - p.women_share_of_men_pay_pct
        d_gap = h.gap_nok - p.gap_nok
        ratio0 = p.women_share_of_men_pay_pct
    else:
        d_ratio, d_gap, ratio0 = c.ratio_change_pp, c.change, c.ratio0_pct
    ratio = _moved(d_ratio, "kvinners lønn i prosent av menns", _pp)
    if "uendret" not in ratio:
        ratio += f" (fra {_fmt_ratio(ratio0)})"
    gap = _clause(d_gap, "lønnsgapet", fmt_nok, down="minket")
    return f"Fra {c.year0} til {c.year1} {ratio}, og {gap}."


def _parts_sentence(r: PayGapReport) -> str | None:
    """What the gap consists of (the grouped decomposition, men's reference)."""
    n = r.nopo
    total, comp, within = n.total, n.composition, n.within_groups
    if not all(math.isfinite(v) for v in (total, comp, within)) or total <= 0:
        return None
    others = (n.men_outside_support, n.women_outside_support)
    if comp >= 0 and within >= 0 and all(math.isfinite(v) and v >= 0 for v in others):
        return (
            f"Om lag {_share_of_gap(comp, total)} av lønnsgapet skyldes at kvinner og menn "
            "fordeler seg ulikt på stillingsgruppene, og om lag "
            f"{_share_of_gap(within, total)} at kvinner i gjennomsnitt tjener mindre enn "
            "menn i samme stillingsgruppe."
        )
    label, part = max(
        [
            ("at kvinner og menn fordeler seg ulikt på stillingsgruppene", comp),
            ("at kvinner i gjennomsnitt tjener mindre enn menn i samme stillingsgruppe", within),
        ],
        key=lambda kv: kv[1],
    )
    return f"Den største delen av lønnsgapet, {fmt_nok(part)}, skyldes {label}."


def _checks_sentence(r: PayGapReport) -> str | None:
    f = r.findings
    if not len(f):
        return None
    n_dev = int((f["status"] == "avvik").sum())
    if n_dev == 0:
        return (
            f"Alle {fmt_number(len(f))} kontrollene av den publiserte tabellen stemmer: "
            "tallene henger sammen innbyrdes."
        )
    return (
        f"{fmt_number(n_dev)} av {fmt_number(len(f))} kontroller av den publiserte tabellen "
        "viser avvik; de er beskrevet under tabellen over lønn etter stillingsgruppe."
    )


def hovedfunn(r: PayGapReport) -> list[str]:
    """The 3–5 plain sentences of «Hovedfunn»."""
    h = r.headline
    if r.pay_note is not None:
        out = [r.pay_note]
        if r.published_total is not None:
            out.append(_published_reference(r.published_total, "IMDi publiserte"))
        return out
    if h is None:  # pragma: no cover - a headline exists whenever pay_note is None
        return []
    if h.source == "synthetic":
        out = [
            f"IMDi har ikke publisert lønnstall for {r.year}. Lønnstallene i denne rapporten "
            "er beregnet fra syntetiske persondata"
            + (
                f" laget ut fra de publiserte tallene for {r.calibration_year}"
                if r.calibration_year is not None
                else ""
            )
            + ", og ingen av dem kan siteres."
        ]
        ref = r.published_reference
        if ref is not None:
            out.append(_published_reference(ref, "Sist publiserte tall er fra"))
        out.append(
            "Rapporten viser hvordan analysene ser ut når IMDi har lønnsdata for året. Tallene "
            "står under «Illustrasjon på syntetiske data» og beskriver ingen virkelige personer."
        )
        return out
    out = [_pay_sentence(h)]
    out[0] += (
        f" Lønnsgapet var {fmt_nok(h.gap_nok)}, eller {fmt_pct(h.gap_pct, 1)} av menns "
        "gjennomsnittslønn."
    )
    change = _change_sentence(r)
    if change:
        out.append(_capitalise(change))
    elif r.change_note is None and r.change is None:
        out.append(f"Det finnes ikke lønnstall for {r.compare_year} å sammenligne med.")
    parts = _parts_sentence(r)
    if parts:
        out.append(parts)
    if h.source == "published":
        checks = _checks_sentence(r) if findings_counts(r.findings)[1] else None
        src = f"Tallene er IMDis egne, publisert i {short_title(h.document)}." + (
            " Analysene av enkeltpersoners lønn lenger ned er illustrasjoner på "
            "syntetiske data og kan ikke siteres."
            if r.person.synthetic
            else ""
        )
        out.append(src + (f" {checks}" if checks else ""))
    else:
        pt = r.published_total
        out.append(
            "Tallene er beregnet fra IMDis persondata."
            + (
                f" IMDi publiserte {_fmt_ratio(pt.women_share_of_men_pay_pct)} for "
                f"{pt.year} i {short_title(pt.document)}."
                if pt is not None
                else ""
            )
        )
    return out[:5]


def _published_reference(h: Headline, lead: str) -> str:
    if lead.endswith("fra"):
        return (
            f"{lead} {h.year}: da tjente kvinner i IMDi i gjennomsnitt "
            f"{_fmt_ratio(h.women_share_of_men_pay_pct)} av det menn tjente "
            f"({short_title(h.document)})."
        )
    return (
        f"{lead} for {h.year} at kvinner i gjennomsnitt tjente "
        f"{_fmt_ratio(h.women_share_of_men_pay_pct)} av det menn tjente "
        f"({short_title(h.document)})."
    )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- sections


def change_text(r: PayGapReport) -> str:
    """The paragraph on the change since the comparison year."""
    c = r.change
    if r.pay_note is not None:
        return r.pay_note
    if r.change_note is not None:
        return r.change_note
    if c is None:
        return (
            f"Det finnes ikke lønnstall for {r.compare_year} å sammenligne med, så "
            "endringen kan ikke beregnes."
        )
    first = _change_sentence(r) or ""
    comp = _moved(c.composition, "gapet", fmt_nok, down="minket")
    within = _moved(c.within_groups, "gapet", fmt_nok, down="minket")
    parts = (
        f"Endringen kan deles i to: endret fordeling av kvinner og "
        f"menn på stillingsgruppene {_verb_gap(comp)}, og endret lønn innen gruppene "
        f"{_verb_gap(within)}."
    )
    mixed = ""
    if r.change_source and r.change_source.startswith("published/"):
        mixed = (
            f" Merk at tallene for {c.year0} er publiserte, mens tallene for {c.year1} er "
            f"beregnet fra {person_data(r.person.synthetic)}."
        )
    return f"{_capitalise(first)} {parts}{mixed}"


def _verb_gap(moved: str) -> str:
    """«økte gapet med 14 925 kr» stays; «var gapet uendret» → «endret ikke gapet»."""
    return "endret ikke gapet" if moved.startswith("var ") else moved


def checks_text(r: PayGapReport) -> str:
    """One sentence on the checks of the published table, with the deviations listed."""
    f = r.findings
    if not len(f):
        return ""
    dev = f.loc[f["status"] == "avvik"]
    if dev.empty:
        return (
            f"IMDi har kontrollert at tallene i tabellen henger sammen: kvinners lønn i "
            f"prosent av menns stemmer med gjennomsnittene, antall kvinner og menn med "
            f"andelene, og «Totalt»-raden med stillingsgruppene. Alle "
            f"{fmt_number(len(f))} kontrollene stemmer; hele listen står under "
            "«Datakvalitet» i «Om statistikken»."
        )
    from analysis.data.published import source_title

    # the same deviation in two documents is one item naming both
    docs: dict[str, list[str]] = {}
    for detail, doc in zip(dev["detail"], dev["source_document"], strict=True):
        docs.setdefault(str(detail), []).append(short_title(source_title(doc)))
    items = "\n".join(
        f"- {_detail(d)} ({md_escape(_join(sorted(set(where))))})" for d, where in docs.items()
    )
    return (
        f"IMDi har kontrollert at tallene i tabellen henger sammen. {fmt_number(len(dev))} av "
        f"{fmt_number(len(f))} kontroller viser avvik:\n\n{items}\n\nHele listen står under "
        "«Datakvalitet» i «Om statistikken»."
    )


def _detail(text: object) -> str:
    return md_escape(str(text))


def illustration_text(what: str) -> str:
    """The one line of an «Illustrasjon på syntetiske data» panel."""
    return (
        f"{what} er beregnet fra syntetiske persondata. De viser hvordan analysen ser ut, "
        "beskriver ingen virkelige personer og skal ikke siteres."
    )


def findings_counts(findings: pd.DataFrame) -> tuple[int, int]:
    """(number of checks, number of deviations)."""
    return len(findings), int((findings["status"] == "avvik").sum())


def pay_by_group_text(r: PayGapReport) -> str:
    """The opening of «Lønn etter stillingsgruppe og kjønn»."""
    if r.lead == "published":
        return (
            "Tabellen viser lønnstallene slik IMDi har publisert dem, og figuren viser "
            "gjennomsnittlig årslønn for kvinner og menn i hver stillingsgruppe."
        )
    if r.lead == "microdata":
        return (
            "Figuren viser gjennomsnittlig årslønn for kvinner og menn i hver "
            "stillingsgruppe, beregnet fra persondataene."
            + (
                " Tabellen viser tallene IMDi har publisert, til sammenligning."
                if r.published_table is not None
                else ""
            )
        )
    return f"IMDi har ikke publisert lønnstabellen for {r.year}."


def pay_by_group_title(r: PayGapReport) -> str:
    """The caption of the pay-by-group figure."""
    return f"Gjennomsnittlig årslønn for kvinner og menn etter stillingsgruppe, {r.year}"


def parts_text(r: PayGapReport) -> str:
    """The sentence under «Hva består lønnsgapet av?» with the parts in kroner."""
    n = r.nopo
    if not math.isfinite(n.total):
        return ""
    parts = [
        ("at kvinner og menn fordeler seg ulikt på stillingsgruppene", n.composition),
        ("lønnsforskjeller innen samme stillingsgruppe", n.within_groups),
        ("kvinner i stillingsgrupper uten menn", n.women_outside_support),
        ("menn i stillingsgrupper uten kvinner", n.men_outside_support),
    ]
    shown = [(k, v) for k, v in parts if math.isfinite(v) and fmt_nok(abs(v)) != fmt_nok(0.0)]
    up = [(k, v) for k, v in shown if v > 0]
    down = [(k, v) for k, v in shown if v < 0]
    text = f"Lønnsgapet beregnet fra stillingsgruppene var {fmt_nok(n.total)} i {r.year}."
    if up:
        text += " Av dette skyldes " + _join([f"{fmt_nok(v)} {k}" for k, v in up])
        if down:
            text += ", mens " + _join([f"{k} trekker gapet ned med {fmt_nok(-v)}" for k, v in down])
        text += "."
    if any(not math.isfinite(v) for _, v in parts):
        text += (
            " Noen deler er skjult fordi de bygger på stillingsgrupper med for få personer av "
            "ett kjønn."
        )
    if r.lead == "published" and r.headline is not None:
        if fmt_nok(n.total) != fmt_nok(r.headline.gap_nok):
            text += (
                " Det avviker med en krone fra «Totalt»-raden i tabell 1 "
                f"({fmt_nok(r.headline.gap_nok)}) fordi de publiserte gjennomsnittene er "
                "avrundet."
            )
    return text


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " og " + items[-1]


def change_is_illustration(r: PayGapReport) -> bool:
    """Whether the change rests on synthetic person-level data."""
    return bool(r.change_source) and "synthetic" in str(r.change_source)


def eu_text(r: PayGapReport) -> str:
    """The EU indicators in one sentence (or why they are not shown)."""
    if r.sparse_note is not None:
        return r.sparse_note
    return (
        f"Gjennomsnittlig lønnsgap: {fmt_pct(r.eu.mean_gap_pct)} av menns lønn. "
        f"Gapet i medianlønn: {fmt_pct(r.eu.median_gap_pct)}."
    )


def sources_text(r: PayGapReport) -> str:
    """«Kilder» in «Om statistikken»."""
    lines: list[str] = []
    if r.published_total is not None:
        lines.append(
            f"* **Publiserte tall for {r.year}**: {published_source(r.published_total)}. "
            "Tallene er hentet uendret fra dokumentet."
        )
    if r.published_previous is not None and r.change is not None:
        lines.append(
            f"* **Publiserte tall for {r.compare_year}**: {published_source(r.published_previous)}."
        )
    if r.published_reference is not None:
        lines.append(
            f"* **Publiserte tall for {r.published_reference.year}** (grunnlaget for de "
            f"syntetiske dataene): {published_source(r.published_reference)}."
        )
    if r.person.synthetic:
        lines.append(
            "* **Persondata**: syntetiske persondata laget av IMDi slik at antall og "
            "gjennomsnittslønn per stillingsgruppe og kjønn stemmer med de publiserte tallene. "
            "De beskriver ingen virkelige personer."
        )
    else:
        name = r.person.path.name if r.person.path is not None else "persondata"
        lines.append(f"* **Persondata**: lønnsdata fra IMDis egne systemer ({name}).")
    return "\n".join(lines)


def quality_text(r: PayGapReport) -> str:
    """The sentence over the full list of checks in «Om statistikken»."""
    if not len(r.findings):
        return f"Det finnes ingen publisert lønnstabell for {r.year} å kontrollere."
    n, dev = findings_counts(r.findings)
    verdict = (
        f"Alle {fmt_number(n)} kontrollene stemmer."
        if dev == 0
        else f"{fmt_number(dev)} av {fmt_number(n)} kontroller viser avvik."
    )
    return (
        "Kontrollene regner de publiserte tallene ut på nytt fra hverandre: kvinners lønn i "
        "prosent av menns fra de to gjennomsnittene, antall kvinner og menn fra andelene, og "
        f"«Totalt»-raden fra stillingsgruppene. {verdict}"
    )


def findings_source(r: PayGapReport) -> str:
    """The «Kilde:» of the table of checks: the documents the checked rows come from."""
    from analysis.data.published import source_title

    docs = sorted({short_title(source_title(d)) for d in r.findings["source_document"]})
    return f"Beregnet av IMDi fra {_join(docs)}, {PUBLISHED_TABLE}"


# --------------------------------------------------------------------------- the model


#: how the report names each reference wage structure (parameter ``oaxaca_references``)
REFERENCE_NAMES = {
    "male": "menns lønnsstruktur",
    "female": "kvinners lønnsstruktur",
    "pooled": "lønnsstrukturen for alle samlet",
}


def oaxaca_intro(r: PayGapReport) -> str:
    """The heading and opening of the Oaxaca–Blinder section (Markdown, shown by
    :func:`analysis.render.notebook.prose`): the characteristics the model takes into account
    and how many reference wage structures are shown follow the parameters
    ``oaxaca_covariates`` and ``oaxaca_references``."""
    covs = r.oaxaca_covariates_used
    refs = r.oaxaca_references
    if len(refs) == 3:
        shown = ", derfor vises tre"
    elif len(refs) == 2:
        shown = f", derfor vises to: {REFERENCE_NAMES[refs[0]]} og {REFERENCE_NAMES[refs[1]]}"
    else:
        shown = f"; her vises {REFERENCE_NAMES[refs[0]]}"
    return (
        f"## Lønnsforskjeller når {heading_phrase(covs)} er tatt med\n\n"
        "Med opplysninger om hver ansatt kan lønnsgapet deles i en *forklart* del – kvinner og "
        f"menn\nhar ulik {covariate_phrase(covs)} – og en *uforklart* del –\n"
        "de samme kjennetegnene gir ulik lønn for kvinner og menn. Den uforklarte delen er ikke "
        "et\nmål på diskriminering: den rommer også forhold dataene ikke har med. Resultatet "
        f"avhenger av\nhvilken lønnsstruktur som er målestokk{shown}. Den siste tabellen viser "
        "gapet,\nmedianen og usikkerheten per stillingsgruppe."
    )


def oaxaca_explained_text(covariates: tuple[str, ...] | list[str]) -> str:
    """The footnote's definition of the two parts, with the model's covariates."""
    return (
        f"Forklart del: kvinner og menn har ulik {covariate_phrase(covariates)}. Uforklart "
        "del: de samme kjennetegnene gir ulik lønn."
    )


def eu_adjusted_text(covariates: tuple[str, ...] | list[str]) -> str:
    """The EU table's definition of the adjusted gap, with its covariates."""
    return (
        "Justert gap: gapet mellom kvinner og menn i samme kategori med samme "
        f"{covariate_phrase(covariates)}."
    )


# worked example of docs/researcher-guide.md («Legge til en del i en rapport»)
def median_text(r: PayGapReport) -> str:
    """One sentence on the median gap of all employees (the last row of ``r.measures``)."""
    total = r.measures.iloc[-1]
    if bool(total["suppressed"]) or not math.isfinite(total["median_gap_pct"]):
        return "Medianlønnen kan ikke vises for alle ansatte samlet."
    return (
        f"Medianlønnen var {fmt_nok(total['median_men'])} for menn og "
        f"{fmt_nok(total['median_women'])} for kvinner: et gap på "
        f"{fmt_pct(total['median_gap_pct'], 1)} av menns medianlønn."
    )
