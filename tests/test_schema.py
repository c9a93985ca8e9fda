"""The validation engine: every kind of bad input is named with file, row, column and value."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.schema import (
    Column,
    DataValidationError,
    RowRule,
    Schema,
    parse_date,
    parse_number,
    validate,
)

SCHEMA = Schema(
    name="t",
    columns=(
        Column("id", "str"),
        Column("year", "int", min=2000, max=2100),
        Column("gender", "str", allowed=("K", "M")),
        Column("pay", "float", min=0, min_exclusive=True),
        Column("temporary", "bool"),
        Column("start", "date", nullable=True),
        Column("end", "date", nullable=True),
    ),
    unique=(("id", "year"),),
    rules=(RowRule("end is before start", ("end", "start"), lambda d: d["end"] < d["start"]),),
    allow_extra_columns=False,
)

GOOD = {
    "id": ["a", "b"],
    "year": ["2024", "2024"],
    "gender": ["K", "M"],
    "pay": ["700000", "650000.5"],
    "temporary": ["false", "ja"],
    "start": ["2024-01-01", "01.02.2024"],
    "end": ["", "2024-12-31"],
}


def raw(**changes: list[str]) -> pd.DataFrame:
    data = {**GOOD, **changes}
    return pd.DataFrame(data, dtype=str)


def problems(df: pd.DataFrame) -> list[tuple]:
    with pytest.raises(DataValidationError) as exc:
        validate(df, SCHEMA, "hr.csv")
    return [(p.file, p.row, p.column, p.value) for p in exc.value.problems]


def test_good_input_is_typed():
    out = validate(raw(), SCHEMA, "hr.csv")
    assert out["year"].tolist() == [2024, 2024]
    assert out["pay"].tolist() == [700000.0, 650000.5]
    assert out["temporary"].tolist() == [False, True]
    assert out["start"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]
    assert pd.isna(out["end"].iloc[0])


def test_missing_and_unknown_columns():
    df = raw().drop(columns=["pay"]).assign(extra="x")
    found = problems(df)
    assert ("hr.csv", 1, "pay", None) in found
    assert ("hr.csv", 1, "extra", None) in found


def test_every_cell_problem_is_listed_at_once_with_row_numbers():
    df = raw(
        year=["2024", "tjue"], gender=["Kvinne", "M"], pay=["-5", "abc"], temporary=["kanskje", "0"]
    )
    found = problems(df)
    assert ("hr.csv", 3, "year", "tjue") in found
    assert ("hr.csv", 2, "gender", "Kvinne") in found
    assert ("hr.csv", 2, "pay", "-5") in found
    assert ("hr.csv", 3, "pay", "abc") in found
    assert ("hr.csv", 2, "temporary", "kanskje") in found
    assert len(found) == 5


def test_messages_are_plain_language():
    with pytest.raises(DataValidationError) as exc:
        validate(raw(pay=["-5", "1"]), SCHEMA, "hr.csv")
    text = str(exc.value)
    assert (
        "hr.csv, rad 2, kolonne 'pay', verdi '-5': er utenfor tillatt område: må være > 0" in text
    )


@pytest.mark.parametrize("decimal,example", [(",", "f.eks. 41 250,5"), (".", "f.eks. 41250.5")])
def test_type_messages_say_what_is_expected_in_the_file_s_decimal_mark(decimal, example):
    df = raw(
        year=["2024", "tjue"],
        pay=["abc", "1"],
        temporary=["kanskje", "0"],
        start=["2024-02-30", ""],
    )
    with pytest.raises(DataValidationError) as exc:
        validate(df, SCHEMA, "hr.csv", decimal=decimal)
    by_column = {p.column: (p.row, p.value, p.message) for p in exc.value.problems}
    row, value, message = by_column["pay"]
    assert (row, value) == (2, "abc")
    assert "ikke et tall" in message and f"forventet et tall, {example}" in message
    row, value, message = by_column["year"]
    assert (row, value) == (3, "tjue") and "ikke et heltall" in message
    row, value, message = by_column["temporary"]
    assert (row, value) == (2, "kanskje") and "ja eller nei" in message
    row, value, message = by_column["start"]
    assert (row, value) == (2, "2024-02-30") and "ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ" in message


def test_code_and_empty_cell_messages_name_the_allowed_codes():
    df = raw(gender=["X", "M"], id=["", "b"])
    with pytest.raises(DataValidationError) as exc:
        validate(df, SCHEMA, "hr.csv")
    text = str(exc.value)
    assert "hr.csv, rad 2, kolonne 'gender', verdi 'X': er ikke en tillatt kode" in text
    assert "tillatte koder: K, M" in text
    assert "hr.csv, rad 2, kolonne 'id', verdi '': er tom, men en verdi er påkrevd" in text


def test_range_and_integer():
    found = problems(raw(year=["1999", "2024.5"]))
    assert ("hr.csv", 2, "year", "1999") in found
    assert ("hr.csv", 3, "year", "2024.5") in found


def test_empty_required_cell():
    found = problems(raw(id=["", "b"]))
    assert found == [("hr.csv", 2, "id", "")]


def test_duplicate_key_names_both_rows():
    with pytest.raises(DataValidationError) as exc:
        validate(raw(id=["a", "a"]), SCHEMA, "hr.csv")
    (p,) = exc.value.problems
    assert p.row == 3 and "samme nøkkel som rad 2" in p.message
    assert "(id, year) må være unik" in p.message


def test_impossible_date_and_rule():
    found = problems(raw(start=["2024-02-30", "2024-06-01"], end=["", "2024-05-01"]))
    assert ("hr.csv", 2, "start", "2024-02-30") in found
    assert ("hr.csv", 3, "end", "end=2024-05-01, start=2024-06-01") in found


def test_empty_file_and_duplicate_header():
    with pytest.raises(DataValidationError, match="filen har ingen datarader"):
        validate(pd.DataFrame(columns=SCHEMA.names), SCHEMA, "hr.csv")
    df = raw()
    df.columns = ["id", "id", "gender", "pay", "temporary", "start", "end"]
    with pytest.raises(DataValidationError, match="kolonnenavnet forekommer mer enn én gang"):
        validate(df, SCHEMA, "hr.csv")


@pytest.mark.parametrize(
    "text,decimal,value",
    [
        ("1 234,5", ",", 1234.5),
        ("1\u00a0234\u202f567", ".", 1234567.0),
        ("0,25", ",", 0.25),
        ("1.234.567", ",", 1234567.0),
        ("1.234,5", ",", 1234.5),
        ("\u221212", ".", -12.0),
        ("805041", ".", 805041.0),
        ("3.5", ".", 3.5),
        ("1e3", ".", 1000.0),
    ],
)
def test_parse_number(text, decimal, value):
    assert parse_number(text, decimal) == value


@pytest.mark.parametrize("text", ["12,5", "1.2.3", "abc", "", "12 %", "--1"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text, ".")


def test_parse_date_rejects_impossible():
    assert parse_date("29.02.2024") == pd.Timestamp("2024-02-29")
    for bad in ("2023-02-29", "31.04.2024", "2024/01/01", "13.13.2024"):
        with pytest.raises(ValueError):
            parse_date(bad)
