"""The report layout in a real browser: every table and figure stays in the text column.

A page made by the report template (``analysis.pipeline.export.export_html``) from the pieces the
reports are made of (title and synthetic-data banner, key-figure cards, a Markdown heading,
a twelve-column pay table and narrower tables from ``analysis.render.tables``, a figure from
``analysis.render.figures``, a table longer than a page) is laid out by headless Chromium at
1280, 800 and 390 px and with the print stylesheet at the width of an A4 page
(``layout_check``). The same check runs on every built report in ``test_reports_built``.
"""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

from analysis.render.formatting import fmt_nok, fmt_number, fmt_pct
from analysis.render.tables import html_table

pytestmark = pytest.mark.browser

GROUPS = [
    "Toppledere",
    "Mellomledere",
    "Alternativ karrierevei",
    "Saksbehandlere",
    "Konsulenter/sekretærer",
    "Totalt",
]


def _wide_table() -> str:
    """The shape of the pay report's widest table: a row header and eleven number columns."""
    rows = []
    for i, g in enumerate(GROUPS):
        rows.append(
            {
                "group": g,
                "n_m": 12 + i * 31,
                "n_k": 150 + i,
                "mean_m": 1_314_695 - i * 97_531,
                "mean_k": 1_322_375 - i * 99_125,
                "med_m": 988_215 - i * 1_000,
                "med_k": 961_780 - i * 1_000,
                "gap": 7.5 - i,
                "gap_med": 7.4 - i,
                "lo": -54_470 + i * 1_000,
                "hi": 129_156 - i * 1_000,
            }
        )
    frame = pd.DataFrame(rows)
    nok, pct, num = fmt_nok, (lambda v: fmt_pct(v, 1)), fmt_number
    formats = {
        "n_m": num,
        "n_k": num,
        "mean_m": nok,
        "mean_k": nok,
        "med_m": nok,
        "med_k": nok,
        "gap": pct,
        "gap_med": pct,
        "lo": nok,
        "hi": nok,
    }
    labels = {
        "group": "Stillingsgruppe",
        "n_m": "Menn (N)",
        "n_k": "Kvinner (N)",
        "mean_m": "Gj.snitt menn",
        "mean_k": "Gj.snitt kvinner",
        "med_m": "Median menn",
        "med_k": "Median kvinner",
        "gap": "Gap gj.snitt (% av menns)",
        "gap_med": "Gap median (%)",
        "lo": "95 % KI gap, nedre (kr)",
        "hi": "95 % KI gap, øvre (kr)",
    }
    return html_table(
        frame,
        caption="Lønnsgap per stillingsgruppe 2025 (syntetiske persondata)",
        formats=formats,
        row_header="group",
        labels=labels,
        note=": = skjult fordi cellen bygger på færre enn 5 personer.",
    )


def _text_table() -> str:
    """Four columns of words, one of them long (the published-figures tables)."""
    frame = pd.DataFrame(
        {
            "tall": ["Andel over i arbeid og/eller utdanning, høyest i perioden"] * 3,
            "verdi": [0.72, 0.79, 0.6],
            "kilde": ["IMDi, Likestillingsutgreiing 2024, IMDi som offentleg myndigheit"] * 3,
            "sitat": ["«I 2024 gjekk 72 prosent av deltakarane som avslutta programmet»"] * 3,
        }
    )
    return html_table(
        frame,
        caption="Publiserte tall om Jobbsjansen som gjelder 2024, som publisert",
        formats={"verdi": lambda v: fmt_pct(100 * v, 0)},
        row_header="tall",
        labels={"tall": "Tall", "verdi": "Verdi", "kilde": "Kilde", "sitat": "Sitat fra kilden"},
    )


def _long_table() -> str:
    frame = pd.DataFrame(
        {"prosjekt": [f"SYN-P-{i:03d}" for i in range(40)], "andel": [50 + i for i in range(40)]}
    )
    return html_table(
        frame,
        caption="Overgang per prosjekt (syntetiske registerdata)",
        formats={"andel": lambda v: fmt_pct(v, 1)},
        row_header="prosjekt",
        labels={"prosjekt": "Prosjekt", "andel": "Andel"},
    )


def _figure_png() -> bytes:
    import matplotlib.pyplot as plt

    from analysis.render.figures import apply_theme, png_bytes

    apply_theme()
    fig, ax = plt.subplots()
    ax.barh(GROUPS[:5], [1_322_375, 1_048_593, 825_541, 724_474, 550_674])
    ax.set_title("Gjennomsnittlig årslønn for kvinner og menn etter stillingsgruppe")
    data = png_bytes(fig)
    plt.close(fig)
    return data


def _publication_parts(png: str) -> str:
    """Markup the report text is moving to (issue 20): main findings, a numbered figure with
    its caption and source line, a table caption and source, and the appendix."""
    return (
        '<section class="hovedfunn" aria-labelledby="hovedfunn"><h2 id="hovedfunn">Hovedfunn</h2>'
        "<ul><li>Kvinner i IMDi tjente i gjennomsnitt 94,6 % av det menn tjente i 2025.</li>"
        "<li>Gapet er 43 596 kr i årslønn omregnet til heltid.</li></ul></section>"
        '<figure class="fou-figure"><figcaption>Figur 1. Gjennomsnittlig årslønn etter '
        "stillingsgruppe og kjønn. 2025</figcaption>"
        f'<img alt="Stolpediagram." src="data:image/png;base64,{png}">'
        '<p class="kilde">Kilde: IMDi, Likestillingsredegjørelse 2025.</p></figure>'
        '<p class="fou-table-caption">Tabell 2. Lønn etter stillingsgruppe og kjønn. 2025</p>'
        + _text_table()
        + '<p class="kilde source-line">Kilde: IMDi.</p>'
        '<section class="appendix" id="om-statistikken" aria-labelledby="om-statistikken-h">'
        '<h2 id="om-statistikken-h">Om statistikken</h2><h3>Definisjoner</h3>'
        "<p>Lønn er gjennomsnittlig årslønn omregnet til heltid.</p>"
        + _text_table().replace("Publiserte tall", "Kilder")
        + "</section>"
    )


def _html_output(html: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"text/html": html})


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict:
    """The sample report, ministry and code versions, as the pipeline exports them."""
    import base64

    from analysis.pipeline.export import export_html
    from analysis.render import notebook as rn

    shown: list[str] = []
    original = rn._display_html
    rn._display_html = shown.append
    try:
        rn.header("Lønnsforskjeller mellom kvinner og menn i IMDi", 2025, "synthetic", "Merknad.")
        rn.key_figure_cards(
            [
                ("Kvinners lønn i prosent av menns", "94,58 %"),
                ("Lønnsgap (menns minus kvinners gjennomsnitt)", "43 596 kr"),
                ("Del av gapet som skyldes ulik fordeling på stillingsgrupper", "17 343 kr"),
            ]
        )
    finally:
        rn._display_html = original
    png = base64.b64encode(_figure_png()).decode()
    code = "rn.html(L.html_published_table(r))  # " + "en lang kodelinje " * 8
    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python"}
    cells = [
        nbformat.v4.new_code_cell("rn.header(...)", outputs=[_html_output(h) for h in shown]),
        nbformat.v4.new_markdown_cell(
            "## Lønn etter stillingsgruppe og kjønn\n\n" + "Tabellen viser lønnstallene. " * 9
        ),
        nbformat.v4.new_code_cell(
            code,
            outputs=[
                _html_output(_wide_table()),
                nbformat.v4.new_output(
                    "display_data",
                    data={"image/png": png},
                    metadata={"image/png": {"alt": "Liggende stolpediagram over årslønn."}},
                ),
                _html_output(_text_table()),
            ],
        ),
        nbformat.v4.new_code_cell("rn.html(...)", outputs=[_html_output(_publication_parts(png))]),
        nbformat.v4.new_markdown_cell("### Prosjektene"),
        nbformat.v4.new_code_cell("rn.html(...)", outputs=[_html_output(_long_table())]),
    ]
    nb.cells = cells
    out = tmp_path_factory.mktemp("layout")
    paths = {}
    for name, with_code in (("rapport", False), ("kode", True)):
        path = out / f"{name}.html"
        path.write_text(export_html(nb, title="Layout", code=with_code), encoding="utf-8")
        paths[name] = path
    return paths


@pytest.fixture(scope="module")
def browser():
    import layout_check
    from cdp import Chromium

    with Chromium(layout_check.require_chromium()) as b:
        yield b


def test_the_sample_page_has_what_the_reports_have(pages):
    html = pages["rapport"].read_text(encoding="utf-8")
    assert html.count('class="fou-table-wrap"') == 5
    assert 'class="fou-keyfigures"' in html and 'class="fou-banner"' in html
    assert "<img" in html
    # nbconvert's "¶" links are gone from the markup; the headings keep their ids
    body = html[html.index("<body") :]
    assert "anchor-link" not in body and "¶" not in body
    assert re.search(r'<h2 id="L%C3%B8nn-etter-stillingsgruppe-og-kj%C3%B8nn">', html)


@pytest.mark.parametrize("version", ["rapport", "kode"])
def test_tables_and_figures_stay_in_the_text_column(pages, browser, version):
    import layout_check

    found = []
    for width in layout_check.WIDTHS:
        lay = layout_check.measure(browser, pages[version], width)
        assert len(lay.of("table")) == 5 and len(lay.of("img")) == 2, "the page did not lay out"
        found += layout_check.problems(lay)
    assert found == []


def test_the_wide_table_fits_a_laptop_and_scrolls_on_a_phone(pages, browser):
    """At 1280 and 800 px the twelve columns are shown whole; at 390 px the table scrolls in
    its named, focusable box and the page itself does not."""
    import layout_check

    wide = "table: Lønnsgap per stillingsgruppe"
    for width in (1280, 800):
        lay = layout_check.measure(browser, pages["rapport"], width)
        (t,) = [i for i in lay.of("table") if i["what"].startswith(wide)]
        assert t["wrapped"] and not t["scrolls"], (width, t)
        assert t["width"] <= lay.column[1] - lay.column[0] + 0.5
    phone = layout_check.measure(browser, pages["rapport"], 390)
    (t,) = [i for i in phone.of("table") if i["what"].startswith(wide)]
    assert t["scrolls"] and t["role"] == "region" and t["tabindex"] == "0"
    assert t["name"] == "Lønnsgap per stillingsgruppe 2025 (syntetiske persondata)"
    assert not phone.page_overflows
    # the key-figure cards stack in one column on a phone
    cards = [i for i in phone.items if i["card"]]
    assert len(cards) == 3 and len({round(c["left"]) for c in cards}) == 1


def test_print_layout_shows_every_table_whole_and_keeps_things_on_one_page(pages, browser):
    import layout_check

    for version in ("rapport", "kode"):
        lay = layout_check.measure(
            browser, pages[version], layout_check.A4_TEXT_WIDTH, media="print"
        )
        assert layout_check.problems(lay) == []
        assert layout_check.print_problems(lay) == []
        # the table longer than a page may break between its rows
        (long,) = [i for i in lay.of("table") if (i["rows"] or 0) >= 20]
        assert long["breakInside"] == "auto"


def test_the_check_sees_a_table_that_runs_out_of_the_column(pages, browser, tmp_path):
    """Without the report stylesheet the wide table runs out of the column: the check says so."""
    import layout_check

    html = pages["rapport"].read_text(encoding="utf-8")
    bare = tmp_path / "bare.html"
    bare.write_text(re.sub(r"<style[^>]*>.*?</style>", "", html, flags=re.S), encoding="utf-8")
    lay = layout_check.measure(browser, bare, 390)
    found = layout_check.problems(lay)
    assert any("Lønnsgap per stillingsgruppe" in p for p in found), found
