"""Disclosure control (moved): re-exports :mod:`analysis.disclosure`, the one layer."""

from __future__ import annotations

from analysis.disclosure import (
    DEFAULT_MIN_CELL,
    primary_mask,
    protect,
    suppress,
    suppression_mask,
)

__all__ = ["DEFAULT_MIN_CELL", "primary_mask", "protect", "suppress", "suppression_mask"]
