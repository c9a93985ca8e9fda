"""Sick-leave analyses, each against values derived independently (by hand, with numpy or with
a statsmodels fit written out here)."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy.stats import chi2, norm, t

from analysis.data.benchmarks import BENCHMARK_FILE, benchmark_schema, load_benchmark
from analysis.data.published import load_catalogue, load_published
from analysis.data.quality import check_sick_leave_totals, published_sick_leave_findings
from analysis.data.schema import DataValidationError
from analysis.disclosure.hr import protect_rate_table
from analysis.sickleave.measures import (
    RATE_COLUMNS,
    absence_concentration,
    age_band,
    lorenz_curve,
    published_series,
    rate_bootstrap_ci,
    sick_leave_rates,
)
from analysis.sickleave.models import AdjustedRateRatio, ModelNote, adjusted_rate_ratio
from analysis.sickleave.plots import plot_concentration, plot_published_trend, plot_rates_by_group
from analysis.sickleave.report import key_figures
from analysis.sickleave.texts import (
    benchmark_statement,
    method_text,
    model_note,
    with_concentration_labels,
)

ROOT = Path(__file__).resolve().parents[1]
Z = 1.959963984540054


def six_persons() -> pd.DataFrame:
    """Six persons, one year; sums are written out in the tests."""
    return pd.DataFrame(
        {
            "person_id": ["p1", "p2", "p3", "p4", "p5", "p6"],
            "year": 2025,
            "gender": ["K", "K", "K", "M", "M", "M"],
            "job_group": [
                "saksbehandler",
                "saksbehandler",
                "toppleder",
                "saksbehandler",
                "toppleder",
                "saksbehandler",
            ],
            "age": [25, 45, 55, 35, 62, 29],
            "agreed_workdays": [200.0, 100.0, 220.0, 200.0, 150.0, 230.0],
            "sick_days_certified": [10.0, 0.0, 30.0, 4.0, 0.0, 6.0],
            "sick_days_self": [2.0, 3.0, 0.0, 1.0, 0.0, 4.0],
        }
    )


def synthetic(n: int = 400, seed: int = 0, years: tuple[int, ...] = (2025,)) -> pd.DataFrame:
    """Overdispersed lost days: gamma-Poisson with a higher rate for women."""
    rng = np.random.default_rng(seed)
    jobs = rng.choice(
        ["toppleder", "mellomleder", "alternativ_karrierevei", "saksbehandler"],
        n,
        p=[0.05, 0.1, 0.1, 0.75],
    )
    gender = rng.choice(["K", "M"], n, p=[0.68, 0.32])
    age = rng.integers(22, 67, n)
    rows = []
    for y in years:
        x = rng.uniform(120, 230, n).round(1)
        mu = x * np.where(gender == "K", 0.07, 0.045) * np.where(jobs == "toppleder", 0.6, 1.0)
        cert = np.minimum(rng.poisson(rng.gamma(0.35, mu / 0.35)).astype(float), x - 20)
        self_ = rng.poisson(0.01 * x).astype(float)
        rows.append(
            pd.DataFrame(
                {
                    "person_id": [f"p{i}" for i in range(n)],
                    "year": y,
                    "gender": gender,
                    "job_group": jobs,
                    "age": age,
                    "agreed_workdays": x,
                    "sick_days_certified": cert,
                    "sick_days_self": self_,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def row(df: pd.DataFrame, **where) -> pd.Series:
    sel = df
    for k, v in where.items():
        sel = sel.loc[sel[k] == v]
    assert len(sel) == 1, where
    return sel.iloc[0]


# --------------------------------------------------------------------------- rates


def test_rates_by_gender_equal_hand_sums():
    r = sick_leave_rates(six_persons(), by=("gender",))
    assert list(r.columns) == ["gender", "kind", *RATE_COLUMNS]
    # women: certified 10 + 0 + 30 = 40, self 2 + 3 + 0 = 5, agreed 200 + 100 + 220 = 520
    k = row(r, gender="K", kind="legemeldt")
    assert (k.n_persons, k.lost_days, k.agreed_days) == (3, 40.0, 520.0)
    assert k.rate_pct == pytest.approx(4000 / 520)
    assert row(r, gender="K", kind="egenmeldt").rate_pct == pytest.approx(500 / 520)
    assert row(r, gender="K", kind="totalt").rate_pct == pytest.approx(4500 / 520)
    # men: certified 4 + 0 + 6 = 10, self 1 + 0 + 4 = 5, agreed 200 + 150 + 230 = 580
    assert row(r, gender="M", kind="legemeldt").rate_pct == pytest.approx(1000 / 580)
    assert row(r, gender="M", kind="egenmeldt").rate_pct == pytest.approx(500 / 580)
    assert row(r, gender="M", kind="totalt").rate_pct == pytest.approx(1500 / 580)
    # linearised SE for women, certified: R = 1/13, residuals 10 − 200/13, 0 − 100/13,
    # 30 − 220/13 = −70/13, −100/13, 170/13; x̄ = 520/3
    ssr = (70**2 + 100**2 + 170**2) / 13**2
    se = math.sqrt(ssr / (3 * 2) / (520 / 3) ** 2)
    assert k.se_pct == pytest.approx(100 * se)
    # gamma interval (Fay & Feuer 1997) with w = max y / Σx = 30/520 and the variance times
    # (t_2 / z)^2 (Korn & Graubard 1998; 3 persons: 2 degrees of freedom)
    r, w = 1 / 13, 30 / 520
    v = se**2 * (t.ppf(0.975, 2) / norm.ppf(0.975)) ** 2
    low = v / (2 * r) * chi2.ppf(0.025, 2 * r**2 / v)
    high = (v + w**2) / (2 * (r + w)) * chi2.ppf(0.975, 2 * (r + w) ** 2 / (v + w**2))
    assert (k.ci_low, k.ci_high) == pytest.approx((100 * low, 100 * high))


def test_rates_total_age_bands_and_margins():
    hr = six_persons()
    total = sick_leave_rates(hr, by=(), kinds=("legemeldt",))
    assert len(total) == 1 and total.rate_pct.item() == pytest.approx(5000 / 1100)
    assert total.n_persons.item() == 6
    assert age_band(pd.Series([29, 30, 39, 40, 59, 60, 75])).tolist() == [
        "<30",
        "30-39",
        "30-39",
        "40-49",
        "50-59",
        "60+",
        "60+",
    ]
    ages = sick_leave_rates(hr, by=("age_band",), kinds=("totalt",))
    assert ages["age_band"].tolist() == ["<30", "30-39", "40-49", "50-59", "60+"]  # 25, 29: <30
    young = row(ages, age_band="<30")
    assert (young.lost_days, young.agreed_days) == (12 + 10, 430.0)
    m = sick_leave_rates(hr, by=("job_group", "gender"), kinds=("legemeldt",), margins=True)
    # cells 2 job groups × 2 genders, + 2 job-group margins + 2 gender margins + grand total
    assert len(m) == 4 + 2 + 2 + 1
    assert row(m, job_group="alle", gender="K").rate_pct == pytest.approx(4000 / 520)
    assert row(m, job_group="alle", gender="alle").rate_pct == pytest.approx(5000 / 1100)
    # top leaders: 30 + 0 days over 220 + 150
    assert row(m, job_group="toppleder", gender="alle").rate_pct == pytest.approx(3000 / 370)
    assert m["job_group"].tolist()[-3:] == ["alle"] * 3


def test_persons_are_units_across_rows_and_without_agreed_days_left_out():
    hr = six_persons()
    two_years = pd.concat([hr, hr.assign(year=2024)], ignore_index=True)
    r = sick_leave_rates(two_years, by=("gender",), kinds=("legemeldt",))
    k = row(r, gender="K")
    assert k.n_persons == 3 and k.lost_days == 80.0
    # same persons, doubled: the ratio and its person-level SE are unchanged
    one = row(sick_leave_rates(hr, by=("gender",), kinds=("legemeldt",)), gender="K")
    assert k.rate_pct == pytest.approx(one.rate_pct)
    assert k.se_pct == pytest.approx(one.se_pct)
    extra = pd.concat(
        [
            hr,
            hr.iloc[[0]].assign(
                person_id="p7", agreed_workdays=0.0, sick_days_certified=0.0, sick_days_self=0.0
            ),
        ]
    )
    assert row(sick_leave_rates(extra, kinds=("legemeldt",)), gender="K").n_persons == 3


def test_bootstrap_agrees_with_linearised_se():
    """A second method: the bootstrap against the linearised (delta-method) SE and interval.

    With 1000 replicates the bootstrap SD has a Monte Carlo error of 1/√(2·999) ≈ 2.2 %
    (tolerance 7 %, three errors); the percentile endpoints differ from the normal ones by
    their Monte Carlo error (≈ 0.09 SE at the 2.5 % quantile) plus the ratio's skewness, so
    they must agree within half a linearised SE (a 90 % interval is 0.32 SE narrower on each
    side and fails). The exact endpoints are tested in tests/test_sickleave_bootstrap.py.
    """
    hr = synthetic(n=2000, seed=4)
    lin = sick_leave_rates(hr, by=("gender",), kinds=("legemeldt",))
    boot = rate_bootstrap_ci(hr, kind="legemeldt", by=("gender",), n_boot=1000, seed=5)
    for g in ("K", "M"):
        a, b = row(lin, gender=g), row(boot, gender=g)
        assert b.rate_pct == pytest.approx(a.rate_pct)
        assert b.se_pct == pytest.approx(a.se_pct, rel=0.07)
        assert b.ci_low == pytest.approx(a.ci_low, abs=0.5 * a.se_pct)
        assert b.ci_high == pytest.approx(a.ci_high, abs=0.5 * a.se_pct)
    again = rate_bootstrap_ci(hr, kind="legemeldt", by=("gender",), n_boot=1000, seed=5)
    pd.testing.assert_frame_equal(boot, again)


# --------------------------------------------------------------------------- adjusted ratio


def _direct(data: pd.DataFrame, formula: str):
    return smf.glm(
        formula, data, offset=np.log(data["agreed_workdays"]), family=sm.families.Poisson()
    ).fit(scale="X2")


def _direct_cluster(data: pd.DataFrame, formula: str):
    """Person-level fit with each person its own cluster (the sandwich)."""
    return smf.glm(
        formula, data, offset=np.log(data["agreed_workdays"]), family=sm.families.Poisson()
    ).fit(cov_type="cluster", cov_kwds={"groups": np.arange(len(data))})


def test_adjusted_rate_ratio_sandwich_equals_a_person_level_cluster_fit():
    # the default SE is the person-level sandwich computed from cell sums; the model-based
    # quasi-Poisson SE differs by 4-9 % on these data, far outside the tolerance
    hr = synthetic(n=500, seed=1)
    res = adjusted_rate_ratio(hr, kind="legemeldt")
    data = hr.assign(age_band=age_band(hr["age"]), y=hr["sick_days_certified"])
    term = "C(gender, Treatment('M'))[T.K]"
    for got, formula in (
        ((res.estimate, res.ci_low, res.ci_high), "+ C(job_group) + C(age_band)"),
        ((res.unadjusted, res.unadjusted_ci_low, res.unadjusted_ci_high), ""),
    ):
        fit = _direct_cluster(data, f"y ~ C(gender, Treatment('M')) {formula}")
        lo, hi = fit.conf_int().loc[term]
        expected = (math.exp(fit.params[term]), math.exp(lo), math.exp(hi))
        assert got == pytest.approx(expected, rel=1e-6)
    assert res.robust and "sandwich" in method_text(res)


def test_adjusted_rate_ratio_equals_a_direct_statsmodels_fit():
    hr = synthetic(n=500, seed=1)
    res = adjusted_rate_ratio(hr, kind="legemeldt", se="model")
    assert isinstance(res, AdjustedRateRatio)
    data = hr.assign(age_band=age_band(hr["age"]), y=hr["sick_days_certified"])
    term = "C(gender, Treatment('M'))[T.K]"
    fit = _direct(data, "y ~ C(gender, Treatment('M')) + C(job_group) + C(age_band)")
    lo, hi = fit.conf_int().loc[term]
    assert res.estimate == pytest.approx(math.exp(fit.params[term]), rel=1e-6)
    assert (res.ci_low, res.ci_high) == pytest.approx((math.exp(lo), math.exp(hi)), rel=1e-6)
    assert res.dispersion == pytest.approx(fit.scale, rel=1e-6)
    unadj = _direct(data, "y ~ C(gender, Treatment('M'))")
    lo, hi = unadj.conf_int().loc[term]
    assert res.unadjusted == pytest.approx(math.exp(unadj.params[term]), rel=1e-6)
    assert (res.unadjusted_ci_low, res.unadjusted_ci_high) == pytest.approx(
        (math.exp(lo), math.exp(hi)), rel=1e-6
    )
    # the unadjusted ratio is the ratio of the two rates
    rates = sick_leave_rates(hr, by=("gender",), kinds=("legemeldt",))
    ratio = row(rates, gender="K").rate_pct / row(rates, gender="M").rate_pct
    assert res.unadjusted == pytest.approx(ratio, rel=1e-6)
    assert res.covariates == ("job_group", "age_band") and res.n_persons == 500
    assert res.dispersion > 1 and res.method == "quasipoisson" and res.notes == ()
    assert "quasi-Poisson" in method_text(res) and not res.robust


def test_adjusted_rate_ratio_drops_levels_without_days_and_keeps_single_gender_levels():
    hr = synthetic(n=300, seed=2)
    apprentices = pd.DataFrame(
        {
            "person_id": ["a1", "a2"],
            "year": 2025,
            "gender": ["K", "K"],
            "job_group": ["laerling", "laerling"],
            "age": [19, 20],
            "agreed_workdays": [200.0, 180.0],
            "sick_days_certified": [0.0, 0.0],
            "sick_days_self": [1.0, 0.0],
        }
    )
    consultant = pd.DataFrame(
        {
            "person_id": ["c1"],
            "year": 2025,
            "gender": ["M"],
            "job_group": ["konsulent"],
            "age": [50],
            "agreed_workdays": [210.0],
            "sick_days_certified": [12.0],
            "sick_days_self": [0.0],
        }
    )
    full = pd.concat([hr, apprentices, consultant], ignore_index=True)
    res = adjusted_rate_ratio(full)
    assert math.isfinite(res.estimate) and math.isfinite(res.ci_high)
    assert ModelNote("no_lost_days", "job_group", ("laerling",), 2) in res.notes
    assert ModelNote("one_gender", "job_group", ("konsulent",)) in res.notes
    texts = [model_note(n) for n in res.notes]
    assert any("laerling" in n and "2 rad(er) utelatt" in n for n in texts)
    assert any("konsulent" in n and "bare ett kjønn" in n for n in texts)
    # the adjusted estimate is the fit without the apprentices (their level has −∞ effect)
    kept = pd.concat([hr, consultant], ignore_index=True)
    data = kept.assign(age_band=age_band(kept["age"]), y=kept["sick_days_certified"])
    fit = _direct(data, "y ~ C(gender, Treatment('M')) + C(job_group) + C(age_band)")
    assert res.estimate == pytest.approx(
        math.exp(fit.params["C(gender, Treatment('M'))[T.K]"]), rel=1e-6
    )
    assert res.n_persons == len(kept)
    # the unadjusted ratio still uses everybody
    rates = sick_leave_rates(full, by=("gender",), kinds=("legemeldt",))
    assert res.unadjusted == pytest.approx(
        row(rates, gender="K").rate_pct / row(rates, gender="M").rate_pct, rel=1e-6
    )


def test_adjusted_rate_ratio_undefined_without_both_genders():
    hr = synthetic(n=100, seed=3)
    res = adjusted_rate_ratio(hr.loc[hr["gender"] == "K"])
    assert math.isnan(res.estimate) and math.isnan(res.unadjusted)
    assert res.notes and res.notes[-1].code == "gender_missing"
    assert "begge kjønn" in model_note(res.notes[-1])


def test_negative_binomial_sensitivity_and_clustered_rows():
    hr = synthetic(n=400, seed=6)
    nb = adjusted_rate_ratio(hr, method="negbin")
    data = hr.assign(
        age_band=age_band(hr["age"]),
        y=hr["sick_days_certified"],
        female=(hr["gender"] == "K").astype(float),
    )
    fit = smf.negativebinomial(
        "y ~ female + C(job_group) + C(age_band)", data, offset=np.log(data["agreed_workdays"])
    ).fit(disp=0, maxiter=500, method="bfgs")
    assert nb.estimate == pytest.approx(math.exp(fit.params["female"]), rel=1e-3)
    assert nb.dispersion == pytest.approx(fit.params["alpha"], rel=1e-3)
    assert nb.method == "negbin" and "negativ binomisk" in method_text(nb)
    # two years per person: cluster-robust by person, same point estimate as the pooled fit
    two = synthetic(n=300, seed=8, years=(2024, 2025))
    res = adjusted_rate_ratio(two)
    data = two.assign(age_band=age_band(two["age"]), y=two["sick_days_certified"])
    pooled = _direct(data, "y ~ C(gender, Treatment('M')) + C(job_group) + C(age_band)")
    assert res.estimate == pytest.approx(
        math.exp(pooled.params["C(gender, Treatment('M'))[T.K]"]), rel=1e-6
    )
    assert res.robust and "klynger" in method_text(res) and res.n_persons == 300


# --------------------------------------------------------------------------- concentration


def test_concentration_on_a_hand_frame():
    days = [0, 0, 0, 0, 1, 2, 3, 4, 20, 50]  # total 80
    hr = pd.DataFrame(
        {
            "person_id": [f"q{i}" for i in range(10)],
            "gender": "K",
            "agreed_workdays": 200.0,
            "sick_days_certified": [float(d) for d in days],
            "sick_days_self": 0.0,
        }
    )
    c = absence_concentration(hr, "legemeldt").set_index(["measure", "person_share"])
    top = c.loc["top_share"]
    # 5 % and 10 % of 10 persons: the one person with 50 days; 20 %: 50 + 20
    assert top["n_persons"].tolist() == [1, 1, 2]
    assert top["value"].tolist() == pytest.approx([50 / 80, 50 / 80, 70 / 80])
    c = absence_concentration(hr, "legemeldt").set_index("measure")
    assert (c.loc["long_term_proxy", "n_persons"], c.loc["long_term_proxy", "value"]) == (
        2,
        pytest.approx(70 / 80),
    )
    assert (c.loc["short_term_proxy", "n_persons"], c.loc["short_term_proxy", "value"]) == (
        4,
        pytest.approx(10 / 80),
    )
    assert c.loc["no_absence", "n_persons"] == 4
    # Gini: Σ(2i − 11)·v_(i) = −1·1 + 1·2 + 3·3 + 5·4 + 7·20 + 9·50 = 620, / (10 · 80)
    assert c.loc["gini", "value"] == pytest.approx(620 / 800)
    exact = lorenz_curve(hr, "legemeldt", points=None)
    assert len(exact) == 11
    assert row(exact, person_share=0.9).lost_days_share == pytest.approx(30 / 80)
    grid = lorenz_curve(hr, "legemeldt")
    assert len(grid) == 101 and grid.lost_days_share.iloc[-1] == pytest.approx(1.0)
    # ties: whichever of three persons with 5 days is "top", the sum is the same
    tie = hr.iloc[:4].assign(sick_days_certified=[5.0, 5.0, 5.0, 0.0])
    t = absence_concentration(tie, shares=(0.25,)).set_index("measure")
    assert t.loc["top_share", "value"] == pytest.approx(5 / 15)


def test_concentration_labels_name_the_parameters():
    days = [0, 0, 1, 30]
    hr = pd.DataFrame(
        {
            "agreed_workdays": 200.0,
            "sick_days_certified": [float(d) for d in days],
            "sick_days_self": 0.0,
        }
    )
    c = absence_concentration(hr, shares=(0.05, 0.125), long_term_threshold_days=12.5)
    labelled = with_concentration_labels(c)
    assert list(labelled.columns[:3]) == ["kind", "measure", "label"]
    assert labelled["label"].tolist() == [
        "De 5\u00a0% med mest fravær",
        "De 12,5\u00a0% med mest fravær",
        "Mer enn 12,5 tapte dagsverk (antatt langtidsfravær)",
        "1–12,5 tapte dagsverk (antatt korttidsfravær)",
        "Ingen tapte dagsverk",
        "Gini-koeffisient",
    ]
    # the parameters travel with the rows; the person counts are those of the hand frame
    assert c["share"].tolist()[:2] == [0.05, 0.125] and c["threshold_days"].iloc[2] == 12.5
    assert c.set_index("measure").loc["long_term_proxy", "n_persons"] == 1


# --------------------------------------------------------------------------- suppression


def _counts_frame(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows, i = [], 0
    for (job, g), n in cells.items():
        for _ in range(n):
            rows.append(
                {
                    "person_id": f"s{i}",
                    "gender": g,
                    "job_group": job,
                    "agreed_workdays": 200.0,
                    "sick_days_certified": float(i % 7),
                    "sick_days_self": float(i % 3),
                }
            )
            i += 1
    return pd.DataFrame(rows)


def test_report_table_suppresses_small_cells_with_margins():
    cells = {
        ("alternativ_karrierevei", "K"): 30,
        ("alternativ_karrierevei", "M"): 25,
        ("mellomleder", "K"): 20,
        ("mellomleder", "M"): 8,
        ("saksbehandler", "K"): 15,
        ("saksbehandler", "M"): 12,
        ("toppleder", "K"): 10,
        ("toppleder", "M"): 3,
    }
    rates = sick_leave_rates(_counts_frame(cells), by=("job_group", "gender"), margins=True)
    out = protect_rate_table(rates, min_cell=5)
    hidden = {(r.job_group, r.gender) for r in out.itertuples() if r.suppressed}
    # by hand (suppression_mask's rules on the grid with margins): the 3 men among top
    # leaders are hidden; top-leader women complete the row; the K column is completed by the
    # smallest other woman cell (case officers, 15), the M column by the smallest other man
    # cell (middle managers, 8); those rows are completed in turn. Margins stay.
    assert hidden == {
        ("toppleder", "M"),
        ("toppleder", "K"),
        ("saksbehandler", "K"),
        ("saksbehandler", "M"),
        ("mellomleder", "K"),
        ("mellomleder", "M"),
    }
    grid = out.loc[out["kind"] == "legemeldt"].pivot(
        index="job_group", columns="gender", values="suppressed"
    )
    assert not (grid.sum(axis=1) == 1).any() and not (grid.sum(axis=0) == 1).any()
    sup = out.loc[out["suppressed"]]
    assert sup[list(RATE_COLUMNS)].isna().all().all()
    shown = out.loc[~out["suppressed"]]
    pd.testing.assert_frame_equal(
        shown[list(RATE_COLUMNS)].reset_index(drop=True),
        rates.loc[~out["suppressed"], list(RATE_COLUMNS)].astype(float).reset_index(drop=True),
    )
    # the same cells for every kind
    assert out.groupby(["job_group", "gender"])["suppressed"].nunique().eq(1).all()


def test_small_margin_is_suppressed_too():
    cells = {
        ("saksbehandler", "K"): 40,
        ("saksbehandler", "M"): 20,
        ("mellomleder", "K"): 9,
        ("mellomleder", "M"): 6,
        ("laerling", "K"): 2,
    }
    rates = sick_leave_rates(
        _counts_frame(cells), by=("job_group", "gender"), kinds=("legemeldt",), margins=True
    )
    out = protect_rate_table(rates, min_cell=5)
    # the apprentices' margin (2 persons) would reveal the hidden cell: it is hidden, and so
    # is a second job-group margin to protect it
    assert row(out, job_group="laerling", gender="alle").suppressed
    assert row(out, job_group="laerling", gender="K").suppressed
    # every shown margin (job group «alle», gender «alle», the grand total): the hidden
    # cells behind it are none, or at least two holding at least 5 persons (persons by hand
    # from ``cells`` above, not from the code under test)
    persons = {**cells, ("laerling", "M"): 0}
    hidden = {
        (jg, g)
        for jg, g, h in zip(out["job_group"], out["gender"], out["suppressed"], strict=True)
        if h
    }
    groups, genders = ["saksbehandler", "mellomleder", "laerling"], ["K", "M"]
    lines = [([(jg, g) for g in genders], (jg, "alle")) for jg in groups]
    lines += [([(jg, g) for jg in groups], ("alle", g)) for g in genders]
    lines += [([(jg, "alle") for jg in groups], ("alle", "alle"))]
    size = {
        **persons,
        **{(jg, "alle"): sum(persons.get((jg, g), 0) for g in genders) for jg in groups},
    }
    size.update({("alle", g): sum(persons.get((jg, g), 0) for jg in groups) for g in genders})
    for members, margin in lines:
        if margin in hidden:
            assert any(m in hidden for m in members), margin  # else the cells give it back
            continue
        h = [m for m in members if m in hidden and size.get(m, 0) > 0]
        assert not h or (len(h) >= 2 and sum(size[m] for m in h) >= 5), (margin, h)


# --------------------------------------------------------------------------- published


def test_published_series_equals_the_csv():
    raw = pd.read_csv(ROOT / "data" / "raw" / "published" / "sick_leave.csv")
    pref = raw.loc[raw["preferred"]]
    s = published_series(load_published("sick_leave", preferred_only=True))
    assert sorted(s["year"].unique()) == [2013, 2014, 2023, 2024, 2025]
    assert len(s) == len(pref)
    for year in (2013, 2014, 2023, 2024, 2025):
        a = s.loc[s["year"] == year, ["gender", "kind", "rate_pct", "source_document"]]
        b = pref.loc[pref["year"] == year, ["gender", "kind", "rate_pct", "source_document"]]
        key = ["gender", "kind"]
        pd.testing.assert_frame_equal(
            a.sort_values(key).reset_index(drop=True).astype(str),
            b.sort_values(key).reset_index(drop=True).astype(str),
        )
    assert row(s, year=2023, gender="M", kind="legemeldt").rate_pct == 1.70
    assert (
        row(s, year=2025, gender="K", kind="legemeldt").source_document
        == "000_d1bd28d31f4191f0.txt"
    )
    # a frame passed in is filtered to preferred rows
    full = load_published("sick_leave")
    assert len(published_series(full)) == len(pref)


def test_published_sick_leave_findings_are_the_quality_check():
    f = published_sick_leave_findings()
    expected = check_sick_leave_totals(
        load_published("sick_leave", preferred_only=True),
        load_published("pay_by_job_group", preferred_only=True),
        load_published("workforce", preferred_only=True),
    )
    pd.testing.assert_frame_equal(f, expected)
    r = row(f, year=2025, subject="legemeldt", check="sick_leave_total")
    # 0,6786·7,72 + 0,3214·3,33 = 6,31 against the published 7,30
    assert r.recomputed == pytest.approx(0.6786 * 7.72 + 0.3214 * 3.33)
    assert r.status == "avvik"


# --------------------------------------------------------------------------- benchmark


def test_no_benchmark_in_the_repository():
    # the sources do not give the state-administration average as a number
    b = load_benchmark()
    assert b.empty and list(b.columns) == benchmark_schema().names
    text = benchmark_statement(b, 2025)
    assert "ikke tilgjengelig" in text and "statlig forvaltning" in text


def test_benchmark_schema_comes_from_the_catalogue():
    entry = load_catalogue()["benchmarks_sick_leave"]
    assert entry.optional and entry.file == BENCHMARK_FILE
    assert entry.key == ("year", "benchmark", "kind")
    schema = benchmark_schema()
    assert schema.names == [
        "year",
        "benchmark",
        "kind",
        "rate_pct",
        "source_document",
        "source_section",
        "source_quote",
        "note",
        "preferred",
    ]
    assert schema.column("kind").allowed == ("legemeldt", "egenmeldt", "totalt")
    rate = schema.column("rate_pct")
    assert (rate.dtype, rate.min, rate.max, rate.nullable) == ("float", 0, 100, False)
    year = schema.column("year")
    assert (year.dtype, year.min, year.max) == ("int", 2000, 2100)
    # the empty frame has the types a loaded file would have
    empty = load_benchmark()
    assert [str(t) for t in empty.dtypes] == [
        "Int64",
        "string",
        "string",
        "float64",
        "string",
        "string",
        "string",
        "string",
        "boolean",
    ]


def _write_benchmark(tmp_path: Path, body: str, source: str) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "doc.txt").write_text(source, encoding="utf-8")
    p = tmp_path / "benchmarks_sick_leave.csv"
    p.write_text(",".join(benchmark_schema().names) + "\n" + body, encoding="utf-8")
    return p


def test_benchmark_file_is_validated_and_filtered(tmp_path):
    p = _write_benchmark(
        tmp_path,
        '2025,statlig forvaltning,totalt,5.8,doc.txt,Tabell 1,"staten 5,8 prosent",,true\n'
        '2025,statlig forvaltning,totalt,5.8,doc.txt,Tekst,"om lag 5,8",rounded,false\n',
        "Sykefraværet i staten 5,8 prosent i 2025, om lag 5,8.",
    )
    b = load_benchmark(p)
    assert len(b) == 1 and b.rate_pct.item() == 5.8 and b.source_section.item() == "Tabell 1"
    assert load_benchmark(p, year=2024).empty
    assert len(load_benchmark(p, year=2025, kind="totalt")) == 1
    text = benchmark_statement(b, 2025)
    assert "5,8" in text and "doc.txt" in text
    assert "ikke tilgjengelig" in benchmark_statement(b, 2024)
    assert load_benchmark(tmp_path / "nothing.csv").empty


def test_benchmark_file_with_errors_raises(tmp_path):
    p = _write_benchmark(
        tmp_path,
        '2025,statlig forvaltning,sykt,5.8,doc.txt,Tabell 1,"staten 5,8 prosent",,true\n'
        '2024,statlig forvaltning,totalt,6.1,doc.txt,Tabell 1,"not in the source",,true\n',
        "Sykefraværet i staten 5,8 prosent.",
    )
    with pytest.raises(DataValidationError) as e:
        load_benchmark(p)
    assert any(pr.column == "kind" for pr in e.value.problems)
    ok_kind = p.read_text(encoding="utf-8").replace("sykt", "totalt")
    p.write_text(ok_kind, encoding="utf-8")
    with pytest.raises(DataValidationError) as e:
        load_benchmark(p)
    assert any(pr.column == "source_quote" for pr in e.value.problems)


# --------------------------------------------------------------------------- key figures


def test_key_figures_structure_and_values():
    hr = synthetic(n=300, seed=10, years=(2024, 2025))
    kf = key_figures(2025, "syntetiske data", hr)
    assert list(kf) == [
        "year",
        "data_source",
        "rate_total_pct",
        "rate_certified_pct",
        "rate_self_pct",
        "by_gender",
        "rate_ratio_women_vs_men",
        "adjusted_rate_ratio",
    ]
    assert set(kf["by_gender"]) == {"K", "M"}
    assert set(kf["by_gender"]["K"]) == {"total_pct", "certified_pct", "self_pct"}
    assert set(kf["adjusted_rate_ratio"]) == {"estimate", "ci_low", "ci_high", "covariates"}
    assert kf["year"] == 2025 and kf["data_source"] == "syntetiske data"
    y = hr.loc[hr["year"] == 2025]
    cert, self_, x = y["sick_days_certified"], y["sick_days_self"], y["agreed_workdays"]
    assert kf["rate_certified_pct"] == pytest.approx(100 * cert.sum() / x.sum(), abs=1e-6)
    assert kf["rate_self_pct"] == pytest.approx(100 * self_.sum() / x.sum(), abs=1e-6)
    assert kf["rate_total_pct"] == pytest.approx(100 * (cert + self_).sum() / x.sum(), abs=1e-6)
    k, m = y["gender"] == "K", y["gender"] == "M"
    rk = 100 * cert[k].sum() / x[k].sum()
    rm = 100 * cert[m].sum() / x[m].sum()
    assert kf["by_gender"]["K"]["certified_pct"] == pytest.approx(rk, abs=1e-6)
    assert kf["by_gender"]["M"]["total_pct"] == pytest.approx(
        100 * (cert[m] + self_[m]).sum() / x[m].sum(), abs=1e-6
    )
    assert kf["rate_ratio_women_vs_men"] == pytest.approx(rk / rm, abs=1e-5)
    adj = adjusted_rate_ratio(y)
    assert kf["adjusted_rate_ratio"]["estimate"] == pytest.approx(adj.estimate, abs=1e-6)
    assert kf["adjusted_rate_ratio"]["covariates"] == ["job_group", "age_band"]
    assert (
        kf["adjusted_rate_ratio"]["ci_low"]
        < kf["adjusted_rate_ratio"]["estimate"]
        < kf["adjusted_rate_ratio"]["ci_high"]
    )
    with pytest.raises(ValueError):
        key_figures(2019, "x", hr)


# --------------------------------------------------------------------------- figures


def test_published_trend_has_gaps_not_lines():
    targets = load_published("sick_leave_targets", preferred_only=True)
    series = published_series(load_published("sick_leave", preferred_only=True))
    fig, alt = plot_published_trend(series, targets, load_benchmark())
    ax = fig.axes[0]
    women = next(line for line in ax.get_lines() if line.get_label() == "Kvinner")
    xs, ys = np.asarray(women.get_xdata()), np.asarray(women.get_ydata(), dtype=float)
    gap = (xs >= 2015) & (xs <= 2022)
    assert np.isnan(ys[gap]).all() and not np.isnan(ys[xs == 2014]).any()
    assert "7,72\u00a0%" in alt and "2015–2022" in alt and "5,9\u00a0%" in alt
    assert "ikke tilgjengelig" in alt
    plt.close(fig)


def test_rates_and_concentration_figures():
    hr = synthetic(n=200, seed=12)
    hr.loc[hr.index[:3], "job_group"] = "laerling"
    rates = protect_rate_table(
        sick_leave_rates(hr, by=("job_group", "gender"), margins=True), min_cell=5
    )
    fig, alt = plot_rates_by_group(rates, min_cell=5)
    n_shown = int(
        (
            ~rates["suppressed"]
            & (rates["kind"] == "legemeldt")
            & (rates["job_group"] != "alle")
            & (rates["gender"] != "alle")
        ).sum()
    )
    bars = sum(len(c.patches) for c in fig.axes[0].containers if hasattr(c, "patches"))
    assert bars == n_shown
    assert "Lærlinger" in alt and "Ikke vist" in alt
    plt.close(fig)
    conc = absence_concentration(hr)
    fig, alt = plot_concentration(lorenz_curve(hr), conc)
    # plain words in the report body: no Gini coefficient or «Lorenzkurve» (review item 35)
    g = conc.set_index("measure").loc["gini", "value"]
    assert f"{g:.2f}".replace(".", ",") not in alt and "Lorenzkurve" not in alt
    assert "Gini" not in alt and "Gini" not in "".join(t.get_text() for t in fig.axes[0].texts)
    top10 = conc.loc[(conc["measure"] == "top_share") & (conc["share"] == 0.10), "value"].item()
    assert f"De 10\u00a0% med mest fravær står for {round(100 * top10)}\u00a0%" in alt
    plt.close(fig)


def test_grouped_quasipoisson_equals_person_level_fit():
    """The fast cell-total fit gives the person-level quasi-Poisson estimates exactly."""
    import math

    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    from analysis.data.synthetic import synth_hr_large
    from analysis.sickleave.measures import add_age_band
    from analysis.sickleave.models import adjusted_rate_ratio

    hr = add_age_band(synth_hr_large(3000, 7).frame)
    res = adjusted_rate_ratio(hr, "legemeldt", se="model")
    d = hr.assign(y=hr["sick_days_certified"], female=(hr["gender"] == "K").astype(float))
    d = d.loc[d["agreed_workdays"] > 0]
    full = smf.glm(
        "y ~ female + C(job_group) + C(age_band)",
        data=d,
        family=sm.families.Poisson(),
        offset=np.log(d["agreed_workdays"]),
    ).fit(scale="X2")
    assert res.estimate == pytest.approx(math.exp(full.params["female"]), rel=1e-8)
    lo, hi = full.conf_int().loc["female"]
    assert res.ci_low == pytest.approx(math.exp(lo), rel=1e-6)
    assert res.ci_high == pytest.approx(math.exp(hi), rel=1e-6)
    assert res.dispersion == pytest.approx(full.scale, rel=1e-8)


@pytest.mark.parametrize("n", [8, 12, 15, 20])
def test_adjusted_ratio_on_tiny_data_does_not_crash(n):
    from analysis.data.synthetic import synth_hr
    from analysis.sickleave.models import adjusted_rate_ratio

    hr = synth_hr(2025, 1).frame.sample(n, random_state=1)
    res = adjusted_rate_ratio(hr)
    assert res.n_persons <= n  # NaN or infinite bounds are allowed, an exception is not
