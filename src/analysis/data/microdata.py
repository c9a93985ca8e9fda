"""Person-level data: the HR export and the Jobbsjansen participant register.

Two schemas are enforced here:

* :data:`HR_SCHEMA` – one row per person and year from IMDi's pay and HR system (pay converted
  to full time, job share, age, tenure, temporary employment, agreed working days and days of
  certified and self-certified sick leave as SSB defines them).
* :data:`JOBBSJANSEN_SCHEMA` – one row per participant and programme spell in Jobbsjansen
  (project, municipality, target group, start and end date, status at exit and, optionally,
  status one year after the end).

:func:`load_hr` and :func:`load_jobbsjansen` read a file in any format
:func:`analysis.data.readers.read_table_text` supports (Excel-style CSV with semicolons,
decimal comma and Windows-1252; plain CSV; ``.xlsx``; parquet), map Norwegian column names and
value labels to the canonical names and codes, and validate every cell before anything is
computed. Every problem is reported at once with file, spreadsheet row, column (as written in
the file) and value, see :class:`analysis.data.schema.DataValidationError`.

The rules are documented in ``docs/schemas.md``.
"""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data import progress
from analysis.data.codes import EXIT_STATUSES, GENDERS, JOB_GROUPS, STATUS_1Y, TARGET_GROUPS
from analysis.data.readers import read_table_text
from analysis.data.schema import (
    MISSING_COLUMN,
    OUT_OF_RANGE,
    Column,
    DataValidationError,
    Problem,
    RowRule,
    Schema,
    is_missing,
    parse_number,
    validate,
)
from analysis.render.formatting import fmt_number

# --------------------------------------------------------------------------- plausibility

#: plausible annual pay converted to full time, NOK (inclusive); outside this is an error
ANNUAL_PAY_RANGE_NOK: tuple[float, float] = (100_000.0, 5_000_000.0)
#: apprentices (``laerling``) are paid a share of a skilled worker's pay: their lower bound.
#: IMDi published a mean apprentice pay of 125 550 NOK for 2023, so 100 000 would be too tight.
APPRENTICE_PAY_MIN_NOK: float = 50_000.0
#: plausible age of an employee (inclusive)
HR_AGE_RANGE: tuple[int, int] = (15, 75)
#: tenure may not exceed age minus this (nobody is employed before the age of 14)
MIN_WORKING_AGE: int = 14
#: agreed working days in a year: at most the number of weekdays in a year (262 in some years)
MAX_AGREED_WORKDAYS: float = 262.0
#: parental leave taken within one year, in weeks
MAX_PARENTAL_LEAVE_WEEKS: float = 53.0
#: plausible age at the start of a Jobbsjansen spell (inclusive)
JOBBSJANSEN_AGE_RANGE: tuple[int, int] = (16, 67)
#: tolerance (days) for "sick days above agreed days": sums of one-decimal floats
_DAYS_TOLERANCE = 1e-6
#: first plausible year of an HR row: IMDi was established on 1 January 2006
HR_FIRST_YEAR: int = 2006
#: first plausible date in the Jobbsjansen register: Ny sjanse, the forerunner whose spells
#: the register may carry over, began in 2005 (Jobbsjansen itself in 2013)
REGISTER_EARLIEST_DATE: str = "2005-01-01"
#: how many years after the current one a date or year may lie (planned starts, exports
#: made around the turn of the year)
YEARS_AHEAD: int = 1


def latest_plausible_year(today: date | None = None) -> int:
    """The last plausible year of a row or date: the current year plus :data:`YEARS_AHEAD`.

    Everything later (``2099``, a mistyped ``2204``) is refused, so that one stray date can
    neither pass as data nor make ``fou run`` build a report for a year that has not come.
    """
    return (today or date.today()).year + YEARS_AHEAD


def with_date_window(schema: Schema, today: date | None = None) -> Schema:
    """``schema`` with the plausible window of years and dates (see ``docs/schemas.md``).

    HR ``year``: :data:`HR_FIRST_YEAR` to :func:`latest_plausible_year`. Register
    ``start_date`` and ``end_date``: :data:`REGISTER_EARLIEST_DATE` to 31 December of
    :func:`latest_plausible_year`. The upper bound moves with the calendar, so the window is
    applied when a file is loaded, not fixed in the schema constants.
    """
    last = latest_plausible_year(today)

    def window(c: Column) -> Column:
        if schema.name == "hr" and c.name == "year":
            return replace(c, min=float(HR_FIRST_YEAR), max=float(last))
        if c.dtype == "date":
            return replace(c, earliest=REGISTER_EARLIEST_DATE, latest=f"{last}-12-31")
        return c

    return replace(schema, columns=tuple(window(c) for c in schema.columns))


# --------------------------------------------------------------------------- schemas


def _pay_too_low(f: pd.DataFrame) -> pd.Series:
    return (f["job_group"] != "laerling") & (f["annual_pay"] < ANNUAL_PAY_RANGE_NOK[0])


def _tenure_above_age(f: pd.DataFrame) -> pd.Series:
    return f["tenure_years"] > (f["age"] - MIN_WORKING_AGE)


def _sick_above_agreed(f: pd.DataFrame) -> pd.Series:
    total = f["sick_days_certified"] + f["sick_days_self"]
    return total > f["agreed_workdays"] + _DAYS_TOLERANCE


def _raw_missing(f: pd.DataFrame, column: str) -> pd.Series:
    """Whether ``column`` was empty in the file (not merely invalid).

    The loaders keep a copy of the raw text of a few columns (``__raw_<column>``) so that a rule
    can tell an empty cell from one that failed to parse (which is reported on its own). When
    the copy is absent (``validate`` called directly), the typed column is used.
    """
    hidden = f"__raw_{column}"
    if hidden in f.columns:
        return f[hidden].map(lambda v: v is None or is_missing(str(v))).astype(bool)
    if column in f.columns:
        return f[column].isna()
    return pd.Series(False, index=f.index)


HR_SCHEMA = Schema(
    name="hr",
    description="HR export: one row per person and year",
    columns=(
        Column("person_id", "str", description="pseudonym person-id (aldri fødselsnummer)"),
        Column(
            "year",
            "int",
            min=HR_FIRST_YEAR,
            max=2100,  # narrowed to the current year + 1 when a file is loaded
            description="året raden gjelder",
        ),
        Column("gender", "str", allowed=GENDERS, description="kjønn: K = kvinne, M = mann"),
        Column("job_group", "str", allowed=JOB_GROUPS, description="stillingsgruppe"),
        Column(
            "annual_pay",
            "float",
            min=APPRENTICE_PAY_MIN_NOK,
            max=ANNUAL_PAY_RANGE_NOK[1],
            unit="kr",
            description="årslønn omregnet til heltid",
        ),
        Column(
            "fte",
            "float",
            min=0.0,
            max=1.0,
            min_exclusive=True,
            unit="(andel)",
            description="stillingsandel, 0 < fte <= 1",
        ),
        Column(
            "age", "int", min=HR_AGE_RANGE[0], max=HR_AGE_RANGE[1], unit="år", description="alder"
        ),
        Column(
            "tenure_years",
            "float",
            min=0.0,
            max=60.0,
            unit="år",
            description="ansiennitet",
        ),
        Column("temporary", "bool", description="midlertidig ansatt"),
        Column(
            "agreed_workdays",
            "float",
            min=0.0,
            max=MAX_AGREED_WORKDAYS,
            unit="dager",
            description="avtalte dagsverk i året, vektet med stillingsandel",
        ),
        Column(
            "sick_days_certified",
            "float",
            min=0.0,
            unit="dager",
            description="tapte dagsverk, legemeldt (SSBs definisjon)",
        ),
        Column(
            "sick_days_self",
            "float",
            min=0.0,
            unit="dager",
            description="tapte dagsverk, egenmeldt (SSBs definisjon)",
        ),
        Column(
            "parental_leave_weeks",
            "float",
            required=False,
            nullable=True,
            min=0.0,
            max=MAX_PARENTAL_LEAVE_WEEKS,
            unit="uker",
            description="foreldrepermisjon tatt i året",
        ),
        Column(
            "part_time",
            "bool",
            required=False,
            nullable=True,
            description="deltidsansatt",
        ),
        Column(
            "education_level",
            "str",
            required=False,
            nullable=True,
            description="høyeste utdanning (fritekst)",
        ),
    ),
    unique=(("person_id", "year"),),
    rules=(
        RowRule(
            f"usannsynlig årslønn omregnet til heltid: under "
            f"{fmt_number(ANNUAL_PAY_RANGE_NOK[0], 0, thousands=' ')} kr "
            "(bare lærlinger kan ha lavere lønn)",
            ("annual_pay", "job_group"),
            _pay_too_low,
        ),
        RowRule(
            f"ansienniteten er lengre enn alder minus {MIN_WORKING_AGE} år",
            ("tenure_years", "age"),
            _tenure_above_age,
        ),
        RowRule(
            "sykefraværsdagene (legemeldt + egenmeldt) er flere enn avtalte dagsverk",
            ("sick_days_certified", "sick_days_self", "agreed_workdays"),
            _sick_above_agreed,
        ),
    ),
)

JOBBSJANSEN_SCHEMA = Schema(
    name="jobbsjansen",
    description="Jobbsjansen register: one row per participant and programme spell",
    columns=(
        Column("participant_id", "str", description="pseudonym deltaker-id"),
        Column("project_id", "str", description="prosjekt"),
        Column("municipality", "str", description="kommune eller bydel"),
        Column("gender", "str", allowed=GENDERS, description="kjønn: K = kvinne, M = mann"),
        Column(
            "age",
            "int",
            min=JOBBSJANSEN_AGE_RANGE[0],
            max=JOBBSJANSEN_AGE_RANGE[1],
            unit="år",
            description="alder ved oppstart",
        ),
        Column("target_group", "str", allowed=TARGET_GROUPS, description="målgruppe"),
        Column("start_date", "date", description="startdato for forløpet"),
        Column(
            "end_date",
            "date",
            nullable=True,
            description="sluttdato; tom mens deltakeren er i programmet",
        ),
        Column(
            "exit_status",
            "str",
            nullable=True,
            allowed=EXIT_STATUSES,
            description="status ved avslutning; tom mens deltakeren er i programmet",
        ),
        Column(
            "status_1y",
            "str",
            required=False,
            nullable=True,
            allowed=STATUS_1Y,
            description="status ett år etter avslutning (SSBs oppfølging)",
        ),
    ),
    unique=(("participant_id", "start_date"),),
    rules=(
        RowRule(
            "sluttdatoen (end_date) er før startdatoen (start_date)",
            ("end_date", "start_date"),
            lambda f: f["end_date"] < f["start_date"],
        ),
        RowRule(
            "sluttdato (end_date) er fylt ut, men sluttstatus (exit_status) er tom: oppgi "
            "status ved avslutning",
            ("end_date",),
            lambda f: _raw_missing(f, "exit_status"),
        ),
        RowRule(
            "sluttstatus (exit_status) er fylt ut, men sluttdato (end_date) er tom: oppgi "
            "datoen forløpet ble avsluttet",
            ("exit_status",),
            lambda f: _raw_missing(f, "end_date"),
        ),
        RowRule(
            "status ett år etter (status_1y) er oppgitt for en deltaker som fortsatt er i "
            "programmet (sluttdato/end_date er tom)",
            ("status_1y",),
            lambda f: _raw_missing(f, "end_date"),
        ),
    ),
)

#: columns whose raw text the register rules need (see :func:`_raw_missing`)
_RAW_COPIES: dict[str, tuple[str, ...]] = {
    "hr": (),
    "jobbsjansen": ("exit_status", "end_date"),
}

# --------------------------------------------------------------------------- aliases


_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u"})


def fold_key(text: object) -> str:
    """A name or label as a lookup key: lower case, ``æøå`` → ``ae o a``, ``_`` between words.

    ``"Kjønn "`` → ``"kjonn"``, ``"Arbeid og utdanning"`` → ``"arbeid_og_utdanning"``,
    ``"Mellomleiarar*"`` → ``"mellomleiarar"``.
    """
    t = str(text).strip().lower().translate(_FOLD)
    t = unicodedata.normalize("NFKD", t).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", t).strip("_")


#: accepted column names (folded with :func:`fold_key`) per canonical column of the HR schema
HR_ALIASES: dict[str, tuple[str, ...]] = {
    "person_id": (
        "person_id",
        "personid",
        "person",
        "ansattnr",
        "ansatt_nr",
        "ansattnummer",
        "ansatt_id",
        "ansattid",
        "lopenr",
        "lopenummer",
        "pseudonym",
        "pseudo_id",
    ),
    "year": ("year", "ar", "aar", "arstall", "aarstall", "rapporteringsar"),
    "gender": ("gender", "sex", "kjonn", "kjoenn", "kjonn_kode", "kjonnskode", "kjoenn_kode"),
    "job_group": ("job_group", "stillingsgruppe", "stillingsgruppe_kode", "stillingskategori"),
    "annual_pay": (
        "annual_pay",
        "arslonn",
        "aarslonn",
        "arslonn_heltid",
        "aarslonn_heltid",
        "arslonn_omregnet",
        "lonn",
        "loenn",
        "lonn_heltid",
    ),
    "fte": (
        "fte",
        "stillingsandel",
        "stillingsbrok",
        "stillingsprosent",
        "stillingsprosent_pct",
        "stillingsandel_pct",
        "stillingsandel_prosent",
        "fte_pct",
        "stilling_pct",
    ),
    "age": ("age", "alder"),
    "tenure_years": (
        "tenure_years",
        "tenure",
        "ansiennitet",
        "ansiennitet_ar",
        "ansiennitet_aar",
        "tjenestetid",
        "tjenesteansiennitet",
    ),
    "temporary": ("temporary", "midlertidig", "midlertidig_ansatt", "ansettelsesform"),
    "agreed_workdays": ("agreed_workdays", "avtalte_dagsverk", "avtalte_dagsverk_vektet"),
    "sick_days_certified": (
        "sick_days_certified",
        "legemeldte_dager",
        "legemeldt",
        "legemeldt_fravaer",
        "legemeldte_dagsverk",
        "tapte_dagsverk_legemeldt",
    ),
    "sick_days_self": (
        "sick_days_self",
        "egenmeldte_dager",
        "egenmeldt",
        "egenmeldt_fravaer",
        "egenmeldte_dagsverk",
        "tapte_dagsverk_egenmeldt",
    ),
    "parental_leave_weeks": (
        "parental_leave_weeks",
        "foreldrepermisjon_uker",
        "foreldrepermisjon",
        "permisjon_uker",
    ),
    "part_time": ("part_time", "deltid", "deltidsansatt"),
    "education_level": ("education_level", "utdanningsniva", "utdanningsnivaa", "utdanning"),
}

#: accepted column names (folded) per canonical column of the Jobbsjansen register
JOBBSJANSEN_ALIASES: dict[str, tuple[str, ...]] = {
    "participant_id": (
        "participant_id",
        "deltaker_id",
        "deltakerid",
        "deltaker",
        "deltakernr",
        "deltaker_nr",
        "deltakar_id",
        "lopenr",
        "pseudonym",
    ),
    "project_id": (
        "project_id",
        "prosjekt",
        "prosjekt_id",
        "prosjektid",
        "prosjektnr",
        "prosjektnavn",
    ),
    "municipality": ("municipality", "kommune", "kommunenavn", "kommunenr", "kommunenummer"),
    "gender": HR_ALIASES["gender"],
    "age": ("age", "alder", "alder_ved_start", "alder_start"),
    "target_group": ("target_group", "malgruppe", "maalgruppe"),
    "start_date": ("start_date", "startdato", "start", "oppstart", "oppstartsdato", "dato_start"),
    "end_date": (
        "end_date",
        "sluttdato",
        "slutt",
        "avslutningsdato",
        "avsluttet_dato",
        "dato_slutt",
    ),
    "exit_status": (
        "exit_status",
        "status",
        "avslutningsstatus",
        "avgangsstatus",
        "sluttstatus",
        "status_ved_avslutning",
    ),
    "status_1y": (
        "status_1y",
        "status_etter_1_ar",
        "status_etter_1_aar",
        "status_etter_ett_ar",
        "status_etter_ett_aar",
        "status_ett_ar_etter",
        "status_1_ar",
        "status_1ar",
    ),
}

#: fte column names that always hold per cent (``80`` = 80 %)
_FTE_PERCENT_NAMES = frozenset(
    {
        "stillingsprosent",
        "stillingsprosent_pct",
        "stillingsandel_pct",
        "stillingsandel_prosent",
        "fte_pct",
        "stilling_pct",
    }
)

# --------------------------------------------------------------------------- value labels

_GENDER_LABELS = {
    "K": ("k", "kvinne", "kvinner", "kv", "f", "female", "woman", "women", "2"),
    "M": ("m", "mann", "menn", "male", "man", "men", "1"),
}
_JOB_GROUP_LABELS = {
    "toppleder": ("toppleder", "toppledere", "toppleiar", "toppleiarar"),
    "mellomleder": ("mellomleder", "mellomledere", "mellomleiar", "mellomleiarar"),
    "alternativ_karrierevei": (
        "alternativ_karrierevei",
        "alternativ_karriereveg",
        "alternativ_karrierevei_stillinger",
        "alternativ_karriereveis_stillinger",
        "alternativ_karriereveg_stillingar",
    ),
    "saksbehandler": ("saksbehandler", "saksbehandlere", "saksbehandlar", "saksbehandlarar"),
    "konsulent": (
        "konsulent",
        "konsulenter",
        "konsulentar",
        "konsulent_sekretaer",
        "konsulenter_sekretaerer",
        "konsulentar_sekretaerar",
    ),
    "laerling": ("laerling", "laerlinger", "laerlingar"),
}
_TARGET_GROUP_LABELS = {
    "hjemmevaerende": (
        "hjemmevaerende",
        "heimevaerande",
        "hjemmevaerende_innvandrere",
        "hjemmevaerende_kvinner",
    ),
    "overgangsstonad": (
        "overgangsstonad",
        "mottaker_av_overgangsstonad",
        "mottakere_av_overgangsstonad",
    ),
    "sosialhjelp": (
        "sosialhjelp",
        "okonomisk_sosialhjelp",
        "sosialhjelpsmottaker",
        "sosialhjelpsmottakere",
    ),
    "familiegjenforent": (
        "familiegjenforent",
        "familiegjenforente",
        "familieinnvandrer",
        "familieinnvandrere",
    ),
    "ungdom": ("ungdom", "unge"),
    "annet": ("annet", "andre", "annen"),
}
_EXIT_LABELS = {
    "arbeid": ("arbeid", "i_arbeid", "jobb"),
    "utdanning": ("utdanning", "i_utdanning"),
    "arbeid_og_utdanning": (
        "arbeid_og_utdanning",
        "arbeid_utdanning",
        "arbeid_og_utd",
        "jobb_og_utdanning",
    ),
    "annet": ("annet", "andre", "annen"),
    "utfaset": ("utfaset", "faset_ut", "utfasing"),
}
_STATUS_1Y_LABELS = {
    "arbeid": _EXIT_LABELS["arbeid"],
    "utdanning": _EXIT_LABELS["utdanning"],
    "arbeid_og_utdanning": _EXIT_LABELS["arbeid_og_utdanning"],
    "ledig_tiltak": (
        "ledig_tiltak",
        "ledig_eller_tiltak",
        "ledig_eller_pa_tiltak",
        "ledig_pa_tiltak",
        "ledig",
        "tiltak",
    ),
    "annet": ("annet", "andre", "annen"),
    "ukjent": ("ukjent", "ukjend"),
}
_TEMPORARY_LABELS = {
    "true": ("midlertidig", "vikar", "engasjement"),
    "false": ("fast", "fast_ansatt", "fast_tilsett"),
}
_PART_TIME_LABELS = {"true": ("deltid",), "false": ("heltid",)}


def _lookup(names: Mapping[str, tuple[str, ...]], what: str = "verdien") -> dict[str, str]:
    """Folded name → target for a target → (other names) table; each name maps to one target.

    Used for value labels (``verdien``) and column aliases (``kolonnenavnet``), the word
    that names them in the error.
    """
    out: dict[str, str] = {}
    for target, others in names.items():
        for name in (target, *others):
            key = fold_key(name)
            if out.get(key, target) != target:
                raise ValueError(f"{what} {name!r} peker på både {out[key]!r} og {target!r}")
            out[key] = target
    return out


#: value labels → codes, per canonical column (keys folded with :func:`fold_key`)
VALUE_LABELS: dict[str, dict[str, str]] = {
    "gender": _lookup(_GENDER_LABELS),
    "job_group": _lookup(_JOB_GROUP_LABELS),
    "target_group": _lookup(_TARGET_GROUP_LABELS),
    "exit_status": _lookup(_EXIT_LABELS),
    "status_1y": _lookup(_STATUS_1Y_LABELS),
    "temporary": _lookup(_TEMPORARY_LABELS),
    "part_time": _lookup(_PART_TIME_LABELS),
}

_SCHEMAS: dict[str, tuple[Schema, dict[str, tuple[str, ...]]]] = {
    "hr": (HR_SCHEMA, HR_ALIASES),
    "jobbsjansen": (JOBBSJANSEN_SCHEMA, JOBBSJANSEN_ALIASES),
}


_ALIAS_INDEX = {kind: _lookup(aliases, "kolonnenavnet") for kind, (_, aliases) in _SCHEMAS.items()}


def canonical_column(header: str, kind: str) -> str | None:
    """The canonical column a file header stands for, or ``None`` if it is not recognised.

    Parameters
    ----------
    header
        The column name as written in the file (``"Kjønn"``, ``"årslønn"``, ...).
    kind
        ``"hr"`` or ``"jobbsjansen"``.
    """
    return _ALIAS_INDEX[kind].get(fold_key(header))


def label_key(text: str) -> str | None:
    """A value label as a lookup key, or None if it holds characters no label has.

    Stricter than :func:`fold_key`: only case, ``æøå``, spaces, hyphens, slashes, quotes and
    footnote asterisks are ignored, so that ``"kvinne?"`` stays unknown instead of becoming ``K``.
    """
    t = re.sub(r"[«»\"']", "", text.strip()).rstrip("*").strip()
    if not re.fullmatch(r"[\w\s\-/]+", t):
        return None
    return fold_key(t)


def map_labels(values: pd.Series, column: str) -> pd.Series:
    """Replace known value labels by their codes (``Kvinne`` → ``K``); leave the rest as is.

    Unknown values are kept exactly as written, so that validation quotes them.
    """
    table = VALUE_LABELS.get(column)
    if table is None:
        return values

    def one(v: object) -> object:
        if not isinstance(v, str) or is_missing(v):
            return v
        key = label_key(v)
        return v if key is None else table.get(key, v)

    return values.map(one)


# --------------------------------------------------------------------------- loading


def _fte_is_percent(header: str, values: pd.Series, decimal: str) -> bool:
    """Decide whether a job-share column holds per cent.

    The rule: the column holds per cent if its name says so (``stillingsprosent``, contains
    ``%``, ``prosent`` or ``pct``), or else if more than half of the values that parse as numbers
    are greater than 1. Otherwise it holds shares (``0.8`` = 80 %).
    """
    key = fold_key(header)
    if "%" in header or key in _FTE_PERCENT_NAMES or "prosent" in key or "pct" in key:
        return True
    numbers = []
    for v in values.tolist():
        if not isinstance(v, str) or is_missing(v):
            continue
        try:
            numbers.append(parse_number(v, decimal))
        except ValueError:
            continue
    return bool(numbers) and float(np.median(numbers)) > 1.0


def _percent_schema(schema: Schema) -> Schema:
    """``schema`` with the job share read as per cent: (0, 100], values <= 1 rejected."""
    cols = tuple(
        replace(
            c,
            max=100.0,
            unit="prosent",
            description="stillingsprosent, 0 < fte <= 100",
        )
        if c.name == "fte"
        else c
        for c in schema.columns
    )
    rule = RowRule(
        "ser ut som en andel, men kolonnen er i prosent (skriv 80 for 80 %)",
        ("fte",),
        lambda f: f["fte"] <= 1.0,
    )
    return replace(schema, columns=cols, rules=(*schema.rules, rule))


def _file_key(path: Path | str) -> tuple[str, int, str] | None:
    """Path, size and content hash of a file (None if it cannot be read)."""
    p = Path(path)
    try:
        if not p.is_file():
            return None
        digest = hashlib.blake2b(digest_size=16)
        with p.open("rb") as f:
            for block in iter(lambda: f.read(1 << 22), b""):
                digest.update(block)
        return (str(p.resolve()), p.stat().st_size, digest.hexdigest())
    except OSError:
        return None


#: the last files loaded, by kind, path, size and content: ``fou run`` reads the same file
#: to check it and to find its years; a large file once is enough
_CACHE: dict[tuple, pd.DataFrame] = {}
_CACHE_SIZE = 2


def _load(path: Path | str, kind: str, display_name: str | None) -> pd.DataFrame:
    key = _file_key(path)
    # the frame does not depend on the display name (only messages do, and errors are not
    # kept), so a file checked under one name and read under another is read once
    ident = None if key is None else (kind, *key, latest_plausible_year())
    if ident is not None and ident in _CACHE:
        return _CACHE[ident].copy()
    frame = _load_uncached(path, kind, display_name)
    if ident is not None:
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[ident] = frame.copy()
    return frame


def _load_uncached(path: Path | str, kind: str, display_name: str | None) -> pd.DataFrame:
    schema, aliases = _SCHEMAS[kind]
    schema = with_date_window(schema)
    name = display_name or str(path)
    p = Path(path)
    size = p.stat().st_size if p.is_file() else 0
    big = size >= progress.MIN_BYTES
    started = time.perf_counter()
    if big:
        progress.report(f"Leser {name} ({progress.count(round(size / 1024**2))} MB) …")
    table = read_table_text(
        path, display_name=display_name, columns=lambda h: canonical_column(h, kind) is not None
    )
    file = table.file
    raw = table.frame
    if len(raw) == 0:
        raise DataValidationError([Problem(file, None, None, None, "filen har ingen datarader")])
    loud = big or len(raw) >= progress.MIN_ROWS
    if loud:
        progress.report(f"Validerer {name} ({progress.count(len(raw))} rader) …")

    # headers → canonical names; unknown columns are ignored
    header_of: dict[str, str] = {}
    problems: list[Problem] = []
    keep: dict[str, str] = {}
    for header in raw.columns:
        canonical = canonical_column(str(header), kind)
        if canonical is None:
            # pandas renames a repeated header 'kjønn' to 'kjønn.1': report it, do not ignore it
            m = re.fullmatch(r"(.+)\.\d+", str(header))
            if m and m.group(1) in raw.columns and canonical_column(m.group(1), kind):
                problems.append(
                    Problem(file, 1, m.group(1), None, "kolonnenavnet forekommer mer enn én gang")
                )
            continue
        if canonical in header_of:
            problems.append(
                Problem(
                    file,
                    1,
                    str(header),
                    None,
                    f"betyr det samme som kolonnen '{header_of[canonical]}' (begge leses som "
                    f"'{canonical}'): behold bare én av dem",
                )
            )
            continue
        header_of[canonical] = str(header)
        keep[str(header)] = canonical
    if problems:
        raise DataValidationError(problems)
    frame = raw[list(keep)].rename(columns=keep)

    for column in VALUE_LABELS:
        if column in frame.columns:
            frame[column] = map_labels(frame[column], column)
    for column in _RAW_COPIES[kind]:
        if column in frame.columns:
            frame[f"__raw_{column}"] = frame[column]

    percent = False
    if kind == "hr" and "fte" in frame.columns:
        percent = _fte_is_percent(header_of["fte"], frame["fte"], table.decimal)
        if percent:
            schema = _percent_schema(schema)

    try:
        typed = validate(frame, schema, file, decimal=table.decimal, row_numbers=table.row_numbers)
    except DataValidationError as e:
        raise DataValidationError(
            [_in_file_terms(p, schema, header_of, aliases) for p in e.problems]
        ) from None
    if percent:
        typed["fte"] = typed["fte"] / 100.0
    columns = [c for c in schema.names if c in typed.columns]
    if loud:
        seconds = time.perf_counter() - started
        n = progress.count(len(raw))
        progress.report(f"{name}: {n} rader lest og validert ({seconds:.0f} s).")
    return typed[columns]


def _number(x: float) -> str:
    """``5000000`` → ``5 000 000``, ``2100`` → ``2100``, ``0.5`` → ``0.5``."""
    if float(x).is_integer() and abs(x) >= 10_000:
        return fmt_number(x, 0, thousands=" ")
    return f"{x:g}"


def _range_text(col: Column) -> str:
    lo = "" if col.min is None else (">" if col.min_exclusive else ">=") + f" {_number(col.min)}"
    hi = "" if col.max is None else f"<= {_number(col.max)}"
    unit = f" {col.unit}" if col.unit else ""
    return "må være " + " og ".join(t for t in (lo, hi) if t) + unit


def _in_file_terms(
    p: Problem, schema: Schema, header_of: Mapping[str, str], aliases: Mapping[str, tuple[str, ...]]
) -> Problem:
    """Name the column as the file does, state ranges in full, list names of missing columns."""
    if p.column is None:
        return p
    if p.message.startswith(OUT_OF_RANGE) and p.column in schema.names:
        p = replace(p, message=f"{OUT_OF_RANGE}: {_range_text(schema.column(p.column))}")
    if p.column in header_of:
        return replace(p, column=header_of[p.column])
    if p.message.startswith(MISSING_COLUMN) and p.column in aliases:
        names = ", ".join(dict.fromkeys((p.column, *aliases[p.column])))
        return replace(p, message=f"{p.message}; navn som godtas: {names}")
    return p


def load_hr(path: Path | str, *, display_name: str | None = None) -> pd.DataFrame:
    """Read and validate an HR export (one row per person and year).

    Parameters
    ----------
    path
        CSV (semicolon/decimal comma as Excel writes it in Norway, or plain), ``.xlsx`` or
        parquet.
    display_name
        Name of the file in problem messages (default: the path).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`HR_SCHEMA` in schema order, with canonical names and types
        (``Int64``, ``float64``, ``string``, ``boolean``); optional columns only if in the file.
        ``fte`` is always a share: a column in per cent (see ``docs/schemas.md``) is divided
        by 100.

    Raises
    ------
    analysis.data.schema.DataValidationError
        Listing every problem with file, row, column and value.

    Notes
    -----
    Column names and value labels are matched after folding (:func:`fold_key`): case,
    ``æøå`` and punctuation do not matter. Columns that are not recognised are ignored.
    """
    return _load(path, "hr", display_name)


def load_jobbsjansen(path: Path | str, *, display_name: str | None = None) -> pd.DataFrame:
    """Read and validate a Jobbsjansen register (one row per participant and spell).

    Parameters
    ----------
    path
        CSV, ``.xlsx`` or parquet, as for :func:`load_hr`.
    display_name
        Name of the file in problem messages (default: the path).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`JOBBSJANSEN_SCHEMA` in schema order; dates as ``datetime64``
        (``NaT`` while in the programme); ``status_1y`` only if in the file.

    Raises
    ------
    analysis.data.schema.DataValidationError
        Listing every problem with file, row, column and value.
    """
    return _load(path, "jobbsjansen", display_name)


def as_schema_types(frame: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Cast the schema's columns of ``frame`` to the types :func:`validate` returns.

    Used by the synthetic generators so that a generated frame equals the frame read back
    from a file. Columns not in the schema are dropped; the order is the schema's.
    """
    out: dict[str, pd.Series] = {}
    for col in schema.columns:
        if col.name not in frame.columns:
            continue
        s = frame[col.name]
        if col.dtype == "int":
            out[col.name] = s.astype("Int64")
        elif col.dtype == "float":
            out[col.name] = s.astype("float64")
        elif col.dtype == "bool":
            out[col.name] = s.astype("boolean")
        elif col.dtype == "date":
            out[col.name] = pd.to_datetime(s).astype("datetime64[us]")
        else:
            out[col.name] = s.astype("string")
    return pd.DataFrame(out).reset_index(drop=True)
