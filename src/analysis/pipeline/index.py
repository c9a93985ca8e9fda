"""``index.html``: the overview of a report folder, years × reports.

Each cell links the report, its code version and its key figures, and shows the headline
figure with the kind of data it was computed from; below the table, the duty or assignment
each report serves (``notebooks/reports.yaml``).
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

from analysis.pipeline.export import TEMPLATE_DIR, TEMPLATE_NAME
from analysis.pipeline.specs import ReportSpec
from analysis.render.formatting import fmt_number, fmt_pct, fmt_share
from analysis.render.inert import CSP_META


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
    """``index.html``: years × reports with title, duty and headline figure."""
    years = sorted(
        {int(p.name) for p in out_dir.iterdir() if p.is_dir() and p.name.isdigit()}, reverse=True
    )
    e = html.escape
    rows = []
    for y in years:
        cells = [f'<th scope="row">{y}</th>']
        for name, spec in specs.items():
            jpath = out_dir / str(y) / f"{name}.json"
            if not jpath.is_file() or not (out_dir / str(y) / f"{name}.html").is_file():
                cells.append("<td>–</td>")
                continue
            kf = json.loads(jpath.read_text(encoding="utf-8"))
            value = format_headline(kf.get(spec.headline_key), spec.headline_format)
            source = kf.get("data_source", "")
            src_text = {
                "synthetic": " (syntetiske data)",
                "published": " (publiserte tall)",
                "microdata": " (persondata)",
            }.get(source, "")
            cells.append(
                f'<td><a href="{y}/{name}.html">{e(spec.headline_label)}: {e(value)}</a>'
                f'{e(src_text)} · <a href="{y}/code/{name}.html">med kode</a> · '
                f'<a href="{y}/{name}.json">nøkkeltall (JSON)</a></td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f'<th scope="col">{e(s.title)}</th>' for s in specs.values())
    duties = "".join(f"<li><strong>{e(s.title)}</strong>: {e(s.duty)}</li>" for s in specs.values())
    css = (TEMPLATE_DIR / TEMPLATE_NAME / "fou.css").read_text(encoding="utf-8")
    page = f"""<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
{CSP_META}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>FoU-rapporter – oversikt</title>
<style>
{css}
</style>
</head>
<body>
<main>
<div id="notebook-container">
<h1>FoU-rapporter – oversikt</h1>
<p>Rapporter bygd av <code>fou run</code> fra IMDis publiserte tall og persondata (eller
syntetiske data der persondata mangler). Hver rapport finnes i en versjon for departementet
og en versjon med koden, og med nøkkeltallene som JSON.</p>
<table class="fou-table">
<caption>Rapporter etter år</caption>
<thead><tr><th scope="col">År</th>{head}</tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
<h2>Hva rapportene svarer på</h2>
<ul>{duties}</ul>
</div>
</main>
</body>
</html>
"""
    path = out_dir / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path
