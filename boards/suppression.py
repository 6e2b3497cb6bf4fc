"""Statistical disclosure control: what the public may read of the figures, in one place.

Every public output - a published pack (page, PDF and workbook) and the feed read with a
public token - goes through this module, so all of them withhold the same figures.

The rules follow the GSS/ONS guidance on disclosure control for tables of counts:

* **Primary suppression.** A figure is withheld if any count of children that can be
  read or worked out from it is under the threshold (`settings.SMALL_NUMBER_THRESHOLD`),
  zero included: the numerator; the denominator or cohort size; the denominator less the
  numerator ("7 of 8" tells that 1 did not); a percentage times its base ("6 % of 50" is
  3, and 94 % of 50 leaves 3); a rate per 10,000 times its population; a count itself.
* **Groups need a base.** A breakdown group's percentage or rate with no numerator,
  denominator or cohort size beside it could describe a handful of children, and nothing
  shows that it does not, so it is withheld. The all-pupils figure is not: without a base
  it is the borough's own published headline (DfE and Ofsted statistics of hundreds or
  thousands of children), and withholding it would leave the board with no figure at all.
* **Secondary suppression.** When a group is withheld but the all-pupils figure for the
  same KPI, term and period is shown with its counts, the group could be recovered by
  subtracting the other groups from the total. So the next smallest groups are withheld
  too, until the withheld groups together hold at least the threshold in every count.
* **A withheld figure says nothing.** Its value, numerator, denominator, cohort size and
  status are all None (so no chart point, no rating), and `suppressed` is True.

Comparator figures (England, North West...) are published statistics and stay; so do a
KPI's baseline and target, which the published plan states.
"""

import copy
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kpis.models import Unit

# Narrative that may name circumstances or people: only the restricted pack shows it.
RESTRICTED_ACTION_FIELDS = ("risks",)
RESTRICTED_POINT_FIELDS = ("note",)
# What a withheld figure loses: every number, and the status that would hint at it.
WITHHELD_FIELDS = ("value", "numerator", "denominator", "cohort_size", "status")
# A figure of these units is a share of a base: per 100 or per 10,000 of it.
PER = {Unit.PERCENT: 100, Unit.RATE_PER_10000: 10_000}


@dataclass(frozen=True)
class Counts:
    """The counts of children a figure gives away, each as the fewest and the most it can
    be: those it is about (`events`), and its base. Exact when they are printed."""

    events: tuple[float, float] | None = None
    base: tuple[float, float] | None = None

    def fewest(self) -> list[float]:
        """The smallest each count a reader can work out may be: events, base, and base
        less events."""
        found = [n[0] for n in (self.events, self.base) if n is not None]
        if self.events is not None and self.base is not None:
            found.append(self.base[0] - self.events[1])
        return found


def is_small(number: float | int | None, threshold: int) -> bool:
    # Rounded so that binary fractions cannot make 5 into 4.99999.
    return number is not None and round(number, 6) < threshold


def counts(point: dict, unit: str) -> Counts:
    """The counts of children that `point` (kpis.trends.point shape) reveals.

    A count worked out from a percentage or a rate is a whole number within what the
    figure, as printed, allows: 97.2 % of 181 can only be 176 (97.15 % to 97.25 % of 181
    is 175.8 to 176.0), so it leaves 5; 6.7 % of 45 can only be 3.
    """
    base = _exact(_first(point.get("denominator"), point.get("cohort_size")))
    events = _exact(point.get("numerator"))
    value = point.get("value")
    if value is not None and unit == Unit.COUNT and events is None:
        events = _exact(value)
    elif value is not None and unit in PER:
        low, high = _printed(value)
        if events is None and base is not None:
            events = _whole(low * base[0] / PER[unit], high * base[0] / PER[unit])
        elif base is None and events is not None and low > 0:
            # 7 pupils at 87.5 % are 7 of 8.
            base = _whole(events[0] * PER[unit] / high, events[0] * PER[unit] / low)
    return Counts(events, base)


def _exact(n) -> tuple[float, float] | None:
    return None if n is None else (float(n), float(n))


def _printed(value) -> tuple[float, float]:
    """The range a figure stands for as printed: 97.3 is 97.25 to 97.35."""
    number = Decimal(str(value)).normalize()
    half = Decimal(5).scaleb(min(number.as_tuple().exponent, 0) - 1)
    return float(number - half), float(number + half)


def _whole(low: float, high: float) -> tuple[float, float]:
    """The whole numbers from `low` to `high`; if none lies between (a figure rounded
    otherwise than to the nearest), the nearest whole number on each side."""
    fewest, most = math.ceil(round(low, 6)), math.floor(round(high, 6))
    return (fewest, most) if fewest <= most else (most, fewest)


def _first(*numbers):
    return next((n for n in numbers if n is not None), None)


def is_disclosive(point: dict, unit: str, threshold: int, *, group: bool = False) -> bool:
    """Whether showing `point` would reveal a count under the threshold (primary rule).

    `group` marks a breakdown group's figure, which must carry a base to be shown.
    """
    found = counts(point, unit)
    if any(is_small(n, threshold) for n in found.fewest()):
        return True
    return group and unit in PER and point.get("value") is not None and found.base is None


def withheld(point: dict) -> dict:
    """A copy of `point` with every number and its status gone."""
    return {**point, **dict.fromkeys(WITHHELD_FIELDS), "suppressed": True}


def public_point(point: dict | None) -> dict | None:
    """A copy of a figure as the public reads it: restricted notes removed."""
    if point is None:
        return None
    return {**point, **dict.fromkeys(RESTRICTED_POINT_FIELDS, ""), "suppressed": False}


def suppress_point(point: dict | None, unit: str, threshold: int, *, group: bool = False):
    """One figure on its own (primary suppression only), as the public may read it."""
    shown = public_point(point)
    if shown is not None and is_disclosive(shown, unit, threshold, group=group):
        return withheld(shown)
    return shown


def suppress_breakdown(
    total: dict | None, groups: list[dict | None], unit: str, threshold: int
) -> tuple[dict | None, list[dict | None]]:
    """A KPI's all-pupils figure and its groups' figures for one term and period, public.

    Primary suppression of each figure, then secondary suppression of further groups so
    that the total less the shown groups recovers no count under the threshold.
    """
    total = suppress_point(total, unit, threshold)
    shown = [suppress_point(g, unit, threshold, group=True) for g in groups]
    hidden = [i for i, g in enumerate(shown) if g is not None and g["suppressed"]]
    if not hidden or total is None or total["suppressed"] or not counts(total, unit).fewest():
        return total, shown
    # Smallest groups first: withholding them loses the least (ties in the given order).
    # A group with no count to give away (no new data this term) has nothing to withhold.
    candidates = sorted(
        (
            i
            for i, g in enumerate(shown)
            if g is not None and not g["suppressed"] and counts(g, unit).fewest()
        ),
        key=lambda i: _size(groups[i], unit),
    )
    while candidates and _recoverable(hidden, groups, unit, threshold):
        hidden.append(candidates.pop(0))
        shown[hidden[-1]] = withheld(shown[hidden[-1]])
    return total, shown


def _size(point: dict, unit: str) -> float:
    found = counts(point, unit)
    return _first(found.base, found.events, (float("inf"),))[0]


def _recoverable(hidden: list[int], groups: list[dict | None], unit: str, threshold: int) -> bool:
    """Whether the total less the shown groups gives away a count under the threshold.

    Subtraction recovers the hidden groups' counts added up: their events, their bases and
    their bases less their events. Each sum is taken over the groups that give that count;
    a group that gives none adds nothing to it, so the sum is a floor on what is
    recovered, and a floor at or over the threshold is safe. Nothing to add up at all
    (every hidden group without a base) is not safe: the group could be anything.
    """
    found = [counts(groups[i], unit) for i in hidden]
    sums = [
        [c.events[0] for c in found if c.events is not None],
        [c.base[0] for c in found if c.base is not None],
        [c.base[0] - c.events[1] for c in found if c.base is not None and c.events is not None],
    ]
    recovered = [sum(numbers) for numbers in sums if numbers]
    return not recovered or any(is_small(n, threshold) for n in recovered)


def suppress_figures(
    total: dict | None, groups: list[dict | None], unit: str, threshold: int
) -> tuple[dict | None, list[dict | None]]:
    """Like suppress_breakdown, for one term's figures, which may describe several periods.

    Only figures of the same period are a breakdown of one another; a group whose period
    differs from the total's is judged with the other groups of its own period.
    """
    periods: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        if g is not None:
            periods.setdefault(g.get("data_period", ""), []).append(i)
    own_period = total.get("data_period", "") if total is not None else None
    result: list[dict | None] = [None] * len(groups)
    for period, members in periods.items():
        head = total if period == own_period else None
        _, shown = suppress_breakdown(head, [groups[i] for i in members], unit, threshold)
        for i, g in zip(members, shown, strict=True):
            result[i] = g
    return suppress_point(total, unit, threshold), result


def suppress_trend(trend: dict, threshold: int) -> dict:
    """A KPI's trend (kpis.trends.kpi_trend) as the public may read it, term by term."""
    unit = trend["unit"]
    points = list(trend["points"])
    cohorts = [{**c, "points": list(c["points"])} for c in trend["cohorts"]]
    for term in range(len(points)):
        groups = [c["points"][term] for c in cohorts]
        points[term], groups = suppress_figures(points[term], groups, unit, threshold)
        for cohort, point in zip(cohorts, groups, strict=True):
            cohort["points"][term] = point
    return {**trend, "points": points, "cohorts": cohorts}


@dataclass(frozen=True)
class Row:
    """A figure that is not part of a trend (a feed row): `breakdown` names its KPI, term
    and period, which it shares with the all-pupils figure and the other groups."""

    id: object
    breakdown: tuple
    is_total: bool
    unit: str
    point: dict


def suppress_rows(rows: Iterable[Row], threshold: int) -> dict[object, dict]:
    """Each row's figure as the public may read it, by row id."""
    by_breakdown: dict[tuple, list[Row]] = {}
    for row in rows:
        by_breakdown.setdefault(row.breakdown, []).append(row)
    public: dict[object, dict] = {}
    for members in by_breakdown.values():
        totals = [r for r in members if r.is_total]
        groups = [r for r in members if not r.is_total]
        for total in totals or [None]:
            head, shown = suppress_breakdown(
                total.point if total else None,
                [g.point for g in groups],
                members[0].unit,
                threshold,
            )
            public |= {g.id: point for g, point in zip(groups, shown, strict=True)}
            if total:
                public[total.id] = head
    return public


def public_content(content: dict, threshold: int) -> dict:
    """The pack as the public may read it; `content` itself is left untouched."""
    public = copy.deepcopy(content)
    public["public"] = True
    public["threshold"] = threshold
    for action in public["actions"]:
        for field in RESTRICTED_ACTION_FIELDS:
            action[field] = ""
        action["kpis"] = [suppress_trend(t, threshold) for t in action["kpis"]]
    for item in public["dashboard"]["exceptions"]:
        for field in RESTRICTED_ACTION_FIELDS:
            item[field] = ""
    return public
