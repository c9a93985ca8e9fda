"""Run axe-core on an HTML file in headless Chromium (Debian's ``chromium``, npm ``axe-core``).

No browser driver needed: a copy of the page gets axe.min.js and a small script that runs
``axe.run`` and writes the violations into the DOM; ``chromium --headless --dump-dom`` with a
virtual-time budget prints the DOM after the script has finished.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=30000",
    "--dump-dom",
]


CSP_META = re.compile(r"<meta[^>]*http-equiv=\"Content-Security-Policy\"[^>]*>", re.I)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def axe_js() -> Path | None:
    candidates = [
        os.environ.get("AXE_CORE_JS"),
        ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js",
    ]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


def require_browser() -> None:
    """Fail when the browser tests cannot run on a machine that should run them.

    A machine with Chromium runs them (``make test-all`` and ``make test-slow`` fetch axe-core
    when Chromium is there), and so does CI (``CI`` set). Only a machine without Chromium,
    outside CI, skips them, with the command that installs what is missing.
    """
    import pytest

    if chromium() and axe_js():
        return
    if chromium() or os.environ.get("CI"):
        pytest.fail(
            "axe-core or chromium missing: run `make browser-deps` "
            f"(chromium: {chromium() or 'mangler'}, axe-core: {axe_js() or 'mangler'})"
        )
    pytest.skip("Chromium er ikke installert: kjør make browser-deps for å kjøre nettlesertestene")


def _probe(page: Path, axe: Path) -> str:
    """The page with axe-core and a script that runs it and writes the violations into a
    ``<pre id="axe-result">``."""
    # the reports forbid every script (Content-Security-Policy); the probe copy drops the
    # policy so that the injected axe-core can run, and changes nothing else
    html = CSP_META.sub("", page.read_text(encoding="utf-8"), count=1)
    script = (
        f"<script>{axe.read_text(encoding='utf-8')}</script><script>"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
        "var p = document.createElement('pre'); p.id = 'axe-result';"
        "p.textContent = JSON.stringify(r.violations.map(function (v) {"
        "return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map("
        "function (n) { return n.target.join(' '); })}; }));"
        "document.body.appendChild(p); });</script>"
    )
    return html.replace("</body>", script + "</body>")


# resolves with the text of <pre id="axe-result"> once the probe's script has written it
_WAIT_FOR_RESULT = (
    "new Promise(function (resolve) { (function poll() {"
    "var p = document.getElementById('axe-result');"
    "if (p) { resolve(p.textContent); } else { setTimeout(poll, 50); } })(); })"
)
# the window of ``chromium --headless --dump-dom``, which axe_violations without a browser uses
_WINDOW = (800, 600)


def browser():
    """One headless Chromium for many pages (:class:`cdp.Chromium`, a context manager):
    ``axe_violations(page, browser=b)`` then opens each page in a new tab of it instead of
    starting a browser per page."""
    from cdp import Chromium

    exe = chromium()
    assert exe, "chromium is needed"
    return Chromium(exe, timeout=120)


def axe_violations(page: Path, browser=None) -> list[dict]:
    """axe-core violations of a page: ``[{id, impact, help, nodes}]``.

    Without ``browser``, one ``chromium --headless --dump-dom`` per page; with one (from
    :func:`browser`), the same probe page is opened in a new tab of it, in a window of the
    same size, and the same result element is read.
    """
    chrome, axe = chromium(), axe_js()
    assert chrome and axe, "chromium and axe-core are needed"
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / page.name
        probe.write_text(_probe(page, axe), encoding="utf-8")
        if browser is not None:
            tab = browser.open(probe.as_uri(), *_WINDOW)
            try:
                return json.loads(tab.evaluate(_WAIT_FOR_RESULT))
            finally:
                tab.close()
        res = subprocess.run(
            [chrome, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", probe.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
        )
    m = re.search(r'<pre id="axe-result">(.*?)</pre>', res.stdout, re.S)
    assert m, f"axe did not report for {page}: {res.stderr[-500:]}"
    import html as htmllib

    return json.loads(htmllib.unescape(m.group(1)))
