"""What a report was built from: the content hash of a job, and the cache of built jobs.

A job is skipped when its key equals the key recorded in ``<out>/.fou-cache.json`` at its
last successful build and its files are all there. The key is a SHA-256 over everything the
job's output depends on: the notebook, the parameters, the report's catalogue entry, every
published table, the person-level files (by name and content, never by folder), the
package's own source, templates and catalogues, and the Python version.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from analysis.paths import published_dir
from analysis.pipeline.plan import Job
from analysis.pipeline.specs import ReportSpec

# the analysis package: its source, templates and catalogues count in every cache key
PACKAGE_DIR = Path(__file__).resolve().parents[1]
CACHE_FILE = ".fou-cache.json"


def tree_digest(paths: Iterable[Path], base: Path) -> str:
    """SHA-256 over the files ``paths`` (in sorted order): each one's path relative to
    ``base`` and its bytes."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.relative_to(base).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def package_digest() -> str:
    """Digest of the package's own source, templates and catalogues."""
    pkg = PACKAGE_DIR
    files = [p for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return tree_digest(files, pkg)


def job_key(job: Job, spec: ReportSpec, out_dir: Path | None = None) -> str:
    """Content hash of everything a job's output depends on.

    Person-level files count by name (the parameter) and content, not by folder; files under
    ``out_dir`` never count (an output folder inside the published tables would otherwise
    change the key on every run).
    """
    h = hashlib.sha256()
    h.update(spec.notebook.read_bytes())
    h.update(json.dumps(job.parameters, sort_keys=True).encode())
    h.update(json.dumps(asdict(spec), sort_keys=True).encode())
    pub = published_dir()
    skip = out_dir.resolve() if out_dir is not None else None
    h.update(
        tree_digest(
            (
                p
                for p in pub.rglob("*")
                if p.is_file() and not (skip is not None and p.resolve().is_relative_to(skip))
            ),
            pub,
        ).encode()
    )
    for key in sorted(job.inputs):
        p = Path(job.inputs[key])
        h.update(key.encode())
        h.update(p.read_bytes() if p.is_file() else b"missing")
        side = Path(str(p) + ".meta.json")
        if side.is_file():
            h.update(side.read_bytes())
    h.update(package_digest().encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def load_cache(out_dir: Path) -> dict[str, str]:
    """The keys of the jobs built into ``out_dir``, by ``<year>/<notebook>`` (empty if none
    or unreadable)."""
    try:
        return json.loads((out_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_cache(out_dir: Path, cache: dict[str, str]) -> None:
    """Write the cache of ``out_dir`` (via a temporary file and a rename)."""
    tmp = out_dir / (CACHE_FILE + ".tmp")
    tmp.write_text(json.dumps(cache, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, out_dir / CACHE_FILE)
