"""The pay gap: measures and decompositions (measures), figures (plots) and the report
build for the pay-gap notebook (report).

The estimators of :mod:`analysis.paygap.measures` are importable from the package itself
(``analysis.paygap.<function>``), the import path of the first releases.
"""

from analysis.paygap.measures import *  # noqa: F403
