"""Problems found in input files, and the error that carries them all.

Kept free of pandas so that the command line can report input errors without importing the
data stack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


def visible(text: str) -> str:
    """``text`` with every non-printable character written as an escape (``\\x1b``,
    ``\\u202e``), so that a message never recolours the terminal or reorders its own text.
    Values are quoted with :func:`repr`, which does the same."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(text))


@dataclass(frozen=True)
class Problem:
    """One problem in an input file.

    Shown to users (in bokmål) as ``file, rad R, kolonne 'C', verdi 'V': message``.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [visible(self.file)]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f"kolonne '{visible(self.column)}'")
        text = ", ".join(where)
        if self.value is not None:
            text += f", verdi {self.value!r}"
        return f"{text}: {self.message}"


class DataValidationError(ValueError):
    """Raised when an input file breaks its schema; holds every problem found."""

    def __init__(self, problems: Sequence[Problem], max_listed: int = 200):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        head = f"{len(self.problems)} feil i {', '.join(files)}:"
        lines = [f"  - {p}" for p in self.problems[:max_listed]]
        if len(self.problems) > max_listed:
            lines.append(f"  ... og {len(self.problems) - max_listed} til")
        super().__init__("\n".join([head, *lines]))

    def to_frame(self) -> Any:
        """The problems as a pandas table (file, row, column, value, message)."""
        import pandas as pd

        return pd.DataFrame([p.__dict__ for p in self.problems])


@dataclass
class ProblemCollector:
    """Collects problems across several files so they can be raised together."""

    problems: list[Problem] = field(default_factory=list)

    def run(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except DataValidationError as e:
            self.problems.extend(e.problems)
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataValidationError(self.problems)
