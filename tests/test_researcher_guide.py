"""docs/researcher-guide.md: the worked example («Legge til en del i en rapport») is what this
test builds. The functions the guide shows are the package's; its notebook cells, put into a
copy of the pay-gap notebook, give the section with the medians computed here from the same
data; hidden job groups stay hidden."""

from __future__ import annotations

import inspect
import re
import textwrap

import nbformat
import numpy as np
import pytest

from analysis.paths import notebooks_dir, project_root
from analysis.paygap import tables, texts
from analysis.render.formatting import fmt_nok, fmt_pct

GUIDE = project_root() / "docs" / "researcher-guide.md"


def guide_block(name: str) -> str:
    """The fenced code block after ``<!-- eksempel: name -->`` in the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    m = re.search(rf"<!-- eksempel: {name} -->\n```\w*\n(.*?)```", text, re.DOTALL)
    assert m, f"no example block {name!r} in {GUIDE.name}"
    return m.group(1)


def test_guide_is_linked_from_the_readme():
    assert "docs/researcher-guide.md" in (project_root() / "README.md").read_text("utf-8")


@pytest.mark.parametrize(
    ("block", "function"), [("tabell", tables.html_median_table), ("tekst", texts.median_text)]
)
def test_guide_shows_the_packages_functions(block, function):
    assert guide_block(block) == textwrap.dedent(inspect.getsource(function))


def test_guide_options_exist():
    """The parameters and commands the guide names are real."""
    text = GUIDE.read_text(encoding="utf-8")
    for name in (
        "oaxaca_covariates",
        "oaxaca_references",
        "sick_leave_covariates",
        "funnel_method",
        "funnel_target",
    ):
        assert f"`{name}`" in text
    for notebook, names in (
        ("lonnsgap", ["oaxaca_covariates", "oaxaca_references", "compare_year"]),
        ("sykefravaer", ["sick_leave_covariates"]),
        ("jobbsjansen", ["funnel_method", "funnel_target"]),
    ):
        source = (notebooks_dir() / f"{notebook}.py").read_text(encoding="utf-8")
        cell = source.split('# %% tags=["parameters"]', 1)[1].split("# %%", 1)[0]
        for name in names:
            assert re.search(rf"^{name} = None", cell, re.MULTILINE), (notebook, name)


def _cells(block: str) -> list[nbformat.NotebookNode]:
    """jupytext percent cells of a code block."""
    import jupytext

    return jupytext.reads(block, fmt="py:percent").cells


@pytest.mark.slow
def test_worked_example_builds_the_section(tmp_path):
    import papermill as pm

    from analysis.data.inputs import hr_for_year
    from analysis.pipeline.export import export_html

    nb = nbformat.read(notebooks_dir() / "lonnsgap.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if c.source.strip() == "pub.appendix()")
    nb.cells[at:at] = _cells(guide_block("notatbok"))
    for i, cell in enumerate(nb.cells):
        cell["id"] = str(i)
    source = tmp_path / "lonnsgap.ipynb"
    nbformat.write(nb, source)
    executed = tmp_path / "executed.ipynb"
    pm.execute_notebook(
        str(source),
        str(executed),
        parameters={"year": 2025},
        cwd=str(notebooks_dir()),
        kernel_name="python3",
        progress_bar=False,
    )
    html = export_html(nbformat.read(executed, as_version=4), title="t", code=False)

    section = html.split(">Medianlønn</h2>", 1)[1].split('class="appendix"', 1)[0]
    # the medians of all employees, computed here from the same (synthetic) data
    hr = hr_for_year(2025, None, 2025).frame
    men = float(np.median(hr.loc[hr["gender"] == "M", "annual_pay"]))
    women = float(np.median(hr.loc[hr["gender"] == "K", "annual_pay"]))
    assert (
        f"Medianlønnen var {fmt_nok(men)} for menn og {fmt_nok(women)} for kvinner: et gap "
        f"på {fmt_pct(100 * (men - women) / men, 1)} av menns medianlønn."
    ) in section
    # numbered after the report's other tables, with its source and the illustration panel
    before = html.split(">Medianlønn</h2>", 1)[0]
    numbers = [int(n) for n in re.findall(r'<span class="fou-number">Tabell (\d+)\.', before)]
    assert re.search(rf"Tabell {max(numbers) + 1}\.</span> Medianlønn for kvinner og menn", section)
    assert "Illustrasjon på syntetiske data" in section and 'class="kilde"' in section
    # a job group hidden in the report's other tables is hidden here too
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th>(.*?)</tr>", section)
    measures = html.split("Lønnsgap per stillingsgruppe 2025", 1)[1].split("</table>", 1)[0]
    hidden = 0
    for label, cells in rows:
        # the pay cells of a hidden group print «:» (its published head counts may show)
        hidden_there = re.search(
            rf"<th scope=\"row\">{re.escape(label)}</th>(?:(?!</tr>).)*>:</td>", measures
        )
        if hidden_there:
            hidden += 1
            assert cells.count(">:</td>") == 3, label
    assert hidden, "the synthetic 2025 data hide some job groups: the check must see one"
