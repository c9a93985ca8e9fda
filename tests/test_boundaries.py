"""The thresholds the documentation states, tested exactly at the boundary.

Each test puts a value exactly on the documented threshold and one just beside it, so that a
comparison written the other way (``>=`` for ``>``, or the reverse) fails. The expected
side of each boundary comes from the text quoted in the test, not from the code.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.paygap import measures as pg
from analysis.sickleave.measures import absence_concentration


def _category(name: str, men: list[float], women: list[float]) -> list[tuple]:
    rows = []
    for g, pays in (("M", men), ("K", women)):
        for i, pay in enumerate(pays):
            rows.append((name, g, pay, 30 + 7 * i + (g == "M"), 2 + 3 * i))
    return rows


def _hr(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["job_group", "gender", "annual_pay", "age", "tenure_years"]
    ).assign(year=2025)


def test_eu_flag_at_exactly_five_per_cent():
    """Directive (EU) 2023/970 art. 10(1)(a): "a difference ... of at least 5 %" is flagged.

    Men earn 640 000 kr and women 608 000 kr in category ``at``: the gap is 32 000 / 640 000
    = 5 % exactly (both quotients are exact in binary floating point: 32 000/640 000 = 1/20
    and the product with 100 rounds to 5.0). In ``below`` women earn 608 001 kr: 4,99984 %.
    """
    rows = _category("at", [640_000.0] * 3, [608_000.0] * 3)
    rows += _category("below", [640_000.0] * 3, [608_001.0] * 3)
    bc = pg.eu_pay_transparency(_hr(rows)).by_category.set_index("category")
    assert bc.loc["at", "mean_gap_pct"] == 5.0
    assert bc.loc["below", "mean_gap_pct"] == pytest.approx(100 * 31_999 / 640_000)
    assert bool(bc.loc["at", "flag_raw"])
    assert not bool(bc.loc["below", "flag_raw"])
    # one-sided: the same boundary holds for gaps in men's favour
    one = pg.eu_pay_transparency(_hr(rows), two_sided=False).by_category.set_index("category")
    assert bool(one.loc["at", "flag_raw"]) and not bool(one.loc["below", "flag_raw"])


def test_eu_flag_when_the_adjusted_gap_cannot_be_estimated():
    """docs/methods.md: a category whose adjusted gap cannot be estimated (too few persons)
    is flagged when its raw gap reaches the threshold: the employer has not shown an
    objective justification. One man and one woman leave no degree of freedom for the
    regression (constant + gender indicator + covariates > 2 observations)."""
    rows = _category("tiny", [700_000.0], [560_000.0])  # raw gap 20 %
    rows += _category("tiny_small_gap", [700_000.0], [693_000.0])  # raw gap 1 %
    bc = pg.eu_pay_transparency(_hr(rows)).by_category.set_index("category")
    assert bc.loc["tiny", "mean_gap_pct"] == pytest.approx(20.0)
    assert not bool(bc.loc["tiny", "adjusted_estimable"])
    assert math.isnan(bc.loc["tiny", "adjusted_gap_pct"])
    assert bool(bc.loc["tiny", "flag_raw"]) and bool(bc.loc["tiny", "flag_adjusted"])
    assert not bool(bc.loc["tiny_small_gap", "flag_adjusted"])
    assert pg.eu_pay_transparency(_hr(rows)).flagged_categories == ("tiny",)


def test_long_term_absence_is_above_sixteen_days():
    """docs/methods.md and the report: long-term absence (proxy) is "more than 16 lost working
    days"; exactly 16 is short-term. Persons with 15, 16, 17 and 40 days and one with none."""
    days = [0.0, 15.0, 16.0, 17.0, 40.0]
    hr = pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(len(days))],
            "gender": "K",
            "agreed_workdays": 230.0,
            "sick_days_certified": days,
            "sick_days_self": 0.0,
        }
    )
    c = absence_concentration(hr, "legemeldt").set_index("measure")
    total = sum(days)
    assert c.loc["long_term_proxy", "n_persons"] == 2  # 17 and 40
    assert c.loc["long_term_proxy", "value"] == pytest.approx((17 + 40) / total)
    assert c.loc["short_term_proxy", "n_persons"] == 2  # 15 and 16
    assert c.loc["short_term_proxy", "value"] == pytest.approx((15 + 16) / total)
    assert c.loc["no_absence", "n_persons"] == 1
