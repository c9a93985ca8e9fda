"""Jobbsjansen: transition to work and education, the project funnel and cost per participant.

Register
--------
One row per participant and programme spell: ``participant_id, project_id, municipality,
gender, age`` (at start), ``target_group`` (:data:`analysis.data.codes.TARGET_GROUPS`),
``start_date, end_date`` (empty while in the programme), ``exit_status``
(:data:`analysis.data.codes.EXIT_STATUSES`; empty while in the programme) and optionally
``status_1y`` (:data:`analysis.data.codes.STATUS_1Y`, status one year after the end).

Transition rate (IMDi's measure)
--------------------------------
For the spells that *ended* in an exit year (``end_date`` in the calendar year)::

    transition_rate = n_transition / n_completed
    n_completed     = ended in the year, exit_status ≠ utfaset
    n_transition    = exit_status ∈ {arbeid, utdanning, arbeid_og_utdanning}

Participants phased out early (``utfaset``) are *outside* the denominator in IMDi's measure;
``transition_rate_incl_phased_out = n_transition / (n_completed + n_phased_out)`` is the second
figure. Participants still in the programme never count. All rates are fractions (0–1).
Intervals are Wilson score intervals (Wilson 1927; :func:`analysis.methods.stats.wilson_ci`),
recommended over the Wald interval by Brown, Cai & DasGupta (2001).

Age bands (age at start): ``<25``, ``25-29``, ``30-39``, ``40-49``, ``50+``. The cut at 30
separates the youth part of the scheme (unge under 30) from the rest; the programme is
otherwise for adults up to about 55, so the upper bands are ten years wide.

Follow-up one year after the end (SSB's measure) is kept apart from the exit measure; see
:func:`followup_rate`.

Estimators only: the risk-adjusted comparison is in :mod:`analysis.jobbsjansen.models`,
suppression in :mod:`analysis.disclosure.register`, the published series in
:mod:`analysis.data.jobbsjansen_series`, the report's key figures in
:mod:`analysis.jobbsjansen.keyfigures` and its words in :mod:`analysis.jobbsjansen.texts`.

References
----------
Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial proportion.
    Statistical Science 16(2), 101–133.
Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. Statistics
    in Medicine 24(8), 1185–1202.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    JASA 22(158), 209–212.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import (
    EXIT_STATUSES,
    GENDERS,
    PARTICIPANT_AGE_BANDS,
    PARTICIPANT_AGE_BREAKS,
    STATUS_1Y,
    TARGET_GROUPS,
    TOTAL,
    TRANSITION_STATUSES,
)
from analysis.methods.funnel import FunnelResult, funnel_proportions
from analysis.methods.stats import wilson_ci
from analysis.render.formatting import fmt_number

__all__ = [
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "REQUIREMENT_PCT",
    "TARGET_GROUP_LABELS",
    "age_band",
    "cost_per_participant",
    "ended_in",
    "followup_rate",
    "prepare_register",
    "project_funnel",
    "unit_funnel",
    "rates_by_exit_year",
    "transition_rates",
    "transition_rates_by_dimension",
]

TARGET_GROUP_LABELS: dict[str, str] = {
    "hjemmevaerende": "Hjemmeværende",
    "overgangsstonad": "Overgangsstønad",
    "sosialhjelp": "Sosialhjelp",
    "familiegjenforent": "Familiegjenforente",
    "ungdom": "Ungdom",
    "annet": "Annet",
}

#: the breakdowns of :func:`transition_rates_by_dimension`
DIMENSIONS: tuple[str, ...] = ("target_group", "gender", "age_band", "project_id", "municipality")

DIMENSION_LABELS: dict[str, str] = {
    TOTAL: "Totalt",
    "target_group": "Målgruppe",
    "gender": "Kjønn",
    "age_band": "Aldersgruppe",
    "project_id": "Prosjekt",
    "municipality": "Kommune",
}


#: the line drawn in the trend and group figures (per cent); see
#: :func:`analysis.jobbsjansen.texts.requirement_text`
REQUIREMENT_PCT = 60

REQUIRED_COLUMNS: tuple[str, ...] = (
    "participant_id",
    "project_id",
    "municipality",
    "gender",
    "age",
    "target_group",
    "start_date",
    "end_date",
    "exit_status",
)

# --------------------------------------------------------------------------- helpers


def _rate(k, n) -> np.ndarray:
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, k / np.where(n > 0, n, 1.0), np.nan)


def age_band(age: pd.Series | Sequence[float]) -> pd.Series:
    """Age band of an age at start: ``<25``, ``25-29``, ``30-39``, ``40-49``, ``50+``
    (:data:`analysis.data.codes.PARTICIPANT_AGE_BANDS`)."""
    age = pd.to_numeric(pd.Series(age), errors="coerce")
    return pd.cut(
        age, bins=list(PARTICIPANT_AGE_BREAKS), right=False, labels=list(PARTICIPANT_AGE_BANDS)
    )


def _blank_to_na(s: pd.Series) -> pd.Series:
    """Missing values and blank strings as missing (vectorised; typed dates pass through)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    text = s.astype("string")
    blank = s.isna().to_numpy() | text.str.strip().eq("").fillna(True).to_numpy()
    return text.mask(blank)


def _check_codes(s: pd.Series, allowed: Sequence[str], column: str) -> None:
    bad = sorted({str(v) for v in s.dropna().unique()} - set(allowed))
    if bad:
        raise ValueError(f"{column}: ukjente koder {bad}; tillatt: {list(allowed)}")


def prepare_register(register: pd.DataFrame) -> pd.DataFrame:
    """Validate the register and add the derived columns used by every function here.

    Parameters
    ----------
    register
        The register (see the module docstring). Empty strings count as missing.

    Returns
    -------
    pandas.DataFrame
        A copy with ``start_date``/``end_date`` as datetimes, ``exit_status`` and ``status_1y``
        as codes or missing, and the added columns ``exit_year`` (Int64, missing while in the
        programme), ``age_band`` (categorical), ``ended``, ``phased_out``, ``completed``
        (ended and not phased out), ``transition``, ``work``, ``education``, ``both``
        (exit_status arbeid / utdanning / arbeid_og_utdanning) and ``other`` (annet).
        ``target_group``, ``gender`` and ``age_band`` are categoricals in code order.

    Raises
    ------
    ValueError
        On missing columns, unknown codes, or a spell with an end date but no exit status
        (or the reverse).
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in register.columns]
    if missing:
        raise ValueError(f"registeret mangler kolonnene {missing}")
    reg = register.copy()
    reg["start_date"] = pd.to_datetime(_blank_to_na(reg["start_date"]))
    reg["end_date"] = pd.to_datetime(_blank_to_na(reg["end_date"]))
    reg["exit_status"] = _blank_to_na(reg["exit_status"])
    _check_codes(reg["exit_status"], EXIT_STATUSES, "exit_status")
    _check_codes(reg["target_group"], TARGET_GROUPS, "target_group")
    if "status_1y" in reg.columns:
        reg["status_1y"] = _blank_to_na(reg["status_1y"])
        _check_codes(reg["status_1y"], STATUS_1Y, "status_1y")
    has_end = reg["end_date"].notna()
    has_status = reg["exit_status"].notna()
    if (has_end != has_status).any():
        n_bad = int((has_end != has_status).sum())
        raise ValueError(
            f"{n_bad} forløp har end_date uten exit_status eller omvendt; begge skal være tomme "
            "mens deltakeren er i programmet og begge fylt ut etter avslutningen"
        )
    reg["exit_year"] = reg["end_date"].dt.year.astype("Int64")
    reg["age_band"] = pd.Categorical(
        age_band(reg["age"]).to_numpy(), categories=list(PARTICIPANT_AGE_BANDS)
    )
    reg["target_group"] = pd.Categorical(reg["target_group"], categories=list(TARGET_GROUPS))
    present = {str(g) for g in reg["gender"].dropna().unique()}
    genders = list(GENDERS) + sorted(present - set(GENDERS))
    reg["gender"] = pd.Categorical(reg["gender"], categories=genders)
    status = reg["exit_status"]
    reg["ended"] = has_end
    reg["phased_out"] = (status == "utfaset").fillna(False).astype(bool)
    reg["completed"] = reg["ended"] & ~reg["phased_out"]
    reg["transition"] = status.isin(TRANSITION_STATUSES).astype(bool)
    reg["work"] = (status == "arbeid").fillna(False).astype(bool)
    reg["education"] = (status == "utdanning").fillna(False).astype(bool)
    reg["both"] = (status == "arbeid_og_utdanning").fillna(False).astype(bool)
    reg["other"] = (status == "annet").fillna(False).astype(bool)
    return reg


def _aggregate(ended: pd.DataFrame, keys: list[str], alpha: float = 0.05) -> pd.DataFrame:
    """Counts, rates and Wilson intervals of ended spells, per combination of ``keys``."""
    cols = {
        "n_ended": ("ended", "sum"),
        "n_phased_out": ("phased_out", "sum"),
        "n_transition": ("transition", "sum"),
        "n_work": ("work", "sum"),
        "n_education": ("education", "sum"),
        "n_both": ("both", "sum"),
        "n_other": ("other", "sum"),
    }
    if keys:
        out = ended.groupby(keys, observed=True, sort=True, dropna=False).agg(**cols)
        out = out.reset_index()
    else:
        out = pd.DataFrame({name: [int(ended[col].sum())] for name, (col, _) in cols.items()})
    for c in cols:
        out[c] = out[c].astype(int)
    out["n_completed"] = out["n_ended"] - out["n_phased_out"]
    out["transition_rate"] = _rate(out["n_transition"], out["n_completed"])
    out["ci_low"], out["ci_high"] = wilson_ci(out["n_transition"], out["n_completed"], alpha)
    out["transition_rate_incl_phased_out"] = _rate(out["n_transition"], out["n_ended"])
    lo, hi = wilson_ci(out["n_transition"], out["n_ended"], alpha)
    out["ci_low_incl_phased_out"], out["ci_high_incl_phased_out"] = lo, hi
    order = [
        *keys,
        "n_ended",
        "n_completed",
        "n_phased_out",
        "n_transition",
        "n_work",
        "n_education",
        "n_both",
        "n_other",
        "transition_rate",
        "ci_low",
        "ci_high",
        "transition_rate_incl_phased_out",
        "ci_low_incl_phased_out",
        "ci_high_incl_phased_out",
    ]
    return out[order]


def ended_in(reg: pd.DataFrame, year: int) -> pd.DataFrame:
    """The spells of a prepared register (:func:`prepare_register`) that ended in ``year``."""
    return reg.loc[reg["ended"] & (reg["exit_year"] == year).fillna(False)]


def _keys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


# --------------------------------------------------------------------------- transition


def transition_rates(
    register: pd.DataFrame,
    year: int,
    by: str | Sequence[str] | None = None,
    *,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Transition rates for spells ending in ``year``, in total or by group.

    Parameters
    ----------
    register
        The register (see the module docstring).
    year
        Exit year: spells whose ``end_date`` falls in this calendar year.
    by
        None for the total, or one or more columns: ``target_group``, ``gender``,
        ``age_band`` (derived), ``project_id``, ``municipality`` or any register column.
    alpha
        1 − confidence level of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns (only groups with at least one ended spell, in code order), then
        ``n_ended`` (all who ended), ``n_completed`` (ended, excluding utfaset),
        ``n_phased_out``, ``n_transition`` (= ``n_work + n_education + n_both``), ``n_work``,
        ``n_education``, ``n_both``, ``n_other`` (annet), ``transition_rate`` (fraction, IMDi's
        measure, utfaset outside the denominator), ``ci_low``, ``ci_high`` (Wilson),
        ``transition_rate_incl_phased_out`` and its ``ci_low_incl_phased_out``,
        ``ci_high_incl_phased_out``.

    References
    ----------
    Wilson (1927); Brown, Cai & DasGupta (2001).
    """
    reg = prepare_register(register)
    return _aggregate(ended_in(reg, year), _keys(by), alpha)


def transition_rates_by_dimension(
    register: pd.DataFrame,
    year: int,
    dimensions: Sequence[str] = DIMENSIONS,
    *,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The total and one-way breakdowns stacked: columns ``dimension``, ``group``, then the
    columns of :func:`transition_rates`.

    The first row is ``dimension = group = "alle"`` (:data:`analysis.data.codes.TOTAL`); then
    each dimension's groups (as strings) in code order.
    """
    reg = prepare_register(register)
    ended = ended_in(reg, year)
    total = _aggregate(ended, [], alpha)
    total.insert(0, "group", TOTAL)
    total.insert(0, "dimension", TOTAL)
    parts = [total]
    for dim in dimensions:
        part = _aggregate(ended, [dim], alpha).rename(columns={dim: "group"})
        part["group"] = part["group"].astype(str)
        part.insert(0, "dimension", dim)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def rates_by_exit_year(register: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """Transition rates per exit year (every year with an ended spell).

    Returns
    -------
    pandas.DataFrame
        ``year`` and the columns of :func:`transition_rates` (rates as fractions).
    """
    reg = prepare_register(register)
    ended = reg.loc[reg["ended"]].copy()
    ended["year"] = ended["exit_year"].astype(int)
    return _aggregate(ended, ["year"], alpha)


# --------------------------------------------------------------------------- follow-up


def followup_rate(register: pd.DataFrame, year: int, *, alpha: float = 0.05) -> pd.DataFrame | None:
    """Share in work and/or education one year after the end (SSB's follow-up measure).

    Kept apart from the exit measure. Population: the completers of ``year`` (ended in the
    year, exit_status ≠ utfaset), whatever their exit status. A missing ``status_1y`` is treated
    as ``ukjent``.

    Two denominators (rows, column ``measure``):

    - ``all_completers`` (the main figure): all completers, counting ``ukjent`` as not in
      work or education. This is how SSB's register-based monitors report status after a
      programme (every person who ended is in the denominator, unknown status is a category
      of its own), so it is the figure comparable with the published 77 % for 2021;
    - ``known_status``: completers with a known status only (not ``ukjent``). Never lower
      than ``all_completers``; it is right if the unknown fare like the known, so read the
      two as a lower and an upper reference.

    Returns
    -------
    pandas.DataFrame or None
        None when the register has no ``status_1y`` column. Otherwise the columns ``measure``,
        ``n`` (denominator), ``n_work_or_education``, ``n_work``, ``n_education``, ``n_both``,
        ``n_unknown``, ``rate`` (fraction), ``ci_low``, ``ci_high`` (Wilson).
    """
    if "status_1y" not in register.columns:
        return None
    reg = prepare_register(register)
    comp = ended_in(reg, year)
    comp = comp.loc[comp["completed"]]
    status = comp["status_1y"].fillna("ukjent")
    n_work = int((status == "arbeid").sum())
    n_edu = int((status == "utdanning").sum())
    n_both = int((status == "arbeid_og_utdanning").sum())
    n_unknown = int((status == "ukjent").sum())
    k = n_work + n_edu + n_both
    rows = []
    for measure, n in (("all_completers", len(comp)), ("known_status", len(comp) - n_unknown)):
        lo, hi = wilson_ci(k, n, alpha)
        rows.append(
            {
                "measure": measure,
                "n": n,
                "n_work_or_education": k,
                "n_work": n_work,
                "n_education": n_edu,
                "n_both": n_both,
                "n_unknown": n_unknown,
                "rate": float(_rate(k, n)),
                "ci_low": float(lo),
                "ci_high": float(hi),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- funnel


def project_funnel(register: pd.DataFrame, year: int, **kwargs: Any) -> FunnelResult:
    """Funnel of the projects' transition rates in ``year`` (:func:`funnel_proportions`).

    Projects with no completers (all utfaset) cannot be placed and are left out. Keyword
    arguments go to :func:`analysis.methods.funnel.funnel_proportions`.
    """
    return unit_funnel(register, year, by="project_id", **kwargs)


def unit_funnel(
    register: pd.DataFrame, year: int, by: str = "project_id", **kwargs: Any
) -> FunnelResult:
    """Funnel of the transition rates in ``year`` of the units in column ``by`` (projects,
    municipalities, target groups, …; :func:`funnel_proportions`).

    Units with no completers cannot be placed and are left out. Keyword arguments
    (``method``, ``target``, ``alpha``, …) go to
    :func:`analysis.methods.funnel.funnel_proportions`. The result is not protected: for a
    report, pass it through :mod:`analysis.disclosure.register` as the project funnel is.
    """
    units = transition_rates(register, year, by=by)
    units = units.loc[units["n_completed"] > 0]
    if units.empty:
        raise ValueError(f"ingen fullførte deltakere i {year}")
    return funnel_proportions(units["n_transition"], units["n_completed"], units[by], **kwargs)


# --------------------------------------------------------------------------- cost


def cost_per_participant(
    published: pd.DataFrame,
    register: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Budget per participant (and per transition, given a register) where both are published.

    Years with both a published ``budget_mnok`` and ``participants``: 2014 (87 mill. kr,
    1 360 participants) and 2024 (130,6 mill. kr, «over 1300» immigrant women). All figures
    are approximate: the budget is the amount allocated in the state budget, not spent, and
    participants are those taking part during the year (including some who started the year
    before). For 2024 the participant count is a lower bound, so the cost per participant is
    an upper bound (``bound = "upper"``); it also counts only the women. 2023 has a budget
    (94,0 + 10,0 mill. kr) but no published participant count and is left out.

    Transitions are not published as counts, so a cost per transition needs a register: with
    ``register`` given, ``n_transition`` for the same exit year is taken from it and
    ``cost_per_transition_nok`` computed (mixing published budgets with register counts; only
    meaningful for the real register).

    Parameters
    ----------
    published
        ``load_published("jobbsjansen", preferred_only=True)``.
    register
        The register, for the cost per transition (optional).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``budget_mnok``, ``participants``, ``participants_qualifier``,
        ``cost_per_participant_nok``, ``bound`` (``"approximate"`` or ``"upper"``),
        ``approximate`` (always True), ``note`` (bokmål), and with a register
        ``n_transition``, ``cost_per_transition_nok``.
    """
    pub = published.loc[published["group"] == TOTAL]
    if "preferred" in pub.columns:
        pub = pub.loc[pub["preferred"].fillna(False).astype(bool)]
    budget = pub.loc[pub["indicator"] == "budget_mnok"].set_index("year")
    part = pub.loc[pub["indicator"] == "participants"].set_index("year")
    years = sorted(set(budget.index.dropna()) & set(part.index.dropna()))
    rows = []
    for yr in years:
        b = float(budget.loc[yr, "value"])
        n = float(part.loc[yr, "value"])
        q = part.loc[yr, "qualifier"]
        q = None if pd.isna(q) or str(q).strip() == "" else str(q)
        over = q in {"over", "mer enn", "minst"}
        note = "Bevilget beløp delt på antall deltakere i året; omtrentlig."
        if over:
            note += (
                f" Antall deltakere er publisert som «over {fmt_number(n, 0)}», så beløpet "
                "per deltaker er en øvre grense."
            )
        rows.append(
            {
                "year": int(yr),
                "budget_mnok": b,
                "participants": n,
                "participants_qualifier": q,
                "cost_per_participant_nok": b * 1e6 / n,
                "bound": "upper" if over else "approximate",
                "approximate": True,
                "note": note,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "year",
            "budget_mnok",
            "participants",
            "participants_qualifier",
            "cost_per_participant_nok",
            "bound",
            "approximate",
            "note",
        ],
    )
    if register is not None:
        by_year = rates_by_exit_year(register).set_index("year")["n_transition"]
        out["n_transition"] = out["year"].map(by_year).astype("Int64")
        out["cost_per_transition_nok"] = (
            out["budget_mnok"] * 1e6 / out["n_transition"].astype(float)
        )
    return out
