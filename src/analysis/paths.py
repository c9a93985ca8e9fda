"""Where the project's data, reports and notebooks are.

The project root is found from ``FOU_PROJECT_ROOT`` if set, else by walking up from the
current directory and then from this package's location until a directory holding both
``pyproject.toml`` and ``data/raw`` is found.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


def _is_root(p: Path) -> bool:
    return (p / "pyproject.toml").is_file() and (p / "data" / "raw").is_dir()


@cache
def project_root() -> Path:
    """The root of the fou-analyse checkout."""
    env = os.environ.get("FOU_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for p in (start, *start.parents):
            if _is_root(p):
                return p
    return Path.cwd()


def published_dir() -> Path:
    """``data/raw/published``: the transcribed published figures (read-only)."""
    return project_root() / "data" / "raw" / "published"


def sources_dir() -> Path:
    """The text of the source documents the published figures are cited from."""
    return published_dir() / "sources"


def microdata_dir() -> Path:
    """``data/raw/microdata``: person-level exports, never in git."""
    return project_root() / "data" / "raw" / "microdata"


def processed_dir() -> Path:
    """``data/processed``: tidy, typed parquet built from the raw files."""
    return project_root() / "data" / "processed"


def reports_dir() -> Path:
    """``reports``: the rendered reports and key figures."""
    return project_root() / "reports"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"
