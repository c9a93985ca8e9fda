"""The real reports, built once through the pipeline: shareable, accessible, confidential.

Builds what ``make reports`` builds (every report for every year with published figures, on
synthetic person-level data) and every report for a year without published figures (2026)
from person-level files, then checks each HTML and JSON file; and rebuilds a few to check
they are byte-identical. The build is the session's ``file_reports`` (tests/conftest.py),
shared with the browser tests in ``test_reports_built_browser.py``, which run on another
worker.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.pipeline.run import run
from tests.conftest import report_pages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(file_reports) -> dict:
    """The session's shared build (tests/conftest.py: ``file_reports``): READ ONLY."""
    return file_reports


def _pages(out: Path) -> list[Path]:
    return report_pages(out)


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.imgs: list[dict] = []
        self.tables = 0
        self.th = 0
        self.lang = None
        self.title = False
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.imgs.append(a)
        elif tag == "table":
            self.tables += 1
        elif tag == "th":
            self.th += 1
        elif tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in_title = True

    def handle_data(self, data):
        if self._in_title and data.strip():
            self.title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False


def test_rebuild_is_byte_identical(built, tmp_path):
    again = [
        j
        for j in built["jobs"]
        if (j.notebook, j.year)
        in {("lonnsgap", 2025), ("sykefravaer", 2024), ("jobbsjansen", 2024), ("lonnsgap", 2026)}
    ]
    assert len(again) == 4
    summary = run(again, out_dir=tmp_path, progress=None)
    assert summary.ok
    for job in again:
        for rel in (f"{job.notebook}.html", f"code/{job.notebook}.html", f"{job.notebook}.json"):
            a = (built["out"] / str(job.year) / rel).read_bytes()
            b = (tmp_path / str(job.year) / rel).read_bytes()
            assert a == b, (job.label, rel)


def test_every_report_and_year_built(built):
    out = built["out"]
    years = {
        "lonnsgap": [2023, 2024, 2025],
        "sykefravaer": [2013, 2014, 2023, 2024, 2025],
        "jobbsjansen": [2012, 2013, 2024],
    }
    for name, ys in years.items():
        for y in ys:
            assert (out / str(y) / f"{name}.html").is_file(), (name, y)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{y}/{n}.html"' in index for n, ys in years.items() for y in ys)
    for year in (2024, 2026):
        for name in ("lonnsgap", "sykefravaer", "jobbsjansen"):
            assert (out / str(year) / f"{name}.html").is_file()
            assert (out / str(year) / "code" / f"{name}.html").is_file()
            kf = json.loads((out / str(year) / f"{name}.json").read_text())
            assert kf["year"] == year
    kf = json.loads((out / "2026" / "lonnsgap.json").read_text())
    assert kf["data_source"] == "synthetic"  # a file written by fou synth is marked synthetic


def test_structure_and_accessibility_basics(built):
    for page in _pages(built["out"]):
        p = _Outline()
        p.feed(page.read_text(encoding="utf-8"))
        assert p.lang == "nb" and p.title, page
        assert p.headings.count(1) == 1 and p.headings[0] == 1, (page, p.headings)
        for a, b in zip(p.headings, p.headings[1:], strict=False):
            assert b <= a + 1, (page, p.headings)  # no skipped level
        assert all(img.get("alt", "").strip() for img in p.imgs), page
        if p.tables:
            assert p.th >= p.tables, page


def test_self_contained(built):
    for page in _pages(built["out"]):
        html = page.read_text(encoding="utf-8")
        assert not re.search(
            r"<(script|link|img)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", html, re.I
        ), page
        assert "<script" not in html.lower(), page
        assert not re.search(r"@import|url\(\s*['\"]?https?:", html), page


def test_a_number_and_its_percent_sign_never_break_apart(built):
    """Review item 32: in the text of every ministry report (not the code pages, which show
    the source as written) no ordinary space stands between a digit and «%» or «‰»."""
    for page in sorted(built["out"].glob("*/*.html")):
        html = page.read_text(encoding="utf-8")
        text = re.sub(r"<style\b.*?</style>|<[^>]*>", " ", html, flags=re.S)
        assert not re.findall(r".{0,30}\d [%‰]", text), page


def test_synthetic_banner(built):
    for page in sorted(built["out"].glob("*/*.html")):
        assert "Syntetiske persondata." in page.read_text(encoding="utf-8"), page


def test_no_identifier_or_absolute_path_in_any_report(built):
    import os

    from analysis.paths import notebooks_dir

    out = built["out"]
    files = _pages(out) + sorted(out.glob("*/*.json")) + sorted(out.glob("*/executed/*.ipynb"))
    assert any(f.suffix == ".ipynb" for f in files)
    pattern = re.compile(r"SYN-(HR|JS)-\d+")
    ids = built["ids"]
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert not pattern.search(text), f
        # every run of word characters and hyphens, as a set: one pass over the text instead
        # of one substring search per id
        found = sorted(ids & set(re.findall(r"[\w-]+", text)))
        assert found == [], (f, found[:3])
    # every file under the output folder (executed notebooks, the cache, the index too):
    # no input's folder, absolute or relative, and no other local path
    data = built["data"]
    forbidden = {
        str(data),
        str(data.resolve()),
        os.path.relpath(data, notebooks_dir()),
        os.path.relpath(data, Path.cwd()),
        "Ola Nordmann",
        "prosjekt-fortrolig-k9",
    }
    scanned = 0
    for f in sorted(p for p in out.rglob("*") if p.is_file()):
        text = f.read_text(encoding="utf-8")
        assert not [s for s in forbidden if s in text], f
        assert not re.search(r"(?<![.\w])/(tmp|home|root|work)/", text), f
        scanned += 1
    assert scanned >= 4 * len(built["jobs"]) + 2
    code = (out / "2026" / "code" / "lonnsgap.html").read_text(encoding="utf-8")
    assert "hr.csv" in code and "sha256" in code


def test_no_live_markup_and_a_csp_in_every_html_file(built):
    from markup_scan import html_files, live_markup

    pages = html_files(built["out"])
    assert len(pages) == len(_pages(built["out"]))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = live_markup(html, allow_relative_links=page.name == "index.html")
        assert found == [], (page.relative_to(built["out"]).as_posix(), found)
