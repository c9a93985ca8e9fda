"""protect_dimensions (analysis.disclosure.register) on a hand-made register: the joint audit
of the one-way tables of completers and of the phased-out counts, worked out by hand.

The rules (module docstring, docs/methods.md «Prikking», and the docstring of
analysis.disclosure.tables.joint_audit): each dimension gets primary and secondary
suppression against the total; then every shown value is written as a sum over the atoms
(the cross-classification of the dimensions) and, while a hidden value can be solved for, the
smallest shown value that is not the total and whose removal stops the derivation is hidden
too (protected again in its own table), until nothing hidden can be solved for. The same for
the phased-out counts over target group × gender × age band. Each step is spelt out below.

The threshold is 3 (not the default 5), so that the threshold must be passed on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.disclosure.register import protect_dimensions
from analysis.jobbsjansen import measures as jj

MIN_CELL = 3
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
]
TG1, TG2, TG3 = "hjemmevaerende", "overgangsstonad", "sosialhjelp"


def _rows(n, project, municipality, gender, age, target, end, status):
    return [(project, municipality, gender, age, target, end, status)] * n


def _register(noise: bool = True) -> pd.DataFrame:
    """Completers in 2024 (all women aged 30):

    ======  =====  ===========  ==========
    group   P1     P2 (Bergen)  all
            (Oslo)
    ======  =====  ===========  ==========
    TG1            2            2
    TG2     6                   6
    TG3            10           10
    all     6      12           18
    ======  =====  ===========  ==========

    Phased out in 2024 (all in P2): TG1 2 women aged 20, TG2 5 men aged 30, TG3 6 women aged
    30 (13 in all).

    Noise that must not count: one completer who ended in 2023 (TG3, P2, a woman aged 45)
    and two participants still in the programme (TG1, P1).
    """
    end = "2024-03-01"
    rows = (
        _rows(2, "P2", "Bergen", "K", 30, TG1, end, "arbeid")
        + _rows(6, "P1", "Oslo", "K", 30, TG2, end, "arbeid")
        + _rows(10, "P2", "Bergen", "K", 30, TG3, end, "annet")
        + _rows(2, "P2", "Bergen", "K", 20, TG1, end, "utfaset")
        + _rows(5, "P2", "Bergen", "M", 30, TG2, end, "utfaset")
        + _rows(6, "P2", "Bergen", "K", 30, TG3, end, "utfaset")
    )
    if noise:
        rows += _rows(1, "P2", "Bergen", "K", 45, TG3, "2023-06-01", "arbeid")
        rows += _rows(2, "P1", "Oslo", "K", 30, TG1, "", "")
    return pd.DataFrame(
        [
            (i + 1, p, m, g, a, t, "2022-01-10", e, s)
            for i, (p, m, g, a, t, e, s) in enumerate(rows)
        ],
        columns=COLUMNS,
    )


def _status(rates: pd.DataFrame, column: str) -> dict[tuple[str, str], bool]:
    """(dimension, group) → hidden? for one column (NaN = hidden)."""
    return {
        (d, str(g)): bool(pd.isna(v))
        for d, g, v in rates[["dimension", "group", column]].itertuples(index=False)
    }


def test_raw_counts_by_hand():
    raw = jj.transition_rates_by_dimension(_register(), 2024)
    n = {
        (d, g): c for d, g, c in raw[["dimension", "group", "n_completed"]].itertuples(index=False)
    }
    assert n[("alle", "alle")] == 18
    assert (n[("target_group", TG1)], n[("target_group", TG2)], n[("target_group", TG3)]) == (
        2,
        6,
        10,
    )
    assert (n[("project_id", "P1")], n[("project_id", "P2")]) == (6, 12)
    p = {
        (d, g): c for d, g, c in raw[["dimension", "group", "n_phased_out"]].itertuples(index=False)
    }
    assert p[("alle", "alle")] == 13
    assert (p[("gender", "K")], p[("gender", "M")]) == (8, 5)
    assert (p[("age_band", "<25")], p[("age_band", "30-39")]) == (2, 11)


def test_completers_and_phased_out_protected_together_by_hand():
    reg = _register()
    raw = jj.transition_rates_by_dimension(reg, 2024)
    rates, listed_proj, hidden_ids, listed_mun = protect_dimensions(reg, raw, 2024, MIN_CELL)

    # Completers. Target groups alone: TG1 (2) small, TG2 (6, the smallest other) secondary;
    # TG3 (10) shown. Projects P1 (6), P2 (12) and municipalities Oslo (6), Bergen (12) are
    # all large. But P2 − TG3 = 12 − 10 = TG1: the smallest shown value whose removal stops
    # this is TG3 (P1 and Oslo are smaller but not involved), so TG3 is forced. TG1 and TG3
    # (12 together) then protect each other in their table and TG2 needs no hiding: shown.
    # Now TG2 = P1 = Oslo and P2 = Bergen = TG1 + TG3, none of which isolates a hidden value.
    hidden = _status(rates, "n_completed")
    assert {k for k, v in hidden.items() if v} == {("target_group", TG1), ("target_group", TG3)}
    assert hidden_ids == set()
    assert set(listed_proj["project_id"]) == {"P1", "P2"}
    assert set(listed_mun["group"]) == {"Oslo", "Bergen"}
    assert rates.loc[rates["dimension"] == "alle", "n_completed"].tolist() == [18]

    # Phased out (13). By target group: TG1 (2) small, TG2 (5) secondary, TG3 (6) shown; by
    # gender K 8, M 5 shown; by age band <25 (2) small and 30-39 (11) secondary. But
    # TG1 = total − TG3 − M (13 − 6 − 5 = 2): hiding M alone does not stop it (K − TG3 also
    # gives TG1), hiding TG3 does, and then M is not needed: TG3 is forced. Then
    # TG2 = M: hiding M (5) leaves K and the total, whose difference is M again, so both go —
    # M forced, K secondary. Once the completers show TG2 again (above), its phased-out count
    # would come back too, and total − TG2 = 8 is K, hidden: TG2's phased-out count is forced
    # as well. Only the total is left.
    out = _status(rates, "n_phased_out")
    assert {k for k, v in out.items() if v and k[0] in ("target_group", "gender", "age_band")} == {
        ("target_group", TG1),
        ("target_group", TG2),
        ("target_group", TG3),
        ("gender", "K"),
        ("gender", "M"),
        ("age_band", "<25"),
        ("age_band", "30-39"),
    }
    assert not out[("alle", "alle")]
    # what reveals a hidden phased-out count is hidden with it
    row = rates.loc[(rates["dimension"] == "gender") & (rates["group"] == "M")].iloc[0]
    assert np.isnan(row["n_ended"]) and np.isnan(row["transition_rate_incl_phased_out"])


def test_no_hidden_value_can_be_solved_for():
    """The result checked by a second method: the shown values as equations over the atoms
    (counted here from the register), solved with numpy's rank test."""
    reg = _register()
    raw = jj.transition_rates_by_dimension(reg, 2024)
    rates, listed_proj, hidden_ids, listed_mun = protect_dimensions(reg, raw, 2024, MIN_CELL)
    reg = jj.prepare_register(reg)
    done = reg.loc[reg["completed"] & (reg["exit_year"] == 2024)]
    dims = ["target_group", "gender", "age_band", "project_id", "municipality"]
    atoms = sorted({tuple(str(v) for v in r) for r in done[dims].itertuples(index=False)})

    def vector(dim: str, group: str) -> np.ndarray:
        if dim == "alle":
            return np.ones(len(atoms))
        j = dims.index(dim)
        return np.array([a[j] == group for a in atoms], dtype=float)

    shown, hidden = [], []
    listed = {("project_id", str(p)) for p in listed_proj["project_id"]}
    listed |= {("municipality", str(m)) for m in listed_mun["group"]}
    for d, g, n in rates[["dimension", "group", "n_completed"]].itertuples(index=False):
        key = (d, str(g))
        is_shown = key in listed if d in ("project_id", "municipality") else not pd.isna(n)
        (shown if is_shown else hidden).append(vector(*key))
    a = np.array(shown)
    rank = np.linalg.matrix_rank(a)
    for v in hidden:
        if v.any():
            assert np.linalg.matrix_rank(np.vstack([a, v])) > rank


def test_noise_rows_do_not_count():
    # the same decisions without the 2023 completer and the participants still in the
    # programme: they are not in the year's tables, so they must not be in the atoms either
    with_noise = protect_dimensions(
        _register(), jj.transition_rates_by_dimension(_register(), 2024), 2024, MIN_CELL
    )
    clean = _register(noise=False)
    without = protect_dimensions(
        clean, jj.transition_rates_by_dimension(clean, 2024), 2024, MIN_CELL
    )
    pd.testing.assert_frame_equal(with_noise[0], without[0])
    assert with_noise[2] == without[2]


def test_a_year_without_completers():
    # 2025: nobody ended; the tables are the total only and nothing is hidden or listed
    reg = _register()
    raw = jj.transition_rates_by_dimension(reg, 2025)
    rates, listed_proj, hidden_ids, listed_mun = protect_dimensions(reg, raw, 2025, MIN_CELL)
    assert listed_proj.empty and listed_mun.empty and hidden_ids == set()
    assert rates["suppressed"].sum() == 0
