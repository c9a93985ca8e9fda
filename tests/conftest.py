"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def published_copy(tmp_path: Path) -> Path:
    """A writable copy of data/raw/published (to break files in)."""
    dst = tmp_path / "published"
    shutil.copytree(ROOT / "data" / "raw" / "published", dst)
    return dst
