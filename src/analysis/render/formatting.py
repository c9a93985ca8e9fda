"""Numbers written the way IMDi's own reports write them.

Decimal comma, a narrow no-break space (U+202F) as thousands separator, a no-break space
(U+00A0) before ``%`` and ``kr``: ``94,6 %``, ``805 041 kr``. Missing values print as an en
dash; suppressed values as ``:`` (SSB's symbol for "not published to protect privacy").
"""

from __future__ import annotations

import math

THIN = "\u202f"  # narrow no-break space: thousands separator
NBSP = "\u00a0"
MISSING = "–"
SUPPRESSED = ":"


def _is_missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def fmt_number(x: float | int | None, decimals: int = 0) -> str:
    """``1234567.891 → '1 234 567,9'`` (with ``decimals=1``); missing → ``–``."""
    if _is_missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    text = f"{abs(v):,.{decimals}f}".replace(",", THIN).replace(".", ",")
    negative = v < 0 and text.strip("0,\u202f") != ""
    return ("\u2212" if negative else "") + text


def fmt_pct(x: float | None, decimals: int = 1) -> str:
    """A percentage given in per cent: ``94.584 → '94,6 %'``."""
    return MISSING if _is_missing(x) else f"{fmt_number(x, decimals)}{NBSP}%"


def fmt_share(x: float | None, decimals: int = 1) -> str:
    """A share given as a fraction: ``0.946 → '94,6 %'``."""
    return MISSING if _is_missing(x) else fmt_pct(100.0 * float(x), decimals)  # type: ignore[arg-type]


def fmt_nok(x: float | None, decimals: int = 0) -> str:
    """An amount in kroner: ``805041 → '805 041 kr'``."""
    return MISSING if _is_missing(x) else f"{fmt_number(x, decimals)}{NBSP}kr"


def fmt_pp(x: float | None, decimals: int = 1) -> str:
    """A difference of percentages: ``-1.23 → '−1,2 prosentpoeng'``."""
    return MISSING if _is_missing(x) else f"{fmt_number(x, decimals)}{NBSP}prosentpoeng"


def fmt_int(x: float | int | None) -> str:
    return fmt_number(x, 0)
