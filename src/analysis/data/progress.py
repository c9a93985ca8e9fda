"""Progress lines for long input steps (reading and validating large files).

Silent unless a reporter is set: ``fou run`` sets one that writes to stderr (not with
``--quiet``); notebooks never do, so reports stay byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.render.formatting import NBSP, fmt_number

#: files from this size on (bytes) get a line before reading and before validating
MIN_BYTES: int = 20 * 1024**2
#: tables from this many rows on get a line before validating, whatever the file size
MIN_ROWS: int = 100_000

_reporter: Callable[[str], None] | None = None


def set_reporter(reporter: Callable[[str], None] | None) -> None:
    """Send progress lines to ``reporter`` (None: silent, the default)."""
    global _reporter
    _reporter = reporter


def report(message: str) -> None:
    """Pass one progress line to the reporter, if one is set."""
    if _reporter is not None:
        _reporter(message)


def count(n: float) -> str:
    """A whole number for the terminal: ``1000000`` → ``1 000 000`` (no-break spaces between
    thousands; rounded to a whole number)."""
    return fmt_number(n, 0, thousands=NBSP)
