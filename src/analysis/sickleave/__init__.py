"""Sick leave by gender: SSB-definition rates and comparisons (measures), figures (plots) and
the report build for the sick-leave notebook (report).

The estimators of :mod:`analysis.sickleave.measures` and :mod:`analysis.sickleave.models` are
importable from the package itself
(``analysis.sickleave.<function>``), the import path of the first releases.
"""

from analysis.sickleave.measures import *  # noqa: F403
from analysis.sickleave.models import *  # noqa: F403
