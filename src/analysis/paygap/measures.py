"""Gender pay gap: gap measures, grouped and regression decompositions, EU indicators.

Conventions used throughout (one word for one thing):

* gender ``K`` = women (kvinner), ``M`` = men (menn);
* ``gap`` = men's mean − women's mean, in NOK (positive when men earn more);
* ``gap_pct`` = gap / men's mean × 100;
* ``women_share_of_men_pay_pct`` = women's mean / men's mean × 100 (IMDi's published ratio);
* men's group means are the default reference (the "non-discriminatory" pay structure).

Pay is annual pay converted to full time (``annual_pay``, NOK), as in IMDi's published table
"kjønnsbalanse og lønn" and the HR export.

Contents
--------
:func:`gap_measures`, :func:`published_gap_measures`
    Mean and median gaps per job group and in total (with Welch standard errors).
:func:`cells_from_published`, :func:`cells_from_microdata`
    The "cells" frame (``group, n_men, n_women, mean_men, mean_women``) the grouped methods use.
:func:`nopo_decomposition`
    Ñopo (2008) decomposition for discrete cells: the gap split into men outside the common
    support, women outside it, composition and within-group differences.
:func:`gap_change`
    Change in the gap (and in the ratio) between two years split into composition and
    within-group pay (Kitagawa 1955, symmetric weights).
:func:`oaxaca_paygap`, :func:`oaxaca_key_figures`
    Oaxaca–Blinder decompositions of log pay on person-level data (wrapping
    :mod:`analysis.methods.oaxaca`).
:func:`eu_pay_transparency`
    The indicators of art. 9 of the pay transparency directive (EU) 2023/970 that the data
    support, and the 5 % flag of art. 10.
:func:`key_figures`
    The pay gap key figures of a report, as plain JSON-able values.

References
----------
Blinder, A. S. (1973). Wage discrimination: reduced form and structural estimates. Journal of
    Human Resources 8(4), 436–455.
Directive (EU) 2023/970 of the European Parliament and of the Council of 10 May 2023 to
    strengthen the application of the principle of equal pay for equal work or work of equal
    value between men and women through pay transparency and enforcement mechanisms.
    Official Journal L 132, 17.5.2023, 21–44.
Fortin, N. M. (2008). The gender wage gap among young adults in the United States: the
    importance of money versus people. Journal of Human Resources 43(4), 884–918.
Jann, B. (2008). The Blinder–Oaxaca decomposition for linear regression models. Stata Journal
    8(4), 453–479.
Kitagawa, E. M. (1955). Components of a difference between two rates. Journal of the American
    Statistical Association 50(272), 1168–1194.
Ñopo, H. (2008). Matching as a tool to decompose wage gaps. Review of Economics and
    Statistics 90(2), 290–299.
Oaxaca, R. (1973). Male-female wage differentials in urban labor markets. International
    Economic Review 14(3), 693–709.
Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. Biometrika 34(1–2), 28–35.
Yun, M.-S. (2005). A simple solution to the identification problem in detailed wage
    decompositions. Economic Inquiry 43(4), 766–772.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import JOB_GROUPS, PAY_TABLE_TOTAL_ROW, TOTAL
from analysis.data.pay_table import pay_cells
from analysis.methods.oaxaca import OaxacaResult, oaxaca_blinder

__all__ = [
    "CELL_COLUMNS",
    "DECOMPOSITION_KEYS",
    "DEFAULT_OAXACA_COVARIATES",
    "EUIndicators",
    "GapChange",
    "NopoResult",
    "OverallMeans",
    "cells_from_microdata",
    "cells_from_published",
    "eu_pay_transparency",
    "gap_change",
    "gap_measures",
    "key_figures",
    "nopo_decomposition",
    "oaxaca_key_figures",
    "oaxaca_paygap",
    "oaxaca_reference_label",
    "overall_means",
    "pay_quartiles",
    "prepare_pay_data",
    "published_gap_measures",
    "weighted_median",
]

MEN = "M"
WOMEN = "K"
PAY = "annual_pay"
#: columns of a cells frame (one row per group)
CELL_COLUMNS: tuple[str, ...] = ("group", "n_men", "n_women", "mean_men", "mean_women")
DEFAULT_OAXACA_COVARIATES: tuple[str, ...] = (
    "job_group",
    "age",
    "age2",
    "tenure_years",
    "temporary",
)
DATA_SOURCES: tuple[str, ...] = ("published", "microdata", "synthetic")
NOPO_REFERENCES: tuple[str, ...] = ("men", "women", "pooled")
DECOMPOSITION_KEYS: tuple[str, ...] = (
    "total",
    "men_outside_support",
    "women_outside_support",
    "composition",
    "within_groups",
)
_Z95 = NormalDist().inv_cdf(0.975)


# --------------------------------------------------------------------------- helpers


def _group_order(values: Iterable[Any]) -> list[Any]:
    """Job groups in the order of :data:`analysis.data.codes.JOB_GROUPS`, then others sorted."""
    present = list(dict.fromkeys(values))
    known = [g for g in JOB_GROUPS if g in present]
    rest = sorted((g for g in present if g not in JOB_GROUPS), key=str)
    return known + rest


def _single_year(frame: pd.DataFrame, what: str) -> None:
    if "year" in frame.columns and frame["year"].nunique(dropna=True) > 1:
        years = sorted(frame["year"].dropna().unique().tolist())
        raise ValueError(f"{what} must hold one year, found {years}; filter on 'year' first")


def _check_gender(hr: pd.DataFrame) -> None:
    bad = set(hr["gender"].dropna().unique()) - {MEN, WOMEN}
    if bad:
        raise ValueError(f"gender must be 'K' or 'M', found {sorted(map(str, bad))}")


def _pay_rows(hr: pd.DataFrame, by: str | None, weights: str | None) -> pd.DataFrame:
    """Rows with gender, pay (and group, weight) present; gender validated."""
    _check_gender(hr)
    cols = ["gender", PAY] + ([by] if by else []) + ([weights] if weights else [])
    sub = hr.loc[hr[cols].notna().all(axis=1), cols].copy()
    if weights:
        if (sub[weights] < 0).any():
            raise ValueError("weights must be non-negative")
        sub = sub.loc[sub[weights] > 0]
    return sub


def weighted_median(x: np.ndarray, w: np.ndarray | None = None) -> float:
    """Median of ``x`` with non-negative weights ``w``.

    The smallest value at which the cumulative weight reaches half of the total; when it hits
    exactly one half, the mean of that value and the next (so with equal weights this is the
    ordinary median, as :func:`numpy.median`). NaN for an empty array.
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return float("nan")
    if w is None:
        return float(np.median(x))
    w = np.asarray(w, dtype=float)
    order = np.argsort(x, kind="stable")
    xs, cw = x[order], np.cumsum(w[order])
    half = cw[-1] / 2.0
    i = int(np.searchsorted(cw, half - 1e-12 * cw[-1], side="left"))
    if math.isclose(cw[i], half, rel_tol=1e-12) and i + 1 < xs.size:
        return float((xs[i] + xs[i + 1]) / 2.0)
    return float(xs[i])


def _mean_and_se(x: np.ndarray, w: np.ndarray | None) -> tuple[float, float]:
    """Mean and its standard error (linearisation estimator with weights; NaN if n < 2).

    Without weights ``se = s / sqrt(n)``; with weights ``se = sqrt(n / (n - 1) ·
    Σ w_i² (x_i − x̄_w)²) / Σ w_i``, which reduces to the former for equal weights.
    """
    n = x.size
    if n == 0:
        return float("nan"), float("nan")
    if w is None:
        mean = float(x.mean())
        se = float(x.std(ddof=1) / math.sqrt(n)) if n >= 2 else float("nan")
        return mean, se
    sw = float(w.sum())
    mean = float(w @ x / sw)
    if n < 2:
        return mean, float("nan")
    se = math.sqrt(n / (n - 1) * float(np.sum(w**2 * (x - mean) ** 2))) / sw
    return mean, se


def _gap_row(group: Any, sub: pd.DataFrame, weights: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"group": group}
    stats = {}
    for code, label in ((MEN, "men"), (WOMEN, "women")):
        part = sub.loc[sub["gender"] == code]
        x = part[PAY].to_numpy(dtype=float)
        w = part[weights].to_numpy(dtype=float) if weights else None
        mean, se = _mean_and_se(x, w)
        stats[label] = (mean, se, weighted_median(x, w))
        out[f"n_{label}"] = int(len(part))
    (mm, se_m, med_m), (mw, se_w, med_w) = stats["men"], stats["women"]
    gap = mm - mw
    med_gap = med_m - med_w
    se = math.sqrt(se_m**2 + se_w**2)  # Welch (1947): groups independent, variances unequal
    out.update(
        mean_men=mm,
        mean_women=mw,
        median_men=med_m,
        median_women=med_w,
        gap_nok=gap,
        gap_pct=_pct(gap, mm),
        median_gap_nok=med_gap,
        median_gap_pct=_pct(med_gap, med_m),
        women_share_of_men_pay_pct=_pct(mw, mm),
        se_gap_nok=se,
        ci_low=gap - _Z95 * se,
        ci_high=gap + _Z95 * se,
    )
    return out


def _pct(num: float, den: float) -> float:
    if not (math.isfinite(num) and math.isfinite(den)) or den == 0:
        return float("nan")
    return 100.0 * num / den


# --------------------------------------------------------------------------- 1. gap measures


def gap_measures(
    hr: pd.DataFrame, by: str | None = "job_group", weights: str | None = None
) -> pd.DataFrame:
    """Mean and median pay gaps per group and in total, from person-level data.

    Parameters
    ----------
    hr
        Person-level HR data of one year with ``gender`` (K/M) and ``annual_pay`` (NOK,
        converted to full time), and the column ``by``. Rows with a missing gender, pay or
        group are left out.
    by
        Column defining the groups (default ``job_group``); ``None`` for the total only.
    weights
        Optional column of non-negative weights (e.g. ``fte`` for means per full-time
        equivalent). Rows with weight 0 are left out; ``n_men``/``n_women`` stay head counts.

    Returns
    -------
    pandas.DataFrame
        One row per group (job groups in the order of ``JOB_GROUPS``) and a last row
        ``group = "alle"`` (:data:`analysis.data.codes.TOTAL`), with columns ``group, n_men,
        n_women, mean_men, mean_women, median_men, median_women, gap_nok, gap_pct,
        median_gap_nok, median_gap_pct, women_share_of_men_pay_pct, se_gap_nok, ci_low,
        ci_high``.

    Notes
    -----
    ``gap_nok = mean_men − mean_women``, ``gap_pct = gap_nok / mean_men × 100``, the median
    gap likewise with the medians (in % of men's median), ``women_share_of_men_pay_pct =
    mean_women / mean_men × 100``. ``se_gap_nok`` is the Welch (1947) standard error of a
    difference of independent means, ``sqrt(s_M²/n_M + s_K²/n_K)`` (with weights: the
    linearisation variance of each weighted mean), and ``ci_low, ci_high`` the normal 95 %
    interval ``gap ± 1.96 se``. They are NaN where a gender has fewer than 2 persons. Means and
    medians of a gender without persons are NaN, and so are the gaps.
    """
    _single_year(hr, "hr")
    sub = _pay_rows(hr, by, weights)
    rows = []
    if by is not None:
        for g in _group_order(sub[by]):
            rows.append(_gap_row(g, sub.loc[sub[by] == g], weights))
    rows.append(_gap_row(TOTAL, sub, weights))
    return pd.DataFrame(rows)


def _group_code(row: str) -> str:
    """The group code of a published pay-table row: the whole-agency row is :data:`TOTAL`."""
    return TOTAL if row == PAY_TABLE_TOTAL_ROW else row


def _published_rows(pay: pd.DataFrame, rows: Sequence[str]) -> pd.DataFrame:
    dup = pay.loc[pay["row"].isin(rows)].duplicated(["year", "row"])
    if dup.any():
        raise ValueError(
            "the pay table holds several rows per (year, row): load it with preferred_only=True"
        )
    return pay_cells(pay, rows=tuple(rows))


def cells_from_published(
    pay: pd.DataFrame, year: int | None = None, *, rows: Sequence[str] = JOB_GROUPS
) -> pd.DataFrame:
    """The cells frame of the published pay table (job-group rows by default).

    Parameters
    ----------
    pay
        ``load_published("pay_by_job_group", preferred_only=True)``.
    year
        Keep one year; ``None`` keeps all (then the frame has several years and must be
        filtered before :func:`nopo_decomposition`).
    rows
        Table rows to use (default the job groups, not ``totalt`` or the subgroup rows).

    Returns
    -------
    pandas.DataFrame
        ``year, group, n_men, n_women, mean_men, mean_women, source_document,
        headcount_exact``. Head counts are recovered from the published shares by
        :func:`analysis.data.pay_table.pay_cells`; rows without persons (no apprentices in
        2025) are dropped; the mean of a gender with no persons is NaN.
    """
    cells = _published_rows(pay, rows)
    if year is not None:
        cells = cells.loc[cells["year"] == year]
        if cells.empty:
            raise ValueError(f"no published pay rows for {year}")
    cells = cells.rename(
        columns={"row": "group", "mean_pay_men_nok": "mean_men", "mean_pay_women_nok": "mean_women"}
    )
    cells["group"] = cells["group"].map(_group_code)
    cols = ["year", *CELL_COLUMNS, "source_document", "headcount_exact"]
    return cells[cols].reset_index(drop=True)


def cells_from_microdata(
    hr: pd.DataFrame, by: str = "job_group", weights: str | None = None
) -> pd.DataFrame:
    """Aggregate person-level data to a cells frame (one row per group).

    Parameters
    ----------
    hr
        Person-level data of one year (``gender``, ``annual_pay`` and ``by``).
    by
        Grouping column (default ``job_group``).
    weights
        Optional weight column: ``n_men``/``n_women`` are then the sums of weights and the
        means weighted, so that the grouped methods reproduce the weighted overall means.

    Returns
    -------
    pandas.DataFrame
        ``group, n_men, n_women, mean_men, mean_women`` (NaN mean where a gender is absent),
        groups in the order of ``JOB_GROUPS``.
    """
    _single_year(hr, "hr")
    sub = _pay_rows(hr, by, weights)
    w = sub[weights].astype(float) if weights else pd.Series(1.0, index=sub.index)
    rows = []
    for g in _group_order(sub[by]):
        row: dict[str, Any] = {"group": g}
        for code, label in ((MEN, "men"), (WOMEN, "women")):
            m = (sub[by] == g) & (sub["gender"] == code)
            ww, x = w[m].to_numpy(), sub.loc[m, PAY].to_numpy(dtype=float)
            n = float(ww.sum())
            row[f"n_{label}"] = n if weights else int(m.sum())
            row[f"mean_{label}"] = float(ww @ x / n) if n > 0 else float("nan")
        rows.append(row)
    return pd.DataFrame(rows, columns=list(CELL_COLUMNS))


@dataclass(frozen=True)
class OverallMeans:
    """Overall means of a cells frame: the head-count weighted means of the group means."""

    n_men: float
    n_women: float
    mean_men: float
    mean_women: float

    @property
    def gap_nok(self) -> float:
        return self.mean_men - self.mean_women

    @property
    def gap_pct(self) -> float:
        return _pct(self.gap_nok, self.mean_men)

    @property
    def women_share_of_men_pay_pct(self) -> float:
        return _pct(self.mean_women, self.mean_men)


def _cell_arrays(
    cells: pd.DataFrame,
) -> tuple[list[Any], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validated arrays (groups, n_M, n_K, m_M, m_K) of a cells frame; means 0 where n = 0."""
    missing = [c for c in CELL_COLUMNS if c not in cells.columns]
    if missing:
        raise ValueError(f"cells need the columns {list(CELL_COLUMNS)}; missing {missing}")
    _single_year(cells, "cells")
    if cells["group"].duplicated().any():
        raise ValueError("cells must have one row per group")
    groups = cells["group"].tolist()
    n_m = cells["n_men"].fillna(0).to_numpy(dtype=float)
    n_k = cells["n_women"].fillna(0).to_numpy(dtype=float)
    if (n_m < 0).any() or (n_k < 0).any():
        raise ValueError("head counts must be non-negative")
    m_m = cells["mean_men"].to_numpy(dtype=float)
    m_k = cells["mean_women"].to_numpy(dtype=float)
    for n, m, who in ((n_m, m_m, "men"), (n_k, m_k, "women")):
        bad = (n > 0) & ~np.isfinite(m)
        if bad.any():
            shown = [groups[i] for i in np.flatnonzero(bad)]
            raise ValueError(f"mean pay of {who} is missing in groups with {who}: {shown}")
    m_m = np.where(n_m > 0, m_m, 0.0)
    m_k = np.where(n_k > 0, m_k, 0.0)
    return groups, n_m, n_k, m_m, m_k


def _wmean(n: np.ndarray, m: np.ndarray) -> float:
    total = math.fsum(n)
    return math.fsum(n * m) / total if total > 0 else float("nan")


def overall_means(cells: pd.DataFrame) -> OverallMeans:
    """Overall means of men and women over all groups of a cells frame.

    ``mean_G = Σ_g n_Gg m_Gg / Σ_g n_Gg``: with the published job-group rows this reproduces
    the published 'Totalt' means up to rounding (the means of a whole are the head-count
    weighted means of its parts).
    """
    _, n_m, n_k, m_m, m_k = _cell_arrays(cells)
    return OverallMeans(math.fsum(n_m), math.fsum(n_k), _wmean(n_m, m_m), _wmean(n_k, m_k))


def published_gap_measures(pay: pd.DataFrame) -> pd.DataFrame:
    """Mean gap measures of the published pay table: job groups and 'Totalt' as published.

    Parameters
    ----------
    pay
        ``load_published("pay_by_job_group", preferred_only=True)`` (one row per year and
        table row).

    Returns
    -------
    pandas.DataFrame
        Per year, one row per job group with persons and the published ``totalt`` row (as
        ``group = "alle"``, :data:`analysis.data.codes.TOTAL`):
        ``year, group, n_men, n_women, mean_men, mean_women, gap_nok, gap_pct,
        women_share_of_men_pay_pct, women_share_of_men_pay_pct_published``.

    Notes
    -----
    The published table gives only head counts (via shares) and mean pay per gender, so there
    are no medians and no standard errors here (:func:`gap_measures` computes them from
    person-level data). The ratio is recomputed from the published (rounded to whole kroner)
    means; the published ratio is kept alongside for comparison. The 'Totalt' row is taken
    as published, not recomputed from the job groups: its N (266 in 2023, 283 in 2024) is
    two fewer than the sum of the job-group rows (268, 285, the difference being the two
    apprentices), while its means agree with the job-group rows *including* the apprentices.
    """
    cells = _published_rows(pay, (*JOB_GROUPS, PAY_TABLE_TOTAL_ROW))
    ratio = pay.set_index(["year", "row"])["women_share_of_men_pay_pct"]
    rows = []
    for _, c in cells.iterrows():
        mm, mw = float(c["mean_pay_men_nok"]), float(c["mean_pay_women_nok"])
        gap = mm - mw
        rows.append(
            {
                "year": int(c["year"]),
                "group": _group_code(c["row"]),
                "n_men": int(c["n_men"]),
                "n_women": int(c["n_women"]),
                "mean_men": mm,
                "mean_women": mw,
                "gap_nok": gap,
                "gap_pct": _pct(gap, mm),
                "women_share_of_men_pay_pct": _pct(mw, mm),
                "women_share_of_men_pay_pct_published": float(ratio.loc[(c["year"], c["row"])]),
            }
        )
    out = pd.DataFrame(rows)
    order = {g: i for i, g in enumerate((*JOB_GROUPS, TOTAL))}
    out = out.sort_values(
        ["year", "group"], key=lambda s: s.map(order) if s.name == "group" else s, kind="stable"
    )
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- 2. Ñopo


@dataclass(frozen=True)
class NopoResult:
    """Ñopo (2008) decomposition of the mean pay gap over discrete cells (NOK).

    ``total = men_outside_support + women_outside_support + composition + within_groups``
    exactly (up to floating point). ``per_group`` has one row per group: ``group, n_men,
    n_women, mean_men, mean_women, in_support, share_men, share_women, reference_mean,
    outside_contrib, composition_contrib, within_contrib`` (shares within the common support;
    the three contribution columns sum to ``total``).
    """

    total: float
    men_outside_support: float
    women_outside_support: float
    composition: float
    within_groups: float
    reference: str
    common_support: tuple[Any, ...]
    per_group: pd.DataFrame = field(repr=False)
    n_men: float = float("nan")
    n_women: float = float("nan")
    mean_men: float = float("nan")
    mean_women: float = float("nan")

    def to_dict(self) -> dict[str, float]:
        """``total, men_outside_support, women_outside_support, composition, within_groups``
        in NOK."""
        return {k: float(getattr(self, k)) for k in DECOMPOSITION_KEYS}

    def to_pct_of_men_mean(self) -> dict[str, float]:
        """The same parts in per cent of men's overall mean pay (``total`` = ``gap_pct``)."""
        return {k: _pct(v, self.mean_men) for k, v in self.to_dict().items()}

    @property
    def women_share_of_men_pay_pct(self) -> float:
        return _pct(self.mean_women, self.mean_men)


def nopo_decomposition(cells: pd.DataFrame, reference: str = "men") -> NopoResult:
    """Ñopo (2008) decomposition of the gap in mean pay over discrete groups (cells).

    Parameters
    ----------
    cells
        One row per group with ``group, n_men, n_women, mean_men, mean_women`` (one year):
        :func:`cells_from_published` or :func:`cells_from_microdata`. A mean may be NaN
        where the head count is 0.
    reference
        Pay structure valuing the composition differences: ``"men"`` (default; Ñopo's
        choice), ``"women"`` or ``"pooled"``.

    Returns
    -------
    NopoResult

    Notes
    -----
    Groups where both genders are present form the common support S. With head counts n,
    group means m, overall means ``mean_G = Σ_g n_Gg m_Gg / N_G``, within-support shares
    ``s_Gg = n_Gg / Σ_{h∈S} n_Gh`` (g ∈ S), the means inside the support ``m_G,in = Σ_{g∈S}
    s_Gg m_Gg`` and outside it ``m_G,out``, and ``p_G`` the share of gender G outside S, the
    gap ``Δ = mean_M − mean_K`` is split as in Ñopo (2008, section III)::

        Δ_M = p_M (m_M,out − m_M,in)          men in groups without women
        Δ_K = p_K (m_K,in − m_K,out)          women in groups without men  (Ñopo's Δ_F)
        Δ_X = Σ_{g∈S} (s_Mg − s_Kg) r_g       composition over the common support
        Δ_0 = Σ_{g∈S} [s_Mg (m_Mg − r_g) + s_Kg (r_g − m_Kg)]   within groups

    The identity is exact: ``mean_M = m_M,in + Δ_M`` and ``mean_K = m_K,in − Δ_K``, and
    ``m_M,in − m_K,in = Δ_X + Δ_0`` for any reference means ``r_g``:

    * ``"men"``: ``r_g = m_Mg``; ``Δ_X = Σ (s_Mg − s_Kg) m_Mg`` and ``Δ_0 = Σ s_Kg (m_Mg −
      m_Kg)`` -- Ñopo's Δ_X and Δ_0, the composition valued at men's pay (a Laspeyres-type
      index with men as base; women's counterfactual pay is what they would earn with men's
      group means).
    * ``"women"``: ``r_g = m_Kg``; ``Δ_X = Σ (s_Mg − s_Kg) m_Kg``, ``Δ_0 = Σ s_Mg (m_Mg −
      m_Kg)`` (Paasche-type: men's distribution weights the within-group differences).
    * ``"pooled"``: ``r_g = (n_Mg m_Mg + n_Kg m_Kg) / (n_Mg + n_Kg)``, the pooled group mean
      (the grouped analogue of the pooled Oaxaca–Blinder reference); ``Δ_0`` then has a
      part for men (above the pooled mean) and for women (below it).

    Ñopo's out-of-support parts do not depend on the reference. The per-group contributions
    (``outside_contrib = n_Mg/N_M (m_Mg − m_M,in)`` for men's groups outside S, ``n_Kg/N_K
    (m_K,in − m_Kg)`` for women's, and the summands above) add up to ``total``.

    Raises
    ------
    ValueError
        If a gender has no persons, or no group has both genders (no common support).
    """
    if reference not in NOPO_REFERENCES:
        raise ValueError(f"reference must be one of {NOPO_REFERENCES}, not {reference!r}")
    groups, n_m, n_k, m_m, m_k = _cell_arrays(cells)
    big_m, big_k = math.fsum(n_m), math.fsum(n_k)
    if big_m <= 0 or big_k <= 0:
        raise ValueError("the cells need both men and women")
    mean_m, mean_k = _wmean(n_m, m_m), _wmean(n_k, m_k)
    inside = (n_m > 0) & (n_k > 0)
    if not inside.any():
        raise ValueError("no group has both men and women: there is no common support")
    s_m = np.where(inside, n_m, 0.0) / math.fsum(n_m[inside])
    s_k = np.where(inside, n_k, 0.0) / math.fsum(n_k[inside])
    m_m_in, m_k_in = math.fsum(s_m * m_m), math.fsum(s_k * m_k)
    if reference == "men":
        ref = m_m.copy()
    elif reference == "women":
        ref = m_k.copy()
    else:
        ref = np.where(inside, (n_m * m_m + n_k * m_k) / np.maximum(n_m + n_k, 1e-300), 0.0)
    ref = np.where(inside, ref, np.nan)
    out_m = ~inside & (n_m > 0)
    out_k = ~inside & (n_k > 0)
    outside = np.zeros(len(groups))
    outside[out_m] += n_m[out_m] / big_m * (m_m[out_m] - m_m_in)
    outside[out_k] += n_k[out_k] / big_k * (m_k_in - m_k[out_k])
    comp = np.where(inside, (s_m - s_k) * np.nan_to_num(ref), 0.0)
    within = np.where(
        inside,
        s_m * (m_m - np.nan_to_num(ref)) + s_k * (np.nan_to_num(ref) - m_k),
        0.0,
    )
    per_group = pd.DataFrame(
        {
            "group": groups,
            "n_men": cells["n_men"].fillna(0).to_numpy(),
            "n_women": cells["n_women"].fillna(0).to_numpy(),
            "mean_men": np.where(n_m > 0, m_m, np.nan),
            "mean_women": np.where(n_k > 0, m_k, np.nan),
            "in_support": inside,
            "share_men": np.where(inside, s_m, np.nan),
            "share_women": np.where(inside, s_k, np.nan),
            "reference_mean": ref,
            "outside_contrib": outside,
            "composition_contrib": comp,
            "within_contrib": within,
        }
    )
    return NopoResult(
        total=mean_m - mean_k,
        men_outside_support=math.fsum(outside[out_m]),
        women_outside_support=math.fsum(outside[out_k]),
        composition=math.fsum(comp),
        within_groups=math.fsum(within),
        reference=reference,
        common_support=tuple(g for g, i in zip(groups, inside, strict=True) if i),
        per_group=per_group,
        n_men=big_m,
        n_women=big_k,
        mean_men=mean_m,
        mean_women=mean_k,
    )


# --------------------------------------------------------------------------- 3. change


@dataclass(frozen=True)
class GapChange:
    """Change in the overall pay gap and ratio between two years, split into two parts.

    ``change = composition + within_groups`` (NOK) and ``ratio_change_pp =
    ratio_composition_pp + ratio_within_pp`` (percentage points of women's share of men's
    pay), both exactly. ``per_group`` columns: ``group, share_men0, share_men1, share_women0,
    share_women1, mean_men0, mean_men1, mean_women0, mean_women1, composition_men,
    composition_women, pay_men, pay_women, composition_contrib, within_contrib`` (shares of
    all men/women; the two ``*_contrib`` columns sum to ``change``). ``nopo_part_changes``
    is the change in each Ñopo part (men's reference) between the years, which also sums to
    ``change``.
    """

    year0: Any
    year1: Any
    gap0: float
    gap1: float
    change: float
    composition: float
    within_groups: float
    ratio0_pct: float
    ratio1_pct: float
    ratio_change_pp: float
    ratio_composition_pp: float
    ratio_within_pp: float
    per_group: pd.DataFrame = field(repr=False)
    nopo_part_changes: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain values (no per-group table)."""
        keys = (
            "year0",
            "year1",
            "gap0",
            "gap1",
            "change",
            "composition",
            "within_groups",
            "ratio0_pct",
            "ratio1_pct",
            "ratio_change_pp",
            "ratio_composition_pp",
            "ratio_within_pp",
        )
        out: dict[str, Any] = {k: getattr(self, k) for k in keys}
        out["nopo_part_changes"] = dict(self.nopo_part_changes)
        return out


def _year_of(cells: pd.DataFrame) -> Any:
    if "year" in cells.columns and cells["year"].nunique() == 1:
        v = cells["year"].iloc[0]
        return v.item() if isinstance(v, np.generic) else v
    return None


def gap_change(
    cells_year0: pd.DataFrame,
    cells_year1: pd.DataFrame,
    *,
    year0: Any = None,
    year1: Any = None,
) -> GapChange:
    """Decompose the change in the overall gap between two years (Kitagawa 1955).

    Parameters
    ----------
    cells_year0, cells_year1
        Cells frames (``group, n_men, n_women, mean_men, mean_women``) of the earlier and the
        later year.
    year0, year1
        Labels; default the ``year`` column of the cells, if present.

    Returns
    -------
    GapChange

    Notes
    -----
    For each gender G the overall mean is ``mean_G = Σ_g s_Gg m_Gg`` with ``s_Gg = n_Gg /
    N_G`` the share of all persons of gender G in group g. Its change is split with
    symmetric (midpoint) weights, the Kitagawa (1955) / shift-share form::

        Δmean_G = Σ_g (s¹_Gg − s⁰_Gg)(m⁰_Gg + m¹_Gg)/2    composition   C_G
                + Σ_g (s⁰_Gg + s¹_Gg)/2 (m¹_Gg − m⁰_Gg)    pay within groups   W_G

    which is exact for every group (no interaction term). The change in the gap
    ``Δ¹ − Δ⁰ = Δmean_M − Δmean_K`` is then ``composition = C_M − C_K`` plus
    ``within_groups = W_M − W_K``.

    Groups (or a gender within a group) present in only one year have no mean pay in the
    other; there the missing mean is set equal to the observed one, so the whole
    contribution ``± s m`` of an entering or leaving cell counts as composition, and the
    within-group part is zero (a cell that does not exist has no pay change).

    The ratio ``r = 100 F / M`` (F, M the overall means of women and men) is decomposed with
    the same midpoint idea, exactly::

        r¹ − r⁰ = 100 [ΔF · (1/M⁰ + 1/M¹)/2 − (F⁰ + F¹)/2 · ΔM / (M⁰ M¹)]

    (since ``Δ(1/M) = −ΔM/(M⁰M¹)``), which is linear in ΔF and ΔM; substituting ``ΔF = C_K +
    W_K`` and ``ΔM = C_M + W_M`` gives the composition and within-group parts in percentage
    points.
    """
    year0 = _year_of(cells_year0) if year0 is None else year0
    year1 = _year_of(cells_year1) if year1 is None else year1
    g0, nm0, nk0, mm0, mk0 = _cell_arrays(cells_year0)
    g1, nm1, nk1, mm1, mk1 = _cell_arrays(cells_year1)
    groups = _group_order([*g0, *g1])
    pos0, pos1 = {g: i for i, g in enumerate(g0)}, {g: i for i, g in enumerate(g1)}

    def aligned(arr: np.ndarray, pos: dict[Any, int]) -> np.ndarray:
        return np.array([arr[pos[g]] if g in pos else 0.0 for g in groups])

    per: dict[str, Any] = {"group": groups}
    parts: dict[str, tuple[float, float, float, float]] = {}
    for label, n0, n1, m0, m1 in (
        ("men", aligned(nm0, pos0), aligned(nm1, pos1), aligned(mm0, pos0), aligned(mm1, pos1)),
        ("women", aligned(nk0, pos0), aligned(nk1, pos1), aligned(mk0, pos0), aligned(mk1, pos1)),
    ):
        if n0.sum() <= 0 or n1.sum() <= 0:
            raise ValueError(f"both years need {label}")
        s0, s1 = n0 / math.fsum(n0), n1 / math.fsum(n1)
        m0 = np.where(n0 > 0, m0, m1)  # a cell absent in one year: its mean from the other
        m1 = np.where(n1 > 0, m1, m0)
        comp = (s1 - s0) * (m0 + m1) / 2.0
        pay = (s0 + s1) / 2.0 * (m1 - m0)
        per.update(
            {
                f"share_{label}0": s0,
                f"share_{label}1": s1,
                f"mean_{label}0": np.where(n0 > 0, m0, np.nan),
                f"mean_{label}1": np.where(n1 > 0, m1, np.nan),
                f"composition_{label}": comp,
                f"pay_{label}": pay,
            }
        )
        parts[label] = (math.fsum(s0 * m0), math.fsum(s1 * m1), math.fsum(comp), math.fsum(pay))
    (big_m0, big_m1, c_m, w_m), (f0, f1, c_k, w_k) = parts["men"], parts["women"]
    per["composition_contrib"] = per["composition_men"] - per["composition_women"]
    per["within_contrib"] = per["pay_men"] - per["pay_women"]
    order = [
        "group",
        "share_men0",
        "share_men1",
        "share_women0",
        "share_women1",
        "mean_men0",
        "mean_men1",
        "mean_women0",
        "mean_women1",
        "composition_men",
        "composition_women",
        "pay_men",
        "pay_women",
        "composition_contrib",
        "within_contrib",
    ]
    per_group = pd.DataFrame(per)[order]

    h_bar = (1.0 / big_m0 + 1.0 / big_m1) / 2.0
    f_bar = (f0 + f1) / 2.0
    k = f_bar / (big_m0 * big_m1)
    r0, r1 = 100.0 * f0 / big_m0, 100.0 * f1 / big_m1
    ratio_comp = 100.0 * (c_k * h_bar - k * c_m)
    ratio_within = 100.0 * (w_k * h_bar - k * w_m)

    nopo_changes: dict[str, float] = {}
    try:
        n0, n1 = nopo_decomposition(cells_year0), nopo_decomposition(cells_year1)
        d0, d1 = n0.to_dict(), n1.to_dict()
        nopo_changes = {key: d1[key] - d0[key] for key in DECOMPOSITION_KEYS}
    except ValueError:  # no common support in a year: the Ñopo parts are not defined
        nopo_changes = {}
    gap0, gap1 = big_m0 - f0, big_m1 - f1
    return GapChange(
        year0=year0,
        year1=year1,
        gap0=gap0,
        gap1=gap1,
        change=gap1 - gap0,
        composition=c_m - c_k,
        within_groups=w_m - w_k,
        ratio0_pct=r0,
        ratio1_pct=r1,
        ratio_change_pp=r1 - r0,
        ratio_composition_pp=ratio_comp,
        ratio_within_pp=ratio_within,
        per_group=per_group,
        nopo_part_changes=nopo_changes,
    )


# --------------------------------------------------------------------------- 4. Oaxaca


def prepare_pay_data(hr: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``hr`` with ``log_pay = ln(annual_pay)`` and ``age2 = age²`` added.

    ``temporary`` (and ``part_time``), if boolean, become 0/1 floats. Rows with
    non-positive pay get a NaN ``log_pay`` (and so leave regression samples).
    """
    out = hr.copy()
    pay = out[PAY].astype(float)
    out["log_pay"] = np.log(pay.where(pay > 0))
    if "age" in out.columns:
        out["age2"] = out["age"].astype(float) ** 2
    for col in ("temporary", "part_time"):
        if col in out.columns and (
            pd.api.types.is_bool_dtype(out[col]) or out[col].dtype == object
        ):
            out[col] = out[col].map({True: 1.0, False: 0.0}).astype(float)
    return out


def oaxaca_reference_label(result: OaxacaResult) -> str:
    """``male``, ``female`` or ``pooled``: whose coefficients value the explained part.

    :func:`analysis.methods.oaxaca.oaxaca_blinder` names references by group ("group_a" = the
    coefficients of ``group_a``); this maps them to the genders of the result. For a
    threefold result it names whose coefficients value the endowments.
    """
    gender_of = {"group_a": result.group_a, "group_b": result.group_b}
    if result.reference not in gender_of:
        return "pooled" if result.reference == "pooled" else str(result.reference)
    return {MEN: "male", WOMEN: "female"}[gender_of[result.reference]]


def _usable_covariates(
    df: pd.DataFrame, covariates: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Restrict to categories present for both genders; drop covariates constant in a gender."""
    categorical = [c for c in covariates if not pd.api.types.is_numeric_dtype(df[c])]
    for col in categorical:
        genders = df.groupby(col)["gender"].nunique()
        support = set(genders.index[genders == 2])
        lost = sorted(map(str, set(df[col]) - support))
        if lost:
            warnings.warn(
                f"{col}: categories with only one gender are left out of the Oaxaca–Blinder "
                f"sample (outside the common support): {lost}",
                RuntimeWarning,
                stacklevel=3,
            )
            df = df.loc[df[col].isin(support)]
    keep = []
    for col in covariates:
        if col in categorical:
            varies = df[col].nunique() >= 2
        else:
            x = df[col].astype(float)
            varies = all(x[df["gender"] == g].nunique() >= 2 for g in (MEN, WOMEN))
        if varies:
            keep.append(col)
        else:
            warnings.warn(
                f"covariate {col!r} does not vary among men or among women and is left out",
                RuntimeWarning,
                stacklevel=3,
            )
    return df, keep


def oaxaca_paygap(
    hr: pd.DataFrame,
    covariates: Sequence[str] = DEFAULT_OAXACA_COVARIATES,
    weights: str | None = None,
    *,
    threefold: bool = False,
    **kwargs: Any,
) -> list[OaxacaResult]:
    """Oaxaca–Blinder decompositions of the gap in log pay, men minus women.

    Parameters
    ----------
    hr
        Person-level data of one year (``gender``, ``annual_pay`` and the covariates).
        ``log_pay`` and ``age2`` are added internally (:func:`prepare_pay_data`).
    covariates
        Columns of the wage equations. String columns (``job_group``, ``education_level``)
        become dummy sets, normalised (deviation contrast; Yun 2005) so that the detailed
        results do not depend on the omitted category. Default ``job_group, age, age2,
        tenure_years, temporary``.
    weights
        Optional weight column (analytic weights).
    threefold
        Also return the threefold decompositions (endowments, coefficients, interaction),
        from women's (Stata's default) and from men's point of view.
    **kwargs
        Passed on to :func:`analysis.methods.oaxaca.oaxaca_blinder` (``vce``, ``se_method``, ...).

    Returns
    -------
    list of OaxacaResult
        Twofold with men's coefficients as the reference (``male``: ``reference =
        "group_a"`` with ``group_a = "M"``), with women's (``female``, ``"group_b"``) and the
        pooled model with a gender indicator (``pooled``; Fortin 2008, Jann 2008); then, if
        ``threefold``, the two threefold results. Use :func:`oaxaca_reference_label` for
        the ``male/female/pooled`` label of each.

    Notes
    -----
    Outcome ``ln(annual_pay)``; ``mean_a − mean_b`` is the gap in mean log pay, men minus
    women. Categories of a categorical covariate where only one gender works (e.g. a job
    group of women only) make the design singular in the other gender's regression; those
    persons are left out (they are outside the common support, cf. Ñopo 2008) with a
    warning, and counted in ``n_dropped``. Covariates constant among men or among women are
    left out with a warning.
    """
    _single_year(hr, "hr")
    _check_gender(hr)
    df = prepare_pay_data(hr)
    cols = ["log_pay", "gender", *covariates] + ([weights] if weights else [])
    complete = df.loc[df[cols].notna().all(axis=1)]
    n_incomplete = len(df) - len(complete)
    sample, covs = _usable_covariates(complete, covariates)
    n_outside = len(complete) - len(sample)
    if not covs:
        raise ValueError("no usable covariate left for the Oaxaca–Blinder decomposition")
    runs = [("group_a", False), ("group_b", False), ("pooled", False)]
    if threefold:
        runs += [("group_b", True), ("group_a", True)]
    results = []
    for reference, three in runs:
        res = oaxaca_blinder(
            sample,
            "log_pay",
            "gender",
            covs,
            group_a=MEN,
            reference=reference,
            threefold=three,
            weights=weights,
            **kwargs,
        )
        results.append(replace(res, n_dropped=res.n_dropped + n_incomplete + n_outside))
    return results


def _base_covariates(terms: Iterable[str]) -> list[str]:
    """``["job_group[a]", "job_group[b]", "age"] → ["job_group", "age"]``."""
    return list(dict.fromkeys(t.split("[", 1)[0] for t in terms))


def oaxaca_key_figures(results: Iterable[OaxacaResult]) -> list[dict[str, Any]]:
    """Key figures of twofold Oaxaca–Blinder results (log-pay scale); threefold are skipped.

    Returns
    -------
    list of dict
        Each ``{reference (male|female|pooled), covariates (list of covariate names),
        n_men, n_women, total, explained, unexplained, se_explained, se_unexplained}``, where
        ``total`` is the gap in mean log pay (men − women) and the standard errors are those
        of the result (delta method by default).
    """
    out = []
    for r in results:
        if r.kind != "twofold":
            continue
        n = {r.group_a: int(r.n_a), r.group_b: int(r.n_b)}
        ov = r.overall
        out.append(
            {
                "reference": oaxaca_reference_label(r),
                "covariates": _base_covariates(r.covariates),
                "n_men": n[MEN],
                "n_women": n[WOMEN],
                "total": float(r.gap),
                "explained": float(ov.loc["explained", "estimate"]),
                "unexplained": float(ov.loc["unexplained", "estimate"]),
                "se_explained": float(ov.loc["explained", "se"]),
                "se_unexplained": float(ov.loc["unexplained", "se"]),
            }
        )
    return out


# --------------------------------------------------------------------------- 5. EU directive


@dataclass(frozen=True)
class EUIndicators:
    """Pay transparency indicators of Directive (EU) 2023/970, art. 9 and 10.

    Pay is annual pay converted to full time (FTE), not the gross hourly pay the directive
    prescribes; with FTE pay the two differ only by differences in agreed hours per FTE.
    Complementary or variable components (art. 9(1)(b), (d), (e)) are not in the data.

    ``by_category``: ``category, n_men, n_women, mean_men, mean_women, median_men,
    median_women, mean_gap_pct, median_gap_pct, adjusted_gap_pct, adjusted_estimable,
    flag_raw, flag_adjusted``. ``quartiles``: ``quartile, n, n_women, n_men,
    share_women_pct, share_men_pct, pay_min, pay_max`` (see :func:`pay_quartiles`).
    """

    mean_gap_pct: float
    median_gap_pct: float
    n_men: int
    n_women: int
    by_category: pd.DataFrame = field(repr=False)
    quartiles: pd.DataFrame = field(repr=False)
    threshold_pct: float = 5.0
    two_sided: bool = True
    adjusted_covariates: tuple[str, ...] = ()
    pay_measure: str = "annual pay converted to full time (NOK), not gross hourly pay"

    @property
    def flagged_categories(self) -> tuple[Any, ...]:
        """Categories needing a joint pay assessment (adjusted gap ≥ threshold)."""
        bc = self.by_category
        return tuple(bc.loc[bc["flag_adjusted"], "category"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean_gap_pct": self.mean_gap_pct,
            "median_gap_pct": self.median_gap_pct,
            "n_men": self.n_men,
            "n_women": self.n_women,
            "threshold_pct": self.threshold_pct,
            "adjusted_covariates": list(self.adjusted_covariates),
            "pay_measure": self.pay_measure,
            "by_category": self.by_category.to_dict(orient="records"),
            "quartiles": self.quartiles.to_dict(orient="records"),
        }


def pay_quartiles(hr: pd.DataFrame) -> pd.DataFrame:
    """Share of women and men in each quartile pay band of the whole workforce (art. 9(1)(f)).

    Parameters
    ----------
    hr
        Person-level data of one year (``gender``, ``annual_pay``).

    Returns
    -------
    pandas.DataFrame
        ``quartile`` (1 = lowest paid), ``n`` (persons in the band, n/4), ``n_women``,
        ``n_men``, ``share_women_pct``, ``share_men_pct``, ``pay_min``, ``pay_max`` (lowest
        and highest pay of anyone counted in the band).

    Notes
    -----
    Persons are ranked by pay; the rank interval ``[0, n)`` is cut into four equal parts
    ``[k n/4, (k+1) n/4)``, and each person occupies ``[i, i + 1)``. Ties are handled
    deterministically and gender-neutrally: persons with the same pay form one block, and a
    block that straddles a band boundary is split between the bands in proportion to its
    overlap, each of its women and men counting fractionally (so the result never depends
    on row order or identifiers). When ``n`` is not a multiple of 4 the person at a
    boundary is split the same way. Every band thus holds exactly ``n/4`` persons and the
    counts may be fractional.
    """
    _single_year(hr, "hr")
    sub = _pay_rows(hr, None, None)
    n = len(sub)
    if n == 0:
        raise ValueError("no persons with pay")
    blocks = (
        sub.assign(w=(sub["gender"] == WOMEN).astype(float), m=(sub["gender"] == MEN).astype(float))
        .groupby(PAY, sort=True)[["w", "m"]]
        .sum()
    )
    size = (blocks["w"] + blocks["m"]).to_numpy()
    start = np.concatenate([[0.0], np.cumsum(size)[:-1]])
    end = start + size
    pay = blocks.index.to_numpy(dtype=float)
    rows = []
    for k in range(4):
        lo, hi = k * n / 4.0, (k + 1) * n / 4.0
        overlap = np.clip(np.minimum(end, hi) - np.maximum(start, lo), 0.0, None)
        frac = overlap / size
        nw = float(frac @ blocks["w"].to_numpy())
        nm = float(frac @ blocks["m"].to_numpy())
        inside = overlap > 1e-12
        rows.append(
            {
                "quartile": k + 1,
                "n": nw + nm,
                "n_women": nw,
                "n_men": nm,
                "share_women_pct": _pct(nw, nw + nm),
                "share_men_pct": _pct(nm, nw + nm),
                "pay_min": float(pay[inside].min()) if inside.any() else float("nan"),
                "pay_max": float(pay[inside].max()) if inside.any() else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def _adjusted_gap_pct(sub: pd.DataFrame, covariates: Sequence[str]) -> float:
    """Within-category gap (% of men's pay) after regressing log pay on the covariates.

    OLS of ``ln pay`` on a constant, a man indicator and the covariates (those constant in
    the category are left out). The indicator's coefficient δ is the unexplained part of a
    twofold Oaxaca–Blinder decomposition with the pooled reference including the group
    indicator (Fortin 2008; Jann 2008): pooled residuals average zero within each gender, so
    ``gap = (x̄_M − x̄_K)'β* + δ``. Returned as ``(1 − exp(−δ)) × 100``, the gap in per
    cent of men's pay at equal covariates. NaN when not estimable (one gender missing, too
    few persons, or a singular design).
    """
    d = sub.loc[sub["log_pay"].notna()]
    covs = [c for c in covariates if d[c].notna().all() and d[c].nunique() > 1]
    if d["gender"].nunique() < 2:
        return float("nan")
    X = np.column_stack(
        [
            np.ones(len(d)),
            (d["gender"] == MEN).to_numpy(dtype=float),
            *(d[c].to_numpy(dtype=float) for c in covs),
        ]
    )
    if len(d) <= X.shape[1] or np.linalg.matrix_rank(X) < X.shape[1]:
        return float("nan")
    beta, *_ = np.linalg.lstsq(X, d["log_pay"].to_numpy(dtype=float), rcond=None)
    return float((1.0 - math.exp(-beta[1])) * 100.0)


def eu_pay_transparency(
    hr: pd.DataFrame,
    adjusted_covariates: Sequence[str] = ("age", "tenure_years"),
    *,
    by: str = "job_group",
    threshold_pct: float = 5.0,
    two_sided: bool = True,
) -> EUIndicators:
    """Pay transparency indicators of Directive (EU) 2023/970 (art. 9) and the art. 10 flag.

    Parameters
    ----------
    hr
        Person-level data of one year (``gender``, ``annual_pay``, ``by`` and the adjustment
        covariates).
    adjusted_covariates
        Objective, gender-neutral criteria used to adjust the within-category gap (default
        age and tenure). Numeric columns only.
    by
        Column defining the categories of workers (default ``job_group``: the job groups
        stand in for "workers performing the same work or work of equal value", art. 9(1)(g)).
    threshold_pct
        The art. 10(1)(a) threshold, 5 %.
    two_sided
        Flag a difference of at least the threshold in either direction (default; art.
        10(1)(a) speaks of "a difference in average pay level between female and male
        workers of at least 5 %"). ``False`` flags only gaps in men's favour.

    Returns
    -------
    EUIndicators

    Notes
    -----
    * Pay measure: the directive's gap is on gross hourly pay (art. 3(1)(c)); here it is
      annual pay converted to full time (FTE), which is proportional to hourly pay when
      hours per FTE are the same for everyone. There are no complementary or variable
      components in the data, so art. 9(1)(b), (d) and (e) are not reported.
    * (a) mean gap and (c) median gap: ``(mean_M − mean_K)/mean_M × 100`` and the same with
      medians (art. 3(1)(c) and (d)).
    * (f) quartile pay bands: :func:`pay_quartiles` (ties split proportionally).
    * (g) gap per category of workers, mean and median.
    * Art. 10 flag: ``flag_raw`` where the category's mean gap is at least ``threshold_pct``
      (in absolute value when ``two_sided``). ``flag_adjusted`` where moreover the gap is
      not justified by the objective, gender-neutral criteria ``adjusted_covariates``: the
      adjusted gap (see below) is also at least the threshold, or it cannot be estimated
      (too few persons; the employer then has not shown a justification). The adjusted gap
      is the within-category gender coefficient of an OLS of log pay on a man indicator
      and the covariates, i.e. the unexplained part of a pooled Oaxaca–Blinder
      decomposition (with group indicator; Fortin 2008), converted to % of men's pay as
      ``(1 − exp(−δ)) × 100``. Categories with only one gender have no gap and no flag.
    """
    _single_year(hr, "hr")
    measures = gap_measures(hr, by=by)
    total = measures.loc[measures["group"] == TOTAL].iloc[0]
    data = prepare_pay_data(hr)
    data = data.loc[data["gender"].notna() & data[PAY].notna() & data[by].notna()]

    def over(x: float) -> bool:
        if not math.isfinite(x):
            return False
        return (abs(x) if two_sided else x) >= threshold_pct

    rows = []
    for _, m in measures.loc[measures["group"] != TOTAL].iterrows():
        adj = _adjusted_gap_pct(data.loc[data[by] == m["group"]], adjusted_covariates)
        raw = over(float(m["gap_pct"]))
        rows.append(
            {
                "category": m["group"],
                "n_men": int(m["n_men"]),
                "n_women": int(m["n_women"]),
                "mean_men": m["mean_men"],
                "mean_women": m["mean_women"],
                "median_men": m["median_men"],
                "median_women": m["median_women"],
                "mean_gap_pct": m["gap_pct"],
                "median_gap_pct": m["median_gap_pct"],
                "adjusted_gap_pct": adj,
                "adjusted_estimable": math.isfinite(adj),
                "flag_raw": raw,
                "flag_adjusted": raw and (not math.isfinite(adj) or over(adj)),
            }
        )
    return EUIndicators(
        mean_gap_pct=float(total["gap_pct"]),
        median_gap_pct=float(total["median_gap_pct"]),
        n_men=int(total["n_men"]),
        n_women=int(total["n_women"]),
        by_category=pd.DataFrame(rows),
        quartiles=pay_quartiles(hr),
        threshold_pct=threshold_pct,
        two_sided=two_sided,
        adjusted_covariates=tuple(adjusted_covariates),
    )


# --------------------------------------------------------------------------- 6. key figures


def key_figures(
    year: int,
    data_source: str,
    *,
    cells: pd.DataFrame,
    nopo: NopoResult | None = None,
    oaxaca: Sequence[OaxacaResult] | Sequence[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The pay gap key figures of one year, as plain values.

    Parameters
    ----------
    year
        Reporting year.
    data_source
        ``published`` (the published table), ``microdata`` (IMDi's HR data) or
        ``synthetic`` (generated data).
    cells
        Cells frame of the year (:func:`cells_from_published` / :func:`cells_from_microdata`).
    nopo
        Ñopo decomposition with men's group means as the reference; computed from ``cells``
        if omitted.
    oaxaca
        Oaxaca–Blinder results (:func:`oaxaca_paygap`) or their key figures
        (:func:`oaxaca_key_figures`); ``None`` when there are no person-level data.

    Returns
    -------
    dict
        ``year, data_source, women_share_of_men_pay_pct, gap_nok, gap_pct,
        decomposition_grouped`` ({``total, men_outside_support, women_outside_support,
        composition, within_groups``} in NOK, men's group means as the reference) and
        ``oaxaca`` (list of dicts as :func:`oaxaca_key_figures`, or None).
    """
    if data_source not in DATA_SOURCES:
        raise ValueError(f"data_source must be one of {DATA_SOURCES}, not {data_source!r}")
    means = overall_means(cells)
    nopo = nopo_decomposition(cells, reference="men") if nopo is None else nopo
    if nopo.reference != "men":
        raise ValueError("the key figures use men's group means as the reference")
    if not math.isclose(nopo.total, means.gap_nok, rel_tol=1e-9, abs_tol=1e-6):
        raise ValueError("nopo does not belong to these cells (the totals differ)")
    ox: list[dict[str, Any]] | None = None
    if oaxaca is not None:
        items = list(oaxaca)
        ox = (
            [dict(d) for d in items]  # type: ignore[arg-type]
            if all(isinstance(d, dict) for d in items)
            else oaxaca_key_figures(items)  # type: ignore[arg-type]
        )
    return {
        "year": int(year),
        "data_source": data_source,
        "women_share_of_men_pay_pct": float(means.women_share_of_men_pay_pct),
        "gap_nok": float(means.gap_nok),
        "gap_pct": float(means.gap_pct),
        "decomposition_grouped": nopo.to_dict(),
        "oaxaca": ox,
    }
