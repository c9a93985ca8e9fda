"""What a reader sees of the result types in JupyterLab (``_repr_html_`` of
analysis.methods.stats.RatioEstimate and BootstrapResult): caption, column labels, note and
the numbers as the project writes them (docs/style: decimal comma, four decimals, counts
with a narrow no-break space as thousands separator, the seed as an id without separator).

The expected strings are written out by hand; the numbers are worked out by hand:
R = (1+2+3)/(10+10+20) = 0,15 and its linearised SE √(3/2 · Σ(y − R x)²)/Σx with residuals
−0,5, 0,5, 0 is √(0,75)/40 = 0,02165 → «0,0217»; a constant sample gives the estimate 2,5,
SE 0 and the interval [2,5; 2,5].
"""

from __future__ import annotations

import re

import numpy as np

from analysis.methods.stats import bootstrap, ratio_estimate

NNBSP = "\u202f"  # narrow no-break space, the thousands separator


def _parts(html: str) -> dict[str, object]:
    return {
        "caption": re.search(r"<caption>(.*?)</caption>", html).group(1),
        "aria": re.search(r'aria-label="(.*?)"', html).group(1),
        "headers": re.findall(r"<th scope[^>]*>(.*?)</th>", html),
        "cells": re.findall(r"<td[^>]*>(.*?)</td>", html),
        "numeric": re.findall(r'<td class="num">(.*?)</td>', html),
        "note": re.search(r'<p class="fou-table-note">(.*?)</p>', html).group(1),
    }


def test_ratio_estimate_html():
    p = _parts(ratio_estimate([1, 2, 3], [10, 10, 20])._repr_html_())
    assert p["caption"] == p["aria"] == "Forholdsestimat R = Σy/Σx"
    assert p["headers"] == ["Estimat", "Standardfeil"]
    assert p["cells"] == p["numeric"] == ["0,1500", "0,0217"]
    assert p["note"] == "Linearisert standardfeil."


def test_bootstrap_html():
    res = bootstrap(np.mean, [np.full(20, 2.5)], n_boot=1234, seed=12345)
    p = _parts(res._repr_html_())
    assert p["caption"] == p["aria"] == "Bootstrap-estimat"
    assert p["headers"] == [
        "Estimat",
        "Standardfeil",
        "95 % KI, nedre",
        "95 % KI, øvre",
        "Replikater",
        "Frø",
    ]
    # the seed is an id: no separator, not right-aligned as a number
    assert p["cells"] == ["2,5000", "0,0000", "2,5000", "2,5000", f"1{NNBSP}234", "12345"]
    assert p["numeric"] == p["cells"][:5]
    assert p["note"] == (
        "Standardfeil: standardavviket til replikatene; intervallet er persentilintervallet."
    )


def test_bootstrap_html_states_the_level_of_its_interval():
    # the interval's level is 1 − alpha: 90 % for alpha = 0,10, 99,5 % for alpha = 0,005;
    # the limits are the alpha/2 and 1 − alpha/2 quantiles of the replicates (numpy's
    # default quantile, the definition in the docstring of bootstrap)
    x = np.arange(1.0, 21.0)
    for alpha, level in ((0.10, "90 %"), (0.01, "99 %"), (0.005, "99,5 %"), (0.05, "95 %")):
        res = bootstrap(np.mean, [x], n_boot=200, seed=7, alpha=alpha)
        assert res.alpha == alpha
        lo, hi = np.quantile(res.replicates, [alpha / 2, 1 - alpha / 2])
        assert (res.ci_low, res.ci_high) == (lo, hi)
        p = _parts(res._repr_html_())
        assert p["headers"][2:4] == [f"{level} KI, nedre", f"{level} KI, øvre"]
    # a result built without alpha is a 95 % interval (the default of bootstrap)
    res = bootstrap(np.mean, [x], n_boot=50, seed=7)
    assert res.alpha == 0.05 and "95 % KI, nedre" in res._repr_html_()
    # too few usable replicates: the interval is missing, its level is still the one asked for
    res = bootstrap(lambda a: float("nan"), [x], n_boot=5, seed=7, alpha=0.2)
    assert res.alpha == 0.2 and "80 % KI, øvre" in res._repr_html_()
