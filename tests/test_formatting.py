from __future__ import annotations

import math

import pytest

from analysis.render.formatting import fmt_nok, fmt_number, fmt_pct, fmt_pp, fmt_share


@pytest.mark.parametrize(
    "x,d,expected",
    [
        (805041, 0, "805\u202f041"),
        (1234567.891, 1, "1\u202f234\u202f567,9"),
        (0.5, 0, "0"),
        (94.584, 2, "94,58"),
        (-12.34, 1, "\u221212,3"),
        (-0.01, 1, "0,0"),
        (None, 0, "–"),
        (math.nan, 1, "–"),
        (999.96, 1, "1\u202f000,0"),
    ],
)
def test_fmt_number(x, d, expected):
    assert fmt_number(x, d) == expected


def test_units():
    assert fmt_pct(94.584) == "94,6\u00a0%"
    assert fmt_share(0.94584, 2) == "94,58\u00a0%"
    assert fmt_nok(805041.4) == "805\u202f041\u00a0kr"
    assert fmt_pp(-1.234) == "\u22121,2\u00a0prosentpoeng"
    assert fmt_pct(None) == "–"
