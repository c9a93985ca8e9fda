"""The pay-gap report's contents (computed without Jupyter)."""

from __future__ import annotations

import pytest

from analysis.data.published import load_published
from analysis.data.synthetic import synth_hr, write_synthetic
from analysis.paygap import report as L
from analysis.paygap import tables, texts

# the top level of a published year without real person-level data: published figures only;
# the Oaxaca–Blinder results (synthetic) sit under synthetic_illustration
KEYS = {
    "year",
    "data_source",
    "women_share_of_men_pay_pct",
    "gap_nok",
    "gap_pct",
    "decomposition_grouped",
    "person_data_source",
    "synthetic",
    "compare_year",
    "change_gap_nok",
    "sources",
    "synthetic_illustration",
}
PARTS = {"total", "men_outside_support", "women_outside_support", "composition", "within_groups"}
OAXACA_KEYS = {
    "reference",
    "covariates",
    "n_men",
    "n_women",
    "total",
    "explained",
    "unexplained",
    "se_explained",
    "se_unexplained",
}


# The one warning these builds are meant to raise (job groups with one gender fall outside the
# Oaxaca–Blinder common support) is ignored; any other RuntimeWarning (numpy's divide/invalid,
# a singular design) fails the test instead of hiding behind the same filter.
def INTENDED_WARNINGS_ONLY(f):
    f = pytest.mark.filterwarnings("error::RuntimeWarning")(f)
    return pytest.mark.filterwarnings("ignore:.*utenfor felles støtte:RuntimeWarning")(f)


def _html(r: L.PayGapReport) -> str:
    parts = [
        tables.html_measures_table(
            r.measures, year=r.year, synthetic=r.person.synthetic, min_cell=r.min_cell
        ),
        tables.html_nopo_table(
            [r.nopo, *r.nopo_alternatives.values()], year=r.year, min_cell=r.min_cell
        ),
        tables.html_oaxaca_table(r.oaxaca, year=r.year, note=r.oaxaca_note),
        tables.html_eu_table(r.eu_categories, year=r.year),
        tables.html_quartiles_table(r.eu.quartiles, year=r.year),
        texts.change_text(r),
    ]
    if r.published_table is not None:
        parts.append(tables.html_published_table(r.published_table))
    if r.change is not None:
        parts.append(tables.html_change_table(r.change))
    return "".join(parts)


@INTENDED_WARNINGS_ONLY
@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_published_years(year):
    r = L.build(year)
    kf = r.key_figures
    assert set(kf) == KEYS and set(kf["decomposition_grouped"]) == PARTS
    assert kf["data_source"] == "published" and kf["synthetic"] is True
    ox = kf["synthetic_illustration"]["oaxaca"]
    assert [o["reference"] for o in ox] == ["male", "female", "pooled"]
    assert all(set(o) == OAXACA_KEYS for o in ox)
    pay = load_published("pay_by_job_group", preferred_only=True)
    total = pay.loc[(pay["year"] == year) & (pay["row"] == "totalt")].iloc[0]
    # the headline is the published ratio; the job-group rows reproduce it
    assert kf["women_share_of_men_pay_pct"] == total["women_share_of_men_pay_pct"]
    assert round(r.overall.women_share_of_men_pay_pct, 2) == pytest.approx(
        total["women_share_of_men_pay_pct"], abs=0.011
    )
    d = kf["decomposition_grouped"]
    assert sum(d[k] for k in PARTS - {"total"}) == pytest.approx(d["total"], abs=1e-6)
    # the parts rest on the job-group rows, the headline gap on the «Totalt» row (rounded)
    assert d["total"] == pytest.approx(kf["gap_nok"], abs=1.0)
    html = _html(r)
    for pid in r.person.frame["person_id"]:
        assert pid not in html


@INTENDED_WARNINGS_ONLY
def test_2025_reproduces_94_58_and_change_from_2024():
    r = L.build(2025)
    assert f"{r.key_figures['women_share_of_men_pay_pct']:.2f}" == "94.58"
    assert r.change is not None and r.change.year0 == 2024
    assert r.change.composition + r.change.within_groups == pytest.approx(r.change.change)
    # the quotable change is that of the published «Totalt» rows: 43 595 − 35 549
    assert r.key_figures["change_gap_nok"] == 8046
    assert r.change.gap1 - r.change.gap0 == pytest.approx(8046, abs=1.0)


@INTENDED_WARNINGS_ONLY
def test_year_without_published_table_uses_person_level_data(tmp_path):
    path = tmp_path / "hr.csv"
    write_synthetic(synth_hr(2026, 3), path)
    r = L.build(2026, hr_data=str(path))
    assert r.published_table is None and r.cells_source == "synthetic"
    assert r.key_figures["data_source"] == "synthetic"
    assert "gap_nok" not in r.key_figures  # synthetic: an illustration, not a key figure
    assert r.key_figures["sources"]["gap_nok"] == "synthetic"
    # change since 2025 falls back to the published 2025 table
    assert r.change is not None and r.change_source == "published/synthetic"
    html = _html(r)
    assert "SYN-HR-" not in html


@INTENDED_WARNINGS_ONLY
def test_small_groups_are_suppressed():
    r = L.build(2025, min_cell=5)
    m = r.measures.set_index("group")
    assert m.loc["toppleder", "suppressed"]  # 2 men
    assert m["mean_men"].isna()[m["suppressed"]].all()
    assert not m.loc["saksbehandler", "suppressed"]
    html = tables.html_measures_table(
        r.measures, year=r.year, synthetic=r.person.synthetic, min_cell=r.min_cell
    )
    assert html.count(">:</td>") >= 3


@INTENDED_WARNINGS_ONLY
def test_change_words_no_change_and_same_source():
    """«uendret» when an amount rounds to nothing; no comparison of a table with itself."""
    import dataclasses

    r = L.build(2025)
    c = dataclasses.replace(r.change, change=0.3, composition=0.2, within_groups=0.1)
    same = dataclasses.replace(
        r,
        change=c,
        change_source="microdata",
        published_previous=None,
    )
    c = dataclasses.replace(c, ratio_change_pp=0.001)
    text = texts.change_text(dataclasses.replace(same, change=c))
    assert "lønnsgapet var uendret" in text and "med 0" not in text
    assert "kvinners lønn i prosent av menns uendret" in text
    assert "endret ikke gapet" in text
    r26 = L.build(2026)  # synthetic, calibrated to 2025
    assert r26.change is None and r26.change_note is not None
    assert "med seg selv" in texts.change_text(r26)
    assert "Ingen publiserte lønnstall" not in (texts.banner_note(r26) or "")
    assert "IMDi har ikke publisert lønnstall for 2026" in texts.banner_note(r26)


@INTENDED_WARNINGS_ONLY
def test_falling_share_is_written_as_words():
    text = texts.change_text(L.build(2025))
    assert "falt kvinners lønn i prosent av menns med 0,64\u00a0prosentpoeng" in text
    assert "lønnsgapet økte med 8\u202f046\u00a0kr" in text
    assert "\u2212" not in text  # no signed numbers in sentences
