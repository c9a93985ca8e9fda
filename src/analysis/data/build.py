"""``fou data build``: tidy, typed ``data/processed/*.parquet`` from the raw files.

The raw files are read and validated, never modified. Every output is written to a temporary
file first and moved into place, so an interrupted build never leaves half a file; and all
inputs are validated before the first output is written, so a bad input leaves
``data/processed`` as it was. Each file records the digest of the inputs it was built from
(:mod:`analysis.data.processed`), so that readers rebuild the set when it is stale.
"""

from __future__ import annotations

from pathlib import Path

from analysis.data.processed import QUALITY_TABLE, source_digest, write_table
from analysis.data.published import load_all_published, load_catalogue
from analysis.data.quality import quality_findings
from analysis.paths import processed_dir, published_dir


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
    digest = source_digest(published)  # before reading: a change meanwhile leaves it stale
    tables = load_all_published(published)
    keys = {name: entry.key for name, entry in load_catalogue(published).items()}
    findings = quality_findings(tables, keys)
    written: dict[str, Path] = {}
    for name, df in tables.items():
        path = out / f"{name}.parquet"
        write_table(df, path, digest)
        written[name] = path
    path = out / f"{QUALITY_TABLE}.parquet"
    write_table(findings, path, digest)
    written[QUALITY_TABLE] = path
    return written
