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


def test_provenance_names_the_value_an_empty_parameter_stood_for(monkeypatch):
    seen = []
    monkeypatch.setattr(rn, "_display_html", seen.append)
    used = {"compare_year": "2024 (standard: året før 2025)", "hr_data": None}
    rn.provenance_block({"year": 2025, "compare_year": None, "hr_data": None}, [], used=used)
    rn.provenance_block({"year": 2025, "compare_year": 2021}, [], used=used)
    assert '<th scope="row">compare_year</th><td>2024 (standard: året før 2025)</td>' in seen[0]
    assert '<th scope="row">hr_data</th><td>ingen</td>' in seen[0]  # nothing said: «ingen»
    # a parameter that was set is shown as set, whatever the default would have been
    assert '<th scope="row">compare_year</th><td>2021</td>' in seen[1]


def _md_outputs(monkeypatch) -> list[str]:
    shown: list[str] = []

    def display(obj, metadata=None):
        assert metadata == {rn.MARKDOWN_FLAG: True}
        shown.append(obj.data)

    monkeypatch.setattr("IPython.display.display", display)
    return shown


def test_text_after_a_synthetic_panel_sits_in_its_frame(monkeypatch):
    """Issue 20: a paragraph of synthetic results never stands in the body text after the
    panel; the frame's title is shown once per part, not on every paragraph."""
    from analysis.render import publication as pub

    monkeypatch.setattr(pub, "_display_html", lambda text, markdown=False: None)
    shown = _md_outputs(monkeypatch)
    pub.reset()
    rn.md("Publisert: 72 %.")  # no part open: as it is
    pub.illustration("Tallene under er syntetiske.")
    rn.md("I de syntetiske dataene er andelen 72,0 %.")
    rn.md("Og en liste:\n\n* a\n* b")
    rn.md("IMDi har publisert 72 %.", synthetic=False)  # kept out of the frame
    rn.md("")  # nothing to say: no empty frame
    pub.end_illustration()
    rn.md("SSB har publisert 77 %.")
    # outside a part, synthetic=True opens one with the title, once
    rn.md("I de syntetiske dataene er AUC 0,60.", synthetic=True)
    rn.md("I de syntetiske dataene er φ 1,2.", synthetic=True)
    pub.appendix()
    rn.md("Etter vedlegget.")
    cont = '<div class="fou-illustration fou-synthetic-text">'
    titled = (
        '<div class="fou-illustration" role="note"><p class="fou-illustration-title">'
        "Illustrasjon på syntetiske data</p>"
    )
    assert shown[0] == "<p>Publisert: 72 %.</p>\n"
    assert shown[1] == f"{cont}<p>I de syntetiske dataene er andelen 72,0 %.</p>\n</div>"
    assert shown[2].startswith(cont) and "<li>a</li>" in shown[2] and shown[2].endswith("</div>")
    assert shown[3] == "<p>IMDi har publisert 72 %.</p>\n"
    assert shown[4] == ""
    assert shown[5] == "<p>SSB har publisert 77 %.</p>\n"
    assert shown[6] == f"{titled}<p>I de syntetiske dataene er AUC 0,60.</p>\n</div>"
    assert shown[7] == f"{cont}<p>I de syntetiske dataene er φ 1,2.</p>\n</div>"
    assert shown[8] == "<p>Etter vedlegget.</p>\n"
    assert sum(s.count("fou-illustration-title") for s in shown) == 1


def test_real_data_text_is_never_framed(monkeypatch):
    """With real person-level data the notebooks open no part and pass synthetic=False."""
    from analysis.render import publication as pub

    shown = _md_outputs(monkeypatch)
    pub.reset()
    rn.md("I dataene er andelen 71,5 %.")
    rn.md("Modellen skiller godt.", synthetic=False)
    assert shown == ["<p>I dataene er andelen 71,5 %.</p>\n", "<p>Modellen skiller godt.</p>\n"]
    assert not pub.in_illustration()


def test_page_title_is_the_report_heading():
    """Issue 20: the page's <title> says what its h1 says (2012: «Ny sjanse …»)."""
    from analysis.pipeline.export import heading

    h1 = "<h1>Ny sjanse (forløperen til Jobbsjansen): overgang &amp; arbeid 2012</h1><p>x</p>"
    cell = new_code_cell("rn.header(...)")
    cell.outputs = [new_output("display_data", data={"text/html": h1})]
    nb = _nb(new_markdown_cell("# Ikke denne"), cell)
    assert heading(nb) == "Ny sjanse (forløperen til Jobbsjansen): overgang & arbeid 2012"
    # the notebook's JSON as read from disk (multi-line strings as lists) reads the same
    raw = nbformat.writes(nb)
    import json

    assert heading(json.loads(raw)) == heading(nb)
    assert heading(_nb(new_markdown_cell("tekst"))) is None
