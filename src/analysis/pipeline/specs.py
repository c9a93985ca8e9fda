"""The report catalogue: ``notebooks/reports.yaml``, one entry per report notebook.

Each entry names the notebook (its key), the title, the duty or assignment the report serves,
the source document of that duty, the headline figure shown on the index page and the kind of
person-level data the notebook reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.paths import notebooks_dir

REPORTS_FILE = "reports.yaml"


@dataclass(frozen=True)
class ReportSpec:
    """One report: a notebook, its title, the duty it serves and its headline figure."""

    name: str
    title: str
    duty: str
    source: str
    headline_key: str
    headline_label: str
    headline_format: str
    data: str  # "hr" or "jobbsjansen": which person-level data the notebook uses
    directory: str = ""  # directory of the notebook (default notebooks/)

    @property
    def notebook(self) -> Path:
        """The notebook file (``<directory>/<name>.ipynb``)."""
        return Path(self.directory or notebooks_dir()) / f"{self.name}.ipynb"


def load_report_specs(path: Path | None = None) -> dict[str, ReportSpec]:
    """The reports listed in ``notebooks/reports.yaml``, in file order.

    Parameters
    ----------
    path
        The catalogue file; default ``notebooks/reports.yaml``. Notebooks are looked up in
        the same folder.

    Returns
    -------
    dict
        Report name → :class:`ReportSpec`.
    """
    path = path or notebooks_dir() / REPORTS_FILE
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = {}
    for name, s in doc["reports"].items():
        h = s["headline"]
        out[name] = ReportSpec(
            name,
            s["title"],
            " ".join(s["duty"].split()),
            s["source"],
            h["key"],
            h["label"],
            h.get("format", "number"),
            s["data"],
            str(path.parent.resolve()),
        )
    return out
