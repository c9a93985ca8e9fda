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
