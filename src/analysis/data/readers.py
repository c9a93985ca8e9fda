"""Read a table file into raw text cells, whatever Excel or a script wrote.

Every reader returns a :class:`RawTable`: all cells as text (nothing converted yet, so that
validation can quote the value exactly as it stood in the file), the decimal mark to use, and
the spreadsheet row number of every data row. Supported: CSV as Excel writes it in Norway
(semicolon, decimal comma, UTF-8 with or without BOM, or Windows-1252), plain CSV (comma,
decimal point), tab-separated text, ``.xlsx`` and parquet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data.progress import count
from analysis.data.schema import DataValidationError, Problem

TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ""}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}

#: largest input file read (bytes): a register of a million spells is about 100 MB as CSV
MAX_FILE_BYTES: int = 1024**3
#: most columns in a file: an HR export has tens to hundreds (Excel stops at 16 384)
MAX_COLUMNS: int = 50_000
#: longest line of a text file (characters); a single 10 MB cell still fits
MAX_LINE_CHARS: int = 16 * 1024**2
#: from this many columns on, only the wanted columns of a CSV file are parsed
WIDE_COLUMNS: int = 500

#: which columns to parse, given the header as written (None: all)
ColumnFilter = Callable[[str], bool] | None


@dataclass(frozen=True)
class RawTable:
    """A table read from a file, every cell as text."""

    frame: pd.DataFrame
    file: str
    decimal: str
    encoding: str | None
    delimiter: str | None
    row_numbers: list[int]


def _fail(file: str, message: str) -> DataValidationError:
    return DataValidationError([Problem(file, None, None, None, message)])


#: one well-formed UTF-8 sequence of two to four bytes (RFC 3629, section 4)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Decode the bytes of a text file: UTF-8 (BOM allowed) or Windows-1252, never a mix.

    The rule: a file that decodes as UTF-8 is UTF-8. Otherwise, a file without a single
    well-formed UTF-8 multibyte sequence is Windows-1252 (what Excel in a Norwegian locale
    writes when saving "CSV (semikolonseparert)"). A file with both well-formed UTF-8
    sequences and bytes that are not UTF-8 is an error naming every such row and byte: it is
    UTF-8 with something pasted in from a Windows-1252 source, and decoding the whole file as
    Windows-1252 would silently turn every ``ø`` into ``Ã¸``.

    Raises
    ------
    DataValidationError
        If the bytes are binary (contain NUL bytes) and so cannot be a CSV file; if the file
        mixes UTF-8 with other bytes (one problem per row); or if it is neither UTF-8 nor
        Windows-1252.
    """
    if b"\x00" in data[:65536]:
        raise _fail(
            file,
            "filen er binær, ikke tekst: forventet CSV (semikolon- eller kommaseparert), "
            ".xlsx eller .parquet; sjekk at filnavnet har riktig endelse",
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data) is None:
        try:
            return data.decode("cp1252", errors="strict"), "windows-1252"
        except UnicodeDecodeError:
            raise _bad_bytes(data, file, utf8=False) from None
    raise _bad_bytes(data, file, utf8=True)


def _bad_bytes(data: bytes, file: str, *, utf8: bool) -> DataValidationError:
    """One problem per row holding a byte that does not belong: row, column, value, byte."""
    if utf8:
        text = data.decode("utf-8-sig", errors="surrogateescape")
        why = (
            "er ikke gyldig UTF-8, men resten av filen er UTF-8 (et tegn limt inn fra en "
            "Windows-1252-kilde?): skriv tegnet på nytt og lagre filen som UTF-8"
        )
    else:
        text = _decode_cp1252_escaped(data)
        why = (
            "er verken UTF-8 eller Windows-1252: lagre filen som UTF-8 "
            "(i Excel: «CSV UTF-8 (kommadelt)»)"
        )
    lines = text.split("\n")
    header = next(csv.reader([lines[0]], delimiter=sniff_delimiter(lines[0]))) if lines else []
    delimiter = sniff_delimiter(lines[0]) if lines else ","
    problems = []
    for number, line in enumerate(lines, start=1):
        bad = [ch for ch in line if "\udc80" <= ch <= "\udcff"]
        if not bad:
            continue
        byte = f"0x{ord(bad[0]) - 0xDC00:02X}"
        column, value = None, _shown(line)
        fields = next(csv.reader([line.rstrip("\r")], delimiter=delimiter), [])
        for k, cell in enumerate(fields):
            if any("\udc80" <= ch <= "\udcff" for ch in cell):
                column = _shown(header[k]) if number > 1 and k < len(header) else None
                value = _shown(cell)
                break
        problems.append(Problem(file, number, column, value, f"byten {byte} {why}"))
    return DataValidationError(problems)


def _decode_cp1252_escaped(data: bytes) -> str:
    """Windows-1252, with the five bytes it leaves undefined kept as lone surrogates."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(0xDC00 + b))
    return "".join(out)


def _shown(text: str) -> str:
    """Text with each undecodable byte shown as U+FFFD, for quoting in a message."""
    return "".join("\ufffd" if "\udc80" <= ch <= "\udcff" else ch for ch in text).strip()


def sniff_delimiter(header_line: str) -> str:
    """The separator used in a header line: the most frequent of ``;``, ``,`` and tab."""
    counts = {d: header_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _too_many_columns(name: str, n: int) -> DataValidationError:
    return _fail(
        name,
        f"filen har {count(n)} kolonner, mer enn grensen på {count(MAX_COLUMNS)}: eksporter bare "
        "kolonnene analysen trenger (se docs/schemas.md)",
    )


def _header_fields(first_line: str, delimiter: str) -> list[str]:
    """The names in a header line, split as the CSV reader splits them (quotes respected)."""
    try:
        return next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error:
        return first_line.split(delimiter)


def read_csv_text(
    path: Path,
    *,
    display_name: str | None = None,
    decimal: str | None = None,
    columns: ColumnFilter = None,
) -> RawTable:
    """Read a CSV file into text cells, detecting encoding, separator and decimal mark.

    A semicolon-separated file is taken to use a decimal comma (Excel in a Norwegian locale)
    unless ``decimal`` says otherwise. With ``columns``, only the columns whose header it
    accepts are parsed (the others are only split off), so a very wide export costs time in
    proportion to its size, not to the square of its width. Files with more than
    :data:`MAX_COLUMNS` columns or a line longer than :data:`MAX_LINE_CHARS` characters are
    refused.
    """
    name = display_name or str(path)
    data = path.read_bytes()
    if not data.strip():
        raise _fail(name, "filen er tom")
    text, encoding = decode_text(data, name)
    del data
    lines = text.splitlines()
    longest = max(range(len(lines)), key=lambda i: len(lines[i]), default=None)
    if longest is not None and len(lines[longest]) > MAX_LINE_CHARS:
        raise DataValidationError(
            [
                Problem(
                    name,
                    longest + 1,
                    None,
                    None,
                    f"linjen har {count(len(lines[longest]))} tegn, mer enn grensen på "
                    f"{count(MAX_LINE_CHARS)}: er dette en tabell (CSV) med ett linjeskift per "
                    "rad?",
                )
            ]
        )
    first_line = next((line for line in lines if line.strip()), "")
    delimiter = sniff_delimiter(first_line)
    header = _header_fields(first_line, delimiter)
    if len(header) > MAX_COLUMNS:
        raise _too_many_columns(name, len(header))
    usecols = None
    if columns is not None and len(header) > WIDE_COLUMNS:
        # pandas' cost grows with the square of the width when it parses every column, so
        # only the wanted ones are parsed; it then accepts rows with too many fields, which
        # are checked here instead (as pandas does for narrow files)
        _check_field_counts(text, delimiter, len(header), name)
        usecols = [i for i, h in enumerate(header) if columns(h.strip())] or [0]
    if decimal is None:
        decimal = "," if delimiter == ";" else "."
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            quoting=csv.QUOTE_MINIMAL,
            usecols=usecols,
        )
    except pd.errors.ParserError as e:
        raise _not_csv(name, e) from e
    except pd.errors.EmptyDataError as e:
        raise _fail(name, "filen er tom") from e
    except ValueError as e:  # usecols beyond a short header line
        raise _not_csv(name, e) from e
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = _line_numbers(lines, len(frame))
    return RawTable(frame, name, decimal, encoding, delimiter, rows)


def _check_field_counts(text: str, delimiter: str, n_fields: int, name: str) -> None:
    """Refuse a record with more fields than the header (linear in the size of the text)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for record in reader:
            if len(record) > n_fields:
                raise _too_many_fields(name, reader.line_num, len(record), n_fields)
    except csv.Error as e:
        raise _not_csv(name, e) from e


#: pandas' message for a record with more fields than the header
_PANDAS_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _too_many_fields(name: str, line: int, seen: int, expected: int) -> DataValidationError:
    return DataValidationError(
        [
            Problem(
                name,
                line,
                None,
                None,
                f"filen kunne ikke leses som CSV: raden har {seen} felt, men overskriften har "
                f"{expected} (forventet like mange felt som i overskriften; sjekk skilletegn "
                "og anførselstegn)",
            )
        ]
    )


def _not_csv(name: str, error: Exception) -> DataValidationError:
    """The error for a file the CSV parser refuses: the row when pandas names one."""
    m = _PANDAS_FIELDS.search(str(error))
    if m:
        expected, line, seen = (int(g) for g in m.groups())
        return _too_many_fields(name, line, seen, expected)
    return _fail(name, f"filen kunne ikke leses som CSV (detaljer: {error})")


def _line_numbers(lines: list[str], n: int) -> list[int]:
    """Spreadsheet row of each data row: blank lines are skipped by the CSV reader."""
    numbers = [i + 1 for i, line in enumerate(lines) if line.strip()]
    data_lines = numbers[1:]
    if len(data_lines) == n:
        return data_lines
    return list(range(2, 2 + n))  # quoted multi-line cells: fall back to record numbers


def read_excel_text(
    path: Path, *, display_name: str | None = None, columns: ColumnFilter = None
) -> RawTable:
    """Read the first sheet of an ``.xlsx`` workbook into text cells (``columns``: which)."""
    name = display_name or str(path)
    usecols = None if columns is None else (lambda h: columns(str(h).strip()))
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False, usecols=usecols)
    except Exception as e:  # openpyxl raises many kinds for broken files
        raise _fail(name, f"filen kunne ikke leses som Excel-arbeidsbok (detaljer: {e})") from e
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[~(frame == "").all(axis=1)]
    rows = [int(i) + 2 for i in frame.index]
    return RawTable(frame.reset_index(drop=True), name, ".", None, None, rows)


def read_parquet_text(
    path: Path, *, display_name: str | None = None, columns: ColumnFilter = None
) -> RawTable:
    """Read a parquet file and turn every cell into text (missing values become empty).

    The column names are read from the file's schema first: more than :data:`MAX_COLUMNS`
    are refused, and with ``columns`` only the accepted ones are read.
    """
    name = display_name or str(path)
    try:
        import pyarrow.parquet as pq

        names = [n for n in pq.read_schema(path).names if n != "__index_level_0__"]
    except Exception as e:  # pyarrow raises ArrowInvalid, OSError, ...
        raise _fail(name, f"filen kunne ikke leses som parquet (detaljer: {e})") from e
    if len(names) > MAX_COLUMNS:
        raise _too_many_columns(name, len(names))
    wanted = None if columns is None else [n for n in names if columns(str(n).strip())]
    try:
        typed = pd.read_parquet(path, columns=wanted)
    except Exception as e:  # pyarrow raises ArrowInvalid, OSError, ...
        raise _fail(name, f"filen kunne ikke leses som parquet (detaljer: {e})") from e
    frame = pd.DataFrame(index=typed.index)
    for c in typed.columns:
        s = typed[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%d")
        else:
            text = s.astype(object).map(lambda v: v if isinstance(v, str) else repr_cell(v))
        frame[str(c)] = text.where(s.notna(), "")
    return RawTable(
        frame.reset_index(drop=True), name, ".", None, None, list(range(2, 2 + len(frame)))
    )


def repr_cell(v: object) -> str:
    """Text of one typed cell, as a spreadsheet would show it."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_table_text(
    path: Path | str, *, display_name: str | None = None, columns: ColumnFilter = None
) -> RawTable:
    """Read any supported table file into text cells, by its suffix.

    Parameters
    ----------
    path
        CSV/text, ``.xlsx`` or parquet.
    display_name
        Name of the file in messages (default: the path).
    columns
        Which columns to read, given the header as written (default: all). Columns it
        rejects are skipped without being parsed.

    Raises
    ------
    DataValidationError
        When the file does not exist, is empty, is larger than :data:`MAX_FILE_BYTES`, has
        more than :data:`MAX_COLUMNS` columns or a line longer than :data:`MAX_LINE_CHARS`,
        is binary where text is expected, or cannot be parsed.
    """
    path = Path(path)
    name = display_name or str(path)
    if not path.exists():
        raise _fail(name, "filen finnes ikke")
    if path.is_dir():
        raise _fail(name, "er en mappe, ikke en fil")
    size = path.stat().st_size
    if size == 0:
        raise _fail(name, "filen er tom")
    if size > MAX_FILE_BYTES:
        raise _fail(
            name,
            f"filen er {count(size / 1024**2)} MB, mer enn grensen på "
            f"{count(MAX_FILE_BYTES / 1024**2)} MB: del den opp (f.eks. per år) eller eksporter "
            "bare kolonnene analysen trenger",
        )
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_excel_text(path, display_name=name, columns=columns)
    if suffix in PARQUET_SUFFIXES:
        return read_parquet_text(path, display_name=name, columns=columns)
    if suffix == ".xls":
        raise _fail(name, "gamle Excel-filer (.xls) støttes ikke: lagre arket som .xlsx eller CSV")
    return read_csv_text(path, display_name=name, columns=columns)
