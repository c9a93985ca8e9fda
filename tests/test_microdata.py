"""Person-level data: every rule names file, row, column and value; every format gives one frame."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data.microdata import (
    ANNUAL_PAY_RANGE_NOK,
    HR_SCHEMA,
    JOBBSJANSEN_SCHEMA,
    canonical_column,
    fold_key,
    load_hr,
    load_jobbsjansen,
)
from analysis.data.schema import DataValidationError, Problem

# --------------------------------------------------------------------------- fixtures

HR_ROWS: list[dict[str, str]] = [
    {
        "person_id": "P001",
        "year": "2024",
        "gender": "K",
        "job_group": "saksbehandler",
        "annual_pay": "700000",
        "fte": "1",
        "age": "40",
        "tenure_years": "10.5",
        "temporary": "false",
        "agreed_workdays": "230",
        "sick_days_certified": "5",
        "sick_days_self": "2",
    },
    {
        "person_id": "P002",
        "year": "2024",
        "gender": "M",
        "job_group": "toppleder",
        "annual_pay": "1200000",
        "fte": "0.8",
        "age": "55",
        "tenure_years": "20",
        "temporary": "false",
        "agreed_workdays": "184",
        "sick_days_certified": "0",
        "sick_days_self": "1.5",
    },
    {
        "person_id": "P003",
        "year": "2024",
        "gender": "K",
        "job_group": "laerling",
        "annual_pay": "120000",
        "fte": "1",
        "age": "18",
        "tenure_years": "1",
        "temporary": "true",
        "agreed_workdays": "230",
        "sick_days_certified": "0",
        "sick_days_self": "0",
    },
    {
        "person_id": "P004",
        "year": "2024",
        "gender": "M",
        "job_group": "konsulent",
        "annual_pay": "480000.5",
        "fte": "0.5",
        "age": "33",
        "tenure_years": "3.2",
        "temporary": "true",
        "agreed_workdays": "115",
        "sick_days_certified": "12.5",
        "sick_days_self": "3",
    },
]

#: the same rows as HR_ROWS, as a Norwegian HR system / Excel would show them
HR_NORWEGIAN_HEADER = {
    "person_id": "Ansattnr",
    "year": "År",
    "gender": "Kjønn",
    "job_group": "Stillingsgruppe",
    "annual_pay": "Årslønn",
    "fte": "Stillingsprosent",
    "age": "Alder",
    "tenure_years": "Ansiennitet",
    "temporary": "Midlertidig",
    "agreed_workdays": "Avtalte dagsverk",
    "sick_days_certified": "Legemeldte dager",
    "sick_days_self": "Egenmeldte dager",
}
HR_NORWEGIAN_ROWS = [
    [
        "P001",
        "2024",
        "Kvinne",
        "Saksbehandlere",
        "700 000",
        "100",
        "40",
        "10,5",
        "Nei",
        "230",
        "5",
        "2",
        "ny i 2014",
    ],
    [
        "P002",
        "2024",
        "Mann",
        "Toppledere",
        "1 200 000",
        "80",
        "55",
        "20",
        "Nei",
        "184",
        "0",
        "1,5",
        "",
    ],
    [
        "P003",
        "2024",
        "kvinne",
        "Lærlinger",
        "120000",
        "100",
        "18",
        "1",
        "Ja",
        "230",
        "0",
        "0",
        "lærekontrakt",
    ],
    [
        "P004",
        "2024",
        "mann",
        "Konsulenter/sekretærer",
        "480 000,5",
        "50",
        "33",
        "3,2",
        "Ja",
        "115",
        "12,5",
        "3",
        "",
    ],
]

JS_ROWS: list[dict[str, str]] = [
    {
        "participant_id": "D001",
        "project_id": "PR1",
        "municipality": "Drammen",
        "gender": "K",
        "age": "34",
        "target_group": "hjemmevaerende",
        "start_date": "2023-03-01",
        "end_date": "2024-05-31",
        "exit_status": "arbeid",
        "status_1y": "arbeid",
    },
    {
        "participant_id": "D002",
        "project_id": "PR1",
        "municipality": "Drammen",
        "gender": "M",
        "age": "22",
        "target_group": "ungdom",
        "start_date": "2024-01-15",
        "end_date": "",
        "exit_status": "",
        "status_1y": "",
    },
    {
        "participant_id": "D003",
        "project_id": "PR2",
        "municipality": "Oslo – Bydel Alna",
        "gender": "K",
        "age": "45",
        "target_group": "sosialhjelp",
        "start_date": "2022-09-01",
        "end_date": "2024-02-29",
        "exit_status": "utfaset",
        "status_1y": "ukjent",
    },
    {
        "participant_id": "D004",
        "project_id": "PR3",
        "municipality": "Bærum",
        "gender": "K",
        "age": "29",
        "target_group": "overgangsstonad",
        "start_date": "2023-08-14",
        "end_date": "2024-12-20",
        "exit_status": "arbeid_og_utdanning",
        "status_1y": "",
    },
]
JS_NORWEGIAN_HEADER = {
    "participant_id": "Deltaker_id",
    "project_id": "Prosjekt",
    "municipality": "Kommune",
    "gender": "Kjønn",
    "age": "Alder",
    "target_group": "Målgruppe",
    "start_date": "Startdato",
    "end_date": "Sluttdato",
    "exit_status": "Avslutningsstatus",
    "status_1y": "Status etter 1 år",
}
JS_NORWEGIAN_ROWS = [
    [
        "D001",
        "PR1",
        "Drammen",
        "Kvinne",
        "34",
        "Hjemmeværende",
        "01.03.2023",
        "31.05.2024",
        "Arbeid",
        "Arbeid",
    ],
    ["D002", "PR1", "Drammen", "Mann", "22", "Ungdom", "15.01.2024", "", "", ""],
    [
        "D003",
        "PR2",
        "Oslo – Bydel Alna",
        "Kvinne",
        "45",
        "Sosialhjelp",
        "01.09.2022",
        "29.02.2024",
        "Utfaset",
        "Ukjent",
    ],
    [
        "D004",
        "PR3",
        "Bærum",
        "Kvinne",
        "29",
        "Overgangsstønad",
        "14.08.2023",
        "20.12.2024",
        "Arbeid og utdanning",
        "",
    ],
]


def write_rows(
    path: Path, rows: list[dict[str, str]], changes: dict | None = None, drop: tuple[str, ...] = ()
) -> Path:
    """Write rows as plain CSV, after ``changes = {row_index: {column: text}}``."""
    out = [dict(r) for r in rows]
    for i, change in (changes or {}).items():
        out[i].update(change)
    frame = pd.DataFrame(out, dtype=str).drop(columns=list(drop))
    frame.to_csv(path, index=False)
    return path


def write_norwegian(
    path: Path,
    header: dict[str, str],
    rows: list[list[str]],
    *,
    extra: str | None = None,
    encoding: str = "cp1252",
) -> Path:
    names = list(header.values()) + ([extra] if extra else [])
    lines = [";".join(names)] + [";".join(r[: len(names)]) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def problems_of(fn, path: Path) -> list[Problem]:
    with pytest.raises(DataValidationError) as exc:
        fn(path)
    return exc.value.problems


def only_problem(fn, path: Path) -> Problem:
    found = problems_of(fn, path)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


# --------------------------------------------------------------------------- happy path


def test_hr_loads_typed_in_schema_order(tmp_path: Path):
    df = load_hr(write_rows(tmp_path / "hr.csv", HR_ROWS))
    assert df.columns.tolist() == [c.name for c in HR_SCHEMA.columns if c.required]
    assert df["year"].dtype == "Int64" and df["age"].dtype == "Int64"
    assert df["annual_pay"].tolist() == [700000.0, 1200000.0, 120000.0, 480000.5]
    assert df["fte"].tolist() == [1.0, 0.8, 1.0, 0.5]
    assert df["temporary"].tolist() == [False, False, True, True]
    assert df["gender"].tolist() == ["K", "M", "K", "M"]


def test_register_loads_typed(tmp_path: Path):
    df = load_jobbsjansen(write_rows(tmp_path / "js.csv", JS_ROWS))
    assert df.columns.tolist() == JOBBSJANSEN_SCHEMA.names
    assert pd.api.types.is_datetime64_any_dtype(df["end_date"])
    assert df["end_date"].isna().tolist() == [False, True, False, False]
    assert df["exit_status"].isna().tolist() == [False, True, False, False]
    assert df["start_date"].iloc[0] == pd.Timestamp("2023-03-01")


def test_optional_columns_only_when_present(tmp_path: Path):
    df = load_jobbsjansen(write_rows(tmp_path / "js.csv", JS_ROWS, drop=("status_1y",)))
    assert "status_1y" not in df.columns
    rows = [
        {**r, "Foreldrepermisjon uker": w, "Deltid": d, "Merknad": "x"}
        for r, w, d in zip(
            HR_ROWS, ["0", "12,5", "", "0"], ["Heltid", "deltid", "", "Ja"], strict=True
        )
    ]
    path = tmp_path / "hr.csv"
    pd.DataFrame(rows, dtype=str).to_csv(path, index=False, sep=";")
    df = load_hr(path)
    assert df.columns.tolist()[-2:] == ["parental_leave_weeks", "part_time"]
    assert df["parental_leave_weeks"].isna().tolist() == [False, False, True, False]
    assert df["parental_leave_weeks"].iloc[1] == 12.5
    assert df["part_time"].tolist()[:2] == [False, True] and df["part_time"].iloc[3]
    assert "Merknad" not in df.columns


# --------------------------------------------------------------------------- one rule each

HR_CASES = [
    # (changes, row, column, value, message fragment)
    ({0: {"gender": "X"}}, 2, "gender", "X", "ikke en tillatt kode (tillatte koder: K, M)"),
    ({0: {"gender": ""}}, 2, "gender", "", "er tom, men en verdi er påkrevd"),
    ({1: {"job_group": "rådgiver"}}, 3, "job_group", "rådgiver", "ikke en tillatt kode"),
    (
        {1: {"annual_pay": "1 2x"}},
        3,
        "annual_pay",
        "1 2x",
        "ikke et tall (forventet et tall, f.eks. 41250.5)",
    ),
    ({1: {"annual_pay": "-5"}}, 3, "annual_pay", "-5", "utenfor tillatt område: må være >= 50 000"),
    (
        {1: {"annual_pay": "9000000"}},
        3,
        "annual_pay",
        "9000000",
        "må være >= 50 000 og <= 5 000 000 kr",
    ),
    (
        {0: {"annual_pay": "80000"}},
        2,
        "annual_pay",
        "annual_pay=80000, job_group=saksbehandler",
        "usannsynlig årslønn omregnet til heltid: under 100 000 kr",
    ),
    ({0: {"fte": "1.2"}}, 2, "fte", "1.2", "må være > 0 og <= 1 (andel)"),
    ({0: {"fte": "0"}}, 2, "fte", "0", "må være > 0 og <= 1"),
    ({0: {"age": "9"}}, 2, "age", "9", "utenfor tillatt område: må være >= 15 og <= 75 år"),
    ({0: {"age": "40.5"}}, 2, "age", "40.5", "ikke et heltall"),
    ({0: {"year": "tjuefire"}}, 2, "year", "tjuefire", "ikke et heltall"),
    (
        {0: {"tenure_years": "30"}},
        2,
        "tenure_years",
        "tenure_years=30, age=40",
        "ansienniteten er lengre enn alder minus 14 år",
    ),
    ({0: {"temporary": "kanskje"}}, 2, "temporary", "kanskje", "ikke ja/nei"),
    ({0: {"agreed_workdays": "300"}}, 2, "agreed_workdays", "300", "må være >= 0 og <= 262 dager"),
    ({3: {"sick_days_self": "-1"}}, 5, "sick_days_self", "-1", "må være >= 0 dager"),
    ({3: {"sick_days_certified": "abc"}}, 5, "sick_days_certified", "abc", "ikke et tall"),
    (
        {0: {"sick_days_certified": "229", "sick_days_self": "2"}},
        2,
        "sick_days_certified",
        "sick_days_certified=229, sick_days_self=2, agreed_workdays=230",
        "flere enn avtalte dagsverk",
    ),
    (
        {2: {"person_id": "P001"}},
        4,
        "person_id",
        "person_id=P001, year=2024",
        "samme nøkkel som rad 2",
    ),
    ({1: {"year": "2099"}}, 3, "year", "2099", "utenfor tillatt område: må være >= 2006 og <="),
    ({1: {"year": "2005"}}, 3, "year", "2005", "utenfor tillatt område: må være >= 2006 og <="),
]


@pytest.mark.parametrize(
    "changes,row,column,value,message", HR_CASES, ids=[f"{c[2]}-{c[4]}" for c in HR_CASES]
)
def test_hr_rule(tmp_path: Path, changes, row, column, value, message):
    path = write_rows(tmp_path / "hr.csv", HR_ROWS, changes)
    p = only_problem(load_hr, path)
    assert (p.file, p.row, p.column, p.value) == (str(path), row, column, value)
    assert message in p.message


JS_CASES = [
    (
        {0: {"end_date": "2023-01-01"}},
        2,
        "end_date",
        "end_date=2023-01-01, start_date=2023-03-01",
        "sluttdatoen (end_date) er før startdatoen",
    ),
    (
        {0: {"end_date": "2024-02-30"}},
        2,
        "end_date",
        "2024-02-30",
        "ikke en gyldig dato (forventet ÅÅÅÅ-MM-DD",
    ),
    ({0: {"start_date": "31.13.2023"}}, 2, "start_date", "31.13.2023", "ikke en gyldig dato"),
    ({0: {"start_date": ""}}, 2, "start_date", "", "er tom"),
    (
        {1: {"end_date": "2024-06-30"}},
        3,
        "end_date",
        "end_date=2024-06-30",
        "sluttstatus (exit_status) er tom",
    ),
    (
        {1: {"exit_status": "arbeid"}},
        3,
        "exit_status",
        "exit_status=arbeid",
        "sluttdato (end_date) er tom",
    ),
    ({1: {"status_1y": "arbeid"}}, 3, "status_1y", "status_1y=arbeid", "fortsatt er i programmet"),
    ({0: {"exit_status": "sluttet"}}, 2, "exit_status", "sluttet", "ikke en tillatt kode"),
    ({0: {"status_1y": "pensjonist"}}, 2, "status_1y", "pensjonist", "ikke en tillatt kode"),
    ({2: {"target_group": "flyktning"}}, 4, "target_group", "flyktning", "ikke en tillatt kode"),
    ({2: {"gender": "kvinne?"}}, 4, "gender", "kvinne?", "ikke en tillatt kode"),
    ({2: {"age": "12"}}, 4, "age", "12", "utenfor tillatt område: må være >= 16 og <= 67 år"),
    # the plausible window: 2005-01-01 to 31 December of next year (docs/schemas.md)
    ({0: {"end_date": "2099-03-01"}}, 2, "end_date", "2099-03-01", "ikke en plausibel dato"),
    ({0: {"start_date": "01.01.1800"}}, 2, "start_date", "01.01.1800", "ikke en plausibel dato"),
    ({0: {"start_date": "2004-12-31"}}, 2, "start_date", "2004-12-31", "mellom 2005-01-01"),
]


@pytest.mark.parametrize(
    "changes,row,column,value,message", JS_CASES, ids=[f"{c[2]}-{c[4]}" for c in JS_CASES]
)
def test_register_rule(tmp_path: Path, changes, row, column, value, message):
    path = write_rows(tmp_path / "js.csv", JS_ROWS, changes)
    p = only_problem(load_jobbsjansen, path)
    assert (p.file, p.row, p.column, p.value) == (str(path), row, column, value)
    assert message in p.message


def test_register_duplicate_spell(tmp_path: Path):
    path = write_rows(
        tmp_path / "js.csv", JS_ROWS, {3: {"participant_id": "D001", "start_date": "01.03.2023"}}
    )
    p = only_problem(load_jobbsjansen, path)
    assert (p.row, p.column) == (5, "participant_id")
    assert p.value is not None and p.value.startswith("participant_id=D001, start_date=2023-03-01")
    assert "samme nøkkel som rad 2" in p.message
    # the same participant may have a second spell with another start date
    ok = write_rows(tmp_path / "ok.csv", JS_ROWS, {3: {"participant_id": "D001"}})
    assert len(load_jobbsjansen(ok)) == 4


def test_missing_columns_list_accepted_names(tmp_path: Path):
    p = only_problem(load_hr, write_rows(tmp_path / "hr.csv", HR_ROWS, drop=("gender",)))
    assert (p.row, p.column, p.value) == (1, "gender", None)
    assert "påkrevd kolonne mangler" in p.message and "navn som godtas" in p.message
    assert "kjonn" in p.message
    found = problems_of(
        load_jobbsjansen,
        write_rows(tmp_path / "js.csv", JS_ROWS, drop=("end_date", "target_group")),
    )
    assert {(q.row, q.column) for q in found} == {(1, "end_date"), (1, "target_group")}


def test_every_problem_listed_at_once(tmp_path: Path):
    path = write_rows(
        tmp_path / "hr.csv",
        HR_ROWS,
        {
            0: {"gender": "X", "annual_pay": "mye"},
            2: {"fte": "2"},
            3: {"person_id": "P002"},
        },
    )
    found = problems_of(load_hr, path)
    assert [(p.row, p.column) for p in found] == [
        (2, "annual_pay"),
        (2, "gender"),
        (4, "fte"),
        (5, "person_id"),
    ]


def test_invalid_status_is_not_reported_as_empty(tmp_path: Path):
    """An unknown exit status is one problem, not also 'end_date set but status empty'."""
    path = write_rows(tmp_path / "js.csv", JS_ROWS, {0: {"exit_status": "jobb?"}})
    p = only_problem(load_jobbsjansen, path)
    assert (p.column, p.value) == ("exit_status", "jobb?")


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "filen er tom"),
        (b"person_id,year,gender\n", "filen har ingen datarader"),
        (b"\x00\x01binary\x00", "filen er binær"),
    ],
)
def test_empty_and_binary_files(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "hr.csv"
    path.write_bytes(content)
    p = problems_of(load_hr, path)[0]
    assert p.file == str(path) and message in p.message
    with pytest.raises(DataValidationError, match=message):
        load_jobbsjansen(path)


def test_display_name_is_used(tmp_path: Path):
    path = write_rows(tmp_path / "hr.csv", HR_ROWS, {0: {"gender": "X"}})
    with pytest.raises(DataValidationError) as exc:
        load_hr(path, display_name="lønn_2024.csv")
    assert exc.value.problems[0].file == "lønn_2024.csv"


# --------------------------------------------------------------------------- headers, values


def test_column_aliases():
    assert fold_key(" Kjønn ") == "kjonn" and fold_key("Mellomleiarar*") == "mellomleiarar"
    for header, canonical in [
        ("Kjønn", "gender"),
        ("kjonn", "gender"),
        ("KJØNN_KODE", "gender"),
        ("Årslønn", "annual_pay"),
        ("arslonn", "annual_pay"),
        ("lønn", "annual_pay"),
        ("Stillingsgruppe", "job_group"),
        ("Stillingsandel", "fte"),
        ("stillingsprosent", "fte"),
        ("År", "year"),
        ("ansattnr", "person_id"),
        ("Avtalte dagsverk", "agreed_workdays"),
        ("legemeldt", "sick_days_certified"),
        ("Egenmeldte dager", "sick_days_self"),
        ("Merknad", None),
    ]:
        assert canonical_column(header, "hr") == canonical, header
    for header, canonical in [
        ("Deltaker_id", "participant_id"),
        ("Målgruppe", "target_group"),
        ("status", "exit_status"),
        ("Avslutningsstatus", "exit_status"),
        ("Status etter 1 år", "status_1y"),
        ("status_etter_1_aar", "status_1y"),
        ("Kommune", "municipality"),
    ]:
        assert canonical_column(header, "jobbsjansen") == canonical, header


def test_two_columns_with_the_same_meaning(tmp_path: Path):
    path = tmp_path / "hr.csv"
    rows = [{**r, "lønn": r["annual_pay"]} for r in HR_ROWS]
    pd.DataFrame(rows).rename(columns={"annual_pay": "årslønn"}).to_csv(path, index=False)
    p = only_problem(load_hr, path)
    assert (p.row, p.column) == (1, "lønn") and "årslønn" in p.message


def test_problem_names_the_column_as_in_the_file(tmp_path: Path):
    rows = [list(r) for r in HR_NORWEGIAN_ROWS]
    rows[1][2] = "Ukjent"
    path = write_norwegian(tmp_path / "hr.csv", HR_NORWEGIAN_HEADER, rows)
    p = only_problem(load_hr, path)
    assert (p.row, p.column, p.value) == (3, "Kjønn", "Ukjent")


@pytest.mark.parametrize(
    "header,values,expected",
    [
        ("fte", ["100", "80", "100", "50"], [1.0, 0.8, 1.0, 0.5]),  # most values > 1: per cent
        ("Stillingsandel (%)", ["100", "80", "100", "50"], [1.0, 0.8, 1.0, 0.5]),
        ("stillingsandel", ["1", "0.8", "1", "0.5"], [1.0, 0.8, 1.0, 0.5]),
        ("stillingsprosent", ["100", "80", "100", "100"], [1.0, 0.8, 1.0, 1.0]),
    ],
)
def test_fte_share_or_per_cent(
    tmp_path: Path, header: str, values: list[str], expected: list[float]
):
    rows = [{**r, "fte": v} for r, v in zip(HR_ROWS, values, strict=True)]
    path = tmp_path / "hr.csv"
    pd.DataFrame(rows).rename(columns={"fte": header}).to_csv(path, index=False)
    assert load_hr(path)["fte"].tolist() == expected


@pytest.mark.parametrize(
    "header,bad,column,message",
    [
        ("stillingsprosent", "150", "stillingsprosent", "må være > 0 og <= 100 prosent"),
        ("stillingsprosent", "0.8", "stillingsprosent", "ser ut som en andel"),
        ("fte", "80", "fte", "må være > 0 og <= 1 (andel)"),  # one per-cent value among shares
    ],
)
def test_fte_errors(tmp_path: Path, header: str, bad: str, column: str, message: str):
    values = (
        ["100", "80", "100", "50"] if header == "stillingsprosent" else ["1", "0.8", "1", "0.5"]
    )
    values[1] = bad
    rows = [{**r, "fte": v} for r, v in zip(HR_ROWS, values, strict=True)]
    path = tmp_path / "hr.csv"
    pd.DataFrame(rows).rename(columns={"fte": header}).to_csv(path, index=False)
    p = only_problem(load_hr, path)
    assert (p.row, p.column) == (3, column) and message in p.message
    if "ser ut som" not in message:
        assert p.value == bad


def test_value_labels(tmp_path: Path):
    labels = {
        "gender": ["Kvinne", "M", "f", "mann"],
        "job_group": ["Toppleder", "Mellomleiarar", "Alternativ karrierevei", "Lærling"],
        "temporary": ["Fast", "Midlertidig", "ja", "NEI"],
    }
    rows = [{**r, **{k: v[i] for k, v in labels.items()}} for i, r in enumerate(HR_ROWS)]
    rows[3]["annual_pay"] = "120000"  # now an apprentice
    df = load_hr(write_rows(tmp_path / "hr.csv", rows))
    assert df["gender"].tolist() == ["K", "M", "K", "M"]
    assert df["job_group"].tolist() == [
        "toppleder",
        "mellomleder",
        "alternativ_karrierevei",
        "laerling",
    ]
    assert df["temporary"].tolist() == [False, True, True, False]


def test_apprentice_may_earn_less(tmp_path: Path):
    low = ANNUAL_PAY_RANGE_NOK[0] - 20_000
    ok = write_rows(tmp_path / "ok.csv", HR_ROWS, {2: {"annual_pay": f"{low:.0f}"}})
    assert load_hr(ok)["annual_pay"].iloc[2] == low


# --------------------------------------------------------------------------- formats


@pytest.fixture
def hr_plain(tmp_path: Path) -> pd.DataFrame:
    return load_hr(write_rows(tmp_path / "plain.csv", HR_ROWS))


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_hr_excel_csv_equals_plain(tmp_path: Path, hr_plain: pd.DataFrame, encoding: str):
    path = write_norwegian(
        tmp_path / "hr_excel.csv",
        HR_NORWEGIAN_HEADER,
        HR_NORWEGIAN_ROWS,
        extra="Merknad",
        encoding=encoding,
    )
    pd.testing.assert_frame_equal(load_hr(path), hr_plain)


def test_hr_xlsx_and_parquet_equal_plain(tmp_path: Path, hr_plain: pd.DataFrame):
    typed = pd.read_csv(tmp_path / "plain.csv")  # numbers as numbers, as in a workbook
    norwegian = typed.rename(columns=HR_NORWEGIAN_HEADER)
    norwegian["Kjønn"] = norwegian["Kjønn"].map({"K": "Kvinne", "M": "Mann"})
    norwegian["Stillingsprosent"] = norwegian["Stillingsprosent"] * 100
    norwegian.to_excel(tmp_path / "hr.xlsx", index=False)
    pd.testing.assert_frame_equal(load_hr(tmp_path / "hr.xlsx"), hr_plain)
    typed.to_parquet(tmp_path / "hr.parquet", index=False)
    pd.testing.assert_frame_equal(load_hr(tmp_path / "hr.parquet"), hr_plain)
    hr_plain.to_parquet(tmp_path / "hr_typed.parquet", index=False)
    pd.testing.assert_frame_equal(load_hr(tmp_path / "hr_typed.parquet"), hr_plain)


@pytest.fixture
def js_plain(tmp_path: Path) -> pd.DataFrame:
    return load_jobbsjansen(write_rows(tmp_path / "plain.csv", JS_ROWS))


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_register_excel_csv_equals_plain(tmp_path: Path, js_plain: pd.DataFrame, encoding: str):
    path = write_norwegian(
        tmp_path / "js_excel.csv", JS_NORWEGIAN_HEADER, JS_NORWEGIAN_ROWS, encoding=encoding
    )
    pd.testing.assert_frame_equal(load_jobbsjansen(path), js_plain)


def test_register_xlsx_and_parquet_equal_plain(tmp_path: Path, js_plain: pd.DataFrame):
    typed = pd.read_csv(tmp_path / "plain.csv", parse_dates=["start_date", "end_date"])
    norwegian = typed.rename(columns=JS_NORWEGIAN_HEADER)
    norwegian["Kjønn"] = norwegian["Kjønn"].map({"K": "Kvinne", "M": "Mann"})
    norwegian.to_excel(tmp_path / "js.xlsx", index=False)  # real date cells
    pd.testing.assert_frame_equal(load_jobbsjansen(tmp_path / "js.xlsx"), js_plain)
    typed.to_parquet(tmp_path / "js.parquet", index=False)
    pd.testing.assert_frame_equal(load_jobbsjansen(tmp_path / "js.parquet"), js_plain)


def test_repeated_header_is_reported(tmp_path: Path):
    path = tmp_path / "hr.csv"
    lines = ["person_id,year,gender,gender"] + [f"P{i},2024,K,M" for i in range(2)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems_of(load_hr, path)
    assert ("gender", "kolonnenavnet forekommer mer enn én gang") in {
        (p.column, p.message) for p in found
    }


def test_label_and_alias_tables_map_each_folded_name_to_one_target():
    from analysis.data.microdata import _lookup

    assert _lookup({"K": ("kvinne", "Kvinner"), "M": ("mann",)}) == {
        "k": "K",
        "kvinne": "K",
        "kvinner": "K",
        "m": "M",
        "mann": "M",
    }
    with pytest.raises(ValueError, match=r"kolonnenavnet 'Kjønn ' peker på både 'gender' og 'sex'"):
        _lookup({"gender": ("kjonn",), "sex": ("Kjønn ",)}, "kolonnenavnet")


def test_date_window_follows_the_calendar():
    from datetime import date

    from analysis.data.microdata import latest_plausible_year, with_date_window

    assert latest_plausible_year(date(2026, 11, 27)) == 2027
    assert latest_plausible_year(date(2031, 1, 1)) == 2032
    js = with_date_window(JOBBSJANSEN_SCHEMA, date(2031, 1, 1))
    assert js.column("end_date").latest == "2032-12-31"
    assert js.column("start_date").earliest == "2005-01-01"
    hr = with_date_window(HR_SCHEMA, date(2031, 1, 1))
    assert (hr.column("year").min, hr.column("year").max) == (2006, 2032)


def test_date_at_the_edge_of_the_window_is_accepted(tmp_path: Path):
    from analysis.data.microdata import latest_plausible_year

    last = f"{latest_plausible_year()}-12-31"
    path = write_rows(tmp_path / "js.csv", JS_ROWS, {0: {"end_date": last}})
    assert str(load_jobbsjansen(path)["end_date"].max().date()) == last
