"""Sparse years through the real pipeline: every report renders, says what it hides and why.

Files are made with ``fou synth`` and edited so that each year holds only a few records:

* the Jobbsjansen register has an exit year with 1, 2, 3 and 4 completers, one with 3
  completers who are all women, one with 6 completers in a single project, one where the only
  spell that ended was phased out (utfaset) and one where spells were active but none ended;
* the HR file has years with 1, 2, 3 and 4 employees (women and men), one with 4 women only,
  and 2 employees in 2024 (a year whose pay table IMDi has published).

One Jobbsjansen year (:data:`JS_E2E_YEAR`) and one HR year (:data:`HR_E2E_YEAR`, both HR
notebooks) go through the real pipeline (``fou run``: kernel, export, JSON). The other years
run the same notebooks in this process (:func:`_run_in_process`: every code cell of the
committed ``.ipynb`` in one IPython shell, with the pipeline's parameters, the HTML each cell
displays and the key figures it records), which checks the same texts and key figures without
a kernel and an export per year. A test that the in-process text and figures equal the
pipeline's for the end-to-end years keeps the two honest.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import warnings
from html import unescape
from pathlib import Path

import matplotlib
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
JS_ALL_YEARS = [*JS_YEARS, JS_UTFASET_YEAR, JS_NO_EXIT_YEAR]
#: the register year built through the pipeline (few completers: everything hidden)
JS_E2E_YEAR = 2018
#: year → (women, men)
HR_YEARS: dict[int, tuple[int, int]] = {
    2016: (1, 0),
    2017: (1, 1),
    2018: (2, 1),
    2019: (2, 2),
    2020: (4, 0),
    2024: (1, 1),
}
#: the HR year built through the pipeline (published pay table, two employees)
HR_E2E_YEAR = 2024


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
def data(tmp_path_factory) -> Path:
    """The two edited person-level files, ``hr.csv`` and ``jobbsjansen.csv``."""
    data = tmp_path_factory.mktemp("sparse_data")
    for kind in ("hr", "jobbsjansen"):
        res = _fou("synth", kind, "--year", "2024", "--seed", "7", "--out", str(data / "base.csv"))
        assert res.returncode == 0, res.stderr
        base = pd.read_csv(data / "base.csv", dtype=str, keep_default_na=False)
        edited = _register(base) if kind == "jobbsjansen" else _hr(base)
        edited.to_csv(data / f"{kind}.csv", index=False)
    return data


@pytest.fixture(scope="module")
def built(data, tmp_path_factory) -> dict[str, Path]:
    """The end-to-end years, built with ``fou run`` (one run per file)."""
    out = tmp_path_factory.mktemp("sparse_reports")
    for notebooks, flag, kind, year in (
        (["jobbsjansen"], "--jobbsjansen-data", "jobbsjansen", JS_E2E_YEAR),
        (["lonnsgap", "sykefravaer"], "--hr-data", "hr", HR_E2E_YEAR),
    ):
        res = _fou(
            "run",
            "--year",
            str(year),
            *[a for n in notebooks for a in ("--notebook", n)],
            flag,
            str(data / f"{kind}.csv"),
            "--jobs",
            "2",
            "--quiet",
            "--out",
            str(out),
        )
        assert res.returncode == 0, res.stderr
    return {"out": out, "data": data}


def _run_in_process(name: str, params: dict, cwd: Path) -> tuple[str, dict]:
    """Run the committed notebook ``name`` in this process: (its HTML, its key figures).

    Every code cell runs in one IPython shell (so a cell's last value is shown as in a
    kernel), the parameters are set after the ``parameters`` cell as papermill sets them, and
    ``FOU_PIPELINE`` is set as ``fou run`` sets it for its kernels. The HTML is every markdown
    cell and every HTML output in order; the key figures are those the notebook records,
    through the same JSON text the pipeline writes.
    """
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from analysis.render import keyfigures
    from analysis.render.notebook import PIPELINE_ENV

    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    parts: list[str] = []
    figures = None
    # what the notebook changes for the process (figure theme, warning filters and format,
    # working folder, environment, the IPython shell) is put back for the tests after it
    old_cwd, old_env = Path.cwd(), os.environ.get(PIPELINE_ENV)
    old_format = warnings.formatwarning
    stack = contextlib.ExitStack()
    stack.enter_context(matplotlib.rc_context())
    stack.enter_context(warnings.catch_warnings())
    shell = InteractiveShell.instance()
    os.chdir(cwd)
    os.environ[PIPELINE_ENV] = "1"
    try:
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                parts.append(markdown2html_mistune(cell.source))
                continue
            if cell.cell_type != "code":
                continue
            with capture_output(stdout=True, stderr=True, display=True) as cap:
                result = shell.run_cell(cell.source, store_history=False)
                if "parameters" in cell.metadata.get("tags", []):
                    shell.user_ns.update(params)
            if not result.success:
                raise AssertionError(f"{name} {params}: {result.error_in_exec!r}\n{cap.stderr}")
            for out in cap.outputs:
                if keyfigures.MIME in out.data:
                    figures = out.data[keyfigures.MIME]
                elif "text/html" in out.data:
                    parts.append(out.data["text/html"])
                elif "text/plain" in out.data:
                    parts.append(out.data["text/plain"])
    finally:
        InteractiveShell.clear_instance()
        stack.close()
        warnings.formatwarning = old_format
        os.chdir(old_cwd)
        if old_env is None:
            os.environ.pop(PIPELINE_ENV, None)
        else:
            os.environ[PIPELINE_ENV] = old_env
    assert figures is not None, f"{name} {params}: no key figures recorded"
    return "\n".join(parts), json.loads(keyfigures.dumps(figures))


def _params(kind: str, year: int) -> dict:
    """The parameters ``fou run`` gives a notebook for ``year`` and the file ``<kind>.csv``."""
    key = {"hr": "hr_data", "jobbsjansen": "jobbsjansen_data"}[kind]
    return {"year": year, "min_cell": 5, "seed": 2025, key: f"{kind}.csv", "publication_date": None}


def _report(built, kind: str, name: str, year: int, e2e_year: int) -> tuple[str, dict]:
    """(text, key figures) of a report: from the pipeline for the end-to-end year, else run
    in this process."""
    if year == e2e_year:
        return _text(built["out"], year, name), _figures(built["out"], year, name)
    html, kf = _run_in_process(name, _params(kind, year), built["data"])
    return _page_text(html), kf


def _page_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _text(out: Path, year: int, name: str) -> str:
    return _page_text((out / str(year) / f"{name}.html").read_text(encoding="utf-8"))


def _figures(out: Path, year: int, name: str) -> dict:
    return json.loads((out / str(year) / f"{name}.json").read_text(encoding="utf-8"))


def _register_figures(kf: dict) -> dict:
    """The figures computed from the register: top level for real data, under
    ``synthetic_illustration`` (rate as ``register_transition_rate``) for a synthetic file."""
    ill = kf.get("synthetic_illustration")
    if not ill or "n_completed" not in ill:
        return kf
    return {**ill, "transition_rate": ill.get("register_transition_rate")}


@pytest.mark.parametrize("year", JS_ALL_YEARS)
def test_jobbsjansen_sparse_year_renders_and_says_why(built, year):
    text, kf = _report(built, "jobbsjansen", "jobbsjansen", year, JS_E2E_YEAR)
    kf = _register_figures(kf)
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
    pay, pay_kf = _report(built, "hr", "lonnsgap", year, HR_E2E_YEAR)
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
    sick, sick_kf = _report(built, "hr", "sykefravaer", year, HR_E2E_YEAR)
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


@pytest.mark.parametrize(
    "kind,name,year",
    [
        ("jobbsjansen", "jobbsjansen", JS_E2E_YEAR),
        ("hr", "lonnsgap", HR_E2E_YEAR),
        ("hr", "sykefravaer", HR_E2E_YEAR),
    ],
)
def test_in_process_run_matches_the_pipeline(built, kind, name, year):
    """The in-process run gives the pipeline's key figures and every sentence of its report."""
    html, kf = _run_in_process(name, _params(kind, year), built["data"])
    assert kf == _figures(built["out"], year, name)
    text = _page_text(html)
    built_text = _text(built["out"], year, name)
    for phrase in re.findall(r"For få [^.]*\.|persondataene for \d+ har bare \w+", built_text):
        assert phrase in text
    assert ("Oddsforhold" in text) == ("Oddsforhold" in built_text)
