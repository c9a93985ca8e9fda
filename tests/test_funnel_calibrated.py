"""The calibrated funnel for proportions (the default) and the funnel's display, checked
against a second method.

* Exact limits: the acceptance region of the two one-sided tests, computed here with
  ``scipy.stats.binom`` / ``scipy.stats.betabinom`` (the definition in the docstring of
  ``funnel_proportions``: L the smallest k with P(K ≤ k) ≥ a, U the largest k with
  P(K ≥ k) ≥ a, a = (1 − level)/2), not with the module's log-gamma sums.
* The null expectation of the winsorised squared z-score by numerical integration
  (``scipy.integrate.quad``), not with the closed form the module uses.
* φ and τ² from the formulas of Spiegelhalter (2005b) and DerSimonian & Laird (1986), by hand.
* The HTML table: caption, labels, formats and note written out by hand (docs/style).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from analysis.methods.funnel import (
    dispersion,
    funnel_proportions,
    funnel_ratios,
    winsorise,
    winsorised_null_expectation,
)

NBSP = "\u00a0"


def exact_limits(n: int, p0: float, rho: float, level: float) -> tuple[float, float]:
    """(L/n, U/n) from scipy's binomial or beta-binomial distribution."""
    a = (1 - level) / 2
    if rho > 0:
        t = 1 / rho - 1
        dist = stats.betabinom(n, p0 * t, (1 - p0) * t)
    else:
        dist = stats.binom(n, p0)
    ks = np.arange(n + 1)
    cdf = dist.cdf(ks)
    at_least = dist.sf(ks - 1)
    lower = int(ks[np.flatnonzero(cdf >= a - 1e-12)[0]])
    upper = int(ks[np.flatnonzero(at_least >= a - 1e-12)[-1]])
    return lower / n, upper / n


def null_expectation(winsor: float) -> float:
    """E[min(Z², c²)] for Z ~ N(0, 1), c = Φ⁻¹(1 − winsor), by numerical integration."""
    c = stats.norm.isf(winsor)
    inner, _ = integrate.quad(lambda x: x * x * stats.norm.pdf(x), -c, c)
    return inner + 2 * winsor * c * c


def hand_quantile7(values, p):
    x = sorted(values)
    h = (len(x) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(x) - 1)
    return x[lo] + (h - lo) * (x[hi] - x[lo])


# --------------------------------------------------------------------------- null expectation


@pytest.mark.parametrize("winsor", [0.05, 0.1, 0.2, 0.3])
def test_winsorised_null_expectation_by_integration(winsor):
    assert winsorised_null_expectation(winsor) == pytest.approx(null_expectation(winsor), abs=1e-9)


def test_winsorised_null_expectation_values():
    # 0.6786 at 10 % (docstring); no winsorisation: E[Z²] = 1 exactly
    assert winsorised_null_expectation() == pytest.approx(0.6786, abs=1e-4)
    assert winsorised_null_expectation(0) == 1.0
    assert winsorised_null_expectation(0.0) == 1.0


# --------------------------------------------------------------------------- exact limits


def test_calibrated_limits_without_overdispersion_are_binomial():
    # every rate equals the pooled 50 %: φ = 0, τ² = 0, binomial limits
    k, n = [10, 20, 30, 7], [20, 40, 60, 14]
    res = funnel_proportions(k, n, list("abcd"), grid=[14, 20, 33.4])
    assert res.method == "calibrated" and res.tau2 == 0.0 and res.adjusted is False
    assert res.target == 0.5
    pp = res.per_project
    for i, ni in enumerate(n):
        for level, suffix in ((0.95, "95"), (0.998, "998")):
            lo, hi = exact_limits(ni, 0.5, 0.0, level)
            assert pp.loc[i, f"lower{suffix}"] == pytest.approx(lo, abs=1e-12)
            assert pp.loc[i, f"upper{suffix}"] == pytest.approx(hi, abs=1e-12)
    # the grid: the same limits at whole n (33.4 rounds to 33)
    g = res.limits_grid
    assert g["n"].tolist() == [14, 20, 33.4]
    for j, ni in enumerate((14, 20, 33)):
        lo, hi = exact_limits(ni, 0.5, 0.0, 0.998)
        assert g.loc[j, "lower998"] == pytest.approx(lo, abs=1e-12)
        assert g.loc[j, "upper998"] == pytest.approx(hi, abs=1e-12)
    assert res.outside_95 == [] and res.outside_99_8 == []


def test_calibrated_funnel_overdispersed_by_hand():
    # φ is the mean winsorised z² divided by its null expectation; τ² by DerSimonian–Laird;
    # the limits beta-binomial with ρ = 4τ²
    k = [2, 30, 45, 10, 25, 33]
    n = [20, 40, 60, 10, 50, 41]
    res = funnel_proportions(k, n, list("abcdef"))
    p0 = sum(k) / sum(n)
    th0 = math.asin(math.sqrt(p0))
    s = [1 / (2 * math.sqrt(v)) for v in n]
    z = [(math.asin(math.sqrt(ki / ni)) - th0) / si for ki, ni, si in zip(k, n, s, strict=True)]
    lo, hi = hand_quantile7(z, 0.1), hand_quantile7(z, 0.9)
    z_w = [min(max(v, lo), hi) for v in z]
    phi = sum(v * v for v in z_w) / len(z_w) / null_expectation(0.1)
    w = [1 / si**2 for si in s]
    big = len(z) * phi
    tau2 = max(0.0, (big - (len(z) - 1)) / (sum(w) - sum(x * x for x in w) / sum(w)))
    assert tau2 > 0
    assert res.dispersion_ratio == pytest.approx(phi, rel=1e-9)
    assert res.tau2 == pytest.approx(tau2, rel=1e-9)
    assert res.adjusted is True and res.n_units == 6
    assert res.dispersion_p_value == pytest.approx(stats.chi2.sf(big, 5), rel=1e-9)
    rho = min(4 * tau2, 0.99)
    pp = res.per_project
    for i, ni in enumerate(n):
        for level, suffix in ((0.95, "95"), (0.998, "998")):
            lo_, hi_ = exact_limits(ni, p0, rho, level)
            assert pp.loc[i, f"lower{suffix}"] == pytest.approx(lo_, abs=1e-12)
            assert pp.loc[i, f"upper{suffix}"] == pytest.approx(hi_, abs=1e-12)
    rate = [ki / ni for ki, ni in zip(k, n, strict=True)]
    assert res.outside_95 == [
        lab
        for lab, r, i in zip("abcdef", rate, range(6), strict=True)
        if r < pp.loc[i, "lower95"] or r > pp.loc[i, "upper95"]
    ]
    # adjust="none": the same estimates, binomial limits
    none = funnel_proportions(k, n, list("abcdef"), adjust="none")
    assert none.tau2 == pytest.approx(tau2, rel=1e-9) and none.adjusted is False
    lo_, hi_ = exact_limits(40, p0, 0.0, 0.95)
    assert none.per_project.loc[1, "lower95"] == pytest.approx(lo_, abs=1e-12)
    assert none.per_project.loc[1, "upper95"] == pytest.approx(hi_, abs=1e-12)


def test_calibrated_rho_is_capped():
    # extreme spread: 4τ² is far above 1, so ρ is capped at 0.99
    k, n = [0, 50, 1, 49, 0, 50], [50, 50, 50, 50, 50, 50]
    res = funnel_proportions(k, n, list("abcdef"), winsor=0.0)
    assert 4 * res.tau2 > 0.99
    lo, hi = exact_limits(50, 0.5, 0.99, 0.95)
    assert res.per_project.loc[0, "lower95"] == pytest.approx(lo, abs=1e-12)
    assert res.per_project.loc[0, "upper95"] == pytest.approx(hi, abs=1e-12)


@pytest.mark.parametrize("p0", [0.0, 1.0])
def test_calibrated_limits_at_a_target_of_zero_or_one(p0):
    # a target of 0 (1): K is always 0 (n), the limits are the target itself
    res = funnel_proportions([0, 3], [5, 8], ["a", "b"], target=p0, adjust="none")
    for c in ("lower95", "upper95", "lower998", "upper998"):
        assert res.per_project[c].tolist() == [p0, p0]


def test_calibrated_levels_are_the_coverages_asked_for():
    k, n = [10, 20, 30], [20, 40, 60]
    res = funnel_proportions(k, n, list("abc"), alpha=(0.8, 0.9))
    assert res.levels == (0.8, 0.9)
    lo, hi = exact_limits(40, 0.5, 0.0, 0.8)
    assert (res.per_project.loc[1, "lower95"], res.per_project.loc[1, "upper95"]) == (
        pytest.approx(lo),
        pytest.approx(hi),
    )
    lo, hi = exact_limits(40, 0.5, 0.0, 0.9)
    assert (res.per_project.loc[1, "lower998"], res.per_project.loc[1, "upper998"]) == (
        pytest.approx(lo),
        pytest.approx(hi),
    )


# --------------------------------------------------------------------------- checks and helpers


def test_input_errors_word_for_word():
    with pytest.raises(ValueError, match="^method må være 'calibrated' eller 'funnelplotr'"):
        funnel_proportions([1], [2], method="other")  # type: ignore[arg-type]
    msg = "k og n må være endimensjonale, ikke tomme og like lange"
    for k, n in (([1, 2], [3]), ([], []), ([[1]], [[2]])):
        with pytest.raises(ValueError) as e:
            funnel_proportions(k, n)
        assert str(e.value) == msg
    for n in ([0, 5], [-1, 5], [np.nan, 5], [np.inf, 5]):
        with pytest.raises(ValueError) as e:
            funnel_proportions([0, 1], n)
        assert str(e.value) == "hver n må være positiv (utelat enheter uten avsluttede forløp)"
    for k in ([-1, 1], [6, 1], [np.nan, 1]):
        with pytest.raises(ValueError) as e:
            funnel_proportions(k, [5, 5])
        assert str(e.value) == "hver k må ligge mellom 0 og n"
    for t in (-0.1, 1.1):
        with pytest.raises(ValueError) as e:
            funnel_proportions([1, 2], [5, 5], target=t)
        assert str(e.value) == "target må være en andel i [0, 1]"
    with pytest.raises(ValueError) as e:
        funnel_proportions([1, 2], [5, 5], ["a"])
    assert str(e.value) == "labels må ha én etikett per enhet"
    with pytest.raises(ValueError) as e:
        funnel_proportions([1, 2], [5, 5], ["a", "a"])
    assert str(e.value) == "labels må være unike (aggreger per enhet først)"
    with pytest.raises(ValueError) as e:
        funnel_proportions([1, 2], [5, 5], alpha=(0.998, 0.95))
    assert str(e.value) == ("alpha må være to dekningsgrader, indre < ytre, f.eks. (0.95, 0.998)")
    for alpha in ((0.95,), (0.0, 0.9), (0.9, 1.0), (0.9, 0.95, 0.99)):
        with pytest.raises(ValueError):
            funnel_proportions([1, 2], [5, 5], alpha=alpha)  # type: ignore[arg-type]
    with pytest.raises(ValueError) as e:
        funnel_proportions([1, 2], [5, 5], adjust="sometimes")  # type: ignore[arg-type]
    assert str(e.value) == (
        "adjust må være 'auto', 'test', 'none' eller 'always', ikke 'sometimes'"
    )


def test_ratio_input_errors_word_for_word():
    cases = [
        (
            ([1, 2], [3]),
            {},
            "observed og expected må være endimensjonale, ikke tomme og like lange",
        ),
        (([], []), {}, "observed og expected må være endimensjonale, ikke tomme og like lange"),
        (([1, 2], [0, 3]), {}, "expected må være positiv og observed ikke negativ"),
        (([1, 2], [np.nan, 3]), {}, "expected må være positiv og observed ikke negativ"),
        (([-1, 2], [2, 3]), {}, "expected må være positiv og observed ikke negativ"),
        (([np.inf, 2], [2, 3]), {}, "expected må være positiv og observed ikke negativ"),
        (([1, 2], [2, 3]), {"target": 0}, "target må være positiv"),
        (
            ([0, 2], [2, 3]),
            {"method": "log"},
            "method='log' krever observed > 0 i hver enhet; bruk 'sqrt'",
        ),
        (
            ([1, 2], [2, 3]),
            {"method": "bernoulli"},
            "method='bernoulli' krever variansen Σp(1−p) per enhet",
        ),
        (
            ([1, 2], [2, 3]),
            {"method": "bernoulli", "variance": [1.0]},
            "variance må være positiv, én per enhet",
        ),
        (
            ([1, 2], [2, 3]),
            {"method": "bernoulli", "variance": [1.0, 0.0]},
            "variance må være positiv, én per enhet",
        ),
        (([1, 2], [2, 3]), {"method": "cube"}, "ukjent method 'cube'"),
    ]
    for (o, e), kw, msg in cases:
        with pytest.raises(ValueError) as err:
            funnel_ratios(o, e, **kw)
        assert str(err.value) == msg


def test_winsorise_edges():
    z = np.array([3.0, -1.0, 0.5, 2.0])
    with pytest.raises(ValueError) as e:
        winsorise(z, 0.5)
    assert str(e.value) == "winsor må ligge i [0, 0.5)"
    with pytest.raises(ValueError):
        winsorise(z, -0.1)
    with pytest.raises(ValueError) as e:
        winsorise(z, 0.1, "median")  # type: ignore[arg-type]
    assert str(e.value) == "ukjent winsor_method 'median'"
    # winsor 0 and an empty array: a copy, unchanged
    out = winsorise(z, 0.0)
    assert out.tolist() == z.tolist() and out is not z
    assert winsorise(np.array([]), 0.1).size == 0
    # rank at 25 % of 4 units: the smallest and the largest set to the next inwards
    assert winsorise(z, 0.25, "rank").tolist() == [2.0, 0.5, 0.5, 2.0]
    # a list is accepted; winsor 0.49 of 3 units: m = 1, everything set to the median
    assert winsorise([1, 2, 3], 0.49, "rank").tolist() == [2.0, 2.0, 2.0]


def test_dispersion_edges():
    # no unit: φ NaN, τ² 0, p NaN; one unit: p NaN (χ² with 0 degrees of freedom)
    phi, tau2, p = dispersion(np.array([]), np.array([]))
    assert math.isnan(phi) and tau2 == 0.0 and math.isnan(p)
    phi, tau2, p = dispersion(np.array([2.0]), np.array([0.1]))
    assert phi == 4.0 and math.isnan(p)
    # one unit: Σw − Σw²/Σw = 0, so τ² = 0 however large φ is (a bug once: rounding left
    # 1/0.1² − (1/0.1²)²/(1/0.1²) a hair above 0 and τ² came out as 2.8·10¹⁴)
    assert tau2 == 0.0
    # a single project of 25 (s = 0,1): before the fix τ² was 8,6·10¹⁵ and the limits [0, 1]
    res = funnel_proportions([0], [25], ["a"], target=0.8, winsor=0.0, method="funnelplotr")
    assert res.tau2 == 0.0 and res.adjusted is False and res.outside_99_8 == ["a"]
    # the scale divides φ: z = (2, −2), s = (0.1, 0.2), scale 2: φ = 4/2 = 2, I·φ = 4 > 1
    phi, tau2, p = dispersion(np.array([2.0, -2.0]), np.array([0.1, 0.2]), 2.0)
    # weights 1/s²: 100 and 25
    assert phi == 2.0
    assert tau2 == pytest.approx((4 - 1) / (125 - (100**2 + 25**2) / 125))
    assert p == pytest.approx(stats.chi2.sf(4.0, 1))
    # I·φ exactly I − 1 (the boundary): τ² = 0 by the formula either way
    phi, tau2, _ = dispersion(np.array([1.0, 0.0]), np.array([0.1, 0.2]))
    assert phi == 0.5 and tau2 == 0.0


def test_decide_modes_with_the_test():
    # adjust="test" uses τ² only when the χ² test rejects at 5 %; "always" always
    k = [2, 30, 45, 10, 25, 33]
    n = [20, 40, 60, 10, 50, 41]
    auto = funnel_proportions(k, n, list("abcdef"), method="funnelplotr")
    assert auto.dispersion_p_value < 0.05 and auto.tau2 > 0
    assert funnel_proportions(k, n, list("abcdef"), adjust="test", method="funnelplotr").adjusted
    flat = funnel_proportions([10, 20, 30], [20, 40, 60], list("abc"), adjust="always")
    assert flat.adjusted is True and flat.tau2 == 0.0
    flat = funnel_proportions([10, 20, 30], [20, 40, 60], list("abc"), adjust="test")
    assert flat.adjusted is False


def test_default_labels_and_grid():
    res = funnel_proportions([3, 40], [5, 50], method="funnelplotr")
    assert res.per_project["label"].tolist() == [0, 1]
    g = res.limits_grid["n"]
    # 200 log-spaced points from max(n_min/2, 0.5) = 2.5 to 1.1 · n_max = 55, plus the n's
    assert g.iloc[0] == pytest.approx(2.5) and g.iloc[-1] == pytest.approx(55.0)
    assert len(g) == 202 and g.is_monotonic_increasing
    res = funnel_proportions([0], [0.6], method="funnelplotr", target=0.5)
    assert res.limits_grid["n"].iloc[0] == pytest.approx(0.5)  # never below half a person
    res = funnel_ratios([3.0, 9.0], [4.0, 10.0])
    assert res.limits_grid["expected"].iloc[0] == pytest.approx(2.0)
    assert res.limits_grid["expected"].iloc[-1] == pytest.approx(11.0)


# --------------------------------------------------------------------------- display


def _html_parts(html: str) -> dict:
    import re

    return {
        "caption": re.search(r"<caption>(.*?)</caption>", html).group(1),
        "headers": re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html),
        "rows": re.findall(r'<th scope="row"[^>]*>(.*?)</th>', html),
        "cells": re.findall(r"<td[^>]*>(.*?)</td>", html),
        "note": re.search(r'<p class="fou-table-note">(.*?)</p>', html).group(1),
    }


def test_proportion_funnel_html_by_hand():
    # 4 of 10 and 9 of 20, FunnelPlotR limits without τ²: pooled 13/30
    res = funnel_proportions([4, 9], [10, 20], ["P1", "P2"], method="funnelplotr", adjust="none")
    p = _html_parts(res._repr_html_())
    assert p["caption"] == f"Traktplott (andeler) for 2 enheter, midtlinje 43,3{NBSP}%"
    assert p["headers"][1:] == [
        "Hendelser (k)",
        "Antall (n)",
        "Andel",
        "z",
        f"Nedre 95{NBSP}%",
        f"Øvre 95{NBSP}%",
        f"Nedre 99,8{NBSP}%",
        f"Øvre 99,8{NBSP}%",
        f"Utenfor 95{NBSP}%",
        f"Utenfor 99,8{NBSP}%",
    ]
    assert p["headers"][0] == "Enhet" and p["rows"] == ["P1", "P2"]
    th0 = math.asin(math.sqrt(13 / 30))
    z1 = (math.asin(math.sqrt(0.4)) - th0) * 2 * math.sqrt(10)
    lo = math.sin(th0 - 1.959964 / (2 * math.sqrt(10))) ** 2
    first = p["cells"][:10]
    assert first[:3] == ["4", "10", f"40,0{NBSP}%"]
    assert first[3] == f"{z1:.2f}".replace(".", ",").replace("-", "−")
    assert first[4] == f"{100 * lo:.1f}{NBSP}%".replace(".", ",")
    assert first[8:] == ["Nei", "Nei"]
    assert p["note"] == (
        "Metode: funnelplotr. Spredningsforhold φ = "
        + f"{res.dispersion_ratio:.2f}".replace(".", ",")
        + ", τ² = "
        + f"{res.tau2:.4f}".replace(".", ",")
        + "; grensene er ikke justert for overspredning."
    )


def _no(x: float, d: int) -> str:
    """A number as the reports write it: decimal comma, minus sign U+2212."""
    return f"{x:.{d}f}".replace(".", ",").replace("-", "\u2212")


def test_ratio_funnel_html_by_hand():
    # O = 12, 2 against E = 10,0, 9,5 (sqrt method) at 90 % and 99 %, without τ²: the exact
    # Poisson limits χ²_{a}(2E)/2E and χ²_{1−a}(2E + 2)/2E (FunnelPlotR), a = (1 − level)/2
    res = funnel_ratios([12.0, 2.0], [10.0, 9.5], ["a", "b"], adjust="none", alpha=(0.9, 0.99))
    p = _html_parts(res._repr_html_())
    assert p["caption"] == "Traktplott (observert/forventet) for 2 enheter, midtlinje 1,00"
    assert p["headers"] == [
        "Enhet",
        "Observert (O)",
        "Forventet (F)",
        "O/F",
        "z",
        f"Nedre 90{NBSP}%",
        f"Øvre 90{NBSP}%",
        f"Nedre 99{NBSP}%",
        f"Øvre 99{NBSP}%",
        f"Utenfor 90{NBSP}%",
        f"Utenfor 99{NBSP}%",
    ]
    expected = []
    for o, e in ((12.0, 10.0), (2.0, 9.5)):
        row = [
            f"{o:.0f}",
            _no(e, 1),
            _no(o / e, 2),
            _no((math.sqrt(o / e) - 1) * 2 * math.sqrt(e), 2),
        ]
        outside = []
        for level in (0.9, 0.99):
            a = (1 - level) / 2
            lo = stats.chi2.ppf(a, 2 * e) / (2 * e)
            hi = stats.chi2.ppf(1 - a, 2 * e + 2) / (2 * e)
            row += [_no(lo, 2), _no(hi, 2)]
            outside.append("Ja" if not lo <= o / e <= hi else "Nei")
        expected += row + outside
    assert p["cells"] == expected
    # b (2/9,5 = 0,21) is below both lower limits (0,53 and 0,36)
    assert expected[-2:] == ["Ja", "Ja"] and expected[8:10] == ["Nei", "Nei"]
    assert p["note"] == (
        "Metode: sqrt. Spredningsforhold φ = "
        + _no(res.dispersion_ratio, 2)
        + ", τ² = "
        + _no(res.tau2, 4)
        + "; grensene er ikke justert for overspredning."
    )
    adjusted = funnel_ratios([12.0, 2.0], [10.0, 9.5], ["a", "b"], adjust="always")
    assert _html_parts(adjusted._repr_html_())["note"].endswith(
        "; grensene er justert for overspredning."
    )
