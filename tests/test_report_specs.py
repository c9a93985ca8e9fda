"""``notebooks/reports.yaml``: a new report is an entry there (plus its notebook and domain
package); the pipeline names no report. Which years have published figures comes from the
entry's ``years_with_data`` rule, and a malformed entry is an input error naming the line,
the key and the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.data.errors import DataValidationError
from analysis.pipeline.plan import plan, published_years
from analysis.pipeline.specs import load_report_specs

ENTRY = """\
reports:
  foreldrepermisjon:
    title: Foreldrepermisjon etter kjønn
    duty: En plikt
    source: 000_d1bd28d31f4191f0.txt
    headline: {key: share_men_pct, label: Menns andel, format: pct1}
    data: hr
{years}"""


def _entry(years: str = "", old: str = "", new: str = "") -> str:
    """The entry above (lines: 1 reports, 2 name, 3-7 title to data, 8 the years rule)."""
    return ENTRY.replace(old, new).replace("{years}", years)


def _specs(tmp_path: Path, text: str):
    path = tmp_path / "reports.yaml"
    path.write_text(text, encoding="utf-8")
    return load_report_specs(path)


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        # parental_leave.csv, preferred rows: 2025, 2024, 2023 and 2014; 2014 has no head count
        ("    years_with_data: {table: parental_leave}\n", [2014, 2023, 2024, 2025]),
        (
            "    years_with_data: {table: parental_leave, present: [n_total]}\n",
            [2023, 2024, 2025],
        ),
        (
            "    years_with_data:\n      table: parental_leave\n      exclude: {year: [2024]}\n",
            [2014, 2023, 2025],
        ),
        ("", []),  # no rule: no published years (a report on person-level data only)
    ],
)
def test_a_new_report_needs_only_its_entry(tmp_path, years, expected):
    specs = _specs(tmp_path, _entry(years))
    assert published_years(specs["foreldrepermisjon"]) == expected
    jobs = plan(specs=specs)
    assert [(j.notebook, j.year) for j in jobs] == [("foreldrepermisjon", y) for y in expected]
    assert all(j.parameters["hr_data"] is None for j in jobs)


def test_the_person_level_file_goes_to_the_parameter_of_its_kind():
    specs = load_report_specs()
    assert specs["lonnsgap"].data_parameter == "hr_data"
    assert specs["jobbsjansen"].data_parameter == "jobbsjansen_data"


def test_text_filters_match_text_whatever_yaml_reads(tmp_path):
    """YAML reads ``2021`` as a number; the text column ``period`` is matched as text
    (jobbsjansen.csv: the rows of period 2021 and 2023 are figures for 2021 and 2023)."""
    rule = "    years_with_data: {table: jobbsjansen, include: {period: [2021, 2023]}}\n"
    specs = _specs(tmp_path, _entry(rule))
    assert published_years(specs["foreldrepermisjon"]) == [2021, 2023]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (
            _entry("    colour: red\n"),
            8,
            "reports.foreldrepermisjon.colour",
            "unknown key",
        ),
        (_entry("", "data: hr", "data: hms"), 7, ".data", "must be one of"),
        (_entry("", "format: pct1", "format: prosent"), 6, ".format", "pct<d>"),
        (
            _entry("", "  foreldrepermisjon:", '  "Ny rapport":'),
            2,
            "Ny",
            "name",
        ),
        (
            _entry("", "    title: Foreldrepermisjon etter kjønn\n", ""),
            2,
            ".title",
            "missing",
        ),
        (
            _entry("    years_with_data: {table: x, include: {a: {b: c}}}\n"),
            8,
            ".years_with_data.include.a",
            "list of values",
        ),
        ("reports: []\n", 1, "reports", "at least one report"),
    ],
)
def test_a_malformed_entry_names_line_key_and_value(tmp_path, text, line, column, message):
    with pytest.raises(DataValidationError) as err:
        _specs(tmp_path, text)
    [problem] = err.value.problems
    assert problem.file.endswith("reports.yaml")
    assert problem.row == line
    assert column in (problem.column or "")
    assert message in problem.message


@pytest.mark.parametrize(
    ("years", "value"),
    [
        ("    years_with_data: {table: no_such_table}\n", "no_such_table"),
        ("    years_with_data: {table: parental_leave, present: [colour]}\n", "colour"),
    ],
)
def test_a_rule_naming_a_missing_table_or_column_is_an_input_error(tmp_path, years, value):
    specs = _specs(tmp_path, _entry(years))
    with pytest.raises(DataValidationError) as err:
        plan(specs=specs)
    [problem] = err.value.problems
    assert problem.value == value
    assert "years_with_data" in problem.column
