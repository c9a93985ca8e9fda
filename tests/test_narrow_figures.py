"""Figures readable on a phone: every report figure is embedded twice, as drawn and laid out
for a narrow screen (:func:`analysis.render.figures.narrow_layout`), and the style sheet shows
exactly one of them.

The phone version must show the same values as the wide one (the disclosure rule: a figure
never shows what the table beside it hides), so the layout only moves and enlarges what is
there; the tests count the drawn bars and value labels in both versions. Sizes are checked
in CSS pixels on a 390 px wide phone in headless Chromium.
"""

from __future__ import annotations

import base64
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import pytest
from matplotlib.patches import Rectangle

from analysis.render import publication as pub
from analysis.render.figures import (
    DPI,
    NARROW_MIN_FONT,
    NARROW_WIDTH,
    apply_theme,
    narrow_layout,
    narrow_png_bytes,
    png_bytes,
    wrap_label,
)

GROUPS = ["Toppledere", "Mellomledere", "Alternativ karrierevei", "Konsulenter/sekretærer"]


def _bar_figure():
    apply_theme()
    fig, ax = plt.subplots(figsize=(7.5, 3.5))
    ax.barh(GROUPS, [1_322_375, 1_048_593, 825_541, 550_674], label="Kvinner")
    ax.barh(GROUPS, [1_314_695, 1_038_427, 892_725, 0], left=0, label="Menn", alpha=0.5)
    for i, v in enumerate([1_322_375, 1_048_593, 825_541, 550_674]):
        ax.text(v, i, f" {v}", va="center", fontsize=8)
    ax.set_xlabel("Gjennomsnittlig årslønn omregnet til heltid (kr)")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def _drawn(fig) -> tuple[list, list[str]]:
    """The bars (position and size) and the texts drawn in the axes."""
    ax = fig.axes[0]
    bars = sorted(
        (round(p.get_x(), 6), round(p.get_y(), 6), round(p.get_width(), 6))
        for p in ax.patches
        if isinstance(p, Rectangle)
    )
    return bars, sorted(t.get_text() for t in ax.texts)


def test_wrap_label_by_hand():
    assert wrap_label("Lønnsforskjell innen stillingsgrupper", 20) == (
        "Lønnsforskjell innen\nstillingsgrupper"
    )
    # never a line that starts with «%»
    assert wrap_label("Prosent (95 % konfidensintervall)", 12) == (
        "Prosent\n(95\u00a0%\nkonfidensintervall)"
    )


def test_narrow_layout_keeps_the_drawing_and_enlarges_the_text():
    fig = _bar_figure()
    before = _drawn(fig)
    narrow_layout(fig)
    assert _drawn(fig) == before  # the same bars and value labels, nothing added or removed
    assert fig.get_size_inches()[0] == pytest.approx(NARROW_WIDTH)
    fig.canvas.draw()
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
    assert min(sizes) >= NARROW_MIN_FONT
    # the legend moved out of the plot to below it, with one entry per line
    (ax,) = fig.axes
    assert ax.get_legend() is None and len(fig.legends) == 1
    r = fig.canvas.get_renderer()
    assert fig.legends[0].get_window_extent(r).y1 <= ax.get_window_extent(r).y0
    assert fig.legends[0]._ncols == 1
    plt.close(fig)


def test_the_waterfall_phone_version_has_the_same_values():
    """The pay-gap waterfall is redrawn with horizontal bars for the phone: the same value
    labels, from the same function and data."""
    from analysis.data.published import load_published
    from analysis.paygap.measures import cells_from_published
    from analysis.paygap.nopo import nopo_decomposition
    from analysis.paygap.plots import plot_nopo_waterfall

    cells = cells_from_published(load_published("pay_by_job_group", preferred_only=True), 2025)
    nopo = nopo_decomposition(cells, reference="men")
    fig, _ = plot_nopo_waterfall(nopo)
    wide = sorted(t.get_text() for t in fig.axes[0].texts)
    narrow, _ = plot_nopo_waterfall(nopo, narrow=True)
    assert len(wide) == 5  # four parts and the total, each labelled with its value
    assert sorted(t.get_text() for t in narrow.axes[0].texts) == wide
    bars = [p for p in narrow.axes[0].patches if isinstance(p, Rectangle)]
    assert len(bars) == 5 and all(p.get_height() < 1 for p in bars)  # horizontal bars
    # the phone PNG is the horizontal drawing, narrower than the wide one
    png = narrow_png_bytes(fig)
    plt.close(fig)
    plt.close(narrow)
    width = int.from_bytes(png[16:20], "big")
    assert width < 7.5 * DPI * 0.75


def test_figure_html_embeds_both_versions_with_one_alt_text():
    out = pub.figure_html(
        3, b"WIDE", title="Lønn", alt="Stolper «høye»", source="IMDi", narrow_png=b"NARROW"
    )
    imgs = re.findall(r"<img [^>]*>", out)
    assert len(imgs) == 2
    assert 'class="fou-wide"' in imgs[0] and 'class="fou-narrow"' in imgs[1]
    assert all('alt="Stolper «høye»"' in i for i in imgs)
    assert base64.b64encode(b"NARROW").decode() in imgs[1]


def test_png_bytes_of_the_phone_version_are_reproducible():
    a, b = _bar_figure(), _bar_figure()
    png_bytes(a), png_bytes(b)
    assert narrow_png_bytes(a) == narrow_png_bytes(b)
    plt.close(a)
    plt.close(b)


# --------------------------------------------------------------------------- in a browser

VISIBLE = r"""
(() => [...document.querySelectorAll('figure img')].map((i) => {
  const r = i.getBoundingClientRect(), st = getComputedStyle(i);
  return {cls: i.className, shown: st.display !== 'none' && r.width > 0,
          width: r.width, natural: i.naturalWidth};
}))()
"""
STICKY = r"""
(() => { const th = document.querySelector('.fou-table-wrap tbody th');
         return getComputedStyle(th).position; })()
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from analysis.pipeline.export import export_html
    from analysis.render.tables import html_table

    fig = _bar_figure()
    wide = png_bytes(fig)
    narrow = narrow_png_bytes(fig)
    plt.close(fig)
    import pandas as pd

    table = html_table(
        pd.DataFrame({"g": GROUPS, **{f"k{i}": [1_000_000 + i] * 4 for i in range(8)}}),
        caption="Bred tabell",
        row_header="g",
        formats={f"k{i}": str for i in range(8)},
    )
    fig_html = pub.figure_html(
        1, wide, title="Lønn", alt="Stolpediagram over lønn.", source="IMDi", narrow_png=narrow
    )
    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "x",
            outputs=[nbformat.v4.new_output("display_data", data={"text/html": fig_html + table})],
        )
    ]
    path = tmp_path_factory.mktemp("narrow") / "rapport.html"
    path.write_text(export_html(nb, title="Smal", code=False), encoding="utf-8")
    return path


@pytest.mark.browser
def test_one_image_per_figure_is_shown_and_the_phone_text_is_large_enough(page):
    import layout_check
    from cdp import Chromium

    with Chromium(layout_check.require_chromium()) as b:
        for width, media, expect in (
            (1280, "", "fou-wide"),
            (390, "", "fou-narrow"),
            (390, "print", "fou-wide"),
        ):
            tab = b.open(page.as_uri(), width, 900, mobile=width < 500, media=media)
            imgs = tab.evaluate(VISIBLE)
            sticky = tab.evaluate(STICKY)
            tab.close()
            shown = [i for i in imgs if i["shown"]]
            assert [i["cls"] for i in shown] == [expect], (width, media, imgs)
            if expect == "fou-narrow":
                # the smallest text of the phone figure, in CSS pixels on the phone
                scale = shown[0]["width"] / shown[0]["natural"]
                assert NARROW_MIN_FONT * DPI / 72 * scale >= 11.0, scale
                assert sticky == "sticky"  # the row labels stay in view while scrolling
