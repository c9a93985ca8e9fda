"""What a reader gets from an Oaxaca–Blinder result: the tidy table, the HTML, the JSON record,
the interval level and the errors.

Expected numbers are Stata's published results on the ``chicago`` data (``oaxaca`` v4.1.1,
Jann 2008), as stored in /work/shared/peer/oaxaca-chicago/README.md (the same values as
tests/data/oaxaca_chicago/stata_results.json): N = 666, men's mean 2.7041931202802711, women's
2.4982583762870894, difference 0.20593474399318179; pooled twofold explained
−0.028940479294251809, unexplained 0.2348752232874336. Interval limits follow from the
definition (estimate ± z(1 − alpha/2)·se, z from ``statistics.NormalDist``), strings are
written by hand (docs/style: decimal comma, minus U+2212, four decimals).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from analysis.methods.oaxaca import bootstrap_se, oaxaca_blinder, to_records

DATA = Path(__file__).parent / "data" / "oaxaca_chicago"
EDU = ["LTHS", "high_school", "some_college", "college", "advanced_degree"]

MEAN_MEN = 2.7041931202802711
MEAN_WOMEN = 2.4982583762870894
GAP = 0.20593474399318179
EXPLAINED = -0.028940479294251809
UNEXPLAINED = 0.2348752232874336
ENDOWMENTS = -0.021598756991303425
COEFFICIENTS = 0.24042816059652017
INTERACTION = -0.012894659612034953


@pytest.fixture
def chicago() -> pd.DataFrame:
    df = pd.read_csv(DATA / "chicago.csv")
    return df.rename(columns=lambda c: c.replace(".", "_"))


def decompose(df: pd.DataFrame, **kw):
    return oaxaca_blinder(
        df,
        "ln_real_wage",
        "female",
        ["age", "education"],
        group_a=0,
        categorical={"education": EDU},
        **kw,
    )


def _no(x: float, d: int = 4) -> str:
    return f"{x:.{d}f}".replace(".", ",").replace("-", "\u2212")


def test_table_rows_by_hand(chicago):
    res = decompose(chicago)
    t = res.table()
    assert list(t.columns) == ["component", "term", "estimate", "se", "ci_low", "ci_high"]
    assert t["component"].tolist() == ["mean", "mean", "difference", "explained", "unexplained"]
    assert t["term"].tolist() == ["0", "1.0", "total", "total", "total"]  # the file's 1.0
    assert t["estimate"].tolist() == pytest.approx(
        [MEAN_MEN, MEAN_WOMEN, GAP, EXPLAINED, UNEXPLAINED], abs=1e-9
    )
    # the means and the gap have no standard error here
    assert t.loc[:2, ["se", "ci_low", "ci_high"]].isna().all().all()
    assert all(t[c].dtype == np.float64 for c in ("estimate", "se", "ci_low", "ci_high"))
    # with the detailed terms: 6 explained (age + 5 education) and 7 unexplained (+ _cons)
    d = res.table(detailed=True)
    assert len(d) == 5 + 6 + 7
    assert d["term"].iloc[5:11].tolist() == ["age", *EDU]
    assert d["term"].iloc[-1] == "_cons" and d["component"].iloc[-1] == "unexplained"
    assert d["estimate"].iloc[-1] == pytest.approx(0.3126576745286167, abs=1e-9)


def test_threefold_table_by_hand(chicago):
    # Stata's threefold is from the women's point of view (reference group_b)
    res = decompose(chicago, threefold=True)
    t = res.table()
    assert t["component"].tolist()[3:] == ["endowments", "coefficients", "interaction"]
    assert t["estimate"].tolist()[3:] == pytest.approx(
        [ENDOWMENTS, COEFFICIENTS, INTERACTION], abs=1e-9
    )
    assert res.kind == "threefold" and res.reference == "group_b"


@pytest.mark.parametrize("alpha", [0.05, 0.10, 0.01])
def test_intervals_and_their_level(chicago, alpha):
    res = decompose(chicago, alpha=alpha)
    assert res.alpha == alpha
    z = NormalDist().inv_cdf(1 - alpha / 2)
    for frame in (res.overall, res.detailed):
        assert frame["ci_low"].to_numpy() == pytest.approx(
            (frame["estimate"] - z * frame["se"]).to_numpy(), abs=1e-12
        )
        assert frame["ci_high"].to_numpy() == pytest.approx(
            (frame["estimate"] + z * frame["se"]).to_numpy(), abs=1e-12
        )
    level = {0.05: "95", 0.10: "90", 0.01: "99"}[alpha]
    html = res._repr_html_()
    assert f'<th scope="col" class="num">{level} % KI, nedre</th>' in html
    assert f'<th scope="col" class="num">{level} % KI, øvre</th>' in html


def test_html_by_hand(chicago):
    res = decompose(chicago)
    html = res._repr_html_()
    caption = re.search(r"<caption>(.*?)</caption>", html).group(1)
    # the file writes female as 0.0/1.0: group_a is the 0 asked for, group_b the 1.0 found
    assert caption == "Oaxaca–Blinder-dekomponering (twofold, referanse pooled) av 0 minus 1.0"
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html)
    assert headers == [
        "Komponent",
        "Ledd",
        "Estimat",
        "Standardfeil",
        "95 % KI, nedre",
        "95 % KI, øvre",
    ]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    # the first rows: the two means and the gap without standard errors (a dash), then the
    # overall components with Stata's estimates rounded to four decimals
    dash = "\u2013"
    assert cells[:18] == [
        "mean", "0", _no(MEAN_MEN), dash, dash, dash,
        "mean", "1.0", _no(MEAN_WOMEN), dash, dash, dash,
        "difference", "total", _no(GAP), dash, dash, dash,
    ]  # fmt: skip
    assert cells[18:21] == ["explained", "total", _no(EXPLAINED)]
    assert cells[24:27] == ["unexplained", "total", _no(UNEXPLAINED)]
    note = re.search(r'<p class="fou-table-note">(.*?)</p>', html).group(1)
    # N: 712 rows, 666 complete (46 without wage); men and women counted from the data file
    df = chicago.dropna(subset=["ln_real_wage"])
    n_men, n_women = int((df["female"] == 0).sum()), int((df["female"] == 1).sum())
    assert n_men + n_women == 666
    assert note == (
        f"N = {n_men} (0) og {n_women} (1.0); 46 rader utelatt. Standardfeil: delta (Jann 2008), "
        "joint (stacked, suest-type) sandwich covariance of the group and pooled regressions "
        "and the covariate means."
    )


def test_to_records_by_hand(chicago):
    res = decompose(chicago)
    rec = to_records(res)
    json.dumps(rec)  # plain JSON types
    df = chicago.dropna(subset=["ln_real_wage"])
    assert rec["kind"] == "twofold" and rec["reference"] == "pooled"
    assert rec["group_a"] == 0 and rec["group_b"] == 1.0 and type(rec["group_b"]) is float
    assert rec["covariates"] == ["age", *EDU]
    assert rec["n_a"] == int((df["female"] == 0).sum()) and rec["n_b"] == int(
        (df["female"] == 1).sum()
    )
    assert rec["n_dropped"] == 46
    assert rec["mean_a"] == pytest.approx(MEAN_MEN, abs=1e-9)
    assert rec["mean_b"] == pytest.approx(MEAN_WOMEN, abs=1e-9)
    assert rec["total"] == pytest.approx(GAP, abs=1e-9)
    assert rec["explained"] == pytest.approx(EXPLAINED, abs=1e-9)
    assert rec["unexplained"] == pytest.approx(UNEXPLAINED, abs=1e-9)
    assert rec["se_explained"] == res.overall.loc["explained", "se"] > 0
    assert rec["se_unexplained"] == res.overall.loc["unexplained", "se"] > 0
    assert rec["se_method"] == res.se_method
    assert list(rec) == [
        "kind",
        "reference",
        "group_a",
        "group_b",
        "covariates",
        "n_a",
        "n_b",
        "n_dropped",
        "mean_a",
        "mean_b",
        "total",
        "explained",
        "unexplained",
        "se_explained",
        "se_unexplained",
        "se_method",
    ]
    for v in rec.values():
        assert not isinstance(v, np.generic)


def test_bootstrap_se_is_the_sd_of_the_replicates(chicago):
    # bootstrap_se = the standard errors of oaxaca_blinder(se_method="bootstrap"); the same
    # seed gives the same numbers, another seed others; near the delta-method ones
    o1, d1 = bootstrap_se(
        chicago, "ln_real_wage", "female", ["age", "education"], group_a=0,
        categorical={"education": EDU}, reps=60, seed=5,
    )  # fmt: skip
    res = decompose(chicago, se_method="bootstrap", reps=60, seed=5)
    pd.testing.assert_series_equal(o1, res.overall["se"])
    pd.testing.assert_series_equal(d1, res.detailed["se"])
    assert res.se_method == "bootstrap (60 replicates stratified by group, seed=5)"
    o2, _ = bootstrap_se(
        chicago, "ln_real_wage", "female", ["age", "education"], group_a=0,
        categorical={"education": EDU}, reps=60, seed=6,
    )  # fmt: skip
    assert not np.allclose(o1, o2)
    delta = decompose(chicago).overall["se"]
    assert o1.to_numpy() == pytest.approx(delta.to_numpy(), rel=0.5)
    # the default seed is fixed: two runs agree
    a = decompose(chicago, se_method="bootstrap", reps=20)
    b = decompose(chicago, se_method="bootstrap", reps=20)
    pd.testing.assert_frame_equal(a.overall, b.overall)
    assert "seed=20250101" in a.se_method


def test_errors_word_for_word(chicago):
    def msg(**kw):
        with pytest.raises(ValueError) as e:
            decompose(chicago, **kw)
        return str(e.value)

    assert msg(reference="men") == (
        "reference må være en av ('group_a', 'group_b', 'pooled', 'pooled_no_indicator')"
        " for en todelt dekomponering"
    )
    assert msg(reference="pooled", threefold=True) == (
        "reference må være en av ('group_b', 'group_a') for en tredelt dekomponering"
    )
    assert msg(vce="hc3") == (
        "vce må være 'ols' eller 'robust', og se_method 'delta' eller 'bootstrap'"
    )
    assert msg(se_method="jackknife") == msg(vce="hc3")
    assert msg(detailed_ci="bca") == "detailed_ci må være 'normal' eller 'percentile'"


def test_default_references(chicago):
    # twofold: pooled (with the group indicator, Jann 2008); threefold: group_b
    assert decompose(chicago).reference == "pooled"
    assert decompose(chicago, threefold=True).reference == "group_b"
    assert decompose(chicago, reference="group_a").reference == "group_a"


def test_percentile_intervals_of_the_detailed_terms(chicago):
    # detailed_ci="percentile": the alpha/2 and 1 − alpha/2 quantiles of the bootstrap
    # replicates (numpy's default quantile); the overall components keep the normal interval
    res = decompose(chicago, detailed_ci="percentile", reps=50, seed=3, alpha=0.2)
    z = NormalDist().inv_cdf(0.9)
    o = res.overall
    assert o["ci_low"].to_numpy() == pytest.approx((o["estimate"] - z * o["se"]).to_numpy())
    d = res.detailed
    assert (d["ci_low"] <= d["ci_high"]).all()
    assert not np.allclose(d["ci_low"], d["estimate"] - z * d["se"])
    assert math.isfinite(d["ci_low"].iloc[0])
