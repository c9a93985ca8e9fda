"""``data/processed/``: the reports read the published tables from typed parquet, rebuilt when
stale. The parquet frame is exactly the frame the raw file gives (values and dtypes), a
change to a raw file, the catalogue or the package that types them makes the set be rebuilt
(decided by content, never by modification times), and concurrent readers never see half a
file."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from analysis.data import processed
from analysis.data.build import build_processed
from analysis.data.errors import DataValidationError
from analysis.data.processed import (
    DIGEST_KEY,
    ensure_processed,
    load_processed,
    stale_tables,
    write_table,
)
from analysis.data.published import load_catalogue, load_published, read_published
from analysis.paths import published_dir

#: the tables data/processed holds: every catalogue entry whose file is there (an optional
#: table no source gives yet, such as the sick-leave benchmarks, is skipped when absent)
TABLES = [
    name
    for name, entry in load_catalogue().items()
    if not entry.optional or (published_dir() / entry.file).is_file()
]
OPTIONAL_ABSENT = [n for n in load_catalogue() if n not in TABLES]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    # assert_frame_equal may accept a string dtype of another storage or NA value
    assert [repr(d) for d in a.dtypes] == [repr(d) for d in b.dtypes]
    assert [getattr(d, "storage", None) for d in a.dtypes] == [
        getattr(d, "storage", None) for d in b.dtypes
    ]


@pytest.mark.parametrize("name", TABLES)
def test_processed_frame_equals_the_raw_frame(name, tmp_path):
    raw = read_published(name, published_dir())
    _same(load_processed(name, out=tmp_path), raw)
    # the default entry point the reports use reads data/processed
    _same(load_published(name), raw)
    preferred = raw.loc[raw["preferred"].fillna(False).astype(bool)].reset_index(drop=True)
    _same(load_published(name, preferred_only=True), preferred)


def test_build_writes_every_table_with_its_source_digest(tmp_path):
    import pyarrow.parquet as pq

    written = build_processed(out=tmp_path)
    assert set(written) == {*TABLES, "quality_findings"}
    digest = processed.source_digest()
    for path in written.values():
        assert pq.read_schema(path).metadata[DIGEST_KEY] == digest.encode()
    assert stale_tables(out=tmp_path) == []
    assert not [p for p in tmp_path.iterdir() if p.suffix != ".parquet"]  # no temporary file
    # an optional table without its file is neither written nor expected (no endless rebuild)
    assert not any((tmp_path / f"{n}.parquet").exists() for n in OPTIONAL_ABSENT)
    assert ensure_processed(out=tmp_path) is False


@pytest.fixture
def built(published_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "processed"
    build_processed(published_copy, out)
    return published_copy, out


def _inodes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in out.glob("*.parquet")}


def test_unchanged_inputs_rewrite_nothing(built):
    published, out = built
    before = _inodes(out)
    assert ensure_processed(published, out) is False
    load_processed("sick_leave", published=published, out=out)
    assert _inodes(out) == before


def test_a_changed_raw_file_is_rebuilt_before_it_is_read(built):
    published, out = built
    path = published / "sick_leave_targets.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("Relative target; no number") == 1
    path.write_text(
        text.replace("Relative target; no number", "Relative target; not a number"),
        encoding="utf-8",
    )
    assert "sick_leave_targets" in stale_tables(published, out)
    before = _inodes(out)
    notes = load_processed("sick_leave_targets", published=published, out=out)["note"]
    assert notes.str.startswith("Relative target; not a number").sum() == 1
    assert _inodes(out)["sick_leave_targets.parquet"] != before["sick_leave_targets.parquet"]
    assert stale_tables(published, out) == []


def test_a_changed_catalogue_or_package_makes_the_set_stale(built, tmp_path, monkeypatch):
    published, out = built
    cat = published / "catalogue.yaml"
    cat.write_text(
        cat.read_text(encoding="utf-8").replace("IMDi sick-leave targets", "Mål"), encoding="utf-8"
    )
    assert stale_tables(published, out) == [*TABLES, "quality_findings"]
    assert ensure_processed(published, out) is True
    assert stale_tables(published, out) == []
    # the package that reads and types the raw files counts too
    package = tmp_path / "package"
    shutil.copytree(processed.DATA_PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__py*"))
    monkeypatch.setattr(processed, "DATA_PACKAGE_DIR", package)
    ensure_processed(published, out)
    (package / "schema.py").write_text("# changed\n", encoding="utf-8")
    assert stale_tables(published, out) == [*TABLES, "quality_findings"]


def test_the_digest_is_content_not_time(built):
    published, out = built
    path = published / "sick_leave.csv"
    path.write_bytes(path.read_bytes())  # touched, same bytes
    assert stale_tables(published, out) == []


def test_a_file_without_the_digest_or_unreadable_is_rebuilt(built):
    published, out = built
    frame = pd.read_parquet(out / "workforce.parquet")
    frame.to_parquet(out / "workforce.parquet", index=False)  # no digest
    (out / "jobbsjansen.parquet").write_bytes(b"not parquet")
    (out / "assignments.parquet").unlink()
    assert stale_tables(published, out) == ["workforce", "jobbsjansen", "assignments"]
    _same(
        load_processed("jobbsjansen", published=published, out=out),
        read_published("jobbsjansen", published),
    )
    assert stale_tables(published, out) == []


def test_a_stale_set_with_an_invalid_raw_file_is_an_input_error(built):
    published, out = built
    path = published / "sick_leave.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("legemeldt", "legemeld"), encoding="utf-8"
    )
    with pytest.raises(DataValidationError, match="sick_leave.csv"):
        load_processed("pay_by_job_group", published=published, out=out)


def test_unknown_table(tmp_path):
    with pytest.raises(KeyError, match="ingen publisert tabell 'nope'; kjente tabeller: "):
        load_processed("nope", out=tmp_path)


def test_nothing_to_process_without_a_catalogue(tmp_path):
    assert stale_tables(tmp_path, tmp_path / "out") == []
    assert ensure_processed(tmp_path, tmp_path / "out") is False
    assert not (tmp_path / "out").exists()


def test_concurrent_readers_of_a_stale_set_all_get_the_whole_table(built):
    """Eight readers find the set stale at once; each rebuilds or reads a whole file (written
    to a temporary file and renamed), and no temporary file is left."""
    published, out = built
    path = published / "sick_leave_targets.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Relative target;", "Relative:"), encoding="utf-8"
    )
    expected = read_published("sick_leave_targets", published)
    with ThreadPoolExecutor(8) as pool:
        frames = list(
            pool.map(
                lambda _: load_processed("sick_leave_targets", published=published, out=out),
                range(8),
            )
        )
    for frame in frames:
        _same(frame, expected)
    assert not [p for p in out.iterdir() if p.suffix != ".parquet"]


def test_write_table_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    write_table(pd.DataFrame({"a": [1]}), path, "d1")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(OSError):
        write_table(pd.DataFrame({"a": [2]}), path, "d2")
    assert pd.read_parquet(path)["a"].tolist() == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]
