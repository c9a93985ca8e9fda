"""protect_dimensions (analysis.disclosure.register) against routes a reader can take through
the *total* and through *unlisted municipalities*, checked by a second method.

The check is independent of the code under test: the register's completers (and, separately,
its phased out) are counted here into atoms (target group × gender × age band × project ×
municipality; phased out: the first three), every value of the protected tables becomes the
0/1 vector of the atoms it sums over, and numpy's rank test says whether a hidden value – or a
single person's atom – lies in the span of the shown values. An unlisted project or
municipality counts as hidden (it is not named, so its count must not be derivable either),
as in docs/methods.md «Prikking». The registers were found by a search over small random
registers; the route each one closes is spelt out by hand in its test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.disclosure.register import protect_dimensions
from analysis.jobbsjansen import measures as jj

MIN_CELL = 3
YEAR = 2024
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
DIMS = ["target_group", "gender", "age_band", "project_id", "municipality"]
PHASED_DIMS = ["target_group", "gender", "age_band"]
HJEM, OVERG, SOS = "hjemmevaerende", "overgangsstonad", "sosialhjelp"


def _register(blocks: list[tuple]) -> pd.DataFrame:
    """(n, project, municipality, gender, age, target group, exit status) → one row per person,
    all ending in 2024."""
    rows = [b[1:] for b in blocks for _ in range(b[0])]
    return pd.DataFrame(
        [(i + 1, p, m, g, a, t, "2022-01-10", "2024-03-01", s) for i, (p, m, g, a, t, s) in
         enumerate(rows)],
        columns=COLUMNS,
    )  # fmt: skip


def _derivable(reg: pd.DataFrame, result, min_cell: int) -> list[tuple]:
    """Hidden values and one-person atoms a reader can solve for (the second method)."""
    rates, listed_proj, _, listed_mun = result
    p = jj.prepare_register(reg)
    listed = {("project_id", str(x)) for x in listed_proj["project_id"]}
    listed |= {("municipality", str(x)) for x in listed_mun["group"]}
    found = []
    for kind, who, dims, column in (
        ("completed", p["completed"], DIMS, "n_completed"),
        ("phased_out", p["phased_out"], PHASED_DIMS, "n_phased_out"),
    ):
        people = p.loc[who & (p["exit_year"] == YEAR)]
        keys = [tuple(str(v) for v in r) for r in people[dims].itertuples(index=False)]
        atoms = sorted(set(keys))
        persons = np.array([keys.count(a) for a in atoms], dtype=float)

        def vector(dim: str, group: str, atoms=atoms, dims=dims) -> np.ndarray:
            if dim == "alle":
                return np.ones(len(atoms))
            return np.array([a[dims.index(dim)] == group for a in atoms], dtype=float)

        shown, hidden = [], []
        for dim, group, n in rates[["dimension", "group", column]].itertuples(index=False):
            if dim != "alle" and dim not in dims:
                continue
            key = (dim, str(group))
            named = dim in ("project_id", "municipality")
            is_shown = key in listed if named else not pd.isna(n)
            (shown if is_shown else hidden).append((key, vector(*key)))
        a = np.array([v for _, v in shown]).reshape(len(shown), len(atoms))
        rank = np.linalg.matrix_rank(a)

        def solvable(v: np.ndarray, a=a, rank=rank) -> bool:
            return np.linalg.matrix_rank(np.vstack([a, v])) == rank

        found += [(kind, key) for key, v in hidden if v.any() and solvable(v)]
        for i, atom in enumerate(atoms):
            if persons[i] < min_cell and solvable(np.eye(len(atoms))[i]):
                found.append((kind, atom))
    return found


def _protect(reg: pd.DataFrame):
    """protect_dimensions on the register's 2024 tables, at the threshold of these tests."""
    return protect_dimensions(reg, jj.transition_rates_by_dimension(reg, YEAR), YEAR, MIN_CELL)


def _hidden(rates: pd.DataFrame, column: str) -> set[tuple[str, str]]:
    return {
        (d, str(g))
        for d, g, v in rates[["dimension", "group", column]].itertuples(index=False)
        if pd.isna(v)
    }


def test_routes_through_the_total_are_closed():
    """Completers (24): P1 in Oslo 1 + 10, P2 in Bergen 2, P3 in Bergen 3, P4 in Moss 8.
    Phased out (5): five young men in sosialhjelp, all in P3.

    Routes through the total: P2 (2 persons) = total − P1 − overgangsstønad (24 − 11 − 11),
    since overgangsstønad is exactly P3 and P4; and for the phased out, every shown group
    holds all five, so a hidden age band «<25» (hidden with its completers) equals the
    total. An audit that leaves the total's equation out misses both.
    """
    reg = _register(
        [
            (1, "P1", "Oslo", "K", 22, HJEM, "arbeid"),
            (10, "P1", "Oslo", "K", 45, SOS, "annet"),
            (2, "P2", "Bergen", "K", 33, HJEM, "annet"),
            (5, "P3", "Bergen", "M", 22, SOS, "utfaset"),
            (3, "P3", "Bergen", "M", 45, OVERG, "annet"),
            (8, "P4", "Moss", "K", 33, OVERG, "annet"),
        ]
    )
    result = _protect(reg)
    assert _derivable(reg, result, MIN_CELL) == []
    rates, listed_proj, hidden_ids, _ = result
    # by hand: the one-person age band <25 is small; P2 (2) is small and never named
    assert ("age_band", "<25") in _hidden(rates, "n_completed")
    assert "P2" in hidden_ids and "P2" not in set(listed_proj["project_id"])
    # the total of completers needs no hiding (24, and no hidden value equals it) …
    assert rates.loc[rates["dimension"] == "alle", "n_completed"].tolist() == [24]
    # … but the phased-out total (5) equals the hidden «<25»: it goes, and with it every
    # group holding all five (sosialhjelp, men)
    phased = _hidden(rates, "n_phased_out")
    assert {("alle", "alle"), ("target_group", SOS), ("gender", "M")} <= phased


def test_an_unlisted_municipality_is_not_given_away_by_the_total():
    """Four completers, all in Bergen: P2 has two, P3 two (one man). Both projects are small,
    so neither is named and Bergen, holding them, is not listed. But Bergen's count is the
    total's (every completer is in Bergen): a shown total names Bergen's count. The total is
    hidden; the groups are all small or their complements, so nothing is left to show."""
    reg = _register(
        [
            (2, "P2", "Bergen", "K", 22, OVERG, "annet"),
            (1, "P3", "Bergen", "K", 22, HJEM, "arbeid"),
            (8, "P3", "Bergen", "K", 22, OVERG, "utfaset"),
            (1, "P3", "Bergen", "M", 33, SOS, "annet"),
        ]
    )
    result = _protect(reg)
    assert _derivable(reg, result, MIN_CELL) == []
    rates, listed_proj, hidden_ids, listed_mun = result
    assert listed_proj.empty and listed_mun.empty and hidden_ids == {"P2", "P3"}
    assert ("alle", "alle") in _hidden(rates, "n_completed")
    # Bergen's row is not suppressed in its own table (4 persons), it is only not listed
    assert not rates.loc[rates["group"] == "Bergen", "suppressed"].item()


def test_the_phased_out_audit_uses_the_reports_threshold():
    """Ten completers (all in P1, Oslo) and ten phased out: four men aged 30–39 in
    overgangsstønad and six women aged 40–49 in sosialhjelp. With min_cell 3 every phased-out
    count (10, 4, 6) may be shown, although each group is exactly one atom: four persons are
    not «fewer than 3». With the default threshold 5 the four would be a small derivable sum;
    the report's threshold must reach the phased-out audit too."""
    reg = _register(
        [
            (10, "P1", "Oslo", "K", 33, HJEM, "arbeid"),
            (4, "P1", "Oslo", "M", 33, OVERG, "utfaset"),
            (6, "P1", "Oslo", "K", 45, SOS, "utfaset"),
        ]
    )
    result = _protect(reg)
    rates = result[0]
    assert _hidden(rates, "n_phased_out") == set()
    shown = {
        (d, str(g)): n
        for d, g, n in rates[["dimension", "group", "n_phased_out"]].itertuples(index=False)
    }
    assert shown[("alle", "alle")] == 10
    assert (shown[("target_group", OVERG)], shown[("target_group", SOS)]) == (4, 6)
    assert (shown[("gender", "M")], shown[("age_band", "40-49")]) == (4, 6)
    assert _derivable(reg, result, MIN_CELL) == []


def test_phased_out_all_in_one_group_hidden_with_their_age_band():
    """Completers (14): four women under 25 in P1 (Oslo), eight men under 25 in P2 and two men
    aged 30–39 in P3 (both Bergen). Phased out (8): eight men aged 30–39 in sosialhjelp, all in
    P1.

    The completers' age bands are hidden (30–39 holds two; «<25» goes with it), and a hidden
    row hides its phased-out count too. But all eight phased out are aged 30–39, so that hidden
    count equals the phased-out total, and equals every group that holds all eight
    (sosialhjelp, men): none of them may be shown. An audit that wrote each group as the
    persons *outside* it would still see the same equations, but rank the candidates
    backwards and leave these counts shown.
    """
    reg = _register(
        [
            (4, "P1", "Oslo", "K", 22, HJEM, "annet"),
            (8, "P1", "Oslo", "M", 33, SOS, "utfaset"),
            (8, "P2", "Bergen", "M", 22, OVERG, "arbeid"),
            (2, "P3", "Bergen", "M", 33, OVERG, "arbeid"),
        ]
    )
    result = _protect(reg)
    assert _derivable(reg, result, MIN_CELL) == []
    rates = result[0]
    assert {("age_band", "<25"), ("age_band", "30-39")} <= _hidden(rates, "n_completed")
    phased = _hidden(rates, "n_phased_out")
    assert {("alle", "alle"), ("target_group", SOS), ("gender", "M")} <= phased
    assert ("age_band", "30-39") in phased
