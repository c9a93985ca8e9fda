"""Issue 20: the Jobbsjansen report quotes published figures, and reads as a publication.

Without the real register (no ``--jobbsjansen-data``) every key card, «Hovedfunn» sentence,
index headline and top-level JSON key figure of a year with a published transition rate is
IMDi's published value; figures computed from the synthetic register appear only in
«Illustrasjon på syntetiske data» panels and under ``synthetic_illustration`` in the JSON.

The published values are read here straight from ``data/raw/published/jobbsjansen.csv`` with
the ``csv`` module, not through the code under test. Fast tests call
:func:`analysis.jobbsjansen.report.build`; the slow test runs the notebook through the
pipeline for one year and checks the HTML's structure.
"""

from __future__ import annotations

import csv
import html as htmllib
import json
import re
from pathlib import Path

import pytest

from analysis.data.synthetic import synth_jobbsjansen, write_synthetic
from analysis.jobbsjansen import report as J
from analysis.jobbsjansen import tables, texts
from analysis.paths import published_dir

# builds each year's report (slow tier: `make test-slow`, `make test-all`)
pytestmark = pytest.mark.slow

CSV = published_dir() / "jobbsjansen.csv"
BANNED = (
    "quasi-Poisson",
    "offset",
    "AUC",
    "c-statistikk",
    "winsoriserte",
    "log-poeng",
    "felles støtte",
    "Kitagawa",
    "min_cell",
    "None",
    "gjenskapt av",
    "Sitat fra kilden",
)
META = {"year", "data_source", "person_data_source", "synthetic", "sources"}


def _published_rates() -> dict[int, float]:
    """Published transition rates (per cent) by year, read from the CSV by hand."""
    out: dict[int, float] = {}
    with CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if (
                row["indicator"] == "transition_rate_pct"
                and row["group"] == "alle"
                and row["preferred"] == "true"
                and row["period"] == row["year"]
            ):
                out[int(row["year"])] = float(row["value"])
    return out


PUBLISHED = _published_rates()

#: the JSON key of each key-card figure → its indicator in the CSV
CARD_KEYS = {
    "published_projects": "projects",
    "published_municipalities": "municipalities",
    "published_city_districts": "city_districts",
    "published_budget_mnok": "budget_mnok",
    "published_participants": "participants",
}


def _published_cards(year: int) -> dict[str, object]:
    """The key-card figures of ``year`` as the JSON must hold them, read from the CSV by hand
    (preferred rows for all, published for the year itself; null where not published)."""
    rows = {}
    with CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["group"] == "alle" and row["preferred"] == "true" and row["period"] == str(year):
                rows[row["indicator"]] = row
    out: dict[str, object] = {}
    for key, indicator in CARD_KEYS.items():
        row = rows.get(indicator)
        value = None if row is None else float(row["value"])
        out[key] = value if indicator == "budget_mnok" or value is None else int(value)
    part = rows.get("participants")
    out["published_participants_qualifier"] = (part["qualifier"] or None) if part else None
    out["published_participants_group"] = (
        None
        if part is None
        else "innvandrerkvinner"
        if "innvandrarkvinner" in part["source_quote"]
        else "alle"
    )
    return out


def test_the_csv_has_the_published_years():
    # the annual report 2014 (2012 Ny sjanse, 2013) and the likestillingsutgreiing 2024
    assert PUBLISHED == {2012: 52.0, 2013: 60.0, 2024: 72.0}


@pytest.fixture(scope="module")
def reports() -> dict[int, J.JobbsjansenReport]:
    return {y: J.build(y) for y in [*sorted(PUBLISHED), 2026]}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_top_level_key_figures_are_the_published_values(reports, year):
    kf = reports[year].json_key_figures
    figures = {k: v for k, v in kf.items() if k not in META and k != "synthetic_illustration"}
    assert figures == {
        "transition_rate": PUBLISHED[year] / 100,
        "published_transition_rate_pct": PUBLISHED[year],
        **_published_cards(year),
    }
    assert all(kf["sources"][k] == "published" for k in _published_cards(year))
    assert kf["data_source"] == "published" and kf["person_data_source"] == "synthetic"
    assert kf["sources"]["transition_rate"] == "published"
    assert kf["sources"]["published_transition_rate_pct"] == "published"
    ill = kf["synthetic_illustration"]
    assert {"n_completed", "register_transition_rate", "funnel", "by_target_group"} <= set(ill)
    assert all(kf["sources"][k] == "synthetic" for k in ill)
    assert set(kf["sources"]) == set(figures) | set(ill)


def test_key_card_figures_are_in_the_json_as_published(reports):
    """Every figure on a key card is a top-level published JSON figure equal to the CSV."""
    r = reports[2024]
    kf = r.json_key_figures
    assert {k: kf[k] for k in CARD_KEYS} == {
        "published_projects": 39,
        "published_municipalities": 38,
        "published_city_districts": 9,
        "published_budget_mnok": 130.6,
        "published_participants": 1300,
    }
    assert kf["published_participants_qualifier"] == "over"
    assert kf["published_participants_group"] == "innvandrerkvinner"
    cards = dict((label, value) for label, value in texts.key_cards(r))
    shown = " ".join(cards.values()).replace("\u202f", " ")
    for key in ("published_projects", "published_municipalities"):
        assert str(kf[key]) in shown
    assert "130,6" in shown and "Over 1 300" in shown
    # a year without them: the keys are there, null
    kf12 = reports[2012].json_key_figures
    assert all(kf12[k] is None for k in CARD_KEYS)
    assert all(kf12["sources"][k] == "published" for k in CARD_KEYS)


def test_year_without_published_rate_has_no_quotable_rate(reports):
    kf = reports[2026].json_key_figures
    assert "transition_rate" not in kf
    assert kf["published_transition_rate_pct"] is None
    assert kf["sources"]["published_transition_rate_pct"] == "published"
    assert "register_transition_rate" in kf["synthetic_illustration"]
    assert texts.key_cards(reports[2026]) == []
    note = texts.banner_note(reports[2026])
    assert "ikke publisert" in note and "2024" in note


def test_real_register_leads_with_computed_figures(tmp_path):
    src = write_synthetic(synth_jobbsjansen(2024, 7), tmp_path / "synthetic.csv")
    # without the sidecar and the SYN- ids the same rows are read as real person-level data
    path = tmp_path / "register.csv"
    path.write_text(src.read_text(encoding="utf-8").replace("SYN-", "X-"), encoding="utf-8")
    r = J.build(2024, jobbsjansen_data=str(path))
    assert not r.synthetic and r.person.data_source == "microdata"
    kf = r.json_key_figures
    assert "synthetic_illustration" not in kf
    assert kf["transition_rate"] == pytest.approx(r.total["transition_rate"])
    assert kf["sources"]["transition_rate"] == "microdata"
    assert kf["published_transition_rate_pct"] == PUBLISHED[2024]
    cards = texts.key_cards(r)
    assert cards[0][1] == texts.fmt_share(r.total["transition_rate"])
    assert any("publisert" in label for label, _ in cards)


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_cards_and_hovedfunn_quote_only_published_figures(reports, year):
    r = reports[year]
    cards = texts.key_cards(r)
    pct = f"{PUBLISHED[year]:.0f}\u00a0%"
    assert cards[0][1] == pct and "publisert" in cards[0][0]
    synthetic_rate = texts.fmt_share(r.total["transition_rate"])
    points = texts.hovedfunn(r)
    assert 3 <= len(points) <= 5
    assert pct in points[0]
    for text in [v for _, v in cards] + points:
        assert synthetic_rate not in text
        assert str(int(r.total["n_completed"])) not in text.replace("\u202f", "")
    # «kan siteres» is said once, in the header's «Datagrunnlag»; no Hovedfunn bullet repeats
    # the banner
    assert not any("siteres" in p for p in points)
    assert texts.data_basis(r).count("kan siteres") == 1
    assert texts.banner_note(r) is None  # calibrated to its own year: said under «Kilder»


def test_signed_change_in_words(reports):
    points = texts.hovedfunn(reports[2013])
    assert any("økte med 8\u00a0prosentpoeng fra 2012" in p for p in points)
    assert not any("\u2212" in p or "+8" in p for p in points)


def test_no_cost_per_transition_from_synthetic_counts(reports):
    r = reports[2024]
    html = tables.html_cost_table(r.cost, synthetic=True)
    assert "Per overgang" not in html
    # 130,6 mill. kr / «over 1300» = 100 461,5 kr: rounded as a reader would
    assert "høyst ca. 100\u202f000\u00a0kr" in html and "100\u202f462" not in html
    # 87 mill. kr / 1 360 = 63 970,6 kr
    assert "ca. 64\u202f000\u00a0kr" in html
    real = tables.html_cost_table(r.cost, synthetic=False)
    per = 130.6e6 / r.cost.loc[r.cost["year"] == 2024, "n_transition"].iloc[0]
    assert f"ca. {round(per, -3):,.0f}".replace(",", "\u202f") in real


def test_published_table_has_no_ocr_quotes(reports):
    html = tables.html_published_table(reports[2012].published_year, year=2012)
    assert "Resultater foreligger" not in html and "Sitat" not in html
    src = texts.published_source(reports[2012].published_year)
    assert src == (
        "IMDi, Årsrapport 2014, tabellen under «III. Resultatkrav i tildelingsbrevet», "
        "Delmål 3, raden S 3.1"
    )


def test_expected_outliers_in_whole_numbers():
    assert "omtrent 2 av 39 prosjekter" in texts.chance_text(39)
    assert "omtrent ett av 20 prosjekter" in texts.chance_text(20)
    assert "sjelden noen av 8 prosjekter" in texts.chance_text(8)


def test_suppression_note_only_where_something_is_hidden(reports):
    r = reports[2024]
    out = tables.html_outcomes_table(r.outcomes, year=r.year, synthetic=True, min_cell=5)
    assert (": = skjult" in out) == bool(r.outcomes["suppressed"].any())
    strict = J.build(2024, min_cell=40)
    grp = tables.html_group_table(strict.rates, "age_band", year=2024, synthetic=True, min_cell=40)
    assert ": = skjult" in grp


# --------------------------------------------------------------------------- the HTML


def _text(fragment: str) -> str:
    """Visible text: tags out, runs of ordinary white space as one space (no-break spaces
    kept)."""
    return re.sub(r"[ \t\r\n]+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)))


@pytest.fixture(scope="module")
def built(default_reports) -> Path:
    """The default build (tests/conftest.py, built once per session): jobbsjansen 2024 and
    the index; read only."""
    return default_reports


@pytest.mark.slow
def test_json_and_index_quote_the_published_rate(built):
    kf = json.loads((built / "2024" / "jobbsjansen.json").read_text(encoding="utf-8"))
    assert kf["transition_rate"] == PUBLISHED[2024] / 100
    assert kf["published_transition_rate_pct"] == PUBLISHED[2024]
    assert kf["sources"]["transition_rate"] == "published"
    assert all(kf["sources"][k] == "synthetic" for k in kf["synthetic_illustration"])
    index = _text((built / "index.html").read_text(encoding="utf-8"))
    # the headline is the published 72 %, built from published figures (never the synthetic
    # 72,0 %)
    assert "72\u00a0%" in index and "publiserte tall" in index and "72,0" not in index


@pytest.mark.slow
def test_html_reads_as_a_publication(built):
    page = (built / "2024" / "jobbsjansen.html").read_text(encoding="utf-8")
    # the report ends where the build record (the provenance block, a section of its own
    # laid out by the shared template) begins
    end = re.search(r'<section[^>]*class="fou-provenance"', page)
    assert end is not None
    body = page[page.index("<h1") : end.start()]
    h2 = [(m.start(), _text(m.group(1)).strip()) for m in re.finditer(r"<h2[^>]*>(.*?)</h2>", body)]
    # «Hovedfunn» first, «Om statistikken» last
    assert h2[0][1] == "Hovedfunn" and h2[-1][1] == "Om statistikken"
    appendix = h2[-1][0]
    # figures and tables numbered in order, each with its «Kilde:» before the next one
    caps = [
        (m.start(), m.group(1), int(m.group(2)))
        for m in re.finditer(r'<span class="fou-number">(Figur|Tabell) (\d+)\.</span>', body)
    ]
    for kind in ("Figur", "Tabell"):
        nums = [n for _, k, n in caps if k == kind]
        assert nums == list(range(1, len(nums) + 1)), (kind, nums)
    assert len([c for c in caps if c[1] == "Figur"]) >= 5
    starts = [c[0] for c in caps] + [len(body)]
    for (pos, kind, n), nxt in zip(caps, starts[1:], strict=True):
        assert '<p class="kilde">Kilde: ' in body[pos:nxt], (kind, n)
    # no jargon before the appendix
    front = _text(body[:appendix])
    for word in BANNED:
        assert not re.search(rf"\b{re.escape(word)}\b", front), word
    # every section computed from the synthetic register opens with the illustration panel
    sections = [body[a:b] for (a, _), (b, _) in zip(h2, h2[1:], strict=False)]
    for sec in sections:
        if "syntetiske registerdata (illustrasjon, ikke IMDi-tall)" in sec:
            panel = sec.find('class="fou-illustration"')
            first = min(
                i
                for i in (sec.find("<table"), sec.find("<img"), sec.find('class="fou-figure'))
                if i >= 0
            )
            assert 0 <= panel < first, _text(sec)[:80]
    # the key cards show published figures only
    cards = _text(body[body.index('class="fou-keyfigures"') : body.index("Hovedfunn")])
    assert "72\u00a0%" in cards and "71,9" not in cards and "635" not in cards
