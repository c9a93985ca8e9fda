"""Figures for the Jobbsjansen analyses, each with an alt text in bokmål.

Every function returns ``(figure, alt_text)``; the alt text says what the figure shows and
gives its key numbers with Norwegian number formatting (:mod:`analysis.render.formatting`).
Colours come from the Okabe–Ito palette (Okabe & Ito 2008) and every distinction drawn in
colour is also drawn with a line style or marker shape, so nothing depends on colour alone.
Funnel plots follow Spiegelhalter (2005): units as points against their size, the target as
a horizontal line and the 95 % and 99.8 % limits as curves; only outlying units are labelled,
by project id.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures and
    presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. Statistics
    in Medicine 24(8), 1185–1202.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.data.codes import TOTAL
from analysis.disclosure.tables import DEFAULT_MIN_CELL
from analysis.jobbsjansen.labels import group_label
from analysis.jobbsjansen.measures import DIMENSION_LABELS
from analysis.jobbsjansen.texts import join_and
from analysis.methods.funnel import FunnelResult
from analysis.render.figures import OKABE_ITO, apply_theme, decimal_comma, percent_axis
from analysis.render.formatting import fmt_ci, fmt_int, fmt_number, fmt_pct, fmt_share

__all__ = [
    "funnel_figure",
    "group_figure",
    "plot_funnel",
    "plot_rates_by_group",
    "plot_trend",
    "trend_figure",
]

_BLUE, _ORANGE, _GREEN, _VERMILLION, _PURPLE, _BLACK = (
    OKABE_ITO[4],
    OKABE_ITO[0],
    OKABE_ITO[2],
    OKABE_ITO[5],
    OKABE_ITO[6],
    OKABE_ITO[7],
)
_GREY = "#595959"  # 7:1 contrast against white
_DODGE = 0.1  # register points right, published points left of the year, so both show
MIN_GROUP_FIG_HEIGHT = 3.0  # inches


def _fmt_value(result: FunnelResult, v: float) -> str:
    return fmt_share(v) if result.data_type == "PR" else fmt_number(v, 2)


def plot_funnel(
    funnel_result: FunnelResult,
    title: str,
    *,
    label: Literal["998", "95", "none"] = "998",
    x_label: str | None = None,
    y_label: str | None = None,
) -> tuple[Figure, str]:
    """Funnel plot: projects as points against their size, target line, 95 % and 99.8 % limits.

    Parameters
    ----------
    funnel_result
        From :func:`analysis.methods.funnel.funnel_proportions` (rate against number of completers)
        or :func:`analysis.methods.funnel.funnel_ratios` (O/E against expected transitions).
    title
        Figure title (bokmål).
    label
        Which outliers to label by project id: outside the 99.8 % limits (default), outside
        the 95 % limits, or none.
    x_label, y_label
        Axis titles; defaults suit transition rates.

    Returns
    -------
    (Figure, str)
        The figure and its alt text.
    """
    apply_theme()
    r = funnel_result
    pp, grid = r.per_project, r.limits_grid
    xcol, ycol = r.x, r.y
    pr = r.data_type == "PR"
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    ax.axhline(
        r.target,
        color=_BLACK,
        lw=1.2,
        label="Samlet andel for alle prosjekter" if pr else "Som forventet (observert = forventet)",
    )
    adj = ", gjort bredere" if r.adjusted else ""
    for suffix, colour, style, name in (("95", _ORANGE, "--", "95"), ("998", _BLUE, "-", "99,8")):
        ax.plot(
            grid[xcol],
            grid[f"lower{suffix}"],
            color=colour,
            ls=style,
            lw=1.3,
            label=f"{name} %-grenser{adj}",
        )
        ax.plot(grid[xcol], grid[f"upper{suffix}"], color=colour, ls=style, lw=1.3)
    out998 = pp["outside_998"].to_numpy(dtype=bool)
    out95 = pp["outside_95"].to_numpy(dtype=bool) & ~out998
    inside = ~(out998 | out95)
    # the projects inside the limits always get their legend entry, the outliers only if any
    for rows, size, colour, marker, name, order in (
        (inside, 28, _GREY, "o", "Prosjekt innenfor grensene", 3),
        (out95, 40, _PURPLE, "s", "Utenfor 95 %", 4),
        (out998, 55, _VERMILLION, "D", "Utenfor 99,8 %", 5),
    ):
        if order == 3 or rows.any():
            ax.scatter(
                pp.loc[rows, xcol],
                pp.loc[rows, ycol],
                s=size,
                color=colour,
                marker=marker,
                label=name,
                zorder=order,
            )
    to_label = {"998": out998, "95": out998 | out95, "none": np.zeros(len(pp), bool)}[label]
    for _, row in pp.loc[to_label].iterrows():
        ax.annotate(
            str(row["label"]),
            (row[xcol], row[ycol]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_xlabel(
        x_label
        or ("Antall deltakere som avsluttet (n)" if pr else "Forventet antall overganger (F)")
    )
    ax.set_ylabel(
        y_label or ("Andel over i arbeid og/eller utdanning" if pr else "Observert/forventet (O/F)")
    )
    if pr:
        ax.set_ylim(
            max(0.0, min(float(pp[ycol].min()), float(grid["lower998"].min())) - 0.05), 1.02
        )
        percent_axis(ax, share=True)
    else:
        decimal_comma(ax, "y", decimals=1)
    ax.set_xlim(left=0)
    ax.set_title(title)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    fig.tight_layout()

    # the alt text is read aloud: plain words, no symbols (the dispersion statistics are in
    # the report's appendix)
    n_units = len(pp)
    kind = (
        "andelen som gikk over til arbeid og/eller utdanning"
        if pr
        else "forholdet mellom observert og forventet antall overganger"
    )
    target = (
        f"Midtlinjen er den samlede andelen, {fmt_share(r.target)}"
        if pr
        else "Midtlinjen er 1: like mange overganger som forventet"
    )
    if r.adjusted:
        limits = (
            "Kontrollgrensene for 95 og 99,8 prosent er gjort bredere, fordi prosjektene "
            "varierer mer enn tilfeldigheter alene gir"
        )
    else:
        limits = (
            "Kontrollgrensene for 95 og 99,8 prosent er ikke gjort bredere, fordi prosjektene "
            "ikke varierer mer enn tilfeldigheter alene gir"
        )

    def describe(labels: list[Any]) -> str:
        parts = []
        for lab in labels:
            row = pp.loc[pp["label"] == lab].iloc[0]
            side = "over" if row[ycol] > r.target else "under"
            parts.append(f"{lab} ({_fmt_value(r, row[ycol])}, {side})")
        return join_and(parts)

    def projects(n: int) -> str:
        return "Ett prosjekt ligger" if n == 1 else f"{fmt_int(n)} prosjekter ligger"

    n998, n95 = len(r.outside_99_8), len(r.outside_95)
    if n998:
        outside = f"{projects(n998)} utenfor 99,8-prosentgrensene: "
        outside += describe(list(r.outside_99_8)) + "."
    else:
        outside = "Ingen prosjekter ligger utenfor 99,8-prosentgrensene."
    outside += (
        f" {projects(n95)} utenfor 95-prosentgrensene."
        if n95
        else " Ingen prosjekter ligger utenfor 95-prosentgrensene."
    )
    alt = (
        f"Figur med ett punkt for hvert av {fmt_int(n_units)} prosjekter. Punktet viser {kind} "
        "mot "
        + ("antall deltakere som avsluttet" if pr else "forventet antall overganger")
        + f", og kurvene er kontrollgrenser som blir smalere jo større prosjektet er. {target}. "
        f"{limits}. {outside}"
    )
    return fig, alt


def _published_points(published: pd.DataFrame, series: str) -> pd.DataFrame:
    return published.loc[published["series"] == series]


def _plot_published(
    ax: Any, points: pd.DataFrame, marker: str, size: float, colour: str, label: str
) -> list[int]:
    """Published single-year values as outlined markers left of their year; their years."""
    ax.plot(
        points["year_start"].astype(int) - _DODGE,
        points["value_pct"],
        ls="none",
        marker=marker,
        ms=size,
        color=colour,
        markeredgecolor=_BLACK,
        label=label,
    )
    return points["year_start"].astype(int).tolist()


def plot_trend(
    rates_by_year: pd.DataFrame | None,
    published: pd.DataFrame | None,
    requirement: float | None = 60,
    *,
    requirement_years: tuple[int, int] | None = None,
    requirement_label: str | None = None,
    register_label: str = "Register (Wilson 95 %-KI)",
    title: str = "Andel over i arbeid og/eller utdanning etter avsluttet program",
) -> tuple[Figure, str]:
    """Transition rate by exit year: register with confidence intervals and published figures.

    Parameters
    ----------
    rates_by_year
        :func:`analysis.jobbsjansen.measures.rates_by_exit_year` output (fractions), or None.
    published
        :func:`analysis.data.jobbsjansen_series.published_series` output, or None. Single-year
        published
        rates are diamonds, the 2020–2024 range a shaded band, SSB's follow-up (a different
        measure: status one year after) triangles.
    requirement
        Per cent for the horizontal requirement line (default 60; None for no line).
    requirement_years
        The first and last year the target applies to: the line is then drawn over those
        years only (a target applies only to the years it was set for); None draws it across.
    requirement_label
        Legend text of the line; default ``"Mål 60 %"``. Cite the source in the caption with
        :func:`analysis.jobbsjansen.texts.requirement_citation`.
    register_label
        Legend text of the register series (e.g. say when the data are synthetic).
    title
        Figure title.

    Returns
    -------
    (Figure, str)
    """
    apply_theme()
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    alt_parts: list[str] = []
    years: list[int] = []
    if published is not None and not published.empty:
        lo = _published_points(published, "transition_rate_min")
        hi = _published_points(published, "transition_rate_max")
        if not lo.empty and not hi.empty:
            r_lo, r_hi = lo.iloc[0], hi.iloc[0]
            x0, x1 = int(r_lo["year_start"]), int(r_lo["year_end"])
            ax.fill_between(
                [x0 - 0.3, x1 + 0.3],
                r_lo["value_pct"],
                r_hi["value_pct"],
                color=_ORANGE,
                alpha=0.18,
                hatch="//",
                edgecolor=_ORANGE,
                lw=0,
                label=f"Publisert spenn {x0}–{x1}",
            )
            years += [x0, x1]
            alt_parts.append(
                f"IMDi har publisert at overgangsandelen i {x0}–{x1} lå mellom "
                f"{fmt_pct(r_lo['value_pct'], 0)} og {fmt_pct(r_hi['value_pct'], 0)}"
            )
        pts = _published_points(published, "transition_rate")
        if not pts.empty:
            years += _plot_published(ax, pts, "D", 7, _ORANGE, "Publisert overgangsandel")
            for _, p in pts.iterrows():
                if p["programme"] != "Jobbsjansen":
                    ax.annotate(
                        str(p["programme"]),
                        (int(p["year_start"]) - _DODGE, p["value_pct"]),
                        xytext=(6, -10),
                        textcoords="offset points",
                        fontsize=8,
                    )
            alt_parts.append(
                "Publiserte overgangsandeler: "
                + join_and(
                    [
                        f"{int(p['year_start'])} {fmt_pct(p['value_pct'], 0)}"
                        + (f" ({p['programme']})" if p["programme"] != "Jobbsjansen" else "")
                        for _, p in pts.iterrows()
                    ]
                )
            )
        fu = _published_points(published, "followup_1y_rate")
        if not fu.empty:
            years += _plot_published(ax, fu, "^", 8, _GREEN, "SSB: i arbeid/utdanning ett år etter")
            alt_parts.append(
                "SSBs oppfølging ett år etter: "
                + join_and(
                    [
                        f"{fmt_pct(p['value_pct'], 0)} for dem som avsluttet i "
                        f"{int(p['year_start'])}"
                        for _, p in fu.iterrows()
                    ]
                )
            )
    if rates_by_year is not None and not rates_by_year.empty:
        rb = rates_by_year.sort_values("year")
        x = rb["year"].astype(int).to_numpy()
        y = 100 * rb["transition_rate"].to_numpy(dtype=float)
        err = np.vstack(
            [
                y - 100 * rb["ci_low"].to_numpy(dtype=float),
                100 * rb["ci_high"].to_numpy(dtype=float) - y,
            ]
        )
        ax.errorbar(
            x + _DODGE,
            y,
            yerr=err,
            fmt="o-",
            color=_BLUE,
            ecolor=_BLUE,
            capsize=3,
            ms=6,
            lw=1.3,
            label=register_label,
        )
        years += x.tolist()
        alt_parts.append(
            "Registeret: "
            + join_and(
                [
                    f"{int(r['year'])} {fmt_share(r['transition_rate'])} (95 %-KI "
                    f"{fmt_ci(r['ci_low'], r['ci_high'], fmt=fmt_share)}, "
                    f"n = {fmt_int(r['n_completed'])})"
                    for _, r in rb.iterrows()
                ]
            )
        )
    if requirement is not None:
        lab = requirement_label or f"Mål {fmt_number(requirement, 0)}\u00a0%"
        if requirement_years is None:
            ax.axhline(requirement, color=_BLACK, ls=":", lw=1.5, label=lab)
            alt_parts.append(f"En prikket linje markerer {lab.lower()}")
        else:
            a, b = requirement_years
            ax.hlines(requirement, a - 0.45, b + 0.45, color=_BLACK, ls=":", lw=2.0, label=lab)
            years += [a, b]
            alt_parts.append(
                f"En kort prikket strek ved {a if a == b else f'{a}–{b}'} markerer "
                f"{lab[0].lower()}{lab[1:]}; målet gjelder bare "
                + (f"{a}" if a == b else f"{a}–{b}")
            )
    if years:
        ax.set_xlim(min(years) - 0.8, max(years) + 0.8)
        ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.set_ylim(0, 100)
    percent_axis(ax)
    ax.set_xlabel("År (avslutningsår)")
    ax.set_ylabel("Andel over i arbeid og/eller utdanning")
    ax.set_title(title)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    fig.tight_layout()
    alt = (
        "Figur over andelen deltakere i Jobbsjansen som gikk over til arbeid og/eller "
        "utdanning etter avsluttet program, etter år. " + ". ".join(alt_parts) + "."
    )
    return fig, alt


def plot_rates_by_group(
    rates: pd.DataFrame,
    *,
    group_col: str | None = None,
    dimension: str | None = None,
    total: float | None = None,
    requirement: float | None = None,
    title: str | None = None,
    min_cell: int = 5,
) -> tuple[Figure, str]:
    """Transition rate with Wilson 95 % intervals per group (dot-and-whisker, one row each).

    Parameters
    ----------
    rates
        :func:`analysis.jobbsjansen.measures.transition_rates` output with a ``by`` column, or one
        dimension of :func:`~analysis.jobbsjansen.measures.transition_rates_by_dimension` /
        :func:`~analysis.disclosure.register.suppress_rates` (columns ``dimension``, ``group``).
        Suppressed rows (NaN rate) are shown as «:» and named in the alt text.
    group_col
        Column holding the groups; default ``group`` or the first non-count column.
    dimension
        When ``rates`` has a ``dimension`` column: which one to draw. Also selects the labels.
    total
        Overall rate (fraction) drawn as a vertical line, optional.
    requirement
        Requirement in per cent drawn as a dotted vertical line, optional.
    title
        Figure title; default from the dimension.
    min_cell
        Only used in the alt text's explanation of suppressed rows.

    Returns
    -------
    (Figure, str)
    """
    apply_theme()
    data = rates
    if "dimension" in data.columns:
        if dimension is None:
            dims = [d for d in data["dimension"].unique() if d != TOTAL]
            if len(dims) != 1:
                raise ValueError("velg én dimensjon med dimension=: " + ", ".join(dims))
            dimension = dims[0]
        data = data.loc[data["dimension"] == dimension]
    if group_col is None:
        group_col = "group" if "group" in data.columns else data.columns[0]
        if dimension is None and group_col != "group":
            dimension = group_col
    data = data.reset_index(drop=True)
    n = len(data)
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.45 * max(n, 1)))
    ypos = np.arange(n)[::-1]
    labels = [group_label(dimension, g) for g in data[group_col]]
    rate = data["transition_rate"].to_numpy(dtype=float)
    lo = data["ci_low"].to_numpy(dtype=float)
    hi = data["ci_high"].to_numpy(dtype=float)
    ok = np.isfinite(rate)
    ax.hlines(ypos[ok], lo[ok], hi[ok], color=_BLUE, lw=2)
    ax.plot(rate[ok], ypos[ok], "o", color=_BLUE, ms=7, label="Andel (95 %-KI)")
    for yi in ypos[~ok]:
        ax.text(0.02, yi, ":", va="center", fontsize=11)
    if total is not None:
        ax.axvline(total, color=_BLACK, lw=1, ls="--", label=f"Totalt {fmt_share(total)}")
    if requirement is not None:
        ax.axvline(
            requirement / 100,
            color=_BLACK,
            lw=1.5,
            ls=":",
            label=f"Mål {fmt_number(requirement, 0)}\u00a0%",
        )
    ax.set_yticks(ypos, labels)
    ax.set_xlim(0, 1)
    percent_axis(ax, "x", share=True)
    ax.set_xlabel("Andel over i arbeid og/eller utdanning")
    dim_label = DIMENSION_LABELS.get(dimension or "", dimension or "gruppe")
    ax.set_title(title or f"Overgang til arbeid og/eller utdanning etter {dim_label.lower()}")
    height = fig.get_figheight()
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.75 / max(height - 1.0, 0.5)),
        ncol=3,
        frameon=False,
        fontsize=8,
    )
    fig.tight_layout()

    parts = []
    hidden = []
    for lab, r in zip(labels, data.itertuples(index=False), strict=True):
        rt = r.transition_rate
        if rt is None or (isinstance(rt, float) and math.isnan(rt)):
            hidden.append(lab)
            continue
        parts.append(
            f"{lab} {fmt_share(rt)} ({fmt_ci(r.ci_low, r.ci_high, fmt=fmt_share)}, "
            f"n = {fmt_int(r.n_completed)})"
        )
    alt = (
        f"Punktdiagram med 95 %-konfidensintervaller for andelen som gikk over til arbeid "
        f"og/eller utdanning, etter {dim_label.lower()}. " + "; ".join(parts) + "."
    )
    if total is not None:
        alt += f" Totalt: {fmt_share(total)}."
    if hidden:
        alt += (
            f" Skjult av personvernhensyn (færre enn {min_cell} avsluttede, eller for å "
            f"hindre tilbakeregning): {join_and(hidden)}."
        )
    return fig, alt


# --------------------------------------------------------------------------- report figures


def _untitled(fig: Any) -> None:
    """Drop the axes title: in the report the numbered caption above the image is the title."""
    for ax in fig.axes:
        ax.set_title("")
    fig.tight_layout()


def funnel_figure(funnel: FunnelResult, *, year: int, titled: bool = True) -> tuple[Any, str]:
    """:func:`plot_funnel` of the projects' rates (a proportions funnel,
    :func:`analysis.jobbsjansen.measures.project_funnel`) or of their O/E (a ratios funnel,
    :attr:`analysis.jobbsjansen.models.RiskAdjustment.funnel`), readable when crowded.

    All projects outside the 95 % limits are labelled. The legend is moved below the axes
    (in the plot it can cover projects and limits) and labels that would overlap are moved
    apart. Show only the projects that may be named
    (:func:`analysis.disclosure.register.listed_only`).
    """
    if funnel.data_type != "PR":
        fig, alt = plot_funnel(
            funnel,
            f"Observert/forventet antall overganger per prosjekt, {year}",
            label="95",
        )
    else:
        fig, alt = plot_funnel(
            funnel,
            f"Andel over i arbeid og/eller utdanning per prosjekt, {year}",
            label="95",
            x_label="Antall deltakere som fullførte (n)",
        )
    ax = fig.axes[0]
    legend = ax.get_legend()
    if legend is not None:
        handles, labels = ax.get_legend_handles_labels()
        legend.remove()
        fig.set_figheight(fig.get_figheight() + 0.9)
        ax.legend(
            handles,
            labels,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            ncol=2,
            frameon=False,
            fontsize=8,
        )
    fig.tight_layout()
    if not titled:
        _untitled(fig)
    _spread_labels(fig, ax)
    return fig, alt


def _spread_labels(fig: Any, ax: Any) -> None:
    """Move point labels (annotations) that would overlap another label, another labelled
    point or the edge of the axes to the first free offset around their point."""
    from matplotlib.text import Annotation
    from matplotlib.transforms import Bbox

    offsets = [(4, 4), (4, -12), (-58, 4), (-58, -12), (4, 14), (4, -22)]
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    anns = sorted(
        (t for t in ax.texts if isinstance(t, Annotation)),
        key=lambda a: (float(a.xy[0]), float(a.xy[1])),
    )
    points = []
    for a in anns:
        x, y = ax.transData.transform(a.xy)
        points.append(Bbox.from_extents(x - 5, y - 5, x + 5, y + 5))
    placed: list[Any] = []
    for i, a in enumerate(anns):
        obstacles = placed + [p for j, p in enumerate(points) if j != i]
        for off in offsets:
            a.xyann = off
            box = a.get_window_extent(renderer).padded(2)
            inside = (
                box.x0 >= frame.x0
                and box.x1 <= frame.x1
                and box.y0 >= frame.y0
                and box.y1 <= frame.y1
            )
            if inside and not any(box.overlaps(b) for b in obstacles):
                break
        else:
            a.xyann = offsets[0]
        placed.append(a.get_window_extent(renderer).padded(2))


def group_figure(
    rates: pd.DataFrame,
    dimension: str,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
    titled: bool = True,
    target_pct: float | None = None,
) -> tuple[Any, str]:
    """:func:`plot_rates_by_group` for one dimension of the protected rates by dimension,
    with the total row's rate and with room for the legend; the target as a dotted line only
    when one is set for the year (``target_pct``, :func:`analysis.jobbsjansen.report.
    target_for_year`).

    With two or three groups the figure is so low that the legend (placed below the axes)
    overlaps the x-axis title; the figure is then made taller and the legend moved down.
    """
    total = rates.loc[rates["dimension"] == TOTAL, "transition_rate"]
    fig, alt = plot_rates_by_group(
        rates,
        dimension=dimension,
        total=None if total.empty or pd.isna(total.iloc[0]) else float(total.iloc[0]),
        requirement=target_pct,
        min_cell=min_cell,
    )
    if fig.get_figheight() < MIN_GROUP_FIG_HEIGHT:
        ax = fig.axes[0]
        n = len(ax.get_yticks())
        ax.set_ylim(-0.8, n - 0.2)  # keep the few rows together, not at the axes' edges
        fig.set_figheight(MIN_GROUP_FIG_HEIGHT)
        legend = ax.get_legend()
        if legend is not None:
            legend.set_bbox_to_anchor(
                (0.5, -0.75 / (MIN_GROUP_FIG_HEIGHT - 1.0)), transform=ax.transAxes
            )
        fig.tight_layout()
    if not titled:
        _untitled(fig)
    return fig, alt


def trend_figure(
    trend: pd.DataFrame | None,
    published: pd.DataFrame,
    *,
    synthetic: bool = False,
    titled: bool = True,
) -> tuple[Figure, str]:
    """:func:`plot_trend` of the register's rates by exit year (``trend``; rows that are
    hidden left out) and the published series, with each published target drawn over the
    years it applies to only (the 60 % of the 2014 annual report: 2014).

    With synthetic data the register's series is left out: the figure then shows published
    figures only, which a reader may quote.
    """
    targets = published.loc[published["series"] == "target"]
    target = targets.iloc[-1] if len(targets) else None
    fig, alt = plot_trend(
        None if synthetic else trend,
        published,
        requirement=None if target is None else float(target["value_pct"]),
        requirement_years=None
        if target is None
        else (int(target["year_start"]), int(target["year_end"])),
        requirement_label=None
        if target is None
        else f"Mål for {target['period']}: {fmt_number(target['value_pct'], 0)}\u00a0%",
        register_label="Registeret (95\u00a0% KI)",
    )
    if not titled:
        _untitled(fig)
    return fig, alt
