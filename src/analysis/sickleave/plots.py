"""Figures for the sick-leave report.

Every function returns ``(Figure, alt_text)``; the alt text (bokmål) states what the figure
shows and its key numbers, so that a reader without the image gets the same information
(display with :func:`analysis.render.figures.show_figure`). The report theme and the fixed
colours for women and men (:data:`analysis.render.figures.GENDER_COLOURS`, Okabe & Ito 2008)
are used throughout; tick labels use a decimal comma.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.data.codes import GENDER_LABELS
from analysis.render.figures import GENDER_COLOURS, OKABE_ITO, apply_theme, percent_axis
from analysis.render.formatting import fmt_ci, fmt_number, fmt_pct
from analysis.sickleave.labels import group_label
from analysis.sickleave.measures import RATE_COLUMNS, TOTAL, order_key
from analysis.sickleave.texts import KIND_LABELS, KIND_SHORT, concentration_label

__all__ = ["plot_concentration", "plot_published_trend", "plot_rates_by_group"]

#: the legend entry of a published total that does not fit the rates of women and men
FLAGGED_TOTAL_LEGEND = "publisert total som ikke stemmer med kvinner og menn"

_GROUP_NAMES = {"job_group": "stillingsgruppe", "age_band": "aldersgruppe", "gender": "kjønn"}


def _decimals_by_year(frame: pd.DataFrame) -> dict[int, int]:
    """Decimals to print each year's published rates with: a float has lost trailing zeros
    (7,90 reads 7.9), so a year whose rates need two decimals anywhere gets two throughout."""
    need = frame.assign(
        d=frame["rate_pct"].astype(float).map(lambda v: 1 if round(v, 1) == round(v, 2) else 2)
    )
    return {int(y): int(d) for y, d in need.groupby("year")["d"].max().items()}


def _join_years(years: Sequence[int]) -> str:
    """'2023', '2023 og 2024', '2023, 2024 og 2025'."""
    words = [str(y) for y in years]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def _runs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs ``(first, last)`` in sorted years."""
    out: list[tuple[int, int]] = []
    for y in sorted(years):
        if out and y == out[-1][1] + 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


def plot_published_trend(
    series: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    benchmark: pd.DataFrame | None = None,
    *,
    kind: str = "legemeldt",
) -> tuple[Figure, str]:
    """IMDi's published sick-leave rate by gender over the years.

    Parameters
    ----------
    series
        :func:`analysis.sickleave.measures.published_series`.
    targets
        The ``sick_leave_targets`` table (optional): absolute targets (``max_rate_pct``) are
        drawn as a dotted line from the year stated to the target year (the IA target of at
        most 5,9 % total sick leave, 2014–2018). The target is for a kind of sick leave
        (``kind`` of the target, *samlet* for the IA target), so the published rates of that
        kind for all employees in the target's years (``series``, 6,8 % in 2014) are drawn
        next to it as diamonds in the target's colour, labelled with their value: the reader
        compares the target with the figure it is about, not with the lines of ``kind``.
        Relative targets have no number and are only mentioned in the alt text.
    benchmark
        :func:`analysis.data.benchmarks.load_benchmark` (optional); drawn when it has rows for
        ``kind``, otherwise the alt text says that no benchmark is available.
    kind
        Which rate to draw (default doctor-certified).

    A published total of all employees that does not fit the published rates of women and
    men (``series`` column ``flagged``, :func:`analysis.sickleave.report.flag_totals`) is
    drawn as a hollow marker with a legend entry of its own, and the alt text names it.

    Years without published figures are left as gaps (the lines are broken and the span is
    shaded), never interpolated.
    """
    apply_theme()
    s = series.loc[series["kind"] == kind]
    if s.empty:
        raise ValueError(f"ingen publiserte {kind} rater i serien")
    first = int(min(2013, s["year"].min()))
    last = int(max(2025, s["year"].max()))
    years = list(range(first, last + 1))
    fig, ax = plt.subplots()
    alt_parts: list[str] = []
    ymax = float(s["rate_pct"].max())
    decimals = _decimals_by_year(s)
    flag_col = (
        s["flagged"].fillna(False).astype(bool)
        if "flagged" in s.columns
        else pd.Series(False, index=s.index)
    )
    for g in ("K", "M", TOTAL):
        sg = s.loc[s["gender"] == g].set_index("year")["rate_pct"].astype(float)
        if sg.empty:
            continue
        flagged = sorted(int(y) for y in s.loc[(s["gender"] == g) & flag_col, "year"])
        line = sg.reindex(years)
        sound = [i for i, y in enumerate(years) if y in sg.index and y not in flagged]
        ax.plot(
            years,
            line.to_numpy(),
            marker="o" if sound else "none",  # no filled marker in the legend without one
            markevery=sound if flagged else None,
            color=GENDER_COLOURS[g],
            linestyle="--" if g == TOTAL else "-",
            label=GENDER_LABELS[g],
            linewidth=2,
        )
        if flagged:
            ax.plot(
                flagged,
                sg.reindex(flagged).to_numpy(),
                linestyle="none",
                marker="o",
                markersize=8,
                markerfacecolor="white",
                markeredgewidth=2,
                color=GENDER_COLOURS[g],
                label=f"{GENDER_LABELS[g]}: {FLAGGED_TOTAL_LEGEND}",
            )
        pts = ", ".join(f"{fmt_pct(v, decimals[y])} ({y})" for y, v in sg.sort_index().items())
        alt_parts.append(f"{GENDER_LABELS[g]}: {pts}.")
        if flagged:
            alt_parts.append(
                f"Totalen for {flagged[0]} er tegnet med et åpent punkt: den er publisert slik, "
                "men stemmer ikke med tallene for kvinner og menn."
                if len(flagged) == 1
                else f"Totalene for {_join_years(flagged)} er tegnet med åpne punkter: de er "
                "publisert slik, men stemmer ikke med tallene for kvinner og menn."
            )
    published_years = sorted(set(int(y) for y in s["year"]))
    gaps = [
        (a, b)
        for a, b in _runs([y for y in years if y not in published_years])
        if a > published_years[0] and b < published_years[-1]
    ]
    for a, b in gaps:
        ax.axvspan(a - 0.5, b + 0.5, color="0.93", zorder=0, linewidth=0)
        ax.text(
            (a + b) / 2,
            0.03,
            f"Ingen publiserte\ntall {a}–{b}",
            ha="center",
            va="bottom",
            transform=ax.get_xaxis_transform(),
            fontsize=9,
            color="0.35",
        )
    gap_text = " ".join(
        f"Det finnes ingen publiserte tall for {a}–{b}; linjene er brutt der." for a, b in gaps
    )

    target_text = ""
    if targets is not None and not targets.empty:
        absolute = targets.loc[targets["max_rate_pct"].notna()]
        for r in absolute.itertuples(index=False):
            start = int(r.year_stated)
            end = int(r.target_year) if pd.notna(r.target_year) else last
            what = KIND_LABELS[str(r.kind)].lower()
            label = f"Mål {start}–{end}: {what} høyst {fmt_pct(float(r.max_rate_pct), 1)}"
            ax.hlines(
                float(r.max_rate_pct),
                start,
                end,
                colors=OKABE_ITO[2],
                linestyles=":",
                linewidth=2.5,
                label=label,
            )
            ymax = max(ymax, float(r.max_rate_pct))
            target_text += (
                f" Målet fra IA-avtalen ({start}) var at {what} ikke skulle overstige "
                f"{fmt_pct(float(r.max_rate_pct), 1)} innen {end}; det er tegnet "
                "som en prikket linje."
            )
            # the rate the target is about, in the years it applies (not the lines' kind)
            own = series.loc[
                (series["kind"] == r.kind)
                & (series["gender"] == TOTAL)
                & series["year"].astype(int).between(start, end)
            ].sort_values("year")
            if not own.empty and str(r.kind) != kind:
                xs = own["year"].astype(int).to_numpy()
                ys = own["rate_pct"].astype(float).to_numpy()
                ax.plot(
                    xs,
                    ys,
                    linestyle="none",
                    marker="D",
                    markersize=8,
                    color=OKABE_ITO[2],
                    label=f"{KIND_LABELS[str(r.kind)]}, alle ansatte (som målet gjelder)",
                )
                od = _decimals_by_year(own)
                for x, y in zip(xs, ys, strict=True):
                    ax.annotate(
                        fmt_pct(y, od[int(x)]),
                        (x, y),
                        xytext=(8, 0),
                        textcoords="offset points",
                        va="center",
                        fontsize=9,
                        color="0.2",
                    )
                ymax = max(ymax, float(ys.max()))
                pts = ", ".join(
                    f"{fmt_pct(float(y), od[int(x)])} ({int(x)})"
                    for x, y in zip(xs, ys, strict=True)
                )
                target_text += (
                    f" Målet gjaldt {KIND_SHORT[str(r.kind)].lower()} sykefravær, ikke "
                    f"{KIND_SHORT[kind].lower()}; derfor er det for alle ansatte vist som egne "
                    f"punkter ved linjen: {pts}."
                )
        relative = targets.loc[targets["max_rate_pct"].isna() & targets["benchmark"].notna()]
        if not relative.empty:
            names = sorted(set(relative["benchmark"].astype(str)))
            target_text += (
                f" Fra {int(relative['year_stated'].min())} er målet å ligge under "
                f"gjennomsnittet for {', '.join(names)}."
            )

    bench = (
        benchmark.loc[benchmark["kind"] == kind]
        if benchmark is not None and not (benchmark.empty)
        else pd.DataFrame()
    )
    if not bench.empty:
        bench_text = ""
        for name, b in bench.groupby("benchmark"):
            bl = b.set_index("year")["rate_pct"].astype(float).reindex(years)
            ax.plot(
                years,
                bl.to_numpy(),
                marker="s",
                color="0.45",
                linewidth=1.5,
                label=f"Gjennomsnitt {name}",
            )
            ymax = max(ymax, float(b["rate_pct"].max()))
            bd = _decimals_by_year(b)
            pts = ", ".join(
                f"{fmt_pct(float(v), bd[int(y)])} ({y})"
                for y, v in b.set_index("year")["rate_pct"].sort_index().items()
            )
            bench_text += f" Gjennomsnitt for {name}: {pts}."
    else:
        bench_text = (
            " Sammenligningstall for statlig forvaltning er ikke tilgjengelig i de "
            "publiserte kildene og er ikke vist."
        )

    ax.set_xlim(first - 0.5, last + 0.5)
    ax.set_xticks(years)
    ax.tick_params(axis="x", labelsize=9)
    ax.set_ylim(0, math.ceil(ymax * 1.15))
    percent_axis(ax, "y")
    ax.set_ylabel("Prosent")
    ax.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    fig.tight_layout()
    alt = (
        f"Linjediagram over {KIND_LABELS[kind].lower()} i IMDi etter kjønn, {first}–{last}, "
        "som publisert i IMDis rapporter (prosent). "
        + " ".join(alt_parts)
        + (" " + gap_text if gap_text else "")
        + target_text
        + bench_text
    )
    return fig, alt


def plot_rates_by_group(
    rates: pd.DataFrame,
    group: str | None = None,
    *,
    kind: str = "legemeldt",
    min_cell: int | None = None,
) -> tuple[Figure, str]:
    """Sick-leave rates by group (and gender) with 95 % confidence intervals.

    Parameters
    ----------
    rates
        :func:`analysis.sickleave.measures.sick_leave_rates`, preferably passed through
        :func:`analysis.disclosure.hr.protect_rate_table`: suppressed cells (``suppressed``
        true, or a missing rate) are omitted, and the alt text says which were left out.
    group
        The group column (default: the group column that is not ``gender``).
    kind
        Which rate to draw.
    min_cell
        Only for the wording of the alt text ("færre enn N personer").
    """
    apply_theme()
    dims = [c for c in rates.columns if c not in ("kind", "suppressed", *RATE_COLUMNS)]
    if group is None:
        others = [d for d in dims if d != "gender"]
        group = others[0] if others else "gender"
    by_gender = "gender" in dims and group != "gender"
    r = rates.loc[rates["kind"] == kind].copy()
    r = r.loc[r[group].astype(str) != TOTAL]
    if by_gender:
        r = r.loc[r["gender"].astype(str) != TOTAL]
    hidden = r["rate_pct"].isna()
    if "suppressed" in r.columns:
        hidden |= r["suppressed"].fillna(False).astype(bool)
    shown, omitted = r.loc[~hidden], r.loc[hidden]
    levels = [v for v in pd.unique(r[group])]
    levels = sorted(levels, key=lambda v: order_key(group, pd.Series([v])).iloc[0])
    genders = ["K", "M"] if by_gender else [None]
    height = 0.8 / len(genders)
    fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.4 * len(levels) * len(genders) + 1.3)))
    alt_values: list[str] = []
    for gi, g in enumerate(genders):
        sub = shown if g is None else shown.loc[shown["gender"] == g]
        ys, xs, lo, hi, colours = [], [], [], [], []
        gone = omitted if g is None else omitted.loc[omitted["gender"] == g]
        for li, lvl in enumerate(levels):
            y = len(levels) - 1 - li + (len(genders) - 1) / 2 * height - gi * height
            row = sub.loc[sub[group] == lvl]
            if row.empty:
                if (gone[group] == lvl).any():
                    who = "" if g is None else f"{GENDER_LABELS[g].lower()}: "
                    ax.text(
                        0.1,
                        y,
                        f"{who}ikke vist (personvern)",
                        va="center",
                        fontsize=8,
                        color="0.35",
                    )
                continue
            row = row.iloc[0]
            ys.append(y)
            colours.append(GENDER_COLOURS.get(str(lvl if group == "gender" else g), "#000000"))
            xs.append(float(row["rate_pct"]))
            lo.append(
                float(row["rate_pct"]) - float(row["ci_low"]) if pd.notna(row["ci_low"]) else 0.0
            )
            hi.append(
                float(row["ci_high"]) - float(row["rate_pct"]) if pd.notna(row["ci_high"]) else 0.0
            )
            who = group_label(group, lvl) + ("" if g is None else f", {GENDER_LABELS[g].lower()}")
            ci = (
                f" (95\u00a0% KI {fmt_ci(row['ci_low'], row['ci_high'], 1)})"
                if pd.notna(row["ci_low"])
                else ""
            )
            alt_values.append(f"{who}: {fmt_pct(float(row['rate_pct']), 1)}{ci}")
        ax.barh(
            ys,
            xs,
            height=height * 0.9,
            color=colours,
            label=None if g is None else GENDER_LABELS[g],
        )
        if ys:
            ax.errorbar(xs, ys, xerr=[lo, hi], fmt="none", ecolor="0.2", elinewidth=1, capsize=3)
    ax.set_yticks(range(len(levels)))
    ax.set_ylim(-0.6, len(levels) - 0.4)
    ax.set_yticklabels([group_label(group, v) for v in reversed(levels)])
    percent_axis(ax, "x")
    ax.set_xlabel("Prosent av avtalte dagsverk (95 % konfidensintervall)")
    if by_gender:
        ax.legend(frameon=False, fontsize=9, loc="lower right")
    fig.tight_layout()
    limit = f"færre enn {min_cell} personer" if min_cell else "for få personer"
    if omitted.empty:
        omitted_text = ""
    else:
        cells = []
        for lvl in levels:
            o = omitted.loc[omitted[group] == lvl]
            if o.empty:
                continue
            if by_gender:
                gs = " og ".join(
                    GENDER_LABELS[g].lower() for g in ("K", "M") if (o["gender"] == g).any()
                )
                cells.append(f"{group_label(group, lvl)} ({gs})")
            else:
                cells.append(group_label(group, lvl))
        omitted_text = (
            f" Ikke vist fordi tallene bygger på {limit} (eller kunne regnes ut "
            f"fra andre tall): {'; '.join(cells)}."
        )
    alt = (
        f"Stolpediagram over {KIND_LABELS[kind].lower()} etter "
        f"{_GROUP_NAMES.get(group, group)}"
        + (" og kjønn" if by_gender else "")
        + ", i prosent av avtalte dagsverk med 95\u00a0% konfidensintervall. "
        + "; ".join(alt_values)
        + "."
        + omitted_text
    )
    return fig, alt


def plot_concentration(
    curve: pd.DataFrame,
    concentration: pd.DataFrame | None = None,
    *,
    kind: str | None = None,
) -> tuple[Figure, str]:
    """Lorenz curve of lost days over persons, with the line of equal distribution.

    The figure and its alt text are in plain words for the report body: no «Lorenzkurve» or
    Gini coefficient (both are named in «Om statistikken»).

    Parameters
    ----------
    curve
        :func:`analysis.sickleave.measures.lorenz_curve`.
    concentration
        :func:`analysis.sickleave.measures.absence_concentration` (optional): the top shares
        and the long-term proxy are put in the alt text.
    kind
        For the labels; default: from ``concentration``, else doctor-certified.
    """
    apply_theme()
    if kind is None:
        kind = str(concentration["kind"].iloc[0]) if concentration is not None else "legemeldt"
    p = curve["person_share"].to_numpy(float)
    L = curve["lost_days_share"].to_numpy(float)
    fig, ax = plt.subplots(figsize=(5.5, 5.0))
    ax.plot([0, 1], [0, 1], color="0.5", linestyle="--", linewidth=1, label="Lik fordeling")
    ax.plot(p, L, color=OKABE_ITO[4], linewidth=2, label="Faktisk fordeling")
    ax.fill_between(p, L, p, color=OKABE_ITO[4], alpha=0.12, linewidth=0)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    for axis in ("x", "y"):
        percent_axis(ax, axis, share=True)
    ax.set_xlabel("Andel av de ansatte (sortert etter fravær, minst først)")
    ax.set_ylabel("Andel av tapte dagsverk")
    extra = ""
    if concentration is not None and not concentration.empty:
        tops = concentration.loc[concentration["measure"] == "top_share"]
        for r in tops.itertuples(index=False):
            if pd.notna(r.value):
                extra += (
                    f" De {fmt_number(100 * r.person_share, 0)}\u00a0% med mest fravær står "
                    f"for {fmt_pct(100 * r.value, 0)} av de tapte dagsverkene."
                )
        lt = concentration.loc[concentration["measure"] == "long_term_proxy"]
        if not lt.empty and pd.notna(lt["value"].iloc[0]):
            r = lt.iloc[0]
            label = concentration_label(r["measure"], r["share"], r["threshold_days"])
            extra += (
                f" {label}: {fmt_pct(100 * r['person_share'], 0)} av de ansatte, "
                f"{fmt_pct(100 * r['value'], 0)} av de tapte dagsverkene."
            )
    ax.legend(frameon=False, fontsize=9, loc="center left", bbox_to_anchor=(0.0, 0.72))
    fig.tight_layout()
    mid = float(np.interp(0.5, p, L)) if len(p) > 1 else float("nan")
    alt = (
        f"Kurve over hvordan {KIND_LABELS[kind].lower()} fordeler seg på de ansatte: de "
        "ansatte sortert etter antall tapte dagsverk, minst først, med andelen av de ansatte "
        "langs den vannrette aksen og den samlede andelen av de tapte dagsverkene de står for "
        "langs den loddrette. Jo lenger kurven ligger under diagonalen, jo mer "
        f"er fraværet samlet på få personer. Halvparten av de ansatte med minst fravær står "
        f"for {fmt_pct(100 * mid, 0)} av de tapte dagsverkene." + extra
    )
    return fig, alt
