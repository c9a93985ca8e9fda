"""The pay-gap report as a publication (issue 20): quotable numbers, structure, plain words.

* Without real person-level data, the key figures at the top level of ``lonnsgap.json`` in a
  year with a published table are the published values, read here straight from
  ``data/raw/published/pay_by_job_group.csv`` (not through the code under test); figures
  computed from synthetic data sit only under ``synthetic_illustration``; ``sources`` names
  the origin of each.
* With a real HR file, the computed figures lead and the published one is kept for comparison.
* The HTML has «Hovedfunn» before the first section, figures and tables numbered 1..n in order
  with a «Kilde:» line each, «Om statistikken» as the last section (before the provenance
  block), and none of the statistician's words before it.
"""

from __future__ import annotations

import csv
import json
import re
from html import unescape
from pathlib import Path

import pytest

from analysis.data.synthetic import synth_hr
from analysis.paths import published_dir
from analysis.paygap import report as L

PUBLISHED_YEARS = (2023, 2024, 2025)
HEADLINE_KEYS = ("women_share_of_men_pay_pct", "gap_nok", "gap_pct", "change_gap_nok")
#: words that belong in «Om statistikken» if anywhere (the issue's list)
JARGON = (
    "log-poeng",
    "felles støtte",
    "kitagawa",
    "winsoriserte",
    "min_cell",
    "none",
    "quasi-poisson",
    "offset",
    "gjenskapt av",
    "c-statistikk",
    "auc",
)

# builds each year's report (slow tier: `make test-slow`, `make test-all`)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:.*outside the common support:RuntimeWarning"),
]


def _published_totals() -> dict[int, dict[str, float]]:
    """The preferred «totalt» rows of the published CSV, read with the csv module."""
    out = {}
    path = Path(published_dir()) / "pay_by_job_group.csv"
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["row"] == "totalt" and row["preferred"].strip().lower() == "true":
                men, women = float(row["mean_pay_men_nok"]), float(row["mean_pay_women_nok"])
                out[int(row["year"])] = {
                    "women_share_of_men_pay_pct": float(row["women_share_of_men_pay_pct"]),
                    "gap_nok": men - women,
                    "gap_pct": 100 * (men - women) / men,
                }
    return out


def _expected(year: int) -> dict[str, float | None]:
    totals = _published_totals()
    exp: dict[str, float | None] = dict(totals[year])
    prev = totals.get(year - 1)
    exp["change_gap_nok"] = None if prev is None else totals[year]["gap_nok"] - prev["gap_nok"]
    return exp


def test_the_published_totals_are_the_ones_in_the_document():
    """The test's own reading of the CSV, checked by hand against the source text."""
    t = _published_totals()
    assert t[2025]["women_share_of_men_pay_pct"] == 94.58  # «805 041 761 446 94,58%»
    assert t[2025]["gap_nok"] == 805_041 - 761_446
    assert t[2024]["women_share_of_men_pay_pct"] == 95.22
    assert t[2023]["gap_nok"] == 740_766 - 705_774


def _check_quotable(kf: dict, year: int) -> None:
    exp = _expected(year)
    assert kf["data_source"] == "published" and kf["synthetic"] is True
    for key in HEADLINE_KEYS:
        if exp[key] is None:
            assert kf[key] is None, key
        else:
            assert kf[key] == pytest.approx(exp[key], abs=1e-9), key
        assert kf["sources"][key] == "published", key
    # the grouped decomposition is computed from the published job-group rows: its parts
    # sum to the gap recomputed from those rows, within a krone of the published total row
    d = kf["decomposition_grouped"]
    assert kf["sources"]["decomposition_grouped"] == "published"
    parts = ("men_outside_support", "women_outside_support", "composition", "within_groups")
    assert sum(d[k] for k in parts) == pytest.approx(d["total"], abs=1e-6)
    assert d["total"] == pytest.approx(exp["gap_nok"], abs=1.0)
    # every figure from synthetic person-level data is an illustration, nothing else is
    ill = kf["synthetic_illustration"]
    assert set(ill) == {k for k, v in kf["sources"].items() if v == "synthetic"} == {"oaxaca"}
    assert "oaxaca" not in kf
    assert set(kf["sources"]) == set(HEADLINE_KEYS) | {"decomposition_grouped", "oaxaca"}


@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_published_year_key_figures_are_the_published_values(year):
    _check_quotable(L.build(year).key_figures, year)


def test_year_without_published_table_has_only_illustrations():
    kf = L.build(2026).key_figures
    assert kf["data_source"] == "synthetic"
    assert not set(HEADLINE_KEYS) & set(kf)  # nothing quotable at the top level
    assert set(kf["synthetic_illustration"]) == set(kf["sources"])
    assert set(kf["sources"].values()) == {"synthetic"}
    # calibrated to 2025: no comparison of the 2025 table with itself
    assert kf["synthetic_illustration"]["change_gap_nok"] is None


def test_real_person_data_lead_and_published_is_kept_for_comparison(tmp_path):
    hr = synth_hr(2025, 5).frame.copy()
    hr["person_id"] = [f"P{i:04d}" for i in range(len(hr))]  # not marked synthetic
    path = tmp_path / "hr.csv"
    hr.to_csv(path, index=False)
    r = L.build(2025, hr_data=str(path))
    kf = r.key_figures
    assert kf["data_source"] == "microdata" and "synthetic_illustration" not in kf
    assert {kf["sources"][k] for k in ("women_share_of_men_pay_pct", "gap_nok", "oaxaca")} == {
        "microdata"
    }
    men = hr.loc[hr["gender"] == "M", "annual_pay"].mean()
    women = hr.loc[hr["gender"] == "K", "annual_pay"].mean()
    assert kf["women_share_of_men_pay_pct"] == pytest.approx(100 * women / men, rel=1e-9)
    assert kf["published_women_share_of_men_pay_pct"] == 94.58
    assert kf["sources"]["published_women_share_of_men_pay_pct"] == "published"


# --------------------------------------------------------------------------- built HTML


@pytest.fixture(scope="module")
def built(default_reports) -> Path:
    """The default build (tests/conftest.py, built once per session): lonnsgap for the
    published years and for 2026; read only."""
    return default_reports


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _body(out: Path, year: int) -> str:
    page = (out / str(year) / "lonnsgap.html").read_text(encoding="utf-8")
    return page[: page.index('id="proveniens"')]  # the provenance block is not the report


@pytest.mark.slow
@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_built_json_is_quotable(built, year):
    kf = json.loads((built / str(year) / "lonnsgap.json").read_text(encoding="utf-8"))
    _check_quotable(kf, year)


@pytest.mark.slow
@pytest.mark.parametrize("year", [*PUBLISHED_YEARS, 2026])
def test_publication_structure(built, year):
    body = _body(built, year)
    h2 = [(m.start(), _text(m.group(1))) for m in re.finditer(r"<h2[^>]*>(.*?)</h2>", body)]
    titles = [t for _, t in h2]
    assert titles[0] == "Hovedfunn", titles
    assert titles[-1] == "Om statistikken", titles
    assert "Hvorfor er det et lønnsgap?" not in titles
    # figures and tables numbered 1..n in order, each followed by its «Kilde:» line
    for kind in ("Figur", "Tabell"):
        found = [
            (m.start(), int(m.group(1)))
            for m in re.finditer(rf'<span class="fou-number">{kind} (\d+)\.</span>', body)
        ]
        assert [n for _, n in found] == list(range(1, len(found) + 1)), kind
        assert found, kind
        for i, (pos, n) in enumerate(found):
            nxt = found[i + 1][0] if i + 1 < len(found) else len(body)
            assert '<p class="kilde">Kilde: ' in body[pos:nxt], (kind, n)
    appendix = body.index('id="om-statistikken"')
    before = _text(body[:appendix]).lower()
    for word in JARGON:
        assert not re.search(rf"\b{re.escape(word)}\b", before), word
    assert "minket lønnsgapet med 0" not in before
    # the hidden-value note only where something is hidden
    for table in re.findall(r"<table.*?</table>.*?(?=<table|$)", body[:appendix], flags=re.S):
        if "= skjult" in _text(table):
            assert re.search(r">\s*:\s*<", table)


@pytest.mark.slow
@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_published_year_reads_as_published(built, year):
    text = _text(_body(built, year))
    exp = _expected(year)
    ratio = f"{exp['women_share_of_men_pay_pct']:.2f}".replace(".", ",") + "\u00a0%"
    assert ratio in _body(built, year)  # with the no-break space before %
    hovedfunn = text[text.index("Hovedfunn") : text.index("Lønn etter stillingsgruppe og kjønn")]
    assert ratio.replace("\u00a0", " ") in hovedfunn  # _text turns every space into " "
    assert "(publisert)" in text[: text.index("Hovedfunn")]  # the key cards say so
    assert "Kilde: IMDi, Likestillings" in text
    # synthetic figures only under an illustration panel
    assert text.count("Illustrasjon på syntetiske data") >= 2
    first_panel = text.index("Illustrasjon på syntetiske data", text.index("Hovedfunn"))
    assert text.index("Lønnsforskjeller når alder, ansiennitet og stilling") < first_panel


@pytest.mark.slow
def test_year_without_published_table_says_so(built):
    text = _text(_body(built, 2026))
    banner = text[: text.index("Hovedfunn")]
    assert "IMDi har ikke publisert lønnstall for 2026" in banner
    assert "publiserte tallene for 2025" in banner
    assert 'class="fou-keyfigures"' not in _body(built, 2026)  # no synthetic key cards
    assert "En sammenligning ville bare sammenligne tallene for 2025 med seg selv" in text
    assert "Sykefraværet" not in banner  # the sick-leave calibration note is not ours
