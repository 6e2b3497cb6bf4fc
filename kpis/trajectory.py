"""Is a multi-year target on course? A straight-line trend through the figures since the baseline.

Board members ask whether a 2028 target will be met long before 2028. A least-squares line
through the baseline and every figure since is the simplest answer they can check by eye on
the chart. It takes plain numbers, not models, so frozen packs give the same sentence later.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from bury_eis.formatting import with_unit
from kpis.periods import end_text, period_end

_DIRECTIONAL = ("higher_better", "lower_better")


@dataclass(frozen=True)
class Trajectory:
    """A verdict on a dated target, the projection behind it, and a sentence for the board."""

    on_course: bool | None  # None when it cannot be judged
    projected: float | None  # the linear trend's value at the target year
    sentence: str


def year_of(
    text: str, *, term_ends: dict[str, date] | None = None, like: date | None = None
) -> float | None:
    """The day a period label ends (kpis.periods.period_end), as a year with its fraction, for
    fitting a trend: "2022/23" ends on 31 August 2023, so comes after "Summer 2023" and before
    "Autumn 2023"; "2025/26" after "Spring 2026". None if the label names no period.
    """
    end = period_end(text, term_ends=term_ends, like=like)
    return None if end is None else as_year(end)


def as_year(day: date) -> float:
    """1 January 2024 is 2024.0; each day after it adds its share of the year."""
    start = date(day.year, 1, 1)
    days = (date(day.year + 1, 1, 1) - start).days
    return round(day.year + (day - start).days / days, 9)


def trajectory(
    *,
    baseline_year: float | None,
    baseline_value: float | None,
    points: tuple[tuple[float, float], ...],
    target_year: float | None,
    target_value: float | None,
    polarity: str,
    unit: str,
    names: dict[float, str] | None = None,
) -> Trajectory:
    """Judge whether the trend since the baseline reaches the target by its date.

    `names` gives the label a year came from ("2023/24"), for the sentence.
    """
    names = names or {}
    if target_year is None or target_value is None:
        return Trajectory(None, None, "No dated numeric target to judge against.")
    if polarity not in _DIRECTIONAL:
        return Trajectory(None, None, "No direction of better, so the trend is not judged.")
    # One figure a period: where two describe the same one, the later given (the newer
    # reported, as callers pass them oldest first) wins, and the baseline only fills a gap.
    by_year = {float(year): float(value) for year, value in points}
    if baseline_year is not None and baseline_value is not None:
        by_year.setdefault(float(baseline_year), float(baseline_value))
    data = list(by_year.items())
    if not data:
        return Trajectory(None, None, "Not enough figures since the baseline to judge the trend.")
    data.sort()  # a fixed order, so the sums (and so the result) never depend on input order
    target_year, target_value = float(target_year), float(target_value)
    projected = _projection(data, target_year)
    latest_year, latest = max(data, key=lambda point: point[0])
    if latest_year >= target_year:
        return _judged_on_latest(
            latest_year, latest, target_year, target_value, polarity, unit, names
        )
    if _meets(latest, target_value, polarity):
        sentence = (
            f"Already at or beyond the target: {_shown(latest, target_value, unit)} in "
            f"{_year_text(latest_year, names)}, against a target of "
            f"{_shown(target_value, None, unit)} by {_year_text(target_year, names)}."
        )
        return Trajectory(True, projected, sentence)
    if projected is None:
        return Trajectory(None, None, "Not enough figures since the baseline to judge the trend.")
    return _judged_on_trend(data[0][0], projected, target_year, target_value, polarity, unit, names)


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
    since: float,
    projected: float,
    year: float,
    target: float,
    polarity: str,
    unit: str,
    names: dict[float, str],
) -> Trajectory:
    trend = (
        f"the trend since {_year_text(since, names)} reaches {_shown(projected, target, unit)} by "
    )
    trend += _year_text(year, names)
    if _meets(projected, target, polarity):
        sentence = f"On course: {trend}, against a target of {_shown(target, None, unit)}."
        return Trajectory(True, projected, sentence)
    gap = "short of" if polarity == "higher_better" else "above"
    sentence = f"Not on course: {trend}, {gap} the {_shown(target, None, unit)} target."
    return Trajectory(False, projected, sentence)


def _judged_on_latest(
    latest_year: float,
    latest: float,
    year: float,
    target: float,
    polarity: str,
    unit: str,
    names: dict[float, str],
) -> Trajectory:
    """Once the target date has come there is nothing to project: the latest figure answers."""
    met = _meets(latest, target, polarity)
    verdict = "meets" if met else ("is short of" if polarity == "higher_better" else "is above")
    when = "has passed" if latest_year > year else "has come"
    sentence = (
        f"The target date {when}: the latest figure, {_shown(latest, target, unit)} in "
        f"{_year_text(latest_year, names)}, {verdict} the {_shown(target, None, unit)} target for "
        f"{_year_text(year, names)}."
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


def _year_text(year: float, names: dict[float, str]) -> str:
    """The label the year came from (2023/24), else 2028 for a whole year or the last day of
    one, else the day it stands for (31 August 2024)."""
    if year in names:
        return names[year]
    whole = int(year // 1)
    if abs(year - whole) < 1e-6:
        return str(whole)
    days = (date(whole + 1, 1, 1) - date(whole, 1, 1)).days
    day = date(whole, 1, 1) + timedelta(days=round((year - whole) * days))
    return str(whole) if (day.month, day.day) == (12, 31) else end_text(day)
