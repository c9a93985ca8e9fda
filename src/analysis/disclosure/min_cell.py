"""The smallest cell a report may show, and the check that ``min_cell`` respects it.

Every report hides figures that rest on fewer than ``min_cell`` persons (default 5). A
threshold below 3 would let a table or a sentence describe one or two persons, so it is
refused wherever the threshold enters: the command line (``fou run --min-cell``),
:func:`analysis.pipeline.plan.plan` and the report build functions that a notebook calls with its
papermill parameter ``min_cell``. Three is the lowest value of the usual threshold rule for
frequency tables of persons: a cell of one or two persons describes those persons
(Hundepool et al. 2012, *Statistical Disclosure Control*, the threshold rule for frequency
tables).
"""

from __future__ import annotations

import numbers

#: the lowest ``min_cell`` accepted
MIN_CELL_FLOOR = 3
#: the default threshold
MIN_CELL_DEFAULT = 5


def check_min_cell(value: object) -> int:
    """``value`` as an int if it is a whole number of at least :data:`MIN_CELL_FLOOR`.

    Raises
    ------
    ValueError
        In bokmål, naming the value, if it is not a whole number or is below the floor.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"min_cell må være et helt tall, ikke {value!r}.")
    if not float(value).is_integer():
        raise ValueError(f"min_cell må være et helt tall, ikke {value!r}.")
    n = int(value)
    if n < MIN_CELL_FLOOR:
        raise ValueError(
            f"min_cell = {n} er for lavt: grensen for å vise et tall må være minst "
            f"{MIN_CELL_FLOOR} personer (standard {MIN_CELL_DEFAULT}), ellers kan tabeller og "
            "tekst beskrive én eller to personer."
        )
    return n
