"""Reconciliation findings on the published tables, pinned against hand calculations."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.published import load_all_published, load_catalogue
from analysis.data.quality import (
    FINDING_COLUMNS,
    Finding,
    check_pay_ratios,
    check_sick_leave_totals,
    findings_frame,
    quality_findings,
)

D0, D1 = "000_d1bd28d31f4191f0.txt", "001_8a3baf08903e064b.txt"


@pytest.fixture(scope="module")
def findings() -> pd.DataFrame:
    tables = load_all_published()
    keys = {n: e.key for n, e in load_catalogue().items()}
    return quality_findings(tables, keys)


def get(f: pd.DataFrame, **where) -> pd.Series:
    sel = f
    for k, v in where.items():
        sel = sel.loc[sel[k] == v]
    assert len(sel) == 1, where
    return sel.iloc[0]


def test_columns(findings):
    assert list(findings.columns) == FINDING_COLUMNS
    assert set(findings["status"]) <= {"ok", "avvik", "info"}


def test_one_finding_type_and_its_frame():
    assert FINDING_COLUMNS == [
        "check",
        "table",
        "year",
        "source_document",
        "subject",
        "published",
        "recomputed",
        "difference",
        "tolerance",
        "status",
        "detail",
    ]
    a = Finding("c", "t", 2025, "d", "s", 7.3, 6.31, 0.005, "avvik", "x")
    b = Finding("c", "t", None, "d", "s", 7.3, float("nan"), float("nan"), "info", "y")
    assert a.difference == pytest.approx(7.3 - 6.31) and pd.isna(b.difference)
    f = findings_frame([a, b])
    assert list(f.columns) == FINDING_COLUMNS
    assert str(f["year"].dtype) == "Int64" and pd.isna(f["year"].iloc[1])
    assert f["difference"].iloc[0] == pytest.approx(0.99) and pd.isna(f["difference"].iloc[1])
    assert findings_frame([]).empty and list(findings_frame([]).columns) == FINDING_COLUMNS
    with pytest.raises(ValueError, match="ukjent status 'fine'; bruk en av ok, avvik, info"):
        Finding("c", "t", 2025, "d", "s", 1.0, 1.0, 0.0, "fine", "z")


def test_total_2025_reconciles_exactly_with_all_job_groups(findings):
    # men: 2 top leaders, 8 middle managers, 12 alternative career, 68 case officers (by hand)
    men = (2 * 1314695 + 8 * 1038427 + 12 * 892725 + 68 * 747121) / 90
    women = (6 * 1322375 + 7 * 1048593 + 15 * 825541 + 160 * 724474 + 2 * 550674) / 190
    r = get(findings, check="pay_total", year=2025, subject="mean_pay_men_nok")
    assert r.status == "ok" and r.recomputed == pytest.approx(men, abs=1e-6)
    r = get(findings, check="pay_total", year=2025, subject="mean_pay_women_nok")
    assert r.status == "ok" and r.recomputed == pytest.approx(women, abs=1e-6)
    # the women's share of men's pay that the code recomputes for "Totalt" equals the share
    # of the hand-weighted means above (and rounds to the published 94,58)
    share = get(findings, check="pay_ratio", year=2025, subject="totalt")
    assert share.status == "ok" and share.published == 94.58
    assert share.recomputed == pytest.approx(100 * women / men, abs=5e-4)
    assert get(findings, check="pay_total", year=2025, subject="n_total").status == "ok"


@pytest.mark.parametrize("year,doc,n_all", [(2023, D1, 268), (2024, D1, 285), (2024, D0, 285)])
def test_totals_2023_2024_exclude_apprentices_from_n_but_not_from_means(findings, year, doc, n_all):
    n = get(findings, check="pay_total", year=year, source_document=doc, subject="n_total")
    assert n.status == "avvik" and n.published == n_all - 2
    assert "uten lærlinger" in n.detail and str(n_all) in n.detail
    for subject in ("mean_pay_men_nok", "mean_pay_women_nok"):
        m = get(findings, check="pay_total", year=year, source_document=doc, subject=subject)
        assert m.status == "ok" and "alle stillingsgrupper" in m.detail
    # by hand, 2023 men incl. the apprentice: (3*1238300 + 6*992987 + 11*855846 + 69*691746
    # + 1*466600 + 1*125550) / 91
    if year == 2023:
        men = (3 * 1238300 + 6 * 992987 + 11 * 855846 + 69 * 691746 + 466600 + 125550) / 91
        m = get(findings, check="pay_total", year=2023, subject="mean_pay_men_nok")
        assert m.recomputed == pytest.approx(men)


def test_ratio_findings(findings):
    bad = findings.loc[(findings["check"] == "pay_ratio") & (findings["status"] != "ok")]
    assert bad[["year", "source_document", "subject"]].values.tolist() == [[2024, D0, "toppleder"]]
    r = bad.iloc[0]
    assert r.published == 99.725 and r.recomputed == pytest.approx(1237606 / 1241039 * 100)
    n_checked = (findings["check"] == "pay_ratio").sum()
    # 44 rows less 4 consultant rows (one gender absent) less the empty apprentice row 2025
    assert n_checked == 39


def test_sick_leave_totals(findings):
    r = get(findings, check="sick_leave_total", year=2025, subject="legemeldt")
    assert r.status == "avvik"
    assert r.recomputed == pytest.approx(0.6786 * 7.72 + 0.3214 * 3.33)
    implied = (7.30 - 3.33) / (7.72 - 3.33)
    assert f"{100 * implied:.1f}".replace(".", ",") in r.detail  # 90,4 %
    r = get(findings, check="sick_leave_total", year=2024, subject="totalt")
    assert r.recomputed == pytest.approx(0.682 * 8.7 + 0.318 * 4.9)
    assert r.status == "avvik"
    # 2014: gender rates 6.6 / 4.0 and no published certified total: nothing to reconcile
    assert findings.loc[
        (findings["check"] == "sick_leave_total") & (findings["year"] == 2014)
    ].empty


def test_sick_leave_total_outside_gender_rates_is_flagged():
    sick = pd.DataFrame(
        {
            "year": [2030] * 3,
            "gender": ["K", "M", "alle"],
            "kind": ["legemeldt"] * 3,
            "rate_pct": [6.0, 4.0, 7.5],
            "source_document": ["x"] * 3,
        }
    )
    f = check_sick_leave_totals(sick)
    assert "sick_leave_between" in set(f["check"])
    assert get(f, check="sick_leave_total").status == "info"  # no headcount share to weight by


def test_parental_leave(findings):
    r = get(findings, check="parental_leave_weeks", year=2023)
    assert r.status == "avvik" and r.recomputed == pytest.approx(0.226 * 5.90 + 0.774 * 13.40)
    for y in (2024, 2025):
        assert get(findings, check="parental_leave_weeks", year=y).status == "ok"


def test_repeated_publications(findings):
    rep = findings.loc[findings["check"] == "repeated_publication"]
    pay = rep.loc[rep["table"] == "pay_by_job_group"]
    # 2024 is printed in both reports; they agree up to rounding (99,725 vs 99,72 included)
    assert pay.empty
    # the SSB follow-up 77 % vs the headline's "tre av fire" is approximate, not an error
    j = rep.loc[(rep["table"] == "jobbsjansen")]
    assert set(j["status"]) == {"info"}


def test_check_pay_ratios_on_hand_made_rows():
    pay = pd.DataFrame(
        {
            "year": [2030, 2030],
            "row": ["a", "b"],
            "source_document": ["x", "x"],
            "mean_pay_men_nok": [1000.0, 1000.0],
            "mean_pay_women_nok": [900.0, 900.0],
            "women_share_of_men_pay_pct": [90.0, 90.2],
        }
    )
    f = check_pay_ratios(pay)
    assert f["status"].tolist() == ["ok", "avvik"]
