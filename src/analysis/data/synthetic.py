"""Synthetic person-level data calibrated to the figures IMDi has published.

The real HR export and the Jobbsjansen register are personal data and never leave IMDi's
systems. So that every analysis, notebook and report runs on a fresh machine, this module
generates stand-ins that follow :data:`analysis.data.microdata.HR_SCHEMA` and
:data:`analysis.data.microdata.JOBBSJANSEN_SCHEMA` and reproduce the published aggregates:

* :func:`synth_hr` – one row per employee, with exactly the published headcount per job group
  and gender, the published mean full-time pay per cell, the published certified sick-leave
  rate per gender, the published numbers of temporary and part-time employees per gender and
  the published parental leave (takers and mean weeks per gender).
* :func:`synth_jobbsjansen` – one row per participant spell active in an exit year, with the
  published number of participants, projects and municipalities and the published transition
  rate to work or education.

Years without published figures fall back to the nearest published year (ties: the later
year), and the result says so (:attr:`SynthResult.fallback`, :attr:`SynthResult.note`).
Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed gives the same frame.
Synthetic files are marked: ids start with ``SYN-`` and :func:`write_synthetic` writes a
``<file>.meta.json`` sidecar; :func:`is_synthetic` checks both.

Method and calibration are documented in ``docs/schemas.md``.

References
----------
.. [1] Efraimidis, P. S. and Spirakis, P. G. (2006). Weighted random sampling with a reservoir.
   *Information Processing Letters* 97(5), 181–185. (Weighted sampling without replacement,
   used here in its Gumbel-top-k form, Kool, van Hoof and Welling (2019), ICML.)
.. [2] SSB, Sykefravær: statistikkens definisjoner – tapte dagsverk and avtalte dagsverk,
   weighted by job share and sick-leave grade. https://www.ssb.no/sykefratot
.. [3] Train, K. (2009). *Discrete Choice Methods with Simulation*, ch. 3: the logit model as
   a latent-variable threshold model, used for the transitions to work or education.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.data.codes import GENDERS, JOB_GROUPS, TARGET_GROUPS, TRANSITION_STATUSES
from analysis.data.microdata import (
    ANNUAL_PAY_RANGE_NOK,
    APPRENTICE_PAY_MIN_NOK,
    HR_SCHEMA,
    JOBBSJANSEN_SCHEMA,
    MAX_PARENTAL_LEAVE_WEEKS,
    as_schema_types,
    canonical_column,
)
from analysis.data.pay_table import pay_cells
from analysis.data.published import load_published
from analysis.data.readers import read_table_text
from analysis.render.formatting import fmt_number
from analysis.render.jsonable import to_jsonable

GENERATOR = "analysis.data.synthetic"
#: prefix of every synthetic id
SYNTHETIC_PREFIX = "SYN-"

# --------------------------------------------------------------------------- assumptions
# Everything below is an assumption, not a published figure; see docs/schemas.md.

#: agreed working days of a full-time employee in a year (≈ 261 weekdays − 25 days of holiday
#: − public holidays on weekdays); a person's agreed days are this times the job share
WORKDAYS_PER_FTE = 230.0
#: self-certified sick leave is limited to 24 days in 12 months (IA rules), weighted by job share
MAX_SELF_CERTIFIED_DAYS = 24.0
#: age (mean, sd, min, max) by job group
_AGE = {
    "toppleder": (54.0, 6.0, 35, 69),
    "mellomleder": (49.0, 7.0, 30, 69),
    "alternativ_karrierevei": (47.0, 8.0, 28, 69),
    "saksbehandler": (41.0, 10.0, 23, 69),
    "konsulent": (45.0, 11.0, 20, 69),
    "laerling": (19.0, 1.5, 16, 24),
}
#: relative propensity to be temporary / part-time by job group
_TEMPORARY_WEIGHT = {
    "toppleder": 0.02,
    "mellomleder": 0.05,
    "alternativ_karrierevei": 0.3,
    "saksbehandler": 1.0,
    "konsulent": 1.0,
    "laerling": 20.0,
}
_PART_TIME_WEIGHT = {
    "toppleder": 0.05,
    "mellomleder": 0.1,
    "alternativ_karrierevei": 0.5,
    "saksbehandler": 1.0,
    "konsulent": 1.5,
    "laerling": 0.2,
}
_PART_TIME_FTE = (np.array([0.5, 0.6, 0.7, 0.8, 0.9]), np.array([0.1, 0.15, 0.15, 0.4, 0.2]))
#: log pay within a cell: return per year of tenure (first 30 years) and per year of age above
#: the group's mean age, noise sd, temporary employment, and the noise sd for apprentices
_PAY_TENURE, _PAY_AGE, _PAY_SD, _PAY_TEMPORARY = 0.010, 0.004, 0.055, -0.03
_PAY_SD_APPRENTICE = 0.03

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


@dataclass(frozen=True, eq=False)
class SynthResult:
    """A synthetic table and how it was calibrated.

    Attributes
    ----------
    frame
        The table: exactly the schema's columns, typed as :func:`analysis.data.microdata.load_hr`
        / :func:`~analysis.data.microdata.load_jobbsjansen` return them.
    year
        The year asked for (HR: the year of the rows; register: the exit year).
    seed
        The seed of ``numpy.random.default_rng``.
    calibration_year
        The published year the headcounts (HR) or transition rate (register) come from.
    fallback
        True when ``calibration_year`` (or a sick-leave year) is not ``year``.
    note
        One or more bokmål sentences saying what was calibrated against what.
    targets
        The published targets used (JSON-serialisable), with ``assumptions``.
    kind
        ``"hr"`` or ``"jobbsjansen"``.
    """

    frame: pd.DataFrame
    year: int
    seed: int
    calibration_year: int
    fallback: bool
    note: str
    targets: dict[str, Any]
    kind: str


# --------------------------------------------------------------------------- helpers


def nearest_year(available: object, year: int) -> int | None:
    """The available year closest to ``year``; ties go to the later year; None if none."""
    years = sorted({int(y) for y in available if y is not None and not pd.isna(y)})
    if not years:
        return None
    return min(years, key=lambda y: (abs(y - year), -y))


def _published(name: str, directory: Path | None) -> pd.DataFrame:
    return load_published(name, directory=directory, preferred_only=True)


def _choose(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``k`` items drawn without replacement with probability ∝ ``weights``.

    Gumbel-top-k: the ``k`` largest ``log w + Gumbel`` keys, equivalent to successive
    weighted draws without replacement (Efraimidis and Spirakis 2006, see module references).
    """
    k = int(min(max(k, 0), len(weights)))
    if k == 0:
        return np.zeros(0, dtype=int)
    with np.errstate(divide="ignore"):
        keys = np.log(np.asarray(weights, dtype=float)) + rng.gumbel(size=len(weights))
    return np.argpartition(-keys, k - 1)[:k]


def _select(rng: np.random.Generator, mask: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Boolean array marking ``k`` items among ``mask`` drawn with probability ∝ ``weights``."""
    idx = np.flatnonzero(mask)
    chosen = np.zeros(len(mask), dtype=bool)
    chosen[idx[_choose(rng, weights[idx], k)]] = True
    return chosen


def rescale_capped(x: np.ndarray, total: float, cap: np.ndarray) -> np.ndarray:
    """Scale non-negative ``x`` so that it sums to ``total`` with ``x <= cap`` everywhere.

    Items that would exceed their cap are set to it and the rest scaled up again, until none
    exceeds (at most ``len(x)`` rounds; usually one or two).

    Raises
    ------
    ValueError
        If the caps sum to less than ``total``.
    """
    x = np.minimum(np.asarray(x, dtype=float).copy(), cap)
    cap = np.asarray(cap, dtype=float)
    if total <= 0:
        return np.zeros_like(x)
    if cap.sum() < total * (1 - 1e-12):
        raise ValueError(f"cannot reach {total:.1f}: the caps sum to {cap.sum():.1f}")
    for _ in range(len(x) + 1):
        free = x < cap
        need = total - x[~free].sum()
        mass = x[free].sum()
        if mass <= 0:
            x[free] = cap[free]
            mass = x[free].sum()
        x[free] *= need / mass
        over = x > cap
        if not over.any():
            break
        x[over] = cap[over]
    return x


# --------------------------------------------------------------------------- HR: targets


@dataclass(frozen=True)
class _HRTargets:
    pay_year: int
    cells: pd.DataFrame  # job_group, gender, n, mean_pay, headcount_exact
    temporary: dict[str, int]
    part_time: dict[str, int]
    sick_year: int
    certified_pct: dict[str, float]
    self_pct: dict[str, float]
    self_method: dict[str, str]
    parental_year: int | None
    parental: dict[str, tuple[int, float]] | None


def _sick_targets(sick: pd.DataFrame, year: int) -> tuple[int, dict, dict, dict]:
    def rate(y: int, gender: str, kind: str) -> float | None:
        r = sick.loc[
            (sick["year"] == y) & (sick["gender"] == gender) & (sick["kind"] == kind), "rate_pct"
        ]
        return float(r.iloc[0]) if len(r) else None

    cert = sick.loc[sick["kind"] == "legemeldt"]
    both = [y for y, g in cert.groupby("year")["gender"] if {"K", "M"} <= set(g)]
    sick_year = nearest_year(both, year)
    if sick_year is None:
        raise ValueError(
            "the published sick_leave table has no year with certified sick "
            "leave for both women and men"
        )
    certified = {g: rate(sick_year, g, "legemeldt") for g in GENDERS}

    def ratio_candidates(gender: str) -> list[tuple[int, int, float, str]]:
        """(year, specificity, self/certified ratio, description) for every usable year."""
        out = []
        for y in sorted(set(sick["year"].dropna().astype(int))):
            for g, spec in ((gender, 0), ("alle", 1)):
                tot, leg, egen = (
                    rate(y, g, "totalt"),
                    rate(y, g, "legemeldt"),
                    rate(y, g, "egenmeldt"),
                )
                who = "kvinner" if g == "K" else "menn" if g == "M" else "alle"
                if tot is not None and leg is not None and leg > 0 and tot >= leg:
                    out.append(
                        (
                            y,
                            spec,
                            (tot - leg) / leg,
                            f"(totalt − legemeldt) / legemeldt for {who} {y}",
                        )
                    )
                elif tot is not None and egen is not None and tot > egen:
                    out.append(
                        (
                            y,
                            spec,
                            egen / (tot - egen),
                            f"egenmeldt / (totalt − egenmeldt) for {who} {y}",
                        )
                    )
        return out

    self_pct: dict[str, float] = {}
    method: dict[str, str] = {}
    for g in GENDERS:
        tot, egen = rate(sick_year, g, "totalt"), rate(sick_year, g, "egenmeldt")
        if tot is not None and tot >= certified[g]:
            self_pct[g] = tot - certified[g]
            method[g] = f"published total minus certified, {sick_year}"
            continue
        if egen is not None:
            self_pct[g] = egen
            method[g] = f"published self-certified rate, {sick_year}"
            continue
        cands = ratio_candidates(g)
        if not cands:
            raise ValueError("the published sick_leave table gives no self-certified figure")
        y, _, ratio, text = min(cands, key=lambda c: (abs(c[0] - sick_year), c[1], -c[0]))
        self_pct[g] = certified[g] * ratio
        method[g] = f"certified × published ratio {ratio:.4f} = {text}"
    return sick_year, certified, self_pct, method


def _hr_targets(year: int, directory: Path | None) -> _HRTargets:
    pay = _published("pay_by_job_group", directory)
    cells_all = pay_cells(pay)
    pay_year = nearest_year(cells_all["year"], year)
    if pay_year is None:
        raise ValueError("the published pay_by_job_group table has no job-group rows")
    c = cells_all.loc[cells_all["year"] == pay_year]
    rows = []
    for _, r in c.iterrows():
        for g, n_col, m_col, other in (
            ("K", "n_women", "mean_pay_women_nok", "mean_pay_men_nok"),
            ("M", "n_men", "mean_pay_men_nok", "mean_pay_women_nok"),
        ):
            n = int(r[n_col])
            if n <= 0:
                continue
            mean = r[m_col] if pd.notna(r[m_col]) else r[other]
            rows.append(
                {
                    "job_group": r["row"],
                    "gender": g,
                    "n": n,
                    "mean_pay": float(mean),
                    "headcount_exact": bool(r["headcount_exact"]),
                }
            )
    cells = pd.DataFrame(rows)
    cells["order"] = cells["job_group"].map({g: i for i, g in enumerate(JOB_GROUPS)})
    cells = cells.sort_values(["order", "gender"]).drop(columns="order").reset_index(drop=True)

    sub = pay_cells(pay, rows=("midlertidig", "deltid"))
    sub = sub.loc[sub["year"] == pay_year]

    def counts(row: str) -> dict[str, int]:
        s = sub.loc[sub["row"] == row]
        if s.empty:
            return {"K": 0, "M": 0}
        return {"K": int(s["n_women"].iloc[0]), "M": int(s["n_men"].iloc[0])}

    sick_year, certified, self_pct, method = _sick_targets(
        _published("sick_leave", directory), year
    )

    parental_year: int | None = None
    parental: dict[str, tuple[int, float]] | None = None
    try:
        pl = _published("parental_leave", directory)
    except KeyError:  # not in the catalogue: no parental leave column
        pl = None
    if pl is not None:
        usable = pl.loc[
            pl["n_total"].notna() & pl["mean_weeks_men"].notna() & pl["mean_weeks_women"].notna()
        ]
        parental_year = nearest_year(usable["year"], year)
        if parental_year is not None:
            r = usable.loc[usable["year"] == parental_year].iloc[0]
            n = float(r["n_total"])
            parental = {
                "K": (
                    int(round(float(r["share_women_pct"]) * n / 100)),
                    float(r["mean_weeks_women"]),
                ),
                "M": (int(round(float(r["share_men_pct"]) * n / 100)), float(r["mean_weeks_men"])),
            }
    return _HRTargets(
        pay_year,
        cells,
        counts("midlertidig"),
        counts("deltid"),
        sick_year,
        certified,
        self_pct,
        method,
        parental_year,
        parental,
    )


# --------------------------------------------------------------------------- HR: generation


def _generate_hr(
    rng: np.random.Generator,
    year: int,
    cells: pd.DataFrame,
    temporary: Mapping[str, int],
    part_time: Mapping[str, int],
    certified_pct: Mapping[str, float],
    self_pct: Mapping[str, float],
    parental: Mapping[str, tuple[int, float]] | None,
) -> pd.DataFrame:
    """Draw the persons; every calibrated total is hit by rescaling or exact selection."""
    n_cell = cells["n"].to_numpy(dtype=int)
    n = int(n_cell.sum())
    group_ix = np.repeat(cells["job_group"].map(JOB_GROUPS.index).to_numpy(dtype=int), n_cell)
    gender_ix = np.repeat(cells["gender"].map(GENDERS.index).to_numpy(dtype=int), n_cell)
    target_pay = np.repeat(cells["mean_pay"].to_numpy(dtype=float), n_cell)
    perm = rng.permutation(n)
    group_ix, gender_ix, target_pay = group_ix[perm], gender_ix[perm], target_pay[perm]
    cell_ix = group_ix * len(GENDERS) + gender_ix
    apprentice = group_ix == JOB_GROUPS.index("laerling")

    # age by job group (rounded, truncated normal)
    a_mean, a_sd, a_lo, a_hi = (
        np.array([_AGE[g][i] for g in JOB_GROUPS], dtype=float) for i in range(4)
    )
    age = np.clip(
        np.rint(a_mean[group_ix] + a_sd[group_ix] * rng.standard_normal(n)),
        a_lo[group_ix],
        a_hi[group_ix],
    ).astype(int)

    # temporary: exactly the published number per gender, favouring the young and apprentices
    w_temp = np.array([_TEMPORARY_WEIGHT[g] for g in JOB_GROUPS])[group_ix] * np.exp(
        -(age - 30) / 15
    )
    temp = np.zeros(n, dtype=bool)
    for gi, g in enumerate(GENDERS):
        temp |= _select(rng, gender_ix == gi, w_temp, temporary.get(g, 0))

    # tenure: a share of the possible career; short for temporary employees
    entry_age = np.where(apprentice, 16, 22)
    max_tenure = np.maximum(age - entry_age, 0).astype(float)
    tenure = max_tenure * rng.beta(1.3, 2.6, size=n)
    tenure = np.where(temp, rng.random(n) * np.minimum(3.0, max_tenure), tenure)
    tenure = np.round(tenure, 1)

    # part time: exactly the published number per gender; fte < 1 only for them
    w_pt = np.array([_PART_TIME_WEIGHT[g] for g in JOB_GROUPS])[group_ix]
    pt = np.zeros(n, dtype=bool)
    for gi, g in enumerate(GENDERS):
        pt |= _select(rng, gender_ix == gi, w_pt, part_time.get(g, 0))
    fte = np.where(pt, rng.choice(_PART_TIME_FTE[0], size=n, p=_PART_TIME_FTE[1]), 1.0)

    # pay: log-linear in tenure and age, then each cell rescaled to the published mean
    log_pay = np.where(
        apprentice,
        _PAY_SD_APPRENTICE * rng.standard_normal(n),
        _PAY_TENURE * np.minimum(tenure, 30.0)
        + _PAY_AGE * (age - a_mean[group_ix])
        + _PAY_SD * rng.standard_normal(n)
        + _PAY_TEMPORARY * temp,
    )
    raw = np.exp(log_pay)
    k = len(JOB_GROUPS) * len(GENDERS)
    cell_mean = np.bincount(cell_ix, raw, minlength=k) / np.maximum(
        np.bincount(cell_ix, minlength=k), 1
    )
    pay = np.rint(raw * target_pay / cell_mean[cell_ix])
    pay = np.clip(
        pay,
        np.where(apprentice, APPRENTICE_PAY_MIN_NOK, ANNUAL_PAY_RANGE_NOK[0]),
        ANNUAL_PAY_RANGE_NOK[1],
    )

    # agreed working days, in tenths of a day (exact arithmetic below)
    agreed10 = np.rint(WORKDAYS_PER_FTE * 10 * fte).astype(np.int64)
    agreed = agreed10 / 10.0

    # certified sick leave: most persons no or short episodes, a few long-term (graded) absences
    p_any = np.clip(0.22 + 0.004 * (age - 40), 0.05, 0.6)
    p_long = np.clip(0.04 + 0.001 * (age - 40), 0.01, 0.15)
    short = (rng.random(n) < p_any) * rng.lognormal(np.log(4.0), 0.7, size=n)
    grade = rng.choice([1.0, 0.8, 0.6, 0.5, 0.4, 0.2], size=n, p=[0.55, 0.1, 0.1, 0.15, 0.05, 0.05])
    long = (rng.random(n) < p_long) * rng.lognormal(np.log(40.0), 0.9, size=n) * grade
    cert = (short + long) * fte
    selfc = rng.poisson(rng.gamma(1.2, 2.5, size=n)) * fte
    for gi, g in enumerate(GENDERS):
        m = gender_ix == gi
        if not m.any():
            continue
        if cert[m].sum() == 0:  # tiny group without any episode: give one person a few days
            cert[np.flatnonzero(m)[0]] = 3.0 * fte[np.flatnonzero(m)[0]]
        cert[m] = rescale_capped(cert[m], certified_pct[g] / 100 * agreed[m].sum(), agreed[m])
    cert10 = np.minimum(np.rint(cert * 10).astype(np.int64), agreed10)
    self_cap = np.minimum(MAX_SELF_CERTIFIED_DAYS * fte, (agreed10 - cert10) / 10.0)
    for gi, g in enumerate(GENDERS):
        m = gender_ix == gi
        if not m.any():
            continue
        if selfc[m].sum() == 0:
            selfc[np.flatnonzero(m)[0]] = 1.0
        selfc[m] = rescale_capped(selfc[m], self_pct[g] / 100 * agreed[m].sum(), self_cap[m])
    self10 = np.minimum(np.rint(selfc * 10).astype(np.int64), agreed10 - cert10)

    data: dict[str, Any] = {
        "person_id": _ids("HR", n),
        "year": np.full(n, year),
        "gender": _codes(GENDERS, gender_ix),
        "job_group": _codes(JOB_GROUPS, group_ix),
        "annual_pay": pay,
        "fte": fte,
        "age": age,
        "tenure_years": tenure,
        "temporary": temp,
        "agreed_workdays": agreed,
        "sick_days_certified": cert10 / 10.0,
        "sick_days_self": self10 / 10.0,
    }

    # parental leave: exactly the published number of takers per gender and their mean weeks
    if parental is not None:
        weeks = np.zeros(n)
        for gi, g in enumerate(GENDERS):
            n_takers, mean_weeks = parental.get(g, (0, 0.0))
            peak = 33.0 if g == "K" else 35.0
            eligible = (gender_ix == gi) & (age >= 22) & (age <= 55) & ~apprentice
            w = np.exp(-0.5 * ((age - peak) / 6.0) ** 2)
            takers = _select(rng, eligible, w, n_takers)
            if not takers.any() or mean_weeks <= 0:
                continue
            shape = 2.5 if g == "K" else 1.5
            draw = rng.gamma(shape, mean_weeks / shape, size=int(takers.sum()))
            cap = np.full(len(draw), MAX_PARENTAL_LEAVE_WEEKS - 1)
            weeks[takers] = np.round(rescale_capped(draw, mean_weeks * len(draw), cap), 1)
        data["parental_leave_weeks"] = weeks
    data["part_time"] = pt
    return as_schema_types(pd.DataFrame(data), HR_SCHEMA)


def _ids(kind: str, n: int) -> pd.api.extensions.ExtensionArray:
    """``SYN-<kind>-000001``, ... as a string array (built in Arrow: fast for millions)."""
    width = max(6, len(str(n)))
    numbers = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), width, "0")
    return pd.array(
        pc.binary_join_element_wise(f"{SYNTHETIC_PREFIX}{kind}-", numbers, ""), dtype="string"
    )


def _codes(codes: tuple[str, ...] | list[str], ix: np.ndarray) -> pd.Categorical:
    """Labels by index, as a categorical (cheap to turn into strings for millions of rows)."""
    return pd.Categorical.from_codes(ix, categories=list(codes))


def synth_hr(year: int, seed: int, *, directory: Path | None = None) -> SynthResult:
    """A synthetic HR export for ``year``, calibrated to IMDi's published figures.

    Parameters
    ----------
    year
        The year of the rows. If the pay table has no figures for it, the nearest published
        year is used (ties: the later) and ``fallback`` is set.
    seed
        Seed for ``numpy.random.default_rng``; the same seed gives the same frame.
    directory
        Directory of the published tables (default ``data/raw/published``).

    Returns
    -------
    SynthResult
        ``frame`` has the columns of :data:`~analysis.data.microdata.HR_SCHEMA` plus the
        optional ``parental_leave_weeks`` (if the parental-leave table is published) and
        ``part_time``.

    Notes
    -----
    Calibrated exactly (see ``docs/schemas.md``):

    * headcount by job group × gender = :func:`analysis.data.pay_table.pay_cells` of the
      preferred ``pay_by_job_group`` rows (job-group rows, apprentices included);
    * mean ``annual_pay`` per cell = the published mean (each cell rescaled; rounding to whole
      NOK leaves < 1 NOK). Within a cell, log pay rises by 1 % per year of tenure and 0.4 % per
      year of age, with noise sd 0.055 (CV about 8–10 %);
    * Σ certified days / Σ agreed days × 100 per gender = the published ``legemeldt`` rate of
      the nearest year with both genders; self-certified likewise (see ``docs``);
    * number of temporary and part-time employees per gender = the ``midlertidig`` and
      ``deltid`` rows of the pay table;
    * parental leave: number of takers per gender and their mean weeks.
    """
    t = _hr_targets(year, directory)
    rng = np.random.default_rng(seed)
    frame = _generate_hr(
        rng, year, t.cells, t.temporary, t.part_time, t.certified_pct, t.self_pct, t.parental
    )
    fallback = t.pay_year != year or t.sick_year != year
    if t.pay_year != year:
        note = f"Ingen publiserte lønnstall for {year}; kalibrert mot {t.pay_year}."
    else:
        note = f"Kalibrert mot publiserte tall for {year}."
    if t.sick_year != t.pay_year:
        note += f" Sykefraværet er kalibrert mot {t.sick_year}."
    if t.parental_year is not None and t.parental_year != t.pay_year:
        note += f" Foreldrepermisjon er kalibrert mot {t.parental_year}."
    targets = {
        "pay_table_year": t.pay_year,
        "cells": [
            {
                "job_group": r.job_group,
                "gender": r.gender,
                "n": int(r.n),
                "mean_annual_pay_nok": float(r.mean_pay),
                "headcount_exact": bool(r.headcount_exact),
            }
            for r in t.cells.itertuples()
        ],
        "temporary": dict(t.temporary),
        "part_time": dict(t.part_time),
        "sick_leave_year": t.sick_year,
        "sick_leave_certified_pct": dict(t.certified_pct),
        "sick_leave_self_pct": {g: round(v, 4) for g, v in t.self_pct.items()},
        "sick_leave_self_method": dict(t.self_method),
        "parental_leave_year": t.parental_year,
        "parental_leave": (
            None
            if t.parental is None
            else {g: {"n": n_, "mean_weeks": w} for g, (n_, w) in t.parental.items()}
        ),
        "assumptions": {
            "workdays_per_fte": WORKDAYS_PER_FTE,
            "max_self_certified_days": MAX_SELF_CERTIFIED_DAYS,
        },
    }
    return SynthResult(
        frame, int(year), int(seed), t.pay_year, fallback, note, to_jsonable(targets), "hr"
    )


def synth_hr_large(
    n: int,
    seed: int,
    *,
    n_covariates_extra: int = 0,
    year: int | None = None,
    directory: Path | None = None,
) -> SynthResult:
    """A large synthetic HR frame for benchmarks (not calibrated to headcounts).

    The ``n`` persons are spread over job group × gender in the published proportions of the
    latest (or the given) pay-table year; pay means, sick-leave rates and the shares of
    temporary, part-time and parental-leave takers are those of that year.

    Parameters
    ----------
    n
        Number of rows (e.g. 1 000 000).
    seed
        Seed for ``numpy.random.default_rng``.
    n_covariates_extra
        Number of extra standard-normal columns ``x_01, x_02, ...`` appended after the schema
        columns (for benchmarking regressions with many covariates).
    year
        Pay-table year to take proportions from (default: the latest).
    directory
        Directory of the published tables.
    """
    pay = _published("pay_by_job_group", directory)
    latest = int(pay_cells(pay)["year"].max())
    t = _hr_targets(latest if year is None else year, directory)
    rng = np.random.default_rng(seed)
    base = t.cells
    counts = rng.multinomial(n, base["n"].to_numpy(dtype=float) / base["n"].sum())
    cells = base.assign(n=counts)
    head = base.groupby("gender")["n"].sum().to_dict()
    new_head = cells.groupby("gender")["n"].sum().to_dict()

    def scaled(c: Mapping[str, int]) -> dict[str, int]:
        return {
            g: int(round(c.get(g, 0) / head[g] * new_head.get(g, 0))) if head.get(g) else 0
            for g in GENDERS
        }

    parental = None
    if t.parental is not None:
        parental = {g: (scaled({g: nt})[g], w) for g, (nt, w) in t.parental.items()}
    frame = _generate_hr(
        rng,
        t.pay_year if year is None else year,
        cells[cells["n"] > 0],
        scaled(t.temporary),
        scaled(t.part_time),
        t.certified_pct,
        t.self_pct,
        parental,
    )
    for i in range(n_covariates_extra):
        frame[f"x_{i + 1:02d}"] = rng.standard_normal(len(frame))
    note = (
        f"Stort syntetisk datasett (n = {n}) for ytelsesmåling; fordelt som i "
        f"{t.pay_year}, ikke kalibrert mot antall."
    )
    targets = {"pay_table_year": t.pay_year, "n": n, "n_covariates_extra": n_covariates_extra}
    return SynthResult(
        frame,
        int(t.pay_year if year is None else year),
        int(seed),
        t.pay_year,
        False,
        note,
        to_jsonable(targets),
        "hr",
    )


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


def _figure(js: pd.DataFrame, indicator: str, year: int, group: str = "alle") -> _Figure | None:
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
        raise ValueError("the published jobbsjansen table has no transition_rate_pct for 'alle'")
    part = _figure(js, "participants", year)
    if part is None:
        raise ValueError("the published jobbsjansen table has no participants for 'alle'")
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
    alle = js.loc[(js["indicator"] == "projects") & (js["group"] == "alle")]
    both = sorted(set(ungdom["year"].dropna()) & set(alle["year"].dropna()))
    if both:
        youth_year = nearest_year(both, year)
        youth_share = float(
            ungdom.loc[ungdom["year"] == youth_year, "value"].iloc[0]
            / alle.loc[alle["year"] == youth_year, "value"].iloc[0]
        )
    include_1y = (follow is not None and follow.year == year) if status_1y is None else status_1y
    if include_1y and follow is None:
        raise ValueError("no published follow-up rate (followup_1y_rate_pct) to calibrate to")

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


# --------------------------------------------------------------------------- files


def sidecar_path(path: Path | str) -> Path:
    """``<path>.meta.json``: the sidecar describing a synthetic file."""
    path = Path(path)
    return path.with_name(path.name + ".meta.json")


# every table format ``fou run`` reads (analysis.data.readers)
WRITE_SUFFIXES = (".csv", ".xlsx", ".parquet")
# a fixed time stamp in the workbook (zip entries and document properties): same bytes each run
_XLSX_TIME = (1980, 1, 1, 0, 0, 0)


def write_synthetic(
    result: SynthResult, out_path: Path | str, *, csv_dialect: str = "plain"
) -> Path:
    """Write a synthetic table and its sidecar ``<out_path>.meta.json``.

    Parameters
    ----------
    result
        From :func:`synth_hr` or :func:`synth_jobbsjansen`.
    out_path
        ``.csv``, ``.xlsx`` (one sheet) or ``.parquet`` (also ``.pq``): every format the
        readers take. The same inputs give the same bytes in every format.
    csv_dialect
        For ``.csv``: ``"plain"`` (comma, decimal point, UTF-8) or ``"excel"`` (as Excel
        saves CSV in Norway: semicolon, decimal comma, UTF-8 with byte-order mark).

    Returns
    -------
    pathlib.Path
        ``out_path``.

    Raises
    ------
    ValueError
        For any other suffix or dialect (message in bokmål: the command line prints it).
    """
    out_path = Path(out_path)
    suffix = out_path.suffix.lower()
    if suffix not in {*WRITE_SUFFIXES, ".pq"}:
        raise ValueError(
            f"kan ikke skrive {out_path.name}: filnavnet må slutte på "
            + ", ".join(WRITE_SUFFIXES[:-1])
            + f" eller {WRITE_SUFFIXES[-1]}"
        )
    if csv_dialect not in {"plain", "excel"}:
        raise ValueError(f"ukjent CSV-variant {csv_dialect!r}: bruk plain eller excel")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv" and csv_dialect == "excel":
        result.frame.to_csv(
            out_path, index=False, sep=";", decimal=",", encoding="utf-8-sig", lineterminator="\r\n"
        )
    elif suffix == ".csv":
        result.frame.to_csv(out_path, index=False, encoding="utf-8", lineterminator="\n")
    elif suffix == ".xlsx":
        _write_xlsx(result.frame, out_path, sheet=result.kind)
    else:
        result.frame.to_parquet(out_path, index=False)
    meta = {
        "synthetic": True,
        "kind": result.kind,
        "year": result.year,
        "seed": result.seed,
        "calibration_year": result.calibration_year,
        "fallback": result.fallback,
        "note": result.note,
        "generator": GENERATOR,
        "targets": to_jsonable(result.targets),
    }
    sidecar_path(out_path).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return out_path


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """One-sheet workbook with reproducible bytes (fixed zip times and document dates)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet)
    stamp = "1980-01-01T00:00:00Z"
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + stamp.encode() + m.group(3),
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_XLSX_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)


_ID_COLUMNS = ("person_id", "participant_id")


def _ids_synthetic(ids: pd.Series) -> bool:
    ids = ids.dropna().astype(str)
    return len(ids) > 0 and bool(ids.str.startswith(SYNTHETIC_PREFIX).all())


def is_synthetic(data: Path | str | pd.DataFrame) -> bool:
    """Whether a file (or frame) holds synthetic data.

    True when the sidecar ``<file>.meta.json`` says ``"synthetic": true``, or when every id
    (``person_id`` / ``participant_id``, or their Norwegian aliases) starts with ``SYN-``.

    Raises
    ------
    analysis.data.schema.DataValidationError
        If the file does not exist or cannot be read.
    """
    if isinstance(data, pd.DataFrame):
        cols = [c for c in _ID_COLUMNS if c in data.columns]
        return bool(cols) and _ids_synthetic(data[cols[0]])
    path = Path(data)
    side = sidecar_path(path)
    if side.is_file():
        try:
            if json.loads(side.read_text(encoding="utf-8")).get("synthetic") is True:
                return True
        except (json.JSONDecodeError, AttributeError):
            pass

    def is_id(header: str) -> bool:
        return any(canonical_column(header, k) in _ID_COLUMNS for k in ("hr", "jobbsjansen"))

    frame = read_table_text(path, columns=is_id).frame  # only the id columns are parsed
    for header in frame.columns:
        for kind in ("hr", "jobbsjansen"):
            if canonical_column(str(header), kind) in _ID_COLUMNS:
                return _ids_synthetic(frame[header].replace("", np.nan))
    return False
