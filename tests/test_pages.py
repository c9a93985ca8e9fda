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
        '<h2 id="proveniens">Proveniens</h2>'
        "<p>Bygd fra commit <code>abc</code> – ingen endringer utenom commit.</p>"
        '<table class="fou-table"><caption>Inndatafiler og SHA-256</caption>'
        '<thead><tr><th scope="col">Fil</th><th scope="col">SHA-256</th></tr></thead><tbody>'
        '<tr><th scope="row">data/raw/published/x.csv</th><td><code>00ff</code></td></tr>'
        "</tbody></table>"
        '<table class="fou-table"><caption>Parametere</caption>'
        '<thead><tr><th scope="col">Parameter</th><th scope="col">Verdi</th></tr></thead><tbody>'
        '<tr><th scope="row">year</th><td>2025</td></tr>'
        '<tr><th scope="row">hr_data</th><td>None</td></tr>'
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


def _built(out: Path, year: int, name: str, figures: dict) -> None:
    d = out / str(year)
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{name}.html").write_text("x", encoding="utf-8")
    (d / f"{name}.json").write_text(json.dumps(figures), encoding="utf-8")


def test_index_escapes_catalogue_strings(tmp_path):
    name = "ab"
    spec = ReportSpec(name, PAYLOADS[1], PAYLOADS[0], "s", "k", PAYLOADS[2], "number", "hr")
    _built(tmp_path, 2025, name, {"k": 3, "data_source": PAYLOADS[4]})
    html = write_index(tmp_path, {name: spec}).read_text(encoding="utf-8")
    assert live_markup(html, allow_relative_links=True) == []
    soup = BeautifulSoup(html, "html.parser")
    text = soup.get_text()
    for p in PAYLOADS[:3]:
        assert p in text
    assert {a["href"] for a in soup.find_all("a")} == {
        "2025/ab.html",
        "2025/code/ab.html",
        "2025/ab.json",
    }


def test_index_layout(tmp_path):
    specs = {
        n: ReportSpec(n, f"Tittel {n}", f"Plikt {n}", "s", "v", "Verdi", "pct1", "hr")
        for n in ("a", "b")
    }
    _built(tmp_path, 2024, "a", {"v": 12.34, "data_source": "published"})
    _built(tmp_path, 2025, "b", {"v": None, "data_source": "synthetic"})
    html = write_index(tmp_path, specs).read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n')
    assert html.endswith("</div>\n</main>\n</body>\n</html>\n")
    assert (
        '<thead><tr><th scope="col">År</th><th scope="col">Tittel a</th>'
        '<th scope="col">Tittel b</th></tr></thead>\n<tbody>\n'
        '<tr><th scope="row">2025</th><td>–</td>'
        '<td><a href="2025/b.html">Verdi: –</a> (syntetiske data) · '
        '<a href="2025/code/b.html">med kode</a> · '
        '<a href="2025/b.json">nøkkeltall (JSON)</a></td></tr>'
        '<tr><th scope="row">2024</th>'
        '<td><a href="2024/a.html">Verdi: 12,3\u00a0%</a> (publiserte tall) · '
        '<a href="2024/code/a.html">med kode</a> · '
        '<a href="2024/a.json">nøkkeltall (JSON)</a></td><td>–</td></tr>\n</tbody>'
    ) in html
    assert (
        "<ul><li><strong>Tittel a</strong>: Plikt a</li>"
        "<li><strong>Tittel b</strong>: Plikt b</li></ul>"
    ) in html
