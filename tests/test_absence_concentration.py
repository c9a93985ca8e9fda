"""Every cell of analysis.sickleave.measures.absence_concentration, counted by hand.

The function's docstring defines the rows: for each share ``s`` the ``k = ⌈s·n⌉`` persons with
the most lost days and their share of all lost days; the long-term proxy (more than
``long_term_threshold_days`` lost days, default 16), the short-term proxy (0 < days ≤ the
threshold) and no absence, each with its share of persons and of lost days; and the Gini
coefficient. Persons are summed over their rows (``person_id``); persons without agreed days
are left out. Each expected number below is worked out by hand from the frame.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.sickleave.measures import absence_concentration

NAN = float("nan")
COLUMNS = [
    "kind",
    "measure",
    "share",
    "threshold_days",
    "person_share",
    "n_persons",
    "lost_days",
    "value",
]


def _frame() -> pd.DataFrame:
    """Ten persons at risk with certified days 0, 0, 0, 0, 1, 2, 3, 4, 20, 50 (total 80).
    q1 has only half an agreed day and is at risk all the same; q9's 50 days come from two
    rows (30 + 20); q0 also has 2 self-certified days; q10 has no agreed days (not at risk)
    and 7 certified days that must not count."""
    rows = [(f"q{i}", 200.0, float(d), 0.0) for i, d in enumerate([0, 0, 0, 0, 1, 2, 3, 4, 20])]
    rows[0] = ("q0", 200.0, 0.0, 2.0)
    rows[1] = ("q1", 0.5, 0.0, 0.0)  # half an agreed day: at risk all the same
    rows += [("q9", 100.0, 30.0, 0.0), ("q9", 100.0, 20.0, 0.0), ("q10", 0.0, 7.0, 0.0)]
    return pd.DataFrame(
        rows, columns=["person_id", "agreed_workdays", "sick_days_certified", "sick_days_self"]
    ).assign(gender="K")


def _as_records(c: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in c.itertuples(index=False)]


def _same(got: list[tuple], expected: list[tuple]) -> None:
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert g[:2] == e[:2]
        for a, b in zip(g[2:], e[2:], strict=True):
            if isinstance(b, float) and math.isnan(b):
                assert math.isnan(a), (g, e)
            else:
                assert a == pytest.approx(b, rel=1e-12), (g, e)


def test_every_cell_of_the_default_table():
    c = absence_concentration(_frame(), "legemeldt")
    assert list(c.columns) == COLUMNS
    assert c["n_persons"].dtype.kind == "i"
    # 5 % and 10 % of 10 persons: k = 1 (50 days); 20 %: k = 2 (50 + 20)
    # long term (> 16): 20 and 50; short term (1–16): 1, 2, 3, 4; none: four persons
    # Gini: Σ(2i − n − 1)·v_(i) / (n · Σv) = (−1·1 + 1·2 + 3·3 + 5·4 + 7·20 + 9·50)/(10·80)
    _same(
        _as_records(c),
        [
            ("legemeldt", "top_share", 0.05, NAN, 0.1, 1, 50.0, 50 / 80),
            ("legemeldt", "top_share", 0.10, NAN, 0.1, 1, 50.0, 50 / 80),
            ("legemeldt", "top_share", 0.20, NAN, 0.2, 2, 70.0, 70 / 80),
            ("legemeldt", "long_term_proxy", NAN, 16.0, 0.2, 2, 70.0, 70 / 80),
            ("legemeldt", "short_term_proxy", NAN, 16.0, 0.4, 4, 10.0, 10 / 80),
            ("legemeldt", "no_absence", NAN, 16.0, 0.4, 4, 0.0, 0.0),
            ("legemeldt", "gini", NAN, NAN, 1.0, 10, 80.0, 620 / 800),
        ],
    )


def test_kind_threshold_and_shares_are_used():
    """totalt: q0 now has 2 days (total 82). Threshold 3: long term 4, 20, 50 (74 days);
    short term 1, 2, 2, 3 (8 days); none: three persons. Share 0.25 of 10: k = 3 (50+20+4)."""
    c = absence_concentration(_frame(), "totalt", shares=(0.25,), long_term_threshold_days=3.0)
    # Gini of 0, 0, 0, 1, 2, 2, 3, 4, 20, 50 (i = 1..10): Σ(2i − 11)·v_(i) = −3·1 − 1·2 + 1·2
    # + 3·3 + 5·4 + 7·20 + 9·50 = 616, divided by n·Σv = 10·82
    gini = 616 / 820
    _same(
        _as_records(c),
        [
            ("totalt", "top_share", 0.25, NAN, 0.3, 3, 74.0, 74 / 82),
            ("totalt", "long_term_proxy", NAN, 3.0, 0.3, 3, 74.0, 74 / 82),
            ("totalt", "short_term_proxy", NAN, 3.0, 0.4, 4, 8.0, 8 / 82),
            ("totalt", "no_absence", NAN, 3.0, 0.3, 3, 0.0, 0.0),
            ("totalt", "gini", NAN, NAN, 1.0, 10, 82.0, gini),
        ],
    )


@pytest.mark.filterwarnings("error")
def test_nobody_absent_and_nobody_at_risk():
    """No lost days: shares of lost days are undefined (NaN), everyone is in no_absence.
    No person at risk: every share is NaN and every count 0 — without a numpy 0/0 warning
    in a notebook's output (warnings are errors here)."""
    hr = _frame().assign(sick_days_certified=0.0, sick_days_self=0.0)
    c = absence_concentration(hr, "legemeldt", shares=(0.5,)).set_index("measure")
    assert c.loc["no_absence", "n_persons"] == 10 and c.loc["no_absence", "person_share"] == 1.0
    assert c.loc["top_share", "n_persons"] == 5 and math.isnan(c.loc["top_share", "value"])
    for m in ("long_term_proxy", "short_term_proxy", "no_absence", "gini"):
        assert math.isnan(c.loc[m, "value"]), m
    assert c.loc["long_term_proxy", "n_persons"] == 0
    assert c.loc["long_term_proxy", "person_share"] == 0.0

    none = absence_concentration(_frame().assign(agreed_workdays=0.0), "legemeldt", shares=(0.5,))
    assert list(none.columns) == COLUMNS
    assert none["n_persons"].tolist() == [0, 0, 0, 0, 0]
    assert none["lost_days"].tolist() == [0.0] * 5
    assert none["person_share"].isna().all() and none["value"].isna().all()


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="ukjent fraværstype 'sykt'"):
        absence_concentration(_frame(), "sykt")


def test_less_than_one_lost_day_in_total_is_a_share():
    """Half a lost day in total (0.5 of 0.5): it is all short-term, a share of 1, not NaN."""
    hr = pd.DataFrame(
        {
            "person_id": ["a", "b"],
            "agreed_workdays": [200.0, 200.0],
            "sick_days_certified": [0.5, 0.0],
            "sick_days_self": 0.0,
        }
    )
    c = absence_concentration(hr, "legemeldt", shares=(0.5,)).set_index("measure")
    assert c.loc["short_term_proxy", "value"] == 1.0
    assert c.loc["long_term_proxy", "value"] == 0.0 and c.loc["no_absence", "value"] == 0.0
    assert c.loc["top_share", "value"] == 1.0 and c.loc["top_share", "lost_days"] == 0.5
