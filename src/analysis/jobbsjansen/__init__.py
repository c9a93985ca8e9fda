"""Jobbsjansen: transition rates and follow-up (measures), figures (plots) and the report
build for the Jobbsjansen notebook (report).

The estimators of :mod:`analysis.jobbsjansen.measures` are importable from the package itself
(``analysis.jobbsjansen.<function>``), the import path of the first releases.
"""

from analysis.jobbsjansen.measures import *  # noqa: F403
