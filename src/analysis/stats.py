"""Stable public import path: ``analysis.stats`` is :mod:`analysis.methods.stats` (the same module
object, so attributes, private helpers and monkeypatching behave identically). The code lives in
``analysis/methods/stats.py``; this path is kept for the published API (issue 15)."""

import sys

from analysis.methods import stats as _module

sys.modules[__name__] = _module
