"""The rules behind sparse-year reports, without Jupyter: what is hidden, what is skipped.

Expected values are written out by hand from the rules in docs/methods.md («Sparse years»).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.data.synthetic import synth_hr, synth_jobbsjansen, write_synthetic
from analysis.disclosure.hr import protect_gender_rates
from analysis.jobbsjansen import measures as jj
from analysis.jobbsjansen import report as J
from analysis.jobbsjansen import texts
from analysis.jobbsjansen.keyfigures import key_figures
from analysis.paygap import report as L


def _rates(counts: dict[str, int]) -> pd.DataFrame:
    """A rates-by-gender frame (one kind) with the given head counts; rates are 1, 2, 3 %."""
    rows = [
        {
            "gender": g,
            "kind": "legemeldt",
            "n_persons": n,
            "lost_days": float(n),
            "agreed_days": 100.0 * n,
            "rate_pct": float(i + 1),
            "se_pct": 0.1,
            "ci_low": float(i),
            "ci_high": float(i + 2),
        }
        for i, (g, n) in enumerate(counts.items())
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    "counts,hidden",
    [
        ({"K": 6, "M": 5, "alle": 11}, set()),
        # one man: primary; the women too (secondary), else total − women gives him away
        ({"K": 10, "M": 1, "alle": 11}, {"K", "M"}),
        # both small, total large enough
        ({"K": 3, "M": 2, "alle": 5}, {"K", "M"}),
        # both small and the total too
        ({"K": 2, "M": 2, "alle": 4}, {"K", "M", "alle"}),
        # one gender only: hiding it and showing the total would show it
        ({"K": 4, "alle": 4}, {"K", "alle"}),
        ({"K": 7, "alle": 7}, set()),
    ],
)
def test_sick_leave_rates_by_gender_hidden(counts, hidden):
    out, found = protect_gender_rates(_rates(counts), 5)
    assert found == hidden
    for g in counts:
        rate = out.loc[out["gender"] == g, "rate_pct"].iloc[0]
        assert math.isnan(rate) == (g in hidden)
        assert out.loc[out["gender"] == g, "n_persons"].iloc[0] == counts[g]  # counts stay


def _hr(n_women: int, n_men: int) -> pd.DataFrame:
    base = synth_hr(2024, 5).frame
    return pd.concat(
        [base.loc[base["gender"] == "K"].head(n_women), base.loc[base["gender"] == "M"].head(n_men)]
    ).reset_index(drop=True)


@pytest.mark.parametrize(
    "n_women,n_men,text",
    [
        (4, 0, "har bare kvinner"),
        (0, 3, "har bare menn"),
        (4, 9, "krever minst 5 kvinner og 5 menn"),
        (9, 4, "krever minst 5 kvinner og 5 menn"),
        # enough of each, but fewer persons than parameters in the men's wage equation
        (40, 5, "for få ansatte i forhold til antall kjennetegn"),
    ],
)
def test_oaxaca_skipped_with_a_reason(n_women, n_men, text):
    results, note = L._oaxaca_or_reason(_hr(n_women, n_men), 2024, 5)
    assert results == [] and text in note


def test_oaxaca_fitted_with_enough_persons():
    results, note = L._oaxaca_or_reason(synth_hr(2024, 5).frame, 2024, 5)
    assert note is None and len(results) == 3


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return synth_jobbsjansen(2024, 5).frame


def _completers(reg: pd.DataFrame, n_over: int, n_other: int, project: str | None = None):
    ended = reg.loc[reg["end_date"].dt.year == 2024]
    over = ended.loc[ended["exit_status"].isin(["arbeid", "utdanning"])].head(n_over)
    other = ended.loc[ended["exit_status"] == "annet"].head(n_other)
    out = pd.concat([over, other]).reset_index(drop=True)
    if project is not None:
        out["project_id"] = project
    return out


@pytest.mark.parametrize(
    "n_over,n_other,project,text",
    [
        (0, 0, None, "Ingen deltakere fullførte"),
        (2, 2, None, "For få avslutninger til å sammenligne prosjektene: færre enn 5"),
        (3, 3, "SYN-P-001", "Bare ett prosjekt"),
    ],
)
def test_project_comparison_skipped_with_a_reason(register, n_over, n_other, project, text):
    reg = _completers(register, n_over, n_other, project)
    raw = jj.transition_rates_by_dimension(reg, 2024) if len(reg) else None
    if raw is None:  # no spell at all: a frame with one ongoing spell
        reg = register.loc[register["end_date"].isna()].head(1)
        raw = jj.transition_rates_by_dimension(reg, 2024)
    assert text in J._funnel_skip_reason(raw, 2024, 5)


def test_model_skipped_when_everyone_went_over(register):
    risk, note = J._fit_risk(_completers(register, 8, 0), 2024)
    assert risk is None and "samme utfall" in note


def test_key_figures_draw_no_funnel_around_a_hidden_total(register):
    reg = _completers(register, 3, 1)  # 4 completers: the total is hidden at min_cell 5
    kf = key_figures(2024, "test", reg, min_cell=5)
    assert kf["transition_rate"] is None
    assert kf["funnel"]["target"] is None  # the centre line would be the hidden 3/4
    shown = key_figures(2024, "test", reg, min_cell=2)
    assert shown["funnel"]["target"] == pytest.approx(3 / 4)


def test_register_year_without_exits_builds(tmp_path, register):
    ongoing = register.loc[register["end_date"].isna()].head(3).copy()
    ongoing["start_date"] = pd.Timestamp("2022-02-01")
    path = tmp_path / "register.csv"
    ongoing.to_csv(path, index=False, date_format="%Y-%m-%d")
    r = J.build(2022, str(path))
    assert r.total["n_completed"] == 0 and r.funnel is None and r.risk is None
    assert texts.headline_text(r).startswith("Ingen deltakere fullførte Jobbsjansen i 2022")
    assert texts.funnel_text(r, risk=True) == r.risk_note


def test_synthetic_register_is_unchanged_by_the_rules(tmp_path):
    # a full year keeps its funnel and model (the default reports do not change)
    path = write_synthetic(synth_jobbsjansen(2024, 5), tmp_path / "js.csv")
    r = J.build(2024, str(path))
    assert r.funnel_note is None and r.risk_note is None
    assert r.funnel is not None and r.risk is not None and r.model_table is not None
