"""An executed notebook as two self-contained HTML files, with nbconvert.

``<year>/<name>.html`` for the ministry (no code, no parameter cells, no stderr) and
``<year>/code/<name>.html`` for researchers, both from the ``fou`` template in
``analysis/render/templates/`` (no script, stylesheet or font from the web; ``lang="nb"``;
PNG alt text kept; the Content-Security-Policy of :data:`analysis.render.inert.CSP`).
"""

from __future__ import annotations

import html as htmllib
import re
import threading
from pathlib import Path
from typing import Any

from analysis.render import keyfigures
from analysis.render.inert import CSP_META, markdown_html
from analysis.render.typography import no_break_before_units

#: output metadata of a note for the researcher (analysis.render.notebook.RESEARCHER_FLAG;
#: not imported, that module loads matplotlib)
RESEARCHER_FLAG = "fou_researcher"

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "render" / "templates"
TEMPLATE_NAME = "fou"
REMOVE_TAGS = {"parameters", "injected-parameters", "remove-cell"}

_EXPORTER: Any = None
_EXPORTER_LOCK = threading.Lock()


def exporter() -> Any:
    """One HTML exporter per process: its Jinja template is compiled once and reused.

    Thread-safe: :func:`analysis.pipeline.execute.execute_job` builds it in a background
    thread while the kernel runs.
    """
    global _EXPORTER
    with _EXPORTER_LOCK:
        if _EXPORTER is None:
            from nbconvert import HTMLExporter

            html_exporter = HTMLExporter(
                filters={"inert_markdown": markdown_html},
                template_name=TEMPLATE_NAME,
                extra_template_basedirs=[str(TEMPLATE_DIR)],
                exclude_input_prompt=True,
                exclude_output_prompt=True,
                embed_images=True,
            )
            html_exporter.language_code = "nb"
            html_exporter.template  # noqa: B018 - compile the Jinja template now
            _EXPORTER = html_exporter
    return _EXPORTER


_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", flags=re.DOTALL)


def heading(nb: Any) -> str | None:
    """The report's heading: the text of the first ``<h1>`` in the outputs of an executed
    notebook (a :class:`nbformat.NotebookNode` or the notebook's JSON as a dict), or None.

    The page's ``<title>`` and the index link use it, so that they say what the heading
    says (the 2012 Jobbsjansen report is titled after its forerunner, «Ny sjanse»).
    """
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            text = (out.get("data") or {}).get("text/html")
            if isinstance(text, list):
                text = "".join(text)
            m = _H1.search(text) if isinstance(text, str) else None
            if m:
                words = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())
                return words or None
    return None


def export_html(nb: Any, *, title: str, code: bool) -> str:
    """Self-contained HTML of an executed notebook.

    ``code=False`` is the ministry version: no code, no cells tagged ``parameters``,
    ``injected-parameters`` or ``remove-cell``, no stderr, no notes for the researcher
    (:func:`analysis.render.notebook.notes`), no prompts. ``code=True`` shows the
    code for researchers. Both use the ``fou`` template (no script, stylesheet or font from
    the web; ``lang="nb"``; PNG alt text kept) and carry the Content-Security-Policy of
    :data:`analysis.render.inert.CSP`; Markdown outputs are rendered without raw HTML,
    links or images. In the ministry version a number and «%» or «‰» are kept on one line
    (:func:`analysis.render.typography.no_break_before_units`).
    """
    import copy

    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    if not code:
        nb.cells = [c for c in nb.cells if not REMOVE_TAGS & set(c.metadata.get("tags", []))]
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = [o for o in cell.get("outputs", []) if keyfigures.MIME not in o.get("data", {})]
        if not code:  # no stderr, no notes meant for the researcher (rn.notes)
            outputs = [
                o
                for o in outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                and not o.get("metadata", {}).get(RESEARCHER_FLAG)
            ]
        cell.outputs = outputs
    html_exporter = exporter()
    html_exporter.exclude_input = not code
    body, _ = html_exporter.from_notebook_node(
        nb, resources={"metadata": {"name": title}, "fou_csp_meta": CSP_META}
    )
    return body if code else no_break_before_units(body)
