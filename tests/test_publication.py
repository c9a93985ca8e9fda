"""The publication structure helpers: numbering, "Kilde:" lines, "Hovedfunn", masthead."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.render import publication as pub


def test_dates_in_norwegian():
    assert pub.fmt_date(date(2026, 3, 1)) == "1. mars 2026"
    assert pub.fmt_date(date(2025, 12, 31)) == "31. desember 2025"
    assert pub.parse_date("2026-05-17") == date(2026, 5, 17)
    assert pub.parse_date(None) is None
    with pytest.raises(ValueError, match="ÅÅÅÅ-MM-DD"):
        pub.parse_date("17.05.2026")


def test_masthead_names_year_unit_contact_and_the_date_only_when_given():
    without = pub.masthead_html(2025)
    assert "Statistikkår 2025" in without and "Publisert" not in without
    assert pub.PUBLISHER in without and pub.CONTACT in without
    assert "Publisert 1. mars 2026" in pub.masthead_html(2025, "2026-03-01")


def test_figures_and_tables_are_numbered_from_one_per_notebook():
    pub.reset()
    assert [pub.next_figure(), pub.next_figure(), pub.next_table()] == [1, 2, 1]
    pub.reset()
    assert pub.next_figure() == 1 and pub.next_table() == 1


def test_numbered_table_gets_its_number_in_the_caption_and_a_source_line():
    html = '<table class="fou-table"><caption>Lønn 2025</caption><tr><td>1</td></tr></table>'
    out = pub.numbered_table_html(html, 3, "IMDi, likestillingsredegjørelse 2025, tabell 2")
    assert out.startswith(
        '<table class="fou-table"><caption><span class="fou-number">Tabell 3.</span> Lønn 2025'
    )
    assert out.endswith(
        '<p class="kilde">Kilde: IMDi, likestillingsredegjørelse 2025, tabell 2.</p>'
    )
    with pytest.raises(ValueError):
        pub.numbered_table_html("<table></table>", 1, None)


def test_source_and_titles_are_inert_text():
    assert pub.source_html("<b>x</b>") == '<p class="kilde">Kilde: &lt;b&gt;x&lt;/b&gt;.</p>'
    cap = pub.figure_caption_html(2, "Kvinner & menn <script>")
    assert "Figur 2." in cap and "&amp;" in cap and "<script>" not in cap


def test_hovedfunn_renders_markdown_inert_and_skips_empty_points():
    out = pub.hovedfunn_html(["Kvinner tjente **94,6 %** av menns lønn.", "", "<img src=x>"])
    assert out.count("<li>") == 2
    assert "<strong>94,6 %</strong>" in out
    assert "<img" not in out
    assert '<h2 id="hovedfunn">Hovedfunn</h2>' in out


def test_appendix_heading_has_a_stable_id():
    assert '<h2 id="om-statistikken" class="appendix">Om statistikken</h2>' in pub.appendix_html()


def test_key_figures_synthetic_ones_move_under_the_illustration():
    from analysis.render.keyfigures import arrange_key_figures

    figs = {"year": 2025, "synthetic": True, "rate_pct": 7.30, "ratio": 2.1, "self_pct": 1.2}
    out = arrange_key_figures(
        figs, {"rate_pct": "published", "ratio": "published", "self_pct": "synthetic"}
    )
    assert out["rate_pct"] == 7.30 and out["ratio"] == 2.1 and "self_pct" not in out
    assert out["synthetic_illustration"] == {"self_pct": 1.2}
    assert out["sources"] == {
        "rate_pct": "published",
        "ratio": "published",
        "self_pct": "synthetic",
    }
    assert out["year"] == 2025 and out["synthetic"] is True
    only_real = arrange_key_figures({"year": 1, "x": 1}, {"x": "microdata"})
    assert "synthetic_illustration" not in only_real


@pytest.mark.parametrize(
    "sources",
    [{}, {"x": "survey"}, {"x": "published", "y": "published"}],
)
def test_key_figures_need_exactly_one_known_source_each(sources):
    from analysis.render.keyfigures import arrange_key_figures

    with pytest.raises(ValueError):
        arrange_key_figures({"year": 1, "x": 1}, sources)
