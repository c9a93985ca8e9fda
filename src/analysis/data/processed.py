"""``data/processed/``: the published tables as typed parquet, rebuilt when stale.

The flow of the published figures is raw → processed → notebooks: ``fou data build`` (and
any reader that finds the processed files stale) reads and validates
``data/raw/published/*.csv`` once (:func:`analysis.data.published.read_published`) and
writes each table, typed as the catalogue declares, to ``data/processed/<table>.parquet``
(:func:`analysis.data.build.build_processed`); :func:`analysis.data.published.
load_published` then reads the parquet (:func:`load_processed`), giving exactly the frame
the raw file gives (the same values and dtypes).

Staleness is decided by content, not by modification times: every parquet file carries, in
its own metadata, the digest of what it was built from (:func:`source_digest`: every file
under ``data/raw/published/``, the source of this package ``analysis.data`` that reads and
types them, and the pandas and pyarrow versions). A file whose digest differs from the
current one, or that is missing, makes the whole set be rebuilt; a raw file that no longer
validates raises :class:`~analysis.data.errors.DataValidationError` and nothing stale is
read. Files are written to a temporary file and renamed, and the digest travels inside the
file it describes, so concurrent readers and builders (parallel report kernels, two runs)
always see a whole file whose digest says what it holds; ``fou run`` also brings the set up
to date in the parent before any kernel starts.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.paths import processed_dir, published_dir

if TYPE_CHECKING:
    import pandas as pd

#: the metadata key of a processed parquet file holding its source digest
DIGEST_KEY = b"fou_source_digest"
#: the package that reads and types the raw files: its source counts in the digest
DATA_PACKAGE_DIR = Path(__file__).resolve().parent
#: the reconciliation findings written beside the tables (not a published table)
QUALITY_TABLE = "quality_findings"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def source_digest(published: Path | None = None) -> str:
    """SHA-256 of everything a processed table is built from.

    Every file under ``published`` (default ``data/raw/published``: the tables, the
    catalogue, the source documents the citations are checked against), every file of the
    ``analysis.data`` package (readers, schemas, validation) and the pandas and pyarrow
    versions (the parquet encoding and the dtypes read back).
    """
    import pandas as pd
    import pyarrow as pa

    published = published or published_dir()
    h = hashlib.sha256()
    for root, label in ((published, "published"), (DATA_PACKAGE_DIR, "analysis.data")):
        for p in _files(root):
            h.update(f"{label}/{p.relative_to(root).as_posix()}\0".encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    h.update(f"pandas {pd.__version__}; pyarrow {pa.__version__}".encode())
    return h.hexdigest()


def write_table(frame: pd.DataFrame, path: Path, digest: str) -> None:
    """Write ``frame`` to ``path`` as parquet with ``digest`` in its metadata, via a
    temporary file in the same folder and a rename (never half a file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), DIGEST_KEY: digest.encode()}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def read_table(path: Path) -> tuple[str | None, pd.DataFrame | None]:
    """The digest recorded in a processed file and its frame, from one read of the file
    (``(None, None)`` when it is missing or unreadable)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        data = path.read_bytes()
        meta = pq.read_schema(pa.BufferReader(data)).metadata or {}
        frame = pd.read_parquet(io.BytesIO(data))
    except (OSError, ValueError, pa.ArrowException):
        return None, None
    digest = meta.get(DIGEST_KEY)
    return (digest.decode() if digest else None), frame


def recorded_digest(path: Path) -> str | None:
    """The digest recorded in a processed file (``None`` when missing or unreadable)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except (OSError, ValueError, pa.ArrowException):
        return None
    digest = meta.get(DIGEST_KEY)
    return digest.decode() if digest else None


def stale_tables(published: Path | None = None, out: Path | None = None) -> list[str]:
    """The processed files that are missing or were built from other inputs (empty when the
    set is current, or when there is no catalogue of published tables)."""
    from analysis.data.published import CATALOGUE_FILE, load_catalogue

    published = published or published_dir()
    out = out or processed_dir()
    if not (published / CATALOGUE_FILE).is_file():
        return []
    digest = source_digest(published)
    # an optional table whose file is absent (no source gives it yet) is not built
    names = [
        *(
            name
            for name, entry in load_catalogue(published).items()
            if not entry.optional or (published / entry.file).is_file()
        ),
        QUALITY_TABLE,
    ]
    return [n for n in names if recorded_digest(out / f"{n}.parquet") != digest]


def ensure_processed(published: Path | None = None, out: Path | None = None) -> bool:
    """Rebuild ``data/processed`` if any file is missing or stale; returns whether it did.

    Without a catalogue of published tables there is nothing to process.

    Raises
    ------
    DataValidationError
        A raw file no longer validates (nothing is written then).
    """
    from analysis.data.build import build_processed

    if not stale_tables(published, out):
        return False
    build_processed(published, out)
    return True


def load_processed(
    name: str, *, published: Path | None = None, out: Path | None = None
) -> pd.DataFrame:
    """One published table, typed, from ``data/processed/<name>.parquet`` (rebuilt first
    when missing or stale).

    Parameters
    ----------
    name
        Table name (the file name in ``data/raw/published`` without ``.csv``).
    published, out
        The raw and the processed folder (default ``data/raw/published`` and
        ``data/processed``).

    Raises
    ------
    KeyError
        No such table in the catalogue.
    DataValidationError
        The processed files were stale and a raw file no longer validates.
    """
    from analysis.data.build import build_processed
    from analysis.data.published import load_catalogue

    published = published or published_dir()
    out = out or processed_dir()
    catalogue = load_catalogue(published)
    if name not in catalogue:
        raise KeyError(
            f"ingen publisert tabell {name!r}; kjente tabeller: {', '.join(sorted(catalogue))}"
        )
    digest = source_digest(published)
    path = out / f"{name}.parquet"
    recorded, frame = read_table(path)
    if recorded != digest or frame is None:
        build_processed(published, out)
        recorded, frame = read_table(path)
    if frame is None:
        raise OSError(f"{path} kunne ikke leses etter at den ble bygget")
    return frame
