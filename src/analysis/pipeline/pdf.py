"""``fou run --pdf``: each ministry report as an A4 PDF beside its HTML, printed by Chromium.

The report for the ministry (``<year>/<stem>.html``, the version without code) is opened in
headless Chromium and printed with the DevTools protocol's ``Page.printToPDF``: the page size
and margins of the report's own print stylesheet (``@page { size: A4 }``,
``preferCSSPageSize``; A4 also when a page sets none), backgrounds printed (the banner and the
"Hovedfunn" box keep their colours), a tagged PDF (``generateTaggedPDF``: headings, lists,
tables and figure alt text in the structure tree, the document language ``nb``) with an
outline of the headings (``generateDocumentOutline``). Chromium versions that predate those
two options ignore them.

The browser is driven through a pipe (``--remote-debugging-pipe``: protocol messages as JSON,
each followed by a NUL byte, on file descriptors 3 and 4), so there is no port, no driver and
no dependency beyond the standard library. The page is loaded from its file; the reports
carry a Content-Security-Policy that allows no script and no request, and Chromium runs with
a fresh profile in a temporary folder that is removed afterwards.

Byte-reproducible: Chromium writes the time of printing as ``/CreationDate`` and ``/ModDate``
(and other versions may write a document ``/ID`` or XMP metadata with dates and ids).
:func:`normalise_pdf` replaces each with a value of the same length derived from the report
(:func:`pdf_date`: its publication date, else 1 January of the year after its statistics
year; the id from a SHA-256 of the document), so the cross-reference offsets stay valid and
the same HTML always gives the same PDF bytes (with the same Chromium and fonts).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

#: where the browser is looked for: ``FOU_CHROMIUM`` (a path or a command name), then these
CHROMIUM_ENV = "FOU_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# --no-sandbox: the browser only ever opens the reports this package wrote (no script runs in
# them, no request leaves them), and Chromium's sandbox refuses to start as root or in most
# containers
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--mute-audio",
    "--remote-debugging-pipe",
)

#: A4 in inches, for a page without an ``@page`` size (Chromium's default is US Letter)
A4_INCHES = (210 / 25.4, 297 / 25.4)

PRINT_OPTIONS: dict[str, Any] = {
    "landscape": False,
    "displayHeaderFooter": False,
    "printBackground": True,
    "preferCSSPageSize": True,
    "paperWidth": A4_INCHES[0],
    "paperHeight": A4_INCHES[1],
    "generateTaggedPDF": True,
    "generateDocumentOutline": True,
}

TIMEOUT = 120.0  # seconds for any one step (start, load, print)

# a tiny launcher puts the pipe ends on descriptors 3 and 4 before it becomes the browser
# (no preexec_fn, which is unsafe in a process with threads)
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


class BrowserNotFound(RuntimeError):
    """``--pdf`` without Chromium (``fou run`` exits 2 before building anything)."""


class PdfError(RuntimeError):
    """Chromium failed to print a report (the report itself stays as it is)."""


# ------------------------------------------------------------------------------ the browser


def find_chromium() -> str | None:
    """The Chromium (or Chrome) executable: ``$FOU_CHROMIUM`` if set, else the first of
    :data:`CHROMIUM_NAMES` on ``PATH``; None when there is none."""
    given = os.environ.get(CHROMIUM_ENV, "").strip()
    if given:
        return shutil.which(given)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """:func:`find_chromium`, or :class:`BrowserNotFound` with what to do (in bokmål)."""
    found = find_chromium()
    if found is not None:
        return found
    given = os.environ.get(CHROMIUM_ENV, "").strip()
    if given:
        raise BrowserNotFound(
            f"--pdf trenger Chromium, men {CHROMIUM_ENV}={given!r} er ikke et program som "
            "kan kjøres. Rett stien, eller fjern --pdf (HTML-rapportene trenger ingen nettleser)."
        )
    raise BrowserNotFound(
        "--pdf trenger nettleseren Chromium (eller Chrome), men fant ingen "
        f"({', '.join(CHROMIUM_NAMES)}). Installer den (Debian/Ubuntu: apt install chromium; "
        f"eller 'make browser-deps'), sett {CHROMIUM_ENV} til stien, eller kjør uten --pdf "
        "(HTML-rapportene trenger ingen nettleser)."
    )


class Browser:
    """One headless Chromium for a batch of PDFs; use as a context manager.

    Raises
    ------
    PdfError
        When the browser does not start or stops answering (after :data:`TIMEOUT` seconds).
    """

    def __init__(self, exe: str, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="fou-pdf-")
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        try:
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _LAUNCH,
                    str(to_r),
                    str(from_w),
                    exe,
                    *FLAGS,
                    f"--user-data-dir={self._tmp.name}/profile",
                    "about:blank",
                ],
                pass_fds=(to_r, from_w),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                # Ctrl-C goes to fou run, which closes the browser itself
                start_new_session=True,
            )
        except OSError as e:
            for fd in (to_r, to_w, from_r, from_w):
                os.close(fd)
            self._tmp.cleanup()
            raise PdfError(f"kunne ikke starte Chromium ({exe}): {e}") from e
        os.close(to_r)
        os.close(from_w)
        self._w = os.fdopen(to_w, "wb")
        self._r = from_r
        self._buf = b""
        self._id = 0
        self._events: list[dict[str, Any]] = []
        try:
            self.version = self.send("Browser.getVersion").get("product", "")
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the browser (politely, then by force) and remove its profile folder."""
        try:
            self._write({"id": self._id + 1, "method": "Browser.close", "params": {}})
        except (OSError, ValueError):
            pass
        try:
            self._w.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        try:
            os.close(self._r)
        except OSError:
            pass
        self._tmp.cleanup()

    # -------------------------------------------------------------------- the protocol
    def _write(self, msg: dict[str, Any]) -> None:
        self._w.write(json.dumps(msg).encode() + b"\0")
        self._w.flush()

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PdfError(f"Chromium svarte ikke på {self.timeout:.0f} sekunder")
            ready, _, _ = select.select([self._r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise PdfError("Chromium avsluttet uventet")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        try:
            self._write(msg)
        except OSError as e:
            raise PdfError(f"Chromium avsluttet uventet ({e})") from e
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise PdfError(f"Chromium: {method}: {m['error'].get('message', m['error'])}")
                return m.get("result", {})
            if "method" in m:
                self._events.append(m)

    def wait_event(self, method: str, session: str) -> dict[str, Any]:
        """The next event ``method`` of ``session``."""
        deadline = time.monotonic() + self.timeout
        while True:
            for i, ev in enumerate(self._events):
                if ev["method"] == method and ev.get("sessionId") == session:
                    return self._events.pop(i)
            m = self._read(deadline)
            if "method" in m:
                self._events.append(m)

    # -------------------------------------------------------------------- printing
    def print_pdf(self, html: Path) -> bytes:
        """The PDF Chromium prints of the page ``html`` (:data:`PRINT_OPTIONS`)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            self.send("Page.enable", None, session)
            nav = self.send("Page.navigate", {"url": Path(html).resolve().as_uri()}, session)
            if nav.get("errorText"):
                raise PdfError(f"Chromium kunne ikke åpne {Path(html).name}: {nav['errorText']}")
            self.wait_event("Page.loadEventFired", session)
            # local fonts only (no web fonts), but wait until the page has laid them out
            self.send(
                "Runtime.evaluate",
                {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
                session,
            )
            data = self.send("Page.printToPDF", PRINT_OPTIONS, session)["data"]
        finally:
            try:
                self.send("Target.closeTarget", {"targetId": target})
            except PdfError:
                pass
            self._events.clear()
        return base64.b64decode(data)


# ------------------------------------------------------------------------ reproducible bytes


def pdf_date(year: int, publication_date: str | date | None = None) -> date:
    """The date a report's PDF carries as its creation and modification date.

    The publication date when there is one (``fou run --publication-date``), else 1 January
    of the year after the statistics year (the earliest day a year's figures can be
    published). Never the build clock.
    """
    if publication_date:
        return (
            publication_date
            if isinstance(publication_date, date)
            else date.fromisoformat(str(publication_date))
        )
    return date(int(year) + 1, 1, 1)


# a PDF date string in the document information dictionary: (D:YYYYMMDDHHmmSS…)
_INFO_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")
# the trailer's file identifier: /ID [<hex> <hex>]
_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]*)>\s*<([0-9A-Fa-f]*)>\s*\]")
# XMP metadata (written uncompressed): dates and uuids
_XMP_DATE = re.compile(
    rb"<(xmp:CreateDate|xmp:ModifyDate|xmp:MetadataDate)>([^<]*)</(?:xmp:CreateDate|"
    rb"xmp:ModifyDate|xmp:MetadataDate)>"
)
_XMP_UUID = re.compile(rb"uuid:([0-9A-Fa-f-]{8,64})")
#: a tagged PDF's structure element id, ``(node00000042)``: Chromium numbers them from its
#: DOM node ids, which depend on timing (one more node made during layout shifts them all)
_NODE_ID = re.compile(rb"\(node(\d+)\)")


def _same_length(old: bytes, new: bytes, what: str) -> bytes:
    if len(new) != len(old):
        raise PdfError(f"kan ikke normalisere {what} i PDF-en uten å endre lengden")
    return new


def _hex_like(old: bytes, digest: bytes) -> bytes:
    """``digest`` (hex) laid over ``old``: same length, same case, dashes kept."""
    out = bytearray()
    stream = (digest * (len(old) // len(digest) + 1)).decode()
    i = 0
    for ch in old.decode("ascii"):
        if ch == "-":
            out += b"-"
            continue
        c = stream[i]
        i += 1
        out += (c.upper() if ch.isupper() else c).encode()
    return bytes(out)


def normalise_pdf(data: bytes, when: date) -> bytes:
    """The PDF ``data`` with every volatile field made deterministic, byte for byte the same
    length (so every cross-reference offset stays valid).

    * ``/CreationDate`` and ``/ModDate``: ``when`` at midnight UTC, ``(D:YYYYMMDD000000Z)``,
      followed by spaces up to the original length (whitespace between PDF tokens);
    * XMP ``xmp:CreateDate`` / ``ModifyDate`` / ``MetadataDate``: ``when`` in the original's
      layout;
    * the structure elements' ids ``(nodeNNNNNNNN)`` of a tagged PDF: renumbered by rank
      (the smallest id 0, the next 1, …) at the original width, so their order — and the
      sorted ``/IDTree`` — is kept and every reference (``/ID``, ``/Headers``) still matches;
    * the trailer's ``/ID [<…> <…>]`` and XMP ``uuid:`` values: hex digits of a SHA-256 of the
      document with those fields blanked (so the id still tells different documents apart).

    Raises
    ------
    PdfError
        When a field cannot be rewritten at the same length (an unexpected layout).
    """

    def info_date(m: re.Match[bytes]) -> bytes:
        old = m.group(0)
        new = f"/{m.group(1).decode()} (D:{when:%Y%m%d}000000Z)".encode()
        if len(new) > len(old):
            raise PdfError("kan ikke normalisere datoene i PDF-en uten å endre lengden")
        return new + b" " * (len(old) - len(new))

    def xmp_date(m: re.Match[bytes]) -> bytes:
        # the day of ``when`` over the first ten characters; every later digit (time of day,
        # offset from UTC) a zero: midnight UTC in the original layout, at the same length
        old = m.group(2)
        new = f"{when:%Y-%m-%d}".encode()[: len(old)] + re.sub(rb"\d", b"0", old[10:])
        start, end = m.span(2)
        whole, off = m.group(0), m.start(0)
        return whole[: start - off] + _same_length(old, new, "XMP-datoen") + whole[end - off :]

    out = _INFO_DATE.sub(info_date, data)
    ranks = {n: i for i, n in enumerate(sorted({int(x) for x in _NODE_ID.findall(out)}))}
    out = _NODE_ID.sub(
        lambda m: b"(node" + str(ranks[int(m.group(1))]).zfill(len(m.group(1))).encode() + b")",
        out,
    )
    out = _XMP_DATE.sub(xmp_date, out)
    blank = _TRAILER_ID.sub(lambda m: re.sub(rb"<[0-9A-Fa-f]*>", b"<>", m.group(0)), out)
    blank = _XMP_UUID.sub(b"uuid:", blank)
    digest = hashlib.sha256(blank).hexdigest().encode()

    def trailer_id(m: re.Match[bytes]) -> bytes:
        whole, off = m.group(0), m.start(0)
        parts = []
        last = 0
        for g in (1, 2):
            s, e = m.span(g)
            parts += [whole[last : s - off], _hex_like(m.group(g), digest)]
            last = e - off
        return b"".join(parts) + whole[last:]

    out = _TRAILER_ID.sub(trailer_id, out)
    out = _XMP_UUID.sub(lambda m: b"uuid:" + _hex_like(m.group(1), digest[::-1]), out)
    if len(out) != len(data):  # pragma: no cover - guarded field by field above
        raise PdfError("normaliseringen endret lengden på PDF-en")
    return out


# ------------------------------------------------------------------------------ one report


def print_report(
    browser: Browser,
    html: Path,
    pdf: Path,
    *,
    year: int,
    publication_date: str | None,
    staging: Path,
) -> int:
    """Print ``html`` to ``pdf`` (via a file in ``staging`` and a rename: never half a PDF).

    Returns the size of the PDF in bytes.

    Raises
    ------
    PdfError
        Chromium failed, or the PDF names a local file (``file:``), which must never leave
        the machine.
    """
    data = browser.print_pdf(html)
    if not data.startswith(b"%PDF-"):
        raise PdfError(f"Chromium skrev ingen PDF for {html.name}")
    if b"file:" in data:
        raise PdfError(f"PDF-en av {html.name} viser til en lokal fil (file:); ikke skrevet")
    data = normalise_pdf(data, pdf_date(year, publication_date))
    staging.mkdir(parents=True, exist_ok=True)
    tmp = staging / f"{html.parent.name}-{pdf.name}"
    tmp.write_bytes(data)
    os.replace(tmp, pdf)
    return len(data)
