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


#: where a key figure comes from (issue 20, "quotable numbers")
SOURCES = ("published", "microdata", "synthetic")
#: keys that describe the report, not a figure a reader quotes
META_KEYS = frozenset({"year", "compare_year", "data_source", "person_data_source", "synthetic"})
ILLUSTRATION_KEY = "synthetic_illustration"


def arrange_key_figures(figures: dict[str, Any], sources: dict[str, str]) -> dict[str, Any]:
    """Key figures in the quotable shape: what a reader may quote at the top level.

    Figures from published tables (``"published"``) or real person-level data
    (``"microdata"``) stay at the top level under their own names; figures computed from
    synthetic data (``"synthetic"``) move under ``synthetic_illustration``, so no client of the
    JSON can mistake an illustration for a result. ``sources`` (key → origin) is written for
    every figure, top level and illustration alike.

    Parameters
    ----------
    figures
        Key figures by name, including the meta keys (:data:`META_KEYS`).
    sources
        Origin of every non-meta key: one of :data:`SOURCES`.

    Raises
    ------
    ValueError
        When a figure has no source, a source is unknown, or a source names no figure.
    """
    names = [k for k in figures if k not in META_KEYS]
    missing = [k for k in names if k not in sources]
    unknown = {k: v for k, v in sources.items() if v not in SOURCES}
    extra = [k for k in sources if k not in figures]
    if missing or unknown or extra:
        raise ValueError(
            f"nøkkeltall uten kilde {missing}, ukjente kilder {unknown}, "
            f"kilder uten nøkkeltall {extra}"
        )
    out: dict[str, Any] = {k: v for k, v in figures.items() if k in META_KEYS}
    illustration = {k: figures[k] for k in names if sources[k] == "synthetic"}
    out.update({k: figures[k] for k in names if sources[k] != "synthetic"})
    if illustration:
        out[ILLUSTRATION_KEY] = illustration
    out["sources"] = {k: sources[k] for k in names}
    return out
