"""analysis.data.values: missing markers read as NaN (expected values by hand)."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.data.values import as_float


@pytest.mark.parametrize("missing", [None, pd.NA, float("nan"), np.nan, pd.NaT])
def test_missing_markers_are_nan(missing):
    assert math.isnan(as_float(missing))


def test_numbers_become_floats():
    assert as_float(3) == 3.0 and isinstance(as_float(3), float)
    assert as_float(np.int64(7)) == 7.0
    assert as_float("2.5") == 2.5
