"""Sparse years through the real pipeline: every report renders, says what it hides and why.

Files are made with ``fou synth`` and edited so that each year holds only a few records:

* the Jobbsjansen register has an exit year with 1, 2, 3 and 4 completers, one with 3
  completers who are all women, one with 6 completers in a single project, one where the only
  spell that ended was phased out (utfaset) and one where spells were active but none ended;
* the HR file has years with 1, 2, 3 and 4 employees (women and men), one with 4 women only,
  and 2 employees in 2024 (a year whose pay table IMDi has published).

Each file is built with one ``fou run`` (all its years and notebooks at once), so the whole
module costs two pipeline runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

#: exit year → (completers who went over to work/education, completers who did not)
JS_YEARS: dict[int, tuple[int, int]] = {
    2016: (1, 0),
    2017: (1, 1),
    2018: (2, 1),
    2019: (2, 2),
    2020: (2, 1),  # all women
    2021: (3, 3),  # one project
}
JS_UTFASET_YEAR = 2015  # the only spell that ended was phased out
JS_NO_EXIT_YEAR = 2022  # spells active, none ended
#: year → (women, men)
HR_YEARS: dict[int, tuple[int, int]] = {
    2016: (1, 0),
    2017: (1, 1),
    2018: (2, 1),
    2019: (2, 2),
    2020: (4, 0),
    2024: (1, 1),
}


def _fou(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=1800,
    )


def _register(base: pd.DataFrame) -> pd.DataFrame:
    over = base.loc[base["exit_status"].isin(["arbeid", "utdanning", "arbeid_og_utdanning"])]
    other = base.loc[base["exit_status"] == "annet"]
    women_over = over.loc[over["gender"] == "K"]
    women_other = other.loc[other["gender"] == "K"]
    used: set[str] = set()
    rows = []

    def take(pool: pd.DataFrame, n: int, year: int, project: str | None = None) -> None:
        picked = pool.loc[~pool["participant_id"].isin(used)].head(n).copy()
        assert len(picked) == n
        used.update(picked["participant_id"])
        picked["start_date"] = f"{year - 1}-03-01"
        picked["end_date"] = f"{year}-06-30"
        if project is not None:
            picked["project_id"] = project
            picked["municipality"] = "Kommune 01"
        rows.append(picked)

    for year, (n_over, n_other) in JS_YEARS.items():
        women = year == 2020
        project = "SYN-P-001" if year == 2021 else None
        take(women_over if women else over, n_over, year, project)
        take(women_other if women else other, n_other, year, project)
    phased = base.loc[base["exit_status"] == "utfaset"].head(1).copy()
    phased["start_date"] = f"{JS_UTFASET_YEAR}-01-10"
    phased["end_date"] = f"{JS_UTFASET_YEAR}-05-01"
    ongoing = base.loc[base["exit_status"] == ""].head(2).copy()
    ongoing["start_date"] = f"{JS_NO_EXIT_YEAR}-02-01"
    return pd.concat([*rows, phased, ongoing], ignore_index=True)


def _hr(base: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year, (n_women, n_men) in HR_YEARS.items():
        for gender, n in (("K", n_women), ("M", n_men)):
            part = base.loc[base["gender"] == gender].head(n).copy()
            part["year"] = str(year)
            rows.append(part)
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    data = tmp_path_factory.mktemp("sparse_data")
    out = tmp_path_factory.mktemp("sparse_reports")
    for kind in ("hr", "jobbsjansen"):
        res = _fou("synth", kind, "--year", "2024", "--seed", "7", "--out", str(data / "base.csv"))
        assert res.returncode == 0, res.stderr
        base = pd.read_csv(data / "base.csv", dtype=str, keep_default_na=False)
        edited = _register(base) if kind == "jobbsjansen" else _hr(base)
        edited.to_csv(data / f"{kind}.csv", index=False)
    js_years = [*JS_YEARS, JS_UTFASET_YEAR, JS_NO_EXIT_YEAR]
    res = _fou(
        "run",
        *[a for y in js_years for a in ("--year", str(y))],
        "--notebook",
        "jobbsjansen",
        "--jobbsjansen-data",
        str(data / "jobbsjansen.csv"),
        "--jobs",
        "2",
        "--quiet",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    res = _fou(
        "run",
        "--notebook",
        "lonnsgap",
        "--notebook",
        "sykefravaer",
        "--hr-data",
        str(data / "hr.csv"),
        "--jobs",
        "2",
        "--quiet",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    return {"out": out, "data": data}


def _text(out: Path, year: int, name: str) -> str:
    page = (out / str(year) / f"{name}.html").read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _figures(out: Path, year: int, name: str) -> dict:
    return json.loads((out / str(year) / f"{name}.json").read_text(encoding="utf-8"))


def _register_figures(kf: dict) -> dict:
    """The figures computed from the register: top level for real data, under
    ``synthetic_illustration`` (rate as ``register_transition_rate``) for a synthetic file."""
    ill = kf.get("synthetic_illustration")
    if not ill or "n_completed" not in ill:
        return kf
    return {**ill, "transition_rate": ill.get("register_transition_rate")}


@pytest.mark.parametrize("year", [*JS_YEARS, JS_UTFASET_YEAR, JS_NO_EXIT_YEAR])
def test_jobbsjansen_sparse_year_renders_and_says_why(built, year):
    text = _text(built["out"], year, "jobbsjansen")
    kf = _register_figures(_figures(built["out"], year, "jobbsjansen"))
    n = sum(JS_YEARS.get(year, (0, 0)))
    if n == 0:
        assert f"Ingen deltakere fullførte Jobbsjansen i {year}" in text
        assert kf["n_completed"] == 0 and kf["transition_rate"] is None
    elif n < 5:
        assert f"For få avslutninger til å beregne andelen for {year}" in text
        assert "For få avslutninger til å sammenligne prosjektene" in text
        # hidden everywhere: no count, no rate, no funnel centre line (the total rate)
        assert kf["n_completed"] is None and kf["transition_rate"] is None
        assert all(v is None for v in kf["by_target_group"].values())
    else:  # 6 completers in one project
        assert f"Bare ett prosjekt hadde deltakere som fullførte i {year}" in text
        assert kf["n_completed"] == 6 and kf["transition_rate"] == pytest.approx(0.5)
    assert kf["funnel"]["target"] is None and kf["funnel"]["outside_95"] == []
    # the model and its odds ratios are never shown on these few completers
    assert "Oddsforhold" not in text


@pytest.mark.parametrize("year", list(HR_YEARS))
def test_hr_sparse_year_renders_and_says_why(built, year):
    n_women, n_men = HR_YEARS[year]
    pay = _text(built["out"], year, "lonnsgap")
    pay_kf = _figures(built["out"], year, "lonnsgap")
    # synthetic person-level file: computed figures sit under synthetic_illustration
    pay_kf = {**pay_kf, **pay_kf.get("synthetic_illustration", {})}
    if n_women and n_men:
        assert f"For få ansatte til å beregne Oaxaca–Blinder-dekomponeringen for {year}" in pay
    else:
        only = "kvinner" if n_women else "menn"
        assert f"persondataene for {year} har bare {only}" in pay
    assert pay_kf["oaxaca"] is None
    if year == 2024:  # the published table carries the pay comparison
        assert pay_kf["data_source"] == "published" and pay_kf["gap_nok"] is not None
    else:
        assert f"For få ansatte til å beregne lønnsforskjellen fra persondataene for {year}" in pay
        assert pay_kf["gap_nok"] is None and pay_kf["women_share_of_men_pay_pct"] is None
        assert pay_kf["decomposition_grouped"] is None
    sick = _text(built["out"], year, "sykefravaer")
    sick_kf = _figures(built["out"], year, "sykefravaer")
    assert f"For få ansatte til å beregne sykefraværet etter kjønn for {year}" in sick
    assert "for få ansatte til å sammenligne kvinner og menn" in sick
    # synthetic person data: computed figures are illustrations (issue 20); a year with
    # published rates quotes those at the top level instead
    computed = sick_kf["synthetic_illustration"]
    if year == 2024:
        assert sick_kf["rate_certified_pct"] == 5.41
        assert sick_kf["sources"]["by_gender"] == "published"
    else:
        assert computed["by_gender"] == {"K": None, "M": None}
        assert computed["rate_certified_pct"] is None
    assert computed["rate_ratio_women_vs_men"] is None and computed["adjusted_rate_ratio"] is None
