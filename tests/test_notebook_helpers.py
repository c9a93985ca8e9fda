"""What the notebooks call for issue 16: prose laid out as a Markdown cell, notes for the
researcher only in the code version, the frames behind a report only in an interactive
session, analysis choices in the provenance only when set."""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis.pipeline.export import export_html
from analysis.render import notebook as rn
from analysis.render.inert import markdown_html

PROSE = "## Lønn når alder er tatt med\n\nMed *opplysninger* om hver ansatt\nkan gapet deles."


def _nb(*cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=list(cells))
    for i, c in enumerate(nb.cells):
        c["id"] = str(i)
    return nb


def _prose_cell(text: str) -> nbformat.NotebookNode:
    cell = new_code_cell("rn.prose(x)")
    cell.outputs = [
        new_output(
            "display_data",
            data={"text/html": markdown_html(text)},
            metadata={rn.PROSE_FLAG: text},
        )
    ]
    return cell


def _cell_html(html: str) -> str:
    body = html.split('<div class="container" id="notebook-container">', 1)[1]
    return re.sub(r"\s+", " ", body.split("</main>", 1)[0])


@pytest.mark.parametrize("code", [False, True])
def test_prose_is_laid_out_as_the_markdown_cell_it_replaces(code):
    """A report with the standard parameters is the same whether the text is a Markdown cell
    or written by the code (the ministry version and the code version)."""
    md = export_html(_nb(new_markdown_cell(PROSE)), title="t", code=code)
    prose = export_html(_nb(_prose_cell(PROSE)), title="t", code=code)
    assert prose == md
    assert 'id="L%C3%B8nn-n%C3%A5r-alder-er-tatt-med"' in prose


def test_prose_refuses_html_and_links():
    for text in ("<b>x</b>", "[lenke](https://example.org)", "a & b"):
        with pytest.raises(ValueError, match="prosa"):
            rn.prose(text)
    # and the template lays out no prose that holds raw HTML, however it got there
    html = export_html(_nb(_prose_cell("## x\n\n<img src=x onerror=alert(1)>")), title="t",
                       code=False)  # fmt: skip
    assert "<img" not in html


def test_researcher_notes_are_left_out_of_the_ministry_version():
    cell = new_code_cell("rn.notes(r.notes)")
    cell.outputs = [
        new_output(
            "display_data",
            data={"text/html": '<div class="fou-note">Merknad til analysen: utelatt</div>'},
            metadata={rn.RESEARCHER_FLAG: True},
        )
    ]
    nb = _nb(cell)
    assert "Merknad til analysen" in export_html(nb, title="t", code=True)
    assert "Merknad til analysen" not in export_html(nb, title="t", code=False)


@dataclass(frozen=True)
class _Inner:
    estimate: float
    table: pd.DataFrame


@dataclass(frozen=True)
class _Result:
    year: int
    rates: pd.DataFrame
    persons: pd.DataFrame
    parts: _Inner
    many: list


def test_frames_walks_the_result_and_never_shows_person_rows():
    r = _Result(
        2025,
        pd.DataFrame({"group": ["a"], "rate": [1.0]}),
        pd.DataFrame({"person_id": ["P1"], "x": [1]}),
        _Inner(0.5, pd.DataFrame({"a": [1]})),
        [_Inner(0.7, pd.DataFrame({"b": [2]}))],
    )
    f = rn.frames(r)
    assert list(f) == ["r.rates", "r.parts", "r.parts.table", "r.many[0]", "r.many[0].table"]
    assert f["r.parts"].loc["estimate", "verdi"] == 0.5


def test_inspect_shows_nothing_when_the_pipeline_builds(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append(a))
    r = _Result(2025, pd.DataFrame({"a": [1]}), pd.DataFrame(), _Inner(1.0, pd.DataFrame()), [])
    monkeypatch.setenv(rn.PIPELINE_ENV, "1")
    assert not rn.interactive()
    rn.inspect(r)
    assert shown == []
    monkeypatch.delenv(rn.PIPELINE_ENV)
    assert rn.interactive()
    rn.inspect(r)
    assert shown


def test_provenance_lists_a_choice_only_when_set(monkeypatch):
    seen = []
    monkeypatch.setattr(rn, "_display_html", seen.append)
    rn.provenance_block({"year": 2025}, [], choices={"oaxaca_covariates": None})
    rn.provenance_block({"year": 2025}, [], choices={"oaxaca_covariates": ["age", "tenure"]})
    assert "oaxaca_covariates" not in seen[0]
    assert '<th scope="row">oaxaca_covariates</th><td>age, tenure</td>' in seen[1]
