"""Disclosure control, the one layer every suppression goes through: cell and margin
suppression with an exact audit (tables), the joint decision for the HR reports (hr), the one
for the Jobbsjansen register (register) and the threshold check (min_cell).

The public API of :mod:`analysis.disclosure.tables` is importable from here
(``from analysis.disclosure import protect, suppression_mask``).
"""

from analysis.disclosure.tables import *  # noqa: F403
from analysis.disclosure.tables import __all__  # noqa: F401
