"""Keep committed notebooks clean: no outputs, sequential cell ids, a portable kernel.

This does what ``nbstripout`` does as a git filter (outputs and execution counts removed,
cell ids replaced by their position), without needing the filter installed, and also pins
the kernelspec to the project's kernel, ``fou-analyse`` ("Python (fou-analyse)"), so that a
notebook saved on one machine opens with the right kernel on another: ``make setup`` installs
that kernel into .venv, ``make kernel-user`` for any other JupyterLab of the user. ``fou run``
does not depend on it: papermill runs the kernel of the interpreter running ``fou``.
``fou notebooks clean`` runs it; a test fails on a notebook committed otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

KERNELSPEC = {"display_name": "Python (fou-analyse)", "language": "python", "name": "fou-analyse"}
_DROP_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")
_DROP_NB_METADATA = ("widgets", "papermill", "toc", "varInspector")


def clean_notebook_json(nb: dict) -> dict:
    """Return a cleaned copy of a notebook's JSON (outputs, counts and volatile metadata off)."""
    nb = json.loads(json.dumps(nb))
    for i, cell in enumerate(nb.get("cells", [])):
        cell["id"] = str(i)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        meta = cell.get("metadata", {})
        for k in _DROP_CELL_METADATA:
            meta.pop(k, None)
    meta = nb.setdefault("metadata", {})
    for k in _DROP_NB_METADATA:
        meta.pop(k, None)
    meta["kernelspec"] = dict(KERNELSPEC)
    nb["nbformat"], nb["nbformat_minor"] = 4, max(5, int(nb.get("nbformat_minor", 5)))
    return nb


def dumps(nb: dict) -> str:
    """Serialise as Jupyter does (1-space indent, sorted keys, trailing newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def clean_notebook(path: Path) -> bool:
    """Clean a notebook file in place; return True if it changed."""
    text = path.read_text(encoding="utf-8")
    new = dumps(clean_notebook_json(json.loads(text)))
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False
