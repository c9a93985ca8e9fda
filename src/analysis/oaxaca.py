"""Stable public import path: ``analysis.oaxaca`` is :mod:`analysis.methods.oaxaca` (the same module
object, so attributes, private helpers and monkeypatching behave identically). The code lives in
``analysis/methods/oaxaca.py``; this path is kept for the published API (issue 15)."""

import sys

from analysis.methods import oaxaca as _module

sys.modules[__name__] = _module
