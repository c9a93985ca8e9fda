"""Gender pay gap: gap measures, the cells the grouped methods use, EU indicators.

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
:func:`cells_from_published`, :func:`cells_from_microdata`, :func:`overall_means`
    The "cells" frame (``group, n_men, n_women, mean_men, mean_women``) the grouped methods use
    (:mod:`analysis.paygap.nopo`) and its overall means.
:func:`eu_pay_transparency`
    The indicators of art. 9 of the pay transparency directive (EU) 2023/970 that the data
    support, and the 5 % flag of art. 10.

The grouped decompositions (Ñopo 2008; the change between years, Kitagawa 1955) are in
:mod:`analysis.paygap.nopo`, the Oaxaca–Blinder decompositions of person-level data in
:mod:`analysis.paygap.models`, the report's key figures in :mod:`analysis.paygap.keyfigures`.

References
----------
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
Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. Biometrika 34(1–2), 28–35.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.codes import JOB_GROUPS, PAY_TABLE_TOTAL_ROW, TOTAL
from analysis.data.pay_table import pay_cells

__all__ = [
    "CELL_COLUMNS",
    "EU_ADJUSTED_COVARIATES",
    "EUIndicators",
    "OverallMeans",
    "cells_from_microdata",
    "cells_from_published",
    "eu_pay_transparency",
    "gap_measures",
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
_Z95 = NormalDist().inv_cdf(0.975)
#: the objective, gender-neutral criteria of the EU indicators' adjusted gap
EU_ADJUSTED_COVARIATES: tuple[str, ...] = ("age", "tenure_years")


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
        raise ValueError(f"{what} må gjelde ett år, fant {years}; filtrer på 'year' først")


def _check_gender(hr: pd.DataFrame) -> None:
    bad = set(hr["gender"].dropna().unique()) - {MEN, WOMEN}
    if bad:
        raise ValueError(f"kjønn må være 'K' eller 'M', fant {sorted(map(str, bad))}")


def _pay_rows(hr: pd.DataFrame, by: str | None, weights: str | None) -> pd.DataFrame:
    """Rows with gender, pay (and group, weight) present; gender validated."""
    _check_gender(hr)
    cols = ["gender", PAY] + ([by] if by else []) + ([weights] if weights else [])
    sub = hr.loc[hr[cols].notna().all(axis=1), cols].copy()
    if weights:
        if (sub[weights] < 0).any():
            raise ValueError("vektene kan ikke være negative")
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
            "lønnstabellen har flere rader per (år, rad): les den med preferred_only=True"
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
        filtered before :func:`analysis.paygap.nopo.nopo_decomposition`).
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
            raise ValueError(f"ingen publiserte lønnsrader for {year}")
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
        raise ValueError(f"cellene trenger kolonnene {list(CELL_COLUMNS)}; mangler {missing}")
    _single_year(cells, "cells")
    if cells["group"].duplicated().any():
        raise ValueError("cellene må ha én rad per gruppe")
    groups = cells["group"].tolist()
    n_m = cells["n_men"].fillna(0).to_numpy(dtype=float)
    n_k = cells["n_women"].fillna(0).to_numpy(dtype=float)
    if (n_m < 0).any() or (n_k < 0).any():
        raise ValueError("antall personer kan ikke være negativt")
    m_m = cells["mean_men"].to_numpy(dtype=float)
    m_k = cells["mean_women"].to_numpy(dtype=float)
    for n, m, who in ((n_m, m_m, "menn"), (n_k, m_k, "kvinner")):
        bad = (n > 0) & ~np.isfinite(m)
        if bad.any():
            shown = [groups[i] for i in np.flatnonzero(bad)]
            raise ValueError(f"gjennomsnittslønn for {who} mangler i grupper med {who}: {shown}")
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


# --------------------------------------------------------------------------- 2. prepared data


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


# --------------------------------------------------------------------------- 3. EU directive


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
        raise ValueError("ingen personer med lønn")
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
    adjusted_covariates: Sequence[str] = EU_ADJUSTED_COVARIATES,
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
