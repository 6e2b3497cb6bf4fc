"""Comparator figures as readers see them: always with the period they describe.

National and regional figures lag Bury's: an England figure for 2022/23 can sit beside
Bury's 2023/24. So a comparator figure is never shown without its own period
("England 67.2% (2022/23)"), and a table says where the two periods differ. One place for
these rules, used by the action page, the charts and their tables, the KPI list and the
Excel exports.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from bury_eis.formatting import with_unit
from kpis.models import KPIValue
from kpis.periods import period_end

NO_PERIOD = "period not recorded"
# Exports give each comparator three columns, the same ones on every row.
SLOT_PARTS = ("", " value", " period")
SLOT_HEADER = re.compile(r"Comparator (\d+)( value| period)?")


@dataclass(frozen=True)
class Comparison:
    """One comparator's figure for a measure, with the period it describes."""

    name: str
    value: Decimal | float | None
    period: str
    position: int = field(default=0, compare=False)  # the comparator's place in lists

    def figure(self, unit: str) -> str:
        """The figure with its period, e.g. "67.2% (2022/23)"."""
        return f"{with_unit(self.value, unit)} ({self.period or NO_PERIOD})"

    def text(self, unit: str) -> str:
        """Name, figure and period, e.g. "England 67.2% (2022/23)"."""
        return f"{self.name} {self.figure(unit)}"


def _normal(period: str) -> str:
    return " ".join(period.casefold().split())


def same_period(one: str, other: str) -> bool:
    """Whether two typed periods name the same period: the same end date by the one set of
    period rules (kpis.periods: "2022/23" and "2022/23 academic year" do, "2022/23" and
    "2023" do not), or, for labels with no date, the same words. A period not recorded is
    never the same as another."""
    if not one.strip() or not other.strip():
        return False
    ends = period_end(one), period_end(other)
    if None not in ends:
        return ends[0] == ends[1]
    return _normal(one) == _normal(other)


def newest(found: Iterable[Comparison]) -> list[Comparison]:
    """Each comparator's first figure in `found` (given newest first), in the comparators'
    own order: the one rule for which comparator figure stands beside a measure."""
    first: dict[str, Comparison] = {}
    for item in found:
        if item.value is not None:
            first.setdefault(item.name, item)
    return sorted(first.values(), key=lambda c: c.position)


def of_value(value: KPIValue) -> list[Comparison]:
    """The comparator figures recorded beside `value` (its `comparisons` and their
    comparators loaded)."""
    return newest(
        Comparison(c.comparator.name, c.value, c.period, c.comparator.position)
        for c in value.comparisons.all()
    )


def newest_from_points(points: Iterable[dict | None]) -> list[Comparison]:
    """Each comparator's newest figure among a trend's points (kpis.trends.point, oldest
    first), in the order the newest point names them."""
    return newest(
        Comparison(name, figure, (point or {}).get("comparator_periods", {}).get(name, ""))
        for point in reversed(list(points))
        for name, figure in (point or {}).get("comparators", {}).items()
    )


def slot_headers(count: int) -> list[str]:
    """Headers of `count` comparators' columns: "Comparator 1", "Comparator 1 value",
    "Comparator 1 period", "Comparator 2"…"""
    return [f"Comparator {n}{part}" for n in range(1, count + 1) for part in SLOT_PARTS]


def slot_names(found: Iterable[Comparison]) -> list[str]:
    """The comparators an export names, one slot each, in the comparators' own order."""
    positions = {c.name: c.position for c in found}
    return sorted(positions, key=lambda name: (positions[name], name))
