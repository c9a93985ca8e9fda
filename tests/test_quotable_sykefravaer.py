"""The sick-leave report's quotable numbers and publication structure (issue 20).

Without real person-level data, every key card, "Hovedfunn" sentence, index headline and
top-level JSON key figure of a year with published figures is the published value; figures
computed from synthetic data appear only under «Illustrasjon på syntetiske data» and in JSON
only under ``synthetic_illustration``. The published values are read here straight from
``data/raw/published/sick_leave.csv`` with the csv module, not through the code under test.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.data.synthetic import synth_hr, write_synthetic
from analysis.paths import published_dir
from analysis.sickleave import report as SF

# builds each year's report (slow tier: `make test-slow`, `make test-all`)
pytestmark = pytest.mark.slow

PUBLISHED_YEARS = (2013, 2014, 2023, 2024, 2025)
RATE_KEYS = {
    "totalt": "rate_total_pct",
    "legemeldt": "rate_certified_pct",
    "egenmeldt": "rate_self_pct",
}
GENDER_KEYS = {"totalt": "total_pct", "legemeldt": "certified_pct", "egenmeldt": "self_pct"}
COMPUTED_KEYS = {
    "rate_total_pct",
    "rate_certified_pct",
    "rate_self_pct",
    "by_gender",
    "rate_ratio_women_vs_men",
    "adjusted_rate_ratio",
}
META = {"year", "data_source", "person_data_source", "synthetic"}
#: words a ministry reader should not meet before «Om statistikken»
JARGON = (
    "quasi-poisson",
    "offset",
    "min_cell",
    "none",
    "auc",
    "c-statistikk",
    "winsoriser",
    "log-poeng",
    "felles støtte",
    "kitagawa",
    "nan",
    "gini",
    "gini-koeffisienten",
    "lorenzkurve",
    "regresjonsmodell",
)
NBSP = "\u00a0"


def published_rates() -> dict[tuple[int, str, str], float]:
    """(year, gender, kind) → the preferred published rate, read with the csv module."""
    out = {}
    with (published_dir() / "sick_leave.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["preferred"].strip().lower() == "true":
                out[(int(row["year"]), row["gender"], row["kind"])] = float(row["rate_pct"])
    return out


PUBLISHED = published_rates()


@pytest.fixture(scope="module")
def reports() -> dict[int, SF.SickLeaveReport]:
    return {y: SF.build(y) for y in (*PUBLISHED_YEARS, 2026)}


# --------------------------------------------------------------------------- JSON key figures


@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_top_level_key_figures_are_the_published_values(reports, year):
    kf = reports[year].key_figures
    pub = {(g, k): v for (y, g, k), v in PUBLISHED.items() if y == year}
    assert kf["data_source"] == "published" and kf["person_data_source"] == "synthetic"
    illustration = kf.get("synthetic_illustration", {})
    for kind, key in RATE_KEYS.items():
        if ("alle", kind) in pub:
            assert kf[key] == pytest.approx(pub[("alle", kind)], abs=1e-9), key
            assert kf["sources"][key] == "published"
            assert key not in illustration
        else:  # not published: never at the top level, only as an illustration
            assert key not in kf, key
            assert kf["sources"][key] == "synthetic" and key in illustration
    assert kf["sources"]["by_gender"] == "published"
    for g in ("K", "M"):
        for kind, key in GENDER_KEYS.items():
            expected = pub.get((g, kind))
            got = kf["by_gender"][g][key]
            assert (got is None) if expected is None else got == pytest.approx(expected), (g, key)
    assert kf["published_certified_pct"] == {
        g: pub.get((g, "legemeldt")) for g in ("K", "M", "alle")
    }


@pytest.mark.parametrize("year", (*PUBLISHED_YEARS, 2026))
def test_sources_name_every_figure_and_synthetic_ones_are_only_illustrations(reports, year):
    kf = reports[year].key_figures
    illustration = kf.get("synthetic_illustration", {})
    top = set(kf) - META - {"sources", "synthetic_illustration"}
    assert set(kf["sources"]) == top | set(illustration)
    assert top | set(illustration) == COMPUTED_KEYS | {
        "published_certified_pct",
        "published_totals_not_fitting",
    }
    assert not top & set(illustration)
    assert {kf["sources"][k] for k in illustration} == {"synthetic"}
    assert "synthetic" not in {kf["sources"][k] for k in top}
    # the rate ratios come from person-level data only: with synthetic data, illustrations
    assert {"rate_ratio_women_vs_men", "adjusted_rate_ratio"} <= set(illustration)


def test_a_year_without_published_figures_quotes_nothing_synthetic(reports):
    r = reports[2026]
    kf = r.key_figures
    assert kf["data_source"] == "synthetic"
    assert set(kf) - META - {"sources", "synthetic_illustration"} == {
        "published_certified_pct",
        "published_totals_not_fitting",
    }
    assert kf["published_certified_pct"] is None
    assert kf["published_totals_not_fitting"] == []
    assert SF.key_cards(r) == []


def test_real_person_data_lead_and_published_stay_for_comparison(tmp_path):
    src = write_synthetic(synth_hr(2025, 1), tmp_path / "syn.csv")
    path = tmp_path / "hr_export.csv"
    path.write_text(src.read_text(encoding="utf-8").replace("SYN-HR-", "HR-"), encoding="utf-8")
    r = SF.build(2025, hr_data=str(path))
    kf = r.key_figures
    assert kf["data_source"] == "microdata" and "synthetic_illustration" not in kf
    assert {kf["sources"][k] for k in COMPUTED_KEYS} == {"microdata"}
    assert kf["sources"]["published_certified_pct"] == "published"
    assert kf["rate_certified_pct"] == pytest.approx(r.rate("alle")["rate_pct"], abs=1e-5)
    assert kf["published_certified_pct"]["alle"] == PUBLISHED[(2025, "alle", "legemeldt")]
    cards = dict(SF.key_cards(r))
    assert (
        cards["Legemeldt sykefravær, alle ansatte"]
        == f"{r.rate('alle')['rate_pct']:.2f}".replace(".", ",") + f"{NBSP}%"
    )
    assert not r.illustrative


# ------------------------------------------------------------------ cards, Hovedfunn, banner


def _pct(v: float, decimals: int) -> str:
    return f"{v:.{decimals}f}".replace(".", ",") + f"{NBSP}%"


def test_2025_cards_and_hovedfunn_quote_the_published_7_30(reports):
    r = reports[2025]
    cards = dict(SF.key_cards(r))
    assert cards == {
        "Legemeldt sykefravær, kvinner": _pct(7.72, 2),
        "Legemeldt sykefravær, menn": _pct(3.33, 2),
        # the published total does not fit women's and men's rates: named so on its card
        "Legemeldt sykefravær, alle ansatte (publisert total, stemmer ikke med tallene for "
        "kvinner og menn)": _pct(7.30, 2),
    }
    points = SF.hovedfunn_points(r)
    assert 3 <= len(points) <= 5
    first = points[0]
    assert _pct(7.30, 2) in first and _pct(7.72, 2) in first and _pct(3.33, 2) in first
    synthetic_total = _pct(r.rate("alle")["rate_pct"], 1)
    assert synthetic_total != _pct(7.3, 1)
    assert not any(synthetic_total in p for p in points[:3])
    # signed changes in words, against the previous published year; the totals of both
    # years are flagged, so no change of the total (5,41 → 7,30) is described
    text = " ".join(points)
    assert f"for alle ansatte fra {_pct(5.41, 2)} til" not in text
    assert f"for menn falt det fra {_pct(4.30, 2)} til {_pct(3.33, 2)}" in text
    assert "−" not in text and "-0" not in text


def test_2024_cards_quote_the_published_5_41_and_the_total(reports):
    cards = dict(SF.key_cards(reports[2024]))
    flag = " (publisert total, stemmer ikke med tallene for kvinner og menn)"
    assert cards["Legemeldt sykefravær, alle ansatte" + flag] == _pct(5.41, 2)
    assert cards["Samlet sykefravær (legemeldt og egenmeldt), alle ansatte" + flag] == _pct(6.81, 2)


@pytest.mark.parametrize("year", (2013, 2014))
def test_no_card_for_a_group_without_a_published_rate(reports, year):
    cards = dict(SF.key_cards(reports[year]))
    assert "Legemeldt sykefravær, alle ansatte" not in cards
    assert cards["Legemeldt sykefravær, kvinner"] == _pct(PUBLISHED[(year, "K", "legemeldt")], 1)


def test_2014_banner_speaks_of_sick_leave_not_pay(reports):
    r = reports[2014]
    note = SF.banner_note(r)
    assert "lønnstall" not in note
    assert "legemeldte sykefraværet for kvinner og menn i 2014" in note
    # details belong in «Om statistikken», not in the banner (review item 20)
    assert "hentet fra 2023" not in note
    assert "hentet fra 2023" in SF.sources_text(r)  # job groups are not published for 2014


@pytest.mark.parametrize("year", PUBLISHED_YEARS)
def test_banner_datagrunnlag_and_hovedfunn_do_not_repeat_each_other(reports, year):
    """«kan siteres»/«skal ikke siteres» and «syntetisk» are said by the banner only."""
    r = reports[year]
    source = SF.header_source(r)
    assert source.startswith("IMDis publiserte tall (IMDi, ") and "syntetisk" not in source
    assert "syntetisk" not in SF.key_cards_source(r) and "Publiserte tall." not in (
        SF.key_cards_source(r)
    )
    for p in SF.hovedfunn_points(r):
        assert "syntetisk" not in p and "siteres" not in p, p
    assert "siteres" not in SF.banner_note(r)


def test_a_year_without_figures_says_so_in_the_banner(reports):
    r = reports[2026]
    assert "ikke publisert sykefraværstall for 2026" in SF.header_source(r)
    assert "kalibrert til de publiserte tallene for 2025" in SF.banner_note(r)
    points = SF.hovedfunn_points(r)
    assert points[0] == "IMDi har ikke publisert sykefraværstall for 2026."
    assert not any("syntetisk" in p for p in points)  # the banner says it once


def _row(year: int, gender: str, value: float, decimals: int) -> dict:
    return {
        "year": year,
        "gender": gender,
        "kind": "legemeldt",
        "rate_pct": value,
        "decimals": decimals,
    }


def test_change_words_handle_rise_fall_and_no_change():
    import pandas as pd

    old, up, same, down = (
        pd.Series(_row(2024, "K", v, d)) for v, d in ((7.29, 2), (7.72, 2), (7.3, 1), (6.0, 1))
    )
    assert SF.change_words(old, up) == f"steg det fra {_pct(7.29, 2)} til {_pct(7.72, 2)}"
    assert SF.change_words(old, down) == f"falt det fra {_pct(7.29, 2)} til {_pct(6.0, 1)}"
    # 7,29 and 7,3 are the same at one decimal: no change, not «steg med 0,0»
    assert SF.change_words(old, same) == f"var det uendret på {_pct(7.3, 1)}"


def test_published_sources_name_document_table_and_row(reports):
    src = SF.published_sources(reports[2025].published_year)
    # the documents neither number nor name the table: cited by its heading, as in the pay
    # report (review item 3)
    assert src == (
        "IMDi, Likestillingsredegjørelse 2025, tabellen under «Likelønn mellom kvinner og "
        "menn», rad «Legemeldt sykefravær (%)»"
    )
    assert SF.computed_source(reports[2025]) == (
        "Beregnet fra syntetiske persondata (illustrasjon, ikke IMDi-tall)"
    )


# ------------------------------------------------------------------ review of issue 20


def _published_rows() -> list[dict[str, str]]:
    with (published_dir() / "sick_leave.csv").open(encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f) if row["preferred"].strip().lower() == "true"]


@pytest.mark.parametrize(
    ("year", "document", "heading"),
    [
        (2025, "000_d1bd28d31f4191f0.txt", "Likelønn mellom kvinner og menn"),
        (2024, "001_8a3baf08903e064b.txt", "Lønnsforskjellar mellom kvinner og menn"),
    ],
)
def test_table_is_cited_by_the_heading_it_stands_under(reports, year, document, heading):
    """Item 3: the heading named in the citation is a heading of the source text."""
    text = (published_dir() / "sources" / document).read_text(encoding="utf-8")
    assert heading in text
    cited = SF.cite(document, f"Del 1, {heading} (tabell: kjønnsbalanse og lønn, rad 'X (%)')")
    assert f", tabellen under «{heading}», rad «X (%)»" in cited
    assert "tabell 1" not in cited.lower() and "Kjønnsbalanse og lønn" not in cited
    rows = reports[year].published_year
    table_rows = rows.loc[rows["source_section"].str.contains("tabell:")]
    assert f"tabellen under «{heading}»" in SF.published_sources(table_rows)


def test_text_sections_of_the_annual_report_are_cited_by_their_heading():
    """Item 3: the 2014 figures come from text under headings of the annual report (003)."""
    text = (published_dir() / "sources" / "003_afb06a9e0419b34b.txt").read_text(encoding="utf-8")
    sections = {row["source_section"] for row in _published_rows() if row["year"] == "2014"}
    for section in sections:
        cited = SF.cite("003_afb06a9e0419b34b.txt", section)
        heading = re.search(r"avsnittet «(.*?)»", cited).group(1)
        # the scanned text drops the hyphen of «IA-avtalen»
        assert heading.replace("-", "") in text.replace("-", ""), heading
        assert cited.startswith("IMDi, Årsrapport 2014, kapittel IV, avsnittet «")


def test_targets_apply_only_to_the_years_they_were_set_for(reports):
    """Item 4 and 40: 2013 and 2023 have no target; 2014 the IA ceiling on *samlet* sick leave
    (5,9 % by the end of 2018), compared with the published samlet 6,8 %; 2024 on the goal of
    being below the state average, never as an excuse in «Hovedfunn»."""
    with (published_dir() / "sick_leave_targets.csv").open(encoding="utf-8") as f:
        targets = list(csv.DictReader(f))
    ia = next(t for t in targets if t["max_rate_pct"])
    relative_from = min(int(t["year_stated"]) for t in targets if t["benchmark"])
    assert (int(ia["year_stated"]), int(ia["target_year"]), relative_from) == (2014, 2018, 2024)
    for year in (2013, 2023):
        r = reports[year]
        assert SF.applicable_targets(r).empty
        text = SF.targets_text(r)
        assert text.startswith("Kildene rapporten bygger på, oppgir ikke noe mål for sykefra")
        assert "målnivå" not in text and "vurderes" not in text
        assert not any("mål" in p for p in SF.hovedfunn_points(r)), year
    r = reports[2014]
    text = SF.targets_text(r)
    samlet = _pct(PUBLISHED[(2014, "alle", "totalt")], 1)
    assert "5,9\u00a0%" in text and f"var {samlet} i 2014, altså over målnivået for 2018" in text
    assert "statlig forvaltning" not in text
    point = next(p for p in SF.hovedfunn_points(r) if "IA-avtalen" in p)
    assert f"{samlet} er over målnivået for 2018" in point and "legemeldt" not in point
    assert "statlig forvaltning" not in " ".join(SF.hovedfunn_points(r))
    for year in (2024, 2025):
        r = reports[year]
        assert "under gjennomsnittet for statlig forvaltning" in SF.targets_text(r)
        assert "5,9" not in SF.targets_text(r)
        assert not any("statlig forvaltning" in p for p in SF.hovedfunn_points(r)), year


def test_ratio_is_rounded_half_up_from_the_published_decimals(reports):
    """Item 29: 6,6 / 4,0 = 1,65 exactly; a reader rounds it to 1,7 (binary floating point
    makes it 1,6499…, which rounds down)."""
    assert f"{6.6 / 4.0:.1f}" == "1.6"  # the error this guards against
    assert SF.fmt_published_ratio(6.6, 1, 4.0, 1) == "1,7"
    assert SF.fmt_published_ratio(7.72, 2, 3.33, 2) == "2,3"  # 2,318…
    assert SF.fmt_published_ratio(0.33, 2, 0.2, 1) == "1,7"  # 1,65 again
    point = next(p for p in SF.hovedfunn_points(reports[2014]) if "ganger" in p)
    assert "2,6\u00a0prosentpoeng høyere enn menns, 1,7 ganger så høyt" in point


def test_doubtful_2023_rate_for_men_builds_no_finding(reports):
    """Item 10: the 1,70 % of men in 2023 is flagged in the published table's note; the report
    caveats it and builds no Hovedfunn (difference, ratio, change) on it."""
    row = next(r for r in _published_rows() if (r["year"], r["gender"]) == ("2023", "M"))
    assert row["rate_pct"] == "1.70" and "low compared" in row["note"]
    r = reports[2023]
    assert r.doubtful("M") and not r.doubtful("K") and not reports[2024].doubtful("M")
    men = _pct(1.70, 2)
    points = SF.hovedfunn_points(r)
    assert all("usikkert" in p for p in points if men in p)
    assert not any("ganger" in p or "prosentpoeng" in p for p in points)
    assert "Legemeldt sykefravær, menn" not in dict(SF.key_cards(r))
    assert "usikkert" in SF.published_text(r) and "usikkert" in SF.html_series_table(r)
    # the next year's change for men is not measured from the doubtful figure
    change = next(p for p in SF.hovedfunn_points(reports[2024]) if p.startswith("Fra 2023"))
    assert f"fra {men}" not in change and "usikkert" in change


def test_total_check_names_the_four_totals(reports):
    """Item 11: the checked totals are the published totals of all employees with a
    published rate for women and men of the same kind and year, named by kind and year."""
    have: dict[tuple[str, str], set[str]] = {}
    for row in _published_rows():
        have.setdefault((row["year"], row["kind"]), set()).add(row["gender"])
    checked = sorted((y, k) for (y, k), g in have.items() if {"K", "M", "alle"} <= g)
    assert checked == [
        ("2023", "legemeldt"),
        ("2024", "legemeldt"),
        ("2024", "totalt"),
        ("2025", "legemeldt"),
    ]
    for year in (2014, 2023, 2025):
        text = SF.findings_text(reports[year])
        assert text.startswith(
            "Ingen av de fire publiserte totalene (legemeldt 2023, 2024 og 2025, samlet 2024) "
            "stemmer"
        )
        assert "Det gjelder også" not in text
    text = SF.findings_text(reports[2014])
    assert "ingen publisert legemeldt total for alle ansatte å kontrollere" in text
    assert f"samlede sykefraværet ({_pct(6.8, 1)})" in text  # the card above is not denied


def test_trend_figure_draws_the_samlet_figure_the_target_is_about(reports):
    """Item 30: the IA target (samlet) is drawn with the published samlet 2014 rate, not
    only over the lines of legemeldt rates."""
    import matplotlib.pyplot as plt

    from analysis.sickleave import plots

    r = reports[2014]
    fig, alt = plots.plot_published_trend(r.series, r.targets, r.benchmark, kind="legemeldt")
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    point = next(v for k, v in lines.items() if k.startswith("Samlet sykefravær"))
    assert list(point.get_xdata()) == [2014]
    assert list(point.get_ydata()) == [PUBLISHED[(2014, "alle", "totalt")]]
    assert "som målet gjelder" in point.get_label()
    assert f"{_pct(6.8, 1)} (2014)" in alt
    plt.close(fig)


def test_synthetic_statements_say_so_and_draw_no_conclusion(reports):
    """Item 36 and 35: sentences on synthetic results open with «I de syntetiske dataene»;
    no Gini coefficient in the body."""
    r = reports[2025]
    assert SF.concentration_text(r).startswith("I de syntetiske dataene står de 10")
    adjusted = SF.adjusted_text(r)
    assert adjusted.startswith("I de syntetiske dataene er kvinners legemeldte fravær")
    assert "skyldes" not in adjusted and "henger sammen med at kvinner" not in adjusted
    assert "Gini" not in SF.concentration_text(r) + SF.html_concentration_table(r)
    assert "Gini-koeffisienten" in SF.dispersion_text(r)  # in «Om statistikken»
    assert SF.dispersion_text(r).count("I de syntetiske dataene") == 1


def test_appendix_says_each_thing_once(reports):
    """Item 21: «Personvern» only in its own section, the missing state average once in the
    appendix and only in years whose target is about it; item 9 and 32 in the method text."""
    from analysis.render.methodtext import method_markdown

    method = method_markdown(
        "sickleave", min_cell=5, adjusted_covariates=SF.method_covariates(reports[2025])
    )
    assert method.count("Personvern") == 1 and "statlig forvaltning" not in method
    assert "IMDi oppgir ikke" in method
    assert not re.search(r"\d %", method)  # a no-break space between number and %
    assert "statlig forvaltning" not in SF.sources_text(reports[2014])
    assert SF.sources_text(reports[2025]).count("statlig forvaltning") == 1
    assert "IMDi oppgir ikke i kildene hvordan tallene er beregnet" in (
        SF.html_published_year_table(reports[2025])
    )


# --------------------------------------------------------------------------- the built report


class _Outline(HTMLParser):
    """The report's h2 headings, figure and table captions, Kilde lines and illustration panels,
    in document order, with the text before them."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, str]] = []
        self._stack: list[str] = []
        self._text: list[str] = []
        self._cls: list[str] = []

    VOID = frozenset({"img", "br", "hr", "meta", "link", "input", "col", "source", "wbr"})

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        a = dict(attrs)
        self._stack.append(tag)
        self._cls.append(a.get("class") or "")
        if tag == "h2":
            self._text = []
            self.events.append(("h2-start", a.get("id") or ""))
        if tag == "caption" or "fou-figure-caption" in (a.get("class") or ""):
            self._text = []
        if "kilde" == (a.get("class") or ""):
            self._text = []
        if "fou-illustration" == (a.get("class") or ""):
            self.events.append(("illustration", ""))

    def handle_endtag(self, tag):
        if not self._stack or tag in self.VOID:
            return
        cls = self._cls.pop()
        self._stack.pop()
        text = "".join(self._text).strip()
        if tag == "h2":
            self.events.append(("h2", text))
        elif tag == "caption":
            self.events.append(("table", text))
        elif "fou-figure-caption" in cls:
            self.events.append(("figure", text))
        elif cls == "kilde":
            self.events.append(("kilde", text))

    def handle_data(self, data):
        self._text.append(data)


@pytest.fixture(scope="module")
def built(default_reports) -> Path:
    """The default build (tests/conftest.py, built once per session): sykefravaer 2014 and
    2025 and the index; read only."""
    return default_reports


def _outline(page: str) -> list[tuple[str, str]]:
    p = _Outline()
    p.feed(page)
    return p.events


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<img[^>]*>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.slow
@pytest.mark.parametrize("year", [2014, 2025])
def test_built_json_top_level_is_published(built, year):
    kf = json.loads((built / str(year) / "sykefravaer.json").read_text(encoding="utf-8"))
    pub = {(g, k): v for (y, g, k), v in PUBLISHED.items() if y == year}
    for kind, key in RATE_KEYS.items():
        if ("alle", kind) in pub:
            assert kf[key] == pub[("alle", kind)] and kf["sources"][key] == "published"
        else:
            assert key not in kf
    for g in ("K", "M"):
        assert kf["by_gender"][g]["certified_pct"] == pub[(g, "legemeldt")]
    assert {kf["sources"][k] for k in kf["synthetic_illustration"]} == {"synthetic"}


@pytest.mark.slow
def test_index_headline_is_the_published_total(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    assert f"7,30{NBSP}%" in index
    synthetic = json.loads((built / "2025" / "sykefravaer.json").read_text(encoding="utf-8"))
    assert "rate_certified_pct" not in synthetic["synthetic_illustration"]


@pytest.mark.slow
@pytest.mark.parametrize("year", [2014, 2025])
def test_publication_structure(built, year):
    page = (built / str(year) / "sykefravaer.html").read_text(encoding="utf-8")
    events = _outline(page)
    h2 = [t for kind, t in events if kind == "h2"]
    # Hovedfunn first, «Om statistikken» the last section (the provenance block follows it)
    assert h2[0] == "Hovedfunn"
    assert [t for t in h2 if t != "Proveniens"][-1] == "Om statistikken"
    assert h2.count("Om statistikken") == 1
    # figures and tables numbered 1..n in order, each followed by its «Kilde:» line
    figures = [t for kind, t in events if kind == "figure"]
    tables = [t for kind, t in events if kind == "table" and t.startswith("Tabell")]
    assert [int(re.match(r"Figur (\d+)\.", t).group(1)) for t in figures] == list(
        range(1, len(figures) + 1)
    )
    assert [int(re.match(r"Tabell (\d+)\.", t).group(1)) for t in tables] == list(
        range(1, len(tables) + 1)
    )
    assert len(figures) >= 4 and len(tables) >= 6
    numbered = [
        (i, kind)
        for i, (kind, t) in enumerate(events)
        if kind == "figure" or (kind == "table" and t.startswith("Tabell"))
    ]
    for i, kind in numbered:
        nxt = [k for k, _ in events[i + 1 :] if k in ("figure", "table", "kilde", "h2")]
        assert nxt and nxt[0] == "kilde", (kind, events[i][1])
    # every source line names a document or says it is computed
    for kind, t in events:
        if kind == "kilde":
            # one wording for computed figures: «Beregnet fra …», never «Beregnet av IMDi»
            assert t.startswith(("Kilde: IMDi, ", "Kilde: Beregnet fra ")) or t == (
                "Kilde: Beregnet fra syntetiske persondata (illustrasjon, ikke IMDi-tall)."
            ), t
    # computed from synthetic data: only inside a section opened by the illustration panel
    # (or in «Om statistikken», where the calibration is checked)
    panel, section = False, ""
    for kind, t in events:
        if kind == "h2-start":
            panel = False
        elif kind == "h2":
            section = t
        elif kind == "illustration":
            panel = True
        elif kind == "kilde" and "syntetiske persondata" in t:
            assert panel or section == "Om statistikken", (section, t)


@pytest.mark.slow
@pytest.mark.parametrize("year", [2014, 2025])
def test_no_jargon_before_om_statistikken(built, year):
    page = (built / str(year) / "sykefravaer.html").read_text(encoding="utf-8")
    body = page[: page.index('id="om-statistikken"')]
    text = _visible_text(body[body.index("<h1") :]).lower()
    for word in JARGON:
        assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text), word
    assert "ingen publiserte lønnstall" not in text
    # the hidden-value note only where something is hidden
    if ": = skjult" in text:
        assert re.search(r">\s*:\s*<", body)


@pytest.mark.slow
def test_2025_report_shows_the_published_total_first(built):
    page = (built / "2025" / "sykefravaer.html").read_text(encoding="utf-8")
    cards = page[page.index('class="fou-keyfigures"') : page.index('id="hovedfunn"')]
    assert f"7,30{NBSP}%" in cards and "6,3" not in cards
    hovedfunn = page[
        page.index('id="hovedfunn"') : page.index("</section>", page.index('id="hovedfunn"'))
    ]
    assert f"7,30{NBSP}%" in hovedfunn
    assert "Illustrasjon på syntetiske data" in page
