"""The pages the package lays out with Jinja (``render/templates/pages/``): the index page and
the provenance block. Every string from a catalogue, a file name or the data is inert text,
and the layout is the one the reports have always had (expected HTML written by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup
from markup_scan import live_markup

from analysis.pipeline.index import write_index
from analysis.pipeline.specs import ReportSpec
from analysis.render.inert import CSP_META
from analysis.render.provenance import provenance_html

PAYLOADS = [
    "JJ19<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "'><svg onload=alert(1)>",
    "&#60;b&#62; &amp;",
    "{{ 7 * 7 }} {% if 1 %}x{% endif %}",
]


def _page(body: str) -> str:
    return f"<!DOCTYPE html><html><head>{CSP_META}</head><body>{body}</body></html>"


def test_provenance_block_escapes_every_value():
    prov = {
        "commit": PAYLOADS[0],
        "dirty": True,
        "inputs": {p: p for p in PAYLOADS},
        "parameters": {p: p for p in PAYLOADS},
        "versions": {"python": PAYLOADS[1]},
        "lock": {"file": PAYLOADS[2], "sha256": PAYLOADS[3]},
    }
    block = provenance_html(prov)
    assert live_markup(_page(block)) == []
    text = BeautifulSoup(block, "html.parser").get_text()
    for p in PAYLOADS:
        assert p in text
    assert "49" not in text  # a template expression in the data is not evaluated


def test_provenance_block_layout():
    prov = {
        "commit": "abc",
        "dirty": False,
        "inputs": {"data/raw/published/x.csv": "00ff"},
        "parameters": {"year": 2025, "hr_data": None},
        "versions": {"python": "3.12.1"},
        "lock": {"file": "uv.lock", "sha256": "ee"},
    }
    assert provenance_html(prov) == (
        '<section class="fou-provenance" aria-labelledby="proveniens">'
        '<h3 id="proveniens">Proveniens</h3>'
        "<p>Bygd fra commit <code>abc</code> – ingen endringer utenom commit.</p>"
        '<table class="fou-table"><caption>Inndatafiler og SHA-256</caption>'
        '<thead><tr><th scope="col">Fil</th><th scope="col">SHA-256</th></tr></thead><tbody>'
        '<tr><th scope="row">data/raw/published/x.csv</th><td><code>00ff</code></td></tr>'
        "</tbody></table>"
        '<table class="fou-table"><caption>Parametere</caption>'
        '<thead><tr><th scope="col">Parameter</th><th scope="col">Verdi</th></tr></thead><tbody>'
        '<tr><th scope="row">year</th><td>2025</td></tr>'
        '<tr><th scope="row">hr_data</th><td>ingen</td></tr>'
        "</tbody></table>"
        '<table class="fou-table"><caption>Programvareversjoner</caption>'
        '<thead><tr><th scope="col">Pakke</th><th scope="col">Versjon</th></tr></thead><tbody>'
        '<tr><th scope="row">python</th><td>3.12.1</td></tr>'
        "</tbody></table>"
        "<p>Alle pakkeversjoner er låst i <code>uv.lock</code> (SHA-256 <code>ee</code>); "
        "<code>make setup</code> installerer nøyaktig disse.</p>"
        "</section>"
    )
    no_lock = provenance_html({**prov, "commit": None, "dirty": None, "lock": None})
    assert "<p>Bygd fra commit <code>ukjent (ikke en git-sjekkout)</code>.</p>" in no_lock
    assert no_lock.endswith("<p>Låsefilen for pakkeversjonene ble ikke funnet.</p></section>")


def _built(
    out: Path,
    year: int,
    stem: str,
    figures: dict,
    *,
    pdf: bool = False,
    parameters: str | None = None,
) -> None:
    """A report as fou run leaves it: HTML and key figures, optionally the PDF and the
    executed notebook with papermill's injected parameters cell (``parameters``)."""
    d = out / str(year)
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{stem}.html").write_text("x", encoding="utf-8")
    (d / f"{stem}.json").write_text(json.dumps(figures), encoding="utf-8")
    if pdf:
        (d / f"{stem}.pdf").write_bytes(b"%PDF-1.4")
    if parameters is not None:
        cell = {
            "cell_type": "code",
            "metadata": {"tags": ["injected-parameters"]},
            "source": ["# Parameters\n", *parameters.splitlines(keepends=True)],
        }
        (d / "executed").mkdir(exist_ok=True)
        (d / "executed" / f"{stem}.ipynb").write_text(
            json.dumps({"cells": [cell]}), encoding="utf-8"
        )


def _rows(html: str) -> list[list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in soup.find("tbody").find_all("tr")
    ]


def test_index_escapes_catalogue_strings(tmp_path):
    name = "ab"
    spec = ReportSpec(name, PAYLOADS[1], PAYLOADS[0], "s", "k", PAYLOADS[2], "number", "hr")
    _built(tmp_path, 2025, name, {"k": 3, "data_source": PAYLOADS[4]})
    # a person-level file named like markup: its name is shown as text
    _built(
        tmp_path,
        2025,
        f"{name}-persondata",
        {"k": 4, "data_source": "microdata", "person_data_source": "microdata"},
        pdf=True,
        parameters=f"year = 2025\nhr_data = {json.dumps(PAYLOADS[3] + PAYLOADS[1])}\n",
    )
    html = write_index(tmp_path, {name: spec}).read_text(encoding="utf-8")
    assert live_markup(html, allow_relative_links=True) == []
    soup = BeautifulSoup(html, "html.parser")
    text = soup.get_text()
    for p in PAYLOADS[:4]:
        assert p in text
    assert f"persondata fra {PAYLOADS[3]}{PAYLOADS[1]}" in text
    assert {a["href"] for a in soup.find_all("a")} == {
        "2025/ab.html",
        "2025/code/ab.html",
        "2025/ab.json",
        "2025/ab-persondata.html",
        "2025/ab-persondata.pdf",
        "2025/code/ab-persondata.html",
        "2025/ab-persondata.json",
    }


def test_index_layout(tmp_path):
    specs = {
        n: ReportSpec(n, f"Tittel {n}", f"Plikt {n}", "s", "v", "Verdi", "pct1", "hr")
        for n in ("a", "b")
    }
    _built(tmp_path, 2024, "a", {"v": 12.34, "data_source": "published"}, pdf=True)
    _built(tmp_path, 2025, "b", {"v": None, "data_source": "synthetic"})
    html = write_index(tmp_path, specs).read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n')
    assert html.endswith("</div>\n</main>\n</body>\n</html>\n")
    assert (
        '<div class="fou-table-wrap" role="region" tabindex="0" aria-label="Rapporter etter år">\n'
        '<table class="fou-table">\n<caption>Rapporter etter år</caption>\n'
        '<thead><tr><th scope="col">År</th><th scope="col">Rapport</th>'
        '<th scope="col">Hovedtall</th>\n<th scope="col">Bygd fra</th>'
        '<th scope="col">Andre utgaver</th></tr></thead>\n<tbody>\n'
        '<tr><th scope="row">2025</th><td><a href="2025/b.html">Tittel b 2025</a></td>'
        "<td>Verdi: ikke publisert</td>"
        "<td>syntetiske data</td>"
        '<td><a href="2025/code/b.html">med kode</a> · '
        '<a href="2025/b.json">nøkkeltall (JSON)</a></td></tr>\n'
        '<tr><th scope="row">2024</th><td><a href="2024/a.html">Tittel a 2024</a></td>'
        "<td>Verdi: 12,3\u00a0%</td><td>publiserte tall</td>"
        '<td><a href="2024/a.pdf">PDF</a> · <a href="2024/code/a.html">med kode</a> · '
        '<a href="2024/a.json">nøkkeltall (JSON)</a></td></tr>\n</tbody>\n</table>\n</div>'
    ) in html
    assert (
        "<ul><li><strong>Tittel a</strong>: Plikt a</li>"
        "<li><strong>Tittel b</strong>: Plikt b</li></ul>"
    ) in html


def test_index_keeps_real_data_reports_beside_the_ones_without(tmp_path):
    """A real-data report (``<name>-persondata``) and the one a later run without the data
    wrote (``<name>``) are both listed, real data first, each saying what it was built from;
    a headline figure is shown only where the report may be quoted (never a synthetic one,
    whatever the JSON's shape)."""
    spec = ReportSpec("a", "Tittel", "Plikt", "s", "v", "Verdi", "pct1", "hr")
    _built(
        tmp_path,
        2025,
        "a-persondata",
        {
            "v": 11.5,
            "data_source": "microdata",
            "person_data_source": "microdata",
            "sources": {"v": "microdata"},
        },
        pdf=True,
        parameters='year = 2025\nhr_data = "hr_2025.csv"  # sha256: 00ff\nseed = 1\n',
    )
    # without person-level data: published headline, synthetic figures as illustration
    _built(
        tmp_path,
        2025,
        "a",
        {
            "v": 7.3,
            "data_source": "published",
            "person_data_source": "synthetic",
            "sources": {"v": "published", "w": "synthetic"},
            "synthetic_illustration": {"w": 6.3},
        },
        parameters="year = 2025\nhr_data = None\n",
    )
    # a year without published figures: the headline is an illustration only
    _built(
        tmp_path,
        2014,
        "a",
        {
            "data_source": "synthetic",
            "sources": {"v": "synthetic"},
            "synthetic_illustration": {"v": 6.1},
        },
    )
    # a file fou synth wrote (marked synthetic), given as --hr-data
    _built(
        tmp_path,
        2013,
        "a",
        {"v": 5.5, "data_source": "synthetic", "person_data_source": "synthetic"},
        parameters='year = 2013\nhr_data = "syn.csv"\n',
    )
    # published figures for the year, but not the headline one (sick leave 2013-2014: rates
    # by gender only): built from published figures, the headline «ikke publisert»
    _built(
        tmp_path,
        2012,
        "a",
        {
            "u": 4.0,
            "data_source": "published",
            "person_data_source": "synthetic",
            "sources": {"u": "published", "v": "synthetic"},
            "synthetic_illustration": {"v": 6.2},
        },
    )
    html = write_index(tmp_path, {"a": spec}).read_text(encoding="utf-8")
    assert _rows(html) == [
        [
            "2025",
            "Tittel 2025 (persondata)",
            "Verdi: 11,5\u00a0%",
            "persondata fra hr_2025.csv",
            "PDF · med kode · nøkkeltall (JSON)",
        ],
        [
            "2025",
            "Tittel 2025",
            "Verdi: 7,3\u00a0%",
            "publiserte tall",
            "med kode · nøkkeltall (JSON)",
        ],
        [
            "2014",
            "Tittel 2014",
            "Verdi: ikke publisert",
            "syntetiske data",
            "med kode · nøkkeltall (JSON)",
        ],
        [
            "2013",
            "Tittel 2013",
            "Verdi: ikke publisert",
            "syntetiske data fra syn.csv",
            "med kode · nøkkeltall (JSON)",
        ],
        [
            "2012",
            "Tittel 2012",
            "Verdi: ikke publisert",
            "publiserte tall",
            "med kode · nøkkeltall (JSON)",
        ],
    ]
    assert "6,1" not in html and "6,3" not in html and "5,5" not in html and "6,2" not in html
    soup = BeautifulSoup(html, "html.parser")
    links = [a["href"] for a in soup.find("tbody").find_all("a")]
    assert links[:4] == [
        "2025/a-persondata.html",
        "2025/a-persondata.pdf",
        "2025/code/a-persondata.html",
        "2025/a-persondata.json",
    ]


def test_index_lists_nothing_half_built(tmp_path):
    """A report counts only with its HTML and its key figures."""
    spec = ReportSpec("a", "Tittel", "Plikt", "s", "v", "Verdi", "pct1", "hr")
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / "a.html").write_text("x", encoding="utf-8")
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "a-persondata.json").write_text("{}", encoding="utf-8")
    assert _rows(write_index(tmp_path, {"a": spec}).read_text(encoding="utf-8")) == [
        ["Ingen rapporter er bygd ennå."]
    ]
