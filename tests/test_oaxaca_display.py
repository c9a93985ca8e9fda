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


def test_html_shows_the_detailed_terms(chicago):
    # the notebook view is the table *with* the detailed terms (docstring): each covariate
    # and category and the constant appear as a term
    html = decompose(chicago)._repr_html_()
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    for term in ("age", *EDU, "_cons"):
        assert term in cells, term


def test_to_records_writes_a_label_of_another_type_as_text(chicago):
    # a group label of a type JSON does not know (here a Decimal) is written as its text
    import dataclasses
    from decimal import Decimal

    res = dataclasses.replace(decompose(chicago), group_a=Decimal("0.5"), group_b=Decimal("1.5"))
    rec = to_records(res)
    assert rec["group_a"] == "0.5" and rec["group_b"] == "1.5"
    json.dumps(rec)


def _boot_data() -> pd.DataFrame:
    # group a: 8 rows with x spread out; group b: 10 rows whose x is 0 but for one row, so a
    # resample without that row has a constant covariate (a singular design); weights vary
    xa = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
    ya = [2.0, 2.5, 4.1, 4.4, 6.3, 6.0, 8.2, 8.1]
    xb = [0.0] * 9 + [3.0]
    yb = [1.0, 1.3, 0.8, 1.1, 0.9, 1.2, 1.0, 0.7, 1.4, 3.9]
    wa = [1.0, 2.0, 1.0, 3.0, 1.0, 2.0, 1.0, 1.0]
    wb = [2.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0, 1.0, 1.0, 2.0]
    return pd.DataFrame({"y": ya + yb, "x": xa + xb, "g": ["a"] * 8 + ["b"] * 10, "w": wa + wb})


def _wls(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float, float, float]:
    """Weighted means and the weighted least-squares slope and intercept, by the formulas."""
    mx, my = np.average(x, weights=w), np.average(y, weights=w)
    sxx = np.sum(w * (x - mx) ** 2)
    slope = np.sum(w * (x - mx) * (y - my)) / sxx
    return mx, my, slope, my - slope * mx


def test_bootstrap_by_hand_with_weights_and_singular_replicates():
    """The bootstrap resamples rows within each group (row indices 0 … n − 1, group a first,
    with their weights), skips replicates whose design is singular (a constant covariate)
    with a RuntimeWarning that counts them, and takes the standard deviation (ddof 1) of the
    components over the others. Replicated here with numpy's generator and weighted least
    squares by the formulas (reference group b: explained = (x̄a − x̄b)·slope_b)."""
    import warnings

    df = _boot_data()
    a, b = df[df.g == "a"], df[df.g == "b"]
    xa, ya, wa = (a[c].to_numpy() for c in ("x", "y", "w"))
    xb, yb, wb = (b[c].to_numpy() for c in ("x", "y", "w"))
    rng = np.random.default_rng(3)
    draws, failed = [], 0
    for _ in range(40):
        ia, ib = rng.integers(0, 8, 8), rng.integers(0, 10, 10)
        if np.ptp(xa[ia]) == 0 or np.ptp(xb[ib]) == 0:
            failed += 1
            continue
        ma, mya, _, _ = _wls(xa[ia], ya[ia], wa[ia])
        mb, myb, sb, _ = _wls(xb[ib], yb[ib], wb[ib])
        explained = (ma - mb) * sb
        draws.append([explained, (mya - myb) - explained])
    assert 0 < failed < 40  # the data do what they are meant to
    want = np.std(np.array(draws), axis=0, ddof=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = oaxaca_blinder(
            df, "y", "g", ["x"], group_a="a", reference="group_b", weights="w",
            se_method="bootstrap", reps=40, seed=3,
        )  # fmt: skip
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert [str(w.message) for w in runtime] == [
        f"{failed} av 40 bootstrap-replikater hadde singulær designmatrise og ble hoppet over"
    ]
    # it points at the caller of oaxaca_blinder, not into the module
    assert not runtime[0].filename.endswith("oaxaca.py")
    np.testing.assert_allclose(res.overall["se"].to_numpy(), want, rtol=1e-9)
    # with one covariate the detailed explained term is the explained part itself
    assert res.detailed.loc[("explained", "x"), "se"] == pytest.approx(want[0], rel=1e-9)
    assert res.se_method == "bootstrap (40 replicates stratified by group, seed=3)"


def test_bootstrap_needs_two_replicates_and_warns_only_when_one_is_skipped():
    import warnings

    df = _boot_data()
    df.loc[df.g == "b", "x"] = np.arange(10.0)  # no resample is singular now
    kw = dict(group_a="a", reference="group_b", se_method="bootstrap", seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning at all
        res = oaxaca_blinder(df, "y", "g", ["x"], reps=2, **kw)
    assert np.isfinite(res.overall["se"]).all()
    with pytest.raises(ValueError) as e:
        oaxaca_blinder(df, "y", "g", ["x"], reps=1, **kw)
    assert str(e.value) == "færre enn to bootstrap-replikater kunne estimeres"


def test_n_min_of_a_continuous_covariate_is_the_smaller_group(chicago):
    # docstring: n_min is the category's count for a dummy, the group size otherwise
    res = decompose(chicago)
    small = min(res.n_a, res.n_b)
    assert (res.detailed.xs("age", level="term")["n_min"] == small).all()


def test_covariates_as_one_name_and_nullable_columns(chicago):
    # a single covariate may be given as a string; nullable columns with pd.NA count as
    # missing (the rows are dropped like NaN rows)
    df = chicago.dropna(subset=["ln_real_wage"]).reset_index(drop=True)
    base = oaxaca_blinder(df, "ln_real_wage", "female", ["age"], group_a=0)
    one = oaxaca_blinder(df, "ln_real_wage", "female", "age", group_a=0)
    pd.testing.assert_frame_equal(base.overall, one.overall)
    nullable = df.assign(
        ln_real_wage=df["ln_real_wage"].astype("Float64"), age=df["age"].astype("Float64")
    )
    nullable.loc[0, "ln_real_wage"] = pd.NA
    nullable.loc[1, "age"] = pd.NA
    res = oaxaca_blinder(nullable, "ln_real_wage", "female", ["age"], group_a=0)
    ref = oaxaca_blinder(df.drop(index=[0, 1]), "ln_real_wage", "female", ["age"], group_a=0)
    assert res.n_dropped == 2
    np.testing.assert_allclose(res.overall["estimate"], ref.overall["estimate"], rtol=1e-12)


def test_weights_given_as_an_array_zero_and_fractional_and_negative():
    # weights may be an array; a zero weight leaves the row out (as Stata); fractional
    # weights are fine; a negative weight is an error
    df = _boot_data()
    df.loc[df.g == "b", "x"] = np.arange(10.0)
    by_name = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", weights="w")
    by_array = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", weights=df["w"].to_numpy())
    pd.testing.assert_frame_equal(by_name.overall, by_array.overall)
    zero = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", weights=df["w"].where(df.index != 0, 0))
    dropped = oaxaca_blinder(df.drop(index=[0]), "y", "g", ["x"], group_a="a", weights="w")
    assert zero.n_dropped == 1
    np.testing.assert_allclose(zero.overall["estimate"], dropped.overall["estimate"], rtol=1e-12)
    half = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", weights=df["w"] / 2)
    np.testing.assert_allclose(half.overall["estimate"], by_name.overall["estimate"], rtol=1e-12)
    with pytest.raises(ValueError) as e:
        oaxaca_blinder(df, "y", "g", ["x"], group_a="a", weights=df["w"].where(df.index != 0, -1))
    assert str(e.value) == "weights kan ikke være negative"


def test_bootstrap_se_default_is_400_replicates():
    df = _boot_data()
    df.loc[df.g == "b", "x"] = np.arange(10.0)
    o, _ = bootstrap_se(df, "y", "g", ["x"], group_a="a", seed=2)
    res = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", se_method="bootstrap", reps=400, seed=2)
    pd.testing.assert_series_equal(o, res.overall["se"])


def test_missing_outcome_with_weights_and_nullable_dummies():
    # a missing outcome leaves its row out also with weights; a dummy set in nullable
    # integer columns with pd.NA leaves that row out too; the result is the decomposition
    # without those rows
    df = _boot_data()
    df.loc[df.g == "b", "x"] = np.arange(10.0)
    df["d1"] = pd.array([1, 0] * 9, dtype="Int64")
    df["d2"] = pd.array([0, 1] * 9, dtype="Int64")
    df.loc[2, "y"] = np.nan
    df.loc[3, "d1"] = pd.NA  # only the base category's column is missing
    kw = dict(group_a="a", weights="w", categorical={"d": ["d1", "d2"]})
    res = oaxaca_blinder(df, "y", "g", ["x"], **kw)
    clean = df.drop(index=[2, 3]).astype({"d1": int, "d2": int})
    ref = oaxaca_blinder(clean, "y", "g", ["x"], **kw)
    assert res.n_dropped == 2
    np.testing.assert_allclose(res.overall["estimate"], ref.overall["estimate"], rtol=1e-12)


def test_an_incomplete_dummy_set_is_an_error_word_for_word():
    df = _boot_data()
    df["d1"], df["d2"] = 1.0, 1.0  # every row has both categories
    with pytest.raises(ValueError) as e:
        oaxaca_blinder(df, "y", "g", ["x"], group_a="a", categorical={"d": ["d1", "d2"]})
    assert str(e.value) == (
        "dummysettet 'd' er ikke et fullstendig sett av 0/1-indikatorer "
        "(hver komplette rad må ha nøyaktig én kategori lik 1)"
    )


def test_string_categories_missing_two_levels_and_one_level():
    # a string covariate is a categorical: a missing value leaves its row out; two levels
    # are enough; a single level is an error
    df = _boot_data()
    df.loc[df.g == "b", "x"] = np.arange(10.0)
    df["s"] = ["u", "v"] * 9
    res = oaxaca_blinder(
        df.assign(s=df["s"].where(df.index != 4, None)), "y", "g", ["x", "s"], group_a="a"
    )
    ref = oaxaca_blinder(df.drop(index=[4]), "y", "g", ["x", "s"], group_a="a")
    assert res.n_dropped == 1
    np.testing.assert_allclose(res.overall["estimate"], ref.overall["estimate"], rtol=1e-12)
    with pytest.raises(ValueError) as e:
        oaxaca_blinder(df.assign(s="u"), "y", "g", ["x", "s"], group_a="a")
    assert str(e.value) == "kategorisk variabel 's' trenger minst to kategorier"


def test_n_min_of_a_category_is_its_count_in_the_smaller_group(chicago):
    # docstring: the category's count for a dummy (the smaller of the two groups' counts)
    res = decompose(chicago)
    df = chicago.dropna(subset=["ln_real_wage"])
    for term in EDU:
        want = min(int(df.loc[df.female == 0, term].sum()), int(df.loc[df.female == 1, term].sum()))
        assert (res.detailed.xs(term, level="term")["n_min"] == want).all(), term


@pytest.mark.parametrize("reference", ["pooled", "pooled_no_indicator"])
def test_pooled_reference_coefficients_are_the_pooled_regression(reference):
    # beta_ref of a pooled reference: the pooled regression on both groups (with the group
    # indicator, 1 for group b, or without), by least squares; group b's x has mean 0
    df = pd.DataFrame(
        {
            "g": ["a"] * 6 + ["b"] * 6,
            "x": [1.0, 2.0, 3.5, 4.0, 5.5, 7.0, -2.0, -1.0, 0.0, 0.5, 1.0, 1.5],
            "y": [2.0, 2.9, 4.2, 4.1, 6.3, 7.4, 0.1, 0.8, 1.1, 1.2, 2.2, 2.0],
        }
    )
    cols = [df.x, np.ones(12)] + ([(df.g == "b").astype(float)] if reference == "pooled" else [])
    coef = np.linalg.lstsq(np.column_stack(cols), df.y.to_numpy(), rcond=None)[0]
    res = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", reference=reference)
    np.testing.assert_allclose(res.coefficients["beta_ref"].to_numpy(), coef[:2], rtol=1e-10)


def test_percentile_intervals_by_hand():
    """detailed_ci="percentile": each detailed term's interval is the alpha/2 and 1 − alpha/2
    quantiles (numpy's default) of its bootstrap replicates, replicated here as in the
    by-hand bootstrap above (reference group b: explained x = (x̄a − x̄b)·slope_b, unexplained
    x = x̄a·(slope_a − slope_b), unexplained _cons = intercept_a − intercept_b); these
    intervals are never flagged approximate."""
    df = _boot_data()
    df.loc[df.g == "b", "x"] = np.arange(10.0)
    a, b = df[df.g == "a"], df[df.g == "b"]
    rng = np.random.default_rng(7)
    draws = []
    for _ in range(30):
        ia, ib = rng.integers(0, 8, 8), rng.integers(0, 10, 10)
        ma, _, sa, ca = _wls(a.x.to_numpy()[ia], a.y.to_numpy()[ia], np.ones(8))
        mb, _, sb, cb = _wls(b.x.to_numpy()[ib], b.y.to_numpy()[ib], np.ones(10))
        draws.append([(ma - mb) * sb, ma * (sa - sb), ca - cb])
    q = np.quantile(np.array(draws), [0.05, 0.95], axis=0)
    res = oaxaca_blinder(
        df, "y", "g", ["x"], group_a="a", reference="group_b", detailed_ci="percentile",
        reps=30, seed=7, alpha=0.10,
    )  # fmt: skip
    det = res.detailed
    assert list(det.index) == [("explained", "x"), ("unexplained", "x"), ("unexplained", "_cons")]
    np.testing.assert_allclose(det["ci_low"].to_numpy(), q[0], rtol=1e-9)
    np.testing.assert_allclose(det["ci_high"].to_numpy(), q[1], rtol=1e-9)
    assert not det["approximate"].any()
    assert res.se_method == (
        "delta (Jann 2008), covariate means stochastic, OLS coefficient covariance; "
        "detailed intervals: bootstrap percentiles (30 replicates, seed=7)"
    )


def test_se_method_texts_index_names_and_approximate_flags():
    df = _boot_data()
    df.loc[df.g == "b", "x"] = np.arange(10.0)
    res = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", reference="group_b")
    assert res.se_method == (
        "delta (Jann 2008), covariate means stochastic, OLS coefficient covariance"
    )
    robust = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", reference="group_b", vce="robust")
    assert robust.se_method == (
        "delta (Jann 2008), covariate means stochastic, HC1 robust coefficient covariance"
    )
    three = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", threefold=True)
    assert three.se_method == res.se_method
    boot = oaxaca_blinder(df, "y", "g", ["x"], group_a="a", se_method="bootstrap", seed=1)
    assert boot.se_method == "bootstrap (400 replicates stratified by group, seed=1)"
    assert res.overall.index.name == "component"
    assert list(res.detailed.index.names) == ["component", "term"]
    # normal intervals of terms resting on fewer than 100 observations are flagged (8 here)
    assert (res.detailed["n_min"] == 8).all()
    assert res.detailed["approximate"].tolist() == [True, True, True]


def test_exactly_100_observations_are_not_approximate():
    from analysis.methods.oaxaca import APPROX_MIN_N

    rng = np.random.default_rng(4)
    n = APPROX_MIN_N
    df = pd.DataFrame(
        {"g": ["a"] * 120 + ["b"] * n, "x": rng.normal(size=120 + n), "y": rng.normal(size=120 + n)}
    )
    res = oaxaca_blinder(df, "y", "g", ["x"], group_a="a")
    assert (res.detailed["n_min"] == 100).all() and not res.detailed["approximate"].any()


def test_nullable_boolean_and_object_columns_count_missing_values_as_missing():
    # a linear probability model's outcome may come as an object column with None, a
    # covariate and a dummy set as nullable booleans with pd.NA: each missing value leaves
    # its row out, and the rest is the decomposition of the same numbers as floats
    df = _boot_data()
    df.loc[df.g == "b", "x"] = np.arange(10.0)
    df["flag"] = pd.array([True, False, False] * 6, dtype="boolean")
    df["d1"] = pd.array([True, False] * 9, dtype="boolean")
    df["d2"] = pd.array([False, True] * 9, dtype="boolean")
    clean = df.astype({"flag": float, "d1": float, "d2": float})
    messy = df.assign(y=df["y"].astype(object), d2=df["d2"].astype(float).astype(object))
    messy.loc[9, "d2"] = None  # an object dummy column with None
    messy.loc[2, "y"] = None
    messy.loc[5, "flag"] = pd.NA
    messy.loc[7, "d1"] = pd.NA
    kw = dict(group_a="a", categorical={"d": ["d1", "d2"]})
    res = oaxaca_blinder(messy, "y", "g", ["x", "flag"], **kw)
    ref = oaxaca_blinder(clean.drop(index=[2, 5, 7, 9]), "y", "g", ["x", "flag"], **kw)
    assert res.n_dropped == 4
    np.testing.assert_allclose(res.overall["estimate"], ref.overall["estimate"], rtol=1e-12)
