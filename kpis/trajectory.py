"""Is a multi-year target on course? A straight-line trend through the figures since the baseline.

Board members ask whether a 2028 target will be met long before 2028. A least-squares line
through the baseline and every figure since is the simplest answer they can check by eye on
the chart. It takes plain numbers, not models, so frozen packs give the same sentence later.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bury_eis.formatting import with_unit

_ACADEMIC = re.compile(r"\b(\d{4})\s*[/–-]\s*(\d{4}|\d{2})\b")
_TERM = re.compile(r"\b(autumn|spring|summer)(?:\s+term)?\s+(\d{4})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(\d{4})\b")
# Where in the calendar year each term's figures fall, so termly figures sort in time order.
_TERM_PART = {"spring": 0.25, "summer": 0.5, "autumn": 0.75}
_DIRECTIONAL = ("higher_better", "lower_better")


@dataclass(frozen=True)
class Trajectory:
    """A verdict on a dated target, the projection behind it, and a sentence for the board."""

    on_course: bool | None  # None when it cannot be judged
    projected: float | None  # the linear trend's value at the target year
    sentence: str


def year_of(text: str) -> float | None:
    """The year a label means, as a number a trend can be fitted against.

    "2022/23" is the academic year's summer (2023.0), when its results land; "Autumn 2024"
    is 2024.75 and "Spring 2025" 2025.25; "by 2028" is 2028.0. None if there is no year.
    """
    for match in _ACADEMIC.finditer(text):
        start, end = int(match[1]), match[2]
        if int(end) == (start + 1) % 10 ** len(end):
            return float(start + 1)
    term = _TERM.search(text)
    if term:
        return int(term[2]) + _TERM_PART[term[1].lower()]
    year = _YEAR.search(text)
    return float(year[1]) if year else None


def trajectory(
    *,
    baseline_year: float | None,
    baseline_value: float | None,
    points: tuple[tuple[float, float], ...],
    target_year: float | None,
    target_value: float | None,
    polarity: str,
    unit: str,
) -> Trajectory:
    """Judge whether the trend since the baseline reaches the target by its date."""
    if target_year is None or target_value is None:
        return Trajectory(None, None, "No dated numeric target to judge against.")
    if polarity not in _DIRECTIONAL:
        return Trajectory(None, None, "No direction of better, so the trend is not judged.")
    data = [(float(year), float(value)) for year, value in points]
    if baseline_year is not None and baseline_value is not None:
        data.append((float(baseline_year), float(baseline_value)))
    if not data:
        return Trajectory(None, None, "Not enough figures since the baseline to judge the trend.")
    data.sort()  # a fixed order, so the sums (and so the result) never depend on input order
    target_year, target_value = float(target_year), float(target_value)
    projected = _projection(data, target_year)
    latest_year, latest = max(data, key=lambda point: point[0])
    if latest_year >= target_year:
        return _judged_on_latest(latest_year, latest, target_year, target_value, polarity, unit)
    if _meets(latest, target_value, polarity):
        sentence = (
            f"Already at or beyond the target: {_shown(latest, target_value, unit)} in "
            f"{_year_text(latest_year)}, against a target of {_shown(target_value, None, unit)} "
            f"by {_year_text(target_year)}."
        )
        return Trajectory(True, projected, sentence)
    if projected is None:
        return Trajectory(None, None, "Not enough figures since the baseline to judge the trend.")
    return _judged_on_trend(data[0][0], projected, target_year, target_value, polarity, unit)


def _projection(data: list[tuple[float, float]], year: float) -> float | None:
    """The ordinary least-squares line's value at year; None with fewer than two distinct years."""
    if len({x for x, _ in data}) < 2:
        return None
    mean_x = sum(x for x, _ in data) / len(data)
    mean_y = sum(y for _, y in data) / len(data)
    spread = sum((x - mean_x) ** 2 for x, _ in data)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in data) / spread
    # Rounded so float noise (74.99999999999997) never reaches a frozen pack.
    return round(mean_y + slope * (year - mean_x), 6) + 0.0


def _judged_on_trend(
    since: float, projected: float, year: float, target: float, polarity: str, unit: str
) -> Trajectory:
    trend = f"the trend since {_year_text(since)} reaches {_shown(projected, target, unit)} by "
    trend += _year_text(year)
    if _meets(projected, target, polarity):
        sentence = f"On course: {trend}, against a target of {_shown(target, None, unit)}."
        return Trajectory(True, projected, sentence)
    gap = "short of" if polarity == "higher_better" else "above"
    sentence = f"Not on course: {trend}, {gap} the {_shown(target, None, unit)} target."
    return Trajectory(False, projected, sentence)


def _judged_on_latest(
    latest_year: float, latest: float, year: float, target: float, polarity: str, unit: str
) -> Trajectory:
    """Once the target date has come there is nothing to project: the latest figure answers."""
    met = _meets(latest, target, polarity)
    verdict = "meets" if met else ("is short of" if polarity == "higher_better" else "is above")
    when = "has passed" if latest_year > year else "has come"
    sentence = (
        f"The target date {when}: the latest figure, {_shown(latest, target, unit)} in "
        f"{_year_text(latest_year)}, {verdict} the {_shown(target, None, unit)} target for "
        f"{_year_text(year)}."
    )
    return Trajectory(met, None, sentence)


def _meets(value: float, target: float, polarity: str) -> bool:
    """At or beyond the target in the better direction, allowing for float rounding."""
    tolerance = 1e-9 * max(1.0, abs(target))
    if polarity == "lower_better":
        return value <= target + tolerance
    return value >= target - tolerance


def _shown(value: float, against: float | None, unit: str) -> str:
    """A figure to one decimal place in its unit, with more places if one would hide the gap.

    73.96 against a target of 74 shows as 73.96, not as a "74%" that is short of 74%.
    """
    places = 1
    while (
        against is not None and places < 4 and _rounded(value, places) == _rounded(against, places)
    ):
        if abs(value - against) <= 1e-9 * max(1.0, abs(against)):
            break
        places += 1
    return with_unit(_rounded(value, places), unit)


def _rounded(value: float, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _year_text(year: float) -> str:
    """2028 for a whole year, else the term it stands for (Autumn 2024), as year_of reads it."""
    whole = int(year // 1)
    for term, part in _TERM_PART.items():
        if abs(year - whole - part) < 1e-6:
            return f"{term.capitalize()} {whole}"
    return str(whole) if abs(year - whole) < 1e-6 else f"{year:g}"
