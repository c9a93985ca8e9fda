"""EU pay transparency indicators (analysis.paygap.measures.eu_pay_transparency) and the
adjusted gap behind the art. 10 flag.

Expected values come from a second method or by hand: the adjusted gap is the gender
coefficient δ of an OLS of log pay fitted here with statsmodels on the covariates that the
docstring says are used (numeric, complete and not constant within the category), converted
as ``(1 − exp(−δ)) × 100``; counts, means and medians are computed by hand from the rows.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis.paygap import measures as pg

# fixed "noise" so that no regression fits exactly
NOISE = (0.013, -0.021, 0.008, -0.004, 0.017, -0.011, 0.002, -0.015, 0.019, -0.006)


def _rows(category: str, people: list[tuple[str, float, float]], gap: float) -> list[dict]:
    """People ``(gender, age, tenure)``; log pay = 13 + 0.01·tenure + 0.002·age − gap·woman."""
    out = []
    for i, (g, age, tenure) in enumerate(people):
        log_pay = 13.0 + 0.01 * tenure + 0.002 * (age if not math.isnan(age) else 40.0)
        log_pay += NOISE[i % len(NOISE)] - (gap if g == "K" else 0.0)
        out.append(
            {
                "job_group": category,
                "unit": "u1" if i % 2 else "u2",
                "gender": g,
                "annual_pay": math.exp(log_pay),
                "age": age,
                "tenure_years": tenure,
            }
        )
    return out


def _frame() -> pd.DataFrame:
    rows = []
    # age constant within the category: left out; tenure varies
    rows += _rows(
        "const_age",
        [("M", 40, t) for t in (1, 4, 9, 12)] + [("K", 40, t) for t in (2, 3, 7, 10)],
        0.08,
    )
    # tenure takes only two values and age is constant: tenure (2 distinct values) is used
    rows += _rows(
        "two_values",
        [("M", 35, t) for t in (2, 5, 5, 5)] + [("K", 35, t) for t in (2, 2, 2, 5)],
        0.06,
    )
    # one age is missing: age is left out, the person stays
    rows += _rows(
        "missing_age",
        [("M", a, t) for a, t in ((30, 1), (45, 6), (52, 11), (38, 3))]
        + [("K", a, t) for a, t in ((33, 2), (float("nan"), 5), (41, 8), (29, 4))],
        0.07,
    )
    # three persons and three parameters (constant, man, age): no degree of freedom left
    rows += _rows("saturated", [("M", 30, 5), ("M", 40, 5), ("K", 35, 5)], 0.2)
    return pd.DataFrame(rows).assign(year=2025)


def _ols_gap(sub: pd.DataFrame, covariates: list[str]) -> float:
    d = sub.assign(log_pay=np.log(sub["annual_pay"]), man=(sub["gender"] == "M").astype(float))
    fit = smf.ols("log_pay ~ man" + "".join(f" + {c}" for c in covariates), d).fit()
    return (1.0 - math.exp(-fit.params["man"])) * 100.0


@pytest.fixture  # per test: make mutate links each test to the functions it calls
def eu():
    return pg.eu_pay_transparency(_frame())


def test_columns_and_hand_counted_values(eu):
    bc = eu.by_category
    # the column list of the docstring of EUIndicators, in that order
    assert list(bc.columns) == [
        "category",
        "n_men",
        "n_women",
        "mean_men",
        "mean_women",
        "median_men",
        "median_women",
        "mean_gap_pct",
        "median_gap_pct",
        "adjusted_gap_pct",
        "adjusted_estimable",
        "flag_raw",
        "flag_adjusted",
    ]
    hr = _frame()
    for cat, row in bc.set_index("category").iterrows():
        sub = hr.loc[hr["job_group"] == cat]
        men = sub.loc[sub["gender"] == "M", "annual_pay"]
        women = sub.loc[sub["gender"] == "K", "annual_pay"]
        assert (row["n_men"], row["n_women"]) == (len(men), len(women))
        assert row["mean_men"] == pytest.approx(men.mean())
        assert row["mean_women"] == pytest.approx(women.mean())
        assert row["median_men"] == pytest.approx(men.median())
        assert row["median_women"] == pytest.approx(women.median())
        assert row["mean_gap_pct"] == pytest.approx(100 * (1 - women.mean() / men.mean()))
        assert row["median_gap_pct"] == pytest.approx(100 * (1 - women.median() / men.median()))
    men, women = hr.loc[hr["gender"] == "M"], hr.loc[hr["gender"] == "K"]
    assert (eu.n_men, eu.n_women) == (len(men), len(women)) == (14, 13)


def test_adjusted_gap_uses_only_usable_covariates(eu):
    bc = eu.by_category.set_index("category")
    hr = _frame()

    def cat(name: str) -> pd.DataFrame:
        return hr.loc[hr["job_group"] == name]

    assert bc.loc["const_age", "adjusted_gap_pct"] == pytest.approx(
        _ols_gap(cat("const_age"), ["tenure_years"]), abs=1e-9
    )
    assert bc.loc["two_values", "adjusted_gap_pct"] == pytest.approx(
        _ols_gap(cat("two_values"), ["tenure_years"]), abs=1e-9
    )
    assert bc.loc["missing_age", "adjusted_gap_pct"] == pytest.approx(
        _ols_gap(cat("missing_age"), ["tenure_years"]), abs=1e-9
    )
    assert bc.loc[["const_age", "two_values", "missing_age"], "adjusted_estimable"].all()


def test_saturated_category_is_not_estimable_and_flagged(eu):
    """Three persons, three parameters: docs/methods.md — not estimable ("too few persons"),
    so a raw gap at or above 5 % is flagged (no justification shown)."""
    row = eu.by_category.set_index("category").loc["saturated"]
    assert not bool(row["adjusted_estimable"]) and math.isnan(row["adjusted_gap_pct"])
    assert row["mean_gap_pct"] > 5 and bool(row["flag_raw"]) and bool(row["flag_adjusted"])
    assert "saturated" in eu.flagged_categories


def test_a_row_without_gender_is_left_out():
    """gap_measures' docstring: rows with a missing gender are left out; so the adjusted gap
    must be the same as without that row (a low-paid person counted as a woman would raise
    it)."""
    hr = _frame()
    extra = hr.loc[hr["job_group"] == "const_age"].iloc[[0]].assign(gender=None, annual_pay=1e5)
    with_extra = pg.eu_pay_transparency(pd.concat([hr, extra], ignore_index=True))
    a = with_extra.by_category.set_index("category").loc["const_age", "adjusted_gap_pct"]
    b = _ols_gap(hr.loc[hr["job_group"] == "const_age"], ["tenure_years"])
    assert a == pytest.approx(b, abs=1e-9)


def test_parameters_are_kept_and_used():
    hr = _frame()
    eu = pg.eu_pay_transparency(
        hr, ("tenure_years",), by="unit", threshold_pct=7.5, two_sided=False
    )
    assert eu.threshold_pct == 7.5 and eu.two_sided is False
    assert eu.adjusted_covariates == ("tenure_years",)
    # categories are the values of ``by``
    assert list(eu.by_category["category"]) == ["u1", "u2"]
    for unit, row in eu.by_category.set_index("category").iterrows():
        sub = hr.loc[hr["unit"] == unit]
        men = sub.loc[sub["gender"] == "M", "annual_pay"]
        women = sub.loc[sub["gender"] == "K", "annual_pay"]
        gap = 100 * (1 - women.mean() / men.mean())
        assert row["mean_gap_pct"] == pytest.approx(gap)
        assert bool(row["flag_raw"]) == (gap >= 7.5)
    # the quartile bands of the whole frame (pay_quartiles): every person once
    assert eu.quartiles["n"].sum() == pytest.approx(len(hr))
    d = eu.to_dict()
    assert d["threshold_pct"] == 7.5 and d["adjusted_covariates"] == ["tenure_years"]


def test_more_than_one_year_is_refused_with_the_frame_named():
    hr = pd.concat([_frame(), _frame().assign(year=2024)])
    with pytest.raises(ValueError, match=r"^hr må gjelde ett år, fant \[2024, 2025\]"):
        pg.eu_pay_transparency(hr)
