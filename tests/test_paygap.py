"""Tests for analysis.paygap (measures, nopo, models, keyfigures) and analysis.paygap.plots.

Every expected value is derived independently of the code under test: by hand arithmetic on
the published table (numbers typed in from ``pay_by_job_group.csv``), on toy tables with a
known answer, or by a second method (numpy, statsmodels).
"""

from __future__ import annotations

import json
import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from statsmodels.stats.oaxaca import OaxacaBlinder

from analysis.data.published import load_published
from analysis.paygap import keyfigures as pk
from analysis.paygap import measures as pg
from analysis.paygap import models as pmo
from analysis.paygap import nopo as pn
from analysis.paygap import plots as pp
from analysis.paygap import tables as pt
from analysis.render.figures import png_bytes
from analysis.render.formatting import fmt_nok, fmt_pct

EXACT = 1e-9  # the decomposition identities hold to this (NOK)


@pytest.fixture(scope="module")
def pay() -> pd.DataFrame:
    return load_published("pay_by_job_group", preferred_only=True)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def cells(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["group", "n_men", "n_women", "mean_men", "mean_women"])


def parts_sum(res: pn.NopoResult) -> float:
    return res.men_outside_support + res.women_outside_support + res.composition + res.within_groups


# --------------------------------------------------------------------------- published 2025

# 2025 job-group rows as published (000_d1bd28d31f4191f0.txt): N, share of men (%), means
P2025 = {
    "toppleder": (8, 25.0, 1314695, 1322375),
    "mellomleder": (15, 53.33, 1038427, 1048593),
    "alternativ_karrierevei": (27, 44.44, 892725, 825541),
    "saksbehandler": (228, 29.82, 747121, 724474),
    "konsulent": (2, 0.0, None, 550674),
}


def test_published_2025_cells_match_the_typed_in_table(pay):
    c = pg.cells_from_published(pay, 2025).set_index("group")
    assert list(c.index) == list(P2025)  # no apprentices in 2025
    for g, (n, share_m, mm, mk) in P2025.items():
        assert c.loc[g, "n_men"] + c.loc[g, "n_women"] == n
        assert c.loc[g, "n_men"] == round(share_m * n / 100)
        if mm is not None:
            assert c.loc[g, "mean_men"] == mm
        assert c.loc[g, "mean_women"] == mk


def test_nopo_published_2025_by_hand(pay):
    res = pn.nopo_decomposition(pg.cells_from_published(pay, 2025))
    # head counts: 25 % of 8, 53,33 % of 15, 44,44 % of 27, 29,82 % of 228; konsulent 0 + 2
    # men:   2, 8, 12, 68 (= 90);  women: 6, 7, 15, 160 (= 188 in support) + 2 konsulent
    sum_nm_mm = 2 * 1314695 + 8 * 1038427 + 12 * 892725 + 68 * 747121  # = 72 453 734
    sum_nk_mk_in = 6 * 1322375 + 7 * 1048593 + 15 * 825541 + 160 * 724474  # = 143 573 356
    sum_nk_mm = 6 * 1314695 + 7 * 1038427 + 15 * 892725 + 160 * 747121  # = 148 087 394
    assert sum_nm_mm == 72_453_734 and sum_nk_mk_in == 143_573_356
    mean_men = sum_nm_mm / 90
    mean_women = (sum_nk_mk_in + 2 * 550674) / 190
    women_in = sum_nk_mk_in / 188
    within = (
        6 * (1314695 - 1322375)
        + 7 * (1038427 - 1048593)
        + 15 * (892725 - 825541)
        + 160 * (747121 - 724474)
    ) / 188  # Σ s_Kg (m_Mg − m_Kg) = 4 514 038 / 188
    composition = sum_nm_mm / 90 - sum_nk_mm / 188  # Σ (s_Mg − s_Kg) m_Mg
    women_outside = 2 / 190 * (women_in - 550674)

    assert res.common_support == (
        "toppleder",
        "mellomleder",
        "alternativ_karrierevei",
        "saksbehandler",
    )
    assert not res.per_group.set_index("group").loc["konsulent", "in_support"]
    assert res.total == pytest.approx(mean_men - mean_women, abs=EXACT)
    assert res.within_groups == pytest.approx(within, abs=EXACT)
    assert res.within_groups == pytest.approx(24010.840425531915, abs=1e-6)
    assert res.composition == pytest.approx(composition, abs=EXACT)
    assert res.women_outside_support == pytest.approx(women_outside, abs=EXACT)
    assert res.men_outside_support == 0.0
    assert abs(parts_sum(res) - res.total) < EXACT
    # the published totals: 805 041 / 761 446 and 94,58 %
    assert abs(res.mean_men - 805041) < 1 and abs(res.mean_women - 761446) < 1
    assert round(res.women_share_of_men_pay_pct, 2) == 94.58
    # parts in % of men's mean
    pct = res.to_pct_of_men_mean()
    assert pct["total"] == pytest.approx(100 * (mean_men - mean_women) / mean_men)
    assert pct["within_groups"] == pytest.approx(100 * within / mean_men)


def test_nopo_published_2024_by_hand(pay):
    c = pg.cells_from_published(pay, 2024)
    assert set(c["group"]) == {
        "toppleder",
        "mellomleder",
        "alternativ_karrierevei",
        "saksbehandler",
        "konsulent",
        "laerling",
    }
    res = pn.nopo_decomposition(c)
    # 2024 (001): men 2, 6, 10, 71, konsulent 1, laerling 1; women 5, 9, 11, 168, 0, 1
    men_in = (2 * 1241039 + 6 * 1006736 + 10 * 832650 + 71 * 706257 + 1 * 209250) / 90
    women = (5 * 1237606 + 9 * 971659 + 11 * 783327 + 168 * 676293 + 1 * 209250) / 194
    mean_men = (90 * men_in + 471733) / 91
    men_outside = 1 / 91 * (471733 - men_in)
    within = (
        5 * (1241039 - 1237606)
        + 9 * (1006736 - 971659)
        + 11 * (832650 - 783327)
        + 168 * (706257 - 676293)
        + 1 * 0
    ) / 194
    assert "konsulent" not in res.common_support and "laerling" in res.common_support
    assert res.men_outside_support == pytest.approx(men_outside, abs=EXACT)
    assert res.men_outside_support < 0  # the konsulent earns less than the men inside
    assert res.women_outside_support == 0.0
    assert res.within_groups == pytest.approx(within, abs=EXACT)
    assert res.total == pytest.approx(mean_men - women, abs=EXACT)
    assert abs(parts_sum(res) - res.total) < EXACT
    assert abs(mean_men - 743673) < 1 and abs(women - 708124) < 1  # published totals
    assert round(res.women_share_of_men_pay_pct, 2) == 95.22


@pytest.mark.parametrize("year", [2023, 2024, 2025])
@pytest.mark.parametrize("reference", ["men", "women", "pooled"])
def test_nopo_exact_sum_every_year_and_reference(pay, year, reference):
    res = pn.nopo_decomposition(pg.cells_from_published(pay, year), reference=reference)
    assert abs(parts_sum(res) - res.total) < EXACT
    pg_ = res.per_group
    contrib = pg_["outside_contrib"] + pg_["composition_contrib"] + pg_["within_contrib"]
    assert abs(contrib.sum() - res.total) < EXACT
    assert res.reference == reference


def test_published_gap_measures(pay):
    m = pg.published_gap_measures(pay)
    tot = m.loc[(m["year"] == 2025) & (m["group"] == "alle")].iloc[0]
    assert (tot["mean_men"], tot["mean_women"]) == (805041, 761446)
    assert tot["gap_nok"] == 805041 - 761446
    assert tot["gap_pct"] == pytest.approx(100 * 43595 / 805041)
    assert (
        round(tot["women_share_of_men_pay_pct"], 2)
        == tot["women_share_of_men_pay_pct_published"]
        == 94.58
    )
    assert {"median_men", "se_gap_nok"}.isdisjoint(m.columns)
    with pytest.raises(ValueError, match="preferred_only"):
        pg.published_gap_measures(load_published("pay_by_job_group"))


# --------------------------------------------------------------------------- toy tables


def test_nopo_identical_within_group_pay_gives_zero_within():
    res = pn.nopo_decomposition(cells([("a", 10, 30, 100.0, 100.0), ("b", 30, 10, 200.0, 200.0)]))
    # men: (10·100 + 30·200)/40 = 175; women: (30·100 + 10·200)/40 = 125
    assert res.total == pytest.approx(50.0)
    assert res.within_groups == pytest.approx(0.0, abs=EXACT)
    assert res.composition == pytest.approx(50.0)
    assert res.men_outside_support == res.women_outside_support == 0.0


def test_nopo_identical_distributions_gives_zero_composition():
    res = pn.nopo_decomposition(cells([("a", 10, 20, 110.0, 100.0), ("b", 30, 60, 220.0, 200.0)]))
    # shares 1/4, 3/4 for both: composition 0, within = 0.25·10 + 0.75·20 = 17.5
    assert res.composition == pytest.approx(0.0, abs=EXACT)
    assert res.within_groups == pytest.approx(17.5)
    assert res.total == pytest.approx(0.25 * 110 + 0.75 * 220 - (0.25 * 100 + 0.75 * 200))


def test_nopo_group_with_only_men():
    res = pn.nopo_decomposition(cells([("a", 10, 10, 100.0, 90.0), ("b", 5, 0, 300.0, np.nan)]))
    mean_men = (10 * 100 + 5 * 300) / 15
    assert res.total == pytest.approx(mean_men - 90)
    assert res.men_outside_support == pytest.approx(5 / 15 * (300 - 100))  # Δ_M
    assert res.within_groups == pytest.approx(10.0)
    assert res.composition == pytest.approx(0.0, abs=EXACT)
    assert res.women_outside_support == 0.0
    assert res.common_support == ("a",)


def test_nopo_group_with_only_women_and_references():
    c = cells([("a", 4, 2, 100.0, 80.0), ("b", 6, 6, 200.0, 190.0), ("c", 0, 2, np.nan, 50.0)])
    s_m, s_k = np.array([0.4, 0.6]), np.array([0.25, 0.75])
    m_m, m_k = np.array([100.0, 200.0]), np.array([80.0, 190.0])
    women_in = s_k @ m_k
    by_ref = {
        "men": (((s_m - s_k) @ m_m), s_k @ (m_m - m_k)),
        "women": (((s_m - s_k) @ m_k), s_m @ (m_m - m_k)),
    }
    pooled = (np.array([4, 6]) * m_m + np.array([2, 6]) * m_k) / np.array([6, 12])
    by_ref["pooled"] = ((s_m - s_k) @ pooled, s_m @ (m_m - pooled) + s_k @ (pooled - m_k))
    for ref, (comp, within) in by_ref.items():
        res = pn.nopo_decomposition(c, reference=ref)
        assert res.women_outside_support == pytest.approx(2 / 10 * (women_in - 50.0))
        assert res.composition == pytest.approx(comp)
        assert res.within_groups == pytest.approx(within)
        assert abs(parts_sum(res) - res.total) < EXACT


def test_nopo_errors():
    with pytest.raises(ValueError, match="felles støtte"):
        pn.nopo_decomposition(cells([("a", 3, 0, 100.0, np.nan), ("b", 0, 3, np.nan, 90.0)]))
    with pytest.raises(ValueError, match="reference"):
        pn.nopo_decomposition(cells([("a", 1, 1, 1.0, 1.0)]), reference="female")
    with pytest.raises(ValueError, match="mangler"):
        pn.nopo_decomposition(cells([("a", 1, 1, np.nan, 1.0)]))


# --------------------------------------------------------------------------- gap measures


def small_hr() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": range(9),
            "year": 2025,
            "gender": ["M", "M", "M", "K", "K", "K", "K", "M", "K"],
            "job_group": ["saksbehandler"] * 7 + ["toppleder"] * 2,
            "annual_pay": [700e3, 760e3, 820e3, 650e3, 690e3, 720e3, 900e3, 1.3e6, 1.2e6],
            "fte": [1.0, 0.8, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0],
        }
    )


def test_gap_measures_against_numpy():
    hr = small_hr()
    m = pg.gap_measures(hr).set_index("group")
    assert list(m.index) == ["toppleder", "saksbehandler", "alle"]
    for group, sub in (("saksbehandler", hr[hr.job_group == "saksbehandler"]), ("alle", hr)):
        x_m = sub.loc[sub.gender == "M", "annual_pay"].to_numpy()
        x_k = sub.loc[sub.gender == "K", "annual_pay"].to_numpy()
        row = m.loc[group]
        assert (row["n_men"], row["n_women"]) == (len(x_m), len(x_k))
        assert row["mean_men"] == pytest.approx(x_m.mean())
        assert row["median_women"] == pytest.approx(np.median(x_k))
        assert row["gap_nok"] == pytest.approx(x_m.mean() - x_k.mean())
        assert row["gap_pct"] == pytest.approx(100 * (x_m.mean() - x_k.mean()) / x_m.mean())
        assert row["median_gap_pct"] == pytest.approx(
            100 * (np.median(x_m) - np.median(x_k)) / np.median(x_m)
        )
        assert row["women_share_of_men_pay_pct"] == pytest.approx(100 * x_k.mean() / x_m.mean())
        se = math.sqrt(np.var(x_m, ddof=1) / len(x_m) + np.var(x_k, ddof=1) / len(x_k))
        assert row["se_gap_nok"] == pytest.approx(se)
        assert row["ci_high"] - row["gap_nok"] == pytest.approx(1.959963984540054 * se)
    # one man and one woman among the top leaders: no Welch SE
    assert math.isnan(m.loc["toppleder", "se_gap_nok"])
    assert m.loc["toppleder", "gap_nok"] == pytest.approx(100e3)


def test_gap_measures_weighted():
    hr = small_hr()
    m = pg.gap_measures(hr, by=None, weights="fte").set_index("group")
    men = hr[hr.gender == "M"]
    assert list(m.index) == ["alle"]
    assert m.loc["alle", "mean_men"] == pytest.approx(np.average(men.annual_pay, weights=men.fte))
    assert m.loc["alle", "n_men"] == 4  # head counts, not sums of weights
    # equal weights reproduce the unweighted results, medians included
    eq = pg.gap_measures(hr.assign(w=2.0), weights="w")
    plain = pg.gap_measures(hr)
    pd.testing.assert_frame_equal(eq, plain)


def test_weighted_median():
    assert pg.weighted_median(np.array([3.0, 1.0, 2.0, 10.0])) == 2.5
    assert pg.weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 5.0])) == 3.0
    assert pg.weighted_median(np.array([1.0, 2.0]), np.array([1.0, 1.0])) == 1.5


def test_cells_from_microdata_reproduce_overall_means():
    hr = small_hr()
    c = pg.cells_from_microdata(hr)
    tot = pg.gap_measures(hr).set_index("group").loc["alle"]
    om = pg.overall_means(c)
    assert om.mean_men == pytest.approx(tot["mean_men"])
    assert om.mean_women == pytest.approx(tot["mean_women"])
    assert pn.nopo_decomposition(c).total == pytest.approx(tot["gap_nok"])


def test_gender_codes_are_checked():
    with pytest.raises(ValueError, match="kjønn må være .K. eller .M., fant"):
        pg.gap_measures(small_hr().assign(gender="X"))


# --------------------------------------------------------------------------- change


def test_gap_change_hand_case():
    c0 = cells([("a", 10, 10, 100.0, 90.0), ("b", 10, 0, 200.0, np.nan)])
    c1 = cells([("a", 10, 20, 110.0, 100.0), ("b", 10, 10, 200.0, 180.0)])
    ch = pn.gap_change(c0, c1, year0=2024, year1=2025)
    # men 150 → 155 (shares unchanged): composition 0, pay 0.5·10 = 5
    # women 90 → 126.67: shares (1, 0) → (2/3, 1/3); group b enters at 180
    comp_k = (2 / 3 - 1) * (90 + 100) / 2 + (1 / 3) * 180  # = 28.333
    pay_k = (1 + 2 / 3) / 2 * 10  # = 8.333
    assert ch.gap0 == pytest.approx(60.0)
    assert ch.gap1 == pytest.approx(155 - 380 / 3)
    assert ch.composition == pytest.approx(0 - comp_k)
    assert ch.within_groups == pytest.approx(5 - pay_k)
    assert abs(ch.composition + ch.within_groups - ch.change) < EXACT
    # the ratio: exact midpoint decomposition
    h_bar = (1 / 150 + 1 / 155) / 2
    f_bar = (90 + 380 / 3) / 2
    assert ch.ratio_composition_pp == pytest.approx(100 * (comp_k * h_bar - f_bar * 0 / 23250))
    assert ch.ratio_within_pp == pytest.approx(100 * (pay_k * h_bar - f_bar * 5 / (150 * 155)))
    assert ch.ratio_change_pp == pytest.approx(100 * ((380 / 3) / 155 - 90 / 150))
    assert abs(ch.ratio_composition_pp + ch.ratio_within_pp - ch.ratio_change_pp) < 1e-12


def test_gap_change_composition_is_mean_of_two_counterfactuals():
    """Midpoint weights = average of the two one-sided (Laspeyres, Paasche) splits."""
    c0 = cells([("a", 5, 15, 100.0, 95.0), ("b", 10, 5, 180.0, 150.0), ("c", 5, 10, 90, 80)])
    c1 = cells([("a", 6, 12, 104.0, 99.0), ("b", 12, 8, 185.0, 160.0), ("c", 2, 10, 95, 82)])
    ch = pn.gap_change(c0, c1)

    def comp(col_n, col_m):
        s0 = c0[col_n] / c0[col_n].sum()
        s1 = c1[col_n] / c1[col_n].sum()
        return 0.5 * (((s1 - s0) * c0[col_m]).sum() + ((s1 - s0) * c1[col_m]).sum())

    expected = comp("n_men", "mean_men") - comp("n_women", "mean_women")
    assert ch.composition == pytest.approx(expected)
    assert abs(ch.composition + ch.within_groups - ch.change) < EXACT


def test_gap_change_published_2024_2025(pay):
    c24, c25 = pg.cells_from_published(pay, 2024), pg.cells_from_published(pay, 2025)
    ch = pn.gap_change(c24, c25)
    assert (ch.year0, ch.year1) == (2024, 2025)
    n24, n25 = pn.nopo_decomposition(c24), pn.nopo_decomposition(c25)
    assert ch.change == pytest.approx(n25.total - n24.total, abs=1e-6)
    assert abs(ch.composition + ch.within_groups - ch.change) < EXACT
    assert abs(ch.ratio_composition_pp + ch.ratio_within_pp - ch.ratio_change_pp) < 1e-12
    assert ch.ratio_change_pp == pytest.approx(
        n25.women_share_of_men_pay_pct - n24.women_share_of_men_pay_pct
    )
    assert sum(ch.nopo_part_changes[k] for k in pn.DECOMPOSITION_KEYS[1:]) == pytest.approx(
        ch.change, abs=1e-6
    )
    per = ch.per_group.set_index("group")
    # apprentices left and the male konsulent left: within-group part 0, all composition
    assert per.loc["laerling", "within_contrib"] == 0.0
    assert per.loc["konsulent", "pay_men"] == 0.0
    assert per.loc["konsulent", "composition_men"] == pytest.approx(-(1 / 91) * 471733)
    assert (per["composition_contrib"] + per["within_contrib"]).sum() == pytest.approx(
        ch.change, abs=1e-6
    )


# --------------------------------------------------------------------------- Oaxaca


def oaxaca_frame(n: int = 600, seed: int = 3, women_only_group: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    gender = rng.choice(["K", "M"], n, p=[0.6, 0.4])
    men = gender == "M"
    job = np.where(
        rng.random(n) < np.where(men, 0.25, 0.12),
        "mellomleder",
        np.where(rng.random(n) < 0.3, "alternativ_karrierevei", "saksbehandler"),
    )
    age = rng.integers(24, 67, n)
    tenure = np.round(np.minimum(rng.exponential(7, n), age - 20), 1)
    temporary = rng.random(n) < 0.12
    base = (
        pd.Series(job)
        .map({"mellomleder": 13.8, "alternativ_karrierevei": 13.6, "saksbehandler": 13.45})
        .to_numpy()
    )
    log_pay = (
        base
        + 0.012 * (age - 40)
        - 0.0002 * (age - 40) ** 2
        + 0.006 * tenure
        - 0.06 * temporary
        + np.where(men, 0.03 + 0.002 * tenure, 0.0)
        + rng.normal(0, 0.07, n)
    )
    hr = pd.DataFrame(
        {
            "person_id": [f"P{i}" for i in range(n)],
            "year": 2025,
            "gender": gender,
            "job_group": job,
            "annual_pay": np.exp(log_pay),
            "fte": 1.0,
            "age": age,
            "tenure_years": tenure,
            "temporary": temporary,
        }
    )
    if women_only_group:
        extra = hr.iloc[:3].assign(gender="K", job_group="konsulent", person_id=["X1", "X2", "X3"])
        hr = pd.concat([hr, extra], ignore_index=True)
    return hr


def design(hr: pd.DataFrame) -> pd.DataFrame:
    """Covariates as statsmodels/numpy need them: dummies (base: saksbehandler) and a const."""
    x = pd.DataFrame(
        {
            "const": 1.0,
            "mellomleder": (hr["job_group"] == "mellomleder").astype(float),
            "alternativ": (hr["job_group"] == "alternativ_karrierevei").astype(float),
            "age": hr["age"].astype(float),
            "age2": hr["age"].astype(float) ** 2,
            "tenure": hr["tenure_years"].astype(float),
            "temporary": hr["temporary"].astype(float),
        }
    )
    return x


def test_oaxaca_paygap_references_and_identity():
    hr = oaxaca_frame()
    res = pmo.oaxaca_paygap(hr)
    assert [pmo.oaxaca_reference_label(r) for r in res] == ["male", "female", "pooled"]
    y = np.log(hr["annual_pay"])
    gap = y[hr.gender == "M"].mean() - y[hr.gender == "K"].mean()
    for r in res:
        ov = r.overall["estimate"]
        assert r.gap == pytest.approx(gap, abs=1e-12)
        assert ov["explained"] + ov["unexplained"] == pytest.approx(r.gap, abs=1e-12)
    figs = pmo.oaxaca_key_figures(res)
    assert [f["reference"] for f in figs] == ["male", "female", "pooled"]
    assert figs[0]["covariates"] == ["job_group", "age", "age2", "tenure_years", "temporary"]
    assert figs[0]["n_men"] == int((hr.gender == "M").sum())
    assert set(figs[0]) == {
        "reference",
        "covariates",
        "n_men",
        "n_women",
        "total",
        "explained",
        "unexplained",
        "se_explained",
        "se_unexplained",
    }
    json.dumps(figs)


def test_oaxaca_male_and_female_references_against_numpy_ols():
    hr = oaxaca_frame()
    res = {pmo.oaxaca_reference_label(r): r for r in pmo.oaxaca_paygap(hr)}
    X, y = design(hr), np.log(hr["annual_pay"]).to_numpy()
    men, women = (hr.gender == "M").to_numpy(), (hr.gender == "K").to_numpy()
    dx = X[men].mean() - X[women].mean()
    beta_m = np.linalg.lstsq(X[men].to_numpy(), y[men], rcond=None)[0]
    beta_k = np.linalg.lstsq(X[women].to_numpy(), y[women], rcond=None)[0]
    assert res["male"].overall.loc["explained", "estimate"] == pytest.approx(
        dx.to_numpy() @ beta_m, abs=1e-10
    )
    assert res["female"].overall.loc["explained", "estimate"] == pytest.approx(
        dx.to_numpy() @ beta_k, abs=1e-10
    )
    assert res["male"].n_a == men.sum() and res["male"].group_a == "M"


def test_oaxaca_pooled_against_statsmodels():
    hr = oaxaca_frame()
    pooled = next(r for r in pmo.oaxaca_paygap(hr) if pmo.oaxaca_reference_label(r) == "pooled")
    X = design(hr)
    X["female"] = (hr["gender"] == "K").astype(float)  # 0 = men: statsmodels' first group
    sm = OaxacaBlinder(
        np.log(hr["annual_pay"]).to_numpy(),
        X.to_numpy(),
        bifurcate=X.columns.get_loc("female"),
        hasconst=True,
        swap=False,
    )
    unexplained, explained, gap = sm.two_fold(two_fold_type="pooled").params
    assert pooled.gap == pytest.approx(gap, abs=1e-10)
    assert pooled.overall.loc["explained", "estimate"] == pytest.approx(explained, abs=1e-10)
    assert pooled.overall.loc["unexplained", "estimate"] == pytest.approx(unexplained, abs=1e-10)


def test_oaxaca_drops_one_gender_job_groups_and_threefold():
    hr = oaxaca_frame(women_only_group=True)
    with pytest.warns(RuntimeWarning, match="konsulent"):
        res = pmo.oaxaca_paygap(hr, threefold=True)
    assert all(r.n_dropped == 3 for r in res)
    assert [r.kind for r in res] == ["twofold"] * 3 + ["threefold"] * 2
    assert [pmo.oaxaca_reference_label(r) for r in res[3:]] == ["female", "male"]
    for r in res[3:]:
        assert r.overall["estimate"].sum() == pytest.approx(r.gap, abs=1e-12)
    assert len(pmo.oaxaca_key_figures(res)) == 3  # threefold results are skipped


def test_oaxaca_constant_covariate_is_left_out():
    hr = oaxaca_frame().assign(temporary=False)
    with pytest.warns(RuntimeWarning, match="temporary"):
        res = pmo.oaxaca_paygap(hr)
    assert "temporary" not in res[0].covariates


# --------------------------------------------------------------------------- EU indicators


def test_pay_quartiles_hand_built():
    hr = pd.DataFrame(
        {
            "gender": ["K", "M", "K", "M", "K", "K", "M", "M"],
            "annual_pay": [100, 150, 200, 250, 300, 400, 500, 600],
        }
    )
    q = pg.pay_quartiles(hr)
    assert q["n"].tolist() == [2.0] * 4
    assert q["share_women_pct"].tolist() == [50.0, 50.0, 100.0, 0.0]
    assert q["share_men_pct"].tolist() == [50.0, 50.0, 0.0, 100.0]
    assert q[["pay_min", "pay_max"]].to_numpy().tolist() == [
        [100, 150],
        [200, 250],
        [300, 400],
        [500, 600],
    ]


def test_pay_quartiles_ties_split_proportionally_and_order_free():
    hr = pd.DataFrame(
        {
            "gender": ["K", "M", "K", "K", "M", "M", "K", "M"],
            "annual_pay": [100, 110, 200, 300, 300, 400, 500, 600],
        }
    )
    # the tie at 300 (one woman, one man) occupies ranks [3, 5): half in Q2, half in Q3
    q = pg.pay_quartiles(hr)
    assert q["n_women"].tolist() == [1.0, 1.5, 0.5, 1.0]
    assert q["n_men"].tolist() == [1.0, 0.5, 1.5, 1.0]
    assert q["share_women_pct"].tolist() == [50.0, 75.0, 25.0, 50.0]
    shuffled = pg.pay_quartiles(hr.iloc[[7, 3, 5, 0, 4, 2, 6, 1]])
    pd.testing.assert_frame_equal(q, shuffled)


def eu_frame() -> pd.DataFrame:
    rows = []
    # a: men have longer tenure and are paid by tenure only: raw gap ≈ 9,5 %, adjusted 0
    for g, tenures, ages in (("K", (1, 2, 3), (30, 45, 35)), ("M", (6, 7, 8), (40, 30, 50))):
        for t, age in zip(tenures, ages, strict=True):
            rows.append(("a", g, 500_000 * math.exp(0.02 * t), age, t))
    # b: same tenure, women paid 90 % of men at equal covariates: raw and adjusted 10 %
    for g, factor, ages in (("K", 0.9, (30, 50, 40)), ("M", 1.0, (45, 35, 55))):
        for t, age in zip((2, 4, 6), ages, strict=True):
            rows.append(("b", g, factor * 600_000 * math.exp(0.02 * t), age, t))
    # c: a 2 % gap: no flag
    for g, factor, ages in (("K", 0.98, (40, 52, 46)), ("M", 1.0, (44, 41, 58))):
        for t, age in zip((1, 3, 5), ages, strict=True):
            rows.append(("c", g, factor * 700_000 * (1 + 0.01 * t), age, t))
    rows.append(("d", "K", 450_000.0, 50, 10))  # women only
    return pd.DataFrame(
        rows, columns=["job_group", "gender", "annual_pay", "age", "tenure_years"]
    ).assign(year=2025)


def test_eu_flags():
    hr = eu_frame()
    eu = pg.eu_pay_transparency(hr)
    bc = eu.by_category.set_index("category")
    raw_a = 100 * (
        1 - sum(math.exp(0.02 * t) for t in (1, 2, 3)) / sum(math.exp(0.02 * t) for t in (6, 7, 8))
    )
    assert bc.loc["a", "mean_gap_pct"] == pytest.approx(raw_a)
    assert bc.loc["a", "adjusted_gap_pct"] == pytest.approx(0.0, abs=1e-8)
    assert bool(bc.loc["a", "flag_raw"]) and not bool(bc.loc["a", "flag_adjusted"])
    assert bc.loc["b", "mean_gap_pct"] == pytest.approx(10.0)
    assert bc.loc["b", "adjusted_gap_pct"] == pytest.approx(10.0)
    assert bool(bc.loc["b", "flag_raw"]) and bool(bc.loc["b", "flag_adjusted"])
    assert bc["adjusted_estimable"].tolist() == [True, True, True, False]
    assert bc.loc["c", "mean_gap_pct"] == pytest.approx(2.0)
    assert not bool(bc.loc["c", "flag_raw"]) and not bool(bc.loc["c", "flag_adjusted"])
    assert math.isnan(bc.loc["d", "mean_gap_pct"]) and not bool(bc.loc["d", "flag_raw"])
    assert eu.flagged_categories == ("b",)
    men = hr.loc[hr.gender == "M", "annual_pay"]
    women = hr.loc[hr.gender == "K", "annual_pay"]
    assert eu.mean_gap_pct == pytest.approx(100 * (men.mean() - women.mean()) / men.mean())
    assert eu.median_gap_pct == pytest.approx(100 * (men.median() - women.median()) / men.median())
    assert eu.quartiles["n"].sum() == pytest.approx(len(hr))


def test_eu_flag_direction():
    hr = eu_frame()
    swapped = hr.assign(gender=hr["gender"].map({"K": "M", "M": "K"}))
    swapped = swapped.loc[swapped["job_group"] != "d"]
    two = pg.eu_pay_transparency(swapped).by_category.set_index("category")
    one = pg.eu_pay_transparency(swapped, two_sided=False).by_category.set_index("category")
    assert two.loc["b", "mean_gap_pct"] < -5 and bool(two.loc["b", "flag_adjusted"])
    assert not bool(one.loc["b", "flag_raw"])


# --------------------------------------------------------------------------- key figures


def test_key_figures_published_2025(pay):
    c = pg.cells_from_published(pay, 2025)
    kf = pk.key_figures(2025, "published", cells=c)
    assert list(kf) == [
        "year",
        "data_source",
        "women_share_of_men_pay_pct",
        "gap_nok",
        "gap_pct",
        "decomposition_grouped",
        "oaxaca",
    ]
    assert kf["oaxaca"] is None
    assert round(kf["women_share_of_men_pay_pct"], 2) == 94.58
    mean_men, mean_women = 72_453_734 / 90, (143_573_356 + 2 * 550674) / 190
    assert kf["gap_nok"] == pytest.approx(mean_men - mean_women)
    assert kf["gap_pct"] == pytest.approx(100 * (mean_men - mean_women) / mean_men)
    assert list(kf["decomposition_grouped"]) == [
        "total",
        "men_outside_support",
        "women_outside_support",
        "composition",
        "within_groups",
    ]
    json.dumps(kf)
    with pytest.raises(ValueError, match="data_source"):
        pk.key_figures(2025, "survey", cells=c)
    with pytest.raises(ValueError, match="mennenes gjennomsnitt"):
        pk.key_figures(
            2025, "published", cells=c, nopo=pn.nopo_decomposition(c, reference="pooled")
        )


def test_key_figures_with_oaxaca():
    hr = oaxaca_frame()
    res = pmo.oaxaca_paygap(hr)
    kf = pk.key_figures(2025, "synthetic", cells=pg.cells_from_microdata(hr), oaxaca=res)
    assert kf["oaxaca"] == pmo.oaxaca_key_figures(res)
    json.dumps(kf)


def test_synthetic_hr_end_to_end(pay):
    synthetic = pytest.importorskip("analysis.data.synthetic")
    hr = synthetic.synth_hr(2025, 7).frame
    measures = pg.gap_measures(hr).set_index("group")
    c = pg.cells_from_microdata(hr)
    nopo = pn.nopo_decomposition(c)
    assert nopo.total == pytest.approx(measures.loc["alle", "gap_nok"])
    assert abs(parts_sum(nopo) - nopo.total) < EXACT
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = pmo.oaxaca_paygap(hr)
    kf = pk.key_figures(2025, "synthetic", cells=c, nopo=nopo, oaxaca=res)
    assert kf["decomposition_grouped"] == nopo.to_dict()
    eu = pg.eu_pay_transparency(hr)
    assert eu.n_men + eu.n_women == len(hr)


# --------------------------------------------------------------------------- plots


def test_plots_return_figure_and_alt_text(pay):
    c24, c25 = pg.cells_from_published(pay, 2024), pg.cells_from_published(pay, 2025)
    nopo = pn.nopo_decomposition(c25)
    change = pn.gap_change(c24, c25)
    eu = pg.eu_pay_transparency(eu_frame())
    cases = [
        (pp.plot_pay_by_group(c25), fmt_nok(1314695)),
        (
            pp.plot_pay_by_group(pg.published_gap_measures(pay).query("year == 2025")),
            fmt_nok(805041),
        ),
        (pp.plot_nopo_waterfall(nopo), fmt_nok(nopo.within_groups)),
        (pp.plot_gap_change(change), fmt_nok(change.gap1)),
        (pp.plot_quartiles(eu), fmt_pct(eu.quartiles["share_women_pct"].iloc[0])),
    ]
    for (fig, alt), number in cases:
        assert isinstance(fig, Figure)
        assert alt.strip() and number in alt
    assert "24\u202f011\u00a0kr" in pp.plot_nopo_waterfall(nopo)[1]


def test_plots_are_deterministic(pay):
    c25 = pg.cells_from_published(pay, 2025)
    first = png_bytes(pp.plot_nopo_waterfall(pn.nopo_decomposition(c25))[0])
    second = png_bytes(pp.plot_nopo_waterfall(pn.nopo_decomposition(c25))[0])
    assert first == second


# --------------------------------------------------------------------------- display


def test_report_tables_show_results_computed_in_a_cell():
    """The pay report's own tables take the result they show: a decomposition and a change
    computed here, on toy cells worked out by hand, print the way the report prints them."""
    c = cells([("a", 10, 10, 100.0, 90.0), ("b", 10, 0, 200.0, np.nan)])
    results = [pn.nopo_decomposition(c, reference=r) for r in ("pooled", "women", "men")]
    html = pt.html_nopo_table(results, year=2030)
    # men 150 (a 100, b 200), women 90 (a only): gap 60. Men outside the support (b):
    # 0,5 · (200 − 100) = 50; composition 0 (everyone in the support is in a); within
    # 100 − 90 = 10 with every reference (one group in the support). % of men's mean 150.
    assert "<caption>Lønnsgapet 2030 delt i fire deler</caption>" in html

    def row(label: str, nok: str, pct: str) -> str:
        kr = f'<td class="num">{nok}\u00a0kr</td>'
        return f'<th scope="row">{label}</th>{kr}<td class="num">{pct}\u00a0%</td>{kr}{kr}'

    assert row("Menn i stillingsgrupper uten kvinner", "50", "33,33") in html
    assert row("Lønnsforskjell innen stillingsgrupper", "10", "6,67") in html
    assert row("Samlet lønnsgap", "60", "40,00") in html
    assert "= skjult" not in html  # nothing hidden, no note about hiding
    c1 = cells([("a", 10, 20, 110.0, 100.0), ("b", 10, 10, 200.0, 180.0)])
    html = pt.html_change_table(pn.gap_change(c, c1, year0=2024, year1=2025))
    assert "<caption>Endring i lønnsgapet fra 2024 til 2025</caption>" in html
    # 2024: gap 150 − 90 = 60, women's pay 90/150 = 60,00 % of men's
    # levels and changes in separate columns, each with its unit (review item 25)
    assert (
        '<th scope="row">2024</th><td class="num">60\u00a0kr</td><td class="num"></td>'
        '<td class="num">60,00\u00a0%</td><td class="num"></td>'
    ) in html
    assert "Endring (prosentpoeng)" in html and "Endring i lønnsgapet (kr)" in html
