"""The published Jobbsjansen figures in analysis form: the transition-rate series.

``data/raw/published/jobbsjansen.csv`` holds every figure IMDi (and SSB) have published about
Jobbsjansen, one row per published number. :func:`published_series` turns the preferred rows
of the rates, targets and requirements into one series with years, shares and citations, for
the trend figure and the report's tables.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.codes import TOTAL
from analysis.data.published import load_published, source_title

__all__ = ["SERIES_INDICATORS", "SERIES_LABELS", "published_series"]

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
