"""Inert text: no string from the input data ever becomes markup in a report.

Three walls, from the inside out:

1. **Data values are escaped for Markdown** where report code writes them into a sentence
   (:func:`md_escape`): every ASCII punctuation character gets a backslash, which CommonMark
   guarantees renders as the character itself, so a project id such as ``*JJ19*`` stays
   ``*JJ19*`` and never turns into emphasis, a code span or a list marker.
2. **Markdown is rendered here, not by nbconvert** (:func:`markdown_html`, used by
   :func:`analysis.render.notebook.md`): CommonMark with raw HTML switched off and without
   links, images, autolinks, headings, code blocks or block quotes. Whatever a sentence
   contains, the result is paragraphs, lists, emphasis and escaped text: ``<img onerror>``,
   ``<details ontoggle>``, ``[x](javascript:…)`` and ``![](http://…)`` come out as visible
   characters. The notebook stores the HTML, so the executed notebook, both HTML exports and
   anything else that displays it show the same inert text. The report template renders any
   other ``text/markdown`` output with the same renderer.
3. **A Content-Security-Policy** in every HTML file (:data:`CSP`): no script runs and nothing
   is fetched from the network even if something slipped through.

Tables, key-figure cards, alt text and ``index.html`` escape with :func:`html.escape`;
figures never read text as a formula (``text.parse_math`` is off in the theme,
:func:`analysis.render.figures.apply_theme`).

References: CommonMark Spec 0.31, section 2.4 (backslash escapes) and 6.6 (raw HTML);
W3C Content Security Policy Level 3 (delivery in a ``<meta>`` element).
"""

from __future__ import annotations

import re
import string
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

#: the policy every HTML file under the output folder carries: nothing runs, nothing is
#: fetched; images only as embedded ``data:`` URLs, styles only inline
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

_PUNCT = frozenset(string.punctuation)  # the ASCII punctuation CommonMark lets us escape
_BREAKS = re.compile(r"[\r\n\t\v\f\u0085\u2028\u2029]+")

# Block rules kept: paragraph, list. Inline rules kept: text, escape, entity, emphasis,
# backticks, newline. Everything that can make a link, load a resource or pass raw HTML
# through is switched off.
_DISABLED = [
    "link",
    "image",
    "autolink",
    "html_inline",
    "html_block",
    "reference",
    "heading",
    "lheading",
    "code",
    "fence",
    "blockquote",
    "hr",
    "table",
    "strikethrough",
]


@cache
def _renderer() -> MarkdownIt:
    """The one renderer (built on first use: importing this module stays cheap)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable([r for r in _DISABLED if _has_rule(md, r)])
    md.validateLink = lambda url: False  # type: ignore[method-assign]  # belt and braces
    return md


def _has_rule(md: MarkdownIt, name: str) -> bool:
    return any(name in md.get_all_rules()[chain] for chain in ("core", "block", "inline"))


def md_escape(value: object) -> str:
    """A data value as Markdown that renders as exactly its text.

    Every ASCII punctuation character is backslash-escaped (CommonMark 2.4) and line breaks
    become spaces, so the value can neither start a block nor open any inline construct.
    Escaping does not change the rendered text: ``SYN-P-001`` renders as ``SYN-P-001``.

    >>> md_escape("JJ19<img src=x>")
    'JJ19\\\\<img src\\\\=x\\\\>'
    """
    text = _BREAKS.sub(" ", str(value))
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in text)


def markdown_html(text: str) -> str:
    """Render report Markdown to HTML without raw HTML, links or images.

    Parameters
    ----------
    text
        Markdown written by report code: paragraphs, ``*``/``-`` lists, ``**bold**`` and
        ``*emphasis*``, with data values passed through :func:`md_escape`.

    Returns
    -------
    str
        HTML in which every ``<``, ``>``, ``&`` and ``"`` from ``text`` is escaped; for the
        report's own sentences the same bytes nbconvert's renderer gives.
    """
    return _renderer().render(text)
