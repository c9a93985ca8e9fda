"""Accessible, deterministic HTML tables for the reports.

pandas' Styler writes random ids into its HTML, which breaks byte-reproducible reports, and
its header cells lack ``scope``; this small renderer writes a ``<caption>``, column headers
``<th scope="col">``, row headers ``<th scope="row">`` and nothing random. Cells and column
headers of formatted (numeric) columns carry ``class="num"``: right-aligned, tabular figures.

Every table sits in a ``<div class="fou-table-wrap">``: where a table is wider than the text
column (a phone), the report stylesheet lets it scroll sideways inside that box instead of
pushing the page wider. The box is a named region in the tab order (``role="region"``,
``aria-label`` = the caption, ``tabindex="0"``) so that keyboard users can scroll it too
(WCAG 2.1, 2.1.1 Keyboard; axe-core rule ``scrollable-region-focusable``); the reports may
run no script, so the box cannot add itself to the tab order only when it scrolls.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from analysis.render.formatting import MISSING, SUPPRESSED

Formatter = Callable[[object], str]


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    formats: Mapping[str, Formatter] | None = None,
    row_header: str | None = None,
    labels: Mapping[str, str] | None = None,
    suppressed: pd.Series | None = None,
    note: str | None = None,
    shown: Mapping[str, pd.Series] | None = None,
) -> str:
    """Render ``frame`` as an accessible HTML table.

    Parameters
    ----------
    frame
        The rows to show, in order.
    caption
        Table caption (required: it is what a screen reader announces).
    formats
        Column → function turning a value into display text (Norwegian formatting).
    row_header
        Column whose cells are the row headers (``<th scope="row">``).
    labels
        Column → header text shown.
    suppressed
        Boolean per row: print ``:`` in the numeric cells of these rows.
    note
        Footnote under the table.
    shown
        Column → boolean per row: in a suppressed row, the cells of that column are printed
        where True (published figures, such as head counts, that the row's hiding must not
        hide: :func:`analysis.disclosure.hr.show_published_counts`).
    """
    formats = formats or {}
    labels = labels or {}
    cols = list(frame.columns)
    name = html.escape(caption)
    out = [
        f'<div class="fou-table-wrap" role="region" tabindex="0" aria-label="{name}">',
        f'<table class="fou-table"><caption>{name}</caption><thead><tr>',
    ]
    for c in cols:
        cls = ' class="num"' if c in formats and c != row_header else ""
        out.append(f'<th scope="col"{cls}>{html.escape(labels.get(c, str(c)))}</th>')
    out.append("</tr></thead><tbody>")
    supp = suppressed.tolist() if suppressed is not None else [False] * len(frame)
    keep = {c: list(v) for c, v in (shown or {}).items()}
    for i, ((_, row), hidden) in enumerate(zip(frame.iterrows(), supp, strict=True)):
        out.append("<tr>")
        for c in cols:
            v = row[c]
            if c in keep and bool(keep[c][i]):
                hide = False
            else:
                hide = hidden
            if hide and c != row_header and c in formats:
                text = SUPPRESSED
            elif c in formats:
                text = formats[c](v)
            elif v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
                text = MISSING
            else:
                text = str(v)
            text = html.escape(text)
            if c == row_header:
                out.append(f'<th scope="row">{text}</th>')
            else:
                cls = ' class="num"' if c in formats else ""
                out.append(f"<td{cls}>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    if note:
        out.append(f'<p class="fou-table-note">{html.escape(note)}</p>')
    return "".join(out)


def show_table(frame: pd.DataFrame, **kwargs) -> None:
    """Display :func:`html_table` in a notebook."""
    from IPython.display import HTML, display

    display(HTML(html_table(frame, **kwargs)))


def bullet_list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"
