"""The one JSON sanitiser (analysis.render.jsonable): NaN, infinity, numpy and pandas values
become valid JSON (RFC 8259 has no NaN or infinity); plain JSON values pass unchanged."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.render.jsonable import json_number, to_jsonable


def _same(a, b) -> bool:
    """Equal and of the same types all the way down (True == 1 is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_missing_and_infinite_become_null():
    values = [math.nan, math.inf, -math.inf, np.float64("nan"), np.float32("inf"), None, pd.NA]
    assert to_jsonable(values + [pd.NaT]) == [None] * 8


def test_numpy_scalars_become_python_scalars():
    out = to_jsonable({"i": np.int64(3), "f": np.float64(0.25), "b": np.bool_(True)})
    assert _same(out, {"i": 3, "f": 0.25, "b": True})
    assert _same(to_jsonable(np.str_("K")), "K")


def test_containers_keys_and_dates():
    out = to_jsonable({1: (1, 2), "d": dt.date(2025, 1, 31), "t": pd.Timestamp("2025-03-01")})
    assert _same(out, {"1": [1, 2], "d": "2025-01-31", "t": "2025-03-01T00:00:00"})


def test_other_objects_need_a_fallback():
    class Group:
        def __str__(self) -> str:
            return "gruppe"

    with pytest.raises(TypeError, match="kan ikke gjøres om til JSON: Group"):
        to_jsonable({"g": Group()})
    assert to_jsonable({"g": Group()}, fallback=str) == {"g": "gruppe"}
    assert to_jsonable(np.float64("nan"), fallback=str) is None  # NaN is not a fallback case


def test_json_number():
    assert _same(json_number(3), 3.0)
    assert _same(json_number(np.float32(0.5)), 0.5)
    for x in (None, math.nan, math.inf, -math.inf, np.float64("nan"), pd.NA):
        assert json_number(x) is None


plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(plain)
def test_plain_json_values_pass_unchanged(value):
    assert _same(to_jsonable(value), value)


messy_leaf = (
    plain
    | st.floats()  # NaN and ±inf included
    | st.integers(min_value=-(2**62), max_value=2**62).map(np.int64)
    | st.floats(width=32).map(np.float32)
    | st.booleans().map(np.bool_)
    | st.sampled_from([pd.NA, pd.NaT])
)
messy = st.recursive(
    messy_leaf,
    lambda inner: (
        st.lists(inner, max_size=4).map(tuple)
        | st.lists(inner, max_size=4)
        | st.dictionaries(st.integers() | st.text(), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(messy)
def test_anything_becomes_valid_json(value):
    out = to_jsonable(value)
    text = json.dumps(out, allow_nan=False)  # raises on NaN/inf
    assert _same(json.loads(text), out)
