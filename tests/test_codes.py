"""One code for one concept across the domains (issue 18): the total row, the age bands."""

from __future__ import annotations

import pandas as pd

from analysis.data.codes import (
    EMPLOYEE_AGE_BAND_LABELS,
    EMPLOYEE_AGE_BANDS,
    JOB_GROUP_LABELS,
    PARTICIPANT_AGE_BAND_LABELS,
    PARTICIPANT_AGE_BANDS,
    TOTAL,
)
from analysis.data.published import load_published
from analysis.data.synthetic import synth_hr, synth_jobbsjansen
from analysis.jobbsjansen import measures as jj
from analysis.paygap import measures as pg
from analysis.sickleave import measures as sl


def test_every_domain_names_its_total_row_alle():
    hr = synth_hr(2025, 1).frame
    assert pg.gap_measures(hr)["group"].iloc[-1] == "alle" == TOTAL
    rates = sl.sick_leave_rates(hr, by=("job_group", "gender"), margins=True)
    assert rates.iloc[-1][["job_group", "gender"]].tolist() == ["alle", "alle"]
    register = synth_jobbsjansen(2024, 1).frame
    t = jj.transition_rates_by_dimension(register, 2024)
    assert t.iloc[0][["dimension", "group"]].tolist() == ["alle", "alle"]
    assert (t["dimension"] == "alle").sum() == 1


def test_the_published_total_row_becomes_the_total_code():
    # pay_by_job_group.csv calls its whole-agency row 'totalt'; the analyses call it 'alle'
    pay = load_published("pay_by_job_group", preferred_only=True)
    m = pg.published_gap_measures(pay)
    assert "totalt" not in set(m["group"])
    tot = m.loc[(m["year"] == 2025) & (m["group"] == "alle")].iloc[0]
    assert (tot.mean_men, tot.mean_women) == (805041, 761446)  # the published 'Totalt' row
    # the pay report's label is the published one
    assert JOB_GROUP_LABELS["alle"] == JOB_GROUP_LABELS["totalt"] == "Totalt"


def test_employees_and_participants_have_their_own_age_bands():
    ages = pd.Series([24, 25, 29, 30, 49, 50, 59, 60])
    assert sl.age_band(ages).tolist() == [
        "<30", "<30", "<30", "30-39", "40-49", "50-59", "50-59", "60+"
    ]  # fmt: skip
    assert jj.age_band(ages).astype(str).tolist() == [
        "<25", "25-29", "25-29", "30-39", "40-49", "50+", "50+", "50+"
    ]  # fmt: skip
    assert set(sl.age_band(ages)) <= set(EMPLOYEE_AGE_BANDS) == set(EMPLOYEE_AGE_BAND_LABELS)
    assert set(jj.age_band(ages)) <= set(PARTICIPANT_AGE_BANDS)
    assert set(PARTICIPANT_AGE_BANDS) == set(PARTICIPANT_AGE_BAND_LABELS)
