"""The one JSON sanitiser: plain JSON values from Python, numpy and pandas objects.

Every record written as JSON goes through :func:`to_jsonable`: the key figures
(:mod:`analysis.render.keyfigures`), the metadata of synthetic data files
(:mod:`analysis.data.synthetic`) and the records of the estimators
(:func:`analysis.methods.oaxaca.to_records`, the Jobbsjansen key figures). JSON has no NaN or
infinity (RFC 8259, section 6), so a missing or non-finite number becomes ``null``; numpy
scalars become the Python value they hold; nothing else changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np


def to_jsonable(obj: Any, *, fallback: Callable[[Any], Any] | None = None) -> Any:
    """``obj`` with plain JSON types only.

    Parameters
    ----------
    obj
        A value, or mappings, lists and tuples of values, nested.
    fallback
        Called with any other object (e.g. ``str`` for a group label of an unknown type);
        without it such an object is an error.

    Returns
    -------
    Any
        Mappings become dicts with string keys, tuples become lists, numpy scalars become
        Python scalars; NaN, ±infinity, ``None``, ``pandas.NA`` and ``NaT`` become ``None``;
        dates and times become ISO 8601 text; bools, ints, finite floats and strings are
        returned as they are.

    Raises
    ------
    TypeError
        For an object of another type when there is no ``fallback``.
    """
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v, fallback=fallback) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v, fallback=fallback) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if _is_pandas_missing(obj):
        return None
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    if fallback is not None:
        return fallback(obj)
    raise TypeError(f"kan ikke gjøres om til JSON: {type(obj).__name__}")


def json_number(x: Any) -> float | None:
    """A number as a JSON float: ``None`` when missing (None, NaN, ``pandas.NA``) or infinite."""
    if x is None or _is_pandas_missing(x):
        return None
    return to_jsonable(float(x))


def _is_pandas_missing(obj: Any) -> bool:
    import pandas as pd

    return obj is pd.NA or obj is pd.NaT
