"""The pay-gap report's words: labels and bokmål sentences built from its numbers.

Every sentence takes computed (and protected) numbers and only words them; nothing here
computes or hides a number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.render.formatting import fmt_nok, fmt_pct, fmt_pp

if TYPE_CHECKING:
    from analysis.paygap.report import PayGapReport


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


# --------------------------------------------------------------------------- sentences


def summary_text(r: PayGapReport) -> str:
    """The report's opening sentences: women's pay as a share of men's, the two means, the
    source and the change since the year before; or, when the comparison rests on too few
    persons, the sentence saying so (never a row of dashes)."""
    if r.pay_note is not None:
        return r.pay_note
    source = (
        "IMDis publiserte tabell «kjønnsbalanse og lønn»"
        if r.cells_source == "published"
        else "persondata aggregert til stillingsgrupper"
    )
    return (
        f"I {r.year} tjente kvinner i IMDi i gjennomsnitt "
        f"{fmt_pct(r.overall.women_share_of_men_pay_pct, 2)} av det menn tjente "
        f"({fmt_nok(r.overall.mean_women)} mot {fmt_nok(r.overall.mean_men)} i årslønn omregnet "
        f"til heltid). Tallene bygger på {source}. {change_text(r)}"
    )


def change_text(r: PayGapReport) -> str:
    """One bokmål sentence on the change since the comparison year."""
    c = r.change
    if r.pay_note is not None:
        return r.pay_note
    if c is None:
        return (
            f"Det finnes ikke lønnstall for {r.compare_year} å sammenligne med, så "
            "endringen kan ikke beregnes."
        )
    direction = "økte" if c.change > 0 else "minket"
    return (
        f"Fra {c.year0} til {c.year1} {direction} lønnsgapet med {fmt_nok(abs(c.change))}. "
        f"Endret fordeling på stillingsgrupper bidro med {fmt_nok(c.composition)}, og "
        f"endret lønn innen gruppene med {fmt_nok(c.within_groups)}. Kvinners lønn i "
        f"prosent av menns endret seg med {fmt_pp(c.ratio_change_pp, 2)}."
    )
