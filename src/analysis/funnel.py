"""Stable public import path: ``analysis.funnel`` is :mod:`analysis.methods.funnel` (the same module
object, so attributes, private helpers and monkeypatching behave identically). The code lives in
``analysis/methods/funnel.py``; this path is kept for the published API (issue 15)."""

import sys

from analysis.methods import funnel as _module

sys.modules[__name__] = _module
