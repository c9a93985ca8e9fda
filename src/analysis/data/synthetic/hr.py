"""Synthetic HR exports calibrated to the figures IMDi has published (:func:`synth_hr`).

One row per employee, with exactly the published headcount per job group and gender, the
published mean full-time pay per cell, the published certified sick-leave rate per gender,
the published numbers of temporary and part-time employees per gender and the published
parental leave (takers and mean weeks per gender). Method and calibration are documented in
``docs/schemas.md``.

References
----------
.. [2] SSB, Sykefravær: statistikkens definisjoner – tapte dagsverk and avtalte dagsverk,
   weighted by job share and sick-leave grade. https://www.ssb.no/sykefratot
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import GENDERS, JOB_GROUPS, TOTAL
from analysis.data.microdata import (
    ANNUAL_PAY_RANGE_NOK,
    APPRENTICE_PAY_MIN_NOK,
    HR_SCHEMA,
    MAX_PARENTAL_LEAVE_WEEKS,
    as_schema_types,
)
from analysis.data.pay_table import pay_cells
from analysis.data.synthetic.common import (
    SynthResult,
    _codes,
    _ids,
    _published,
    _select,
    nearest_year,
    rescale_capped,
)
from analysis.render.jsonable import to_jsonable

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
            "den publiserte tabellen sick_leave har ikke noe år med legemeldt sykefravær "
            "for både kvinner og menn"
        )
    certified = {g: rate(sick_year, g, "legemeldt") for g in GENDERS}

    def ratio_candidates(gender: str) -> list[tuple[int, int, float, str]]:
        """(year, specificity, self/certified ratio, description) for every usable year."""
        out = []
        for y in sorted(set(sick["year"].dropna().astype(int))):
            for g, spec in ((gender, 0), (TOTAL, 1)):
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
            raise ValueError(
                "den publiserte tabellen sick_leave har ingen tall for egenmeldt fravær"
            )
        y, _, ratio, text = min(cands, key=lambda c: (abs(c[0] - sick_year), c[1], -c[0]))
        self_pct[g] = certified[g] * ratio
        method[g] = f"certified × published ratio {ratio:.4f} = {text}"
    return sick_year, certified, self_pct, method


def _hr_targets(year: int, directory: Path | None) -> _HRTargets:
    pay = _published("pay_by_job_group", directory)
    cells_all = pay_cells(pay)
    pay_year = nearest_year(cells_all["year"], year)
    if pay_year is None:
        raise ValueError(
            "den publiserte tabellen pay_by_job_group har ingen rader for stillingsgrupper"
        )
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
