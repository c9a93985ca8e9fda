"""Reading files as Excel and scripts write them: same cells whatever the format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data.readers import read_table_text, sniff_delimiter
from analysis.data.schema import DataValidationError

PLAIN = 'navn,kjønn,årslønn\nÅse,K,"700000.5"\nBjørn,M,650000\n'
NORWEGIAN = "navn;kjønn;årslønn\r\nÅse;K;700 000,5\r\nBjørn;M;650000\r\n"


def test_plain_csv(tmp_path: Path):
    p = tmp_path / "a.csv"
    p.write_text(PLAIN, encoding="utf-8")
    t = read_table_text(p)
    assert t.delimiter == "," and t.decimal == "." and t.encoding == "utf-8"
    assert t.frame.columns.tolist() == ["navn", "kjønn", "årslønn"]
    assert t.frame["årslønn"].tolist() == ["700000.5", "650000"]
    assert t.row_numbers == [2, 3]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_excel_norwegian_csv(tmp_path: Path, encoding: str):
    p = tmp_path / "a.csv"
    p.write_bytes(NORWEGIAN.encode(encoding))
    t = read_table_text(p)
    assert t.delimiter == ";" and t.decimal == ","
    assert t.encoding == ("windows-1252" if encoding == "cp1252" else "utf-8")
    assert t.frame.columns.tolist() == ["navn", "kjønn", "årslønn"]
    assert t.frame["navn"].tolist() == ["Åse", "Bjørn"]
    assert t.frame["årslønn"].tolist() == ["700 000,5", "650000"]


def test_blank_lines_keep_row_numbers(tmp_path: Path):
    p = tmp_path / "a.csv"
    p.write_text("a,b\n1,2\n\n3,4\n", encoding="utf-8")
    assert read_table_text(p).row_numbers == [2, 4]


def test_xlsx_and_parquet_give_same_cells(tmp_path: Path):
    df = pd.DataFrame({"navn": ["Åse", "Bjørn"], "år": [2024, 2024], "lønn": [700000.5, 650000.0]})
    df.to_excel(tmp_path / "a.xlsx", index=False)
    df.to_parquet(tmp_path / "a.parquet", index=False)
    x = read_table_text(tmp_path / "a.xlsx").frame
    q = read_table_text(tmp_path / "a.parquet").frame
    assert x["år"].tolist() == q["år"].tolist() == ["2024", "2024"]
    assert [float(v) for v in x["lønn"]] == [float(v) for v in q["lønn"]] == [700000.5, 650000.0]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "filen er tom"),
        (b"   \n\n", "filen er tom"),
        (b"PK\x03\x04\x00\x00binary", "filen er binær, ikke tekst: forventet CSV"),
        (b"\x00\x01\x02", "filen er binær"),
    ],
)
def test_empty_and_binary_files(tmp_path: Path, content: bytes, message: str):
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    with pytest.raises(DataValidationError) as exc:
        read_table_text(p)
    (problem,) = exc.value.problems
    assert problem.file == str(p) and message in problem.message


def test_missing_file_and_broken_workbook(tmp_path: Path):
    def message(path: Path) -> str:
        with pytest.raises(DataValidationError) as exc:
            read_table_text(path)
        (problem,) = exc.value.problems
        assert problem.file == str(path)
        return problem.message

    assert message(tmp_path / "nope.csv") == "filen finnes ikke"
    assert message(tmp_path) == "er en mappe, ikke en fil"
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    assert message(tmp_path / "bad.xlsx").startswith("filen kunne ikke leses som Excel-arbeidsbok")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    assert message(tmp_path / "bad.parquet").startswith("filen kunne ikke leses som parquet")
    (tmp_path / "old.xls").write_bytes(b"x")
    assert "(.xls) støttes ikke: lagre arket som .xlsx eller CSV" in message(tmp_path / "old.xls")


def test_sniff_delimiter():
    assert sniff_delimiter("a;b;c") == ";"
    assert sniff_delimiter("a,b,c") == ","
    assert sniff_delimiter("a\tb") == "\t"
    assert sniff_delimiter("single") == ","


def test_a_row_with_too_many_fields_is_named_by_its_line(tmp_path: Path):
    """pandas' own (English) message is restated in bokmål with the row of the file."""
    p = tmp_path / "x.csv"
    p.write_text("a,b,c\n1,2,3\n\n4,5,6,7\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        read_table_text(p)
    (problem,) = exc.value.problems
    assert (problem.file, problem.row, problem.column) == (str(p), 4, None)
    assert "raden har 4 felt, men overskriften har 3" in problem.message
    assert "Expected" not in problem.message
