"""A municipality that holds a hidden project is never listed (analysis.disclosure.register).

docs/methods.md and the module docstring of :mod:`analysis.disclosure.register`: projects are
named only with at least ``min_cell`` completers and not hidden, and *a municipality holding a
hidden project is not listed* (its count is the sum of its projects'). The register below is
built so that only this rule keeps Oslo out: the joint audit alone would let Oslo be shown,
because Oslo's count minus its listed project P1 is P2 + P4, a sum that the project table
already gives away (total − P1 − P3) and that is not below ``min_cell``. Every expected value
is counted by hand from the register.
"""

from __future__ import annotations

import pandas as pd

from analysis.disclosure.register import protect_dimensions
from analysis.jobbsjansen import measures as jj

MIN_CELL = 3

# project, municipality, completers (all with exit year 2024, one target group, gender and
# age band, so the other one-way tables have a single row equal to the total)
PROJECTS = (("P1", "Oslo", 6), ("P2", "Oslo", 2), ("P4", "Oslo", 2), ("P3", "Bergen", 6))


def _register() -> pd.DataFrame:
    rows = []
    for project, municipality, n in PROJECTS:
        for _ in range(n):
            rows.append(
                (
                    len(rows) + 1,
                    project,
                    municipality,
                    "K",
                    30,
                    "hjemmevaerende",
                    "2023-01-10",
                    "2024-02-01",
                    "arbeid",
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "participant_id",
            "project_id",
            "municipality",
            "gender",
            "age",
            "target_group",
            "start_date",
            "end_date",
            "exit_status",
        ],
    )


def test_municipality_with_a_hidden_project_is_not_listed():
    reg = _register()
    raw = jj.transition_rates_by_dimension(reg, 2024)
    # by hand: Oslo 6 + 2 + 2 = 10 completers, Bergen 6; both at least min_cell = 3, so the
    # municipality table on its own hides neither
    mun = raw.loc[raw["dimension"] == "municipality"].set_index("group")["n_completed"]
    assert mun.to_dict() == {"Bergen": 6, "Oslo": 10}

    rates, listed_proj, hidden_ids, listed_mun = protect_dimensions(reg, raw, 2024, MIN_CELL)
    # P2 and P4 have 2 < 3 completers: hidden (primary suppression); P1 (6) is named
    assert {"P2", "P4"} <= hidden_ids
    assert "P1" in set(listed_proj["project_id"])
    assert listed_proj.set_index("project_id").loc["P1", "n_completed"] == 6
    # the rule: Oslo holds the hidden P2 and P4, so it is not listed
    assert "Oslo" not in set(listed_mun["group"].astype(str))
    # and in general no listed municipality holds a hidden project (counted from the register)
    holds_hidden = set(reg.loc[reg["project_id"].isin(hidden_ids), "municipality"])
    assert holds_hidden.isdisjoint(set(listed_mun["group"].astype(str)))


def test_projects_named_from_exactly_min_cell_completers_and_never_with_none():
    """docs/methods.md: a project is named with at least min_cell completers. P1 has exactly
    3 (named), P2 and P3 ten each; P6's two participants ended in 2024 but were both phased
    out (utfaset), so it has 0 completers: 0 is not a small count (nothing to hide), but a
    project with fewer than min_cell completers is never named."""
    rows = []
    for project, municipality, n, status in (
        ("P1", "Oslo", 3, "arbeid"),
        ("P2", "Bergen", 10, "arbeid"),
        ("P3", "Tromsø", 10, "annet"),
        ("P6", "Bodø", 2, "utfaset"),
    ):
        for _ in range(n):
            rows.append(
                (
                    len(rows) + 1,
                    project,
                    municipality,
                    "K",
                    30,
                    "hjemmevaerende",
                    "2023-01-10",
                    "2024-02-01",
                    status,
                )
            )
    reg = pd.DataFrame(rows, columns=_register().columns)
    raw = jj.transition_rates_by_dimension(reg, 2024)
    proj = raw.loc[raw["dimension"] == "project_id"].set_index("group")["n_completed"]
    assert proj.to_dict() == {"P1": 3, "P2": 10, "P3": 10, "P6": 0}
    _, listed_proj, hidden_ids, listed_mun = protect_dimensions(reg, raw, 2024, MIN_CELL)
    assert set(listed_proj["project_id"]) == {"P1", "P2", "P3"}
    assert hidden_ids == {"P6"}
    # Bodø holds only the unnamed P6 (0 completers): not listed either; Oslo has exactly 3
    assert set(listed_mun["group"]) == {"Oslo", "Bergen", "Tromsø"}
