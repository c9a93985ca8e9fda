"""What the report notebooks call to show things: title and synthetic-data banner, key-figure
cards, Markdown with computed numbers, prose that follows the parameters, notes for the
researcher, the frames behind the tables (in JupyterLab only), the provenance block. Keeps
logic out of notebooks."""

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
#: output metadata holding report prose (:func:`prose`, its Markdown source): the report
#: template lays the cell out as a Markdown cell with that source, so text that follows a
#: parameter reads as the narrative around it
PROSE_FLAG = "fou_prose"
#: output metadata marking a note for the researcher (:func:`notes`): in the code version and
#: the executed notebook, not in the ministry version
RESEARCHER_FLAG = "fou_researcher"
#: id columns of person-level data: a frame holding one is never shown by :func:`inspect`
PERSON_IDS = frozenset({"person_id", "participant_id"})
#: set by ``fou run`` in the kernel's environment: the notebook is being built as a report
PIPELINE_ENV = "FOU_PIPELINE"


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


def md(text: str, *, synthetic: bool | None = None) -> None:
    """Show a paragraph (or list) of report Markdown with computed numbers.

    Text that states results computed from synthetic data sits inside the dashed frame of
    the «Illustrasjon på syntetiske data» panel
    (:func:`analysis.render.publication.illustration_text_html`): every paragraph after a
    panel, until the part ends, and a paragraph shown with ``synthetic=True`` (outside a
    part it opens one, with the panel's title). ``synthetic=False`` keeps a paragraph out of
    the frame. Real person-level data open no part, so their text is shown as it is.

    Rendered to HTML here by :func:`analysis.render.inert.markdown_html` (no raw HTML, no
    links, no images), so no data string in ``text`` can become markup in the HTML exports
    or the executed notebook; data values in ``text`` go through
    :func:`analysis.render.inert.md_escape` so that they are not read as Markdown either.
    Numbers use Norwegian formatting from :mod:`analysis.render.formatting`.
    """
    from IPython.display import HTML, display

    from analysis.render.publication import illustration_text_html

    body = markdown_html(text)
    if body.strip():  # an empty text (a section with nothing to say) gets no empty frame
        body = illustration_text_html(body, synthetic=synthetic)
    display(HTML(body), metadata={MARKDOWN_FLAG: True})


def prose(text: str) -> None:
    """Show report narrative written by the code, because it follows a parameter (the
    covariates a model takes into account): a heading and paragraphs of Markdown.

    The report template lays the cell out as a Markdown cell (same markup, same heading ids),
    so a report with the standard parameters is the same whether a paragraph is written in a
    Markdown cell or here. ``text`` is the package's own words: raw HTML, links and images
    are refused (data values never belong in prose; use :func:`md`).
    """
    from IPython.display import HTML, display

    if "<" in text or "](" in text or "&" in text:
        raise ValueError("prosa kan ikke inneholde HTML, lenker eller bilder; bruk rn.md")
    # the Markdown source rides in the output's metadata, not as text/markdown data: no
    # executed notebook holds Markdown a front end could render with raw HTML
    display(HTML(markdown_html(text)), metadata={PROSE_FLAG: text})


def interactive() -> bool:
    """Whether the notebook runs for a researcher (JupyterLab, papermill by hand), not as a
    report built by ``fou run`` (which sets :data:`PIPELINE_ENV` for its kernels)."""
    import os

    return not os.environ.get(PIPELINE_ENV)


def notes(items: Sequence[str], *, title: str = "Merknad til analysen") -> None:
    """Show the notes of a report build (e.g. :attr:`analysis.paygap.report.PayGapReport.notes`:
    persons outside the common support) once, as a note the researcher can act on.

    Shown in the executed notebook and the code version; the ministry version leaves them out
    (a note there is written into the report's own text where it matters).
    """
    if not items:
        return
    from IPython.display import HTML, display

    lis = "".join(f"<li>{htmllib.escape(t)}</li>" for t in items)
    display(
        HTML(
            f'<div class="fou-illustration fou-note" role="note"><p class="fou-illustration-title">'
            f"{htmllib.escape(title)}</p><ul>{lis}</ul></div>"
        ),
        metadata={RESEARCHER_FLAG: True},
    )


def inspect(result: Any, *, show: bool | None = None) -> None:
    """In an interactive session, show the frames behind a report: every
    :class:`pandas.DataFrame` field of the build's dataclass (and of the dataclasses in it,
    such as a Ñopo or EU result), each under its name. Nothing when ``fou run`` builds the
    report (:func:`interactive`), or when ``show`` is False.

    The frames are the protected ones the report shows (hidden cells as NaN); the
    person-level data themselves (``r.person.frame``, one row per person) are never shown.
    Use ``frames(result)`` to get them as a dict.
    """
    if not (interactive() if show is None else show):
        return
    from IPython.display import HTML, display

    for name, frame in frames(result).items():
        display(HTML(f"<p><strong>{htmllib.escape(name)}</strong> ({len(frame)} rader)</p>"))
        display(frame)


def frames(result: Any, prefix: str = "r") -> dict[str, Any]:
    """The :class:`pandas.DataFrame` fields of a dataclass, recursively (``r.nopo.per_group``),
    by their attribute path; lists of dataclasses (the Oaxaca results) as ``r.oaxaca[0]…``;
    the numbers of a nested dataclass (``r.nopo``, ``r.adjusted``, ``r.headline``) as a
    one-column frame. Frames of person-level rows (:data:`PERSON_IDS`) are left out.
    """
    import dataclasses

    import pandas as pd

    out: dict[str, Any] = {}

    def walk(obj: Any, path: str, depth: int) -> None:
        if isinstance(obj, pd.DataFrame):
            if not PERSON_IDS & set(map(str, obj.columns)):  # never person-level rows
                out[path] = obj
        elif depth < 3 and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            scalars = {
                f.name: getattr(obj, f.name)
                for f in dataclasses.fields(obj)
                if isinstance(getattr(obj, f.name), (int, float, str, bool, type(None)))
            }
            if depth > 0 and scalars:  # a small result (Ñopo parts, a rate ratio) as a column
                out[path] = pd.DataFrame({"verdi": pd.Series(scalars, dtype=object)})
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name), f"{path}.{f.name}", depth + 1)
        elif depth < 3 and isinstance(obj, (list, tuple)):
            for i, item in enumerate(obj):
                if dataclasses.is_dataclass(item):
                    walk(item, f"{path}[{i}]", depth + 1)
        elif depth < 3 and isinstance(obj, dict):
            for k, item in obj.items():
                if dataclasses.is_dataclass(item) or isinstance(item, pd.DataFrame):
                    walk(item, f"{path}[{k!r}]", depth + 1)

    walk(result, prefix, 0)
    return out


def method_section(domain: str, **values: Any) -> None:
    """Show the report's method section (:func:`analysis.render.methodtext.method_markdown`):
    the same text as in ``docs/methods.md``, with the report's own ``values``."""
    md(method_markdown(domain, **values))


def provenance_block(
    parameters: Mapping[str, Any],
    inputs: Iterable[Path | str | None],
    choices: Mapping[str, Any] | None = None,
    used: Mapping[str, Any] | None = None,
) -> None:
    """Show the provenance block (commit, input checksums, parameters, versions).

    ``choices`` are the analysis choices (``oaxaca_covariates``, …): listed with the
    parameters when set, left out when None (the standard model, which the report's method
    text describes); a list is shown as its items separated by commas.

    ``used`` says what a parameter left empty (None) stood for in this build: the value the
    report computed for it and why, e.g. ``{"compare_year": "2024 (standard: året før)"}``.
    It is shown instead of «ingen», so the block names the value actually used; a parameter
    that was set is shown as set.
    """
    files = [Path(p) for p in inputs if p]
    shown = dict(parameters)
    for name, value in (used or {}).items():
        if name in shown and shown[name] is None and value is not None:
            shown[name] = value
    for name, value in (choices or {}).items():
        if value is None:
            continue
        shown[name] = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
    _display_html(provenance_html(provenance(shown, files)))
