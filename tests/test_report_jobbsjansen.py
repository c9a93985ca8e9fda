"""The Jobbsjansen report: build per year, key figures, published figures, disclosure control.

Fast tests call :func:`analysis.jobbsjansen.report.build` directly (no Jupyter); one slow
test runs the notebook through the pipeline.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.data.published import load_published
from analysis.data.synthetic import synth_jobbsjansen, write_synthetic
from analysis.disclosure.register import HIDDEN_LABEL
from analysis.jobbsjansen import measures as jj
from analysis.jobbsjansen import plots, tables, texts
from analysis.jobbsjansen import report as J
from analysis.jobbsjansen.keyfigures import key_figures
from analysis.jobbsjansen.labels import group_label
from analysis.render.keyfigures import to_jsonable

# builds each year's report (slow tier: `make test-slow`, `make test-all`)
pytestmark = pytest.mark.slow

ISSUE_KEYS = {
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
PUBLISHED_KEYS = {
    "published_transition_rate_pct",
    "published_projects",
    "published_municipalities",
    "published_city_districts",
    "published_budget_mnok",
    "published_participants",
    "published_participants_qualifier",
    "published_participants_group",
}
EXTRA_KEYS = {"person_data_source", "synthetic", *PUBLISHED_KEYS}
FUNNEL_KEYS = {"method", "target", "dispersion_ratio", "tau2", "outside_95", "outside_99_8"}
NO_PUBLISHED_YEAR = 2026


def _published_rates() -> dict[int, float]:
    pub = load_published("jobbsjansen", preferred_only=True)
    rows = pub.loc[
        (pub["indicator"] == "transition_rate_pct") & (pub["group"] == "alle") & pub["year"].notna()
    ]
    return {int(y): float(v) for y, v in zip(rows["year"], rows["value"], strict=True)}


PUBLISHED = _published_rates()
YEARS = [*sorted(PUBLISHED), NO_PUBLISHED_YEAR]


@pytest.fixture(scope="module")
def reports() -> dict[int, J.JobbsjansenReport]:
    return {y: J.build(y) for y in YEARS}


@pytest.fixture(scope="module")
def strict() -> J.JobbsjansenReport:
    """2024 with a high threshold, so that groups, projects and municipalities are hidden."""
    return J.build(2024, min_cell=20)


def _strings(r: J.JobbsjansenReport) -> list[str]:
    """Every HTML table, text and alt text the module returns for a report."""
    out = [
        tables.html_outcomes_table(
            r.outcomes, year=r.year, synthetic=r.synthetic, min_cell=r.min_cell
        ),
        tables.html_municipality_table(
            r.municipalities,
            n_total=r.n_municipalities,
            year=r.year,
            synthetic=r.synthetic,
            min_cell=r.min_cell,
        ),
        tables.html_project_table(
            r.projects,
            n_total=r.n_projects,
            year=r.year,
            synthetic=r.synthetic,
            min_cell=r.min_cell,
        ),
        tables.html_model_table(
            r.model_table, r.risk.fit, year=r.year, synthetic=r.synthetic, min_cell=r.min_cell
        ),
        tables.html_series_table(r.published),
        tables.html_cost_table(r.cost, synthetic=r.synthetic),
        texts.headline_text(r),
        texts.published_comparison_text(r),
        texts.funnel_text(r),
        texts.funnel_text(r, risk=True),
        texts.risk_text(r),
        texts.followup_text(r),
        texts.trend_text(r),
        texts.requirement_text(r),
        texts.cost_text(r),
        texts.ssb_followup_text(r),
        texts.sources_text(r),
        texts.model_method_text(r),
        texts.published_comparison_text(r),
        *texts.hovedfunn(r),
        *(f"{k} {v}" for k, v in texts.key_cards(r)),
        texts.hidden_text("project_id", r.n_projects_hidden, r.n_projects, r.min_cell),
        texts.hidden_text(
            "municipality", r.n_municipalities_hidden, r.n_municipalities, r.min_cell
        ),
    ]
    out += [
        tables.html_group_table(r.rates, d, year=r.year, synthetic=r.synthetic, min_cell=r.min_cell)
        for d in ("target_group", "gender", "age_band")
    ]
    if len(r.published_year):
        out.append(tables.html_published_table(r.published_year, year=r.year))
    if r.followup is not None:
        out.append(tables.html_followup_table(r.followup, year=r.year, synthetic=r.synthetic))
    for fig, alt in (
        *(
            plots.group_figure(r.rates, d, min_cell=r.min_cell)
            for d in ("target_group", "gender", "age_band")
        ),
        plots.funnel_figure(r.funnel, year=r.year),
        plots.funnel_figure(r.risk.funnel, year=r.year),
    ):
        plt.close(fig)
        out.append(alt)
    return out


def _rows(html: str) -> dict[str, list[str]]:
    """Row header → data cells of an html_table."""
    return {
        head: re.findall(r"<td[^>]*>(.*?)</td>", rest)
        for head, rest in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', html)
    }


def test_published_years_are_the_expected_ones():
    assert {2012, 2013, 2024} <= set(PUBLISHED)
    assert NO_PUBLISHED_YEAR not in PUBLISHED


@pytest.mark.parametrize("year", YEARS)
def test_build_every_published_year_and_fallback(reports, year):
    r = reports[year]
    assert r.year == year and r.synthetic and r.person.data_source == "synthetic"
    # the total counted by hand from the register: ended in the year, utfaset apart, the
    # three transition statuses; the Wilson interval from statsmodels (a second method)
    reg = r.person.frame
    ended = reg.loc[pd.to_datetime(reg["end_date"]).dt.year == year, "exit_status"]
    counts = ended.value_counts()
    n_completed = len(ended) - counts.get("utfaset", 0)
    n_transition = sum(counts.get(s, 0) for s in ("arbeid", "utdanning", "arbeid_og_utdanning"))
    assert r.total["n_completed"] == n_completed > 0
    assert r.total["n_phased_out"] == counts.get("utfaset", 0)
    assert r.total["n_transition"] == n_transition
    assert r.total_rate == pytest.approx(n_transition / n_completed, rel=1e-12)
    low, high = proportion_confint(n_transition, n_completed, alpha=0.05, method="wilson")
    assert (r.total["ci_low"], r.total["ci_high"]) == (
        pytest.approx(low, rel=1e-9),
        pytest.approx(high, rel=1e-9),
    )
    assert r.funnel is not None and r.risk is not None and r.model_table is not None
    assert len(r.projects) + r.n_projects_hidden == r.n_projects
    if year in PUBLISHED:
        assert r.published_rate is not None
        assert float(r.published_rate["value_pct"]) == PUBLISHED[year]
        assert len(r.published_year) and (r.published_year["year"] == year).any()
    else:
        assert r.published_rate is None and r.published_year.empty
        assert r.person.calibration_year in PUBLISHED
        assert "ikke publisert" in texts.published_comparison_text(r)
    assert all(_strings(r))


@pytest.mark.parametrize("year", YEARS)
def test_key_figures_have_exactly_the_keys(reports, year):
    kf = reports[year].key_figures
    assert set(kf) == ISSUE_KEYS | EXTRA_KEYS
    assert set(kf["funnel"]) == set(kf["funnel_funnelplotr"]) == FUNNEL_KEYS
    assert (kf["funnel"]["method"], kf["funnel_funnelplotr"]["method"]) == (
        "calibrated",
        "funnelplotr",
    )
    assert kf["year"] == year and kf["data_source"] == "synthetic"
    assert kf["person_data_source"] == "synthetic" and kf["synthetic"] is True
    assert kf["published_transition_rate_pct"] == PUBLISHED.get(year)
    json.dumps(to_jsonable(kf))
    # the issue's keys as analysis.jobbsjansen.keyfigures.key_figures gives them (same funnel)
    r = reports[year]
    ref = key_figures(year, "synthetic", r.person.frame, min_cell=r.min_cell)
    for key in ISSUE_KEYS - {"funnel", "funnel_funnelplotr"}:
        assert kf[key] == ref[key], key
    for fk in ("funnel", "funnel_funnelplotr"):
        for key in ("target", "dispersion_ratio", "tau2"):
            assert kf[fk][key] == pytest.approx(ref[fk][key])
        for key in ("outside_95", "outside_99_8"):
            named = [p for p in ref[fk][key] if p in set(r.projects["project_id"])]
            n_hidden = len(ref[fk][key]) - len(named)
            # named outliers as analysis.jobbsjansen.measures gives them, hidden ones last and
            # unnamed
            assert kf[fk][key] == named + [HIDDEN_LABEL] * n_hidden


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_synthetic_rate_within_one_point_of_published(reports, year):
    kf = reports[year].key_figures
    assert abs(100 * kf["transition_rate"] - kf["published_transition_rate_pct"]) <= 1.0


def test_suppressed_groups_carry_no_values():
    r = J.build(2024, min_cell=40)
    hidden = r.rates.loc[
        r.rates["suppressed"] & r.rates["dimension"].isin(["target_group", "gender", "age_band"])
    ]
    # a threshold of 40 hides «annet» and «50 år og over», and a partner of each
    assert len(hidden) >= 4
    for dim in ("target_group", "gender", "age_band"):
        rows = _rows(
            tables.html_group_table(
                r.rates, dim, year=r.year, synthetic=r.synthetic, min_cell=r.min_cell
            )
        )
        for g in hidden.loc[hidden["dimension"] == dim, "group"]:
            cells = rows[group_label(dim, g)]
            assert cells and all(c == ":" for c in cells), (dim, g, cells)
        part = r.rates.loc[(r.rates["dimension"] == dim) & ~r.rates["suppressed"]]
        for g, phased in zip(part["group"], part["n_phased_out"], strict=True):
            cells = rows[group_label(dim, g)]
            # the last column (rate with the phased out in the denominator) is hidden on its
            # own exactly where the phased-out count is (analysis.disclosure.tables)
            assert ":" not in cells[:-1]
            assert (cells[-1] == ":") == bool(pd.isna(phased)), (dim, g, cells)
    model = _rows(
        tables.html_model_table(
            r.model_table, r.risk.fit, year=r.year, synthetic=r.synthetic, min_cell=r.min_cell
        )
    )
    for _, row in r.model_table.loc[r.model_table["suppressed"]].iterrows():
        assert all(c == ":" for c in model[row["label"]])


def test_hidden_projects_and_municipalities_are_never_named(strict):
    r = strict
    proj = r.rates.loc[r.rates["dimension"] == "project_id", "group"]
    mun = r.rates.loc[r.rates["dimension"] == "municipality", "group"]
    hidden_proj = set(proj) - set(r.projects["project_id"])
    hidden_mun = set(mun) - set(r.municipalities["municipality"])
    assert hidden_proj and hidden_mun and len(hidden_proj) == r.n_projects_hidden
    assert (r.projects["n_completed"] >= r.min_cell).all()
    assert (r.municipalities["n_completed"] >= r.min_cell).all()
    kf_text = json.dumps(to_jsonable(r.key_figures), ensure_ascii=False)
    assert HIDDEN_LABEL in kf_text  # hidden outliers are counted, not named
    for s in [*_strings(r), kf_text]:
        for p in hidden_proj:
            assert p not in s, p
        for m in hidden_mun:
            assert not re.search(rf"{re.escape(m)}(?!\d)", s), m
    # no hidden project is drawn or listed in either funnel
    for f in (r.funnel, r.risk.funnel):
        assert set(f.per_project["label"]) == set(r.projects["project_id"])
    assert set(r.risk.per_project["project_id"]) == set(r.projects["project_id"])


def test_municipality_with_a_hidden_project_is_not_listed(strict):
    r = strict
    by_pm = jj.transition_rates(r.person.frame, r.year, by=["project_id", "municipality"])
    hidden = set(by_pm["project_id"].astype(str)) - set(r.projects["project_id"])
    tainted = set(by_pm.loc[by_pm["project_id"].astype(str).isin(hidden), "municipality"])
    assert tainted.isdisjoint(set(r.municipalities["municipality"]))


@pytest.mark.parametrize("year", [2024, 2012])
def test_no_participant_id_in_any_html(reports, year):
    r = reports[year]
    ids = set(r.person.frame["participant_id"].astype(str))
    assert ids
    for s in _strings(r):
        found = set(re.findall(r"[A-Za-z0-9_-]+", s)) & ids
        assert not found, found


def test_requirement_text_cites_the_2014_goal_and_the_silent_2023_letter(reports):
    text = texts.requirement_text(reports[2024])
    assert "60\u00a0%" in text and "årsrapport for 2014" in text and "gjelder 2014" in text
    assert "Målet er at 60 prosent" in text
    assert "Tildelingsbrevet 2023" in text and "ikke noe tallkrav" in text


def test_target_applies_only_to_the_year_it_was_set_for(reports):
    """The 60 % goal of the annual report 2014 («Målet er at 60 prosent …», seed 003) is the
    goal for 2014: 2012, 2013 and 2024 are not graded against it."""
    assert J.build(2014).target["value_pct"] == 60.0
    for year in (2012, 2013, 2024):
        r = reports[year]
        assert r.target is None
        sentence = texts.target_sentence(r)
        assert f"Det er ikke publisert noe tallfestet mål for {year}" in sentence
        assert not re.search(r"\b(over|under) målet", sentence), sentence
        points = " ".join(texts.hovedfunn(r))
        assert "over målet" not in points and "under målet" not in points
        assert "tilsvarer" not in points
        assert not re.search(r"(over|under) linjen på 60", texts.headline_text(r))
    # 2024: the 2023 tildelingsbrev has a styringsparameter without a number; 60 % only «til
    # sammenligning», as the goal for 2014
    text = texts.target_sentence(reports[2024])
    assert "tildelingsbrevet for 2023 har andelen som styringsparameter, men uten tallkrav" in text
    assert "Til sammenligning var målet for 2014 60\u00a0%" in text
    # before 2014 there is no earlier target to compare with
    assert "sammenligning" not in texts.target_sentence(reports[2012])
    # the group figures draw no target line in a year without a target
    fig, _ = plots.group_figure(reports[2024].rates, "gender", min_cell=5)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    plt.close(fig)
    assert not any(lab.startswith("Mål") for lab in labels), labels


def test_target_line_in_figure_one_stops_where_the_target_applies(reports):
    r = reports[2024]
    fig, alt = plots.trend_figure(r.trend, r.published, synthetic=True, titled=False)
    ax = fig.axes[0]
    plt.close(fig)
    lines = [c for c in ax.collections if c.get_label() == "Mål for 2014: 60\u00a0%"]
    assert len(lines) == 1
    (seg,) = lines[0].get_segments()
    xs, ys = sorted(seg[:, 0]), set(seg[:, 1])
    # over 2014 only, not through 2024 (nor 2012)
    assert ys == {60.0} and 2013.5 <= xs[0] < 2014 < xs[1] <= 2014.5
    assert "målet gjelder bare 2014" in alt


def test_followup_kept_apart_and_not_available_without_status(reports):
    r = reports[2024]
    assert r.followup is None and r.key_figures["followup_1y_rate"] is None
    assert "ikke tilgjengelig" in texts.followup_text(r)
    # SSB's published 77 % (the 2021 cohort) is its own, quotable sentence
    assert "77\u00a0%" in texts.ssb_followup_text(r) and "2021" in texts.ssb_followup_text(r)
    r21 = J.build(2021)  # the synthetic register has status_1y only for 2021
    assert r21.followup is not None and r21.key_figures["followup_1y_rate"] is not None
    # a synthetic register: the follow-up is an illustration and says so
    assert texts.followup_text(r21).startswith(
        "I de syntetiske dataene var ett år etter avslutning"
    )


def test_cost_section_says_which_years_have_cost_data(reports):
    """A year without its own budget and participants (2012) says so and names the years."""
    text = texts.cost_text(reports[2012])
    assert text.startswith("For 2012 er ikke både bevilgning og antall deltakere publisert")
    assert "2014 og 2024" in text
    assert not texts.cost_text(reports[2024]).startswith("For 2024 er ikke")


def test_2012_is_ny_sjanse(reports):
    r = reports[2012]
    assert r.programme == "Ny sjanse" and reports[2013].programme == "Jobbsjansen"
    assert texts.report_title(r).startswith("Ny sjanse (forløperen til Jobbsjansen)")
    assert "deltakere Ny sjanse i 2012" in texts.headline_text(r)
    assert "Jobbsjansen i 2012" not in texts.headline_text(r)
    assert any("het Ny sjanse fram til 2013" in p for p in texts.hovedfunn(r))


def test_published_figures_are_not_repeated_in_the_year_table(reports):
    """Table 2 (the year's other published figures) does not repeat the rates of table 1."""
    r = reports[2024]
    series = _rows(tables.html_series_table(r.published))
    other = r.published_other
    assert set(other["indicator"]) == {
        "budget_mnok",
        "municipalities",
        "city_districts",
        "projects",
        "participants",
    }
    html = tables.html_published_table(other, year=r.year)
    assert "72\u00a0%" not in html and "79\u00a0%" not in html
    assert any("72\u00a0%" in cells for cells in series.values())
    # 2012 has only its rate: no second table, a sentence instead
    assert reports[2012].published_other.empty
    assert "bare publisert overgangsandelen, 52\u00a0%" in texts.no_other_published_text(
        reports[2012]
    )


def test_project_ids_do_not_wrap_but_stay_inert(reports):
    r = reports[2024]
    html = tables.html_project_table(
        r.projects, n_total=r.n_projects, year=r.year, synthetic=True, min_cell=5
    )
    heads = re.findall(r'<th scope="row">(.*?)</th>', html)
    assert heads == [p.replace("-", "\u2011") for p in r.projects["project_id"]]
    crafted = r.projects.head(1).assign(project_id="<b>X-1</b>")
    out = tables.html_project_table(crafted, n_total=1, year=r.year, min_cell=5)
    assert "&lt;b&gt;X\u20111&lt;/b&gt;" in out and "<b>" not in out


def test_alt_texts_use_plain_words(reports):
    r = reports[2024]
    for f in (r.funnel, r.risk.funnel):
        fig, alt = plots.funnel_figure(f, year=r.year)
        plt.close(fig)
        for jargon in ("φ", "τ", "funnel", "Traktplott", "O/F", "prosjekt(er)"):
            assert jargon not in alt, (jargon, alt)
    # the exact dispersion statistics stay in the appendix
    method = texts.model_method_text(r)
    assert "φ = " in method and "τ² = " in method


def test_synthetic_statements_say_so(reports):
    r = reports[2024]
    for text in (
        texts.headline_text(r),
        texts.funnel_text(r),
        texts.funnel_text(r, risk=True),
        texts.risk_text(r),
    ):
        assert text.startswith("I de syntetiske dataene "), text
    # no conclusions from synthetic data
    assert "fordi arbeidsmarkedet" not in texts.funnel_text(r)
    assert "forhold modellen ikke kjenner" not in texts.risk_text(r)


def test_kilde_lines_read_cleanly(reports):
    r = reports[2024]
    assert texts.series_source(r.published) == (
        "IMDi, Årsrapport 2014 og Likestillingsutgreiing 2024"
    )
    assert texts.computed_source(True) == (
        "Beregnet fra syntetiske registerdata (illustrasjon, ikke IMDi-tall)"
    )
    assert "av IMDi" not in texts.computed_source(True)
    assert texts.cost_source(r) == (
        "Beregnet fra bevilgning og antall deltakere i IMDi, Årsrapport 2014 og "
        "Likestillingsutgreiing 2024"
    )
    assert texts.published_source(r.published_other) == (
        "IMDi, Likestillingsutgreiing 2024, avsnittet «Jobbsjansen» under «Tilskotsordningar»"
    )


def test_cost_is_marked_approximate(reports):
    r = reports[2024]
    assert set(r.cost["year"]) == {2014, 2024} and r.cost["approximate"].all()
    html = tables.html_cost_table(r.cost, synthetic=r.synthetic)
    assert "ca." in html and "høyst" in html and "Omtrentlig" in html
    assert r.cost.loc[r.cost["year"] == 2024, "n_transition"].iloc[0] == r.total["n_transition"]
    # with synthetic counts no cost per transition is shown (tests/test_quotable_jobbsjansen.py)
    assert "Per overgang" not in html


def test_inputs_are_the_published_table_and_catalogue(reports):
    inputs = reports[2024].inputs
    assert [Path(p).as_posix().split("data/raw/published/")[-1] for p in inputs] == [
        "jobbsjansen.csv",
        "catalogue.yaml",
    ]
    assert all(Path(p).is_file() for p in inputs)


def test_build_with_a_register_file(tmp_path):
    path = write_synthetic(synth_jobbsjansen(2026, 1), tmp_path / "js.csv")
    r = J.build(2026, jobbsjansen_data=str(path))
    assert r.person.path == path and str(path) in r.inputs
    assert r.synthetic  # recognised from the sidecar
    kf = r.key_figures
    assert kf["year"] == 2026 and kf["n_completed"] > 0
    assert kf["published_transition_rate_pct"] is None
    ids = set(r.person.frame["participant_id"].astype(str))
    for s in _strings(r):
        assert not set(re.findall(r"[A-Za-z0-9_-]+", s)) & ids


@pytest.mark.slow
def test_notebook_through_the_pipeline(default_reports):
    """The notebook as ``make reports`` builds it (the session's shared default build,
    tests/conftest.py)."""
    assert "2024/jobbsjansen" in json.loads((default_reports / ".fou-cache.json").read_text())
    page = (default_reports / "2024" / "jobbsjansen.html").read_text(encoding="utf-8")
    assert page.count("<h1") == 1
    assert '<html lang="nb">' in page
    assert "Syntetiske persondata." in page and "Illustrasjon på syntetiske data" in page
    imgs = re.findall(r"<img[^>]*>", page)
    assert imgs and all(re.search(r'alt="[^"]+"', i) for i in imgs)
    levels = [int(h) for h in re.findall(r"<h([1-6])", page)]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    kf = json.loads((default_reports / "2024" / "jobbsjansen.json").read_text(encoding="utf-8"))
    # quotable figures at the top level, the synthetic register's under synthetic_illustration
    ill = kf["synthetic_illustration"]
    assert set(kf) == {
        "year",
        "data_source",
        "person_data_source",
        "synthetic",
        "transition_rate",
        "synthetic_illustration",
        "sources",
        *PUBLISHED_KEYS,
    }
    renamed = {"register_transition_rate" if k == "transition_rate" else k for k in ISSUE_KEYS}
    assert set(ill) == renamed - {"year", "data_source"}
    assert set(ill["funnel"]) == FUNNEL_KEYS
    assert kf["published_transition_rate_pct"] == PUBLISHED[2024]
    assert kf["transition_rate"] == PUBLISHED[2024] / 100
