"""What the synthetic generators share: the result type, the id marking and weighted sampling.

References
----------
.. [1] Efraimidis, P. S. and Spirakis, P. G. (2006). Weighted random sampling with a reservoir.
   *Information Processing Letters* 97(5), 181–185. (Weighted sampling without replacement,
   used here in its Gumbel-top-k form, Kool, van Hoof and Welling (2019), ICML.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.data.published import load_published

#: the generator named in every sidecar (the package's import path)
GENERATOR = "analysis.data.synthetic"
#: prefix of every synthetic id
SYNTHETIC_PREFIX = "SYN-"


@dataclass(frozen=True, eq=False)
class SynthResult:
    """A synthetic table and how it was calibrated.

    Attributes
    ----------
    frame
        The table: exactly the schema's columns, typed as :func:`analysis.data.microdata.load_hr`
        / :func:`~analysis.data.microdata.load_jobbsjansen` return them.
    year
        The year asked for (HR: the year of the rows; register: the exit year).
    seed
        The seed of ``numpy.random.default_rng``.
    calibration_year
        The published year the headcounts (HR) or transition rate (register) come from.
    fallback
        True when ``calibration_year`` (or a sick-leave year) is not ``year``.
    note
        One or more bokmål sentences saying what was calibrated against what.
    targets
        The published targets used (JSON-serialisable), with ``assumptions``.
    kind
        ``"hr"`` or ``"jobbsjansen"``.
    """

    frame: pd.DataFrame
    year: int
    seed: int
    calibration_year: int
    fallback: bool
    note: str
    targets: dict[str, Any]
    kind: str


# --------------------------------------------------------------------------- helpers


def nearest_year(available: object, year: int) -> int | None:
    """The available year closest to ``year``; ties go to the later year; None if none."""
    years = sorted({int(y) for y in available if y is not None and not pd.isna(y)})
    if not years:
        return None
    return min(years, key=lambda y: (abs(y - year), -y))


def _published(name: str, directory: Path | None) -> pd.DataFrame:
    return load_published(name, directory=directory, preferred_only=True)


def _choose(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``k`` items drawn without replacement with probability ∝ ``weights``.

    Gumbel-top-k: the ``k`` largest ``log w + Gumbel`` keys, equivalent to successive
    weighted draws without replacement (Efraimidis and Spirakis 2006, see module references).
    """
    k = int(min(max(k, 0), len(weights)))
    if k == 0:
        return np.zeros(0, dtype=int)
    with np.errstate(divide="ignore"):
        keys = np.log(np.asarray(weights, dtype=float)) + rng.gumbel(size=len(weights))
    return np.argpartition(-keys, k - 1)[:k]


def _select(rng: np.random.Generator, mask: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Boolean array marking ``k`` items among ``mask`` drawn with probability ∝ ``weights``."""
    idx = np.flatnonzero(mask)
    chosen = np.zeros(len(mask), dtype=bool)
    chosen[idx[_choose(rng, weights[idx], k)]] = True
    return chosen


def rescale_capped(x: np.ndarray, total: float, cap: np.ndarray) -> np.ndarray:
    """Scale non-negative ``x`` so that it sums to ``total`` with ``x <= cap`` everywhere.

    Items that would exceed their cap are set to it and the rest scaled up again, until none
    exceeds (at most ``len(x)`` rounds; usually one or two).

    Raises
    ------
    ValueError
        If the caps sum to less than ``total``.
    """
    x = np.minimum(np.asarray(x, dtype=float).copy(), cap)
    cap = np.asarray(cap, dtype=float)
    if total <= 0:
        return np.zeros_like(x)
    if cap.sum() < total * (1 - 1e-12):
        raise ValueError(f"kan ikke nå {total:.1f}: øvre grenser summerer til {cap.sum():.1f}")
    for _ in range(len(x) + 1):
        free = x < cap
        need = total - x[~free].sum()
        mass = x[free].sum()
        if mass <= 0:
            x[free] = cap[free]
            mass = x[free].sum()
        x[free] *= need / mass
        over = x > cap
        if not over.any():
            break
        x[over] = cap[over]
    return x


def _ids(kind: str, n: int) -> pd.api.extensions.ExtensionArray:
    """``SYN-<kind>-000001``, ... as a string array (built in Arrow: fast for millions)."""
    width = max(6, len(str(n)))
    numbers = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), width, "0")
    return pd.array(
        pc.binary_join_element_wise(f"{SYNTHETIC_PREFIX}{kind}-", numbers, ""), dtype="string"
    )


def _codes(codes: tuple[str, ...] | list[str], ix: np.ndarray) -> pd.Categorical:
    """Labels by index, as a categorical (cheap to turn into strings for millions of rows)."""
    return pd.Categorical.from_codes(ix, categories=list(codes))
