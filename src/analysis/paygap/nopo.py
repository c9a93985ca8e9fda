"""Grouped decompositions of the pay gap: Ñopo (2008) over job groups, and the change
between two years split into composition and pay within groups (Kitagawa 1955).

Both take "cells" frames (``group, n_men, n_women, mean_men, mean_women``;
:func:`analysis.paygap.measures.cells_from_published`,
:func:`~analysis.paygap.measures.cells_from_microdata`), so they work on IMDi's published
table as well as on person-level data aggregated to groups. Conventions as in
:mod:`analysis.paygap.measures` (gap = men's mean − women's mean, NOK).

References
----------
Kitagawa, E. M. (1955). Components of a difference between two rates. Journal of the American
    Statistical Association 50(272), 1168–1194.
Ñopo, H. (2008). Matching as a tool to decompose wage gaps. Review of Economics and
    Statistics 90(2), 290–299.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.paygap.measures import _cell_arrays, _group_order, _pct, _wmean

__all__ = [
    "DECOMPOSITION_KEYS",
    "GapChange",
    "NopoResult",
    "change_on_totals",
    "gap_change",
    "nopo_decomposition",
    "nopo_on_total",
    "round_to_total",
]

NOPO_REFERENCES: tuple[str, ...] = ("men", "women", "pooled")
DECOMPOSITION_KEYS: tuple[str, ...] = (
    "total",
    "men_outside_support",
    "women_outside_support",
    "composition",
    "within_groups",
)


# --------------------------------------------------------------------------- Ñopo


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
        :func:`~analysis.paygap.measures.cells_from_published` or
        :func:`~analysis.paygap.measures.cells_from_microdata`. A mean may be NaN
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
        raise ValueError(f"reference må være en av {NOPO_REFERENCES}, ikke {reference!r}")
    groups, n_m, n_k, m_m, m_k = _cell_arrays(cells)
    big_m, big_k = math.fsum(n_m), math.fsum(n_k)
    if big_m <= 0 or big_k <= 0:
        raise ValueError("cellene må ha både menn og kvinner")
    mean_m, mean_k = _wmean(n_m, m_m), _wmean(n_k, m_k)
    inside = (n_m > 0) & (n_k > 0)
    if not inside.any():
        raise ValueError("ingen gruppe har både menn og kvinner: det finnes ingen felles støtte")
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


# --------------------------------------------------------------------------- change


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
            raise ValueError(f"begge årene trenger {label}")
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


# ------------------------------------------------- shown on the basis of the published total


def round_to_total(parts: Sequence[float], total: float, step: float = 1.0) -> list[float]:
    """Round ``parts`` to multiples of ``step`` so that they sum exactly to ``total``.

    ``total`` (itself rounded to ``step``) is the figure the reader sees, e.g. a published gap
    in whole kroner; ``parts`` are computed on a slightly different basis (e.g. from rounded
    group means) and sum to something within a few steps of it. The difference is shared
    among the parts in proportion to their size, and the result is rounded by the largest
    remainder (Hamilton) method, so the rounded parts add up to ``total`` to the step and
    each moves by less than one step plus its share of the difference.

    Parameters
    ----------
    parts
        The computed parts (finite).
    total
        The total they must add up to.
    step
        The precision shown (1 for kroner, 0.01 for percentage points with two decimals).

    Returns
    -------
    list of float
        The parts, multiples of ``step``, in the order given.
    """
    values = [float(p) for p in parts]
    if not values or not all(math.isfinite(v) for v in [*values, total]):
        raise ValueError("delene og summen må være endelige tall")
    target = round(total / step)
    units = [v / step for v in values]
    diff = target - math.fsum(units)
    weight = math.fsum(abs(u) for u in units)
    adjusted = [u + diff * (abs(u) / weight if weight > 0 else 1.0 / len(units)) for u in units]
    floors = [math.floor(a) for a in adjusted]
    left = target - sum(floors)
    # the largest remainders get the units left over (ties: first part first)
    order = sorted(range(len(units)), key=lambda i: (-(adjusted[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [round(f * step, 10) for f in floors]


def nopo_on_total(nopo: NopoResult, total: float) -> NopoResult:
    """The Ñopo parts rounded to whole kroner so that they sum exactly to ``total``.

    Used when the report's gap is the published «Totalt» row: the parts are computed from
    the published job-group rows, whose rounded means give a total within a krone or two of
    the published one; the rounding goes into the parts, not the total. The two parts
    outside the common support do not depend on the reference and are rounded as they are;
    the composition and within-group parts take the rest (:func:`round_to_total`). Hidden
    (NaN) parts: returned unchanged.
    """
    import dataclasses

    keys = ("men_outside_support", "women_outside_support", "composition", "within_groups")
    values = [getattr(nopo, k) for k in keys]
    if not all(math.isfinite(v) for v in [*values, total]):
        return nopo
    men_out, women_out = float(round(values[0])), float(round(values[1]))
    comp, within = round_to_total(values[2:], round(total) - men_out - women_out)
    return dataclasses.replace(
        nopo,
        total=float(round(total)),
        men_outside_support=men_out,
        women_outside_support=women_out,
        composition=comp,
        within_groups=within,
    )


def change_on_totals(
    change: GapChange, *, gap0: float, gap1: float, ratio0_pct: float, ratio1_pct: float
) -> GapChange:
    """The change between two published «Totalt» rows, with its parts on the same basis.

    The gaps and ratios of the two years are the published ones, the change their
    difference; the composition and within-group parts (computed from the job-group rows,
    :func:`gap_change`) are rounded to whole kroner and to 0,01 percentage points so that
    they sum exactly to the shown change (:func:`round_to_total`).
    """
    import dataclasses

    d_gap = float(round(gap1 - gap0))
    d_ratio = round(ratio1_pct - ratio0_pct, 2)
    comp, within = round_to_total([change.composition, change.within_groups], d_gap)
    r_comp, r_within = round_to_total(
        [change.ratio_composition_pp, change.ratio_within_pp], d_ratio, step=0.01
    )
    return dataclasses.replace(
        change,
        gap0=float(gap0),
        gap1=float(gap1),
        change=d_gap,
        composition=comp,
        within_groups=within,
        ratio0_pct=float(ratio0_pct),
        ratio1_pct=float(ratio1_pct),
        ratio_change_pp=d_ratio,
        ratio_composition_pp=r_comp,
        ratio_within_pp=r_within,
    )
