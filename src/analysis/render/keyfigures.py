"""Key figures: recorded by a notebook, collected by the pipeline, written as JSON.

A notebook calls :func:`record_key_figures` once; that displays the figures under a private
MIME type, which nbconvert does not render (so they do not show in the HTML) but which stays
in the executed notebook, where :func:`extract_key_figures` finds them. No side files, no
environment variables: the executed notebook is the single record of what it computed.
"""

from __future__ import annotations

import json
from typing import Any

from analysis.render.jsonable import to_jsonable

__all__ = ["MIME", "dumps", "extract_key_figures", "record_key_figures", "to_jsonable"]

MIME = "application/vnd.fou.keyfigures+json"


def record_key_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """Record the notebook's key figures (shown nowhere in the HTML)."""
    from IPython.display import display

    data = to_jsonable(figures)
    display({MIME: data}, raw=True)
    return data


def extract_key_figures(nb: Any) -> dict[str, Any] | None:
    """The key figures recorded in an executed notebook (the last record wins)."""
    found = None
    for cell in nb["cells"]:
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            data = out.get("data", {})
            if MIME in data:
                found = data[MIME]
    return found


def dumps(figures: dict[str, Any]) -> str:
    """Deterministic JSON text (sorted keys, 2-space indent, UTF-8, trailing newline)."""
    return json.dumps(to_jsonable(figures), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
