"""Does every table and figure of a report stay inside the text column?

Measured in headless Chromium (:mod:`cdp`) at a viewport width, the way a reader sees the
page: the text column is the content box of ``#notebook-container``; each table, figure,
image, code block, key-figure card, banner, heading, paragraph and list item must lie within
it. A table inside a horizontal scroll container (``.fou-table-wrap``) is measured by the
container, which is what is visible; whether the table has to be scrolled there is reported
too, as is the page's own width (a page wider than the viewport scrolls sideways as a whole).

With ``media="print"`` the page is laid out with its print stylesheet at the width of the
text on an A4 page (:data:`A4_TEXT_WIDTH`), and the computed ``break-inside`` and
``break-after`` of tables, figures, cards and headings are reported, so that a test can check
that nothing is cut and that the print rules reach the elements the reports really contain.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from cdp import Chromium

#: the widths the reports are checked at: a laptop, a small window or tablet, a phone
WIDTHS = (1280, 800, 390)
#: CSS pixels of text on an A4 page with the stylesheet's margins (210 mm − 2 × 16 mm)
A4_TEXT_WIDTH = round((210 - 2 * 16) / 25.4 * 96)

MEASURE = r"""
(() => {
  const col = document.getElementById('notebook-container');
  const cs = getComputedStyle(col), cr = col.getBoundingClientRect();
  const left = cr.left + parseFloat(cs.paddingLeft);
  const right = cr.right - parseFloat(cs.paddingRight);
  const scroller = (el) => {
    for (let a = el.parentElement; a && a !== col; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return a;
    }
    return null;
  };
  const label = (el) => {
    const c = el.querySelector && el.querySelector('caption');
    const t = c ? c.textContent : (el.getAttribute('alt') || el.textContent || '');
    return el.tagName.toLowerCase() + ': ' + t.trim().replace(/\s+/g, ' ').slice(0, 70);
  };
  const sel = 'table, img, figure, pre, .fou-keyfigures li, .fou-banner, h1, h2, h3, p, li, ' +
              '.output_png, .fou-table-wrap, .hovedfunn, .kilde, .appendix, section';
  const items = [];
  for (const el of document.querySelectorAll(sel)) {
    const box = scroller(el) || el;
    const r = box.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const st = getComputedStyle(el);
    items.push({
      what: label(el), tag: el.tagName.toLowerCase(), cls: el.className || '',
      left: r.left, right: r.right, width: el.getBoundingClientRect().width,
      wrapped: box !== el, scrolls: box !== el && box.scrollWidth > box.clientWidth + 1,
      role: box !== el ? box.getAttribute('role') : null,
      tabindex: box !== el ? box.getAttribute('tabindex') : null,
      name: box !== el ? box.getAttribute('aria-label') : null,
      rows: el.tagName === 'TABLE' ? el.querySelectorAll('tbody tr').length : null,
      breakInside: st.breakInside, breakAfter: st.breakAfter,
      visible: st.display !== 'none' && st.visibility !== 'hidden',
      card: el.matches('.fou-keyfigures li'),
    });
  }
  const pilcrows = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter((h) => h.innerText.includes('\u00b6')).length;
  return {innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
          left: left, right: right, items: items, pilcrows: pilcrows};
})()
"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> str:
    """Chromium, or fail where the browser tests must run (Chromium there, or CI), else skip."""
    import pytest

    exe = chromium()
    if exe:
        return exe
    if os.environ.get("CI"):
        pytest.fail("chromium missing: run `make browser-deps`")
    pytest.skip("Chromium er ikke installert: kjør make browser-deps for å kjøre nettlesertestene")


@dataclass
class Layout:
    page: str
    width: int
    media: str
    inner_width: int
    scroll_width: int
    column: tuple[float, float]
    pilcrows: int
    items: list[dict] = field(default_factory=list)

    def outside(self, tolerance: float = 0.5) -> list[dict]:
        """Elements (or their scroll containers) reaching outside the text column."""
        left, right = self.column
        return [
            i for i in self.items if i["right"] > right + tolerance or i["left"] < left - tolerance
        ]

    def scrolled(self) -> list[dict]:
        """Tables that must be scrolled sideways inside their container to be read whole."""
        return [i for i in self.items if i["scrolls"]]

    @property
    def page_overflows(self) -> bool:
        """The viewport grew or scrolls sideways: something is wider than the screen."""
        return self.inner_width != self.width or self.scroll_width > self.width

    def of(self, tag: str = "", cls: str = "") -> list[dict]:
        return [
            i
            for i in self.items
            if (not tag or i["tag"] == tag) and (not cls or cls in i["cls"].split())
        ]


def measure(browser: Chromium, page: Path, width: int, media: str = "") -> Layout:
    """Lay ``page`` out at ``width`` CSS pixels (as a phone does below 500 px) and measure."""
    tab = browser.open(page.as_uri(), width, 900, mobile=width < 500, media=media)
    try:
        r = tab.evaluate(MEASURE)
    finally:
        tab.close()
    return Layout(
        page="/".join(page.parts[-2:]),
        width=width,
        media=media,
        inner_width=r["innerWidth"],
        scroll_width=r["scrollWidth"],
        column=(r["left"], r["right"]),
        pilcrows=r["pilcrows"],
        items=r["items"],
    )


def problems(layout: Layout) -> list[str]:
    """What a reader would see as broken at this width (empty: the layout holds).

    - nothing reaches outside the text column, and the page never scrolls sideways;
    - at 800 px and wider, and in print, every table is shown whole (no sideways scrolling);
    - on a phone a table may scroll inside its box, which must then be a named region in
      the tab order, so that keyboard users can scroll it;
    - no heading shows a "¶".
    """
    out = []
    where = f"{layout.page} @{layout.width}px{' print' if layout.media else ''}"
    for i in layout.outside():
        out.append(
            f"{where}: {i['what']} reaches {i['left']:.0f}–{i['right']:.0f}, "
            f"column {layout.column[0]:.0f}–{layout.column[1]:.0f}"
        )
    if layout.page_overflows:
        out.append(f"{where}: page is {layout.scroll_width}px wide")
    for i in layout.scrolled():
        if layout.width >= 800 or layout.media == "print":
            out.append(f"{where}: {i['what']} needs scrolling ({i['width']:.0f}px)")
        elif not (i["role"] == "region" and i["tabindex"] == "0" and (i["name"] or "").strip()):
            out.append(f"{where}: {i['what']} scrolls in a box keyboard users cannot reach")
    if layout.pilcrows:
        out.append(f"{where}: {layout.pilcrows} headings show a ¶")
    return out


def print_problems(layout: Layout) -> list[str]:
    """Print rules missing on the page's tables, figures, cards and headings."""
    where = f"{layout.page} print"
    out = []
    for i in layout.items:
        keep_whole = (
            i["tag"] == "img"
            or "output_png" in i["cls"].split()
            or i["tag"] == "figure"
            or "fou-banner" in i["cls"].split()
            or "hovedfunn" in i["cls"].split()
            or i["card"]
        )
        if i["tag"] == "table" and (i["rows"] or 0) < 20:
            keep_whole = True
        if keep_whole and i["breakInside"] != "avoid":
            out.append(f"{where}: {i['what']} may be split across pages")
        if i["tag"] in ("h1", "h2", "h3") and i["visible"] and i["breakAfter"] != "avoid":
            out.append(f"{where}: {i['what']} may end a page")
    return out
