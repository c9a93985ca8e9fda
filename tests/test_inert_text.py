"""Strings from the input data are inert text in every output.

Unit tests for the Markdown renderer, the Markdown escape, the figure theme and the HTML
export; and one build through the real pipeline from a register whose project ids and
municipalities are attack strings (and an HR file whose name is one), scanned for anything
that could run, fetch or navigate in every HTML file and in the executed notebooks.
"""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from markup_scan import html_files, live_markup

from analysis.data.synthetic import synth_hr, synth_jobbsjansen, write_synthetic
from analysis.pipeline.export import export_html
from analysis.pipeline.index import write_index
from analysis.pipeline.plan import plan
from analysis.pipeline.run import run
from analysis.pipeline.specs import load_report_specs
from analysis.render.figures import apply_theme, png_bytes
from analysis.render.inert import CSP, CSP_META, markdown_html, md_escape

PAYLOADS = [
    "JJ19<img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    '"><script>alert(1)</script>',
    "[x](javascript:alert(1))",
    "![x](http://example.invalid/a.png)",
    "<svg onload=alert(1)>",
    "<https://example.invalid/x>",
    "https://example.invalid/y",
    "$\\Kroner$",
    "*emph* _u_ `code` **b** ~~s~~",
    "&#60;b&#62; &lt;i&gt; &amp;",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "a\\",
    "<!-- c -->",
    "<a href='javascript:alert(1)'>x</a>",
]

#: what report Markdown may become: paragraphs, lists, emphasis, code spans; no attributes
ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "code", "br"}


def _tags(html: str) -> list[tuple[str, dict]]:
    return [(t.name, dict(t.attrs)) for t in BeautifulSoup(html, "html.parser").find_all(True)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_renderer_never_passes_markup_through(payload):
    for text in (payload, f"Utenfor grensene: {payload} (over).", f"* {payload}\n* b"):
        tags = _tags(markdown_html(text))
        assert {n for n, _ in tags} <= ALLOWED_TAGS, (text, tags)
        assert all(not attrs for _, attrs in tags), (text, tags)


@pytest.mark.parametrize("payload", [*PAYLOADS, "SYN-P-001", "Kommune 01", "Bydel Grünerløkka"])
def test_an_escaped_value_renders_as_exactly_its_text(payload):
    html = markdown_html(f"Prosjekt {md_escape(payload)} ligger over.")
    soup = BeautifulSoup(html, "html.parser")
    assert [t.name for t in soup.find_all(True)] == ["p"]  # no emphasis, code, list, link
    assert soup.get_text() == f"Prosjekt {payload} ligger over.\n"


def test_escaping_keeps_line_breaks_out_of_a_value():
    value = md_escape("x\n# y\r\n* z")
    html = markdown_html(f"A {value} B")
    assert _tags(html) == [("p", {})]
    assert BeautifulSoup(html, "html.parser").get_text() == "A x # y * z B\n"


def test_report_markdown_still_renders_our_own_formatting():
    html = markdown_html("* **Personvern**: tall bygger på *minst* 5 personer.\n* To")
    assert html == (
        "<ul>\n<li><strong>Personvern</strong>: tall bygger på <em>minst</em> 5 personer.</li>"
        "\n<li>To</li>\n</ul>\n"
    )


def test_figure_text_is_never_a_formula():
    apply_theme()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="$\\Kroner$ prosjekt")
    ax.annotate("JJ19 $\\Kroner$ $x^2$", (0.5, 0.5))
    ax.set_title("$\\frac{1}{0}$")
    ax.legend()
    data = png_bytes(fig)  # mathtext would raise on the unknown \Kroner
    plt.close(fig)
    assert data.startswith(b"\x89PNG")
    assert plt.rcParams["text.parse_math"] is False


def _notebook_with(outputs: list[dict]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.outputs = [nbformat.v4.new_output("display_data", data=o) for o in outputs]
    nb.cells = [nbformat.v4.new_markdown_cell("# Tittel"), cell]
    return nb


@pytest.mark.parametrize("code", [False, True])
def test_export_renders_markdown_outputs_inert_and_carries_the_csp(code):
    nb = _notebook_with([{"text/markdown": p} for p in PAYLOADS])
    html = export_html(nb, title="Test <b>", code=code)
    assert live_markup(html) == []
    text = BeautifulSoup(html, "html.parser").get_text()
    assert "JJ19<img src=x onerror=alert(1)>" in text


def test_index_carries_the_csp(tmp_path):
    page = write_index(tmp_path, load_report_specs())
    html = page.read_text(encoding="utf-8")
    assert live_markup(html, allow_relative_links=True) == []


def test_scanner_finds_what_it_should():
    """The scanner itself: each kind of live markup is reported (so its silence means much)."""
    head = f"<html><head>{CSP_META}</head><body>"
    assert live_markup(head + "<p>ok</p><img src='data:image/png;base64,AA' alt='x'>") == []
    for bad in (
        "<img src=x onerror=alert(1)>",
        "<script>1</script>",
        "<a href='javascript:alert(1)'>x</a>",
        "<img src='http://example.invalid/a.png'>",
        "<details ontoggle=alert(1)>",
        "<svg onload=alert(1)>",
        "<p style='background:url(http://x.invalid)'>",
        "<a href='https://example.invalid'>x</a>",
        "<meta http-equiv=refresh content='0;url=http://x.invalid'>",
    ):
        assert live_markup(head + bad), bad
    assert live_markup("<html><head></head><body><p>x</p></body></html>")  # no CSP
    other = CSP.replace("img-src data:", "img-src *")
    assert live_markup(f'<html><head><meta http-equiv="Content-Security-Policy" content="{other}">')


# --------------------------------------------------------------------------- pipeline

#: project ids: the two outliers are named in the funnel text and labelled in the figure
LOW_OUTLIER = "JJ19<img src=x onerror=alert(1)> $\\Kroner$"
HIGH_OUTLIER = "JJ20<details open ontoggle=alert(1)> *fet* $x$"
PROJECT_PAYLOADS = [
    '"><script>alert(1)</script>',
    "[x](javascript:alert(1))",
    "![x](http://example.invalid/a.png)",
    "<svg onload=alert(1)>",
    "<https://example.invalid/p>",
    "`kode` &#60;b&#62; \\",
]
MUNICIPALITY_PAYLOADS = [
    "Bydel <img src=http://example.invalid/m.png>",
    "Kommune ![m](http://example.invalid/m.png)",
    "Kommune <a href='javascript:alert(1)'>x</a>",
    "Kommune $\\Kroner$",
]
HR_FILE_NAME = "hr<img src=x onerror=alert(1)>.csv"


def _crafted_register(year: int) -> pd.DataFrame:
    f = synth_jobbsjansen(year, 3).frame.copy()
    projects = f["project_id"].value_counts().index.tolist()
    low, high, *rest = projects
    done = f["end_date"].notna() & f["exit_status"].ne("utfaset")
    f.loc[done & f["project_id"].eq(low), "exit_status"] = "annet"
    f.loc[done & f["project_id"].eq(high), "exit_status"] = "arbeid"
    names = {low: LOW_OUTLIER, high: HIGH_OUTLIER}
    names.update(dict(zip(rest, PROJECT_PAYLOADS, strict=False)))
    f["project_id"] = f["project_id"].map(lambda p: names.get(p, p))
    municipalities = sorted(f["municipality"].unique())
    names = dict(zip(municipalities, MUNICIPALITY_PAYLOADS, strict=False))
    f["municipality"] = f["municipality"].map(lambda m: names.get(m, m))
    return f


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> dict:
    year = 2026
    data = tmp_path_factory.mktemp("crafted")
    out = tmp_path_factory.mktemp("reports")
    js = data / "register.csv"
    _crafted_register(year).to_csv(js, sep=";", index=False, encoding="utf-8")
    hr = data / HR_FILE_NAME
    write_synthetic(synth_hr(year, 3), hr)
    jobs = plan(years=[year], hr_data=str(hr), jobbsjansen_data=str(js))
    summary = run(jobs, out_dir=out, progress=None)
    assert summary.ok, [r.error for r in summary.failed]  # the $\Kroner$ label did not crash
    return {"out": out, "year": year}


@pytest.mark.slow
def test_crafted_strings_are_inert_in_every_html_file(crafted):
    out = crafted["out"]
    pages = html_files(out)
    assert {p.relative_to(out).as_posix() for p in pages} >= {
        "index.html",
        "2026/jobbsjansen.html",
        "2026/code/jobbsjansen.html",
        "2026/lonnsgap.html",
        "2026/sykefravaer.html",
    }
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = live_markup(html, allow_relative_links=page.name == "index.html")
        assert found == [], (page, found)


@pytest.mark.slow
def test_crafted_strings_are_shown_as_written(crafted):
    """Inert, not dropped: the outliers are named with their ids exactly as in the file."""
    page = crafted["out"] / "2026" / "jobbsjansen.html"
    text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()
    assert f"{LOW_OUTLIER} (under)" in text
    assert f"{HIGH_OUTLIER} (over)" in text
    assert "[x](javascript:alert(1))" in text  # a listed project, in the project table
    code = crafted["out"] / "2026" / "code" / "sykefravaer.html"
    assert HR_FILE_NAME in BeautifulSoup(code.read_text(encoding="utf-8"), "html.parser").get_text()


@pytest.mark.slow
def test_executed_notebooks_hold_no_live_markup(crafted):
    """Every HTML output stored in an executed notebook is inert; no raw Markdown outputs."""
    notebooks = sorted((crafted["out"] / "2026" / "executed").glob("*.ipynb"))
    assert len(notebooks) == 3
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for o in cell.get("outputs", []):
                data = o.get("data", {})
                assert "text/markdown" not in data, (path, cell["source"][:80])
                if "text/html" in data:
                    html = "".join(data["text/html"])
                    found = live_markup(f"<head>{CSP_META}</head>{html}")
                    assert found == [], (path, found)
