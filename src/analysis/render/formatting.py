"""Numbers written the way IMDi's own reports write them: the one formatter set.

Decimal comma, a narrow no-break space (U+202F) as thousands separator, a no-break space
(U+00A0) before ``%`` and ``kr``, the minus sign U+2212: ``94,6 %``, ``805 041 kr``,
``−1,2 prosentpoeng``. Missing values print as an en dash; suppressed values as ``:``
(SSB's symbol for "not published to protect privacy"). A value that rounds to zero prints
without a sign (``−0,01`` with one decimal is ``0,0``).

Rounding is that of Python's ``format``: the exact binary value is rounded to the nearest
decimal, ties to even (``0.5 → 0``, ``2.5 → 2``, ``0.125 → 0,12``).

Every number in a report, a key-figure card, an alt text, a figure's tick labels and a
finding text goes through :func:`fmt_number`; the functions below only add units. Messages
on the terminal use the same function with ``thousands=NBSP`` (U+202F is missing from the
legacy Windows code pages a console may use).
"""

from __future__ import annotations

import math
from collections.abc import Callable

THIN = "\u202f"  # narrow no-break space: thousands separator
NBSP = "\u00a0"  # no-break space: before a unit
MINUS = "\u2212"
EN_DASH = "–"
MISSING = EN_DASH
SUPPRESSED = ":"


def _is_missing(x: object) -> bool:
    """None, NaN (Python or numpy) and pandas' ``NA``/``NaT``."""
    if x is None:
        return True
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        import pandas as pd

        return x is pd.NA or x is pd.NaT


def fmt_number(
    x: float | int | None, decimals: int = 0, *, trim: bool = False, thousands: str = THIN
) -> str:
    """``1234567.891 → '1 234 567,9'`` (with ``decimals=1``); missing → ``–``.

    Parameters
    ----------
    x
        The number; ``None`` and NaN are missing.
    decimals
        Digits after the decimal comma.
    trim
        Drop trailing zeros after the comma: at most ``decimals`` decimals (``16 → '16'``,
        ``12.5 → '12,5'`` with ``decimals=2``).
    thousands
        Thousands separator: U+202F in reports, U+00A0 in terminal messages.
    """
    if _is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    text = f"{abs(v):,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    negative = v < 0 and text.strip("0,.") != ""
    text = text.replace(",", thousands).replace(".", ",")
    return (MINUS if negative else "") + text


def fmt_pct(x: float | None, decimals: int = 1, *, trim: bool = False) -> str:
    """A percentage given in per cent: ``94.584 → '94,6 %'``."""
    return MISSING if _is_missing(x) else f"{fmt_number(x, decimals, trim=trim)}{NBSP}%"


def fmt_share(x: float | None, decimals: int = 1) -> str:
    """A share given as a fraction: ``0.946 → '94,6 %'``."""
    return MISSING if _is_missing(x) else fmt_pct(100.0 * float(x), decimals)  # type: ignore[arg-type]


def fmt_nok(x: float | None, decimals: int = 0) -> str:
    """An amount in kroner: ``805041 → '805 041 kr'``."""
    return MISSING if _is_missing(x) else f"{fmt_number(x, decimals)}{NBSP}kr"


def fmt_pp(x: float | None, decimals: int = 1) -> str:
    """A difference of percentages: ``-1.23 → '−1,2 prosentpoeng'``."""
    return MISSING if _is_missing(x) else f"{fmt_number(x, decimals)}{NBSP}prosentpoeng"


def fmt_ci_level(alpha: float) -> str:
    """The confidence level ``1 − alpha`` of an interval as the reader sees it:
    ``0.05 → '95 %'``, ``0.1 → '90 %'``, ``0.005 → '99,5 %'`` (up to two decimals,
    trailing zeros dropped; a plain space before ``%`` as in the table labels «95 % KI»)."""
    return fmt_number(100.0 * (1.0 - alpha), 2, trim=True) + " %"


def fmt_int(x: float | int | None) -> str:
    """A count: ``1300 → '1 300'``."""
    return fmt_number(x, 0)


def fmt_ci(
    lo: float | None,
    hi: float | None,
    decimals: int = 1,
    *,
    unit: str = "",
    fmt: Callable[[float], str] | None = None,
    sep: str = EN_DASH,
) -> str:
    """A confidence interval: ``(12.34, 15.6) → '12,3–15,6 %'`` (with ``unit="%"``).

    Parameters
    ----------
    lo, hi
        The limits, on the scale they are printed on (per cent, not fractions, unless
        ``fmt`` converts them).
    decimals
        Decimals of both limits (:func:`fmt_number`).
    unit
        Written once, after the upper limit, with a no-break space: the style of tables.
    fmt
        Formats each limit instead, unit included: ``fmt=fmt_share`` gives
        ``'12,3 %–15,6 %'`` for ``(0.123, 0.156)``, the style of sentences.
    sep
        Between the limits: an en dash (``" til "`` where a dash could be read as a minus).

    Returns
    -------
    str
        ``–`` when either limit is missing or infinite.
    """
    if _is_missing(lo) or _is_missing(hi) or not math.isfinite(lo) or not math.isfinite(hi):  # type: ignore[arg-type]
        return MISSING
    if fmt is not None:
        return f"{fmt(lo)}{sep}{fmt(hi)}"  # type: ignore[arg-type]
    suffix = f"{NBSP}{unit}" if unit else ""
    return f"{fmt_number(lo, decimals)}{sep}{fmt_number(hi, decimals)}{suffix}"
