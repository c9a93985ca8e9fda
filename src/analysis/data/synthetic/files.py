"""Synthetic files: writing them with a sidecar, and recognising them.

:func:`write_synthetic` writes a table in every format ``fou run`` reads, with reproducible
bytes, and a ``<file>.meta.json`` sidecar; :func:`is_synthetic` checks the sidecar or the
``SYN-`` ids.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.microdata import canonical_column
from analysis.data.readers import read_table_text
from analysis.data.synthetic.common import GENERATOR, SYNTHETIC_PREFIX, SynthResult
from analysis.render.jsonable import to_jsonable

# --------------------------------------------------------------------------- files


def sidecar_path(path: Path | str) -> Path:
    """``<path>.meta.json``: the sidecar describing a synthetic file."""
    path = Path(path)
    return path.with_name(path.name + ".meta.json")


# every table format ``fou run`` reads (analysis.data.readers)
WRITE_SUFFIXES = (".csv", ".xlsx", ".parquet")
# a fixed time stamp in the workbook (zip entries and document properties): same bytes each run
_XLSX_TIME = (1980, 1, 1, 0, 0, 0)


def write_synthetic(
    result: SynthResult, out_path: Path | str, *, csv_dialect: str = "plain"
) -> Path:
    """Write a synthetic table and its sidecar ``<out_path>.meta.json``.

    Parameters
    ----------
    result
        From :func:`synth_hr` or :func:`synth_jobbsjansen`.
    out_path
        ``.csv``, ``.xlsx`` (one sheet) or ``.parquet`` (also ``.pq``): every format the
        readers take. The same inputs give the same bytes in every format.
    csv_dialect
        For ``.csv``: ``"plain"`` (comma, decimal point, UTF-8) or ``"excel"`` (as Excel
        saves CSV in Norway: semicolon, decimal comma, UTF-8 with byte-order mark).

    Returns
    -------
    pathlib.Path
        ``out_path``.

    Raises
    ------
    ValueError
        For any other suffix or dialect (message in bokmål: the command line prints it).
    """
    out_path = Path(out_path)
    suffix = out_path.suffix.lower()
    if suffix not in {*WRITE_SUFFIXES, ".pq"}:
        raise ValueError(
            f"kan ikke skrive {out_path.name}: filnavnet må slutte på "
            + ", ".join(WRITE_SUFFIXES[:-1])
            + f" eller {WRITE_SUFFIXES[-1]}"
        )
    if csv_dialect not in {"plain", "excel"}:
        raise ValueError(f"ukjent CSV-variant {csv_dialect!r}: bruk plain eller excel")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv" and csv_dialect == "excel":
        result.frame.to_csv(
            out_path, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
        )
    elif suffix == ".csv":
        result.frame.to_csv(out_path, index=False, encoding="utf-8", lineterminator="\n")
    elif suffix == ".xlsx":
        _write_xlsx(result.frame, out_path, sheet=result.kind)
    else:
        result.frame.to_parquet(out_path, index=False)
    meta = {
        "synthetic": True,
        "kind": result.kind,
        "year": result.year,
        "seed": result.seed,
        "calibration_year": result.calibration_year,
        "fallback": result.fallback,
        "note": result.note,
        "generator": GENERATOR,
        "targets": to_jsonable(result.targets),
    }
    sidecar_path(out_path).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return out_path


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """One-sheet workbook with reproducible bytes (fixed zip times and document dates)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet)
    stamp = "1980-01-01T00:00:00Z"
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + stamp.encode() + m.group(3),
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_XLSX_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)


_ID_COLUMNS = ("person_id", "participant_id")


def _ids_synthetic(ids: pd.Series) -> bool:
    ids = ids.dropna().astype(str)
    return len(ids) > 0 and bool(ids.str.startswith(SYNTHETIC_PREFIX).all())


def is_synthetic(data: Path | str | pd.DataFrame) -> bool:
    """Whether a file (or frame) holds synthetic data.

    True when the sidecar ``<file>.meta.json`` says ``"synthetic": true``, or when every id
    (``person_id`` / ``participant_id``, or their Norwegian aliases) starts with ``SYN-``.

    Raises
    ------
    analysis.data.schema.DataValidationError
        If the file does not exist or cannot be read.
    """
    if isinstance(data, pd.DataFrame):
        cols = [c for c in _ID_COLUMNS if c in data.columns]
        return bool(cols) and _ids_synthetic(data[cols[0]])
    path = Path(data)
    side = sidecar_path(path)
    if side.is_file():
        try:
            if json.loads(side.read_text(encoding="utf-8")).get("synthetic") is True:
                return True
        except (json.JSONDecodeError, AttributeError):
            pass

    def is_id(header: str) -> bool:
        return any(canonical_column(header, k) in _ID_COLUMNS for k in ("hr", "jobbsjansen"))

    frame = read_table_text(path, columns=is_id).frame  # only the id columns are parsed
    for header in frame.columns:
        for kind in ("hr", "jobbsjansen"):
            if canonical_column(str(header), kind) in _ID_COLUMNS:
                return _ids_synthetic(frame[header].replace("", np.nan))
    return False
