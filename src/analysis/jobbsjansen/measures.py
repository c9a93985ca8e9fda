"""Jobbsjansen: transition to work and education, project comparison and published figures.

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

References
----------
Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial proportion.
    Statistical Science 16(2), 101–133.
Garwood, F. (1936). Fiducial limits for the Poisson distribution. Biometrika 28, 437–442.
Hosmer, D. W., Lemeshow, S. & Sturdivant, R. X. (2013). Applied Logistic Regression, 3rd ed.
    Wiley.
Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. Statistics
    in Medicine 24(8), 1185–1202.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    JASA 22(158), 209–212.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

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
from analysis.data.published import source_title
from analysis.disclosure.tables import DEFAULT_MIN_CELL, suppress, suppression_mask
from analysis.methods.funnel import FunnelResult, funnel_proportions, funnel_ratios
from analysis.methods.stats import wilson_ci
from analysis.render.formatting import fmt_number
from analysis.render.jsonable import json_number, to_jsonable

__all__ = [
    "DIMENSIONS",
    "DIMENSION_LABELS",
    "TARGET_GROUP_LABELS",
    "RiskAdjustment",
    "age_band",
    "cost_per_participant",
    "followup_rate",
    "key_figures",
    "prepare_register",
    "project_funnel",
    "published_series",
    "rates_by_exit_year",
    "requirement_citation",
    "risk_adjusted",
    "suppress_rates",
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
        raise ValueError(f"{column}: unknown codes {bad}; allowed: {list(allowed)}")


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
        raise ValueError(f"the register lacks the columns {missing}")
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
            f"{n_bad} spell(s) have an end_date without exit_status or the reverse; "
            "both must be empty while in the programme and both given after the end"
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


def _ended_in(reg: pd.DataFrame, year: int) -> pd.DataFrame:
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
    return _aggregate(_ended_in(reg, year), _keys(by), alpha)


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
    ended = _ended_in(reg, year)
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


def suppress_rates(
    table: pd.DataFrame,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    count: str = "n_completed",
    margins: bool = True,
    force: dict[str, set[str]] | None = None,
) -> pd.DataFrame:
    """Hide the rows of a rate table that rest on fewer than ``min_cell`` completers.

    Primary and secondary suppression with
    :func:`analysis.disclosure.tables.suppression_mask` on ``count`` (default
    ``n_completed``), separately within each ``dimension`` when the table has that column (each
    dimension's groups add up to the published total, hence ``margins=True``). All numeric
    columns of a hidden row become NaN and ``suppressed`` is True; reports print ``:``.
    ``force`` (dimension → groups) hides groups whatever their size, because another
    dimension gives them away (:func:`analysis.disclosure.tables.joint_audit`).
    """
    force = force or {}
    if "dimension" in table.columns:
        mask = pd.Series(False, index=table.index)
        for dim, idx in table.groupby("dimension", sort=False).groups.items():
            part = table.loc[idx]
            forced = part.index[part["group"].astype(str).isin(force.get(dim, set()))]
            mask.loc[idx] = suppression_mask(
                part[count], min_cell, margins=margins, force=list(forced)
            )
    else:
        mask = suppression_mask(table[count], min_cell, margins=margins)
    return suppress(table, mask)


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
    comp = _ended_in(reg, year)
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


# --------------------------------------------------------------------------- funnel, risk


def project_funnel(register: pd.DataFrame, year: int, **kwargs: Any) -> FunnelResult:
    """Funnel of the projects' transition rates in ``year`` (:func:`funnel_proportions`).

    Projects with no completers (all utfaset) cannot be placed and are left out. Keyword
    arguments go to :func:`analysis.methods.funnel.funnel_proportions`.
    """
    proj = transition_rates(register, year, by="project_id")
    proj = proj.loc[proj["n_completed"] > 0]
    if proj.empty:
        raise ValueError(f"no completers in {year}")
    return funnel_proportions(
        proj["n_transition"], proj["n_completed"], proj["project_id"], **kwargs
    )


@dataclass(frozen=True, eq=False)
class RiskAdjustment:
    """Result of :func:`risk_adjusted`.

    Attributes
    ----------
    year
        Exit year.
    covariates
        The covariates in the model; ``dropped_covariates`` those left out (one level only).
    n
        Completers in the model.
    coefficients
        One row per term: ``term``, ``coef``, ``std_err``, ``z``, ``p_value``, ``ci_low``,
        ``ci_high`` (log-odds, Wald 95 %), ``odds_ratio``, ``or_ci_low``, ``or_ci_high``.
        Categorical covariates use treatment coding with the first level in code order
        present as reference (term names ``covariate[level]``).
    fit
        ``n_obs``, ``llf``, ``llnull``, ``mcfadden_r2``, ``auc`` (c-statistic),
        ``converged``.
    per_project
        ``project_id``, ``n_completed``, ``observed`` (O, transitions), ``expected``
        (E = Σ fitted p), ``variance`` (Σ p(1 − p)), ``oe`` (O/E), ``ci_low``, ``ci_high``
        (normal interval ``(O ± z sqrt(V)) / E`` with the model's Bernoulli variance),
        ``ci_low_poisson``, ``ci_high_poisson`` (exact Poisson/Garwood on O, E fixed —
        conventional for standardised ratios, but too wide for a common outcome),
        ``adjusted_rate`` (O/E × overall rate, indirect standardisation).
    funnel
        :func:`analysis.methods.funnel.funnel_ratios` of O/E.
    model
        The fitted statsmodels GLM results.
    """

    year: int
    covariates: tuple[str, ...]
    dropped_covariates: tuple[str, ...]
    n: int
    coefficients: pd.DataFrame
    fit: dict[str, Any]
    per_project: pd.DataFrame
    funnel: FunnelResult
    model: Any


def _design(data: pd.DataFrame, covariates: Sequence[str]) -> tuple[pd.DataFrame, list, list]:
    cols: dict[str, np.ndarray] = {"const": np.ones(len(data))}
    used, dropped = [], []
    for cov in covariates:
        s = data[cov]
        if isinstance(s.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(s):
            cats = (
                s.cat.categories
                if isinstance(s.dtype, pd.CategoricalDtype)
                else sorted(s.dropna().astype(str).unique())
            )
            values = s.astype(str) if not isinstance(s.dtype, pd.CategoricalDtype) else s
            present = [c for c in cats if (values == c).any()]
            if len(present) < 2:
                dropped.append(cov)
                continue
            for level in present[1:]:
                cols[f"{cov}[{level}]"] = (values == level).to_numpy(dtype=float)
        else:
            if s.nunique() < 2:
                dropped.append(cov)
                continue
            cols[cov] = s.to_numpy(dtype=float)
        used.append(cov)
    return pd.DataFrame(cols, index=data.index), used, dropped


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    n1 = int(y.sum())
    n0 = y.size - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = stats.rankdata(p)
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def risk_adjusted(
    register: pd.DataFrame,
    year: int,
    covariates: Sequence[str] = ("target_group", "age_band", "gender"),
    *,
    project: str = "project_id",
    funnel_method: Literal["bernoulli", "sqrt", "log"] = "bernoulli",
    alpha: float = 0.05,
    **funnel_kwargs: Any,
) -> RiskAdjustment:
    """Risk-adjusted comparison of projects: logistic model, O/E ratios and their funnel.

    A logistic regression (statsmodels GLM, Binomial family, logit link) of transition among
    the completers of ``year`` (utfaset excluded, as in IMDi's measure) on ``covariates``
    (categorical: treatment-coded, first level in code order present as reference; numeric:
    linear). Covariates with a single level in the data are dropped. Expected transitions per
    project ``E = Σ p̂``; ``O/E`` compares a project with what its participant mix predicts
    (indirect standardisation). With an intercept, ``ΣO = ΣE`` over all projects.

    Parameters
    ----------
    register
        The register.
    year
        Exit year.
    covariates
        Register columns (``age_band`` is derived). Add e.g. ``municipality`` only if it is
        not the comparison unit.
    project
        The unit compared (default ``project_id``).
    funnel_method
        Scale of the O/E funnel: ``"bernoulli"`` (default; normal approximation with the
        model's variance ``Σ p(1 − p)``, appropriate for a common outcome), ``"sqrt"`` or
        ``"log"`` (Poisson-based standardised-ratio funnels as FunnelPlotR ``data_type="SR"``).
    alpha
        1 − confidence level of the coefficient and O/E intervals.
    funnel_kwargs
        Passed to :func:`analysis.methods.funnel.funnel_ratios` (``adjust``, ``winsor``, …).

    Returns
    -------
    RiskAdjustment

    References
    ----------
    Hosmer, Lemeshow & Sturdivant (2013); Spiegelhalter (2005); Garwood (1936).
    """
    import statsmodels.api as sm

    reg = prepare_register(register)
    data = _ended_in(reg, year)
    data = data.loc[data["completed"]]
    covariates = list(covariates)
    data = data.dropna(subset=covariates)
    if data.empty:
        raise ValueError(f"no completers with complete covariates in {year}")
    X, used, dropped = _design(data, covariates)
    y = data["transition"].to_numpy(dtype=float)
    res = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    ci = res.conf_int(alpha=alpha)
    coefs = pd.DataFrame(
        {
            "term": X.columns,
            "coef": res.params.to_numpy(),
            "std_err": res.bse.to_numpy(),
            "z": res.tvalues.to_numpy(),
            "p_value": res.pvalues.to_numpy(),
            "ci_low": ci.iloc[:, 0].to_numpy(),
            "ci_high": ci.iloc[:, 1].to_numpy(),
        }
    )
    coefs["odds_ratio"] = np.exp(coefs["coef"])
    coefs["or_ci_low"] = np.exp(coefs["ci_low"])
    coefs["or_ci_high"] = np.exp(coefs["ci_high"])
    p = np.asarray(res.fittedvalues, dtype=float)
    llnull = float(res.llnull)
    fit = {
        "n_obs": int(res.nobs),
        "llf": float(res.llf),
        "llnull": llnull,
        "mcfadden_r2": 1.0 - float(res.llf) / llnull if llnull != 0 else float("nan"),
        "auc": _auc(y, p),
        "converged": bool(res.converged),
    }
    work = pd.DataFrame(
        {
            project: data[project].to_numpy(),
            "o": y,
            "p": p,
            "v": p * (1 - p),
        }
    )
    per = (
        work.groupby(project, sort=True)
        .agg(
            n_completed=("o", "size"),
            observed=("o", "sum"),
            expected=("p", "sum"),
            variance=("v", "sum"),
        )
        .reset_index()
    )
    per["oe"] = per["observed"] / per["expected"]
    zq = stats.norm.ppf(1 - alpha / 2)
    half = zq * np.sqrt(per["variance"])
    per["ci_low"] = np.clip((per["observed"] - half) / per["expected"], 0.0, None)
    per["ci_high"] = (per["observed"] + half) / per["expected"]
    o = per["observed"].to_numpy()
    e = per["expected"].to_numpy()
    with np.errstate(invalid="ignore"):
        lower = np.where(o > 0, stats.chi2.ppf(alpha / 2, 2 * o) / 2, 0.0)
    per["ci_low_poisson"] = lower / e
    per["ci_high_poisson"] = stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2 / e
    per["adjusted_rate"] = per["oe"] * y.mean()
    funnel = funnel_ratios(
        per["observed"],
        per["expected"],
        per[project],
        method=funnel_method,
        variance=per["variance"],
        **funnel_kwargs,
    )
    return RiskAdjustment(
        year=year,
        covariates=tuple(used),
        dropped_covariates=tuple(dropped),
        n=len(data),
        coefficients=coefs,
        fit=fit,
        per_project=per,
        funnel=funnel,
        model=res,
    )


# --------------------------------------------------------------------------- published

SERIES_INDICATORS: dict[str, str] = {
    "transition_rate_pct": "transition_rate",
    "transition_rate_min_pct": "transition_rate_min",
    "transition_rate_max_pct": "transition_rate_max",
    "followup_1y_rate_pct": "followup_1y_rate",
    "target_pct": "target",
    "requirement_min_pct": "requirement",
}

SERIES_LABELS: dict[str, str] = {
    "transition_rate": "Publisert overgangsandel",
    "transition_rate_min": "Publisert spenn, laveste",
    "transition_rate_max": "Publisert spenn, høyeste",
    "followup_1y_rate": "SSB: i arbeid/utdanning ett år etter",
    "target": "Mål",
    "requirement": "Krav (styringsparameter)",
}


def _published(published: pd.DataFrame | None) -> pd.DataFrame:
    if published is not None:
        return published
    from analysis.data.published import load_published

    return load_published("jobbsjansen", preferred_only=True)


def _citation(row: pd.Series) -> str:
    title = source_title(row["source_document"])
    return f"{title}, {row['source_section']}: «{row['source_quote']}»"


def published_series(published: pd.DataFrame | None = None) -> pd.DataFrame:
    """The published transition-rate series with targets and requirements, with citations.

    From ``data/raw/published/jobbsjansen.csv`` (preferred rows): Ny sjanse 2012 (52 %),
    Jobbsjansen 2013 (60 %), the range 2020–2024 (72–79 %, yearly values not published), 2024
    (72 %), SSB's follow-up for the 2021 cohort (77 %, a different measure: status one year
    after), the 2014 goal (60 %, text) and the 2014 requirement (55 %, steering-parameter
    table).

    Parameters
    ----------
    published
        The table as returned by ``load_published("jobbsjansen", preferred_only=True)``;
        loaded when None.

    Returns
    -------
    pandas.DataFrame
        ``series`` (transition_rate, transition_rate_min, transition_rate_max,
        followup_1y_rate, target, requirement), ``label`` (bokmål), ``year`` (Int64, missing
        for ranges), ``year_start``, ``year_end``, ``period``, ``programme``, ``value_pct``,
        ``share`` (fraction), ``qualifier``, ``source_document``, ``source_title``,
        ``source_section``, ``source_quote``, ``note``, ``citation``; sorted by series and
        year.
    """
    pub = _published(published)
    pub = pub.loc[pub["indicator"].isin(SERIES_INDICATORS) & (pub["group"] == TOTAL)].copy()
    if "preferred" in pub.columns:
        pub = pub.loc[pub["preferred"].fillna(False).astype(bool)]
    period = pub["period"].astype(str)
    bounds = period.str.extract(r"^(\d{4})(?:-(\d{4}))?$")
    out = pd.DataFrame(
        {
            "series": pub["indicator"].map(SERIES_INDICATORS),
            "year": pub["year"].astype("Int64"),
            "year_start": bounds[0].astype("Int64"),
            "year_end": bounds[1].fillna(bounds[0]).astype("Int64"),
            "period": period,
            "programme": pub["programme"],
            "value_pct": pub["value"].astype(float),
            "qualifier": pub["qualifier"],
            "source_document": pub["source_document"],
            "source_section": pub["source_section"],
            "source_quote": pub["source_quote"],
            "note": pub["note"],
        }
    )
    out.insert(1, "label", out["series"].map(SERIES_LABELS))
    out["share"] = out["value_pct"] / 100.0
    out["source_title"] = out["source_document"].map(source_title)
    out["citation"] = pub.apply(_citation, axis=1).to_numpy() if len(pub) else []
    order = list(SERIES_INDICATORS.values())
    out["_o"] = out["series"].map(order.index)
    out = out.sort_values(["_o", "year_start"]).drop(columns="_o").reset_index(drop=True)
    return out[
        [
            "series",
            "label",
            "year",
            "year_start",
            "year_end",
            "period",
            "programme",
            "value_pct",
            "share",
            "qualifier",
            "source_document",
            "source_title",
            "source_section",
            "source_quote",
            "note",
            "citation",
        ]
    ]


def requirement_citation(value: float = 60, published: pd.DataFrame | None = None) -> str:
    """Bokmål text citing where a required/target transition rate of ``value`` % is published.

    Looks for ``target_pct`` and ``requirement_min_pct`` rows with that value. The 2023
    tildelingsbrev's SP 1 names the indicator but gives no number; that is said explicitly.
    With the default 60 the text cites the 2014 annual report's goal («Målet er at 60 prosent
    …») and mentions the 55 % requirement in the same report's steering-parameter table.
    """
    series = published_series(published)
    pct = fmt_number(value, 2, trim=True)
    hits = series.loc[
        series["series"].isin(["target", "requirement"])
        & np.isclose(series["value_pct"], float(value))
    ]
    others = series.loc[
        series["series"].isin(["target", "requirement"])
        & ~np.isclose(series["value_pct"], float(value))
    ]
    parts = []
    if hits.empty:
        parts.append(f"Linjen på {pct} % er ikke funnet i de publiserte tallene.")
    for _, r in hits.iterrows():
        kind = "Mål" if r["series"] == "target" else "Krav"
        parts.append(
            f"{kind} {pct} % for {r['period']} ({r['source_title']}: «{r['source_quote']}»)."
        )
    for _, r in others.iterrows():
        kind = "målet" if r["series"] == "target" else "kravet"
        other = fmt_number(r["value_pct"], 2, trim=True)
        parts.append(
            f"{r['source_title']} oppgir {kind} for {r['period']} som {other} % "
            f"({r['source_section'].split(',')[0]})."
        )
    parts.append("Tildelingsbrevet 2023 (styringsparameter 1) oppgir ikke noe tallkrav.")
    return " ".join(parts)


def cost_per_participant(
    published: pd.DataFrame | None = None,
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

    Returns
    -------
    pandas.DataFrame
        ``year``, ``budget_mnok``, ``participants``, ``participants_qualifier``,
        ``cost_per_participant_nok``, ``bound`` (``"approximate"`` or ``"upper"``),
        ``approximate`` (always True), ``note`` (bokmål), and with a register
        ``n_transition``, ``cost_per_transition_nok``.
    """
    pub = _published(published)
    pub = pub.loc[pub["group"] == TOTAL]
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


# --------------------------------------------------------------------------- key figures


def key_figures(
    year: int,
    data_source: str,
    register: pd.DataFrame,
    funnel: FunnelResult | None = None,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    funnel_funnelplotr: FunnelResult | None = None,
) -> dict[str, Any]:
    """The report's key figures (JSON-ready).

    Parameters
    ----------
    year
        Exit year.
    data_source
        Where the register came from (e.g. ``"synthetic"`` or ``"register"``).
    register
        The register.
    funnel
        The project funnel; computed with :func:`project_funnel` (defaults: the calibrated
        method) when None.
    min_cell
        Smallest number of completers a published group may rest on.
    funnel_funnelplotr
        The same funnel by FunnelPlotR's method (``method="funnelplotr"``), for comparison
        with NHS practice; computed when None.

    Returns
    -------
    dict
        Exactly ``year``, ``data_source``, ``n_completed``, ``n_transition``,
        ``transition_rate``, ``ci_low``, ``ci_high``, ``transition_rate_incl_phased_out``,
        ``by_target_group``, ``funnel``, ``funnel_funnelplotr``, ``followup_1y_rate``. Rates
        are fractions (0–1).
        ``by_target_group`` maps every target group with completers to ``{n_completed,
        n_transition, rate, ci_low, ci_high}``, or to ``null`` when suppressed (fewer than
        ``min_cell`` completers, plus secondary suppression because the total is published).
        If the total itself rests on fewer than ``min_cell`` completers, its counts and rates
        are null too. ``funnel`` = ``{method, target, dispersion_ratio, tau2, outside_95,
        outside_99_8}`` with project ids (outside: screening signals, not findings);
        ``funnel_funnelplotr`` has the same keys for FunnelPlotR's method.
        ``followup_1y_rate`` is the ``all_completers`` rate of :func:`followup_rate`, null
        when ``status_1y`` is absent. A year without completers gives null rates and funnels
        of nulls with empty outlier lists; so does a year whose total is hidden or with fewer
        than two projects with completers (unless the funnels are given).
    """
    total = transition_rates(register, year).iloc[0]
    hide_total = 0 < total["n_completed"] < min_cell
    by_tg = transition_rates(register, year, by="target_group")
    by_tg = by_tg.loc[by_tg["n_completed"] > 0].reset_index(drop=True)
    mask = suppression_mask(by_tg["n_completed"], min_cell, margins=True)
    groups: dict[str, Any] = {}
    for i, r in by_tg.iterrows():
        groups[str(r["target_group"])] = (
            None
            if (mask.iloc[i] or hide_total)
            else {
                "n_completed": int(r["n_completed"]),
                "n_transition": int(r["n_transition"]),
                "rate": json_number(r["transition_rate"]),
                "ci_low": json_number(r["ci_low"]),
                "ci_high": json_number(r["ci_high"]),
            }
        )
    n_units = int((transition_rates(register, year, by="project_id")["n_completed"] > 0).sum())
    if funnel is None and total["n_completed"] >= min_cell and n_units >= 2:
        # a funnel needs at least two projects, and its centre line is the total rate: not
        # computed when the total is hidden
        funnel = project_funnel(register, year)
    if funnel_funnelplotr is None and total["n_completed"] >= min_cell and n_units >= 2:
        funnel_funnelplotr = project_funnel(register, year, method="funnelplotr")
    follow = followup_rate(register, year)
    follow_rate = None
    if follow is not None:
        follow_rate = json_number(follow.loc[follow["measure"] == "all_completers", "rate"].iloc[0])

    def hidden(v: Any) -> Any:
        return None if hide_total else v

    return {
        "year": int(year),
        "data_source": str(data_source),
        "n_completed": hidden(int(total["n_completed"])),
        "n_transition": hidden(int(total["n_transition"])),
        "transition_rate": hidden(json_number(total["transition_rate"])),
        "ci_low": hidden(json_number(total["ci_low"])),
        "ci_high": hidden(json_number(total["ci_high"])),
        "transition_rate_incl_phased_out": hidden(
            json_number(total["transition_rate_incl_phased_out"])
        ),
        "by_target_group": groups,
        "funnel": _funnel_record(funnel, "calibrated"),
        "funnel_funnelplotr": _funnel_record(funnel_funnelplotr, "funnelplotr"),
        "followup_1y_rate": follow_rate,
    }


def _funnel_record(funnel: FunnelResult | None, method: str) -> dict[str, Any]:
    return {
        "method": funnel.method if funnel else method,
        "target": json_number(funnel.target) if funnel else None,
        "dispersion_ratio": json_number(funnel.dispersion_ratio) if funnel else None,
        "tau2": json_number(funnel.tau2) if funnel else None,
        "outside_95": [to_jsonable(x) for x in funnel.outside_95] if funnel else [],
        "outside_99_8": [to_jsonable(x) for x in funnel.outside_99_8] if funnel else [],
    }
