"""Single values read from frames and JSON: missing markers as NaN."""

from __future__ import annotations

from typing import Any

import pandas as pd


def as_float(x: Any) -> float:
    """``x`` as a float, with ``None``, ``pd.NA`` and ``NaN`` as ``nan``.

    >>> as_float(None), as_float(pd.NA), as_float(3)
    (nan, nan, 3.0)
    """
    return float("nan") if x is None or pd.isna(x) else float(x)
