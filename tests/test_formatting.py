from decimal import Decimal as D

import pytest

from bury_eis.formatting import plain_number, with_unit


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (D("92.5000"), "percent", "92.5%"),
        (D("74"), "percent", "74%"),
        (D("12500.00"), "money", "£12,500"),
        (D("-250"), "money", "-£250"),
        (D("-0.12"), "score", "-0.12"),
        (D("3.5"), "percentage_points", "3.5 percentage points"),
        (D("14"), "days", "14 days"),
        (D("1234"), "count", "1,234"),
        (None, "percent", "–"),
    ],
)
def test_figures_are_shown_in_their_units_words(value, unit, shown):
    assert with_unit(value, unit) == shown


def test_a_figure_for_a_spreadsheet_is_a_number_without_padding_or_exponent():
    assert str(plain_number(D("100.0000"))) == "100"  # not 1E+2
    assert str(plain_number(D("38.7000"))) == "38.7"
    assert str(plain_number(-3.5)) == "-3.5"
    assert plain_number(None) is None and plain_number("") is None
