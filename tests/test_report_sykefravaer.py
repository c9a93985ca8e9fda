"""The sick-leave report (analysis.sickleave.report): what build computes and the HTML it
returns, without Jupyter; plus one slow test running the notebook through the pipeline."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import pytest
from test_report_sykefravaer_rates import check_rates_by_hand

from analysis.data.published import load_published
from analysis.data.synthetic import synth_hr, write_synthetic
from analysis.render.keyfigures import dumps
from analysis.sickleave import report as SF
from analysis.sickleave.labels import group_label

# builds each year's report (slow tier: `make test-slow`, `make test-all`)
pytestmark = pytest.mark.slow

PUBLISHED_YEARS = (2013, 2014, 2023, 2024, 2025)
YEARS = (*PUBLISHED_YEARS, 2026)  # 2026: no published figures, synthetic fallback

ISSUE_KEYS = {
    "year",
    "data_source",
    "rate_total_pct",
    "rate_certified_pct",
    "rate_self_pct",
    "by_gender",
    "rate_ratio_women_vs_men",
    "adjusted_rate_ratio",
}
EXTRA_KEYS = {
    "person_data_source",
    "synthetic",
    "published_certified_pct",
    "published_totals_not_fitting",
}


def _all_figures(kf: dict) -> dict:
    """The key figures with those under ``synthetic_illustration`` lifted to the top level."""
    out = {k: v for k, v in kf.items() if k not in ("sources", "synthetic_illustration")}
    out.update(kf.get("synthetic_illustration", {}))
    return out


@pytest.fixture(scope="module")
def reports() -> dict[int, SF.SickLeaveReport]:
    return {y: SF.build(y) for y in YEARS}


def _html_outputs(r: SF.SickLeaveReport) -> dict[str, str]:
    """Every HTML table and text the module returns for a report."""
    out = {}
    for name in dir(SF):
        if name.startswith("html_") or name.endswith("_text"):
            fn = getattr(SF, name)
            if callable(fn) and getattr(fn, "__module__", None) == SF.__name__ and name != "fmt_ci":
                out[name] = fn(r)
    out["adjusted_notes"] = " ".join(SF.adjusted_notes(r))
    out["benchmark_text"] = r.benchmark_text
    return out


def _row_cells(html: str, label: str) -> list[str]:
    m = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', html)
    assert m, f"no row {label!r}"
    return re.findall(r"<td[^>]*>(.*?)</td>", m.group(1))


def _small_hr_file(tmp_path: Path, n: int = 40) -> Path:
    """A small HR file for 2026 (few persons: much must be suppressed)."""
    res = synth_hr(2026, 1)
    small = dataclasses.replace(
        res, frame=res.frame.iloc[:: max(1, len(res.frame) // n)].head(n).reset_index(drop=True)
    )
    return write_synthetic(small, tmp_path / "small.csv")


@pytest.mark.parametrize("year", YEARS)
def test_build_every_year(reports, year):
    r = reports[year]
    assert r.year == year
    assert r.person.synthetic and r.key_figures["person_data_source"] == "synthetic"
    # a year with published figures quotes them; the JSON then says so
    expected = "published" if year in PUBLISHED_YEARS else "synthetic"
    assert r.key_figures["data_source"] == expected
    assert set(r.rates["kind"]) == {"legemeldt", "egenmeldt", "totalt"}
    assert set(r.rates["gender"]) == {"K", "M", "alle"}
    # rates, SEs and intervals recomputed by hand from the person data (Cochran; Fay & Feuer)
    check_rates_by_hand(r)
    assert r.has_published == (year in PUBLISHED_YEARS)
    assert r.benchmark.empty
    assert "ikke tilgjengelig" in r.benchmark_text
    # a target is named only for the years it was set for (tests/test_quotable_sykefravaer.py)
    targets = SF.targets_text(r)
    assert ("«under gjennomsnittet for statlig forvaltning»" in targets) == (year >= 2024)
    assert ("5,9\u00a0%" in targets) == (year == 2014)
    assert ("oppgir ikke noe mål" in targets) == (year in (2013, 2023))
    for name, text in _html_outputs(r).items():
        assert isinstance(text, str) and text, name
    json.loads(dumps(r.key_figures))  # JSON-serialisable


@pytest.mark.parametrize("year", YEARS)
def test_key_figures_have_exactly_the_issue_keys(reports, year):
    kf = _all_figures(reports[year].key_figures)
    assert set(kf) == ISSUE_KEYS | EXTRA_KEYS
    assert kf["year"] == year
    assert set(kf["by_gender"]) == {"K", "M"}
    for g in ("K", "M"):
        assert set(kf["by_gender"][g]) == {"total_pct", "certified_pct", "self_pct"}
    assert set(kf["adjusted_rate_ratio"]) == {"estimate", "ci_low", "ci_high", "covariates"}
    assert kf["adjusted_rate_ratio"]["covariates"] == ["job_group", "age_band"]
    assert kf["person_data_source"] == "synthetic" and kf["synthetic"] is True
    a = reports[year].adjusted
    assert kf["rate_ratio_women_vs_men"] == pytest.approx(a.unadjusted, rel=1e-5)


@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_synthetic_certified_rates_match_the_published_ones(reports, year):
    pub = load_published("sick_leave", preferred_only=True)
    pub = pub.loc[(pub["year"] == year) & (pub["kind"] == "legemeldt")]
    kf = reports[year].key_figures
    for g in ("K", "M"):
        published = float(pub.loc[pub["gender"] == g, "rate_pct"].item())
        assert kf["published_certified_pct"][g] == pytest.approx(published)
        assert abs(reports[year].rate(g)["rate_pct"] - published) <= 0.3
    total = pub.loc[pub["gender"] == "alle", "rate_pct"]
    expected_total = float(total.item()) if len(total) else None
    assert kf["published_certified_pct"]["alle"] == expected_total
    r = reports[year]
    assert r.max_calibration_diff_pp is not None and r.max_calibration_diff_pp <= 0.3
    assert "kontrollen er bestått" in SF.comparison_text(r)


def test_year_without_published_figures(reports):
    r = reports[2026]
    assert r.key_figures["published_certified_pct"] is None
    assert r.published_year.empty and r.comparison.empty
    assert "ikke publisert sykefraværstall for 2026" in SF.comparison_text(r)
    assert "2025" in SF.comparison_text(r)  # says what the synthetic data are calibrated to
    assert "(rapportåret)" not in SF.html_findings_table(r)
    assert "kalibrert til de publiserte tallene for 2025" in SF.headline_text(r)
    assert "ikke publisert sykefraværstall for 2026" in SF.header_source(r)
    assert "sier ingenting om sykefraværet i 2026" in SF.banner_note(r)


def test_published_year_headline_names_no_other_year(reports):
    # 2013 synthetic data take headcounts from 2023 but sick leave from 2013
    assert "kalibrert til" not in SF.headline_text(reports[2013])


def test_published_figures_shown_as_published(reports):
    r = reports[2025]
    table = SF.html_published_year_table(r)
    assert "7,30\u00a0%" in table and "3,33\u00a0%" in table
    # one source for the whole table: named in the «Kilde:» line, not in a column
    assert "Likestillingsredegjørelse 2025" not in table
    assert "Likestillingsredegjørelse 2025" in SF.published_sources(r.published_year)
    # 2024: the rates come from a table and the text, so each row names its source
    assert "Likestillingsutgreiing 2024" in SF.html_published_year_table(reports[2024])
    series = SF.html_series_table(r)
    assert "2025 (rapportåret)" in series and "6,3\u00a0%" in series  # 2013 as published
    assert "2015–2022" in series


def test_reconciliation_lists_all_years_and_marks_this_one(reports):
    r = reports[2024]
    html = SF.html_findings_table(r)
    assert len(re.findall(r'<th scope="row">', html)) == len(r.findings)
    assert html.count("2024 (rapportåret)") == len(r.findings_year) > 0
    assert "Stemmer ikke" in html and "av de avtalte dagsverkene" in html


def test_suppressed_cells_show_no_value(reports):
    r = reports[2025]
    for table, html, column in (
        (r.rates_job, SF.html_job_group_table(r), "job_group"),
        (r.rates_age, SF.html_age_band_table(r), "age_band"),
    ):
        hidden = table.loc[table["suppressed"] & (table["kind"] == "legemeldt")]
        assert len(hidden) > 0
        for row in hidden.itertuples(index=False):
            who = "i alt" if row.gender == "alle" else SF.gender_label(row.gender, lower=True)
            label = f"{group_label(column, getattr(row, column))}, {who}"
            assert set(_row_cells(html, label)) == {":"}, label
        shown = table.loc[~table["suppressed"] & (table["kind"] == "legemeldt")]
        row = shown.iloc[0]
        who = "i alt" if row["gender"] == "alle" else SF.gender_label(row["gender"], lower=True)
        assert ":" not in _row_cells(html, f"{group_label(column, row[column])}, {who}")


def test_small_file_is_suppressed_everywhere(tmp_path):
    r = SF.build(2026, hr_data=str(_small_hr_file(tmp_path)), min_cell=5)
    assert len(r.person.frame) == 40
    conc = r.concentration
    tops = conc.loc[conc["measure"] == "top_share"].reset_index(drop=True)
    # the 5 % and 10 % with most absence are 2 and 4 persons: hidden; the 20 % are 8: shown
    assert tops["suppressed"].tolist() == [True, True, False]
    assert tops.loc[:1, "value"].isna().all() and tops.loc[2, "value"] > 0
    html = SF.html_concentration_table(r)
    for label in tops.loc[:1, "label"]:
        assert set(_row_cells(html, label)) == {":"}
    assert ":" not in _row_cells(html, tops.loc[2, "label"])
    parts = conc.loc[conc["measure"].isin(["long_term_proxy", "short_term_proxy", "no_absence"])]
    assert parts.loc[~parts["suppressed"], "n_persons"].ge(5).all()
    assert parts["suppressed"].sum() != 1  # never one hidden part next to the total
    job = r.rates_job
    assert job.loc[job["suppressed"], "rate_pct"].isna().all()
    assert job.loc[~job["suppressed"], "n_persons"].ge(5).all()


@pytest.mark.parametrize("year", [2025, "small"])
def test_no_person_id_in_any_html(reports, year, tmp_path):
    if year == "small":
        r = SF.build(2026, hr_data=str(_small_hr_file(tmp_path)))
    else:
        r = reports[year]
    ids = set(r.person.frame["person_id"].astype(str))
    for name, text in _html_outputs(r).items():
        found = [i for i in ids if i in text]
        assert found == [], (name, found[:3])


def test_build_with_hr_data_file(tmp_path):
    path = write_synthetic(synth_hr(2026, 1), tmp_path / "hr.csv")
    r = SF.build(2026, hr_data=str(path))
    assert r.person.data_source == "synthetic"
    assert r.key_figures["data_source"] == "synthetic"
    assert r.key_figures["person_data_source"] == "synthetic"
    assert r.key_figures["year"] == 2026
    assert str(path.resolve()) in r.inputs
    assert all(Path(p).is_file() for p in r.inputs)  # the provenance block can hash them


def test_build_with_unmarked_file_reports_microdata(tmp_path):
    src = write_synthetic(synth_hr(2026, 1), tmp_path / "syn.csv")
    text = src.read_text(encoding="utf-8").replace("SYN-HR-", "HR-")
    path = tmp_path / "hr_export.csv"
    path.write_text(text, encoding="utf-8")
    r = SF.build(2026, hr_data=str(path))
    assert r.person.data_source == "microdata" and not r.person.synthetic
    assert r.key_figures["data_source"] == "microdata"
    assert r.key_figures["synthetic"] is False
    assert "syntetiske" not in SF.html_rates_table(r)


def test_adjusted_table_and_text(reports):
    r = reports[2025]
    html = SF.html_adjusted_table(r)
    assert "Ujustert" in html and "Justert for stillingsgruppe og aldersgruppe" in html
    assert SF.fmt_ratio(r.adjusted.estimate) in html
    assert SF.fmt_ratio(r.adjusted.unadjusted) in SF.headline_text(r)
    assert math.isfinite(r.adjusted.dispersion)


@pytest.mark.slow
def test_notebook_runs_through_the_pipeline(default_reports):
    """The notebook as ``make reports`` builds it (the session's shared default build,
    tests/conftest.py)."""
    assert "2025/sykefravaer" in json.loads((default_reports / ".fou-cache.json").read_text())
    page = (default_reports / "2025" / "sykefravaer.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in page
    assert page.count("<h1") == 1
    assert "Syntetiske persondata." in page
    imgs = re.findall(r"<img[^>]*>", page)
    assert imgs and all(re.search(r'alt="[^"]{20,}"', i) for i in imgs)
    assert "sick_leave.csv" in page  # provenance lists the inputs
    kf = json.loads((default_reports / "2025" / "sykefravaer.json").read_text(encoding="utf-8"))
    assert set(_all_figures(kf)) == ISSUE_KEYS | EXTRA_KEYS
    assert kf["year"] == 2025 and kf["data_source"] == "published"
    assert kf["person_data_source"] == "synthetic"


def test_a_small_gender_total_is_hidden_everywhere(tmp_path):
    """Three men in all: their total (a margin of both two-way tables) is hidden in the
    gender table, both group tables and the key figures — never shown in one and hidden in
    another."""
    res = synth_hr(2026, 1)
    f = res.frame
    men = f.index[f["gender"] == "M"]
    frame = f.drop(index=men[3:]).reset_index(drop=True)
    path = write_synthetic(dataclasses.replace(res, frame=frame), tmp_path / "three_men.csv")
    r = SF.build(2026, hr_data=str(path))
    assert r.rates.loc[r.rates["gender"] == "M", "rate_pct"].isna().all()
    # all persons = women + men: with the men hidden, women's total and the overall total
    # cannot both be shown (either gives the men back); the overall total is kept
    assert r.rates.loc[r.rates["gender"] == "K", "rate_pct"].isna().all()
    assert r.rates.loc[r.rates["gender"] == "alle", "rate_pct"].notna().all()
    for t, dim in ((r.rates_job, "job_group"), (r.rates_age, "age_band")):
        for g in ("M", "K"):
            total = t.loc[(t[dim] == "alle") & (t["gender"] == g)]
            assert total["suppressed"].all() and total["n_persons"].isna().all(), (dim, g)
    kf = _all_figures(r.key_figures)  # 2026 has no published figures: all illustrations
    assert kf["by_gender"] == {"K": None, "M": None}
    assert kf["rate_total_pct"] is not None
