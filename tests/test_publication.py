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
    pub.reset()
    html = '<table class="fou-table"><caption>Lønn 2025</caption><tr><td>1</td></tr></table>'
    out = pub.numbered_table_html(html, 3, "IMDi, likestillingsredegjørelse 2025, tabell 2")
    # one block (kept on one page in print): the numbered table, then its source
    assert out == (
        '<div class="fou-table-block"><table class="fou-table"><caption>'
        '<span class="fou-number">Tabell 3.</span> Lønn 2025</caption><tr><td>1</td></tr>'
        '</table><p class="kilde">Kilde: IMDi, likestillingsredegjørelse 2025, tabell 2.</p></div>'
    )
    with pytest.raises(ValueError):
        pub.numbered_table_html("<table></table>", 1, None)


def test_illustration_marks_tables_and_figures_until_the_appendix(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(pub, "_display_html", lambda text, markdown=False: shown.append(text))
    table = '<table class="fou-table"><caption>Lønn etter gruppe</caption></table>'
    png = b"\x89PNG fake"
    pub.reset()
    plain = pub.numbered_table_html(table, 1, "x")
    assert "syntetiske data" not in plain and "fou-synthetic" not in plain
    pub.illustration("Tallene under er fra syntetiske data.")
    marked = pub.numbered_table_html(table, 2, "x")
    assert "Lønn etter gruppe (syntetiske data)</caption>" in marked
    assert marked.startswith('<div class="fou-table-block fou-synthetic">')
    fig = pub.figure_html(1, png, title="Lønn", alt="Stolper.", source="x")
    assert fig.startswith('<figure class="fou-figure fou-synthetic"><figcaption')
    assert "Lønn (syntetiske data)</figcaption>" in fig
    # a caption that says so already is not marked twice
    said = table.replace("Lønn etter gruppe", "Lønn i syntetiske persondata")
    assert "(syntetiske data)" not in pub.numbered_table_html(said, 3, "x")
    pub.appendix()
    assert "syntetiske data" not in pub.numbered_table_html(table, 4, "x")
    pub.illustration("Igjen.")
    pub.end_illustration()
    assert "fou-synthetic" not in pub.figure_html(2, png, title="Lønn", alt="Stolper.", source="x")


def test_figure_is_one_block_with_caption_image_alt_and_source():
    out = pub.figure_html(4, b"PNG", title="A & B", alt='Stolper "høye"', source="IMDi")
    assert out.startswith('<figure class="fou-figure"><figcaption class="fou-figure-caption">')
    assert '<span class="fou-number">Figur 4.</span> A &amp; B</figcaption>' in out
    assert 'src="data:image/png;base64,UE5H"' in out  # base64 of b"PNG"
    assert 'alt="Stolper &quot;høye&quot;"' in out
    assert out.endswith('<p class="kilde">Kilde: IMDi.</p></figure>')
    with pytest.raises(ValueError, match="alt-tekst"):
        pub.figure_html(1, b"PNG", title="A", alt=" ", source="IMDi")


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
