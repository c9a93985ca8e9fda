"""Synthetic data: calibrated to the published tables, deterministic, valid, and marked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data.codes import GENDERS, JOB_GROUPS, TRANSITION_STATUSES
from analysis.data.microdata import (
    ANNUAL_PAY_RANGE_NOK,
    HR_SCHEMA,
    JOBBSJANSEN_SCHEMA,
    MIN_WORKING_AGE,
    load_hr,
    load_jobbsjansen,
)
from analysis.data.pay_table import pay_cells
from analysis.data.published import load_published
from analysis.data.synthetic import (
    SynthResult,
    is_synthetic,
    nearest_year,
    rescale_capped,
    resolve_qualifier,
    sidecar_path,
    synth_hr,
    synth_hr_large,
    synth_jobbsjansen,
    write_synthetic,
)

SEED = 20260101
HR_YEARS = [2023, 2024, 2025]
REGISTER_YEARS = [2012, 2013, 2024]


def published(name: str) -> pd.DataFrame:
    return load_published(name, preferred_only=True)


def published_cells(year: int) -> pd.DataFrame:
    cells = pay_cells(published("pay_by_job_group"))
    return cells.loc[cells["year"] == year]


def sick_rate(year: int, gender: str, kind: str) -> float | None:
    s = published("sick_leave")
    r = s.loc[(s["year"] == year) & (s["gender"] == gender) & (s["kind"] == kind), "rate_pct"]
    return float(r.iloc[0]) if len(r) else None


def js_value(indicator: str, year: int) -> pd.Series | None:
    js = published("jobbsjansen")
    r = js.loc[(js["indicator"] == indicator) & (js["group"] == "alle") & (js["year"] == year)]
    return r.iloc[0] if len(r) else None


# The guarantees stated in docs/schemas.md ("Syntetiske data"): certified sick leave per
# gender within 0,01 percentage points of the published rate; the transition rate within one
# person (< 0,2 percentage points).
SICK_TOL_PP = 0.01
TRANSITION_TOL_PP = 0.2


def assert_within_one_person(frame: pd.DataFrame, published_rate: float) -> None:
    exits = frame.loc[frame["end_date"].notna() & (frame["exit_status"] != "utfaset")]
    one_person = 100 / len(exits)
    assert abs(transition_rate(frame) - published_rate) < min(TRANSITION_TOL_PP, one_person)


def transition_rate(frame: pd.DataFrame) -> float:
    """IMDi's definition: transitions / exits in the year, phased-out (utfaset) excluded."""
    exits = frame.loc[frame["end_date"].notna() & (frame["exit_status"] != "utfaset")]
    return float(exits["exit_status"].isin(TRANSITION_STATUSES).mean() * 100)


@pytest.fixture(scope="module")
def hr() -> dict[int, SynthResult]:
    return {y: synth_hr(y, SEED) for y in HR_YEARS}


@pytest.fixture(scope="module")
def register() -> dict[int, SynthResult]:
    return {y: synth_jobbsjansen(y, SEED) for y in REGISTER_YEARS}


# --------------------------------------------------------------------------- published years


def test_the_tested_years_are_all_published_years():
    """New published years must be added to the calibration tests."""
    assert sorted(pay_cells(published("pay_by_job_group"))["year"].unique()) == HR_YEARS
    js = published("jobbsjansen")
    rates = js.loc[(js["indicator"] == "transition_rate_pct") & (js["group"] == "alle")]
    assert sorted(rates["year"].dropna().astype(int).unique()) == REGISTER_YEARS


# --------------------------------------------------------------------------- HR calibration


@pytest.mark.parametrize("year", HR_YEARS)
def test_hr_headcount_and_pay_per_cell(hr: dict[int, SynthResult], year: int):
    r = hr[year]
    assert (r.year, r.calibration_year, r.fallback) == (year, year, False)
    f = r.frame
    for row in published_cells(year).itertuples():
        for g, n, mean in (
            ("K", row.n_women, row.mean_pay_women_nok),
            ("M", row.n_men, row.mean_pay_men_nok),
        ):
            cell = f.loc[(f["job_group"] == row.row) & (f["gender"] == g), "annual_pay"]
            assert len(cell) == n, (row.row, g)
            if n:
                # docs/schemas.md: the cell mean hits the published mean within 1 kr
                assert abs(cell.mean() - mean) < 1, (row.row, g)
    assert set(f["job_group"]) == set(published_cells(year)["row"])


@pytest.mark.parametrize("year", HR_YEARS)
def test_hr_sick_leave_rates(hr: dict[int, SynthResult], year: int):
    f = hr[year].frame
    for g in GENDERS:
        m = f["gender"] == g
        agreed = f.loc[m, "agreed_workdays"].sum()
        certified = f.loc[m, "sick_days_certified"].sum() / agreed * 100
        # docs/schemas.md promises the published rate within 0,01 percentage points
        assert abs(certified - sick_rate(year, g, "legemeldt")) < SICK_TOL_PP
        total = (f.loc[m, "sick_days_certified"] + f.loc[m, "sick_days_self"]).sum() / agreed * 100
        published_total = sick_rate(year, g, "totalt")
        if published_total is not None:
            assert abs(total - published_total) < SICK_TOL_PP
        assert total > certified  # self-certified absence is there in every year
    # heavy tail: most persons few days, a small group holds most of the certified days
    days = np.sort(f["sick_days_certified"].to_numpy())[::-1]
    assert (days == 0).mean() > 0.4
    assert days[: max(1, len(days) // 10)].sum() > 0.5 * days.sum()


@pytest.mark.parametrize("year", HR_YEARS)
def test_hr_temporary_part_time_and_parental_leave(hr: dict[int, SynthResult], year: int):
    f = hr[year].frame
    sub = pay_cells(published("pay_by_job_group"), rows=("midlertidig", "deltid"))
    for row in sub.loc[sub["year"] == year].itertuples():
        column = "temporary" if row.row == "midlertidig" else "part_time"
        counts = f.loc[f[column]].groupby("gender").size().to_dict()
        assert counts.get("K", 0) == row.n_women and counts.get("M", 0) == row.n_men, column
    assert (f.loc[f["part_time"], "fte"] < 1).all() and (f.loc[~f["part_time"], "fte"] == 1).all()
    pl = published("parental_leave")
    row = pl.loc[pl["year"] == year].iloc[0]
    for g, share, mean in (
        ("K", row.share_women_pct, row.mean_weeks_women),
        ("M", row.share_men_pct, row.mean_weeks_men),
    ):
        weeks = f.loc[(f["gender"] == g) & (f["parental_leave_weeks"] > 0), "parental_leave_weeks"]
        assert len(weeks) == round(share * row.n_total / 100)
        assert abs(weeks.mean() - mean) <= 0.05


@pytest.mark.parametrize("year", HR_YEARS)
def test_hr_is_plausible(hr: dict[int, SynthResult], year: int):
    f = hr[year].frame
    assert f.columns.tolist() == [c for c in HR_SCHEMA.names if c != "education_level"]
    assert f["person_id"].is_unique and f["person_id"].str.startswith("SYN-HR-").all()
    assert (f["year"] == year).all()
    assert (f["tenure_years"] <= f["age"] - MIN_WORKING_AGE).all()
    assert f["age"].between(16, 69).all()
    assert (f.loc[f["job_group"] == "laerling", "age"] <= 25).all()
    assert f.loc[f["job_group"] != "laerling", "annual_pay"].between(*ANNUAL_PAY_RANGE_NOK).all()
    assert np.allclose(f["agreed_workdays"], 230 * f["fte"])
    assert (f["sick_days_certified"] + f["sick_days_self"] <= f["agreed_workdays"] + 1e-9).all()


def test_hr_pay_spread_and_returns_to_tenure(hr: dict[int, SynthResult]):
    for r in hr.values():
        cell = r.frame.loc[(r.frame["job_group"] == "saksbehandler") & (r.frame["gender"] == "K")]
        cv = cell["annual_pay"].std() / cell["annual_pay"].mean()
        assert 0.05 < cv < 0.15
        assert np.corrcoef(cell["tenure_years"], np.log(cell["annual_pay"]))[0, 1] > 0.3


@pytest.mark.parametrize(
    "year,expected", [(2026, max(HR_YEARS)), (2020, min(HR_YEARS)), (2014, min(HR_YEARS))]
)
def test_hr_fallback_to_nearest_year(year: int, expected: int):
    r = synth_hr(year, SEED)
    assert (r.year, r.calibration_year, r.fallback) == (year, expected, True)
    assert f"Ingen publiserte lønnstall for {year}; kalibrert mot {expected}." in r.note
    assert (r.frame["year"] == year).all()
    cells = published_cells(expected)
    assert len(r.frame) == int((cells["n_men"] + cells["n_women"]).sum())


def test_hr_fallback_uses_sick_leave_of_the_year_itself():
    """2014: no pay table, but published sick leave for 2014 (legemeldt by gender)."""
    r = synth_hr(2014, SEED)
    assert r.targets["sick_leave_year"] == 2014 and "Sykefraværet er kalibrert mot 2014" in r.note
    f = r.frame
    for g in GENDERS:
        m = f["gender"] == g
        rate = f.loc[m, "sick_days_certified"].sum() / f.loc[m, "agreed_workdays"].sum() * 100
        assert abs(rate - sick_rate(2014, g, "legemeldt")) < SICK_TOL_PP


def test_hr_self_certified_default_is_documented(hr: dict[int, SynthResult]):
    """No published total for 2023: self-certified from the nearest published split."""
    t = hr[2023].targets
    assert "2024" in t["sick_leave_self_method"]["K"]
    ratio = (sick_rate(2024, "K", "totalt") - sick_rate(2024, "K", "legemeldt")) / sick_rate(
        2024, "K", "legemeldt"
    )
    assert t["sick_leave_self_pct"]["K"] == pytest.approx(
        sick_rate(2023, "K", "legemeldt") * ratio, abs=1e-4
    )


def test_hr_is_deterministic():
    a, b, c = synth_hr(2024, 7), synth_hr(2024, 7), synth_hr(2024, 8)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert not a.frame.equals(c.frame)


# --------------------------------------------------------------------------- register


@pytest.mark.parametrize("year", REGISTER_YEARS)
def test_register_transition_rate(register: dict[int, SynthResult], year: int):
    r = register[year]
    assert (r.calibration_year, r.fallback) == (year, False)
    published_rate = float(js_value("transition_rate_pct", year)["value"])
    assert_within_one_person(r.frame, published_rate)
    assert r.targets["transition_rate_pct"] == published_rate


@pytest.mark.parametrize("year", REGISTER_YEARS)
def test_register_participants_projects_municipalities(register: dict[int, SynthResult], year: int):
    f = register[year].frame
    t = register[year].targets
    assert f["participant_id"].is_unique
    assert len(f) == t["participants"]
    part = js_value("participants", t["participants_year"])
    if not pd.isna(part["qualifier"]) and part["qualifier"] == "over":
        assert part["value"] < len(f) <= part["value"] * 1.02
    else:
        assert len(f) == part["value"]
    assert f["project_id"].nunique() == js_value("projects", t["projects_year"])["value"]
    assert (
        f["municipality"].nunique() == js_value("municipalities", t["municipalities_year"])["value"]
    )


def test_register_2024_as_published(register: dict[int, SynthResult]):
    f = register[2024].frame
    assert len(f) > js_value("participants", 2024)["value"]  # "over 1300"
    assert f["project_id"].nunique() == js_value("projects", 2024)["value"]
    assert f["municipality"].nunique() == js_value("municipalities", 2024)["value"]
    districts = f.loc[f["municipality"].str.startswith("Bydel"), "municipality"].nunique()
    assert districts == js_value("city_districts", 2024)["value"]


@pytest.mark.parametrize("year", REGISTER_YEARS)
def test_register_structure(register: dict[int, SynthResult], year: int):
    f = register[year].frame
    assert f.columns.tolist() == [c for c in JOBBSJANSEN_SCHEMA.names if c != "status_1y"]
    ended = f["end_date"].notna()
    assert (f.loc[ended, "end_date"].dt.year == year).all()
    assert (f.loc[~ended, "exit_status"].isna()).all() and f.loc[ended, "exit_status"].notna().all()
    assert (f["start_date"] <= f["end_date"].fillna(pd.Timestamp(f"{year}-12-31"))).all()
    assert 0.3 < ended.mean() < 0.7 and (~ended).sum() > 0
    assert (f["start_date"].dt.year == year - 1).any()
    utfaset = (f.loc[ended, "exit_status"] == "utfaset").mean()
    assert 0.01 <= utfaset <= 0.06
    assert f["participant_id"].str.startswith("SYN-JS-").all()


def test_register_variation_between_projects_and_target_groups(register: dict[int, SynthResult]):
    f = register[2024].frame
    exits = f.loc[f["end_date"].notna() & (f["exit_status"] != "utfaset")].assign(
        t=lambda d: d["exit_status"].isin(TRANSITION_STATUSES)
    )
    by_project = exits.groupby("project_id")["t"].mean()
    assert by_project.std() > 0.05 and by_project.max() - by_project.min() > 0.2
    by_group = exits.groupby("target_group")["t"].mean()
    assert by_group["ungdom"] > by_group["sosialhjelp"]


def test_register_status_1y_where_published():
    follow = js_value("followup_1y_rate_pct", 2021)
    r = synth_jobbsjansen(2021, SEED)
    assert "status_1y" in r.frame.columns
    ended = r.frame["end_date"].notna()
    assert r.frame.loc[~ended, "status_1y"].isna().all()
    rate = r.frame.loc[ended, "status_1y"].isin(TRANSITION_STATUSES).mean() * 100
    # one person of the ended spells, as for the transition rate
    assert abs(rate - float(follow["value"])) < min(TRANSITION_TOL_PP, 100 / ended.sum())
    assert "status_1y" not in synth_jobbsjansen(2024, SEED).frame.columns
    assert "status_1y" in synth_jobbsjansen(2024, SEED, status_1y=True).frame.columns


@pytest.mark.parametrize("year,expected", [(2020, 2024), (2030, 2024), (2018, 2013), (2014, 2013)])
def test_register_fallback_to_nearest_year(year: int, expected: int):
    r = synth_jobbsjansen(year, SEED)
    assert (r.year, r.calibration_year, r.fallback) == (year, expected, True)
    assert f"Ingen publisert overgangsrate for {year}; kalibrert mot {expected}." in r.note
    assert_within_one_person(r.frame, float(js_value("transition_rate_pct", expected)["value"]))
    assert (r.frame.loc[r.frame["end_date"].notna(), "end_date"].dt.year == year).all()


def test_register_is_deterministic():
    a, b, c = (synth_jobbsjansen(2024, 3), synth_jobbsjansen(2024, 3), synth_jobbsjansen(2024, 4))
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert not a.frame.equals(c.frame)


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    ("suffix", "dialect"),
    [("csv", "plain"), ("csv", "excel"), ("xlsx", "plain"), ("parquet", "plain")],
    ids=["csv", "excel-csv", "xlsx", "parquet"],
)
@pytest.mark.parametrize("kind", ["hr", "jobbsjansen"])
def test_round_trip_validates(tmp_path: Path, kind: str, suffix: str, dialect: str):
    """Every format the readers take comes back as the same typed frame."""
    if kind == "hr":
        result, loader = synth_hr(2024, SEED), load_hr
    else:
        result, loader = synth_jobbsjansen(2021, SEED), load_jobbsjansen
    path = write_synthetic(result, tmp_path / f"{kind}.{suffix}", csv_dialect=dialect)
    pd.testing.assert_frame_equal(loader(path), result.frame)
    meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["kind"] == kind
    assert meta["generator"] == "analysis.data.synthetic"
    assert (meta["year"], meta["seed"], meta["calibration_year"], meta["fallback"]) == (
        result.year,
        result.seed,
        result.calibration_year,
        result.fallback,
    )
    assert meta["note"] == result.note and meta["targets"] == result.targets
    assert is_synthetic(path)
    sidecar_path(path).unlink()
    assert is_synthetic(path)  # the SYN- ids say so too


def test_sidecar_name_and_plain_csv(tmp_path: Path):
    path = write_synthetic(synth_hr(2025, SEED), tmp_path / "out" / "hr_2025.csv")
    assert sidecar_path(path).name == "hr_2025.csv.meta.json"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("person_id,year,gender,job_group,annual_pay")
    with pytest.raises(ValueError, match=r"kan ikke skrive hr\.xls: .*\.csv, \.xlsx eller"):
        write_synthetic(synth_hr(2025, SEED), tmp_path / "hr.xls")
    assert not (tmp_path / "hr.xls").exists()


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_same_inputs_same_bytes(tmp_path: Path, suffix: str):
    result = synth_hr(2025, SEED)
    a = write_synthetic(result, tmp_path / "a" / f"hr.{suffix}")
    b = write_synthetic(result, tmp_path / "b" / f"hr.{suffix}")
    assert a.read_bytes() == b.read_bytes()


def test_workbook_holds_no_time_of_writing(tmp_path: Path):
    """A workbook stores when it was written (zip entries, document properties); those are
    fixed, so writing again next year gives the same bytes."""
    import datetime as dt
    import zipfile

    path = write_synthetic(synth_hr(2025, SEED), tmp_path / "hr.xlsx")
    with zipfile.ZipFile(path) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
    assert stamps == ["1980-01-01T00:00:00Z"] * 2
    assert str(dt.date.today().year) not in core


def test_real_looking_file_is_not_synthetic(tmp_path: Path):
    path = tmp_path / "hr.csv"
    frame = synth_hr(2024, SEED).frame
    frame.assign(person_id=[f"A{i}" for i in range(len(frame))]).to_csv(path, index=False)
    assert not is_synthetic(path)
    sidecar_path(path).write_text('{"synthetic": false}', encoding="utf-8")
    assert not is_synthetic(path)
    assert is_synthetic(frame) and not is_synthetic(frame.assign(person_id="A1"))


# --------------------------------------------------------------------------- helpers, speed


def test_helpers():
    assert nearest_year([2023, 2025], 2024) == 2025  # ties go to the later year
    assert nearest_year([2023, 2024, 2025], 2020) == 2023 and nearest_year([], 2020) is None
    assert resolve_qualifier(1300, "over") == 1310
    assert resolve_qualifier(1360, None) == 1360 and resolve_qualifier(75, "om lag") == 75
    x = rescale_capped(np.array([1.0, 1.0, 10.0]), 12.0, np.array([5.0, 5.0, 5.0]))
    assert x.sum() == pytest.approx(12.0) and (x <= 5.0).all()
    with pytest.raises(ValueError):
        rescale_capped(np.ones(2), 11.0, np.full(2, 5.0))


def test_large_frames():
    """Speed is measured by benchmarks/run.py, not here; this checks content only."""
    r = synth_hr_large(10_000, 1, n_covariates_extra=2)
    assert len(r.frame) == 10_000 and {"x_01", "x_02"} <= set(r.frame.columns)
    assert set(r.frame["job_group"]) <= set(JOB_GROUPS)
    f = r.frame
    for g in GENDERS:
        m = f["gender"] == g
        rate = f.loc[m, "sick_days_certified"].sum() / f.loc[m, "agreed_workdays"].sum() * 100
        assert abs(rate - r_targets_certified(r.calibration_year, g)) < SICK_TOL_PP


def r_targets_certified(year: int, gender: str) -> float:
    rate = sick_rate(year, gender, "legemeldt")
    assert rate is not None
    return rate
