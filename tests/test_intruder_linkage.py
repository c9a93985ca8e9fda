"""Intruder tests across *different splits of the same people* (linkage between tables).

The sick-leave report shows the same employees split by job group × gender and by age band
× gender. Each table is protected against its own margins, but an intruder reads both: when
the men under 30 are exactly the apprentices and the consultants, «under 30, men» minus
«consultants, men» gives the hidden apprentices. The pay report's JSON gives the size of the
Oaxaca–Blinder sample, which is every man minus those in job groups without women: with the
men's total printed, that is the hidden count of a one-gender group.

Crafted for a year without published pay table (2027); the values are distinctive. One
pipeline build (module-scoped), so the module is ``slow`` apart from the unit tests of the
joint audit at the top.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data.synthetic import synth_hr
from analysis.disclosure import tables as disclosure

# builds each year's report (slow tier: `make test-slow`, `make test-all`)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2027
MIN_CELL = 5
AGREED = 230.0
APPRENTICE_SICK = (61.7, 44.9, 12.3)  # three male apprentices, all under 30
CONSULTANT_MEN_SICK = (3.0, 5.0, 0.0, 7.0, 2.0, 4.0)  # six male consultants, all under 30


# --------------------------------------------------------------------------- the joint audit


def _atoms() -> pd.Series:
    """job group × age band × gender counts of the crafted design (by hand)."""
    return pd.Series(
        {
            ("laerling", "<30", "M"): 3,
            ("konsulent", "<30", "M"): 6,
            ("saks", "30-39", "M"): 40,
            ("saks", "40-49", "M"): 30,
            ("leder", "40-49", "M"): 2,
            ("leder", "50-59", "M"): 6,
        }
    )


def _cells(atoms: pd.Series) -> dict:
    """Shown-table cells as masks over the atoms: the job table and the age table (men)."""
    idx = atoms.index
    cells = {}
    for job in sorted({k[0] for k in idx}):
        cells[("job", job)] = pd.Series([k[0] == job for k in idx], index=idx)
    for band in sorted({k[1] for k in idx}):
        cells[("age", band)] = pd.Series([k[1] == band for k in idx], index=idx)
    cells[("job", "alle")] = pd.Series(True, index=idx)
    cells[("age", "alle")] = pd.Series(True, index=idx)
    return cells


def test_joint_audit_finds_a_cell_given_away_by_another_split():
    atoms = _atoms()
    cells = _cells(atoms)
    # per table: apprentices (3) and managers (8) hidden in the job table; nothing small in
    # the age table. "<30" − "konsulent" = the apprentices.
    hidden = {("job", "laerling"), ("job", "leder")}
    key = disclosure.joint_audit(atoms, cells, hidden, MIN_CELL, margins={("job", "alle")})
    assert key is not None
    hidden.add(key)
    # keep hiding what the audit asks for: it must end, and the apprentices' atom must then be
    # outside the span of what is shown (checked independently by rank)
    for _ in range(20):
        key = disclosure.joint_audit(atoms, cells, hidden, MIN_CELL)
        if key is None:
            break
        hidden.add(key)
    assert key is None
    shown = np.array([m.to_numpy(float) for k, m in cells.items() if k not in hidden])
    target = cells[("job", "laerling")].to_numpy(float)
    assert np.linalg.matrix_rank(np.vstack([shown, target])) > np.linalg.matrix_rank(shown)


def test_joint_audit_finds_a_small_sum_over_two_tables():
    # 3 apprentices (<30) + 1 man aged 60+: the age table hides <30 and 60+ men, the job table
    # the apprentices and the managers; together they give the 4 persons' sum
    atoms = pd.Series(
        {
            ("laerling", "<30", "M"): 3,
            ("konsulent", "<30", "M"): 6,
            ("saks", "30-39", "M"): 40,
            ("leder", "60+", "M"): 1,
            ("leder", "30-39", "M"): 7,
        }
    )
    cells = _cells(atoms)
    hidden = {("job", "laerling"), ("job", "leder"), ("age", "<30"), ("age", "60+")}
    assert disclosure.joint_audit(atoms, cells, hidden, MIN_CELL) is not None


def test_joint_audit_passes_a_safe_design():
    atoms = _atoms()
    cells = _cells(atoms)
    hidden = {("job", "laerling"), ("job", "leder"), ("age", "<30"), ("age", "40-49")}
    hidden.add(("job", "konsulent"))
    assert disclosure.joint_audit(atoms, cells, hidden, MIN_CELL) is None


# --------------------------------------------------------------------------- the build


def craft(path: Path) -> pd.DataFrame:
    hr = synth_hr(YEAR, 13).frame.copy()
    hr = hr.loc[~hr["job_group"].isin(["konsulent", "laerling", "toppleder"])]
    # no other man under 30 or over 59: the under-30 men are exactly the crafted ones
    men = hr["gender"] == "M"
    hr.loc[men & (hr["age"] < 30), "age"] = 33
    hr.loc[men & (hr["age"] >= 60), "age"] = 57
    hr["tenure_years"] = np.minimum(hr["tenure_years"], hr["age"] - 15)
    base = hr.iloc[0]
    rows = []

    def person(i, gender, group, age, sick, pay):
        r = base.copy()
        r["person_id"] = f"L-{i:03d}"
        r["gender"], r["job_group"], r["age"] = gender, group, age
        r["annual_pay"], r["fte"], r["agreed_workdays"] = pay, 1.0, AGREED
        r["sick_days_certified"], r["sick_days_self"] = sick, 0.0
        r["tenure_years"], r["temporary"], r["part_time"] = 2.0, False, False
        rows.append(r)

    for i, s in enumerate(APPRENTICE_SICK):
        person(i, "M", "laerling", 20 + i, s, 243_917.0 + 1000 * i)
    for i, s in enumerate(CONSULTANT_MEN_SICK):
        person(10 + i, "M", "konsulent", 25 + i % 5, s, 600_000.0 + 1111 * i)
    for i in range(5):  # exactly min_cell women consultants
        person(20 + i, "K", "konsulent", 36 + i, 4.0 + i, 610_000.0 + 2222 * i)
    for i in range(2):
        person(30 + i, "M", "toppleder", 52, 2.0, 1_400_000.0 + 7000 * i)
    for i in range(6):
        person(40 + i, "K", "toppleder", 50 + i, 1.0, 1_200_000.0 + 1000 * i)
    out = pd.concat([hr, pd.DataFrame(rows)], ignore_index=True)
    out.to_csv(path, index=False)
    return out


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    d = tmp_path_factory.mktemp("intruder_linkage")
    hr = craft(d / "hr.csv")
    out = d / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    args = ["--year", str(YEAR), "--notebook", "sykefravaer", "--notebook", "lonnsgap"]
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--quiet", "--jobs", "2", *args]
        + ["--hr-data", str(d / "hr.csv"), "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    return hr, out


def _rows(path: Path, start: str) -> dict[str, list[str]]:
    from test_intruder import table_like

    return {r[0]: r[1:] for r in table_like(path, start)[1:]}


@pytest.mark.slow
def test_hidden_apprentices_not_recovered_from_the_age_table(build):
    """Route: «under 30, men» − «consultants, men» (both shown) = the hidden apprentices."""
    from test_intruder import num

    hr, out = build
    html = out / str(YEAR) / "sykefravaer-persondata.html"
    job = _rows(html, "Sykefravær etter stillingsgruppe og kjønn")
    age = _rows(html, "Sykefravær etter aldersgruppe og kjønn")
    assert num(job["Lærlinger, menn"][0]) is None  # hidden in its own table
    young, cons = age["Under 30 år, menn"], job["Konsulenter/sekretærer, menn"]
    if num(young[0]) is not None and num(cons[0]) is not None:
        lost = (
            num(young[1]) * num(young[0]) * AGREED / 100
            - num(cons[1]) * num(cons[0]) * AGREED / 100
        )
        true = sum(APPRENTICE_SICK)
        assert abs(lost - true) > 0.05 * true, f"apprentices' lost days recovered: {lost:.1f}"


@pytest.mark.slow
def test_no_hidden_cell_in_the_span_of_both_tables(build):
    """Every hidden cell and every small sum stays outside the span of all shown cells.

    Independent of the code: the shown cells are read from the HTML, each is written as the
    set of job group × age band × gender atoms of the crafted file it sums, and the rank of
    the shown system is compared with and without the hidden cell.
    """
    from analysis.data.codes import EMPLOYEE_AGE_BAND_LABELS, JOB_GROUP_LABELS
    from analysis.sickleave.measures import add_age_band

    hr, out = build
    hr = add_age_band(hr)
    html = out / str(YEAR) / "sykefravaer-persondata.html"
    atoms = hr.groupby(["job_group", "age_band", "gender"]).size()
    keys = list(atoms.index)
    names = {
        "job": {**{v: k for k, v in JOB_GROUP_LABELS.items()}, "Alle stillingsgrupper": None},
        "age": {**{v: k for k, v in EMPLOYEE_AGE_BAND_LABELS.items()}, "Alle aldre": None},
    }
    genders = {"kvinner": "K", "menn": "M", "i alt": None}
    shown, hidden = [], []
    for dim, start, pos in (
        ("job", "Sykefravær etter stillingsgruppe og kjønn", 0),
        ("age", "Sykefravær etter aldersgruppe og kjønn", 1),
    ):
        for label, vals in _rows(html, start).items():
            grp, gen = label.rsplit(", ", 1)
            g, s = names[dim][grp], genders[gen]
            v = np.array(
                [(g is None or k[pos] == g) and (s is None or k[2] == s) for k in keys], float
            )
            (hidden if vals[0] == ":" else shown).append((label, v))
    a = np.array([v for _, v in shown])
    rank = np.linalg.matrix_rank(a)
    n = atoms.to_numpy(float)
    leaks = [
        label
        for label, v in hidden
        if v @ n > 0 and np.linalg.matrix_rank(np.vstack([a, v])) == rank
    ]
    assert not leaks, f"hidden cells derivable from the two tables together: {leaks}"
    small = [i for i in range(len(keys)) if 0 < n[i] < MIN_CELL]
    from itertools import combinations

    for size in (1, 2, 3, 4):
        for combo in combinations(small, size):
            if n[list(combo)].sum() >= MIN_CELL:
                continue
            v = np.zeros(len(keys))
            v[list(combo)] = 1
            assert np.linalg.matrix_rank(np.vstack([a, v])) > rank, (
                f"the sum over {[keys[i] for i in combo]} is derivable"
            )


@pytest.mark.slow
def test_oaxaca_sample_size_does_not_give_a_hidden_count(build):
    """Route: men's total (printed) − Oaxaca n_men (JSON) = men in men-only job groups."""
    hr, out = build
    kf = json.loads((out / str(YEAR) / "lonnsgap-persondata.json").read_text())
    n_men = int((hr["gender"] == "M").sum())
    for res in kf["oaxaca"]:
        if res.get("n_men") is not None:
            left_out = n_men - int(res["n_men"])
            assert not 0 < left_out < MIN_CELL, f"{left_out} men outside the Oaxaca sample"


# --------------------------------------------------------------------------- Jobbsjansen


def test_hidden_target_group_not_recovered_through_a_listed_project(tmp_path):
    """Route: total − shown target groups − a listed project that holds exactly the
    secondary-suppressed target group = the hidden target group of two."""
    from analysis.data.synthetic import synth_jobbsjansen
    from analysis.jobbsjansen import report as JR

    reg = synth_jobbsjansen(YEAR, 17).frame.copy()
    end = pd.to_datetime(reg["end_date"])
    done = (end.dt.year == YEAR) & (reg["exit_status"] != "utfaset")
    small_groups = ["annet", "familiegjenforent"]
    reg.loc[done & reg["target_group"].isin(small_groups), "target_group"] = "hjemmevaerende"
    sizes = reg.loc[done].groupby("project_id").size()
    project = sizes[sizes >= 8].index[0]
    reg.loc[done & (reg["project_id"] == project), "target_group"] = "familiegjenforent"
    two = reg.loc[done & (reg["project_id"] != project)].index[:2]
    reg.loc[two, "target_group"] = "annet"
    path = tmp_path / "register.csv"
    reg.to_csv(path, index=False)

    r = JR.build(YEAR, jobbsjansen_data=str(path))
    groups = r.rates.loc[r.rates["dimension"] == "target_group"].set_index("group")
    assert groups.loc["annet", "suppressed"]  # hidden in its own table
    total = r.rates.iloc[0]
    shown = groups.loc[~groups["suppressed"].astype(bool)]
    listed = r.projects.set_index("project_id")
    if project in listed.index:
        n = total["n_completed"] - shown["n_completed"].sum() - listed.loc[project, "n_completed"]
        assert n != 2, "the hidden target group of two is recovered"


def test_a_gender_of_two_hides_every_pay_comparison_and_the_sick_leave_totals(tmp_path):
    """Two men in all: every pay figure compares the genders, so the pay report shows none of
    them and says why (docs/methods.md, sparse years); the sick-leave report hides both gender
    totals (women = all − men) and prints ':'."""
    from analysis.paygap import report as L
    from analysis.sickleave import report as SF

    hr = synth_hr(YEAR, 13).frame.copy()
    men = hr.index[hr["gender"] == "M"]
    hr = hr.drop(men[2:])
    path = tmp_path / "hr.csv"
    hr.to_csv(path, index=False)
    pay = L.build(YEAR, hr_data=str(path))
    assert pay.sparse_note is not None and "For få ansatte" in pay.sparse_note
    # synthetic data: the computed figures sit under synthetic_illustration (issue 20)
    kf = {**pay.key_figures, **pay.key_figures.get("synthetic_illustration", {})}
    assert kf["gap_nok"] is None and kf["women_share_of_men_pay_pct"] is None
    assert kf["decomposition_grouped"] is None and kf["oaxaca"] is None
    r = SF.build(YEAR, hr_data=str(path))
    table = SF.html_rates_table(r)
    assert "Menn (N\u00a0=\u00a0:)" in table and "Kvinner (N\u00a0=\u00a0:)" in table
    # no published figures for the year: the computed ones are illustrations (issue 20)
    by_gender = r.key_figures["synthetic_illustration"]["by_gender"]
    assert by_gender["M"] is None and by_gender["K"] is None


@pytest.mark.slow
def test_a_count_hidden_in_one_report_is_hidden_in_the_other(build):
    """Route: the sick-leave table hides «consultants, men» (6) to protect the apprentices, but
    the pay table printed the same count; with «under 30, men» (9) that gives the 3 hidden
    apprentices. A job group × gender count is hidden in both reports or in neither."""
    hr, out = build
    year = out / str(YEAR)
    pay = _rows(year / "lonnsgap-persondata.html", "Lønnsgap per stillingsgruppe")
    sick = _rows(year / "sykefravaer-persondata.html", "Sykefravær etter stillingsgruppe og kjønn")
    checked = 0
    for group, vals in pay.items():
        for pos, gender in ((0, "menn"), (1, "kvinner")):
            label = f"{group}, {gender}"
            if group == "Totalt" or label not in sick:
                continue
            checked += 1
            assert (vals[pos] == ":") == (sick[label][0] == ":"), label
    assert checked >= 8


def test_phased_out_men_not_recovered_from_target_group_and_age(tmp_path):
    """Route (phased-out counts): «ungdom» (12) − «under 25» (9) = the 3 phased-out men aged
    25–29, hidden in the gender table (3) and the age table."""
    from analysis.data.synthetic import synth_jobbsjansen
    from analysis.jobbsjansen import report as JR

    reg = synth_jobbsjansen(YEAR, 19).frame.copy()
    end = pd.to_datetime(reg["end_date"])
    this_year = end.dt.year == YEAR
    reg.loc[this_year & (reg["exit_status"] == "utfaset"), "exit_status"] = "annet"
    template = reg.loc[this_year].iloc[0]
    rows = []
    design = [("M", "ungdom", 27)] * 3 + [("K", "ungdom", 22)] * 9
    design += [("K", "sosialhjelp", 35)] * 7 + [("K", "hjemmevaerende", 45)] * 6
    for i, (gender, group, age) in enumerate(design):
        r = template.copy()
        r["participant_id"] = f"PH-{i:03d}"
        r["gender"], r["target_group"], r["age"] = gender, group, age
        r["exit_status"] = "utfaset"
        rows.append(r)
    path = tmp_path / "register.csv"
    pd.concat([reg, pd.DataFrame(rows)], ignore_index=True).to_csv(path, index=False)

    r = JR.build(YEAR, jobbsjansen_data=str(path))
    t = r.rates.set_index(["dimension", "group"])["n_phased_out"]
    assert t[("alle", "alle")] == 25  # shown: not small
    assert pd.isna(t[("gender", "M")])  # three men: hidden in the gender table
    youth, under_25 = t.get(("target_group", "ungdom")), t.get(("age_band", "<25"))
    assert pd.isna(youth) or pd.isna(under_25) or youth - under_25 != 3
