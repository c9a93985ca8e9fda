"""Figures: a colour-blind-safe theme and deterministic PNG output with alt text.

Figures are embedded as PNG (not SVG: matplotlib's SVG carries dates and random ids) with
the ``Software`` metadata removed so the bytes depend only on the figure. Alt text goes into
the output's ``image/png`` metadata, which nbconvert's classic template writes as ``alt``.
Text in figures is never read as a formula (``text.parse_math`` off), so labels from the
data are drawn exactly as written. The palette is Okabe & Ito (2008), "Color Universal
Design", distinguishable with every common colour-vision deficiency; women and men always get
the same two colours.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
#: women, men (dark enough for 3:1 contrast against white as graphical objects)
GENDER_COLOURS = {"K": "#D55E00", "M": "#0072B2", "alle": "#000000"}
DPI = 110


def apply_theme() -> None:
    """Matplotlib defaults for the reports: readable fonts, Okabe–Ito colour cycle."""
    plt.rcParams.update(
        {
            "figure.figsize": (7.5, 4.2),
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
            "axes.formatter.use_locale": False,
            "svg.hashsalt": "fou-analyse",
            "path.simplify": True,
            # text is text: a project id such as "$\\Kroner$" is drawn as written, never
            # read as a formula (none of our own labels uses mathtext)
            "text.parse_math": False,
            "text.usetex": False,
        }
    )


def png_bytes(fig: matplotlib.figure.Figure) -> bytes:
    """The figure as PNG bytes, without metadata that could vary between runs."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def show_figure(fig: matplotlib.figure.Figure, alt: str) -> None:
    """Display a figure as PNG with alt text, then close it."""
    from IPython.display import Image, display

    if not alt or not alt.strip():
        raise ValueError("hver figur trenger en alternativ tekst (alt-tekst)")
    data = png_bytes(fig)
    plt.close(fig)
    display(Image(data=data, format="png"), metadata={"image/png": {"alt": alt}})


def decimal_comma(
    ax: matplotlib.axes.Axes,
    axis: str = "y",
    decimals: int = 0,
    suffix: str = "",
    *,
    scale: float = 1.0,
) -> None:
    """Norwegian tick labels (decimal comma, thin-space thousands) on an axis.

    A tick at ``v`` is labelled ``fmt_number(scale * v, decimals) + suffix``.
    """
    from matplotlib.ticker import FuncFormatter

    from analysis.render.formatting import fmt_number

    if scale == 1.0:
        f = FuncFormatter(lambda v, _pos: fmt_number(v, decimals) + suffix)
    else:
        f = FuncFormatter(lambda v, _pos: fmt_number(scale * v, decimals) + suffix)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(f)


def percent_axis(ax: matplotlib.axes.Axes, axis: str = "y", *, share: bool = False) -> None:
    """Tick labels in whole per cent (``60 %``); ``share=True`` for an axis from 0 to 1."""
    from analysis.render.formatting import NBSP

    decimal_comma(ax, axis, 0, f"{NBSP}%", scale=100.0 if share else 1.0)


# --------------------------------------------------------------------------- phone layout

#: width of the phone version of a figure (inches at :data:`DPI`: about 480 px, shown in a
#: column of about 340 px wide on a 390 px phone)
NARROW_WIDTH = 4.4
#: smallest text in the phone version (points; about 12 CSS px on a 390 px wide phone)
NARROW_MIN_FONT = 11.0
#: characters per line of a category label (y ticks) in the phone version
NARROW_LABEL_CHARS = 20
#: characters per line of a category label under a column (x ticks) in the phone version
NARROW_XLABEL_CHARS = 9
#: characters per line of an axis title in the phone version
NARROW_AXIS_TITLE_CHARS = 36


def wrap_label(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters at spaces (a word longer
    than ``width`` stays whole; a line break in ``text`` counts as a space; never before
    «%»)."""
    words = text.replace("\n", " ").replace(" %", "\u00a0%").split(" ")
    lines: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    return "\n".join(lines)


def _is_category_axis(axis: matplotlib.axis.Axis) -> bool:
    """Whether the axis is labelled with words (groups, categories), not numbers or years."""
    return any(re.search(r"[^\W\d_]", t.get_text()) for t in axis.get_ticklabels())


def _overlapping(texts: list, renderer: Any) -> bool:
    """Whether tick labels along x touch or come closer than half a character."""
    boxes = [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text()]
    boxes.sort(key=lambda b: b.x0)
    gap = 0.5 * NARROW_MIN_FONT * DPI / 72
    return any(a.x1 > b.x0 - gap for a, b in zip(boxes, boxes[1:], strict=False))


def narrow_layout(fig: matplotlib.figure.Figure) -> None:
    """Lay ``fig`` out again for a phone screen, in place: the same drawing (every bar, point,
    line and label the wide version has, nothing added or left out), on a narrow, taller
    canvas with larger type relative to the width.

    - width :data:`NARROW_WIDTH`; the height grows with the text that now needs more lines;
    - no text smaller than :data:`NARROW_MIN_FONT` points;
    - category labels wrapped to a few words per line; column labels that would still
      collide are turned upright;
    - legends moved below the plot, one entry per line;
    - year or number ticks along the x axis that would collide: every second one is
      labelled.

    Because the figure is only laid out again, never drawn again from data, the phone
    version cannot show a value that the wide version (and the table beside it) hides.
    """
    from matplotlib.text import Text
    from matplotlib.ticker import FixedLocator, MaxNLocator

    width, height = fig.get_size_inches()
    legends = []
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is not None:
            legends.append((list(leg.legend_handles), [t.get_text() for t in leg.get_texts()], leg))
    for t in fig.findobj(Text):
        if t.get_text() and t.get_fontsize() < NARROW_MIN_FONT:
            t.set_fontsize(NARROW_MIN_FONT)
    extra_lines = 0
    for ax in fig.axes:
        if _is_category_axis(ax.yaxis):
            labels = [t.get_text() for t in ax.get_yticklabels()]
            wrapped = [wrap_label(s, NARROW_LABEL_CHARS) for s in labels]
            extra_lines += sum(
                s.count("\n") - o.count("\n") for s, o in zip(wrapped, labels, strict=True)
            )
            ax.set_yticks(ax.get_yticks(), wrapped)
        if _is_category_axis(ax.xaxis):
            labels = [t.get_text() for t in ax.get_xticklabels()]
            ax.set_xticks(ax.get_xticks(), [wrap_label(s, NARROW_XLABEL_CHARS) for s in labels])
        ax.tick_params(labelsize=NARROW_MIN_FONT)
        if not isinstance(ax.xaxis.get_major_locator(), FixedLocator):
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # room for wider labels
        for label in (ax.xaxis.label, ax.yaxis.label):
            label.set_fontsize(max(label.get_fontsize(), NARROW_MIN_FONT))
            label.set_text(wrap_label(label.get_text(), NARROW_AXIS_TITLE_CHARS))
    legend_lines = 0
    for _handles, labels, leg in legends:
        leg.remove()
        legend_lines += sum(1 + s.count("\n") for s in labels)
    new_height = max(height, 3.2) + 0.14 * extra_lines + 0.28 * legend_lines
    fig.set_size_inches(NARROW_WIDTH, new_height)
    for handles, labels, _leg in legends:
        fig.legend(
            handles,
            [wrap_label(s, 40) for s in labels],
            loc="outside lower center",
            ncol=1,
            frameon=False,
            fontsize=NARROW_MIN_FONT,
        )
    fig.set_layout_engine("constrained")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        if not _overlapping(ax.get_xticklabels(), renderer):
            continue
        if not _is_category_axis(ax.xaxis) and not isinstance(
            ax.xaxis.get_major_locator(), FixedLocator
        ):  # numbers chosen by matplotlib: fewer of them
            ax.xaxis.set_major_locator(MaxNLocator(nbins=3))
            fig.canvas.draw()
            if not _overlapping(ax.get_xticklabels(), renderer):
                continue
        if _is_category_axis(ax.xaxis):
            ax.tick_params(axis="x", labelrotation=90)
        else:
            for i, tick in enumerate(ax.xaxis.get_major_ticks()):
                tick.label1.set_visible(i % 2 == 0)


_REDRAW = "_fou_narrow_redraw"


def set_narrow_redraw(
    fig: matplotlib.figure.Figure, redraw: Callable[[], matplotlib.figure.Figure]
) -> None:
    """Give ``fig`` a phone version drawn differently (e.g. a waterfall with horizontal bars
    instead of columns with long labels under them).

    ``redraw`` must call the same plotting function with the same data and only a layout
    option changed, so that it shows exactly the values ``fig`` shows (and hides the same).
    """
    setattr(fig, _REDRAW, redraw)


def narrow_png_bytes(fig: matplotlib.figure.Figure) -> bytes:
    """The phone version of ``fig`` as PNG bytes: the figure's own phone drawing if it has one
    (:func:`set_narrow_redraw`), laid out by :func:`narrow_layout`. Changes ``fig``: call
    after :func:`png_bytes` of the wide version."""
    redraw = getattr(fig, _REDRAW, None)
    if redraw is None:
        narrow_layout(fig)
        return png_bytes(fig)
    other = redraw()
    try:
        narrow_layout(other)
        return png_bytes(other)
    finally:
        plt.close(other)
