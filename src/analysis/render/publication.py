"""A publication's structure for the report notebooks: masthead, "Hovedfunn", numbered figures
and tables with a "Kilde:" line each, and the "Om statistikken" appendix.

Modelled on the conventions of Statistics Norway's articles (ssb.no: main findings first,
"Om statistikken" at the end) and the ONS statistical bulletin (main points in plain words,
figures and tables numbered, each with its source). Numbers count per notebook run:
:func:`reset` (called by :func:`analysis.render.notebook.setup`) starts them at 1, so the same
notebook always numbers the same way and builds stay byte-identical.

Every string passed here is escaped (titles, sources) or rendered as inert Markdown
(:func:`analysis.render.inert.markdown_html`: no raw HTML, links or images), so data values
can never become markup.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from analysis.render.inert import markdown_html

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: who publishes the reports and whom a reader writes to (shown under every title)
PUBLISHER = "Integrerings- og mangfoldsdirektoratet (IMDi), seksjon for forskning og utvikling"
CONTACT = "post@imdi.no"

MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)

#: the heading of every panel that shows figures computed from synthetic person-level data
ILLUSTRATION_TITLE = "Illustrasjon på syntetiske data"

APPENDIX_ID = "om-statistikken"
APPENDIX_TITLE = "Om statistikken"


@dataclass
class _Counters:
    figures: int = 0
    tables: int = 0
    #: inside the part computed from synthetic data (from :func:`illustration` to
    #: :func:`end_illustration` or :func:`appendix`): figures and tables are marked
    illustration: bool = False


_COUNT = _Counters()


def reset() -> None:
    """Start figure and table numbers at 1 (once per notebook, in ``rn.setup``)."""
    _COUNT.figures = 0
    _COUNT.tables = 0
    _COUNT.illustration = False


def _display_html(text: str, markdown: bool = False) -> None:
    from IPython.display import HTML, display

    from analysis.render.notebook import MARKDOWN_FLAG

    display(HTML(text), metadata={MARKDOWN_FLAG: True} if markdown else {})


def fmt_date(day: date) -> str:
    """A date as Norwegian text: ``date(2026, 3, 1)`` → ``"1. mars 2026"``."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def parse_date(value: str | date | None) -> date | None:
    """``"2026-03-01"`` (ISO 8601) or a date → date; None stays None.

    Raises
    ------
    ValueError
        With a bokmål message when the text is not an ISO date.
    """
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            f"publiseringsdato må skrives ÅÅÅÅ-MM-DD, f.eks. 2026-03-01 (fikk {value!r})"
        ) from None


def masthead_html(year: int, publication_date: str | date | None = None) -> str:
    """Publication date, responsible unit and contact, under the title.

    The date is the ``publication_date`` parameter (``fou run --publication-date``); without
    it only the statistics year is shown. Never the build clock: the same inputs give the same
    bytes on any day.
    """
    day = parse_date(publication_date)
    when = f"Statistikkår {year}" + (f". Publisert {fmt_date(day)}" if day is not None else "")
    return (
        '<p class="fou-masthead">'
        f'<span class="fou-date">{htmllib.escape(when)}</span> · '
        f'<span class="fou-publisher">{htmllib.escape(PUBLISHER)}</span> · '
        f'<span class="fou-contact">Kontakt: {htmllib.escape(CONTACT)}</span></p>'
    )


def hovedfunn_html(points: Sequence[str]) -> str:
    """The "Hovedfunn" box: 3–5 plain sentences (report Markdown, rendered inert)."""
    items = "".join(f"<li>{_inline_markdown(p)}</li>" for p in points if p and p.strip())
    return (
        '<section class="hovedfunn" aria-labelledby="hovedfunn">'
        f'<h2 id="hovedfunn">Hovedfunn</h2><ul>{items}</ul></section>'
    )


def hovedfunn(points: Sequence[str]) -> None:
    """Show "Hovedfunn" (main findings) first in the report."""
    _display_html(hovedfunn_html(points))


def _inline_markdown(text: str) -> str:
    """Markdown of one sentence without the wrapping paragraph."""
    out = markdown_html(text).strip()
    m = re.fullmatch(r"<p>(.*)</p>", out, flags=re.DOTALL)
    return m.group(1) if m else out


def illustration_html(text: str) -> str:
    """The marked panel opening a part of the report computed from synthetic person-level data.

    ``text`` (report Markdown, rendered inert) says in one line what the illustration shows
    and that its numbers must not be quoted. Everything under the panel up to the next ``h2``
    belongs to the illustration.
    """
    return (
        '<div class="fou-illustration" role="note">'
        f'<p class="fou-illustration-title">{ILLUSTRATION_TITLE}</p>'
        f"<p>{_inline_markdown(text)}</p></div>"
    )


def illustration(text: str) -> None:
    """Show the "Illustrasjon på syntetiske data" panel (see :func:`illustration_html`).

    From here to :func:`end_illustration` or :func:`appendix`, every numbered figure and
    table is marked as synthetic: «(syntetiske data)» in its caption (unless the caption
    says so already) and the dashed frame of the panel around it (class ``fou-synthetic``).
    """
    _COUNT.illustration = True
    _display_html(illustration_html(text))


def end_illustration() -> None:
    """End the marked part: the next figures, tables and text show published or real data.

    A part also ends at the next :func:`illustration` panel and at :func:`appendix`; a notebook
    ends it itself where a section of published or real data follows one computed from
    synthetic data (the code cannot see the Markdown headings between them).
    """
    _COUNT.illustration = False


def in_illustration() -> bool:
    """Whether a marked part is open (from :func:`illustration` to :func:`end_illustration`
    or :func:`appendix`)."""
    return _COUNT.illustration


def illustration_text_html(body_html: str, *, synthetic: bool | None = None) -> str:
    """Report text (``body_html``: paragraphs rendered by
    :func:`analysis.render.inert.markdown_html`) inside the dashed frame when it states
    results computed from synthetic data; as it is otherwise.

    ``synthetic`` None: framed when a marked part is open (the text follows an
    :func:`illustration` panel in the same section), so every paragraph after the panel sits
    in the frame like the figures and tables there. True: framed in any case; when no part is
    open, the frame carries the panel's title («Illustrasjon på syntetiske data») and opens a
    marked part, so the title is shown once per part, not on every paragraph (for text in the
    appendix; the notebook ends the part with :func:`end_illustration`). False: never framed
    (text about published figures inside a part). With real person-level data the notebooks
    open no part and pass no True, so their text is never framed.

    A paragraph after the panel gets the frame's dashed left rule (class
    ``fou-illustration fou-synthetic-text``), as the figures and tables of the part do; one
    that opens a part gets the whole panel.
    """
    if synthetic is False or (synthetic is None and not _COUNT.illustration):
        return body_html
    if _COUNT.illustration:
        return f'<div class="fou-illustration fou-synthetic-text">{body_html}</div>'
    _COUNT.illustration = True
    return (
        '<div class="fou-illustration" role="note">'
        f'<p class="fou-illustration-title">{ILLUSTRATION_TITLE}</p>{body_html}</div>'
    )


#: added to the caption of a figure or table computed from synthetic data
SYNTHETIC_MARK = "(syntetiske data)"


def _marked(title: str) -> str:
    if not _COUNT.illustration or "syntetisk" in title.lower():
        return title
    return f"{title} {SYNTHETIC_MARK}"


def _block_class(base: str) -> str:
    return f"{base} fou-synthetic" if _COUNT.illustration else base


def source_html(source: str) -> str:
    """The "Kilde:" line under a figure or table."""
    text = source.strip()
    if not text.endswith("."):
        text += "."
    return f'<p class="kilde">Kilde: {htmllib.escape(text)}</p>'


def next_figure() -> int:
    """The number of the next figure."""
    _COUNT.figures += 1
    return _COUNT.figures


def next_table() -> int:
    """The number of the next table."""
    _COUNT.tables += 1
    return _COUNT.tables


def figure_caption_html(number: int, title: str, tag: str = "p") -> str:
    """ "Figur N. Title" above a figure."""
    return (
        f'<{tag} class="fou-figure-caption"><span class="fou-number">Figur {number}.</span> '
        f"{htmllib.escape(title)}</{tag}>"
    )


def figure_html(
    number: int,
    png: bytes,
    *,
    title: str,
    alt: str,
    source: str,
    narrow_png: bytes | None = None,
) -> str:
    """One ``<figure>``: caption, the PNG (embedded, with its alt text) and the "Kilde:" line,
    so that print and PDF keep them on one page.

    With ``narrow_png`` (the phone layout of the same figure,
    :func:`analysis.render.figures.narrow_png_bytes`) the figure holds two images with the
    same alt text: ``fou-wide`` and ``fou-narrow``. The style sheet shows exactly one of them
    (``display: none`` on the other, so a screen reader reads one): the narrow one on screens
    narrower than 36rem, the wide one elsewhere and in print.
    """
    import base64

    if not alt or not alt.strip():
        raise ValueError("hver figur trenger en alternativ tekst (alt-tekst)")
    alt_attr = htmllib.escape(alt)
    data = base64.b64encode(png).decode("ascii")
    if narrow_png is None:
        images = f'<img src="data:image/png;base64,{data}" alt="{alt_attr}">'
    else:
        narrow = base64.b64encode(narrow_png).decode("ascii")
        images = (
            f'<img class="fou-wide" src="data:image/png;base64,{data}" alt="{alt_attr}">'
            f'<img class="fou-narrow" src="data:image/png;base64,{narrow}" alt="{alt_attr}">'
        )
    return (
        f'<figure class="{_block_class("fou-figure")}">'
        f"{figure_caption_html(number, _marked(title), tag='figcaption')}"
        f"{images}{source_html(source)}</figure>"
    )


def figure(fig: Figure, *, title: str, alt: str, source: str) -> int:
    """Show a numbered figure: "Figur N. title", the image with its alt text, "Kilde: …".

    The figure is embedded twice: as drawn, and laid out again for a phone screen
    (:func:`analysis.render.figures.narrow_layout`: the same drawing, so the same values);
    the style sheet shows one of them (:func:`figure_html`).

    Returns the figure's number so the text can refer to it ("figur 2").
    """
    import matplotlib.pyplot as plt

    from analysis.render.figures import narrow_png_bytes, png_bytes

    n = next_figure()
    png = png_bytes(fig)
    narrow = narrow_png_bytes(fig)
    plt.close(fig)
    _display_html(figure_html(n, png, title=title, alt=alt, source=source, narrow_png=narrow))
    return n


def numbered_table_html(table_html: str, number: int, source: str | None) -> str:
    """Put "Tabell N." in front of the first caption and a "Kilde:" line after the table, in
    one block that print and PDF keep on one page (unless the table is long)."""
    m = re.search(r"<caption>(.*?)</caption>", table_html, flags=re.DOTALL)
    if m is None:
        raise ValueError("en nummerert tabell trenger en <caption>")
    caption = m.group(1)
    if _COUNT.illustration and "syntetisk" not in caption.lower():
        caption = f"{caption} {SYNTHETIC_MARK}"
    out = (
        table_html[: m.start()]
        + f'<caption><span class="fou-number">Tabell {number}.</span> {caption}</caption>'
        + table_html[m.end() :]
    )
    kilde = source_html(source) if source else ""
    return f'<div class="{_block_class("fou-table-block")}">{out}{kilde}</div>'


def table(table_html: str, *, source: str) -> int:
    """Show a numbered table (HTML from :func:`analysis.render.tables.html_table`)."""
    n = next_table()
    _display_html(numbered_table_html(table_html, n, source))
    return n


def appendix_html() -> str:
    """The heading that opens the "Om statistikken" appendix."""
    return (
        f'<h2 id="{APPENDIX_ID}" class="appendix">{APPENDIX_TITLE}</h2>'
        '<p class="appendix-intro">Definisjoner, kilder, metode, usikkerhet, personvern og '
        "datakvalitet.</p>"
    )


def appendix() -> None:
    """Open the "Om statistikken" appendix (definitions, sources, methods, uncertainty,
    disclosure control, data quality); ends a marked illustration part."""
    _COUNT.illustration = False
    _display_html(appendix_html())
