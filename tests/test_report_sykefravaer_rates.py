"""The rates of the sick-leave report (analysis.sickleave.report.build) recomputed from its
person-level data, independently of analysis.sickleave and analysis.methods.

For each gender (and both together) and each kind (legemeldt: certified days, egenmeldt:
self-certified days, totalt: both), from the persons with agreed days > 0:

* the rate ``100 · Σ lost days / Σ agreed days`` (SSB's definition, docs/methods.md);
* the linearised standard error of a ratio (Cochran 1977, eq. 6.9, with the n/(n − 1)
  factor): ``se = √(n/(n−1) · Σ (y_i − R x_i)²) / Σx``;
* the gamma interval of Fay & Feuer (1997) with the Korn & Graubard (1998) degrees-of-freedom
  factor, written here from the two papers: ``v = se² · (t_{n−1,0.975}/z_{0.975})²``,
  ``lower = v/(2R) · χ²_{0.025}(2R²/v)``, ``upper = (v + w²)/(2(R + w)) ·
  χ²_{0.975}(2(R + w)²/(v + w²))`` with ``w = max y_i / Σx``.

This replaces a check that only asked ``ci_low ≤ rate ≤ ci_high``.
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import chi2, norm, t

from analysis.sickleave import report as SF

KIND_COLUMNS = {
    "legemeldt": ("sick_days_certified",),
    "egenmeldt": ("sick_days_self",),
    "totalt": ("sick_days_certified", "sick_days_self"),
}


def _by_hand(y: list[float], x: list[float]) -> dict[str, float]:
    n, sx = len(y), sum(x)
    r = sum(y) / sx
    se = math.sqrt(n / (n - 1) * sum((yi - r * xi) ** 2 for yi, xi in zip(y, x, strict=True))) / sx
    v = se**2 * (t.ppf(0.975, n - 1) / norm.ppf(0.975)) ** 2
    w = max(y) / sx
    low = v / (2 * r) * chi2.ppf(0.025, 2 * r**2 / v)
    high = (v + w**2) / (2 * (r + w)) * chi2.ppf(0.975, 2 * (r + w) ** 2 / (v + w**2))
    return {
        "n_persons": n,
        "lost_days": sum(y),
        "agreed_days": sx,
        "rate_pct": 100 * r,
        "se_pct": 100 * se,
        "ci_low": 100 * low,
        "ci_high": 100 * high,
    }


def check_rates_by_hand(r: SF.SickLeaveReport) -> None:
    """Every row of ``r.rates`` equals the rate, SE and interval computed by hand."""
    person = r.person.frame
    # one row per person and year here, so persons need no summing
    assert person["person_id"].is_unique
    person = person.loc[person["agreed_workdays"] > 0]
    rates = r.rates.set_index(["gender", "kind"])
    assert len(rates) == 3 * 3
    for gender in ("K", "M", "alle"):
        sub = person if gender == "alle" else person.loc[person["gender"] == gender]
        x = sub["agreed_workdays"].astype(float).tolist()
        for kind, cols in KIND_COLUMNS.items():
            y = sub[list(cols)].astype(float).sum(axis=1).tolist()
            expected = _by_hand(y, x)
            got = rates.loc[(gender, kind)]
            assert got["n_persons"] == expected["n_persons"], (gender, kind)
            for col in ("lost_days", "agreed_days", "rate_pct", "se_pct", "ci_low", "ci_high"):
                assert got[col] == pytest.approx(expected[col], rel=1e-9), (gender, kind, col)


def test_report_rates_recomputed_from_the_person_data():
    # every year is checked in tests/test_report_sykefravaer.py::test_build_every_year
    check_rates_by_hand(SF.build(2026))
