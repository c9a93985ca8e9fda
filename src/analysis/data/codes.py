"""Code lists shared by schemas, functions, notebooks and key figures.

One word for one thing: these codes are used as-is in data files, function arguments and the
JSON key figures.
"""

from __future__ import annotations

#: job groups (stillingsgrupper) of IMDi's pay table and HR data, top to bottom
JOB_GROUPS: tuple[str, ...] = (
    "toppleder",
    "mellomleder",
    "alternativ_karrierevei",
    "saksbehandler",
    "konsulent",
    "laerling",
)

#: the other rows of the published pay table
PAY_TABLE_OTHER_ROWS: tuple[str, ...] = (
    "totalt",
    "sluttet",
    "nyrekrutterte",
    "deltid",
    "midlertidig",
)

#: kinds of sick leave, codes as in ``sick_leave.csv``: doctor-certified, self-certified, both
SICK_LEAVE_KINDS: tuple[str, ...] = ("legemeldt", "egenmeldt", "totalt")

#: gender codes: K = kvinne (woman), M = mann (man)
GENDERS: tuple[str, ...] = ("K", "M")

#: bokmål labels for reports
JOB_GROUP_LABELS: dict[str, str] = {
    "toppleder": "Toppledere",
    "mellomleder": "Mellomledere",
    "alternativ_karrierevei": "Alternativ karrierevei",
    "saksbehandler": "Saksbehandlere",
    "konsulent": "Konsulenter/sekretærer",
    "laerling": "Lærlinger",
    "totalt": "Totalt",
    "sluttet": "Sluttet",
    "nyrekrutterte": "Nyrekrutterte",
    "deltid": "Deltidsansatte",
    "midlertidig": "Midlertidig ansatte",
}

GENDER_LABELS: dict[str, str] = {"K": "Kvinner", "M": "Menn", "alle": "Alle"}

#: Jobbsjansen target groups (målgrupper)
TARGET_GROUPS: tuple[str, ...] = (
    "hjemmevaerende",
    "overgangsstonad",
    "sosialhjelp",
    "familiegjenforent",
    "ungdom",
    "annet",
)

#: Jobbsjansen exit status; the first three count as a transition
EXIT_STATUSES: tuple[str, ...] = ("arbeid", "utdanning", "arbeid_og_utdanning", "annet", "utfaset")
TRANSITION_STATUSES: tuple[str, ...] = ("arbeid", "utdanning", "arbeid_og_utdanning")

#: status one year after the end (SSB follow-up)
STATUS_1Y: tuple[str, ...] = (
    "arbeid",
    "utdanning",
    "arbeid_og_utdanning",
    "ledig_tiltak",
    "annet",
    "ukjent",
)
