"""What the report notebooks call to show things: title and synthetic-data banner, key-figure
cards, Markdown with computed numbers, the provenance block. Keeps logic out of notebooks."""

from __future__ import annotations

import html as htmllib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from analysis.render.figures import apply_theme
from analysis.render.inert import markdown_html
from analysis.render.methodtext import method_markdown
from analysis.render.provenance import provenance, provenance_html
from analysis.render.sources import DATA_SOURCE_TEXT, SYNTHETIC_BANNER_TEXT, SYNTHETIC_BANNER_TITLE

#: output metadata marking HTML rendered from report Markdown: the report template wraps it
#: as a Markdown output (``output_markdown``), as nbconvert would have
MARKDOWN_FLAG = "fou_markdown"


def setup() -> None:
    """Figure theme and quiet, deterministic output for a report notebook."""
    import warnings

    from analysis.render import publication

    apply_theme()
    publication.reset()
    warnings.filterwarnings("ignore", category=FutureWarning)
    # warnings stay visible in the researchers' version, but without file paths
    warnings.formatwarning = _format_warning


def _format_warning(message, category, filename, lineno, line=None) -> str:
    return f"{category.__name__}: {message}\n"


def _display_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))


def banner_html(data_source: str, note: str | None = None) -> str:
    """The synthetic-data banner (empty for real data)."""
    if data_source != "synthetic":
        return ""
    extra = f" {htmllib.escape(note)}" if note else ""
    return (
        f'<div class="fou-banner" role="note"><strong>{SYNTHETIC_BANNER_TITLE}</strong> '
        f"{SYNTHETIC_BANNER_TEXT}{extra}</div>"
    )


def header(
    title: str,
    year: int,
    data_source: str,
    note: str | None = None,
    publication_date: str | date | None = None,
    source_text: str | None = None,
) -> None:
    """The report's only ``h1``, the masthead (statistics year, publication date, publisher,
    contact: :func:`analysis.render.publication.masthead_html`), the synthetic banner and the
    data source (``source_text``, or the words for ``data_source``)."""
    from analysis.render.publication import masthead_html

    source = source_text or DATA_SOURCE_TEXT.get(data_source, data_source)
    _display_html(
        f"<h1>{htmllib.escape(title)} {year}</h1>"
        f"{masthead_html(year, publication_date)}"
        f"{banner_html(data_source, note)}"
        f"<p>Datagrunnlag: {htmllib.escape(source)}.</p>"
    )


def html(text: str) -> None:
    """Display a piece of HTML (tables from :mod:`analysis.render.tables`)."""
    _display_html(text)


def key_figure_cards(items: Sequence[tuple[str, str]]) -> None:
    """Headline figures as a list of cards: (label, formatted value)."""
    lis = "".join(
        f'<li><span class="value">{htmllib.escape(v)}</span>{htmllib.escape(k)}</li>'
        for k, v in items
    )
    _display_html(f'<ul class="fou-keyfigures">{lis}</ul>')


def md(text: str) -> None:
    """Show a paragraph (or list) of report Markdown with computed numbers.

    Rendered to HTML here by :func:`analysis.render.inert.markdown_html` (no raw HTML, no
    links, no images), so no data string in ``text`` can become markup in the HTML exports
    or the executed notebook; data values in ``text`` go through
    :func:`analysis.render.inert.md_escape` so that they are not read as Markdown either.
    Numbers use Norwegian formatting from :mod:`analysis.render.formatting`.
    """
    from IPython.display import HTML, display

    display(HTML(markdown_html(text)), metadata={MARKDOWN_FLAG: True})


def method_section(domain: str, **values: Any) -> None:
    """Show the report's method section (:func:`analysis.render.methodtext.method_markdown`):
    the same text as in ``docs/methods.md``, with the report's own ``values``."""
    md(method_markdown(domain, **values))


def provenance_block(parameters: Mapping[str, Any], inputs: Iterable[Path | str | None]) -> None:
    """Show the provenance block (commit, input checksums, parameters, versions)."""
    files = [Path(p) for p in inputs if p]
    _display_html(provenance_html(provenance(parameters, files)))
