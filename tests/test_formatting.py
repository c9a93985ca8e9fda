"""The one formatter set (analysis.render.formatting).

Expected strings are written out by hand from the house style (DESIGN.md: ``94,6 %``,
``805 041 kr``): decimal comma, U+202F between thousands, U+00A0 before a unit, U+2212 as
the minus sign, an en dash for a missing value. The round trip reads the text back with the
input parser (analysis.data.schema.parse_number), a second, independent implementation.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.data.schema import parse_number
from analysis.render.formatting import (
    fmt_ci,
    fmt_int,
    fmt_nok,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_share,
)

NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


@pytest.mark.parametrize(
    "x,d,expected",
    [
        (805041, 0, "805\u202f041"),
        (1234567.891, 1, "1\u202f234\u202f567,9"),
        (94.584, 2, "94,58"),
        (-12.34, 1, "\u221212,3"),
        (-1234.5, 1, "\u22121\u202f234,5"),
        (-0.01, 1, "0,0"),  # rounds to zero: no sign
        (-0.06, 1, "\u22120,1"),
        (0, 2, "0,00"),
        (999.96, 1, "1\u202f000,0"),
        (1e9, 0, "1\u202f000\u202f000\u202f000"),
        (None, 0, "–"),
        (math.nan, 1, "–"),
    ],
)
def test_fmt_number(x, d, expected):
    assert fmt_number(x, d) == expected


def test_numpy_and_pandas_missing_values():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert fmt_number(np.float64(1234.5), 1) == "1\u202f234,5"
    assert fmt_number(np.int64(-7)) == "\u22127"
    assert fmt_number(np.float64("nan")) == "–"
    assert fmt_number(pd.NA) == "–"


@pytest.mark.parametrize(
    "x,d,expected",
    [(16, 1, "16"), (16.0, 1, "16"), (12.5, 2, "12,5"), (62.25, 2, "62,25"), (0.04, 1, "0")],
)
def test_trim_drops_trailing_zeros(x, d, expected):
    assert fmt_number(x, d, trim=True) == expected


def test_terminal_separator():
    assert fmt_number(1_000_000, thousands=NBSP) == "1\u00a0000\u00a0000"


def test_units():
    assert fmt_pct(94.584) == "94,6\u00a0%"
    assert fmt_pct(60.0, 1, trim=True) == "60\u00a0%"
    assert fmt_share(0.94584, 2) == "94,58\u00a0%"
    assert fmt_nok(805041.4) == "805\u202f041\u00a0kr"
    assert fmt_nok(-24011) == "\u221224\u202f011\u00a0kr"
    assert fmt_pp(-1.234) == "\u22121,2\u00a0prosentpoeng"
    assert fmt_int(1300) == "1\u202f300"
    assert fmt_pct(None) == "–" and fmt_share(math.nan) == "–" and fmt_nok(None) == "–"


def test_fmt_ci():
    assert fmt_ci(12.34, 15.6, unit="%") == "12,3–15,6\u00a0%"
    assert fmt_ci(0.874, 1.126, 2) == "0,87–1,13"
    assert fmt_ci(-2.04, 3.0, 1) == "\u22122,0–3,0"
    assert fmt_ci(0.123, 0.156, fmt=fmt_share) == "12,3\u00a0%–15,6\u00a0%"
    assert fmt_ci(-1.23, 4.56, 1, sep=" til ") == "\u22121,2 til 4,6"
    for lo, hi in [(None, 1.0), (1.0, math.nan), (0.5, math.inf), (-math.inf, 0.5)]:
        assert fmt_ci(lo, hi) == "–"
        assert fmt_ci(lo, hi, fmt=fmt_share) == "–"


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(finite, st.integers(min_value=0, max_value=3))
def test_round_trip_within_half_a_unit(x, d):
    """Reading the text back gives the number to within half a unit of the last decimal."""
    text = fmt_number(x, d)
    back = parse_number(text, decimal=",")
    assert abs(back - x) <= 0.5 * 10**-d * (1 + 1e-9) + abs(x) * 1e-15
    # the text has exactly d decimals and only the house characters
    assert re.fullmatch(rf"\u2212?\d{{1,3}}(\u202f\d{{3}})*{',' if d else ''}\d{{{d}}}", text)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_whole_numbers_round_trip_exactly(n):
    text = fmt_int(n)
    assert parse_number(text, decimal=",") == n
    assert " " not in text and "\u2009" not in text and "-" not in text
