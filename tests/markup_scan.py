"""A scanner for live markup in the HTML the pipeline writes (used by the inert-text tests).

Parses a page with BeautifulSoup (``html.parser``) and lists everything that could run, fetch
or navigate away: ``<script>`` and other active elements, ``on*`` attributes, URLs that are
not embedded ``data:`` images or in-page anchors, inline styles that load something, and a
missing or different Content-Security-Policy.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from analysis.render.inert import CSP

#: elements that never belong in a report: they run code, embed other documents, submit,
#: redirect, or (``details``/``svg``/``math``) are the usual carriers of event-handler tricks
ACTIVE_TAGS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "base",
    "link",
    "details",
    "svg",
    "math",
    "video",
    "audio",
    "source",
    "track",
    "portal",
    "template",
}
URL_ATTRIBUTES = {
    "src",
    "href",
    "action",
    "formaction",
    "poster",
    "data",
    "srcset",
    "background",
    "xlink:href",
    "ping",
    "manifest",
    "codebase",
    "cite",
    "longdesc",
}
_RELATIVE_FILE = re.compile(r"(?:\d{4}/)?(?:code/)?[a-z_]+(?:-persondata)?\.(?:html|json|pdf)")


def live_markup(html: str, *, allow_relative_links: bool = False) -> list[str]:
    """Everything in ``html`` that could run, fetch or leave the page; empty when inert.

    ``allow_relative_links`` admits ``href`` to a report file next to the page (``index.html``
    links to ``2025/lonnsgap.html`` or ``2025/lonnsgap-persondata.pdf``); nothing else with a
    path or a scheme is allowed.
    """
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for el in soup.find_all(True):
        name = el.name.lower()
        if name in ACTIVE_TAGS:
            found.append(f"<{name}> element: {str(el)[:120]}")
        if name == "meta" and str(el.get("http-equiv", "")).lower() == "refresh":
            found.append(f"meta refresh: {el}")
        for attr, value in el.attrs.items():
            a = attr.lower()
            text = " ".join(value) if isinstance(value, list) else str(value)
            if a.startswith("on"):
                found.append(f"event handler {a}= on <{name}>: {text[:80]}")
            if a in URL_ATTRIBUTES:
                url = text.strip()
                ok = (
                    url.startswith("#")
                    or (name == "img" and a == "src" and url.startswith("data:image/"))
                    or (allow_relative_links and a == "href" and _RELATIVE_FILE.fullmatch(url))
                )
                if not ok:
                    found.append(f"URL in {a}= on <{name}>: {url[:80]}")
            if a == "style" and re.search(r"url\(|@import|expression\(", text, re.I):
                found.append(f"style loads something on <{name}>: {text[:80]}")
    for style in soup.find_all("style"):
        if re.search(r"url\((?!\s*['\"]?data:)|@import", style.get_text(), re.I):
            found.append("a <style> block loads something")
    metas = [
        m
        for m in soup.find_all("meta")
        if str(m.get("http-equiv", "")).lower() == "content-security-policy"
    ]
    if len(metas) != 1 or metas[0].get("content") != CSP:
        found.append(f"Content-Security-Policy meta missing or different: {metas}")
    elif metas[0].find_parent("head") is None:
        found.append("Content-Security-Policy meta is not in <head>")
    return found


def html_files(out: Path) -> list[Path]:
    """Every HTML file under an output folder."""
    return sorted(out.rglob("*.html"))
