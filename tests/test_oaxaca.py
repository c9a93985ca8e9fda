"""Tests for analysis.methods.oaxaca: Stata's published numbers, identities, invariance,
statsmodels,
standard errors (hand-computed and bootstrap), weights and error messages."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.oaxaca import OaxacaBlinder

from analysis.methods.oaxaca import bootstrap_se, oaxaca_blinder, to_records

DATA = Path(__file__).parent / "data" / "oaxaca_chicago"
EDU = ["LTHS", "high_school", "some_college", "college", "advanced_degree"]
TWOFOLD = ["pooled", "pooled_no_indicator", "group_a", "group_b"]
ATOL = 1e-9


@pytest.fixture(scope="module")
def chicago() -> pd.DataFrame:
    df = pd.read_csv(DATA / "chicago.csv")
    return df.rename(columns=lambda c: c.replace(".", "_"))  # Stata's names


@pytest.fixture(scope="module")
def stata() -> dict:
    return json.loads((DATA / "stata_results.json").read_text())


def decompose(df: pd.DataFrame, edu: list[str] = EDU, **kw):
    return oaxaca_blinder(
        df,
        "ln_real_wage",
        "female",
        ["age", "education"],
        group_a=0,
        categorical={"education": edu},
        **kw,
    )


def synthetic(n_a: int = 1500, n_b: int = 1200, seed: int = 0, noise: float = 1.0):
    """Two groups with known coefficients: y = b0 + b1 x1 + b2 x2 + sector effects + e."""
    rng = np.random.default_rng(seed)
    truth = {
        "m": (1.0, 0.5, 0.08, {"public": 0.0, "private": 0.3, "self": -0.2}),
        "w": (0.6, 0.3, 0.10, {"public": 0.0, "private": 0.1, "self": -0.4}),
    }
    parts = []
    for g, n, mu, probs in (
        ("m", n_a, (1.0, 14.0), (0.3, 0.5, 0.2)),
        ("w", n_b, (0.4, 13.0), (0.5, 0.35, 0.15)),
    ):
        b0, b1, b2, eff = truth[g]
        x1, x2 = rng.normal(mu[0], 1.0, n), rng.normal(mu[1], 3.0, n)
        sector = rng.choice(["public", "private", "self"], n, p=probs)
        y = b0 + b1 * x1 + b2 * x2 + pd.Series(sector).map(eff).to_numpy()
        parts.append(
            pd.DataFrame(
                {"y": y + noise * rng.normal(size=n), "g": g, "x1": x1, "x2": x2, "sector": sector}
            )
        )
    return pd.concat(parts, ignore_index=True), truth


def synth(df: pd.DataFrame, **kw):
    return oaxaca_blinder(df, "y", "g", ["x1", "x2", "sector"], group_a="m", **kw)


# 1. Stata's published results -----------------------------------------------------------------


def test_stata_threefold(chicago, stata):
    ref = stata["threefold"]
    res = decompose(chicago, threefold=True)
    assert (res.kind, res.reference, res.n_a + res.n_b, res.n_dropped) == (
        "threefold",
        "group_b",
        stata["N"],
        46,
    )
    assert res.mean_a == pytest.approx(ref["overall"]["group_1"], abs=ATOL)
    assert res.mean_b == pytest.approx(ref["overall"]["group_2"], abs=ATOL)
    assert res.gap == pytest.approx(ref["overall"]["difference"], abs=ATOL)
    for comp in ("endowments", "coefficients", "interaction"):
        assert res.overall.loc[comp, "estimate"] == pytest.approx(ref["overall"][comp], abs=ATOL)
        got = res.detailed.loc[comp, "estimate"]
        assert set(got.index) == set(ref[comp])  # every Stata term, nothing else
        for term, value in ref[comp].items():
            assert got[term] == pytest.approx(value, abs=ATOL), (comp, term)


def test_stata_twofold_pooled(chicago, stata):
    ref = stata["twofold_pooled"]
    res = decompose(chicago)
    assert (res.kind, res.reference) == ("twofold", "pooled")
    for comp in ("explained", "unexplained"):
        assert res.overall.loc[comp, "estimate"] == pytest.approx(ref["overall"][comp], abs=ATOL)
        got = res.detailed.loc[comp, "estimate"]
        assert set(got.index) == set(ref[comp])
        for term, value in ref[comp].items():
            assert got[term] == pytest.approx(value, abs=ATOL), (comp, term)


# 2. Identities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "threefold,reference", [(False, r) for r in TWOFOLD] + [(True, "group_b"), (True, "group_a")]
)
def test_identities(chicago, threefold, reference):
    df, _ = synthetic(seed=1)
    for res in (
        decompose(chicago, threefold=threefold, reference=reference),
        synth(df, threefold=threefold, reference=reference),
    ):
        assert res.gap == pytest.approx(res.mean_a - res.mean_b, abs=1e-12)
        assert res.overall["estimate"].sum() == pytest.approx(res.gap, abs=1e-12)
        sums = res.detailed["estimate"].groupby(level="component", sort=False).sum()
        np.testing.assert_allclose(sums[res.overall.index], res.overall["estimate"], atol=1e-12)
        ci = res.overall["ci_high"] - res.overall["estimate"]
        np.testing.assert_allclose(ci, 1.959963984540054 * res.overall["se"], rtol=1e-12)


# 3. Normalisation ---------------------------------------------------------------------------


def test_omitted_category_invariance(chicago):
    base = decompose(chicago, threefold=True).detailed.sort_index()
    pooled = decompose(chicago).detailed.sort_index()
    for i in range(1, len(EDU)):  # each category in turn as the omitted base
        edu = EDU[i:] + EDU[:i]
        pd.testing.assert_frame_equal(
            decompose(chicago, edu, threefold=True).detailed.sort_index(), base, atol=1e-12, rtol=0
        )
        pd.testing.assert_frame_equal(
            decompose(chicago, edu).detailed.sort_index(), pooled, atol=1e-12, rtol=0
        )
    # deviation contrast: the normalised education coefficients sum to zero
    coefs = decompose(chicago).coefficients.loc[EDU]
    np.testing.assert_allclose(coefs[["beta_a", "beta_b", "beta_ref"]].sum(), 0, atol=1e-12)


def test_string_column_equals_dummy_set(chicago):
    df = chicago.copy()
    df["edu"] = pd.Categorical(df[EDU].idxmax(axis=1), categories=EDU[::-1])
    via_string = oaxaca_blinder(df, "ln_real_wage", "female", ["age", "edu"], group_a=0)
    via_dict = decompose(chicago)
    renamed = via_string.detailed.rename(index=lambda t: t[4:-1] if t.startswith("edu[") else t)
    pd.testing.assert_frame_equal(
        renamed.sort_index(), via_dict.detailed.sort_index(), atol=1e-12, rtol=0
    )


def test_without_normalisation_detail_depends_on_base(chicago):
    a = decompose(chicago, normalize=False)
    b = decompose(chicago, EDU[::-1], normalize=False)
    assert "LTHS" not in a.covariates and "advanced_degree" not in b.covariates
    pd.testing.assert_frame_equal(a.overall, b.overall, atol=1e-12, rtol=0)
    pd.testing.assert_frame_equal(a.overall, decompose(chicago).overall, atol=1e-12, rtol=0)
    assert (
        abs(
            a.detailed.loc[("unexplained", "_cons"), "estimate"]
            - b.detailed.loc[("unexplained", "_cons"), "estimate"]
        )
        > 0.01
    )


# 4. statsmodels and known coefficients ------------------------------------------------------


def _statsmodels(df, y, group, cols, group_a):
    exog = pd.concat([pd.Series(1.0, index=df.index, name="const"), df[[group, *cols]]], axis=1)
    model = OaxacaBlinder(df[y], exog.astype(float), group, hasconst=True)
    # statsmodels puts the group with the higher mean first ("swap"): that is our group A
    assert model.bi[0] == group_a
    return model


@pytest.mark.parametrize("which", ["chicago", "synthetic"])
def test_agrees_with_statsmodels(chicago, which):
    if which == "chicago":
        df = chicago.dropna(subset=["ln_real_wage"])
        model = _statsmodels(df, "ln_real_wage", "female", ["age", *EDU[1:]], 0.0)
        ours = lambda **kw: decompose(chicago, **kw).overall["estimate"]  # noqa: E731
    else:
        df, _ = synthetic(seed=2)
        df = pd.concat([df, pd.get_dummies(df["sector"], dtype=float)], axis=1)
        df["grp"] = (df["g"] == "w").astype(float)  # 0 = men = higher mean
        model = _statsmodels(df, "y", "grp", ["x1", "x2", "private", "self"], 0.0)
        ours = lambda **kw: synth(df, **kw).overall["estimate"]  # noqa: E731
    # statsmodels returns (unexplained, explained, gap) for the twofold decomposition
    for kind, reference in (
        ({}, "pooled"),
        ({"two_fold_type": "nuemark"}, "pooled_no_indicator"),
        ({"two_fold_type": "self_submitted", "submitted_weight": 1}, "group_a"),
        ({"two_fold_type": "self_submitted", "submitted_weight": 0}, "group_b"),
    ):
        unexplained, explained, gap = model.two_fold(**kind).params
        got = ours(reference=reference)
        assert got["explained"] == pytest.approx(explained, abs=1e-10)
        assert got["unexplained"] == pytest.approx(unexplained, abs=1e-10)
    endow, coef, inter, gap = model.three_fold().params
    got = ours(threefold=True)
    np.testing.assert_allclose(got, [endow, coef, inter], atol=1e-10)


def test_known_coefficients_without_noise():
    df, truth = synthetic(seed=3, noise=0.0)
    res = synth(df, threefold=True)
    sectors = ["private", "public", "self"]  # levels in sorted order, "private" is the base
    beta = {}
    for g, (b0, b1, b2, eff) in truth.items():
        cat = np.array([eff[s] for s in sectors])
        beta[g] = np.r_[b1, b2, cat - cat.mean(), b0 + cat.mean()]  # normalised by hand
        np.testing.assert_allclose(
            res.coefficients["beta_" + ("a" if g == "m" else "b")], beta[g], atol=1e-9
        )
    dummies = pd.get_dummies(df["sector"], dtype=float)[sectors]
    means = pd.concat([df[["x1", "x2"]], dummies], axis=1).assign(c=1.0).groupby(df["g"]).mean()
    xa, xb = means.loc["m"].to_numpy(), means.loc["w"].to_numpy()
    expected = {
        "endowments": (xa - xb) * beta["w"],
        "coefficients": xb * (beta["m"] - beta["w"]),
        "interaction": (xa - xb) * (beta["m"] - beta["w"]),
    }
    for comp, values in expected.items():
        assert res.overall.loc[comp, "estimate"] == pytest.approx(values.sum(), abs=1e-9)
        terms = ["x1", "x2", *(f"sector[{s}]" for s in sectors)]
        for term, value in zip(terms, values, strict=False):
            assert res.detailed.loc[(comp, term), "estimate"] == pytest.approx(value, abs=1e-9)


# 5. Standard errors -------------------------------------------------------------------------

TINY = pd.DataFrame(
    {
        "g": [1] * 8 + [0] * 7,
        "x": [1.0, 2.5, 3.0, 4.2, 5.0, 6.1, 7.3, 8.0, 0.5, 1.5, 2.0, 3.7, 4.0, 4.4, 6.0],
        "y": [2.1, 3.0, 3.9, 4.1, 5.8, 6.0, 7.9, 8.2, 1.0, 1.2, 2.5, 2.4, 3.9, 3.1, 4.6],
    }
)


def _ols(x, y):
    X = np.column_stack([x, np.ones_like(x)])  # slope, constant
    b = np.linalg.lstsq(X, y, rcond=None)[0]
    s2 = np.sum((y - X @ b) ** 2) / (len(y) - 2)
    return X, b, s2 * np.linalg.inv(X.T @ X), np.var(x, ddof=1) / len(x)


@pytest.mark.parametrize("vce", ["ols", "robust"])
def test_delta_method_by_hand_group_b(vce):
    a, b = TINY[TINY.g == 1], TINY[TINY.g == 0]
    _, ba, Va, vxa = _ols(a.x.to_numpy(), a.y.to_numpy())
    _, bb, Vb, vxb = _ols(b.x.to_numpy(), b.y.to_numpy())
    if vce == "robust":
        Va, Vb = (
            sm.OLS(d.y.to_numpy(), np.column_stack([d.x, np.ones(len(d))]))
            .fit(cov_type="HC1")
            .cov_params()
            for d in (a, b)
        )
    xa, xb = np.array([a.x.mean(), 1.0]), np.array([b.x.mean(), 1.0])
    dx = xa[0] - xb[0]
    res = oaxaca_blinder(TINY, "y", "g", ["x"], group_a=1, reference="group_b", vce=vce)
    var_expl = dx**2 * Vb[0, 0] + bb[0] ** 2 * (vxa + vxb)
    var_unex = xa @ (Va + Vb) @ xa + (ba[0] - bb[0]) ** 2 * vxa
    np.testing.assert_allclose(res.overall["estimate"], [dx * bb[0], xa @ (ba - bb)], atol=1e-12)
    np.testing.assert_allclose(res.overall["se"], np.sqrt([var_expl, var_unex]), rtol=1e-10)
    det = res.detailed["se"]
    assert det[("unexplained", "x")] == pytest.approx(
        np.sqrt(xa[0] ** 2 * (Va[0, 0] + Vb[0, 0]) + (ba[0] - bb[0]) ** 2 * vxa), rel=1e-10
    )
    assert det[("unexplained", "_cons")] == pytest.approx(np.sqrt(Va[1, 1] + Vb[1, 1]), rel=1e-10)
    # the trace-term option was removed (it double counted; docs/calibration.md)
    with pytest.raises(TypeError, match="trace_term"):
        oaxaca_blinder(TINY, "y", "g", ["x"], group_a=1, trace_term=True)


def test_delta_method_by_hand_weighted():
    w = np.array([1.0, 2, 1, 3, 1, 2, 1, 1, 2, 1, 1, 3, 1, 2, 1])
    a, b = TINY[TINY.g == 1], TINY[TINY.g == 0]
    fits, vx, xbar = {}, {}, {}
    for name, d, wd in (("a", a, w[:8]), ("b", b, w[8:])):
        X = np.column_stack([d.x, np.ones(len(d))])
        fits[name] = sm.WLS(d.y.to_numpy(), X, weights=wd).fit()  # scale = sum w e^2 / (n-p)
        xbar[name] = np.average(d.x, weights=wd)
        vx[name] = np.sum(wd * (d.x - xbar[name]) ** 2) / (wd.sum() * (len(d) - 1))
    bb, Vb = fits["b"].params, fits["b"].cov_params()
    dx = xbar["a"] - xbar["b"]
    res = oaxaca_blinder(
        TINY.assign(w=w), "y", "g", ["x"], group_a=1, reference="group_b", weights="w"
    )
    assert res.overall.loc["explained", "estimate"] == pytest.approx(dx * bb[0], abs=1e-12)
    assert res.overall.loc["explained", "se"] == pytest.approx(
        np.sqrt(dx**2 * Vb[0, 0] + bb[0] ** 2 * (vx["a"] + vx["b"])), rel=1e-10
    )


def _stacked_by_hand(df, indicator, w=None):
    """Independent stacked M-estimation: estimating equations of (b_a, b_b, b*, xbar_a,
    xbar_b), their Jacobian by central differences, scores centred within group with the
    documented degrees-of-freedom factors, then the delta method with a numeric gradient.
    With weights ``w`` every estimating function of a row is multiplied by its weight."""
    g = (df.g == "w").to_numpy()
    w = np.ones(len(df)) if w is None else np.asarray(w, dtype=float)
    X = np.column_stack([df.x1, df.x2, np.ones(len(df))])
    y = df.y.to_numpy()
    P = np.column_stack([X, g.astype(float)]) if indicator else X
    q = P.shape[1]

    def psi(t):  # n x 15 (or 14) per-observation estimating functions
        ba, bb, bs, ma, mb = t[:3], t[3:6], t[6 : 6 + q], t[6 + q : 8 + q], t[8 + q :]
        return w[:, None] * np.column_stack(
            [
                (~g)[:, None] * X * (y - X @ ba)[:, None],
                g[:, None] * X * (y - X @ bb)[:, None],
                P * (y - P @ bs)[:, None],
                (~g)[:, None] * (X[:, :2] - ma),
                g[:, None] * (X[:, :2] - mb),
            ]
        )

    sw = np.sqrt(w)
    ols = lambda A, b: np.linalg.lstsq(A * sw[:, None], b * sw, rcond=None)[0]  # noqa: E731
    t0 = np.r_[
        np.linalg.lstsq(X[~g] * sw[~g, None], y[~g] * sw[~g], rcond=None)[0],
        np.linalg.lstsq(X[g] * sw[g, None], y[g] * sw[g], rcond=None)[0],
        ols(P, y),
        np.average(X[~g, :2], axis=0, weights=w[~g]),
        np.average(X[g, :2], axis=0, weights=w[g]),
    ]
    assert np.abs(psi(t0).sum(0)).max() < 1e-8
    h = 1e-6
    A = np.column_stack(
        [(psi(t0 + h * e).sum(0) - psi(t0 - h * e).sum(0)) / (2 * h) for e in np.eye(t0.size)]
    )
    B = np.zeros((t0.size, t0.size))
    for mask in (~g, g):
        n, N = mask.sum(), len(df)
        f = np.r_[np.full(6, n / (n - 3)), np.full(q, N / (N - q)), np.full(4, n / (n - 1))]
        S = psi(t0)[mask]
        S = (S - S.mean(0)) * np.sqrt(f)
        B += S.T @ S
    Ainv = np.linalg.inv(A)
    V = Ainv @ B @ Ainv.T

    def comps(t):
        ba, bb, bs, ma, mb = t[:3], t[3:6], t[6:9], np.r_[t[6 + q : 8 + q], 1], np.r_[t[8 + q :], 1]
        return np.array([(ma - mb) @ bs, ma @ (ba - bs) + mb @ (bs - bb)])

    grad = np.column_stack(
        [(comps(t0 + h * e) - comps(t0 - h * e)) / (2 * h) for e in np.eye(t0.size)]
    )
    return comps(t0), np.sqrt(np.diag(grad @ V @ grad.T))


@pytest.mark.parametrize("reference", ["pooled", "pooled_no_indicator"])
def test_pooled_se_is_the_stacked_sandwich(reference):
    # the old formula (b* a fixed linear map of b_a, b_b; means independent of b*) gives SEs
    # 1.5-8 % off here, far outside the tolerance
    df, _ = synthetic(n_a=45, n_b=38, seed=11)
    est, se = _stacked_by_hand(df, reference == "pooled")
    res = oaxaca_blinder(df, "y", "g", ["x1", "x2"], group_a="m", reference=reference)
    np.testing.assert_allclose(res.overall["estimate"], est, atol=1e-10)
    np.testing.assert_allclose(res.overall["se"], se, rtol=1e-6)
    assert "stacked" in res.se_method


@pytest.mark.parametrize(
    "threefold,reference", [(False, "pooled"), (False, "group_a"), (True, "group_b")]
)
def test_delta_se_close_to_bootstrap(threefold, reference):
    df, _ = synthetic(seed=4)
    res = synth(df, threefold=threefold, reference=reference)
    se_o, se_d = bootstrap_se(
        df,
        "y",
        "g",
        ["x1", "x2", "sector"],
        group_a="m",
        reps=400,
        seed=20240601,
        threefold=threefold,
        reference=reference,
    )
    np.testing.assert_allclose(res.overall["se"], se_o[res.overall.index], rtol=0.15)
    main = [i for i in res.detailed.index if i[0] != "interaction"]
    np.testing.assert_allclose(res.detailed.loc[main, "se"], se_d[main], rtol=0.15)


def test_bootstrap_is_seeded():
    df, _ = synthetic(n_a=300, n_b=250, seed=5)
    one = synth(df, se_method="bootstrap", reps=50, seed=7)
    two = synth(df, se_method="bootstrap", reps=50, seed=7)
    pd.testing.assert_frame_equal(one.detailed, two.detailed)
    assert one.se_method.startswith("bootstrap")
    pd.testing.assert_series_equal(one.overall["estimate"], synth(df).overall["estimate"])


# 6. Weights ---------------------------------------------------------------------------------


@pytest.mark.parametrize("threefold,reference", [(False, r) for r in TWOFOLD] + [(True, "group_b")])
def test_frequency_weights_equal_duplicated_rows(threefold, reference):
    df, _ = synthetic(n_a=400, n_b=300, seed=6)
    df["w"] = np.random.default_rng(6).integers(1, 4, len(df))
    dup = df.loc[df.index.repeat(df["w"])].reset_index(drop=True)
    weighted = synth(df, weights="w", threefold=threefold, reference=reference)
    plain = synth(dup, threefold=threefold, reference=reference)
    for table in ("overall", "detailed"):
        np.testing.assert_allclose(
            getattr(weighted, table)["estimate"], getattr(plain, table)["estimate"], atol=1e-10
        )
    assert weighted.mean_a == pytest.approx(plain.mean_a, abs=1e-12)
    men = df[df.g == "m"]
    X = pd.concat(
        [men[["x1", "x2"]], pd.get_dummies(men["sector"], dtype=float)[["public", "self"]]], axis=1
    ).assign(c=1.0)  # "private" (first level) omitted
    wls = sm.WLS(men["y"], X, weights=men["w"]).fit().params.to_numpy()
    unnormalised = synth(df, weights="w", normalize=False).coefficients["beta_a"]
    np.testing.assert_allclose(unnormalised, wls, atol=1e-10)


# 7. Errors, missing values, records ---------------------------------------------------------


def test_errors(chicago):
    with pytest.raises(ValueError, match="group_a=2 finnes ikke blant de komplette radene"):
        oaxaca_blinder(chicago, "ln_real_wage", "female", ["age"], group_a=2)
    few = TINY.iloc[:10]  # group 0 has 2 observations, 2 parameters
    with pytest.raises(
        ValueError, match="gruppen 0 har 2 observasjoner, men modellen har 2 parametere"
    ):
        oaxaca_blinder(few, "y", "g", ["x"], group_a=1)
    noise = np.random.default_rng(0).normal(size=len(chicago))
    const = chicago.assign(z=np.where(chicago.female == 1, 3.0, noise))  # constant for women
    with pytest.raises(ValueError, match=r"kovariaten 'z' er konstant i gruppen 1\.0"):
        oaxaca_blinder(const, "ln_real_wage", "female", ["age", "z"], group_a=0)
    with pytest.raises(ValueError, match="kovariatene er kollineære i gruppen"):
        oaxaca_blinder(
            chicago.assign(z=2 * chicago.age + 1), "ln_real_wage", "female", ["age", "z"], group_a=0
        )
    with pytest.raises(ValueError, match="dummysettet 'education' er ikke et fullstendig sett"):
        decompose(chicago, EDU[:-1])
    with pytest.raises(ValueError, match="nøyaktig to grupper"):
        oaxaca_blinder(
            chicago.assign(female=chicago.age % 3), "ln_real_wage", "female", ["age"], group_a=0
        )
    with pytest.raises(ValueError, match="reference må være en av .* for en tredelt dekomponering"):
        decompose(chicago, threefold=True, reference="pooled")


def test_missing_rows_dropped_and_records(chicago):
    df = chicago.copy()
    df.loc[:9, "age"] = np.nan  # 10 more incomplete rows (some already lack the outcome)
    res = decompose(df)
    expected = int((df["ln_real_wage"].isna() | df["age"].isna()).sum())
    assert res.n_dropped == expected and res.n_a + res.n_b == len(df) - expected
    rec = to_records(decompose(chicago))
    assert json.loads(json.dumps(rec)) == rec
    assert {k: rec[k] for k in ("reference", "n_a", "n_b", "group_a")} == {
        "reference": "pooled",
        "n_a": 378,
        "n_b": 288,
        "group_a": 0,
    }
    assert rec["explained"] + rec["unexplained"] == pytest.approx(rec["total"], abs=1e-12)
    assert rec["covariates"] == ["age", *EDU] and rec["se_explained"] > 0


# 7. Display: table() and _repr_html_ ----------------------------------------------------------


def test_table_gives_statas_numbers(chicago, stata):
    """``table()`` rows against Stata's published threefold results (group means, difference,
    the three components and every detailed term)."""
    ref = stata["threefold"]
    res = decompose(chicago, threefold=True)
    t = res.table(detailed=True)
    assert list(t.columns) == ["component", "term", "estimate", "se", "ci_low", "ci_high"]
    got = {
        (c, term): v for c, term, v in zip(t["component"], t["term"], t["estimate"], strict=True)
    }
    assert (res.group_a, res.group_b) == (0, 1)  # men, women
    assert got[("mean", str(res.group_a))] == pytest.approx(ref["overall"]["group_1"], abs=ATOL)
    assert got[("mean", str(res.group_b))] == pytest.approx(ref["overall"]["group_2"], abs=ATOL)
    assert got[("difference", "total")] == pytest.approx(ref["overall"]["difference"], abs=ATOL)
    for comp in ("endowments", "coefficients", "interaction"):
        assert got[(comp, "total")] == pytest.approx(ref["overall"][comp], abs=ATOL)
        for term, value in ref[comp].items():
            assert got[(comp, term)] == pytest.approx(value, abs=ATOL), (comp, term)
    n_terms = sum(len(ref[c]) for c in ("endowments", "coefficients", "interaction"))
    assert len(t) == 3 + 3 + n_terms  # means and difference, totals, detailed: nothing else
    overall = decompose(chicago).table()
    assert overall["component"].tolist() == [
        "mean",
        "mean",
        "difference",
        "explained",
        "unexplained",
    ]
    pooled = stata["twofold_pooled"]["overall"]
    assert overall["estimate"].iloc[3] == pytest.approx(pooled["explained"], abs=ATOL)
    assert overall["estimate"].iloc[4] == pytest.approx(pooled["unexplained"], abs=ATOL)
    # the interval is estimate ± 1.959964 se (normal, alpha = 0.05)
    row = overall.iloc[3]
    assert row["ci_low"] == pytest.approx(row["estimate"] - 1.959964 * row["se"], abs=1e-6)
    assert math.isnan(overall["se"].iloc[0])  # no standard error of the means here


def test_repr_html_escapes_strings_and_formats_numbers_the_norwegian_way(chicago):
    df = chicago.assign(sex=np.where(chicago["female"] == 1, "<b>women</b>", "men & boys"))
    res = oaxaca_blinder(
        df,
        "ln_real_wage",
        "sex",
        ["age", "education"],
        group_a="men & boys",
        categorical={"education": EDU},
    )
    html = res._repr_html_()
    assert "<b>" not in html and "&lt;b&gt;women&lt;/b&gt;" in html
    assert "men &amp; boys" in html
    assert "<caption>" in html and 'scope="col"' in html
    explained = res.overall.loc["explained", "estimate"]
    shown = f"{abs(explained):.4f}".replace(".", ",")
    assert ("\u2212" if explained < 0 else "") + shown in html  # decimal comma, true minus


def test_pooled_se_does_not_depend_on_the_block_size(monkeypatch):
    # the stacked covariance sums over the raw data in blocks of CHUNK rows (bounded memory):
    # with blocks of 7 rows the standard errors are still the independent stacked sandwich
    from analysis.methods import oaxaca as module

    monkeypatch.setattr(module, "CHUNK", 7)
    df, _ = synthetic(n_a=45, n_b=38, seed=11)
    est, se = _stacked_by_hand(df, True)
    res = oaxaca_blinder(df, "y", "g", ["x1", "x2"], group_a="m", reference="pooled")
    np.testing.assert_allclose(res.overall["estimate"], est, atol=1e-10)
    np.testing.assert_allclose(res.overall["se"], se, rtol=1e-6)


@pytest.mark.parametrize("reference", ["pooled", "pooled_no_indicator"])
def test_pooled_se_with_weights_is_the_weighted_stacked_sandwich(reference):
    # the same with (frequency-like) weights 1 … 4: every estimating function weighted
    df, _ = synthetic(n_a=45, n_b=38, seed=12)
    w = 1.0 + np.arange(len(df)) % 4
    est, se = _stacked_by_hand(df, reference == "pooled", w)
    res = oaxaca_blinder(
        df.assign(w=w), "y", "g", ["x1", "x2"], group_a="m", reference=reference, weights="w"
    )
    np.testing.assert_allclose(res.overall["estimate"], est, atol=1e-10)
    np.testing.assert_allclose(res.overall["se"], se, rtol=1e-6)


def test_delta_method_by_hand_weighted_robust():
    # HC1 with weights: statsmodels' WLS with cov_type="HC1" (the sandwich on the weighted
    # rows), the covariate means' variances as in the weighted test above
    w = np.array([1.0, 2, 1, 3, 1, 2, 1, 1, 2, 1, 1, 3, 1, 2, 1])
    a, b = TINY[TINY.g == 1], TINY[TINY.g == 0]
    xbar, vx = {}, {}
    for name, d, wd in (("a", a, w[:8]), ("b", b, w[8:])):
        xbar[name] = np.average(d.x, weights=wd)
        vx[name] = np.sum(wd * (d.x - xbar[name]) ** 2) / (wd.sum() * (len(d) - 1))
    fit = sm.WLS(b.y.to_numpy(), np.column_stack([b.x, np.ones(len(b))]), weights=w[8:]).fit(
        cov_type="HC1"
    )
    bb, Vb = fit.params, fit.cov_params()
    fa = sm.WLS(a.y.to_numpy(), np.column_stack([a.x, np.ones(len(a))]), weights=w[:8]).fit(
        cov_type="HC1"
    )
    ba, Va = fa.params, fa.cov_params()
    dx = xbar["a"] - xbar["b"]
    res = oaxaca_blinder(
        TINY.assign(w=w), "y", "g", ["x"], group_a=1, reference="group_b", weights="w",
        vce="robust",
    )  # fmt: skip
    assert res.overall.loc["explained", "se"] == pytest.approx(
        np.sqrt(dx**2 * Vb[0, 0] + bb[0] ** 2 * (vx["a"] + vx["b"])), rel=1e-10
    )
    # unexplained = (x̄a, 1)·(b_a − b_b): both groups' HC1 covariances, intercepts included
    u = np.array([xbar["a"], 1.0])
    assert res.overall.loc["unexplained", "se"] == pytest.approx(
        np.sqrt(u @ (Va + Vb) @ u + (ba[0] - bb[0]) ** 2 * vx["a"]), rel=1e-10
    )


def test_standard_errors_scale_with_the_outcome():
    # OLS coefficients and their standard errors are linear in y: y / 1000 gives SEs / 1000
    # (also when the residual sum of squares is far below 1)
    res = oaxaca_blinder(TINY, "y", "g", ["x"], group_a=1, reference="group_b")
    small = oaxaca_blinder(
        TINY.assign(y=TINY.y / 1000), "y", "g", ["x"], group_a=1, reference="group_b"
    )
    np.testing.assert_allclose(small.overall["se"], res.overall["se"] / 1000, rtol=1e-10)


def test_near_constant_and_near_collinear_covariates():
    rng = np.random.default_rng(0)
    n = 20
    base = pd.DataFrame(
        {"g": [1] * n + [0] * n, "x1": rng.normal(0, 10, 2 * n), "y": rng.normal(0, 1, 2 * n)}
    )
    # x varying only by 1e-9 around 100 in group 0: its sd (1e-9) is below 1e-10 · |mean|,
    # so it is constant there
    df = base.assign(x=np.r_[rng.normal(0, 1, n), 100 + 1e-9 * np.tile([1.0, -1.0], n // 2)])
    with pytest.raises(ValueError) as e:
        oaxaca_blinder(df, "y", "g", ["x"], group_a=1)
    assert str(e.value) == "kovariaten 'x' er konstant i gruppen 0 (singulær designmatrise)"
    # x2 = x1 + 1e-4 · noise in group 0: the correlation matrix's smallest eigenvalue is
    # 3e-11 < 1e-10 (computed by hand with numpy, scale-free), so the covariates are collinear
    z = rng.normal(0, 1, n)
    x2 = np.r_[rng.normal(0, 10, n), base.x1.to_numpy()[n:] + 1e-4 * z]
    xc = np.column_stack([base.x1.to_numpy()[n:], x2[n:]])
    xc = xc - xc.mean(axis=0)
    assert np.linalg.eigvalsh(np.corrcoef(xc.T))[0] < 1e-10
    with pytest.raises(ValueError) as e:
        oaxaca_blinder(base.assign(x2=x2), "y", "g", ["x1", "x2"], group_a=1)
    assert str(e.value) == "kovariatene er kollineære i gruppen 0 (singulær designmatrise)"


@pytest.mark.parametrize("trace", [1, -1])
def test_second_order_trace_term_of_the_calibration_study(trace):
    """``_estimate(trace=±1)`` (used by benchmarks/calibrate.py only) adds/subtracts the
    second-order term of a product: for the explained part with reference group b,
    (x̄a − x̄b) · b_b, a product of two independent estimates, it is Var(x̄a − x̄b) · Var(b_b)
    (Goodman 1960: the exact variance of a product of independent variables adds it to the
    delta method; his unbiased estimate subtracts it)."""
    from analysis.methods import oaxaca as module

    def var(tr):
        data = module._prepare(
            TINY, "y", "g", ["x"], group_a=1, categorical=None, normalize=True, weights=None
        )
        o, d, *_ = module._estimate(data, "group_b", False, "ols", tr, True)
        return o["explained"][1], d[("explained", "x")][1]

    a, b = TINY[TINY.g == 1], TINY[TINY.g == 0]
    fit = sm.OLS(b.y.to_numpy(), np.column_stack([b.x, np.ones(len(b))])).fit()
    vx = sum(np.var(d.x, ddof=1) / len(d) for d in (a, b))
    extra = vx * fit.cov_params()[0, 0]
    plain_o, plain_d = var(0)
    got_o, got_d = var(trace)
    assert got_o == pytest.approx(plain_o + trace * extra, rel=1e-10)
    assert got_d == pytest.approx(plain_d + trace * extra, rel=1e-10)


def test_constant_covariate_in_group_a_is_named():
    df = TINY.assign(x=np.where(TINY.g == 1, 3.0, TINY.x))
    with pytest.raises(ValueError) as e:
        oaxaca_blinder(df, "y", "g", ["x"], group_a=1)
    assert str(e.value) == "kovariaten 'x' er konstant i gruppen 1 (singulær designmatrise)"


@pytest.mark.parametrize("reference", ["group_a", "group_b"])
def test_reference_coefficients_are_the_reference_groups(reference):
    # twofold with a group as reference: beta_ref is that group's coefficients
    res = oaxaca_blinder(TINY, "y", "g", ["x"], group_a=1, reference=reference)
    c = res.coefficients
    other = "beta_a" if reference == "group_a" else "beta_b"
    np.testing.assert_array_equal(c["beta_ref"].to_numpy(), c[other].to_numpy())
    assert not np.allclose(c["beta_a"], c["beta_b"])


@pytest.mark.parametrize("reference", ["group_a", "group_b"])
def test_threefold_coefficients_table(reference):
    # threefold: beta_ref is the reference group's coefficients; the table's columns and
    # index are named as documented (beta_a, beta_b, beta_ref, mean_a, mean_b by term)
    res = oaxaca_blinder(TINY, "y", "g", ["x"], group_a=1, reference=reference, threefold=True)
    c = res.coefficients
    assert list(c.columns) == ["beta_a", "beta_b", "beta_ref", "mean_a", "mean_b"]
    assert c.index.name == "term" and list(c.index) == ["x", "_cons"]
    other = "beta_a" if reference == "group_a" else "beta_b"
    np.testing.assert_array_equal(c["beta_ref"].to_numpy(), c[other].to_numpy())
    a = TINY[TINY.g == 1]
    assert c.loc["x", "mean_a"] == pytest.approx(a.x.mean(), rel=1e-12)
