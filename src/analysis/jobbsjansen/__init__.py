"""Jobbsjansen: transition rates, follow-up and cost (measures), the risk-adjusted comparison
of projects (models), figures (plots), the report's tables (tables) and sentences (texts), its
key figures (keyfigures) and the build for the Jobbsjansen notebook (report).

The estimators are importable from the package itself (``analysis.jobbsjansen.<function>``),
the import path of the first releases.
"""

from analysis.jobbsjansen.measures import *  # noqa: F403
from analysis.jobbsjansen.models import *  # noqa: F403
