"""``index.html``: the overview of a report folder, years × reports.

Each cell links the report, its code version and its key figures, and shows the headline
figure with the kind of data it was computed from; below the table, the duty or assignment
each report serves (``notebooks/reports.yaml``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup

from analysis.pipeline.specs import ReportSpec
from analysis.render.formatting import fmt_number, fmt_pct, fmt_share
from analysis.render.inert import CSP_META
from analysis.render.pages import render_page
from analysis.render.sources import DATA_SOURCE_SHORT


def _source_text(data_source: str) -> str:
    """What the index says after a headline figure: « (publiserte tall)» etc."""
    short = DATA_SOURCE_SHORT.get(data_source)
    return f" ({short})" if short else ""


def format_headline(value: Any, fmt: str) -> str:
    """Headline figure in Norwegian style.

    ``fmt`` is the ``headline.format`` of ``reports.yaml``: ``pct<d>`` (a percentage with
    ``d`` decimals), ``share<d>`` (a share shown as a percentage) or ``number``.
    """
    if value is None:
        return "–"
    if fmt.startswith("pct"):
        return fmt_pct(value, int(fmt[3:] or 1))
    if fmt.startswith("share"):
        return fmt_share(value, int(fmt[5:] or 1))
    return fmt_number(value, 0)


def write_index(out_dir: Path, specs: dict[str, ReportSpec]) -> Path:
    """``index.html``: years × reports with title, duty and headline figure.

    Laid out by the template ``render/templates/pages/index.html.j2``; every title, label
    and value is escaped there.
    """
    years = sorted(
        {int(p.name) for p in out_dir.iterdir() if p.is_dir() and p.name.isdigit()}, reverse=True
    )
    rows = []
    for y in years:
        cells: list[dict[str, str] | None] = []
        for name, spec in specs.items():
            jpath = out_dir / str(y) / f"{name}.json"
            if not jpath.is_file() or not (out_dir / str(y) / f"{name}.html").is_file():
                cells.append(None)
                continue
            kf = json.loads(jpath.read_text(encoding="utf-8"))
            cells.append(
                {
                    "name": name,
                    "label": spec.headline_label,
                    "value": format_headline(kf.get(spec.headline_key), spec.headline_format),
                    "source_text": _source_text(kf.get("data_source", "")),
                }
            )
        rows.append({"year": y, "cells": cells})
    page = render_page(
        "pages/index.html.j2", csp_meta=Markup(CSP_META), specs=list(specs.values()), rows=rows
    )
    path = out_dir / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
