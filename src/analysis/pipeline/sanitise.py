"""An executed notebook as it may leave the machine.

Volatile metadata removed (papermill timings, random cell ids: same inputs, same bytes),
person-level inputs named by file name and SHA-256 in the injected parameters cell, and no
local folder in any output (tracebacks, warnings, printed text, rich output).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from analysis.paths import project_root
from analysis.pipeline.plan import Job


def clean_executed(nb: Any) -> Any:
    """Remove what changes between runs: papermill metadata, timings, random ids."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = str(i)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
    return nb


def input_digests(job: Job) -> dict[str, str]:
    """SHA-256 of each person-level file of ``job``, by parameter name."""
    from analysis.render.provenance import sha256_file

    return {k: sha256_file(Path(p)) for k, p in sorted(job.inputs.items()) if Path(p).is_file()}


def show_inputs_by_name(nb: Any, digests: dict[str, str]) -> Any:
    """Add the SHA-256 of each input to its line in papermill's injected parameters cell:
    ``hr_data = "hr_2026.csv"  # sha256: …`` (the file name and checksum, as the provenance
    block names inputs)."""
    for cell in nb.cells:
        if "injected-parameters" not in cell.metadata.get("tags", []):
            continue
        lines = cell.source.split("\n")
        for i, line in enumerate(lines):
            name = line.split(" = ", 1)[0].strip()
            if " = " in line and name in digests:
                lines[i] = f"{line}  # sha256: {digests[name]}"
        cell.source = "\n".join(lines)
    return nb


def local_path_replacements(folders: Iterable[Path | str] = ()) -> list[tuple[str, str]]:
    """Local folders and what an output shows instead, most specific first.

    ``folders`` (the inputs' folders, the job's private folder) disappear, leaving the file
    name; the project root reads ``<prosjekt>``, the Python installation ``<python>``, the
    home folder ``~`` and the temporary folder ``<tmp>``.
    """
    import tempfile

    pairs: dict[str, str] = {}
    named = [
        (Path.home(), "~"),
        (Path(tempfile.gettempdir()), "<tmp>"),
        (Path(sys.base_prefix), "<python>"),
        (Path(sys.exec_prefix), "<python>"),
        (Path(sys.prefix), "<python>"),
        (project_root(), "<prosjekt>"),
    ]
    for path, label in named:
        for form in {str(path), str(path.resolve())}:
            if len(form) > 1:
                pairs[form] = label
    for folder in folders:
        for form in {str(folder), str(Path(folder).resolve())}:
            if len(form) > 1:
                pairs[form + os.sep] = ""
                pairs[form] = "<mappe>"
    return sorted(pairs.items(), key=lambda kv: len(kv[0]), reverse=True)


def redact_local_paths(nb: Any, replacements: Sequence[tuple[str, str]]) -> Any:
    """Replace local folders in every output of ``nb`` (tracebacks, warnings on stderr,
    printed text, rich output) by what :func:`local_path_replacements` says."""

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            for old, new in replacements:
                if old in value:
                    value = value.replace(old, new)
            return value
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):
            return type(value)((k, fix(v)) for k, v in value.items())
        return value

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [fix(o) for o in cell.get("outputs", [])]
    return nb


def sanitise_executed(nb: Any, job: Job, folders: Iterable[Path | str] = ()) -> Any:
    """An executed notebook as it may leave the machine: volatile metadata removed, inputs
    named by file name and SHA-256, no local folder in any output."""
    nb = clean_executed(nb)
    show_inputs_by_name(nb, input_digests(job))
    dirs = [Path(p).parent for p in job.inputs.values()]
    return redact_local_paths(nb, local_path_replacements([*dirs, *folders]))
