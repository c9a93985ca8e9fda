"""A count that IMDi publishes is not hidden data (review of issue 20, item 27).

Synthetic person-level data reproduce the published head counts of each job group, so the
synthetic pay tables print those counts even in rows whose pay figures are hidden, and say
so in the note. Real person-level data keep the counts of a hidden row hidden whatever they
are (the decision must not depend on comparing a small group's real count with the
published one).

The expected counts are read by hand from IMDi's published table for 2025 (Likestillings-
redegjørelse 2025, «Likelønn mellom kvinner og menn»): Toppledere N = 8 with 25,00 % men
(2 men, 6 women), Mellomledere N = 15 with 53,33 % men (8 men, 7 women),
Konsulenter/sekretærer N = 2 with 0,00 % men (0 men, 2 women).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis.data.synthetic import synth_hr
from analysis.disclosure.hr import COUNTS_PUBLISHED, hide_pay_groups, show_published_counts
from analysis.paygap import report as L
from analysis.paygap import tables
from analysis.render.tables import html_table

PUBLISHED_2025 = {"toppleder": (2, 6), "mellomleder": (8, 7), "konsulent": (0, 2)}

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _rows(html: str) -> dict[str, list[str]]:
    """Row header → the cells' texts, for every body row of a rendered table."""
    out = {}
    for tr in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", html):
        head, _, rest = tr.partition("</th>")
        out[head] = re.findall(r"<td[^>]*>(.*?)</td>", rest)
    return out


def _frames():
    computed = pd.DataFrame(
        {
            "group": ["toppleder", "saksbehandler", "alle"],
            "n_men": [2, 68, 70],
            "n_women": [6, 160, 166],
            "mean_men": [1.3e6, 7.4e5, 7.9e5],
        }
    )
    published = pd.DataFrame(
        {"group": ["toppleder", "saksbehandler"], "n_men": [2, 68], "n_women": [6, 160]}
    )
    return computed, published, hide_pay_groups(computed, ["toppleder"])


def test_synthetic_counts_equal_to_published_are_shown_pay_stays_hidden():
    computed, published, hidden = _frames()
    out = show_published_counts(hidden, computed, published, synthetic=True, published_year=2025)
    top = out.set_index("group").loc["toppleder"]
    assert (top["n_men"], top["n_women"]) == (2, 6)
    assert np.isnan(top["mean_men"]) and bool(top["suppressed"]) and bool(top[COUNTS_PUBLISHED])
    assert not out.set_index("group").loc["saksbehandler", COUNTS_PUBLISHED]  # not hidden


def test_synthetic_counts_that_differ_from_published_stay_hidden():
    computed, published, hidden = _frames()
    published.loc[0, "n_women"] = 7  # the synthetic data do not reproduce this count
    out = show_published_counts(hidden, computed, published, synthetic=True)
    top = out.set_index("group").loc["toppleder"]
    assert np.isnan(top["n_men"]) and np.isnan(top["n_women"]) and not top[COUNTS_PUBLISHED]


def test_real_person_data_counts_stay_hidden_even_when_equal_to_published():
    computed, published, hidden = _frames()
    out = show_published_counts(hidden, computed, published, synthetic=False)
    top = out.set_index("group").loc["toppleder"]
    assert np.isnan(top["n_men"]) and np.isnan(top["n_women"]) and not top[COUNTS_PUBLISHED]


def test_html_table_prints_kept_cells_of_a_suppressed_row():
    f = pd.DataFrame({"g": ["A", "B"], "n": [3.0, 40.0], "pay": [np.nan, 5.0]})
    html = html_table(
        f,
        caption="T",
        row_header="g",
        formats={"n": lambda v: f"{v:.0f}", "pay": lambda v: f"{v:.0f}"},
        suppressed=pd.Series([True, False]),
        shown={"n": pd.Series([True, False])},
    )
    assert _rows(html) == {"A": ["3", ":"], "B": ["40", "5"]}


def test_synthetic_2025_tables_print_the_published_counts_and_say_why():
    r = L.build(2025)
    assert r.person.synthetic
    for html in (
        tables.html_measures_table(r.measures, year=2025, synthetic=True, min_cell=r.min_cell),
        tables.html_eu_table(r.eu_categories, year=2025),
    ):
        rows = _rows(html)
        for group, (men, women) in PUBLISHED_2025.items():
            label = {
                "toppleder": "Toppledere",
                "mellomleder": "Mellomledere",
                "konsulent": "Konsulenter/sekretærer",
            }[group]
            cells = rows[label]
            assert cells[:2] == [str(men), str(women)], label
            assert set(cells[2:]) == {":"}, label  # the synthetic pay values stay hidden
        assert "lønnstall fra de syntetiske dataene" in html
        assert "IMDis publiserte antall for 2025" in html


def test_real_person_data_2025_hide_the_counts_of_small_groups(tmp_path):
    """Real person-level data (ids without the synthetic marker) for a published year: the
    counts of a hidden group are hidden in every computed table, here with a count that
    differs from the published one (3 male top managers instead of 2)."""
    hr = synth_hr(2025, 7).frame.copy()
    extra = hr.loc[(hr["job_group"] == "toppleder") & (hr["gender"] == "M")].iloc[[0]].copy()
    hr = pd.concat([hr, extra], ignore_index=True)
    hr["person_id"] = [f"P{i:04d}" for i in range(len(hr))]
    path = tmp_path / "hr.csv"
    hr.to_csv(path, index=False)
    r = L.build(2025, hr_data=str(path))
    assert r.person.data_source == "microdata"
    for frame in (r.measures, r.eu_categories):
        top = frame.set_index("group").loc["toppleder"]
        assert bool(top["suppressed"]) and not bool(top[COUNTS_PUBLISHED])
        assert np.isnan(top["n_men"]) and np.isnan(top["n_women"])
    for html in (
        tables.html_measures_table(r.measures, year=2025, synthetic=False, min_cell=5),
        tables.html_eu_table(r.eu_categories, year=2025),
    ):
        assert set(_rows(html)["Toppledere"]) == {":"}
        assert "publiserte antall" not in html
