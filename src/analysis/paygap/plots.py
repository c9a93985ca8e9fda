"""Figures for the pay gap analyses, each with an alt text in bokmål.

Every function returns ``(figure, alt_text)``: the alt text describes what the figure shows
and gives its key numbers, written with Norwegian number formatting
(:mod:`analysis.render.formatting`). Colours: women and men always get
:data:`analysis.render.figures.GENDER_COLOURS`; other colours come from the Okabe–Ito palette
(Okabe & Ito 2008). Nothing depends on the clock or on random state, so the figures are
reproducible byte for byte (see :func:`analysis.render.figures.png_bytes`).
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis.data.codes import GENDER_LABELS
from analysis.paygap.labels import group_label
from analysis.paygap.measures import EUIndicators
from analysis.paygap.nopo import GapChange, NopoResult
from analysis.render.figures import (
    GENDER_COLOURS,
    OKABE_ITO,
    apply_theme,
    decimal_comma,
    percent_axis,
    set_narrow_redraw,
)
from analysis.render.formatting import fmt_nok, fmt_number, fmt_pct

__all__ = ["plot_gap_change", "plot_nopo_waterfall", "plot_pay_by_group", "plot_quartiles"]

#: colours of increases, decreases and totals in waterfalls (Okabe–Ito: bluish green, reddish
#: purple, black; not the two gender colours)
_UP, _DOWN, _TOTAL = OKABE_ITO[2], OKABE_ITO[6], OKABE_ITO[7]

NOPO_LABELS: dict[str, str] = {
    "men_outside_support": "Menn i stillingsgrupper uten kvinner",
    "women_outside_support": "Kvinner i stillingsgrupper uten menn",
    "composition": "Ulik fordeling på stillingsgrupper",
    "within_groups": "Lønnsforskjell innen stillingsgrupper",
    "total": "Samlet lønnsforskjell",
}


def _cells_view(frame: pd.DataFrame) -> pd.DataFrame:
    """``group, mean_men, mean_women`` from cells, gap measures or ``pay_cells`` output."""
    f = frame.rename(
        columns={"row": "group", "mean_pay_men_nok": "mean_men", "mean_pay_women_nok": "mean_women"}
    )
    missing = {"group", "mean_men", "mean_women"} - set(f.columns)
    if missing:
        raise ValueError(f"trenger kolonnene group, mean_men, mean_women; mangler {missing}")
    if "year" in f.columns and f["year"].nunique() > 1:
        raise ValueError("tegn ett år om gangen")
    out = f[["group", "mean_men", "mean_women"]].reset_index(drop=True)
    hidden = f["suppressed"] if "suppressed" in f.columns else pd.Series(False, index=f.index)
    out["suppressed"] = hidden.fillna(False).astype(bool).to_numpy()
    return out


def plot_pay_by_group(cells_or_measures: pd.DataFrame) -> tuple[Figure, str]:
    """Mean full-time annual pay of women and men by job group (horizontal bars).

    Parameters
    ----------
    cells_or_measures
        A cells frame (:func:`analysis.paygap.measures.cells_from_published`,
        :func:`~analysis.paygap.measures.cells_from_microdata`),
        :func:`~analysis.paygap.measures.gap_measures`
        or :func:`~analysis.paygap.measures.published_gap_measures` output (one year), or the output
        of :func:`analysis.data.pay_table.pay_cells`. A total row (``alle``), if present, is drawn
        last. A missing mean (no persons of that gender) is drawn as no bar. Rows with
        ``suppressed`` True (:mod:`analysis.disclosure.tables`) get no bars and no numbers, and the
        alt text says they are hidden.
    """
    apply_theme()
    data = _cells_view(cells_or_measures)
    n = len(data)
    fig, ax = plt.subplots(figsize=(7.5, 1.0 + 0.62 * n))
    y = np.arange(n)[::-1]  # first group on top
    h = 0.38
    for offset, col, code in ((h / 2, "mean_women", "K"), (-h / 2, "mean_men", "M")):
        vals = data[col].to_numpy(dtype=float)
        ok = np.isfinite(vals)
        ax.barh(
            y[ok] + offset,
            vals[ok],
            height=h,
            color=GENDER_COLOURS[code],
            label=GENDER_LABELS[code],
        )
        for yi, v in zip(y[ok] + offset, vals[ok], strict=True):
            ax.text(v, yi, " " + fmt_number(v, 0), va="center", fontsize=8)
    for yi, hidden in zip(y, data["suppressed"], strict=True):
        if hidden:  # say so, rather than leave an empty row
            ax.text(0, yi, " skjult: for få personer", va="center", fontsize=8, color="#444444")
    ax.set_yticks(y, [group_label(g) for g in data["group"]])
    ax.set_xlabel("Gjennomsnittlig årslønn omregnet til heltid (kr)")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    decimal_comma(ax, axis="x", decimals=0)
    means = data[["mean_men", "mean_women"]].to_numpy(dtype=float)
    top = float(np.nanmax(means)) if np.isfinite(means).any() else 1.0  # all hidden: no bars
    ax.set_xlim(0, top * 1.25)
    ax.legend(loc="lower right", frameon=False)
    fig.tight_layout()

    parts = []
    for _, r in data.iterrows():
        if r["suppressed"]:
            parts.append(f"{group_label(r['group'])}: skjult av personvernhensyn")
            continue
        women = (
            f"kvinner {fmt_nok(r['mean_women'])}"
            if math.isfinite(r["mean_women"])
            else "ingen kvinner"
        )
        men = f"menn {fmt_nok(r['mean_men'])}" if math.isfinite(r["mean_men"]) else "ingen menn"
        parts.append(f"{group_label(r['group'])}: {women}, {men}")
    alt = (
        "Liggende stolpediagram over gjennomsnittlig årslønn omregnet til heltid for kvinner "
        "og menn i hver stillingsgruppe. " + "; ".join(parts) + "."
    )
    return fig, alt


def _waterfall(
    ax: Any,
    labels: list[str],
    steps: list[float],
    start: float | None,
    total: float,
    start_label: str | None,
    total_label: str,
    *,
    horizontal: bool = False,
) -> None:
    """Draw a waterfall: optional start bar, floating steps, total bar; values annotated.

    ``horizontal`` draws the bars from left to right, one per row from the top, with the
    labels beside them (the phone layout: long labels need no room under narrow columns).
    """
    names, bottoms, heights, colours = [], [], [], []
    level = 0.0
    if start is not None:
        names.append(start_label or "")
        bottoms.append(0.0)
        heights.append(start)
        colours.append(_TOTAL)
        level = start
    for lab, v in zip(labels, steps, strict=True):
        names.append(lab)
        bottoms.append(level)
        heights.append(v)
        colours.append(_UP if v >= 0 else _DOWN)
        level += v
    names.append(total_label)
    bottoms.append(0.0)
    heights.append(total)
    colours.append(_TOTAL)
    x = np.arange(len(names))
    if horizontal:
        x = x[::-1]  # first bar on top
        ax.barh(x, heights, left=bottoms, color=colours, height=0.6)
    else:
        ax.bar(x, heights, bottom=bottoms, color=colours, width=0.6)
    for i in range(len(names) - 1):
        top = bottoms[i] + heights[i]
        if horizontal:
            ax.plot([top, top], [x[i] - 0.3, x[i + 1] + 0.3], color="#777777", lw=0.8)
        else:
            ax.plot([x[i] + 0.3, x[i + 1] - 0.3], [top, top], color="#777777", lw=0.8)
    ends = [
        v
        for b, hgt in zip(bottoms, heights, strict=True)
        for v in (b, b + hgt)
        if np.isfinite(v)  # hidden parts (too few persons) are NaN and drawn as no bar
    ]
    low, high = min(0.0, *ends), max(0.0, *ends)
    span = (high - low) or 1.0
    for xi, b, hgt in zip(x, bottoms, heights, strict=True):
        down = hgt < 0  # label below (left of) a decreasing step
        end = b + hgt + (-0.02 if down else 0.02) * span
        if horizontal:
            ax.text(
                end, xi, fmt_number(hgt, 0), ha="right" if down else "left", va="center", fontsize=8
            )
        else:
            ax.text(
                xi, end, fmt_number(hgt, 0), ha="center", va="top" if down else "bottom", fontsize=8
            )
    lim = (low - (0.12 * span if low < 0 else 0.0), high + 0.12 * span)
    if horizontal:
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(x, [n.replace("\n", " ") for n in names], fontsize=8)
        # room for the value labels beside the bars (left of a decreasing step near zero)
        ax.set_xlim(low - (0.6 * span if low < 0 else 0.0), high + 0.22 * span)
        decimal_comma(ax, axis="x", decimals=0)
    else:
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xticks(x, names, fontsize=8)
        ax.set_ylim(*lim)
        decimal_comma(ax, axis="y", decimals=0)


def _wrap(text: str, width: int = 16) -> str:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "\n".join(lines)


def plot_nopo_waterfall(nopo: NopoResult, *, narrow: bool = False) -> tuple[Figure, str]:
    """Waterfall of the Ñopo decomposition: four parts adding up to the gap (NOK).

    Parameters
    ----------
    nopo
        :func:`analysis.paygap.nopo.nopo_decomposition` result.
    narrow
        Draw the bars horizontally (the phone version, which the wide figure carries:
        :func:`analysis.render.figures.set_narrow_redraw`).
    """
    apply_theme()
    keys = ["men_outside_support", "women_outside_support", "composition", "within_groups"]
    d = nopo.to_dict()
    if not math.isfinite(d["total"]):  # the whole comparison rests on too few persons
        fig, ax = plt.subplots(figsize=(7.5, 1.2))
        ax.axis("off")
        ax.text(0.5, 0.5, "Ikke vist: for få personer", ha="center", va="center")
        alt = (
            "Fossefallsdiagrammet over lønnsforskjellen er ikke tegnet: tallene bygger på for "
            "få personer og er skjult av personvernhensyn."
        )
        return fig, alt
    hidden = [k for k in keys if not math.isfinite(d[k])]
    labels = dict(NOPO_LABELS)
    if hidden:  # parts hidden for privacy are drawn as one bar: the rest of the total
        merged = "merged"
        labels[merged] = "Sammensetning og grupper med ett kjønn (slått sammen)"
        d[merged] = d["total"] - sum(d[k] for k in keys if k not in hidden)
        keys = [merged, *[k for k in keys if k not in hidden]]
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
    _waterfall(
        ax,
        [_wrap(labels[k]) for k in keys],
        [d[k] for k in keys],
        None,
        d["total"],
        None,
        _wrap(NOPO_LABELS["total"]),
        horizontal=narrow,
    )
    (ax.set_xlabel if narrow else ax.set_ylabel)("Kroner (menns snitt minus kvinners)")
    fig.tight_layout()
    if not narrow:
        set_narrow_redraw(fig, lambda: plot_nopo_waterfall(nopo, narrow=True)[0])
    ref = {"men": "menns", "women": "kvinners", "pooled": "alle ansattes"}[nopo.reference]
    pct = nopo.to_pct_of_men_mean()
    count = {1: "én", 2: "to", 3: "tre", 4: "fire"}[len(keys)]
    alt = (
        "Fossefallsdiagram som deler forskjellen i gjennomsnittlig årslønn mellom menn og "
        f"kvinner, {fmt_nok(d['total'])} ({fmt_pct(pct['total'])} av menns snittlønn), i "
        f"{count} deler: "
        + "; ".join(f"{labels[k].lower()} {fmt_nok(d[k])}" for k in keys)
        + f". Sammensetningen er verdsatt med {ref} gjennomsnittslønn i hver stillingsgruppe."
        + (
            " Delene som bygger på stillingsgrupper med for få personer av ett kjønn, "
            "er slått sammen av personvernhensyn."
            if hidden
            else ""
        )
    )
    return fig, alt


def _year_text(y: Any) -> str:
    return "året før" if y is None else str(y)


def _moved_nok(v: float) -> str:
    """«økte forskjellen med 14 925 kr» / «minket forskjellen med …» / «endret den ikke»."""
    text = fmt_nok(abs(v))
    if not math.isfinite(v) or text == fmt_nok(0.0):
        return "endret den ikke"
    return f"{'økte' if v > 0 else 'minket'} forskjellen med {text}"


def plot_gap_change(change: GapChange, *, narrow: bool = False) -> tuple[Figure, str]:
    """Waterfall from the gap in the first year to the gap in the second (NOK).

    Parameters
    ----------
    change
        :func:`analysis.paygap.nopo.gap_change` result.
    narrow
        Draw the bars horizontally (the phone version, see :func:`plot_nopo_waterfall`).
    """
    apply_theme()
    y0, y1 = _year_text(change.year0), "året etter" if change.year1 is None else str(change.year1)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    _waterfall(
        ax,
        [_wrap("Endret fordeling på stillingsgrupper"), _wrap("Endret lønn innen grupper")],
        [change.composition, change.within_groups],
        change.gap0,
        change.gap1,
        f"Lønnsforskjell\n{y0}",
        f"Lønnsforskjell\n{y1}",
        horizontal=narrow,
    )
    (ax.set_xlabel if narrow else ax.set_ylabel)("Kroner (menns snitt minus kvinners)")
    fig.tight_layout()
    if not narrow:
        set_narrow_redraw(fig, lambda: plot_gap_change(change, narrow=True)[0])
    alt = (
        f"Fossefallsdiagram: forskjellen i gjennomsnittlig årslønn mellom menn og kvinner var "
        f"{fmt_nok(change.gap0)} i {y0} og {fmt_nok(change.gap1)} i {y1}. Endret fordeling av "
        f"kvinner og menn på stillingsgrupper {_moved_nok(change.composition)}, og endret "
        f"lønn innen stillingsgruppene {_moved_nok(change.within_groups)}. Kvinners lønn i "
        f"prosent av menns var {fmt_pct(change.ratio0_pct, 2)} i {y0} og "
        f"{fmt_pct(change.ratio1_pct, 2)} i {y1}."
    )
    return fig, alt


def plot_quartiles(eu: EUIndicators) -> tuple[Figure, str]:
    """Share of women and men in each quartile pay band (stacked 100 % bars).

    Parameters
    ----------
    eu
        :func:`analysis.paygap.measures.eu_pay_transparency` result.
    """
    apply_theme()
    q = eu.quartiles
    names = {
        1: "1. kvartil\n(lavest lønn)",
        2: "2. kvartil",
        3: "3. kvartil",
        4: "4. kvartil\n(høyest lønn)",
    }
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    y = np.arange(len(q))[::-1]
    women = q["share_women_pct"].to_numpy(dtype=float)
    men = q["share_men_pct"].to_numpy(dtype=float)
    ax.barh(y, women, color=GENDER_COLOURS["K"], label=GENDER_LABELS["K"], height=0.6)
    ax.barh(y, men, left=women, color=GENDER_COLOURS["M"], label=GENDER_LABELS["M"], height=0.6)
    for yi, w, m in zip(y, women, men, strict=True):
        ax.text(w / 2, yi, fmt_pct(w, 0), ha="center", va="center", color="white", fontsize=9)
        ax.text(w + m / 2, yi, fmt_pct(m, 0), ha="center", va="center", color="white", fontsize=9)
    ax.set_yticks(y, [names.get(int(k), str(k)) for k in q["quartile"]])
    ax.set_xlim(0, 100)
    percent_axis(ax, "x")
    ax.set_xlabel("Andel av de ansatte i lønnskvartilen")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2, frameon=False)
    fig.tight_layout()
    parts = [
        f"{int(r['quartile'])}. kvartil: {fmt_pct(r['share_women_pct'])} kvinner og "
        f"{fmt_pct(r['share_men_pct'])} menn"
        for _, r in q.iterrows()
    ]
    alt = (
        "Stablede liggende stolper med andelen kvinner og menn i hver fjerdedel av de "
        "ansatte sortert etter årslønn omregnet til heltid, fra lavest til høyest lønn. "
        + "; ".join(parts)
        + "."
    )
    return fig, alt
