"""Provenance: what a report was built from, so that anyone can rebuild it.

Commit (and whether the work tree was dirty), SHA-256 of every input file, the parameters,
and the Python and package versions, and the SHA-256 of the lock file (``uv.lock``) that pins
every package of the environment (``make setup`` installs exactly those versions). The
project's tables are named by their path relative to the project root, every other input
(person-level files) by its file name only, never by a folder of the researcher's; nothing
time-dependent is recorded, so the block is byte-identical between builds of the same commit
with the same inputs.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from analysis.paths import project_root

PACKAGES = (
    "fou-analyse",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def git_state(root: Path | None = None) -> dict[str, Any]:
    """Commit hash and dirty flag of the checkout (``None`` outside git)."""
    root = root or project_root()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return {"commit": commit, "dirty": bool(status.strip())}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}


def display_path(path: Path, root: Path | None = None) -> str:
    """How a report names an input file.

    The project's own tables (under ``data/raw/published`` and ``data/processed``) by their
    path relative to the project root; every other file, person-level files in particular,
    by its file name only, so that no report reveals a researcher's folders (the SHA-256 next
    to it identifies the file).
    """
    root = (root or project_root()).resolve()
    p = Path(path).resolve()
    for shared in (root / "data" / "raw" / "published", root / "data" / "processed"):
        if p.is_relative_to(shared):
            return p.relative_to(root).as_posix()
    return p.name


LOCK_FILE = "uv.lock"


def lock_state(root: Path | None = None) -> dict[str, str | None]:
    """The lock file pinning the environment and its SHA-256 (``None`` when it is missing)."""
    path = (root or project_root()) / LOCK_FILE
    return {"file": LOCK_FILE, "sha256": sha256_file(path) if path.is_file() else None}


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "ikke installert"
    return out


def provenance(parameters: Mapping[str, Any], inputs: Iterable[Path]) -> dict[str, Any]:
    """Everything needed to rebuild a report, as a JSON-serialisable dict."""
    files = sorted({Path(p) for p in inputs if p is not None}, key=lambda p: display_path(p))
    return {
        **git_state(),
        "inputs": {display_path(p): sha256_file(p) for p in files if Path(p).is_file()},
        "parameters": {
            k: (display_path(Path(v)) if isinstance(v, str) and "/" in v else v)
            for k, v in sorted(parameters.items())
        },
        "versions": package_versions(),
        "lock": lock_state(),
    }


def provenance_html(prov: Mapping[str, Any]) -> str:
    """The provenance block shown at the end of each report (bokmål).

    Laid out by the template ``render/templates/pages/provenance.html.j2`` (one line of
    HTML); every value is escaped there.
    """
    from analysis.render.pages import render_page

    commit = prov.get("commit") or "ukjent (ikke en git-sjekkout)"
    dirty = prov.get("dirty")
    state = (
        ""
        if dirty is None
        else (
            " – med endringer som ikke er committet"
            if dirty
            else " – ingen endringer utenom commit"
        )
    )
    lock = prov.get("lock") or {}
    return render_page(
        "pages/provenance.html.j2",
        commit=commit,
        state=state,
        inputs=dict(prov.get("inputs", {})),
        parameters={k: "ingen" if v is None else v for k, v in prov.get("parameters", {}).items()},
        versions=dict(prov.get("versions", {})),
        lock=lock if lock.get("sha256") else None,
    )
