"""Synthetic Jobbsjansen registers calibrated to the published figures (:func:`synth_jobbsjansen`).

One row per participant spell active in an exit year, with the published number of
participants, projects and municipalities and the published transition rate to work or
education. Method and calibration are documented in ``docs/schemas.md``.

References
----------
.. [3] Train, K. (2009). *Discrete Choice Methods with Simulation*, ch. 3: the logit model as
   a latent-variable threshold model, used for the transitions to work or education.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import TARGET_GROUPS, TOTAL, TRANSITION_STATUSES
from analysis.data.microdata import JOBBSJANSEN_SCHEMA, as_schema_types
from analysis.data.synthetic.common import (
    SYNTHETIC_PREFIX,
    SynthResult,
    _choose,
    _ids,
    _published,
    nearest_year,
)
from analysis.render.formatting import fmt_number
from analysis.render.jsonable import to_jsonable

# --------------------------------------------------------------------------- assumptions
# Everything below is an assumption, not a published figure; see docs/schemas.md.

#: Jobbsjansen: share of the year's participants whose spell ends in the year
EXIT_SHARE = 0.5
#: Jobbsjansen: share of exits that are phased out early (``utfaset``)
UTFASET_SHARE = 0.03
#: Jobbsjansen: share of projects for youth when no published split is found
DEFAULT_YOUTH_PROJECT_SHARE = 0.15
#: Jobbsjansen: smallest project when no published minimum is found
DEFAULT_MIN_PROJECT_SIZE = 5
#: Jobbsjansen: share of men in youth projects and in projects for adults
_MEN_SHARE_YOUTH, _MEN_SHARE_ADULT = 0.45, 0.03
#: Jobbsjansen: target groups of adult projects
_ADULT_MIX = {
    "hjemmevaerende": 0.40,
    "overgangsstonad": 0.15,
    "sosialhjelp": 0.22,
    "familiegjenforent": 0.15,
    "annet": 0.08,
}
#: Jobbsjansen: effect of the target group on the log-odds of a transition (illustrative)
_TARGET_GROUP_EFFECT = {
    "hjemmevaerende": -0.25,
    "overgangsstonad": 0.10,
    "sosialhjelp": -0.35,
    "familiegjenforent": 0.25,
    "ungdom": 0.35,
    "annet": 0.0,
}
#: Jobbsjansen: sd of the random project effect on the log-odds of a transition
PROJECT_EFFECT_SD = 0.5
#: Jobbsjansen: split of transitions into arbeid / utdanning / arbeid_og_utdanning
_TRANSITION_SPLIT = {"adult": (0.60, 0.20, 0.20), "youth": (0.35, 0.45, 0.20)}


# --------------------------------------------------------------------------- Jobbsjansen


def resolve_qualifier(value: float, qualifier: object) -> int:
    """A whole number for a published count with a qualifier.

    ``over X`` / ``mer enn X`` → ``X`` plus 1 % of ``X`` rounded to the nearest ten (at least
    1): "over 1300" → 1310. ``under X`` → the same below. Anything else (``om lag``, ``minst``,
    none) → ``X``.
    """
    q = "" if qualifier is None or pd.isna(qualifier) else str(qualifier).strip().lower()
    step = max(1, int(round(0.01 * value / 10.0)) * 10)
    if q in {"over", "mer enn", "more than", ">"}:
        return int(round(value)) + step
    if q in {"under", "færre enn", "less than", "<"}:
        return int(round(value)) - step
    return int(round(value))


@dataclass(frozen=True)
class _Figure:
    year: int
    value: float
    qualifier: str | None
    programme: str


def _figure(js: pd.DataFrame, indicator: str, year: int, group: str = TOTAL) -> _Figure | None:
    rows = js.loc[(js["indicator"] == indicator) & (js["group"] == group) & js["year"].notna()]
    y = nearest_year(rows["year"], year)
    if y is None:
        return None
    r = rows.loc[rows["year"] == y].iloc[0]
    q = None if pd.isna(r["qualifier"]) else str(r["qualifier"])
    return _Figure(int(y), float(r["value"]), q, str(r["programme"]))


def synth_jobbsjansen(
    year: int, seed: int, *, directory: Path | None = None, status_1y: bool | None = None
) -> SynthResult:
    """A synthetic Jobbsjansen register for exit year ``year``, calibrated to published figures.

    The register holds every spell active in ``year``: spells ending in ``year`` (about half,
    :data:`EXIT_SHARE`; their starts reach back into earlier years) and spells still running at
    the end of the year (no end date; started in ``year - 1`` or ``year``).

    Parameters
    ----------
    year
        The exit year. Without a published transition rate for it, the nearest year with one
        is used (ties: the later) and ``fallback`` is set.
    seed
        Seed for ``numpy.random.default_rng``.
    directory
        Directory of the published tables.
    status_1y
        Include ``status_1y`` for the spells that ended: ``None`` (default) only when SSB's
        follow-up rate is published for ``year``; ``True`` always (calibrated to the nearest
        published follow-up rate); ``False`` never.

    Returns
    -------
    SynthResult
        ``frame`` has the columns of :data:`~analysis.data.microdata.JOBBSJANSEN_SCHEMA`.

    Notes
    -----
    Calibrated (see ``docs/schemas.md``): number of participants (distinct participants with a
    spell in the year; "over X" resolved by :func:`resolve_qualifier`), projects and
    municipalities as published for the nearest year; IMDi's transition rate (exits to
    ``arbeid``, ``utdanning`` or ``arbeid_og_utdanning`` / all exits except ``utfaset``) equal
    to the published rate up to rounding to a whole person. Who makes the transition follows a
    logit latent-variable model (Train 2009, ch. 3) with random project effects (sd
    :data:`PROJECT_EFFECT_SD` on the log-odds scale), target-group and age effects; the
    threshold is set at the T-th largest latent value, T = rate × eligible exits.
    """
    js = _published("jobbsjansen", directory)
    rate = _figure(js, "transition_rate_pct", year)
    if rate is None:
        raise ValueError(
            "den publiserte tabellen jobbsjansen har ingen transition_rate_pct for 'alle' i noe år"
        )
    part = _figure(js, "participants", year)
    if part is None:
        raise ValueError(
            "den publiserte tabellen jobbsjansen har ingen participants for 'alle' i noe år"
        )
    proj = _figure(js, "projects", year)
    mun = _figure(js, "municipalities", year)
    districts = _figure(js, "city_districts", year)
    p_min = _figure(js, "participants_per_project_min", year)
    p_max = _figure(js, "participants_per_project_max", year)
    follow = _figure(js, "followup_1y_rate_pct", year)

    n = resolve_qualifier(part.value, part.qualifier)
    n_proj = int(proj.value) if proj is not None else max(1, n // 30)
    n_mun = min(int(mun.value), n_proj) if mun is not None else n_proj
    n_districts = (
        int(districts.value)
        if districts is not None and mun is not None and districts.year == mun.year
        else 0
    )
    same_year = proj is not None
    min_size = (
        int(p_min.value)
        if p_min is not None and same_year and p_min.year == proj.year
        else DEFAULT_MIN_PROJECT_SIZE
    )
    max_size = (
        int(p_max.value) if p_max is not None and same_year and p_max.year == proj.year else None
    )
    min_size = min(min_size, n // n_proj)
    youth_share = DEFAULT_YOUTH_PROJECT_SHARE
    youth_year = None
    ungdom = js.loc[(js["indicator"] == "projects") & (js["group"] == "ungdom")]
    alle = js.loc[(js["indicator"] == "projects") & (js["group"] == TOTAL)]
    both = sorted(set(ungdom["year"].dropna()) & set(alle["year"].dropna()))
    if both:
        youth_year = nearest_year(both, year)
        youth_share = float(
            ungdom.loc[ungdom["year"] == youth_year, "value"].iloc[0]
            / alle.loc[alle["year"] == youth_year, "value"].iloc[0]
        )
    include_1y = (follow is not None and follow.year == year) if status_1y is None else status_1y
    if include_1y and follow is None:
        raise ValueError("ingen publisert oppfølgingsrate (followup_1y_rate_pct) å kalibrere mot")

    rng = np.random.default_rng(seed)
    frame = _generate_register(
        rng,
        year,
        n,
        n_proj,
        n_mun,
        n_districts,
        min_size,
        max_size,
        youth_share,
        rate.value,
        follow.value if include_1y and follow is not None else None,
    )

    fallback = rate.year != year
    if fallback:
        note = f"Ingen publisert overgangsrate for {year}; kalibrert mot {rate.year}."
    else:
        note = f"Kalibrert mot publiserte tall for {year}."
    if rate.programme != "Jobbsjansen":
        note += f" Overgangsraten gjelder forløperen {rate.programme}."
    if part.year != rate.year:
        note += f" Antall deltakere er fra {part.year}."
    if part.qualifier:
        note += (
            f" Publisert antall deltakere «{part.qualifier} {part.value:.0f}» er tolket som {n}."
        )
    if proj is not None and proj.year != rate.year:
        note += f" Antall prosjekter og kommuner er fra {proj.year}."
    if include_1y and follow is not None:
        note += (
            f" Status ett år etter er kalibrert mot SSBs {fmt_number(follow.value, 0)} prosent "
            f"for {follow.year}."
        )
    targets: dict[str, Any] = {
        "transition_rate_year": rate.year,
        "transition_rate_pct": rate.value,
        "programme": rate.programme,
        "participants_year": part.year,
        "participants_published": part.value,
        "participants_qualifier": part.qualifier,
        "participants": n,
        "projects_year": proj.year if proj else None,
        "projects": n_proj,
        "municipalities_year": mun.year if mun else None,
        "municipalities": n_mun,
        "city_districts": n_districts,
        "participants_per_project_min": min_size,
        "participants_per_project_max": max_size,
        "youth_project_share": youth_share,
        "youth_project_share_year": youth_year,
        "followup_1y_year": follow.year if include_1y and follow else None,
        "followup_1y_rate_pct": follow.value if include_1y and follow else None,
        "assumptions": {
            "exit_share": EXIT_SHARE,
            "utfaset_share_of_exits": UTFASET_SHARE,
            "project_effect_sd_logit": PROJECT_EFFECT_SD,
            "target_group_effect_logit": dict(_TARGET_GROUP_EFFECT),
            "men_share_youth_projects": _MEN_SHARE_YOUTH,
            "men_share_adult_projects": _MEN_SHARE_ADULT,
        },
    }
    return SynthResult(
        frame, int(year), int(seed), rate.year, fallback, note, to_jsonable(targets), "jobbsjansen"
    )


def _project_sizes(
    rng: np.random.Generator, n: int, n_proj: int, min_size: int, max_size: int | None
) -> np.ndarray:
    """Participants per project: a minimum plus a Dirichlet-multinomial share of the rest."""
    rest = n - n_proj * min_size
    sizes = min_size + rng.multinomial(rest, rng.dirichlet(np.full(n_proj, 4.0)))
    if max_size is not None and max_size * n_proj >= n:
        for _ in range(100):
            over = sizes > max_size
            if not over.any():
                break
            excess = int((sizes[over] - max_size).sum())
            sizes[over] = max_size
            room = np.maximum(max_size - sizes, 0)
            sizes += rng.multinomial(excess, room / room.sum())
    return sizes


def _generate_register(
    rng: np.random.Generator,
    year: int,
    n: int,
    n_proj: int,
    n_mun: int,
    n_districts: int,
    min_size: int,
    max_size: int | None,
    youth_share: float,
    rate_pct: float,
    followup_pct: float | None,
) -> pd.DataFrame:
    sizes = _project_sizes(rng, n, n_proj, min_size, max_size)
    proj = np.repeat(np.arange(n_proj), sizes)
    youth_projects = np.zeros(n_proj, dtype=bool)
    youth_projects[_choose(rng, np.ones(n_proj), int(round(youth_share * n_proj)))] = True
    youth = youth_projects[proj]

    # municipalities: one project each, the rest of the projects in a random one of them
    mun_of_proj = np.concatenate(
        [np.arange(min(n_mun, n_proj)), rng.integers(0, n_mun, size=max(n_proj - n_mun, 0))]
    )
    mun_names = np.array(
        [f"Kommune {i + 1:02d}" for i in range(n_mun - n_districts)]
        + [f"Bydel {i + 1:02d}" for i in range(n_districts)]
    )
    width = max(3, len(str(n_proj)))
    proj_names = np.array([f"{SYNTHETIC_PREFIX}P-{j + 1:0{width}d}" for j in range(n_proj)])

    # persons
    adult_groups = np.array(list(_ADULT_MIX))
    adult_p = np.array(list(_ADULT_MIX.values()))
    tg = np.where(youth, "ungdom", rng.choice(adult_groups, size=n, p=adult_p / adult_p.sum()))
    men = rng.random(n) < np.where(youth, _MEN_SHARE_YOUTH, _MEN_SHARE_ADULT)
    gender = np.where(men, "M", "K")
    age = np.where(
        youth,
        18 + np.rint(11 * rng.beta(2.0, 2.5, size=n)),
        np.clip(np.rint(37 + 8 * rng.standard_normal(n)), 20, 55),
    ).astype(int)

    # who ends in the year, and who of them is phased out early
    n_exit = int(round(EXIT_SHARE * n))
    order = rng.permutation(n)
    exit_ = np.zeros(n, dtype=bool)
    exit_[order[:n_exit]] = True
    utfaset = np.zeros(n, dtype=bool)
    utfaset[order[: int(round(UTFASET_SHARE * n_exit))]] = True

    # dates (days since 1 January of the exit year)
    y0 = pd.Timestamp(year=year, month=1, day=1)
    days_in_year = (pd.Timestamp(year=year + 1, month=1, day=1) - y0).days
    prev_start = (pd.Timestamp(year=year - 1, month=3, day=1) - y0).days
    end_day = rng.integers(0, days_in_year, size=n)
    duration = np.where(
        utfaset,
        rng.integers(30, 180, size=n),
        np.clip(rng.gamma(4.0, 90.0, size=n), 60, 900).astype(int),
    )
    start_day = np.where(
        exit_, end_day - duration, rng.integers(prev_start, days_in_year - 30, size=n)
    )
    start = y0 + pd.to_timedelta(start_day, unit="D")
    end = pd.Series(y0 + pd.to_timedelta(end_day, unit="D")).where(exit_)

    # transition: logit latent variable, the T largest of the eligible exits
    u_proj = PROJECT_EFFECT_SD * rng.standard_normal(n_proj)
    eta = (
        u_proj[proj]
        + np.array([_TARGET_GROUP_EFFECT[g] for g in tg])
        - 0.02 * (age - 35)
        + rng.logistic(size=n)
    )
    eligible = exit_ & ~utfaset
    n_trans = int(round(rate_pct / 100 * eligible.sum()))
    elig_ix = np.flatnonzero(eligible)
    trans = np.zeros(n, dtype=bool)
    if n_trans > 0:
        trans[elig_ix[np.argsort(-eta[elig_ix], kind="stable")[:n_trans]]] = True
    kind_ix = np.where(
        youth,
        rng.choice(3, size=n, p=_TRANSITION_SPLIT["youth"]),
        rng.choice(3, size=n, p=_TRANSITION_SPLIT["adult"]),
    )
    trans_status = np.asarray(TRANSITION_STATUSES)[kind_ix]
    exit_status = np.where(utfaset, "utfaset", np.where(trans, trans_status, "annet"))
    exit_status = pd.Series(exit_status).where(exit_)

    data: dict[str, Any] = {
        "project_id": proj_names[proj],
        "municipality": mun_names[mun_of_proj[proj]],
        "gender": gender,
        "age": age,
        "target_group": tg,
        "start_date": start,
        "end_date": end,
        "exit_status": exit_status,
    }
    if followup_pct is not None:
        exit_ix = np.flatnonzero(exit_)
        latent = 1.5 * trans[exit_ix] + rng.logistic(size=len(exit_ix))
        k = int(round(followup_pct / 100 * len(exit_ix)))
        good = np.zeros(n, dtype=bool)
        good[exit_ix[np.argsort(-latent, kind="stable")[:k]]] = True
        new_good = np.asarray(TRANSITION_STATUSES)[rng.choice(3, size=n, p=(0.6, 0.25, 0.15))]
        bad = rng.choice(np.array(["ledig_tiltak", "annet", "ukjent"]), size=n, p=(0.5, 0.35, 0.15))
        s1 = np.where(good, np.where(trans, trans_status, new_good), bad)
        data["status_1y"] = pd.Series(s1).where(exit_)
    frame = pd.DataFrame(data)
    frame = frame.sort_values(["start_date", "project_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "participant_id", _ids("JS", len(frame)))
    assert set(frame["target_group"]) <= set(TARGET_GROUPS)
    return as_schema_types(frame, JOBBSJANSEN_SCHEMA)
