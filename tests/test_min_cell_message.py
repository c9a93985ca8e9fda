"""The messages of analysis.disclosure.min_cell.check_min_cell, word for word.

They reach the user unchanged (``fou run --min-cell`` prints them and exits with 2), so the
whole bokmål text is pinned here, written out by hand from the rule in the module docstring:
a threshold below 3 (the default is 5) would let a table or a sentence describe one or two
persons.
"""

from __future__ import annotations

import re

import pytest

from analysis.disclosure.min_cell import check_min_cell


def test_too_low_names_the_value_the_floor_the_default_and_the_reason():
    with pytest.raises(ValueError) as err:
        check_min_cell(2)
    assert str(err.value) == (
        "min_cell = 2 er for lavt: grensen for å vise et tall må være minst 3 personer "
        "(standard 5), ellers kan tabeller og tekst beskrive én eller to personer."
    )


@pytest.mark.parametrize("value", [2.5, "5", True, None])
def test_not_a_whole_number_names_the_value(value):
    with pytest.raises(
        ValueError, match=rf"^min_cell må være et helt tall, ikke {re.escape(repr(value))}\.$"
    ):
        check_min_cell(value)
