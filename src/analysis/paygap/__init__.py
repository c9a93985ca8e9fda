"""The pay gap by gender: gap measures and EU pay-transparency indicators (measures), the
grouped Ñopo decomposition (nopo), Oaxaca–Blinder on person-level data (models), figures
(plots), the report's tables (tables) and sentences (texts), its key figures (keyfigures) and
the build for the pay-gap notebook (report).

The estimators are importable from the package itself (``analysis.paygap.<function>``), the
import path of the first releases.
"""

from analysis.paygap.measures import *  # noqa: F403
from analysis.paygap.models import *  # noqa: F403
from analysis.paygap.nopo import *  # noqa: F403
