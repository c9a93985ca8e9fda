"""The pay-gap report's key figures (``<year>/lonnsgap.json``), as plain JSON values."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis.methods.oaxaca import OaxacaResult
from analysis.paygap.measures import overall_means
from analysis.paygap.models import oaxaca_key_figures
from analysis.paygap.nopo import NopoResult, nopo_decomposition

__all__ = ["DATA_SOURCES", "key_figures"]

DATA_SOURCES: tuple[str, ...] = ("published", "microdata", "synthetic")


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
        Cells frame of the year (:func:`~analysis.paygap.measures.cells_from_published` /
        :func:`~analysis.paygap.measures.cells_from_microdata`).
    nopo
        Ñopo decomposition with men's group means as the reference; computed from ``cells``
        if omitted.
    oaxaca
        Oaxaca–Blinder results (:func:`~analysis.paygap.models.oaxaca_paygap`) or their key
        figures (:func:`~analysis.paygap.models.oaxaca_key_figures`); ``None`` when there are
        no person-level data.

    Returns
    -------
    dict
        ``year, data_source, women_share_of_men_pay_pct, gap_nok, gap_pct,
        decomposition_grouped`` ({``total, men_outside_support, women_outside_support,
        composition, within_groups``} in NOK, men's group means as the reference) and
        ``oaxaca`` (list of dicts as :func:`~analysis.paygap.models.oaxaca_key_figures`, or None).
    """
    if data_source not in DATA_SOURCES:
        raise ValueError(f"data_source må være en av {DATA_SOURCES}, ikke {data_source!r}")
    means = overall_means(cells)
    nopo = nopo_decomposition(cells, reference="men") if nopo is None else nopo
    if nopo.reference != "men":
        raise ValueError(
            "nøkkeltallene bruker mennenes gjennomsnitt per gruppe som referanse (reference='men')"
        )
    if not math.isclose(nopo.total, means.gap_nok, rel_tol=1e-9, abs_tol=1e-6):
        raise ValueError("nopo hører ikke til disse cellene (totalene er ulike)")
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
