"""Key figures: recorded by a notebook, collected by the pipeline, written as JSON.

A notebook calls :func:`record_key_figures` once; that displays the figures under a private
MIME type, which nbconvert does not render (so they do not show in the HTML) but which stays
in the executed notebook, where :func:`extract_key_figures` finds them. No side files, no
environment variables: the executed notebook is the single record of what it computed.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

MIME = "application/vnd.fou.keyfigures+json"


def to_jsonable(obj: Any) -> Any:
    """Plain JSON types: numpy scalars to Python, NaN/inf to None, tuples to lists."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    try:
        import pandas as pd

        if obj is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    raise TypeError(f"not JSON-serialisable: {type(obj).__name__}")


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
