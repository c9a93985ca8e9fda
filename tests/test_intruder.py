"""Intruder tests: build reports from crafted person-level files with 1–4-person cells, then
try every recovery route against everything under the output folder.

Routes (``docs/methods.md``, "Personvern og prikking"): direct printing of a hidden value in
any number format; subtraction of the shown rows from a shown total (per gender too); the
identity "decomposition parts sum to the total"; arithmetic on the JSON key figures; alt text;
code HTML, executed notebooks and the index. Every route must fail.

The crafted values are distinctive (salaries such as 517 343 kr, a sick-leave rate of 37,3 %)
so that a scan for them means something. One pipeline build per crafted dataset (module-scoped
fixtures); the whole module is ``slow``.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data.synthetic import synth_hr, synth_jobbsjansen

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MIN_CELL = 5
YEAR_HR = 2026  # no published pay table: the grouped cells come from the person-level data
YEAR_JJ = 2024

# crafted person-level values (distinctive on purpose)
CONSULTANT_PAY = (517_343.0, 523_171.0, 529_829.0)  # three women, no men
APPRENTICE_PAY = 231_917.0  # one man, no women
TOP_MEN_PAY = (1_411_587.0, 1_377_919.0)  # two male top managers
CONSULTANT_SICK = (83.1, 91.7, 82.6)  # certified sick days of the three women (of 230)
APPRENTICE_SICK = 141.3
AGREED = 230.0


# --------------------------------------------------------------------------- crafting


def craft_hr(path: Path) -> pd.DataFrame:
    hr = synth_hr(YEAR_HR, 11).frame.copy()
    hr = hr.loc[~hr["job_group"].isin(["konsulent", "laerling", "toppleder"])]
    base = hr.iloc[0]
    rows = []

    def person(i, gender, group, pay, sick):
        r = base.copy()
        r["person_id"] = f"X-{i:03d}"
        r["gender"], r["job_group"], r["annual_pay"] = gender, group, pay
        r["fte"], r["agreed_workdays"] = 1.0, AGREED
        r["sick_days_certified"], r["sick_days_self"] = sick, 0.0
        rows.append(r)

    for i, (pay, sick) in enumerate(zip(CONSULTANT_PAY, CONSULTANT_SICK, strict=True)):
        person(i, "K", "konsulent", pay, sick)
    person(3, "M", "laerling", APPRENTICE_PAY, APPRENTICE_SICK)
    for i, pay in enumerate(TOP_MEN_PAY):
        person(4 + i, "M", "toppleder", pay, 2.0)
    for i in range(6):  # six women top managers: the group is shown only if safe
        person(6 + i, "K", "toppleder", 1_200_000.0 + 1000 * i, 1.0)
    out = pd.concat([hr, pd.DataFrame(rows)], ignore_index=True)
    out.to_csv(path, index=False)
    return out


def craft_register(path: Path) -> pd.DataFrame:
    reg = synth_jobbsjansen(YEAR_JJ, 11).frame.copy()
    end = pd.to_datetime(reg["end_date"])
    this_year = end.dt.year == YEAR_JJ
    # exactly two phased out in the year
    phased = this_year & (reg["exit_status"] == "utfaset")
    reg.loc[phased[phased].index[2:], "exit_status"] = "annet"
    # a target group of three completers
    tg = this_year & (reg["target_group"] == "annet")
    reg.loc[tg[tg].index[3:], "target_group"] = "hjemmevaerende"
    # a project of two in a municipality whose other project is large (the tainted one),
    # and a one-person project in a municipality of its own
    big = reg.loc[this_year].groupby("project_id").size().idxmax()
    mun = reg.loc[reg["project_id"] == big, "municipality"].iloc[0]
    template = reg.loc[this_year & (reg["exit_status"] == "arbeid")].iloc[0]
    extra = []
    for i, (proj, m, status) in enumerate(
        [
            ("JJ-TAINT-7", mun, "arbeid"),
            ("JJ-TAINT-7", mun, "arbeid"),
            ("JJ-SOLO-9", "Kommune Solo", "utdanning"),
        ]
    ):
        r = template.copy()
        r["participant_id"] = f"X-JS-{i}"
        r["project_id"], r["municipality"], r["exit_status"] = proj, m, status
        r["target_group"] = "hjemmevaerende"
        extra.append(r)
    out = pd.concat([reg, pd.DataFrame(extra)], ignore_index=True)
    out.to_csv(path, index=False)
    return out


def _run(args: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "run", "--quiet", "--jobs", "2", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def hr_build(tmp_path_factory):
    d = tmp_path_factory.mktemp("intruder_hr")
    hr = craft_hr(d / "hr.csv")
    out = d / "out"
    _run(
        [
            "--year",
            str(YEAR_HR),
            "--notebook",
            "lonnsgap",
            "--notebook",
            "sykefravaer",
            "--hr-data",
            str(d / "hr.csv"),
            "--out",
            str(out),
        ]
    )
    return hr, out


@pytest.fixture(scope="module")
def jj_build(tmp_path_factory):
    d = tmp_path_factory.mktemp("intruder_jj")
    reg = craft_register(d / "register.csv")
    out = d / "out"
    _run(
        [
            "--year",
            str(YEAR_JJ),
            "--notebook",
            "jobbsjansen",
            "--jobbsjansen-data",
            str(d / "register.csv"),
            "--out",
            str(out),
        ]
    )
    return reg, out


# --------------------------------------------------------------------------- reading outputs


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return [json.dumps(obj)]


def corpus(out: Path) -> dict[str, str]:
    """Every file under the output folder as searchable text (JSON and HTML decoded too)."""
    texts = {}
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".ipynb" for p in files), "executed notebooks are scanned too"
    for p in files:
        raw = p.read_text(encoding="utf-8", errors="replace")
        text = raw + "\n" + html_lib.unescape(raw)
        # ids are displayed with non-breaking hyphens (U+2011) in the project table
        text += "\n" + text.replace("\u2011", "-")
        if p.suffix in (".json", ".ipynb"):
            text += "\n" + "\n".join(_strings(json.loads(raw)))
        texts[str(p.relative_to(out))] = text
    return texts


SPACES = (" ", "\u00a0", "\u202f", "\u2009", "", ".", ",")


def number_forms(v: float) -> set[str]:
    """Ways a reader-facing or machine output could write ``v``."""
    forms = set()
    r = int(round(v))
    for sep in SPACES:
        forms.add(f"{r:,}".replace(",", sep))
    for dec in (1, 2):
        s = f"{v:.{dec}f}"
        forms |= {s, s.replace(".", ",")}
    forms.add(repr(float(v))[:9])  # JSON floats, any tail
    k = v / 1000
    forms |= {f"{k:.1f}".replace(".", ",") + " tusen", f"{round(k)} 000", f"{round(k)}\u202f000"}
    return {f for f in forms if len(f.replace(" ", "")) >= 4}


def _pattern(forms) -> re.Pattern:
    """Any of ``forms``, not inside a longer run of digits."""
    alternatives = sorted({re.escape(f) for f in forms}, key=len, reverse=True)
    return re.compile(r"(?<![\d])(?:" + "|".join(alternatives) + r")(?![\d])")


def find_any(texts: dict[str, str], values: dict[str, float]) -> list[str]:
    """Every (value, form, file) where a form of a value is written, by file.

    One pass per file looks for all forms at once (a text holds a match of the alternation
    exactly when it holds a match of one of its forms); only a file with a match is searched
    form by form, to name what was found.
    """
    forms = {name: number_forms(v) for name, v in values.items()}
    anything = _pattern(f for fs in forms.values() for f in fs)
    hits = []
    for f, t in texts.items():
        if anything.search(t) is None:
            continue
        for name, fs in forms.items():
            for form in sorted(fs):
                if _pattern([form]).search(t):
                    hits.append(f"{name} as {form!r} in {f}")
    return hits


def tables(path: Path) -> dict[str, list[list[str]]]:
    """The HTML tables of a report: caption → rows of cell texts (header row first)."""
    out = {}
    doc = path.read_text(encoding="utf-8")
    for t in re.findall(r"<table.*?</table>", doc, flags=re.S):
        cap = re.search(r"<caption>(.*?)</caption>", t, flags=re.S)
        rows = []
        for tr in re.findall(r"<tr>(.*?)</tr>", t, flags=re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)
            rows.append([html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
        caption = html_lib.unescape(re.sub(r"<[^>]+>", "", cap.group(1))) if cap else ""
        out[re.sub(r"^Tabell \d+\.\s*", "", caption)] = rows  # without «Tabell N.»
    return out


def table_like(path: Path, start: str) -> list[list[str]]:
    found = [v for k, v in tables(path).items() if k.startswith(start)]
    assert found, f"no table starting {start!r} in {path}"
    return found[0]


def num(text: str) -> float | None:
    """A Norwegian-formatted number (``1 234,5 kr``, ``−3 %``) or None for ``:``/``–``."""
    t = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    t = t.replace("kr", "").replace("%", "").replace("\u2212", "-").replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


# --------------------------------------------------------------------------- the pay gap


def test_hidden_pay_never_printed(hr_build):
    hr, out = hr_build
    values = {f"consultant {i}": v for i, v in enumerate(CONSULTANT_PAY)}
    values["consultant mean"] = float(np.mean(CONSULTANT_PAY))
    values["apprentice"] = APPRENTICE_PAY
    values["top men mean"] = float(np.mean(TOP_MEN_PAY))
    for i, v in enumerate(TOP_MEN_PAY):
        values[f"top man {i}"] = v
    # the outside-support parts of the Ñopo decomposition (they rest on 1 and 3 persons)
    y = hr.loc[hr["year"] == YEAR_HR]
    men, women = y.loc[y["gender"] == "M", "annual_pay"], y.loc[y["gender"] == "K", "annual_pay"]
    men_in = y.loc[(y["gender"] == "M") & (y["job_group"] != "laerling"), "annual_pay"]
    women_in = y.loc[(y["gender"] == "K") & (y["job_group"] != "konsulent"), "annual_pay"]
    values["men outside support"] = (1 / len(men)) * (APPRENTICE_PAY - men_in.mean())
    values["women outside support"] = (3 / len(women)) * (women_in.mean() - np.mean(CONSULTANT_PAY))
    hits = find_any(corpus(out), values)
    assert not hits, hits[:10]


def test_alt_text_says_hidden(hr_build):
    _, out = hr_build
    page = (out / str(YEAR_HR) / "lonnsgap-persondata.html").read_text(encoding="utf-8")
    alts = [html_lib.unescape(a) for a in re.findall(r'alt="([^"]*)"', page)]
    pay_alt = next(a for a in alts if a.startswith("Liggende stolpediagram over gjennomsnittlig"))
    for label in ("Konsulenter/sekretærer", "Lærlinger"):
        assert f"{label}: skjult" in pay_alt


def test_subtraction_from_gender_totals_fails(hr_build):
    """Totalt minus the shown rows: the hidden union per gender is 0 or ≥ min_cell persons
    and never a single group."""
    _, out = hr_build
    rows = table_like(
        out / str(YEAR_HR) / "lonnsgap-persondata.html", "Lønnsgap per stillingsgruppe"
    )
    head, body = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(head)}
    total = next(r for r in body if r[0] == "Totalt")
    groups = [r for r in body if r[0] != "Totalt"]
    for gender in ("Menn", "Kvinner"):
        n_col, m_col = col[gender], col[f"Snittlønn {gender.lower()} (kr)"]
        n_total, m_total = num(total[n_col]), num(total[m_col])
        shown = [r for r in groups if num(r[n_col]) is not None]
        hidden = [r for r in groups if num(r[n_col]) is None]
        n_hidden = n_total - sum(num(r[n_col]) for r in shown)
        assert n_hidden == 0 or n_hidden >= MIN_CELL, (gender, n_hidden)
        if n_hidden:
            assert len(hidden) >= 2, (gender, [r[0] for r in hidden])
            implied = (n_total * m_total - sum(num(r[n_col]) * num(r[m_col]) for r in shown)) / (
                n_hidden
            )
            for v in (APPRENTICE_PAY, np.mean(CONSULTANT_PAY), np.mean(TOP_MEN_PAY)):
                assert abs(implied - v) > 1000, (gender, implied)


def test_decomposition_identity_and_json_arithmetic_fail(hr_build):
    hr, out = hr_build
    kf = json.loads((out / str(YEAR_HR) / "lonnsgap-persondata.json").read_text(encoding="utf-8"))
    parts = kf["decomposition_grouped"]
    keys = ["men_outside_support", "women_outside_support", "composition", "within_groups"]
    hidden = [k for k in keys if parts[k] is None]
    # the parts rest on groups of 1 and 3 persons: hidden, never alone (total − shown)
    assert {"men_outside_support", "women_outside_support"} <= set(hidden)
    assert len(hidden) >= 2
    # the route: women's mean + n_women × women_outside_support
    assert parts["women_outside_support"] is None and parts["men_outside_support"] is None
    # the HTML table shows the same (":" for the hidden parts, in all three references)
    rows = table_like(
        out / str(YEAR_HR) / "lonnsgap-persondata.html", f"Lønnsgapet {YEAR_HR} delt i fire"
    )
    for r in rows[1:]:
        if r[0].startswith(("Menn i stillingsgrupper", "Kvinner i stillingsgrupper", "Ulik")):
            assert all(c == ":" for c in r[1:]), r
    # no number in any output equals total − within (the merged bar is that; fine) minus a
    # shown part: with the outside parts and composition hidden nothing else is shown
    shown = [k for k in keys if parts[k] is not None]
    assert shown == ["within_groups"]


def test_sick_leave_small_cells_not_recoverable(hr_build):
    hr, out = hr_build
    texts = corpus(out)
    k_rate = 100 * sum(CONSULTANT_SICK) / (3 * AGREED)
    m_rate = 100 * APPRENTICE_SICK / AGREED
    forms = lambda v: {f"{v:.1f}".replace(".", ","), f"{v:.2f}".replace(".", ",")}  # noqa: E731
    for name, v in (("consultants", k_rate), ("apprentice", m_rate)):
        for form in forms(v):
            pat = r"(?<![\d,])" + re.escape(form) + r"\s?%"
            hits = [f for f, t in texts.items() if "sykefravaer" in f and re.search(pat, t)]
            assert not hits, (name, form, hits)
    rows = table_like(
        out / str(YEAR_HR) / "sykefravaer-persondata.html", "Sykefravær etter stillingsgruppe"
    )
    head, body = rows[0], rows[1:]
    n_col = head.index("Personer (N)")
    for gender in ("kvinner", "menn"):
        total = next(r for r in body if r[0] == f"Alle stillingsgrupper, {gender}")
        cells = [r for r in body if r[0].endswith(f", {gender}") and not r[0].startswith("Alle")]
        n_hidden = num(total[n_col]) - sum(num(r[n_col]) or 0 for r in cells)
        assert n_hidden == 0 or n_hidden >= MIN_CELL, (gender, n_hidden)
        assert sum(num(r[n_col]) is None for r in cells) != 1
    # the job-group totals ("i alt") against the grand total
    groups = [r for r in body if r[0].endswith(", i alt") and not r[0].startswith("Alle")]
    grand = next(r for r in body if r[0] == "Alle stillingsgrupper, i alt")
    n_hidden = num(grand[n_col]) - sum(num(r[n_col]) or 0 for r in groups)
    assert n_hidden == 0 or n_hidden >= MIN_CELL


def test_no_person_ids_anywhere(hr_build):
    hr, out = hr_build
    texts = corpus(out)
    for pid in hr["person_id"].astype(str).head(50).tolist() + ["X-000", "X-003"]:
        assert not any(pid in t for t in texts.values()), pid


# --------------------------------------------------------------------------- Jobbsjansen


def test_phased_out_count_not_printed(jj_build):
    reg, out = jj_build
    page = (out / str(YEAR_JJ) / "jobbsjansen-persondata.html").read_text(encoding="utf-8")
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", page))
    assert not re.search(r"de 2 som ble faset ut", text)
    kf = json.loads(
        (out / str(YEAR_JJ) / "jobbsjansen-persondata.json").read_text(encoding="utf-8")
    )
    # JSON arithmetic: n_transition / rate incl. phased out − n_completed = phased out
    assert kf["transition_rate_incl_phased_out"] is None
    rows = table_like(out / str(YEAR_JJ) / "jobbsjansen-persondata.html", "Status ved avslutning")
    phased = next(r for r in rows if r[0].startswith("Faset ut"))
    assert phased[1] == ":"
    # the group tables' "Alle" row: no rate with the phased out in the denominator
    for caption, rows in tables(out / str(YEAR_JJ) / "jobbsjansen-persondata.html").items():
        if not caption.startswith("Overgang til arbeid og/eller utdanning etter"):
            continue
        head = rows[0]
        if "Andel med utfasede i nevneren" in head:
            i = head.index("Andel med utfasede i nevneren")
            alle = next(r for r in rows if r[0] == "Alle")
            assert num(alle[i]) is None, caption


def test_hidden_projects_never_named_and_tainted_municipality_left_out(jj_build):
    reg, out = jj_build
    texts = corpus(out)
    for pid in ("JJ-TAINT-7", "JJ-SOLO-9", "Kommune Solo"):
        assert not any(pid in t for t in texts.values()), pid
    tainted = reg.loc[reg["project_id"] == "JJ-TAINT-7", "municipality"].iloc[0]
    # one table lists the projects with their municipality; a municipality with a hidden
    # project is never named (its size less its listed projects would give the hidden one)
    rows = table_like(
        out / str(YEAR_JJ) / "jobbsjansen-persondata.html", "Overgang per prosjekt og kommune"
    )
    col = rows[0].index("Kommune/bydel")
    assert tainted not in [r[col] for r in rows[1:]], "municipality − its listed projects = hidden"
    assert "–" in [r[col] for r in rows[1:]]  # its other project is listed without the name
    # the tainted municipality would have been listed on its size alone
    end = pd.to_datetime(reg["end_date"])
    completers = reg.loc[(end.dt.year == YEAR_JJ) & (reg["exit_status"] != "utfaset")]
    assert (completers["municipality"] == tainted).sum() >= MIN_CELL


def test_target_group_union_not_recoverable(jj_build):
    reg, out = jj_build
    kf = json.loads(
        (out / str(YEAR_JJ) / "jobbsjansen-persondata.json").read_text(encoding="utf-8")
    )
    groups = kf["by_target_group"]
    assert groups["annet"] is None  # three completers
    shown = [g for g in groups.values() if g is not None]
    for key in ("n_completed", "n_transition"):
        rest = kf[key] - sum(g[key] for g in shown)
        if key == "n_completed":
            assert rest == 0 or rest >= MIN_CELL, rest
    assert sum(g is None for g in groups.values()) != 1
    rows = table_like(
        out / str(YEAR_JJ) / "jobbsjansen-persondata.html", "Overgang til arbeid og/eller"
    )
    head, body = rows[0], rows[1:]
    i = head.index("Fullførte (N)")
    alle = next(r for r in body if r[0] == "Alle")
    rest = num(alle[i]) - sum(num(r[i]) or 0 for r in body if r[0] != "Alle")
    assert rest == 0 or rest >= MIN_CELL


def test_number_forms_cover_the_formats():
    """The scan's own forms (so a format change in the reports cannot slip past it)."""
    forms = number_forms(517_343.0)
    for f in ("517343", "517 343", "517\u00a0343", "517\u202f343", "517\u2009343", "517.343"):
        assert f in forms
    assert "517,3 tusen" in forms
    assert any(f.startswith("523447,6") for f in number_forms(523_447.666))
    # and the scan finds a value written any of those ways
    texts = {"a": "… 231\u202f917 kr …", "b": "x"}
    assert find_any(texts, {"v": 231_917.0})
    assert not find_any({"a": "2319170"}, {"v": 231_917.0})


def test_number_parser():
    assert num("1\u202f234,5\u00a0kr") == 1234.5 and num(":") is None and num("\u22123 %") == -3
