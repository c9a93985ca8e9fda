"""The real reports in a browser: axe-core and the layout of tables and figures.

The pages are those of ``test_reports_built.py`` (the session's ``file_reports`` build,
tests/conftest.py); the browser tests live in their own file so that they run on another
pytest-xdist worker than the checks of the files.
"""

from __future__ import annotations

import pytest

from tests.conftest import report_pages

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(file_reports) -> dict:
    """The session's shared build: READ ONLY."""
    return file_reports


def _pages(out):
    return report_pages(out)


@pytest.mark.browser
def test_axe_no_serious_or_critical_violations(built):
    import a11y

    a11y.require_browser()
    found = {}
    with a11y.browser() as browser:  # one browser, a tab per page
        for page in _pages(built["out"]):
            bad = [
                v
                for v in a11y.axe_violations(page, browser=browser)
                if v["impact"] in ("serious", "critical")
            ]
            if bad:
                found[page.relative_to(built["out"]).as_posix()] = bad
    assert found == {}


@pytest.mark.browser
def test_tables_and_figures_stay_in_the_text_column(built):
    """Every report at 1280, 800 and 390 px and in print (issue 20): no table, figure or card
    reaches outside the text column, the page never scrolls sideways, tables are shown whole
    from 800 px up and on paper, a table scrolls only on a phone and then in a named box in
    the tab order; in print no table, figure or card is split across pages."""
    import layout_check
    from cdp import Chromium

    out = built["out"]
    pages = sorted(out.glob("*/*.html")) + sorted(out.glob("2025/code/*.html"))
    pages.append(out / "index.html")
    found = []
    with Chromium(layout_check.require_chromium()) as browser:
        for page in pages:
            for width in layout_check.WIDTHS:
                found += layout_check.problems(layout_check.measure(browser, page, width))
            lay = layout_check.measure(browser, page, layout_check.A4_TEXT_WIDTH, media="print")
            found += layout_check.problems(lay) + layout_check.print_problems(lay)
    assert len(pages) >= 15
    assert found == []
