"""The transcribed published figures: they load, validate, cite their sources, and say what
the documents say. Sample values below were read off the source documents by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data.published import (
    load_all_published,
    load_catalogue,
    load_published,
    published_decimals,
)
from analysis.data.schema import DataValidationError

# rows per file (pins the transcription: a change must be deliberate)
ROW_COUNTS = {
    "pay_by_job_group": 44,
    "sick_leave": 27,
    "sick_leave_targets": 3,
    "parental_leave": 5,
    "workforce": 123,
    "employees_by_country_background": 23,
    "jobbsjansen": 28,
    "introduction_programme": 38,
    "assignments": 55,
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return load_all_published()


def one(df: pd.DataFrame, **where) -> pd.Series:
    sel = df
    for k, v in where.items():
        sel = sel.loc[sel[k] == v]
    sel = sel.loc[sel["preferred"]]
    assert len(sel) == 1, (where, len(sel))
    return sel.iloc[0]


def test_every_file_in_catalogue_and_row_counts(tables):
    assert {n: len(t) for n, t in tables.items()} == ROW_COUNTS
    published = Path(__file__).resolve().parents[1] / "data" / "raw" / "published"
    assert {p.stem for p in published.glob("*.csv")} == set(ROW_COUNTS)


def test_catalogue_describes_every_column(tables):
    cat = load_catalogue()
    for name, df in tables.items():
        entry = cat[name]
        assert list(df.columns) == entry.schema.names
        for col in entry.schema.columns:
            assert col.description, f"{name}.{col.name} has no description"


def test_pay_2025_from_000(tables):
    pay = tables["pay_by_job_group"]
    t = one(pay, year=2025, row="totalt")
    assert (t.n_total, t.mean_pay_men_nok, t.mean_pay_women_nok) == (280, 805041, 761446)
    assert t.women_share_of_men_pay_pct == 94.58 and t.share_women_pct == 67.86
    assert t.source_document == "000_d1bd28d31f4191f0.txt"
    top = one(pay, year=2025, row="toppleder")
    assert (top.n_total, top.mean_pay_men_nok, top.mean_pay_women_nok) == (8, 1314695, 1322375)
    kons = one(pay, year=2025, row="konsulent")
    assert pd.isna(kons.mean_pay_men_nok) and kons.mean_pay_women_nok == 550674
    assert pd.isna(one(pay, year=2025, row="laerling").n_total)  # printed '-'
    mid = one(pay, year=2025, row="midlertidig")
    assert (mid.n_total, mid.women_share_of_men_pay_pct) == (18, 103.19)


def test_pay_2023_and_2024_from_001(tables):
    pay = tables["pay_by_job_group"]
    s = one(pay, year=2023, row="saksbehandler")
    assert (s.n_total, s.mean_pay_men_nok, s.mean_pay_women_nok, s.women_share_of_men_pay_pct) == (
        219,
        691746,
        670626,
        96.95,
    )
    assert one(pay, year=2023, row="laerling").mean_pay_women_nok == 125550
    t24 = one(pay, year=2024, row="totalt")
    assert (t24.n_total, t24.women_share_of_men_pay_pct) == (283, 95.22)
    assert t24.source_document == "001_8a3baf08903e064b.txt"
    # 2024 is printed in both reports; 000 prints the top leaders' ratio as '99,725'
    both = pay.loc[(pay["year"] == 2024) & (pay["row"] == "toppleder")]
    assert sorted(both["women_share_of_men_pay_pct"]) == [99.72, 99.725]
    assert len(pay.loc[pay["year"] == 2024]) == 22


def test_sick_leave(tables):
    s = tables["sick_leave"]
    assert one(s, year=2013, gender="M", kind="legemeldt").rate_pct == 6.2
    assert one(s, year=2014, gender="M", kind="legemeldt").rate_pct == 4.0
    assert one(s, year=2014, gender="K", kind="legemeldt").rate_pct == 6.6
    assert one(s, year=2014, gender="alle", kind="totalt").rate_pct == 6.8
    assert one(s, year=2014, gender="alle", kind="egenmeldt").rate_pct == 1.2
    assert one(s, year=2023, gender="K", kind="legemeldt").rate_pct == 7.90
    assert one(s, year=2024, gender="alle", kind="totalt").rate_pct == 6.81
    assert one(s, year=2024, gender="K", kind="totalt").rate_pct == 8.7
    assert one(s, year=2025, gender="K", kind="legemeldt").rate_pct == 7.72
    assert one(s, year=2025, gender="alle", kind="legemeldt").rate_pct == 7.30
    t = tables["sick_leave_targets"]
    assert t.loc[t["year_stated"] == 2014, "max_rate_pct"].tolist() == [5.9]


def test_parental_leave(tables):
    p = tables["parental_leave"]
    r = one(p, year=2025)
    assert (r.share_men_pct, r.n_total, r.mean_weeks_men, r.mean_weeks_women) == (
        29.63,
        27,
        4.3,
        10.5,
    )
    assert one(p, year=2023).mean_weeks_total_column == 10


def test_workforce_and_country_background(tables):
    w = tables["workforce"]
    assert one(w, year=2014, indicator="share_pct", group="alle", gender="K").value == 64
    assert one(w, year=2014, indicator="share_pct", group="toppleder", gender="K").value == 58
    assert (
        one(
            w, year=2024, indicator="immigrant_background_share_pct", group="alle", gender="alle"
        ).value
        == 31.56
    )
    c = tables["employees_by_country_background"]
    assert one(c, year=2013, category="ansatte_totalt").n == 221
    assert one(c, year=2013, category="gruppe_1").n == 10
    assert [one(c, year=y, category="ansatte_totalt").n for y in range(2021, 2026)] == [
        221,
        252,
        264,
        282,
        283,
    ]
    assert one(c, year=2024, category="gruppe_2").n == 74


def test_jobbsjansen_and_introduction_programme(tables):
    j = tables["jobbsjansen"]
    assert one(j, period="2012", indicator="transition_rate_pct", group="alle").value == 52
    assert (
        one(j, period="2012", indicator="transition_rate_pct", group="alle").programme
        == "Ny sjanse"
    )
    assert one(j, period="2013", indicator="transition_rate_pct", group="alle").value == 60
    assert one(j, period="2024", indicator="transition_rate_pct", group="alle").value == 72
    assert one(j, period="2024", indicator="budget_mnok", group="alle").value == 130.6
    p24 = one(j, period="2024", indicator="participants", group="alle")
    assert (p24.value, p24.qualifier) == (1300, "over")
    assert one(j, period="2020-2024", indicator="transition_rate_max_pct", group="alle").value == 79
    assert one(j, period="2021", indicator="followup_1y_rate_pct", group="alle").value == 77
    assert one(j, period="2023", indicator="budget_mnok", group="alle").value == 94.0
    i = tables["introduction_programme"]
    assert one(i, period="2014", indicator="participants_completed", group="alle").value == 3189
    assert one(i, period="2014", indicator="transition_rate_pct", group="alle").value == 44


def test_assignments(tables):
    a = tables["assignments"]
    r = one(a, assignment_id="2022-04")
    assert r.deadline == "31.12.2025" and r.topic == "jobbsjansen"


# ----------------------------------------------------------------------------- bad input


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "old,new,row,column,value",
    [
        # a decimal comma adds a cell: the row is reported (too many fields or a shifted value)
        (
            "2025,totalt,Totalt i virksomheten,32.14",
            "2025,totalt,Totalt i virksomheten,32,14",
            None,
            None,
            None,
        ),
        (",805041,761446,94.58,", ",805041,-761446,94.58,", 0, "mean_pay_women_nok", "-761446"),
        (
            ",805041,761446,94.58,",
            ",805041,761 446 kr,94.58,",
            0,
            "mean_pay_women_nok",
            "761 446 kr",
        ),
        ("2025,toppleder,", "2025,topp,", 0, "row", "topp"),
        ("2025,toppleder,", "20x5,toppleder,", 0, "year", "20x5"),
    ],
)
def test_bad_pay_cells_are_named(published_copy, old, new, row, column, value):
    path = published_copy / "pay_by_job_group.csv"
    _edit(path, old, new)
    if row is not None:  # the spreadsheet row of the edited line (header = row 1)
        row = next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if new in ln)
    with pytest.raises(DataValidationError) as exc:
        load_published("pay_by_job_group", directory=published_copy)
    problems = exc.value.problems
    assert all(p.file == "data/raw/published/pay_by_job_group.csv" for p in problems)
    if row is not None:
        assert any((p.row, p.column, p.value) == (row, column, value) for p in problems), problems


def test_wrong_quote_and_unknown_document(published_copy):
    _edit(published_copy / "sick_leave.csv", "3,33%", "3,99%")
    _edit(
        published_copy / "pay_by_job_group.csv",
        '000_d1bd28d31f4191f0.txt,"Del 1',
        '009_missing.txt,"Del 1',
    )
    with pytest.raises(DataValidationError) as exc:
        load_all_published(published_copy)
    messages = [(p.file.rsplit("/", 1)[-1], p.column, p.message) for p in exc.value.problems]
    assert any(
        f == "sick_leave.csv"
        and c == "source_quote"
        and "sitatet finnes ikke i kildedokumentet" in m
        for f, c, m in messages
    )
    assert (
        "pay_by_job_group.csv",
        "source_document",
        "dokumentet finnes ikke i data/raw/published/sources/",
    ) in messages


def test_two_preferred_rows_for_one_key(published_copy):
    path = published_copy / "pay_by_job_group.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("2024,totalt,Totalt i virksomheten"))
    lines[i] = lines[i].rsplit(",", 1)[0] + ",true"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        DataValidationError,
        match="2 rader med preferred=true for denne nøkkelen; nøyaktig én er påkrevd",
    ):
        load_published("pay_by_job_group", directory=published_copy)


def test_duplicate_row_missing_column_and_semicolon_file(published_copy):
    path = published_copy / "parental_leave.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="rader med preferred=true"):
        load_published("parental_leave", directory=published_copy)
    header = lines[0].replace("n_total,", "")
    path.write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        load_published("parental_leave", directory=published_copy)
    # the catalogue's (English) column description is not quoted to the user
    assert (1, "n_total", None, "påkrevd kolonne mangler") in {
        (p.row, p.column, p.value, p.message) for p in exc.value.problems
    }
    path.write_text("\n".join(ln.replace(",", ";") for ln in lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="publiserte tabeller må være kommaseparerte"):
        load_published("parental_leave", directory=published_copy)


def test_broken_catalogue(published_copy):
    (published_copy / "catalogue.yaml").write_text("files: [\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="katalogen er ikke gyldig YAML"):
        load_all_published(published_copy)
    (published_copy / "catalogue.yaml").unlink()
    with pytest.raises(DataValidationError, match="katalogen over publiserte tabeller mangler"):
        load_all_published(published_copy)


def test_data_check_exit_code_on_bad_input(published_copy, monkeypatch, capsys):
    from analysis.cli import main

    _edit(
        published_copy / "pay_by_job_group.csv", ",805041,761446,94.58,", ",805041,-761446,94.58,"
    )
    monkeypatch.setattr("analysis.data.published.published_dir", lambda: published_copy)
    assert main(["data", "check"]) == 2
    err = capsys.readouterr().err
    assert "pay_by_job_group.csv, rad 35, kolonne 'mean_pay_women_nok', verdi '-761446'" in err


def test_raw_files_are_not_modified_by_build(tmp_path, root):
    from analysis.data.build import build_processed

    published = root / "data" / "raw" / "published"
    before = {p: p.read_bytes() for p in published.rglob("*") if p.is_file()}
    written = build_processed(out=tmp_path)
    after = {p: p.read_bytes() for p in published.rglob("*") if p.is_file()}
    assert before == after
    assert set(written) == {*ROW_COUNTS, "quality_findings"}
    back = pd.read_parquet(written["pay_by_job_group"])
    assert len(back) == 44 and str(back["n_total"].dtype) == "Int64"


def test_build_writes_nothing_on_bad_input(published_copy, tmp_path):
    from analysis.data.build import build_processed

    _edit(published_copy / "sick_leave.csv", "legemeldt", "legemeld")
    out = tmp_path / "processed"
    with pytest.raises(DataValidationError):
        build_processed(published_copy, out)
    assert not out.exists() or not any(out.iterdir())


def test_catalogue_readme_is_up_to_date(root):
    from analysis.data.published import catalogue_markdown

    readme = root / "data" / "raw" / "published" / "README.md"
    assert readme.read_text(encoding="utf-8") == catalogue_markdown(), (
        "run: .venv/bin/fou data catalogue"
    )


def test_published_decimals_are_those_transcribed():
    # sick_leave.csv: 2023 M legemeldt is "1.70", 2025 alle legemeldt "7.30" (preferred; the
    # non-preferred "7.3" does not count), 2014 alle totalt "6.8"
    d = published_decimals("sick_leave", "rate_pct")
    assert d[(2023, "M", "legemeldt")] == 2
    assert d[(2025, "alle", "legemeldt")] == 2
    assert d[(2014, "alle", "totalt")] == 1
    assert len(d) == len(load_published("sick_leave", preferred_only=True))


def test_an_optional_table_may_be_absent_but_is_validated_when_present(published_copy):
    assert load_catalogue(published_copy)["benchmarks_sick_leave"].optional
    assert "benchmarks_sick_leave" not in load_all_published(published_copy)
    (published_copy / "sources" / "b.txt").write_text("staten 5,8 prosent", encoding="utf-8")
    header = (
        "year,benchmark,kind,rate_pct,source_document,source_section,source_quote,note,preferred"
    )
    path = published_copy / "benchmarks_sick_leave.csv"
    path.write_text(
        header + '\n2025,statlig forvaltning,sykt,120,b.txt,T1,"staten 5,8",,true\n',
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as exc:  # a kind not in the code list, > 100 %
        load_all_published(published_copy)
    found = {(p.file, p.row, p.column, p.value) for p in exc.value.problems}
    assert found == {
        ("data/raw/published/benchmarks_sick_leave.csv", 2, "kind", "sykt"),
        ("data/raw/published/benchmarks_sick_leave.csv", 2, "rate_pct", "120"),
    }
    path.write_text(
        header + '\n2025,statlig forvaltning,totalt,5.8,b.txt,T1,"staten 5,8",,true\n',
        encoding="utf-8",
    )
    b = load_all_published(published_copy)["benchmarks_sick_leave"]
    assert b["rate_pct"].tolist() == [5.8] and b["kind"].tolist() == ["totalt"]
