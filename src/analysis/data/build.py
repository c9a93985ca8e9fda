"""``fou data build``: tidy, typed ``data/processed/*.parquet`` from the raw files.

The raw files are read and validated, never modified. Every output is written to a temporary
file first and moved into place, so an interrupted build never leaves half a file; and all
inputs are validated before the first output is written, so a bad input leaves
``data/processed`` as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from analysis.data.published import load_all_published, load_catalogue
from analysis.data.quality import quality_findings
from analysis.paths import processed_dir, published_dir


def write_parquet_atomic(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` to ``path`` via a temporary file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def build_processed(published: Path | None = None, out: Path | None = None) -> dict[str, Path]:
    """Validate every published table and write it, and the quality findings, as parquet.

    Returns
    -------
    dict
        Table name → path written. ``quality_findings`` holds the reconciliation findings
        (see :mod:`analysis.data.quality`).

    Raises
    ------
    analysis.data.schema.DataValidationError
        If any raw file is invalid; nothing is written then.
    """
    published = published or published_dir()
    out = out or processed_dir()
    tables = load_all_published(published)
    keys = {name: entry.key for name, entry in load_catalogue(published).items()}
    findings = quality_findings(tables, keys)
    written: dict[str, Path] = {}
    for name, df in tables.items():
        path = out / f"{name}.parquet"
        write_parquet_atomic(df, path)
        written[name] = path
    path = out / "quality_findings.parquet"
    write_parquet_atomic(findings, path)
    written["quality_findings"] = path
    return written
