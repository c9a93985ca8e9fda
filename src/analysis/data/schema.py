"""Declarative table schemas and a validator that reports every problem at once.

A :class:`Schema` lists the columns of a table with their type, code list and range, the
keys that must be unique and cross-column rules. :func:`validate` takes a frame of *raw text
cells* (as read from a file, nothing converted yet), parses every cell, and either returns a
typed frame or raises :class:`DataValidationError` listing every problem with the file, the
row, the column and the offending value, in plain bokmål (the terms are listed in
``docs/schemas.md``, «Ordliste for meldinger»).

Rows are numbered as a person sees them in a spreadsheet or text editor: the header is row 1,
the first data row is row 2.

Why not pandera: the checks here are few and simple, and the error messages are part of the
product (a researcher must be able to fix an HR export from them), so the engine is kept small
and under our control. The structure (column specs, unique keys, lazy validation collecting all
failure cases) follows pandera's ``DataFrameSchema(..., lazy=True)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analysis.data.errors import DataValidationError, Problem, ProblemCollector
from analysis.data.free_text import forbidden_character, normalise_text

__all__ = [
    "Column",
    "DataValidationError",
    "Problem",
    "ProblemCollector",
    "RowRule",
    "Schema",
    "empty_frame",
    "validate",
]

DType = Literal["int", "float", "str", "bool", "date"]

#: spreadsheet row number of the first data row (the header is row 1)
FIRST_DATA_ROW = 2

_TRUE = {"true", "1", "ja", "j", "yes", "y", "sann", "x"}
_FALSE = {"false", "0", "nei", "n", "no", "usann"}
_MISSING = {"", "na", "nan", "null", "none", "<na>", "nat"}


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name
        Canonical column name (English, snake_case).
    dtype
        ``int``, ``float``, ``str``, ``bool`` or ``date`` (ISO ``YYYY-MM-DD``; ``DD.MM.YYYY``
        is accepted too).
    required
        The column must be present in the file.
    nullable
        Empty cells are allowed.
    allowed
        Code list: every non-empty value must be one of these.
    min, max
        Inclusive range for numbers; ``min_exclusive`` makes the lower bound strict.
    earliest, latest
        Inclusive range for dates, ISO ``YYYY-MM-DD``.
    description, unit
        Documentation, shown in the catalogue; in messages to users (bokmål) when the
        schema's ``describe_missing`` is on (the description) or by the loaders (the unit).
    """

    name: str
    dtype: DType
    required: bool = True
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    description: str = ""
    unit: str = ""
    earliest: str | None = None
    latest: str | None = None


@dataclass(frozen=True)
class RowRule:
    """A rule across columns: ``check(frame)`` returns a boolean Series, True where violated.

    ``message`` is shown to users and is written in bokmål.

    ``columns`` names the columns the message refers to (the first is reported as the column
    of the problem, and all their values are quoted). The rule is only evaluated on rows where
    every one of ``columns`` parsed without error and is non-missing.
    """

    message: str
    columns: tuple[str, ...]
    check: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Schema:
    """A table: its columns, unique keys and cross-column rules.

    ``describe_missing``: the message for a missing column quotes the column's description
    (which must then be bokmål); off for schemas whose descriptions are English developer
    documentation (the catalogue of published tables).
    """

    name: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    rules: tuple[RowRule, ...] = ()
    allow_extra_columns: bool = True
    description: str = ""
    describe_missing: bool = True

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


# --------------------------------------------------------------------------- parsing cells


def is_missing(text: str) -> bool:
    return text.strip().lower() in _MISSING


_NUM_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


def parse_number(text: str, decimal: str = ".") -> float:
    """Parse one number written by a person or a spreadsheet.

    Accepts thousands separators written as (thin/non-breaking) spaces, a decimal comma when
    ``decimal=","`` (then ``.`` is taken as a thousands separator only in the unambiguous
    pattern ``1.234.567`` or ``1.234,5``), a leading minus or Unicode minus.

    Raises
    ------
    ValueError
        If the text is not a number.
    """
    s = _NUM_SPACES.sub("", text.strip()).replace("\u2212", "-")
    if decimal == ",":
        if "," in s:
            if re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+,\d*", s):
                s = s.replace(".", "")
            s = s.replace(",", ".")
        elif re.fullmatch(r"[-+]?\d{1,3}(\.\d{3}){2,}", s):
            s = s.replace(".", "")
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", s):
        raise ValueError(text)
    return float(s)


def parse_bool(text: str) -> bool:
    t = text.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError(text)


_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")


def parse_date(text: str) -> pd.Timestamp:
    t = text.strip()
    m = _ISO.fullmatch(t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DMY.fullmatch(t)
        if not m:
            raise ValueError(text)
        d, mo, y = (int(g) for g in m.groups())
    return pd.Timestamp(year=y, month=mo, day=d)  # raises on impossible dates


#: start of the message for a number outside its column's range (the loaders restate it)
OUT_OF_RANGE = "er utenfor tillatt område"
#: start of the message for a required column that is not in the file
MISSING_COLUMN = "påkrevd kolonne mangler"


def type_message(dtype: DType, decimal: str = ".") -> str:
    """The message for a cell that is not of type ``dtype``, with an example of what is
    expected written with the file's decimal mark."""
    example = "41 250,5" if decimal == "," else "41250.5"
    return {
        "int": "er ikke et heltall (forventet et helt tall uten desimaler, f.eks. 42)",
        "float": f"er ikke et tall (forventet et tall, f.eks. {example})",
        "bool": "er ikke ja/nei (forventet ja eller nei; true/false, 1/0 og x godtas også)",
        "date": "er ikke en gyldig dato (forventet ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ, "
        "f.eks. 2024-03-01 eller 01.03.2024)",
        "str": "er ikke tekst",
    }[dtype]


def _parse_column(
    values: pd.Series, col: Column, decimal: str
) -> tuple[pd.Series, list[tuple[int, str, str]]]:
    """Parse raw text cells; return the typed series and (position, value, message) errors."""
    errors: list[tuple[int, str, str]] = []
    out: list[object] = []
    allowed = set(col.allowed) if col.allowed is not None else None
    for i, raw in enumerate(values.tolist()):
        text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw)
        if is_missing(text):
            if not col.nullable:
                errors.append((i, text, "er tom, men en verdi er påkrevd"))
            out.append(None)
            continue
        if col.dtype == "str":  # free text and codes: visible characters only (free_text)
            refused = forbidden_character(text.strip())
            if refused is not None:
                errors.append((i, text, refused))
                out.append(None)
                continue
        try:
            if col.dtype == "str":
                v: object = normalise_text(text.strip())
            elif col.dtype == "bool":
                v = parse_bool(text)
            elif col.dtype == "date":
                v = parse_date(text)
            else:
                num = parse_number(text, decimal)
                if not math.isfinite(num):
                    raise ValueError(text)
                if col.dtype == "int":
                    if not float(num).is_integer():
                        raise ValueError(text)
                    v = int(num)
                else:
                    v = num
        except (ValueError, OverflowError):
            errors.append((i, text, type_message(col.dtype, decimal)))
            out.append(None)
            continue
        if allowed is not None and str(v) not in allowed:
            codes = ", ".join(sorted(allowed))
            errors.append((i, text, f"er ikke en tillatt kode (tillatte koder: {codes})"))
            out.append(None)
            continue
        if col.dtype == "date" and (col.earliest or col.latest):
            early = col.earliest is not None and v < pd.Timestamp(col.earliest)  # type: ignore[operator]
            late = col.latest is not None and v > pd.Timestamp(col.latest)  # type: ignore[operator]
            if early or late:
                errors.append(
                    (
                        i,
                        text,
                        f"er ikke en plausibel dato: må ligge mellom {col.earliest or '…'} "
                        f"og {col.latest or '…'}",
                    )
                )
                out.append(None)
                continue
        if col.dtype in ("int", "float"):
            num_v = float(v)  # type: ignore[arg-type]
            lo_bad = col.min is not None and (
                num_v <= col.min if col.min_exclusive else num_v < col.min
            )
            if lo_bad:
                op = ">" if col.min_exclusive else ">="
                errors.append((i, text, f"{OUT_OF_RANGE}: må være {op} {col.min:g}"))
                out.append(None)
                continue
            if col.max is not None and num_v > col.max:
                errors.append((i, text, f"{OUT_OF_RANGE}: må være <= {col.max:g}"))
                out.append(None)
                continue
        out.append(v)
    return _typed_series(out, col.dtype, values.index), errors


def _typed_series(values: list[object], dtype: DType, index: pd.Index) -> pd.Series:
    if dtype == "int":
        return pd.Series(pd.array(values, dtype="Int64"), index=index)
    if dtype == "float":
        return pd.Series(
            np.array([np.nan if v is None else v for v in values], dtype=float), index=index
        )
    if dtype == "bool":
        return pd.Series(pd.array(values, dtype="boolean"), index=index)
    if dtype == "date":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)).values, index=index)
    return pd.Series(pd.array(values, dtype="string"), index=index)


def empty_frame(schema: Schema) -> pd.DataFrame:
    """A frame without rows with the schema's columns, typed as :func:`validate` types them."""
    index = pd.RangeIndex(0)
    return pd.DataFrame({c.name: _typed_series([], c.dtype, index) for c in schema.columns})


# --------------------------------------------------------------------------- validation


def validate(
    raw: pd.DataFrame,
    schema: Schema,
    file: str,
    *,
    decimal: str = ".",
    row_numbers: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Validate a frame of raw text cells against ``schema`` and return it typed.

    Parameters
    ----------
    raw
        The table as read from the file, every cell still text (``dtype=str``).
    schema
        What the table must look like.
    file
        Name of the file, used in every message.
    decimal
        ``"."`` or ``","`` (Norwegian spreadsheets).
    row_numbers
        Spreadsheet row number of each row of ``raw``; default ``2, 3, ...``.

    Returns
    -------
    pandas.DataFrame
        The schema's columns (present ones) in schema order, typed, then any extra columns
        as text.

    Raises
    ------
    DataValidationError
        With every problem found: missing or unknown columns, empty required cells, cells of
        the wrong type, codes outside the code list, values out of range, duplicated keys and
        broken cross-column rules.
    """
    problems: list[Problem] = []
    rows = (
        list(row_numbers)
        if row_numbers is not None
        else list(range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(raw)))
    )
    if raw.shape[1] == 0 or (len(raw) == 0 and raw.shape[1] <= 1):
        raise DataValidationError([Problem(file, None, None, None, "filen er tom")])
    if len(raw) == 0:
        raise DataValidationError([Problem(file, None, None, None, "filen har ingen datarader")])

    present = list(raw.columns)
    dupes = sorted({c for c in present if present.count(c) > 1})
    for c in dupes:
        problems.append(Problem(file, 1, c, None, "kolonnenavnet forekommer mer enn én gang"))
    for col in schema.columns:
        if col.required and col.name not in present:
            problems.append(
                Problem(
                    file,
                    1,
                    col.name,
                    None,
                    f"{MISSING_COLUMN} ({col.description})"
                    if col.description and schema.describe_missing
                    else MISSING_COLUMN,
                )
            )
    if not schema.allow_extra_columns:
        for c in present:
            if c not in schema.names:
                problems.append(
                    Problem(file, 1, c, None, "ukjent kolonne: ikke i tabellens skjema")
                )
    if dupes:
        raise DataValidationError(problems)

    typed: dict[str, pd.Series] = {}
    bad_cells: dict[str, np.ndarray] = {}
    for col in schema.columns:
        if col.name not in present:
            continue
        series, errors = _parse_column(raw[col.name], col, decimal)
        typed[col.name] = series
        bad = np.zeros(len(raw), dtype=bool)
        for pos, value, message in errors:
            bad[pos] = True
            problems.append(Problem(file, rows[pos], col.name, value, message))
        bad_cells[col.name] = bad
    out = pd.DataFrame(typed, index=raw.index)
    for c in present:
        if c not in typed:
            out[c] = raw[c]

    for key in schema.unique:
        if not all(k in out.columns for k in key):
            continue
        sub = out[list(key)]
        complete = sub.notna().all(axis=1).to_numpy()
        dup = sub.duplicated(keep=False).to_numpy() & complete
        if dup.any():
            first_row: dict[tuple, int] = {}
            for pos in np.flatnonzero(dup):
                k = tuple(sub.iloc[pos].tolist())
                if k not in first_row:
                    first_row[k] = rows[pos]
                    continue
                shown = ", ".join(f"{n}={v}" for n, v in zip(key, k, strict=True))
                problems.append(
                    Problem(
                        file,
                        rows[pos],
                        key[0],
                        shown,
                        f"samme nøkkel som rad {first_row[k]}: ({', '.join(key)}) må være unik",
                    )
                )

    for rule in schema.rules:
        if not all(c in out.columns for c in rule.columns):
            continue
        usable = np.ones(len(out), dtype=bool)
        for c in rule.columns:
            usable &= ~bad_cells.get(c, np.zeros(len(out), dtype=bool))
            usable &= out[c].notna().to_numpy()
        if not usable.any():
            continue
        violated = np.zeros(len(out), dtype=bool)
        res = rule.check(out[usable])
        violated[usable] = np.asarray(res.fillna(False), dtype=bool)
        for pos in np.flatnonzero(violated):
            shown = ", ".join(f"{c}={_show(out[c].iloc[pos])}" for c in rule.columns)
            problems.append(Problem(file, rows[pos], rule.columns[0], shown, rule.message))

    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise DataValidationError(problems)
    return out.reset_index(drop=True)


def _show(v: object) -> str:
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
