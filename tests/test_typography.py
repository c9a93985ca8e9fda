"""A number and «%»/«‰» stay on one line in the ministry HTML (issue 20, review item 32).

Expected strings are written out by hand: U+00A0 between the digit and the unit in text,
nothing changed inside tags, attribute values, comments or the stylesheet.
"""

from __future__ import annotations

import nbformat

from analysis.pipeline.export import export_html
from analysis.render.typography import no_break_before_units

NBSP = "\u00a0"


def test_text_nodes_get_a_no_break_space():
    html = "<p>95 % usikkerhetsintervall, om lag 4,5 % mer, 2 ‰ og 100 %.</p>"
    assert no_break_before_units(html) == (
        f"<p>95{NBSP}% usikkerhetsintervall, om lag 4,5{NBSP}% mer, 2{NBSP}‰ og 100{NBSP}%.</p>"
    )


def test_markup_is_left_alone():
    html = (
        '<style>.a { width: 5 %; }</style><!-- 5 % --><img alt="5 %" src="x">'
        "<td>5 %</td><td>a %</td><td>5  %</td><td>5%</td>"
    )
    assert no_break_before_units(html) == (
        '<style>.a { width: 5 %; }</style><!-- 5 % --><img alt="5 %" src="x">'
        f"<td>5{NBSP}%</td><td>a %</td><td>5  %</td><td>5%</td>"
    )


def test_already_joined_and_other_units_unchanged():
    html = f"<p>5{NBSP}% og 5\u202f% og 5 kr og 2025 %-vis</p>"
    assert no_break_before_units(html) == f"<p>5{NBSP}% og 5\u202f% og 5 kr og 2025{NBSP}%-vis</p>"


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('x = "7 %"')
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<p>Andelen var 7 %.</p>"})
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("Målet er 60 % i 2014."), cell]
    return nb


def test_ministry_export_joins_and_code_export_keeps_the_source():
    ministry = export_html(_notebook(), title="t", code=False)
    assert f"Målet er 60{NBSP}% i 2014." in ministry and f"Andelen var 7{NBSP}%." in ministry
    assert "Målet er 60 % i" not in ministry and "Andelen var 7 %" not in ministry
    code = export_html(_notebook(), title="t", code=True)
    assert "Andelen var 7 %." in code  # the researcher's page shows what the code wrote
