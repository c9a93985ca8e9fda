"""The pay-gap report's words: labels and bokmål sentences built from its numbers.

Every sentence takes computed (and protected) numbers and only words them; nothing here
computes or hides a number. Changes are written as words («falt med 0,64 prosentpoeng»), an
amount that rounds to nothing as «uendret», never «minket med 0 kr».
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from analysis.paygap.covariates import covariate_phrase, heading_phrase
from analysis.paygap.nopo import round_to_total
from analysis.render.formatting import fmt_nok, fmt_number, fmt_pct
from analysis.render.inert import md_escape
from analysis.render.sources import SYNTHETIC_SOURCE, person_data

if TYPE_CHECKING:
    import pandas as pd

    from analysis.paygap.report import Headline, PayGapReport

#: a change in women's pay as a share of men's smaller than this (percentage points) is
#: written «nesten uendret»: with about 280 employees, one person joining or leaving moves
#: the share by several hundredths of a point, so a smaller change says nothing about pay
NEARLY_UNCHANGED_PP = 0.1

#: where the EU pay transparency directive stands (the directive's text, art. 9, 10 and 34)
EU_DIRECTIVE_STATUS = "Direktivet er ikke norsk lov ennå; tallene vises bare til orientering."


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


def parameters_used(r: PayGapReport) -> dict[str, str]:
    """What the parameters left empty stood for in this build, for the provenance block
    (:func:`analysis.render.notebook.provenance_block`, ``used``): the comparison year the
    report used, and that the person-level data were synthetic."""
    used = {"compare_year": f"{r.compare_year} (standard: året før {r.year})"}
    if r.person.synthetic:
        used["hr_data"] = "ingen (syntetiske persondata)"
    return used


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


def table_ref(document: str | None, heading: str | None) -> str:
    """A published table as the reader finds it: «IMDi, Likestillingsredegjørelse 2025,
    tabellen under «Likelønn mellom kvinner og menn»» (the documents do not number or name
    their tables; they stand under a heading)."""
    doc = document or "IMDis publiserte tall"
    return f"{doc}, tabellen under «{heading}»" if heading else doc


def published_source(h: Headline) -> str:
    """The «Kilde:» of a published figure: document and the heading of its table."""
    return table_ref(h.document, h.table_heading)


def computed_source(r: PayGapReport, *, person_level: bool = False) -> str:
    """The «Kilde:» of a figure computed by IMDi from the report's data.

    ``person_level``: computed from the person-level data (always), else from the basis of
    the headline (the published table, or the person-level data aggregated to job groups).
    """
    if not person_level and r.lead == "published" and r.headline is not None:
        return f"Beregnet fra {published_source(r.headline)}"
    if r.person.synthetic:
        return SYNTHETIC_SOURCE["hr"]
    name = r.person.path.name if r.person.path is not None else "persondata"
    return f"Beregnet fra persondata fra IMDis egne systemer ({name})"


def change_source(r: PayGapReport) -> str:
    """The «Kilde:» of the change between the two years."""
    c = r.change
    if c is None:
        return computed_source(r)
    if r.change_source == "published" and r.published_previous and r.headline:
        h, p = r.headline, r.published_previous
        if (h.document, h.table_heading) == (p.document, p.table_heading):
            return f"Beregnet fra {published_source(h)}"
        return (
            f"Beregnet fra {published_source(h)} (tall for {c.year1}) og "
            f"{published_source(p)} (tall for {c.year0})"
        )
    if r.change_source and r.change_source.startswith("published/"):
        prev = (
            published_source(r.published_previous)
            if r.published_previous
            else "IMDis publiserte tall"
        )
        data = person_data(r.person.synthetic) + (
            " (illustrasjon, ikke IMDi-tall)" if r.person.synthetic else ""
        )
        return f"Beregnet fra {prev} (tall for {c.year0}) og {data} ({c.year1})"
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


# --------------------------------------------------------------------------- the top


def header_source(r: PayGapReport) -> str:
    """The header's «Datagrunnlag: …» (without the full stop)."""
    if r.lead == "published" and r.headline is not None:
        # the banner says what is synthetic and what may be quoted; here only the source
        return str(r.headline.document or "IMDis publiserte tall")
    if r.lead == "microdata":
        return "persondata fra IMDis egne systemer"
    return "syntetiske persondata (illustrasjon); IMDi har ikke publisert lønnstall for året"


def banner_note(r: PayGapReport) -> str | None:
    """The report's sentence after the synthetic-data banner (None with real data)."""
    if not r.person.synthetic:
        return None
    if r.lead == "published":
        return "Nøkkeltallene og hovedfunnene er IMDis publiserte tall og kan siteres."
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
    # with published figures in both years the change is already on their basis
    # (:func:`analysis.paygap.nopo.change_on_totals`): one number in text, table and figure
    what = "kvinners lønn i prosent av menns"
    levels = f"({_fmt_ratio(c.ratio0_pct)} i {c.year0}, {_fmt_ratio(c.ratio1_pct)} i {c.year1})"
    if nearly_unchanged(c.ratio_change_pp):
        ratio = f"var {what} nesten uendret {levels}"
    else:
        ratio = _moved(c.ratio_change_pp, what, _pp)
        if "uendret" not in ratio:
            ratio += f" (fra {_fmt_ratio(c.ratio0_pct)})"
    gap = _clause(c.change, "lønnsgapet", fmt_nok, down="minket")
    return f"Fra {c.year0} til {c.year1} {ratio}, og {gap}."


def nearly_unchanged(change_pp: float) -> bool:
    """Whether a change in women's pay as a share of men's is written «nesten uendret»: not
    zero at two decimals, but smaller than :data:`NEARLY_UNCHANGED_PP` in absolute value."""
    return (
        math.isfinite(change_pp)
        and abs(change_pp) < NEARLY_UNCHANGED_PP
        and fmt_number(abs(change_pp), 2) != fmt_number(0.0, 2)
    )


def _parts_sentence(r: PayGapReport) -> str | None:
    """What the gap consists of (the grouped decomposition, men's reference)."""
    n = r.nopo
    parts = _named_parts(n)
    if not math.isfinite(n.total) or n.total <= 0 or any(not math.isfinite(v) for _, v in parts):
        return None
    shown = [(k, v) for k, v in parts if fmt_nok(abs(v)) != fmt_nok(0.0)]
    if all(v > 0 for _, v in shown):
        # shares in whole per cent that add up to 100 (largest remainder)
        pct = round_to_total([100.0 * v / n.total for _, v in shown], 100.0)
        items = [f"om lag {fmt_pct(p, 0)} fra {k}" for (k, _), p in zip(shown, pct, strict=True)]
        return f"Av lønnsgapet kommer {_join(items)}."
    return _parts_in_kroner(f"Av lønnsgapet på {fmt_nok(n.total)}", shown)


def _parts_in_kroner(lead: str, shown: list[tuple[str, float]]) -> str:
    """«<lead> kommer X kr fra …, mens … trekker det ned med Y kr.»: every part named, so
    the amounts add up to the gap."""
    up = [f"{fmt_nok(v)} fra {k}" for k, v in shown if v > 0]
    down = [f"{k} trekker det ned med {fmt_nok(-v)}" for k, v in shown if v < 0]
    if not up:
        return f"{lead}: {_join(down)}."
    text = f"{lead} kommer {_join(up)}"
    return text + (f", mens {_join(down)}." if down else ".")


def _named_parts(n) -> list[tuple[str, float]]:
    """The four Ñopo parts (men's reference) with their plain names."""
    return [
        ("ulik fordeling av kvinner og menn på stillingsgruppene", n.composition),
        ("lønnsforskjeller mellom kvinner og menn i samme stillingsgruppe", n.within_groups),
        ("kvinner i stillingsgrupper uten menn", n.women_outside_support),
        ("menn i stillingsgrupper uten kvinner", n.men_outside_support),
    ]


def _checks_sentence(r: PayGapReport) -> str | None:
    f = r.findings
    if not len(f):
        return None
    n_dev = len(deviations(f))
    if n_dev == 0:
        return (
            "Kontrollene av den publiserte tabellen viser ingen avvik: tallene henger sammen "
            "innbyrdes."
        )
    what = "ett avvik" if n_dev == 1 else f"{fmt_number(n_dev)} avvik"
    where = "det er beskrevet" if n_dev == 1 else "de er beskrevet"
    return (
        f"Kontrollene av den publiserte tabellen viser {what}; {where} under tabellen over "
        "lønn etter stillingsgruppe."
    )


def deviations(findings: pd.DataFrame) -> dict[str, list[str]]:
    """The deviations among the checks, each counted once: detail → the documents (short
    titles) where it occurs. The same deviation in two documents is one deviation."""
    from analysis.data.published import source_title

    dev = findings.loc[findings["status"] == "avvik"]
    docs: dict[str, list[str]] = {}
    for detail, doc in zip(dev["detail"], dev["source_document"], strict=True):
        where = docs.setdefault(str(detail), [])
        title = short_title(source_title(doc))
        if title not in where:
            where.append(title)
    return {d: sorted(w) for d, w in docs.items()}


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
        # where the figures come from and what may be quoted is said once, in the banner
        # (synthetic person-level data) or on the key cards («publisert»)
        if findings_counts(r.findings)[1]:
            out.append(_checks_sentence(r) or "")
        if not r.person.synthetic:
            out.append(f"Tallene er IMDis egne, publisert i {short_title(h.document)}.")
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
    """The checks of the published table under it: the deviations listed, each once (the
    same deviation in two documents is one item naming both), so the count matches the list."""
    f = r.findings
    if not len(f):
        return ""
    dev = deviations(f)
    full = (
        f"Hele listen med alle {fmt_number(len(f))} kontrollene står under «Datakvalitet» i "
        "«Om statistikken»."
    )
    tail = " ".join(t for t in (apprentices_text(r), full) if t)
    if not dev:
        return (
            "Kontrollene av tabellen viser ingen avvik: kvinners lønn i prosent av menns "
            "stemmer med gjennomsnittene, antall kvinner og menn med andelene, og "
            f"«Totalt»-raden med stillingsgruppene. {tail}"
        )
    items = "\n".join(f"- {_detail(d)} ({md_escape(_join(where))})" for d, where in dev.items())
    what = "ett avvik" if len(dev) == 1 else f"{fmt_number(len(dev))} avvik"
    return f"Kontrollene av tabellen viser {what}:\n\n{items}\n\n{tail}"


def apprentices_text(r: PayGapReport) -> str | None:
    """The sentence on a «Totalt» N without the apprentices (2023, 2024), or None."""
    f = r.findings
    if not len(f):
        return None
    rows = f.loc[(f["check"] == "pay_total") & (f["status"] == "info")]
    if rows.empty:
        return None
    row = rows.iloc[0]
    n, n_all = fmt_number(row["published"], 0), fmt_number(_n_with_apprentices(r), 0)
    return (
        f"Merk: antallet i «Totalt» ({n}) tar ikke med lærlingene (med dem blir det {n_all}), men "
        "gjennomsnittslønnene i «Totalt» gjør det; dokumentet sier ikke hvorfor."
    )


def _n_with_apprentices(r: PayGapReport) -> float:
    t = r.published_table
    if t is None:  # pragma: no cover - findings exist only with a published table
        return float("nan")
    from analysis.data.codes import JOB_GROUPS

    return float(t.loc[t["row"].isin(JOB_GROUPS), "n_total"].sum())


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
    """The sentence under «Hva består lønnsgapet av?» with the parts in kroner; every part
    named, so that the amounts add up to the gap shown (with a published gap, the parts are
    rounded to add up to it exactly: :func:`analysis.paygap.nopo.nopo_on_total`)."""
    n = r.nopo
    if not math.isfinite(n.total):
        return ""
    parts = _named_parts(n)
    shown = [(k, v) for k, v in parts if math.isfinite(v) and fmt_nok(abs(v)) != fmt_nok(0.0)]
    lead = f"Av lønnsgapet på {fmt_nok(n.total)} i {r.year}"
    prefix = ""
    if r.lead == "synthetic":
        prefix = f"I de syntetiske dataene er lønnsgapet {fmt_nok(n.total)}. "
        lead = "Av dette"
    text = prefix + (_parts_in_kroner(lead, shown) if shown else "")
    if any(not math.isfinite(v) for _, v in parts):
        text += (
            " Noen deler er skjult fordi de bygger på stillingsgrupper med for få personer av "
            "ett kjønn."
        )
    return text.strip()


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
    where = "I de syntetiske dataene er" if r.person.synthetic else "I persondataene er"
    return (
        f"{where} lønnsgapet {fmt_pct(r.eu.mean_gap_pct)} av menns gjennomsnittslønn og "
        f"{fmt_pct(r.eu.median_gap_pct)} av menns medianlønn."
    )


def measures_total_note(r: PayGapReport) -> str | None:
    """Why the «Totalt» row of a table from synthetic data may differ from the published one."""
    ref = r.published_total or r.published_reference
    if not r.person.synthetic or ref is None:
        return None
    text = (
        f"De syntetiske dataene er laget slik at hver stillingsgruppe har antallene og "
        f"gjennomsnittslønnene i den publiserte tabellen for {ref.year}. «Totalt» er regnet "
        "ut fra dem og kan avvike noen kroner fra den publiserte «Totalt»-raden, fordi de "
        "publiserte gjennomsnittene er avrundet til hele kroner"
    )
    if r.published_total is not None and apprentices_text(r):
        text += "; lærlingene er med i antallet her, men ikke i det publiserte"
    return text + "."


def eu_table_note(r: PayGapReport) -> str:
    """What the «Gap ≥ 5 %» column means under the directive, and the directive's status."""
    h = r.published_total
    size = (
        f" Med {fmt_number(h.n_total, 0)} ansatte i {h.year} (publisert) ville IMDi etter "
        "art. 9 måtte rapportere hvert år, som arbeidsgivere med minst 250 arbeidstakere."
        if h is not None and math.isfinite(h.n_total) and h.n_total >= 250
        else ""
    )
    return (
        "Direktivet krever en felles lønnsvurdering sammen med de ansattes representanter "
        "(art. 10) når tre vilkår er oppfylt: forskjellen i gjennomsnittslønn mellom kvinner "
        "og menn i en kategori er minst 5 % (kolonnen «Gap ≥ 5 %»), arbeidsgiveren kan ikke "
        "begrunne den med objektive, kjønnsnøytrale kriterier, og den er ikke rettet opp innen "
        "seks måneder etter rapporteringen. Justert gap er ikke et vilkår i direktivet; det "
        "viser om forskjellen står seg når alder og ansiennitet er tatt med."
        f"{size} {EU_DIRECTIVE_STATUS}"
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
    notes = int((r.findings["status"] == "info").sum())
    if dev == 0:
        verdict = "Ingen av kontrollene viser avvik." if notes else "Alle kontrollene stemmer."
    else:
        verdict = f"{_count(dev).capitalize()} av {fmt_number(n)} kontroller viser avvik."
    if notes:
        verdict += (
            f" {_count(notes).capitalize()} har en merknad: lærlingene er ikke med i antallet "
            "i «Totalt»."
            if apprentices_text(r)
            else f" {_count(notes).capitalize()} har en merknad."
        )
    verdict += " Samme kontroll i to dokumenter står på hver sin rad." if _two_docs(r) else ""
    return (
        "Kontrollene regner de publiserte tallene ut på nytt fra hverandre: kvinners lønn i "
        "prosent av menns fra de to gjennomsnittene, antall kvinner og menn fra andelene, og "
        f"«Totalt»-raden fra stillingsgruppene. {verdict}"
    )


def findings_source(r: PayGapReport) -> str:
    """The «Kilde:» of the table of checks: the documents the checked rows come from."""
    from analysis.data.published import source_title

    docs = sorted({source_title(d) for d in r.findings["source_document"]})
    return "Beregnet fra " + _join([table_ref(d, r.table_headings.get(d)) for d in docs])


def _two_docs(r: PayGapReport) -> bool:
    return r.findings["source_document"].nunique() > 1


def _count(n: int) -> str:
    """«én», «to», … «ti» in running text, digits from 11."""
    words = ("null", "én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti")
    return words[n] if 0 <= n < len(words) else fmt_number(n)


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
