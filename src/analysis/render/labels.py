"""Bokmål labels for the groups in a report's tables, figures and sentences.

Each domain declares its vocabulary once as a :class:`GroupLabels` (which code list labels
which dimension, and what the total row is called); its report and plot modules label every
group through it, so a table row, a figure's axis and a sentence name a group the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class GroupLabels:
    """The group labels of one domain: ``labels(dimension, code) → 'Bokmål label'``.

    Parameters
    ----------
    by_dimension
        Dimension (a column name such as ``job_group``) → code → label.
    total_code
        The code of the total row (e.g. ``"alle"``), if the domain's tables have one.
    totals
        Dimension → label of its total row (``"Alle stillingsgrupper"``).
    total_default
        Label of the total row in other dimensions.

    Notes
    -----
    A code without a label is shown as it is (as text): project ids, municipalities. With
    ``dimension=None`` the first dimension that has a label for the code is used.
    """

    by_dimension: Mapping[str, Mapping[str, str]]
    total_code: str | None = None
    totals: Mapping[str, str] = field(default_factory=dict)
    total_default: str = "Alle"

    def __call__(self, dimension: str | None, code: Any) -> str:
        text = str(code)
        if self.total_code is not None and text == self.total_code:
            return self.totals.get(dimension or "", self.total_default)
        if dimension is None:
            for labels in self.by_dimension.values():
                if text in labels:
                    return labels[text]
            return text
        return self.by_dimension.get(dimension, {}).get(text, text)
