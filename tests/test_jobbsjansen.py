"""Jobbsjansen: transition rates, follow-up, risk adjustment, published series, key figures.

Expected values are counted by hand from a 12-participant register or computed with
statsmodels directly (Wilson intervals, logistic regression), independently of the module.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from matplotlib.figure import Figure
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis.data.jobbsjansen_series import published_series
from analysis.data.published import load_published
from analysis.disclosure.register import suppress_rates
from analysis.jobbsjansen import measures as jj
from analysis.jobbsjansen import plots as jp
from analysis.jobbsjansen import tables as jt
from analysis.jobbsjansen.keyfigures import key_figures
from analysis.jobbsjansen.models import risk_adjusted
from analysis.jobbsjansen.texts import requirement_citation


def _published() -> pd.DataFrame:
    return load_published("jobbsjansen", preferred_only=True)


# id, project, municipality, gender, age, target group, start, end, exit status, status_1y
ROWS = [
    (1, "P1", "Oslo", "K", 30, "hjemmevaerende", "2023-01-10", "2024-02-01", "arbeid", "arbeid"),
    (2, "P1", "Oslo", "K", 22, "hjemmevaerende", "2023-02-01", "2024-03-15", "utdanning", "ukjent"),
    (
        3,
        "P1",
        "Oslo",
        "M",
        20,
        "ungdom",
        "2023-03-01",
        "2024-05-30",
        "arbeid_og_utdanning",
        "arbeid_og_utdanning",
    ),
    (4, "P1", "Oslo", "K", 45, "sosialhjelp", "2023-01-05", "2024-06-30", "annet", "ledig_tiltak"),
    (5, "P2", "Bergen", "K", 41, "sosialhjelp", "2023-04-01", "2024-01-20", "utfaset", "arbeid"),
    (6, "P2", "Bergen", "K", 35, "overgangsstonad", "2023-05-01", "2024-08-01", "arbeid", ""),
    (7, "P2", "Bergen", "K", 52, "overgangsstonad", "2023-06-01", "2024-12-31", "annet", "annet"),
    (8, "P2", "Bergen", "K", 33, "hjemmevaerende", "2024-01-01", "", "", ""),
    (
        9,
        "P3",
        "Drammen",
        "K",
        27,
        "familiegjenforent",
        "2023-02-01",
        "2024-04-01",
        "arbeid",
        "utdanning",
    ),
    (10, "P3", "Drammen", "M", 19, "ungdom", "2023-09-01", "2024-02-15", "utfaset", ""),
    (11, "P3", "Drammen", "M", 38, "annet", "2022-06-01", "2023-11-30", "arbeid", "arbeid"),
    (12, "P3", "Drammen", "K", 24, "ungdom", "2024-03-01", "", "", ""),
]
COLUMNS = [
    "participant_id",
    "project_id",
    "municipality",
    "gender",
    "age",
    "target_group",
    "start_date",
    "end_date",
    "exit_status",
    "status_1y",
]


@pytest.fixture
def register() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=COLUMNS)


@pytest.fixture
def register_no_followup(register) -> pd.DataFrame:
    return register.drop(columns="status_1y")


# By hand, exit year 2024: ended 1–7, 9, 10 (9); utfaset 5, 10 (2); completed 7;
# transitions 1, 2, 3, 6, 9 (5): arbeid 1, 6, 9; utdanning 2; both 3; annet 4, 7.
# 8 and 12 are still in the programme; 11 ended in 2023.


def wilson_sm(k, n):
    return proportion_confint(k, n, alpha=0.05, method="wilson")


# ----------------------------------------------------------------------------- rates


def test_total_rate_counted_by_hand(register):
    t = jj.transition_rates(register, 2024).iloc[0]
    assert t["n_ended"] == 9
    assert t["n_completed"] == 7
    assert t["n_phased_out"] == 2
    assert t["n_transition"] == 5
    assert (t["n_work"], t["n_education"], t["n_both"], t["n_other"]) == (3, 1, 1, 2)
    assert t["transition_rate"] == pytest.approx(5 / 7)
    lo, hi = wilson_sm(5, 7)
    assert (t["ci_low"], t["ci_high"]) == pytest.approx((lo, hi))


def test_phased_out_inside_denominator_as_second_figure(register):
    t = jj.transition_rates(register, 2024).iloc[0]
    assert t["transition_rate_incl_phased_out"] == pytest.approx(5 / 9)
    lo, hi = wilson_sm(5, 9)
    assert t["ci_low_incl_phased_out"] == pytest.approx(lo)
    assert t["ci_high_incl_phased_out"] == pytest.approx(hi)


def test_still_in_programme_never_counts(register):
    base = jj.transition_rates(register, 2024).iloc[0]
    more = pd.concat(
        [
            register,
            pd.DataFrame(
                [(13, "P1", "Oslo", "K", 40, "annet", "2024-05-01", None, None, None)],
                columns=COLUMNS,
            ),
        ],
        ignore_index=True,
    )
    t = jj.transition_rates(more, 2024).iloc[0]
    assert t["n_ended"] == base["n_ended"] and t["transition_rate"] == base["transition_rate"]


def test_other_exit_year(register):
    t = jj.transition_rates(register, 2023).iloc[0]
    assert (t["n_completed"], t["n_transition"]) == (1, 1)
    empty = jj.transition_rates(register, 2019).iloc[0]
    assert empty["n_completed"] == 0 and math.isnan(empty["transition_rate"])


def test_by_target_group_and_project(register):
    tg = jj.transition_rates(register, 2024, by="target_group").set_index("target_group")
    # code order, only groups that ended in 2024 ('annet' ended in 2023)
    assert list(tg.index) == [
        "hjemmevaerende",
        "overgangsstonad",
        "sosialhjelp",
        "familiegjenforent",
        "ungdom",
    ]
    assert tg.loc["hjemmevaerende", ["n_completed", "n_transition"]].tolist() == [2, 2]
    assert tg.loc["ungdom", ["n_completed", "n_transition", "n_phased_out"]].tolist() == [1, 1, 1]
    assert tg.loc["sosialhjelp", "transition_rate"] == 0.0
    proj = jj.transition_rates(register, 2024, by="project_id").set_index("project_id")
    assert proj["n_completed"].tolist() == [4, 2, 1]
    assert proj["n_transition"].tolist() == [3, 1, 1]
    assert proj.loc["P2", "n_phased_out"] == 1
    lo, hi = wilson_sm(3, 4)
    assert proj.loc["P1", "ci_low"] == pytest.approx(lo)
    assert proj.loc["P1", "ci_high"] == pytest.approx(hi)


def test_age_bands(register):
    assert jj.age_band([18, 24, 25, 29, 30, 39, 40, 49, 50, 60]).astype(str).tolist() == [
        "<25",
        "<25",
        "25-29",
        "25-29",
        "30-39",
        "30-39",
        "40-49",
        "40-49",
        "50+",
        "50+",
    ]
    ab = jj.transition_rates(register, 2024, by="age_band").set_index("age_band")
    # ages of those ending in 2024: 30, 22, 20, 45, 41, 35, 52, 27, 19
    assert ab["n_ended"].to_dict() == {"<25": 3, "25-29": 1, "30-39": 2, "40-49": 2, "50+": 1}


def test_by_dimension_stack(register):
    t = jj.transition_rates_by_dimension(register, 2024)
    assert t.iloc[0]["dimension"] == "alle" and t.iloc[0]["group"] == "alle"
    assert list(t["dimension"].unique()) == ["alle", *jj.DIMENSIONS]
    for dim in jj.DIMENSIONS:
        assert t.loc[t["dimension"] == dim, "n_completed"].sum() == 7
    g = t.loc[t["dimension"] == "gender"].set_index("group")
    # completers 1, 2, 4, 6, 7, 9 are women, 3 is a man (10, a man, was phased out)
    assert g.loc["K", "n_completed"] == 6 and g.loc["M", "n_completed"] == 1
    assert g.loc["M", "n_phased_out"] == 1


def test_suppression(register):
    t = suppress_rates(jj.transition_rates_by_dimension(register, 2024), min_cell=3)
    proj = t.loc[t["dimension"] == "project_id"].set_index("group")
    # P3 (1) is below 3; P2 (2) too: both hidden by primary suppression
    assert proj["suppressed"].tolist() == [False, True, True]
    assert proj.loc["P1", "transition_rate"] == pytest.approx(0.75)
    assert math.isnan(proj.loc["P2", "transition_rate"])
    assert not t.loc[t["dimension"] == "alle", "suppressed"].iloc[0]
    one_way = pd.DataFrame(
        {"group": ["a", "b", "c"], "n_completed": [3, 10, 12], "transition_rate": [0.3, 0.5, 0.6]}
    )
    s = suppress_rates(one_way)
    assert s["suppressed"].tolist() == [True, True, False]  # secondary: 'b' as well


def test_register_checks(register):
    bad = register.copy()
    bad.loc[0, "exit_status"] = ""
    with pytest.raises(ValueError, match="end_date"):
        jj.transition_rates(bad, 2024)
    bad = register.copy()
    bad.loc[0, "exit_status"] = "jobb"
    with pytest.raises(ValueError, match="exit_status: ukjente koder"):
        jj.transition_rates(bad, 2024)
    with pytest.raises(ValueError, match="registeret mangler kolonnene"):
        jj.transition_rates(register.drop(columns="exit_status"), 2024)


def test_rates_by_exit_year(register):
    r = jj.rates_by_exit_year(register).set_index("year")
    assert list(r.index) == [2023, 2024]
    assert r.loc[2023, "transition_rate"] == 1.0
    assert r.loc[2024, "transition_rate"] == pytest.approx(5 / 7)


# ----------------------------------------------------------------------------- follow-up


def test_followup_by_hand(register):
    f = jj.followup_rate(register, 2024).set_index("measure")
    # completers 1, 2, 3, 4, 6, 7, 9: status arbeid, ukjent, both, ledig_tiltak, (missing),
    # annet, utdanning → known 5, in work/education 3 (1, 3, 9); 5 (utfaset, arbeid) is out
    assert f.loc["known_status", "n"] == 5
    assert f.loc["known_status", "n_work_or_education"] == 3
    assert f.loc["known_status", "n_unknown"] == 2
    assert f.loc["known_status", "rate"] == pytest.approx(3 / 5)
    assert f.loc["all_completers", "n"] == 7
    assert f.loc["all_completers", "rate"] == pytest.approx(3 / 7)
    assert list(f.index) == ["all_completers", "known_status"]
    lo, hi = wilson_sm(3, 5)
    assert (f.loc["known_status", "ci_low"], f.loc["known_status", "ci_high"]) == pytest.approx(
        (lo, hi)
    )


def test_followup_absent(register_no_followup):
    assert jj.followup_rate(register_no_followup, 2024) is None


# ----------------------------------------------------------------------------- risk model


def simulated_register(seed: int = 5, n: int = 900) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    proj = rng.integers(0, 15, n)
    tg = rng.choice(["hjemmevaerende", "overgangsstonad", "sosialhjelp", "ungdom"], n)
    age = rng.integers(18, 56, n)
    gender = rng.choice(["K", "M"], n, p=[0.75, 0.25])
    start = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 300, n), "D")
    end = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), "D")
    lin = 0.8 + 0.5 * (tg == "ungdom") - 0.6 * (tg == "sosialhjelp") - 0.02 * (age - 35)
    trans = rng.random(n) < 1 / (1 + np.exp(-lin))
    status = np.where(
        trans,
        rng.choice(["arbeid", "utdanning", "arbeid_og_utdanning"], n),
        rng.choice(["annet", "annet", "utfaset"], n),
    )
    return pd.DataFrame(
        {
            "participant_id": np.arange(n),
            "project_id": [f"P{p:02d}" for p in proj],
            "municipality": [f"K{p % 5}" for p in proj],
            "gender": gender,
            "age": age,
            "target_group": tg,
            "start_date": start,
            "end_date": end,
            "exit_status": status,
        }
    )


def test_risk_model_matches_direct_statsmodels_fit():
    reg = simulated_register()
    ra = risk_adjusted(reg, 2024)
    # the same model fitted directly: completers only, bands by hand, formula interface
    d = reg.loc[reg["exit_status"] != "utfaset"].copy()
    d["y"] = d["exit_status"].isin(["arbeid", "utdanning", "arbeid_og_utdanning"]).astype(int)
    d["band"] = np.select(
        [d["age"] < 25, d["age"] < 30, d["age"] < 40, d["age"] < 50],
        ["<25", "25-29", "30-39", "40-49"],
        "50+",
    )
    fit = smf.logit(
        "y ~ C(target_group, Treatment('hjemmevaerende'))"
        " + C(band, Treatment('<25')) + C(gender, Treatment('K'))",
        data=d,
    ).fit(disp=0)
    assert ra.n == len(d)
    coef = ra.coefficients.set_index("term")
    assert coef.loc["const", "coef"] == pytest.approx(fit.params["Intercept"], rel=1e-6)
    for level in ["overgangsstonad", "sosialhjelp", "ungdom"]:
        name = f"C(target_group, Treatment('hjemmevaerende'))[T.{level}]"
        assert coef.loc[f"target_group[{level}]", "coef"] == pytest.approx(
            fit.params[name], rel=1e-6
        )
        assert coef.loc[f"target_group[{level}]", "std_err"] == pytest.approx(
            fit.bse[name], rel=1e-5
        )
        assert coef.loc[f"target_group[{level}]", "odds_ratio"] == pytest.approx(
            math.exp(fit.params[name]), rel=1e-6
        )
    for band in ["25-29", "30-39", "40-49", "50+"]:
        assert coef.loc[f"age_band[{band}]", "coef"] == pytest.approx(
            fit.params[f"C(band, Treatment('<25'))[T.{band}]"], rel=1e-6
        )
    assert coef.loc["gender[M]", "coef"] == pytest.approx(
        fit.params["C(gender, Treatment('K'))[T.M]"], rel=1e-6
    )
    assert ra.fit["llf"] == pytest.approx(fit.llf)

    d["p"] = fit.predict(d)
    per = ra.per_project.set_index("project_id")
    by = d.groupby("project_id")
    assert per["observed"].to_dict() == pytest.approx(by["y"].sum().astype(float).to_dict())
    assert per["expected"].to_dict() == pytest.approx(by["p"].sum().to_dict(), rel=1e-6)
    var = by.apply(lambda g: (g["p"] * (1 - g["p"])).sum())
    assert per["variance"].to_dict() == pytest.approx(var.to_dict(), rel=1e-6)
    assert per["observed"].sum() == pytest.approx(per["expected"].sum())  # intercept: ΣO = ΣE
    # exact Poisson (Garwood) interval for one project, E fixed
    o, e = per.iloc[0]["observed"], per.iloc[0]["expected"]
    assert per.iloc[0]["ci_low_poisson"] == pytest.approx(stats.chi2.ppf(0.025, 2 * o) / 2 / e)
    assert per.iloc[0]["ci_high_poisson"] == pytest.approx(stats.chi2.ppf(0.975, 2 * o + 2) / 2 / e)
    assert per.iloc[0]["ci_high"] == pytest.approx(
        (o + 1.959964 * math.sqrt(per.iloc[0]["variance"])) / e, rel=1e-6
    )
    assert ra.funnel.data_type == "SR" and ra.funnel.method == "bernoulli"
    assert len(ra.funnel.per_project) == 15


def test_risk_model_drops_single_level_covariate():
    reg = simulated_register()
    reg["gender"] = "K"
    ra = risk_adjusted(reg, 2024)
    assert ra.dropped_covariates == ("gender",)
    assert "gender[M]" not in set(ra.coefficients["term"])


# ----------------------------------------------------------------------------- published


def test_published_series():
    s = published_series()
    tr = s.loc[s["series"] == "transition_rate"].set_index("year_start")
    assert tr["value_pct"].to_dict() == {2012: 52.0, 2013: 60.0, 2024: 72.0}
    assert tr.loc[2012, "programme"] == "Ny sjanse"
    rng_min = s.loc[s["series"] == "transition_rate_min"].iloc[0]
    rng_max = s.loc[s["series"] == "transition_rate_max"].iloc[0]
    assert (rng_min["year_start"], rng_min["year_end"]) == (2020, 2024)
    assert pd.isna(rng_min["year"])
    assert (rng_min["value_pct"], rng_max["value_pct"]) == (72.0, 79.0)
    fu = s.loc[s["series"] == "followup_1y_rate"].iloc[0]
    assert (fu["year"], fu["value_pct"], fu["share"]) == (2021, 77.0, 0.77)
    assert "77 prosent" in fu["citation"]
    target = s.loc[s["series"] == "target"].iloc[0]
    req = s.loc[s["series"] == "requirement"].iloc[0]
    assert (target["year"], target["value_pct"]) == (2014, 60.0)
    assert (req["year"], req["value_pct"]) == (2014, 55.0)
    assert s["citation"].str.len().gt(0).all()


def test_requirement_citation():
    text = requirement_citation()
    assert "Målet er at 60 prosent" in text
    assert "55" in text
    assert "Tildelingsbrevet 2023" in text and "ikke noe tallkrav" in text
    assert "ikke funnet" in requirement_citation(65)


def test_cost_per_participant(register):
    c = jj.cost_per_participant(_published()).set_index("year")
    assert list(c.index) == [2014, 2024]
    assert c.loc[2014, "cost_per_participant_nok"] == pytest.approx(87e6 / 1360)
    assert c.loc[2024, "cost_per_participant_nok"] == pytest.approx(130.6e6 / 1300)
    assert c.loc[2024, "bound"] == "upper" and c.loc[2014, "bound"] == "approximate"
    assert c["approximate"].all()
    with_reg = jj.cost_per_participant(_published(), register=register).set_index("year")
    assert with_reg.loc[2024, "n_transition"] == 5
    assert with_reg.loc[2024, "cost_per_transition_nok"] == pytest.approx(130.6e6 / 5)


# ----------------------------------------------------------------------------- key figures

KEYS = {
    "year",
    "data_source",
    "n_completed",
    "n_transition",
    "transition_rate",
    "ci_low",
    "ci_high",
    "transition_rate_incl_phased_out",
    "by_target_group",
    "funnel",
    "funnel_funnelplotr",
    "followup_1y_rate",
}


def test_key_figures_structure(register):
    kf = key_figures(2024, "test", register, min_cell=2)
    assert set(kf) == KEYS
    assert kf["year"] == 2024 and kf["data_source"] == "test"
    assert (kf["n_completed"], kf["n_transition"]) == (7, 5)
    assert kf["transition_rate"] == pytest.approx(5 / 7)
    assert 0 <= kf["ci_low"] < kf["transition_rate"] < kf["ci_high"] <= 1
    assert kf["transition_rate_incl_phased_out"] == pytest.approx(5 / 9)
    groups = kf["by_target_group"]
    assert set(groups) == {
        "hjemmevaerende",
        "overgangsstonad",
        "sosialhjelp",
        "familiegjenforent",
        "ungdom",
    }
    # n_completed 1 (< 2): suppressed as null
    assert groups["ungdom"] is None and groups["sosialhjelp"] is None
    assert groups["hjemmevaerende"] == pytest.approx(
        {
            "n_completed": 2,
            "n_transition": 2,
            "rate": 1.0,
            "ci_low": wilson_sm(2, 2)[0],
            "ci_high": wilson_sm(2, 2)[1],
        }
    )
    funnel_keys = {"method", "target", "dispersion_ratio", "tau2", "outside_95", "outside_99_8"}
    assert set(kf["funnel"]) == set(kf["funnel_funnelplotr"]) == funnel_keys
    assert kf["funnel"]["method"] == "calibrated"
    assert kf["funnel_funnelplotr"]["method"] == "funnelplotr"
    assert kf["funnel"]["target"] == pytest.approx(5 / 7)
    assert kf["followup_1y_rate"] == pytest.approx(3 / 7)  # ukjent counted as not
    import json

    json.dumps(kf)  # plain JSON types


def test_key_figures_default_suppression_and_no_followup(register_no_followup):
    kf = key_figures(2024, "test", register_no_followup)
    assert all(v is None for v in kf["by_target_group"].values())  # every group < 5
    assert kf["n_completed"] == 7  # the total rests on 7 ≥ 5
    assert kf["followup_1y_rate"] is None


def test_key_figures_uses_given_funnel(register):
    f = jj.project_funnel(register, 2024, adjust="none")
    kf = key_figures(2024, "test", register, funnel=f)
    assert kf["funnel"]["outside_95"] == f.outside_95


# ----------------------------------------------------------------------------- plots


def test_plots_return_figure_and_alt_text():
    reg = simulated_register()
    f = jj.project_funnel(reg, 2024)
    fig, alt = jp.plot_funnel(f, "Overgang etter prosjekt")
    assert isinstance(fig, Figure) and "ett punkt for hvert av" in alt
    assert str(len(f.per_project)) in alt
    for lab in f.outside_99_8:
        assert lab in alt
    plt.close(fig)
    ra = risk_adjusted(reg, 2024)
    fig, alt = jp.plot_funnel(ra.funnel, "Risikojustert")
    assert "forholdet mellom observert og forventet antall overganger" in alt
    plt.close(fig)
    fig, alt = jp.plot_trend(jj.rates_by_exit_year(reg), published_series())
    assert "72\u00a0%" in alt and "77\u00a0%" in alt and "Ny sjanse" in alt
    assert "mål 60\u00a0%" in alt
    plt.close(fig)
    t = suppress_rates(jj.transition_rates_by_dimension(reg, 2024), min_cell=5)
    fig, alt = jp.plot_rates_by_group(t, dimension="target_group", total=0.7)
    assert "Ungdom" in alt and "Totalt" in alt
    plt.close(fig)


def test_group_plot_names_suppressed_groups(register):
    t = suppress_rates(jj.transition_rates_by_dimension(register, 2024), min_cell=3)
    fig, alt = jp.plot_rates_by_group(t, dimension="project_id")
    assert "P1 75,0\u00a0%" in alt
    assert "Skjult" in alt and "P2" in alt and "P3" in alt
    plt.close(fig)


def test_key_figures_year_without_completers(register):
    kf = key_figures(2019, "test", register)
    assert set(kf) == KEYS
    assert kf["n_completed"] == 0 and kf["transition_rate"] is None
    assert kf["by_target_group"] == {}
    assert kf["funnel"]["target"] is None and kf["funnel"]["outside_95"] == []
    assert kf["followup_1y_rate"] is None


# ----------------------------------------------------------------------------- display


def _pct(x: float) -> str:
    """A share as IMDi writes it: one decimal, decimal comma, no-break space before %."""
    return f"{100 * x:.1f}".replace(".", ",") + "\u00a0%"


def test_report_tables_show_a_result_computed_in_a_cell(register):
    """The report's own tables and figures take the result they show, so rates computed in a
    notebook cell (here from the 12-participant register, counted by hand) print the same way
    as in the report."""
    rates = suppress_rates(jj.transition_rates_by_dimension(register, 2024), min_cell=1)
    html = jt.html_group_table(rates, "gender", year=2024, min_cell=1)
    assert (
        "<caption>Overgang til arbeid og/eller utdanning etter kjønn, avsluttet i 2024 "
        "(registerdata)</caption>"
    ) in html
    # women: completers 1, 2, 4, 6, 7, 9 (6), transitions 1, 2, 6, 9 (4); with the
    # phased-out 5 in the denominator 4 of 7
    lo, hi = wilson_sm(4, 6)
    assert (
        '<th scope="row">Kvinner</th><td class="num">6</td><td class="num">4</td>'
        f'<td class="num">{_pct(4 / 6)}</td>'
        f'<td class="num">{_pct(lo).removesuffix(chr(0xA0) + "%")}–{_pct(hi)}</td>'
        f'<td class="num">{_pct(4 / 7)}</td>'
    ) in html
    # projects at min_cell 3: only P1 (completers 1–4, transitions 1–3) may be named
    proj = suppress_rates(jj.transition_rates_by_dimension(register, 2024), min_cell=3)
    listed = proj.loc[(proj["dimension"] == "project_id") & ~proj["suppressed"]]
    html = jt.html_project_table(
        listed.rename(columns={"group": "project_id"}), year=2024, n_total=3, min_cell=3
    )
    assert '<th scope="row">P1</th><td class="num">3 av 4</td>' in html
    assert "2 av 3 prosjekter er ikke vist, fordi de har færre enn 3 deltakere" in html
    fig, alt = jp.group_figure(rates, "gender", min_cell=1)
    assert f"Kvinner {_pct(4 / 6)}" in alt and f"Totalt: {_pct(5 / 7)}" in alt
    plt.close(fig)
    fig, alt = jp.funnel_figure(jj.project_funnel(register, 2024), year=2024)
    assert fig.axes[0].get_title().endswith("per prosjekt, 2024") and "3 prosjekter" in alt
    plt.close(fig)
