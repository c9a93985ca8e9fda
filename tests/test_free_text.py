"""Text cells: invisible and control characters refused, NFC; the encoding rule; min_cell >= 3."""

from __future__ import annotations

import unicodedata

import pytest
from test_microdata import HR_ROWS, JS_ROWS, only_problem, write_rows

from analysis.cli import main
from analysis.data.errors import DataValidationError, Problem
from analysis.data.microdata import load_hr, load_jobbsjansen
from analysis.data.readers import read_csv_text
from analysis.disclosure.min_cell import check_min_cell
from analysis.jobbsjansen import report as J
from analysis.paygap import report as L
from analysis.pipeline.plan import plan
from analysis.sickleave import report as SF

REFUSED = {
    "\x1b": "U+001B",  # ANSI escape: "\x1b[31m" recolours a terminal
    "\t": "U+0009",
    "\x7f": "U+007F",
    "\x85": "U+0085",
    "\u202a": "U+202A",
    "\u202b": "U+202B",
    "\u202c": "U+202C",
    "\u202d": "U+202D",
    "\u202e": "U+202E",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066": "U+2066",
    "\u2067": "U+2067",
    "\u2068": "U+2068",
    "\u2069": "U+2069",
    "\u200e": "U+200E",
    "\u200f": "U+200F",
    "\u061c": "U+061C",
    "\u200b": "U+200B",
    "\u200c": "U+200C",
    "\u200d": "U+200D",
    "\u2060": "U+2060",
    "\ufeff": "U+FEFF",
    "\u2028": "U+2028",
    "\ue000": "U+E000",
}


@pytest.mark.parametrize("char", list(REFUSED))
@pytest.mark.parametrize("column", ["project_id", "municipality"])
def test_invisible_and_control_characters_are_refused_with_row_column_value(tmp_path, char, column):
    value = f"PR{char}[31m1" if char == "\x1b" else f"Dram{char}men"
    path = write_rows(tmp_path / "js.csv", JS_ROWS, {1: {column: value}})
    p = only_problem(load_jobbsjansen, path)
    assert (p.row, p.column, p.value) == (3, column, value)
    assert REFUSED[char] in p.message and "på plass " in p.message and "fjern det" in p.message
    shown = str(p)
    assert char not in shown  # the message never carries the character itself ...
    assert repr(char)[1:-1] in shown  # ... but its escape


def test_a_job_group_label_with_a_zero_width_space_is_named_as_such(tmp_path):
    path = write_rows(tmp_path / "hr.csv", HR_ROWS, {0: {"job_group": "saksbehandler\u200b"}})
    p = only_problem(load_hr, path)
    assert (p.row, p.column) == (2, "job_group")
    assert "U+200B (ZERO WIDTH SPACE)" in p.message


def test_leading_and_trailing_white_space_is_still_trimmed(tmp_path):
    path = write_rows(tmp_path / "js.csv", JS_ROWS, {0: {"project_id": " PR1 "}})
    assert load_jobbsjansen(path)["project_id"].iloc[0] == "PR1"


def test_text_is_stored_in_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Tromsø Bydel Grünerløkka Åsane")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    path = write_rows(
        tmp_path / "js.csv",
        JS_ROWS,
        {0: {"municipality": decomposed}, 1: {"municipality": "Tromsø Bydel Grünerløkka Åsane"}},
    )
    df = load_jobbsjansen(path)
    assert df["municipality"].iloc[0] == "Tromsø Bydel Grünerløkka Åsane"
    assert df["municipality"].iloc[0] == df["municipality"].iloc[1]  # one municipality


def test_printable_attack_strings_are_data_not_errors(tmp_path):
    """Markup-looking text is allowed in: it is made inert where it is shown."""
    value = "JJ19<img src=x onerror=alert(1)> $\\Kroner$ [x](javascript:alert(1))"
    path = write_rows(tmp_path / "js.csv", JS_ROWS, {0: {"project_id": value}})
    assert load_jobbsjansen(path)["project_id"].iloc[0] == value


def test_problem_text_escapes_file_and_column_names():
    p = Problem("lønn\x1b[2J.csv", 1, "kjønn\u202e", None, "påkrevd kolonne mangler")
    assert str(p) == "lønn\\x1b[2J.csv, rad 1, kolonne 'kjønn\\u202e': påkrevd kolonne mangler"


# --------------------------------------------------------------------------- encoding

HEADER = "deltaker_id;prosjekt;kommune\n"


def test_utf8_file_with_a_stray_windows_1252_byte_names_row_column_and_byte(tmp_path):
    path = tmp_path / "js.csv"
    body = "D1;PR1;Tromsø\nD2;PR1;Bodø\nD3;PR2;Tr\xf8ndelag\nD4;PR2;Ålesund\n"
    data = HEADER.encode() + body.encode("utf-8").replace(b"Tr\xc3\xb8ndelag", b"Tr\xf8ndelag")
    path.write_bytes(data)
    with pytest.raises(DataValidationError) as exc:
        read_csv_text(path)
    (p,) = exc.value.problems
    assert (p.row, p.column, p.value) == (4, "kommune", "Tr\ufffdndelag")
    assert "byten 0xF8 er ikke gyldig UTF-8" in p.message and "lagre filen som UTF-8" in p.message


def test_every_row_with_a_stray_byte_is_listed(tmp_path):
    path = tmp_path / "js.csv"
    path.write_bytes(HEADER.encode() + b"D1;PR1;Troms\xc3\xb8\nD2;P\x96R;x\nD3;PR2;B\xe6r\n")
    with pytest.raises(DataValidationError) as exc:
        read_csv_text(path)
    assert [(p.row, p.column) for p in exc.value.problems] == [(3, "prosjekt"), (4, "kommune")]
    assert ["0x96" in p.message for p in exc.value.problems] == [True, False]


def test_pure_windows_1252_still_loads(tmp_path):
    path = tmp_path / "js.csv"
    path.write_bytes((HEADER + "D1;PR1;Tromsø – «Nord»\nD2;PR2;Ålesund\n").encode("cp1252"))
    t = read_csv_text(path)
    assert t.encoding == "windows-1252"
    assert t.frame["kommune"].tolist() == ["Tromsø – «Nord»", "Ålesund"]


def test_utf8_with_bom_loads(tmp_path):
    path = tmp_path / "js.csv"
    path.write_bytes((HEADER + "D1;PR1;Tromsø\n").encode("utf-8-sig"))
    t = read_csv_text(path)
    assert (t.encoding, list(t.frame.columns)) == ("utf-8", ["deltaker_id", "prosjekt", "kommune"])


def test_a_byte_that_is_neither_utf8_nor_windows_1252_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "js.csv"
    path.write_bytes(HEADER.encode() + b"D1;PR1;Troms\x81\n")
    with pytest.raises(DataValidationError) as exc:
        read_csv_text(path)
    (p,) = exc.value.problems
    assert (p.row, p.column) == (2, "kommune") and "0x81" in p.message
    assert "verken UTF-8 eller Windows-1252" in p.message


def test_cli_refuses_a_register_with_a_bidi_override(tmp_path, capsys):
    path = write_rows(tmp_path / "js.csv", JS_ROWS, {2: {"project_id": "PR\u202e1"}})
    out = tmp_path / "r"
    code = main(
        ["run", "--notebook", "jobbsjansen", "--jobbsjansen-data", str(path)]
        + ["--out", str(out), "--quiet"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "rad 4, kolonne 'project_id', verdi 'PR\\u202e1'" in err and "U+202E" in err
    assert "\u202e" not in err and "Traceback" not in err
    assert not out.exists()


# --------------------------------------------------------------------------- min_cell


@pytest.mark.parametrize("value", [3, 5, 10, 5.0])
def test_min_cell_of_three_or_more_is_accepted(value):
    assert check_min_cell(value) == int(value)


@pytest.mark.parametrize("value", [2, 1, 0, -3, 4.5, "5", True, None])
def test_min_cell_below_three_or_not_whole_is_refused(value):
    with pytest.raises(ValueError, match="min_cell"):
        check_min_cell(value)


@pytest.mark.parametrize("value", ["0", "1", "2", "-3"])
def test_cli_refuses_min_cell_below_three(tmp_path, capsys, value):
    out = tmp_path / "r"
    with pytest.raises(SystemExit) as exc:
        main(["run", "--year", "2025", "--out", str(out), f"--min-cell={value}"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"min_cell = {int(value)} er for lavt" in err and "minst 3 personer" in err
    assert not out.exists()


@pytest.mark.parametrize("build", [J.build, L.build, SF.build])
def test_report_builds_refuse_min_cell_below_three(build):
    """The path a notebook takes (papermill parameter ``min_cell``) is guarded too."""
    with pytest.raises(ValueError, match="min_cell = 2 er for lavt"):
        build(2024, min_cell=2)


def test_plan_refuses_min_cell_below_three():
    with pytest.raises(ValueError, match="min_cell = 0 er for lavt"):
        plan(years=[2025], min_cell=0)
