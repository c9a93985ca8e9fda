"""Headless Chromium driven over the DevTools protocol, through a pipe (no driver, no port).

``chromium --remote-debugging-pipe`` reads protocol commands on file descriptor 3 and writes
replies and events on descriptor 4, each message JSON followed by a NUL byte (Chrome DevTools
Protocol, "Browser" and "Target" domains). That is all the layout tests need: open a page at
a given viewport width (``Emulation.setDeviceMetricsOverride``, which, unlike
``--window-size``, goes below Chromium's minimum window width of 500 px and emulates a phone's
viewport), evaluate an expression in it, take a full-page screenshot and print it to PDF.

``Runtime.evaluate`` runs in the page without being a page script, so the reports'
Content-Security-Policy (no script at all) stays in force and the page is measured exactly as
a reader gets it.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
]


_LAUNCH = """
import fcntl, os, sys
r, w = int(sys.argv[1]), int(sys.argv[2])
a, b = fcntl.fcntl(r, fcntl.F_DUPFD, 10), fcntl.fcntl(w, fcntl.F_DUPFD, 10)
os.dup2(a, 3)
os.dup2(b, 4)
for fd in {r, w, a, b} - {3, 4}:
    os.close(fd)
os.execvp(sys.argv[3], sys.argv[3:])
"""


class ProtocolError(RuntimeError):
    pass


class Chromium:
    """One headless browser; use as a context manager."""

    def __init__(self, exe: str, timeout: float = 60.0) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="cdp-")
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        # the pipes go to descriptors 3 and 4 through a tiny Python launcher (no preexec_fn,
        # which is unsafe in a process with threads)
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _LAUNCH,
                str(to_browser_r),
                str(from_browser_w),
                exe,
                *FLAGS,
                f"--user-data-dir={self._tmp.name}/profile",
                "about:blank",
            ],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._w = os.fdopen(to_browser_w, "wb")
        self._r = os.fdopen(from_browser_r, "rb")
        self._buf = b""
        self._id = 0
        self._events: list[dict] = []
        self.timeout = timeout

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, EOFError, ProtocolError, ValueError):
            pass
        for f in (self._w, self._r):
            try:
                f.close()
            except OSError:
                pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._tmp.cleanup()

    # ------------------------------------------------------------------ protocol
    def _read(self) -> dict:
        while b"\0" not in self._buf:
            chunk = self._r.read1(1 << 16)
            if not chunk:
                raise EOFError("chromium closed the protocol pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._w.write(json.dumps(msg).encode() + b"\0")
        self._w.flush()
        while True:
            m = self._read()
            if m.get("id") == self._id:
                if "error" in m:
                    raise ProtocolError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self._events.append(m)

    def wait_event(self, method: str, session: str) -> dict:
        while True:
            for i, ev in enumerate(self._events):
                if ev["method"] == method and ev.get("sessionId") == session:
                    return self._events.pop(i)
            m = self._read()
            if "method" in m:
                self._events.append(m)

    # ------------------------------------------------------------------ pages
    def open(
        self, url: str, width: int, height: int = 900, *, mobile: bool = False, media: str = ""
    ) -> Page:
        """A new tab with a ``width`` × ``height`` CSS-pixel viewport, ``url`` loaded.

        ``mobile`` lays the page out as a phone does (the viewport meta tag counts, and a
        page wider than the screen makes the layout viewport grow); ``media="print"`` applies
        the print stylesheet to the page on screen (no pages, but the print layout).
        """
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, target, session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session,
        )
        if media:
            self.send("Emulation.setEmulatedMedia", {"media": media}, session)
        self.send("Page.enable", None, session)
        self.send("Page.navigate", {"url": url}, session)
        self.wait_event("Page.loadEventFired", session)
        return page


class Page:
    def __init__(self, browser: Chromium, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session

    def _send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of ``expression`` (awaited if it is a promise)."""
        res = self._send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in res:
            raise ProtocolError(json.dumps(res["exceptionDetails"])[:2000])
        return res["result"].get("value")

    def screenshot(self, path: Path) -> None:
        """A PNG of the whole page (not only the viewport)."""
        size = self._send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self._send(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": True},
        )["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def pdf(self, path: Path) -> None:
        """Print to PDF with the page's own ``@page`` size and margins, no header or footer."""
        data = self._send(
            "Page.printToPDF",
            {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False},
        )["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})
