"""The HTML pages and blocks the package writes itself, from Jinja templates.

The templates live in ``analysis/render/templates/pages/`` beside the nbconvert report
template (``templates/fou/``): ``index.html.j2`` (the overview page of a report folder) and
``provenance.html.j2`` (the provenance block at the end of every report). Every value a
template prints is escaped as :func:`html.escape` escapes it (``&``, ``<``, ``>``, ``"``,
``'``), the escaping every other HTML writer of the package uses, so that every string from a
catalogue or from data is inert text; only values marked :class:`markupsafe.Markup` by the
caller (the Content-Security-Policy ``<meta>`` element) are inserted as they are.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def _escape(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value)))


@cache
def environment() -> Any:
    """The Jinja environment of the pages: autoescape on, templates from
    :data:`TEMPLATE_DIR`, undefined names an error, trailing newlines kept."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        finalize=_escape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_page(name: str, **context: Any) -> str:
    """Render the template ``name`` (relative to :data:`TEMPLATE_DIR`) with ``context``."""
    return environment().get_template(name).render(**context)
