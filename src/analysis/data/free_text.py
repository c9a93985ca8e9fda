"""Rules for text cells in person-level files: visible characters only, stored as NFC.

A cell that reaches a report (a project id, a municipality, a label) must look the same
to the reader as to the code. Characters that are invisible or that change how the text
around them is shown are refused, with file, row, column and value, rather than silently
dropped (dropping them could merge two ids or change what an id says):

* control characters (Unicode category ``Cc``: C0 and C1 controls, DEL, including tab,
  line feed and the ANSI escape ``\\x1b`` that recolours a terminal);
* format characters (``Cf``): bidirectional overrides, embeddings and isolates
  (U+202A–U+202E, U+2066–U+2069), the direction marks U+200E, U+200F, U+061C, zero-width
  space, joiners and word joiner (U+200B–U+200D, U+2060), a byte order mark inside a value
  (U+FEFF), soft hyphens and Unicode tag characters;
* line and paragraph separators (``Zl``, ``Zp``) and private-use characters (``Co``),
  and lone surrogates (``Cs``).

Everything else is kept, and text is normalised to Unicode NFC (canonical composition), which
never changes how a value looks: ``"Tro\\u0308ndelag"`` and ``"Tröndelag"`` become the same
value. NFKC is *not* applied (it would turn ``"²"`` into ``"2"`` and change what a value says).

References: Unicode Standard Annex #15 (normalization forms); Unicode Technical Standard #39
(security mechanisms); Boucher & Anderson (2021), "Trojan Source: Invisible Vulnerabilities",
for the bidirectional overrides.
"""

from __future__ import annotations

import unicodedata

#: Unicode general categories refused in text cells
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def forbidden_character(text: str) -> str | None:
    """The validation message for the first refused character in ``text``, or ``None``.

    In bokmål; for ``"JJ19\\u202eabc"``: ``inneholder det usynlige tegnet U+202E
    (RIGHT-TO-LEFT OVERRIDE) på plass 5: fjern det (...)``.
    """
    for i, ch in enumerate(text, start=1):
        category = unicodedata.category(ch)
        if category in FORBIDDEN_CATEGORIES:
            kind = "kontrolltegnet" if category == "Cc" else "det usynlige tegnet"
            return (
                f"inneholder {kind} {_describe(ch)} på plass {i}: fjern det (kontrolltegn, "
                "retningstegn og tegn med null bredde er ikke tillatt i tekst)"
            )
    return None


def normalise_text(text: str) -> str:
    """``text`` in Unicode NFC (canonical composition), which changes no visible character."""
    return unicodedata.normalize("NFC", text)
