"""Code lists shared by schemas, functions, notebooks and key figures.

One word for one thing: these codes are used as-is in data files, function arguments and the
JSON key figures.
"""

from __future__ import annotations

import math

#: "all of them": the value of a group column in the margin over that column (every job
#: group, both genders, every participant), the total row of every table the analyses make;
#: also the published tables' code for it (``sick_leave.gender``, ``workforce.group``,
#: ``jobbsjansen.group``). Reports label it as they need (e.g. «Totalt», «Alle ansatte»).
TOTAL = "alle"

#: job groups (stillingsgrupper) of IMDi's pay table and HR data, top to bottom
JOB_GROUPS: tuple[str, ...] = (
    "toppleder",
    "mellomleder",
    "alternativ_karrierevei",
    "saksbehandler",
    "konsulent",
    "laerling",
)

#: the published pay table's code for its whole-agency row, as transcribed
#: (``pay_by_job_group.row``); the analyses turn it into :data:`TOTAL`
PAY_TABLE_TOTAL_ROW = "totalt"

#: the other rows of the published pay table
PAY_TABLE_OTHER_ROWS: tuple[str, ...] = (
    PAY_TABLE_TOTAL_ROW,
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
    TOTAL: "Totalt",
    PAY_TABLE_TOTAL_ROW: "Totalt",
    "sluttet": "Sluttet",
    "nyrekrutterte": "Nyrekrutterte",
    "deltid": "Deltidsansatte",
    "midlertidig": "Midlertidig ansatte",
}

GENDER_LABELS: dict[str, str] = {"K": "Kvinner", "M": "Menn", TOTAL: "Alle"}

#: age bands of employees (HR data: age in the year), left-closed: [0, 30), [30, 40), …, [60, ∞)
#: — SSB's ten-year bands with the youngest and the oldest pooled (few employees there)
EMPLOYEE_AGE_BANDS: tuple[str, ...] = ("<30", "30-39", "40-49", "50-59", "60+")
EMPLOYEE_AGE_BREAKS: tuple[float, ...] = (-math.inf, 30, 40, 50, 60, math.inf)
EMPLOYEE_AGE_BAND_LABELS: dict[str, str] = {
    "<30": "Under 30 år",
    "30-39": "30–39 år",
    "40-49": "40–49 år",
    "50-59": "50–59 år",
    "60+": "60 år og over",
}

#: age bands of Jobbsjansen participants (age at the start of the spell), left-closed:
#: [0, 25), [25, 30), [30, 40), [40, 50), [50, ∞) — a different population and other bands
PARTICIPANT_AGE_BANDS: tuple[str, ...] = ("<25", "25-29", "30-39", "40-49", "50+")
PARTICIPANT_AGE_BREAKS: tuple[float, ...] = (-math.inf, 25, 30, 40, 50, math.inf)
PARTICIPANT_AGE_BAND_LABELS: dict[str, str] = {
    "<25": "Under 25 år",
    "25-29": "25–29 år",
    "30-39": "30–39 år",
    "40-49": "40–49 år",
    "50+": "50 år og over",
}

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
