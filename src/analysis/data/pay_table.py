"""The published pay table in analysis form: headcounts of men and women per row.

The published table gives, per row, the headcount N and the shares of men and women in per
cent. The number of men and women is recovered as ``share × N / 100`` rounded to the nearest
whole person; this is exact when the rounding error of the published share (half a unit of its
last decimal) times N is below half a person, which :func:`pay_cells` checks and reports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.codes import JOB_GROUPS


def decimals(x: float) -> int:
    """Number of decimals a published figure was printed with (as far as a float can tell).

    ``94.58 → 2``, ``99.725 → 3``, ``40.0 → 0``. A figure printed ``40,00`` is indistinguishable
    from ``40`` once parsed, so tolerances built on this are on the lenient side.
    """
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return 0
    text = repr(float(x))
    if "e" in text or "E" in text:
        return 6
    frac = text.split(".")[1] if "." in text else ""
    frac = frac.rstrip("0")
    return len(frac)


def rounding_halfwidth(x: float) -> float:
    """Half a unit of the last printed decimal of ``x``: the largest rounding error."""
    return 0.5 * 10.0 ** (-decimals(x))


def pay_cells(pay: pd.DataFrame, *, rows: tuple[str, ...] = JOB_GROUPS) -> pd.DataFrame:
    """Per published row: headcount of men and women and the two mean pays.

    Parameters
    ----------
    pay
        The validated ``pay_by_job_group`` table (usually ``preferred`` rows only).
    rows
        Which table rows to keep; default the job groups (not 'totalt' or the subgroup rows).

    Returns
    -------
    pandas.DataFrame
        Columns ``year, source_document, row, n_total, n_men, n_women, mean_pay_men_nok,
        mean_pay_women_nok, headcount_exact`` where ``headcount_exact`` says whether the
        counts are determined exactly by the published shares (see module docstring). Rows
        whose N is not published (e.g. no apprentices in a year) are dropped.
    """
    sub = pay.loc[pay["row"].isin(rows) & pay["n_total"].notna()].copy()
    n = sub["n_total"].astype(float)
    men_raw = sub["share_men_pct"].astype(float) * n / 100.0
    women_raw = sub["share_women_pct"].astype(float) * n / 100.0
    sub["n_men"] = np.rint(men_raw).astype(int)
    sub["n_women"] = np.rint(women_raw).astype(int)
    tol_m = sub["share_men_pct"].map(rounding_halfwidth) * n / 100.0
    tol_w = sub["share_women_pct"].map(rounding_halfwidth) * n / 100.0
    exact = (
        ((men_raw - sub["n_men"]).abs() <= tol_m + 1e-9)
        & ((women_raw - sub["n_women"]).abs() <= tol_w + 1e-9)
        & (tol_m < 0.5)
        & (tol_w < 0.5)
        & (sub["n_men"] + sub["n_women"] == sub["n_total"])
    )
    sub["headcount_exact"] = exact.astype(bool)
    cols = [
        "year",
        "source_document",
        "row",
        "n_total",
        "n_men",
        "n_women",
        "mean_pay_men_nok",
        "mean_pay_women_nok",
        "headcount_exact",
    ]
    return sub[cols].reset_index(drop=True)
