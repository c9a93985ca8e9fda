"""How reports name where their figures come from: one wording for every page.

``data_source`` is the key figures' word for the person-level basis of a report
(``"published"``, ``"microdata"``, ``"synthetic"``). The header, the synthetic-data banner,
the index, table captions and sentences all take their words from here, so that the basis
of a figure is named the same way everywhere and a change of wording is made once.
"""

from __future__ import annotations

#: the header's «Datagrunnlag: …»
DATA_SOURCE_TEXT: dict[str, str] = {
    "published": "IMDis publiserte tall",
    "microdata": "persondata fra IMDis egne systemer",
    "synthetic": (
        "IMDis publiserte tall; tall fra persondata er illustrasjoner på syntetiske data "
        "kalibrert til dem"
    ),
}

#: the index, in brackets after a report's headline figure
DATA_SOURCE_SHORT: dict[str, str] = {
    "synthetic": "syntetiske data",
    "published": "publiserte tall",
    "microdata": "persondata",
}

#: the banner on every report built on synthetic data
SYNTHETIC_BANNER_TITLE = "Syntetiske persondata."
SYNTHETIC_BANNER_TEXT = (
    "Tall fra persondata er beregnet på syntetiske data (ingen virkelige personer), vises "
    "bare under «Illustrasjon på syntetiske data» og skal ikke siteres."
)


#: the «Kilde:» of a figure computed from synthetic data: an illustration, no IMDi figure
#: (never «Beregnet av IMDi», which would read as IMDi's own statistics)
SYNTHETIC_SOURCE: dict[str, str] = {
    "hr": "Beregnet fra syntetiske persondata (illustrasjon, ikke IMDi-tall)",
    "register": "Beregnet fra syntetiske registerdata (illustrasjon, ikke IMDi-tall)",
}


def person_data(synthetic: bool) -> str:
    """The HR data in captions and sentences: «persondata» / «syntetiske persondata»."""
    return "syntetiske persondata" if synthetic else "persondata"


def register_data(synthetic: bool) -> str:
    """The Jobbsjansen register in captions: «registerdata» / «syntetiske registerdata»."""
    return "syntetiske registerdata" if synthetic else "registerdata"


def the_register(synthetic: bool) -> str:
    """The register in sentences: «registeret» / «de syntetiske registerdataene»."""
    return "de syntetiske registerdataene" if synthetic else "registeret"
