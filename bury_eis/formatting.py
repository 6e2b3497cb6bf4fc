"""Figures as people read them: no trailing zeros, thousands separators, the unit in words."""

from decimal import Decimal

_UNIT_FORMATS = {
    "percent": "{}%",
    "percentage_points": "{} percentage points",
    "money": "£{}",
    "days": "{} days",
    "weeks": "{} weeks",
    "rate_per_10000": "{} per 10,000",
}


def figure(value: Decimal | float | int) -> str:
    """92.5, 1,250, -0.12: a number without trailing zeros and with thousands separators."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return f"{number:,f}"


def plain_number(value: Decimal | float | int | None) -> Decimal | None:
    """A figure for a spreadsheet cell: a number (so Excel can sum and chart it), without
    trailing zeros or an exponent (38.7, 100), or None for an empty cell."""
    if value is None or value == "":
        return None
    number = Decimal(str(value)).normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral() else number


def with_unit(value: Decimal | float | int | None, unit: str) -> str:
    """A figure in its unit's words, e.g. 92.5%, £12,000, 14 days; a dash if there is none."""
    if value is None or value == "":
        return "–"
    text = figure(value)
    if unit == "money" and text.startswith("-"):
        return f"-£{text[1:]}"
    return _UNIT_FORMATS.get(unit, "{}").format(text)
