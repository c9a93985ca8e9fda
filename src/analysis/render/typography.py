"""Typography of the ministry HTML: a number and its unit stay on one line.

The number formatters (:mod:`analysis.render.formatting`) already join a number and «%»
with a no-break space; running text written by hand («95 % usikkerhetsintervall», «om lag
4,5 % mer») does not always. As a last step of the export every ordinary space between a
digit and «%» or «‰» in the page's text becomes a no-break space, as in Statistics Norway's
publications (Språkrådet: «5 %», with a space that does not break). Tags, attribute values
and the stylesheet are left as they are.
"""

from __future__ import annotations

import re

#: a tag, a comment or a whole <style>/<script> element: never rewritten
_MARKUP = re.compile(r"(<style\b.*?</style>|<script\b.*?</script>|<!--.*?-->|<[^>]*>)", re.S | re.I)
_UNIT = re.compile(r"(?<=\d) (?=[%‰])")


def no_break_before_units(html: str) -> str:
    """``html`` with a no-break space (U+00A0) instead of a space between a digit and «%» or
    «‰» in its text nodes.

    Examples
    --------
    >>> no_break_before_units('<p title="5 %">om lag 4,5 % mer</p>')
    '<p title="5 %">om lag 4,5\\xa0% mer</p>'
    """
    parts = _MARKUP.split(html)
    for i in range(0, len(parts), 2):  # even indices: text between markup
        parts[i] = _UNIT.sub("\u00a0", parts[i])
    return "".join(parts)
