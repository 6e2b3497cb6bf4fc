"""Figures as people type them, and the rules a KPI's figures keep: one place for both.

Every way a figure comes in (the update page, the Excel round trip) reads it with
`parse_figure` and checks a KPI's whole entry with `kpi_entry_problems`; the service
that saves values (`kpis.updates.progress_update_save`) runs the same check, so no
caller can store what the update page would refuse. Messages follow the GOV.UK
Design System's wording and name the KPI and the field, because they are shown in an
error summary far from the field, and in spreadsheet previews with no field at all.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from actions.models import NARRATIVE_MAX_LENGTH
from kpis.models import KPI, Unit
from kpis.status import percentage

PLACES = 4  # KPIValue.value and the comparator figures keep four decimal places
TOO_LARGE = Decimal(10) ** 10  # ... and fourteen digits in all
PERIOD_MAX_LENGTH = 60
REASON_MAX_LENGTH = 300
NOT_NEGATIVE = {Unit.COUNT, Unit.MONEY, Unit.DAYS, Unit.WEEKS, Unit.RATE_PER_10000, Unit.PERCENT}

# 1500, 1,500, 12,345.6, -3.5, .5: commas only between groups of three digits.
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})  # minus sign, en dash (Word)


class FigureError(ValueError):
    """A typed figure that cannot be read; `message(noun)` says what to type instead."""

    def __init__(self, template: str) -> None:
        super().__init__(template)
        self.template = template

    def message(self, noun: str) -> str:
        return self.template.format(noun=f"The {noun}")


@dataclass
class KPIEntry:
    """What a lead entered for one KPI on the update page."""

    kpi: KPI
    value: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    data_period: str = ""
    maturity: str = "provisional"
    cohort_size: int | None = None
    milestone_status: str = ""
    no_new_data: bool = False
    no_new_data_reason: str = ""
    note: str = ""
    cohorts: dict[int, Decimal | None] = field(default_factory=dict)
    comparators: dict[int, tuple[Decimal | None, str]] = field(default_factory=dict)

    @property
    def has_figure(self) -> bool:
        return (
            self.value is not None
            or self.numerator is not None
            or bool(self.milestone_status)
            or self.no_new_data
        )

    def headline(self) -> Decimal | None:
        """The value, computed from numerator and denominator where both are given."""
        if self.numerator is not None and self.denominator:
            return percentage(self.numerator, self.denominator)
        return self.value


def parse_figure(raw: object, *, whole: bool = False) -> Decimal | None:
    """The number a person meant by `raw` (typed text, or a spreadsheet cell), or None if blank.

    Accepts 1500, 1,500, 12,345.6, -3.5, a trailing % and a leading £; refuses 1,5
    (a decimal comma), 1.2.3 and 1 5 rather than guess. A spreadsheet's own number is
    kept to four decimal places, since binary floating point makes 85.2 into
    85.19999…; typed text with more places is refused.
    """
    if raw is None or isinstance(raw, bool):
        if raw is None:
            return None
        raise FigureError("{noun} must be a number, like 1,500 or 12.5")
    if isinstance(raw, int | float | Decimal):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if not number.is_finite():
            raise FigureError("{noun} must be a number, like 1,500 or 12.5")
        number = number.quantize(Decimal(1).scaleb(-PLACES), rounding=ROUND_HALF_UP)
        return _checked(number, whole)
    text = str(raw).strip().translate(_MINUS_SIGNS)
    if not text:
        return None
    text = text.removesuffix("%").rstrip().replace("£", "", 1).strip()
    if not _NUMBER.fullmatch(text):
        if re.fullmatch(r"[+-]?\d+,\d{1,2}|[+-]?\d+,\d{4,}", text):
            raise FigureError(
                "{noun} must use a full stop for decimals, like 12.5 – a comma only "
                "separates thousands, like 1,500"
            )
        raise FigureError("{noun} must be a number, like 1,500 or 12.5")
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise FigureError("{noun} must be a number, like 1,500 or 12.5") from None
    if -number.as_tuple().exponent > PLACES:
        raise FigureError(f"{{noun}} must have no more than {PLACES} decimal places")
    return _checked(number, whole)


def _checked(number: Decimal, whole: bool) -> Decimal:
    if abs(number) >= TOO_LARGE:
        raise FigureError("{noun} must be less than 10,000,000,000")
    if whole and number != number.to_integral_value():
        raise FigureError("{noun} must be a whole number, like 27")
    return number


def plain(value: Decimal | int | None) -> str:
    """A stored figure as a person would type it again: 85.2, not 85.2000; 1000, not 1E+3."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def kpi_name(kpi: KPI) -> str:
    """The KPI as messages name it: its ref and the start of its text, e.g. "(ii) Attendance…"."""
    text = " ".join(kpi.text.split())
    if len(text) > 60:
        text = text[:60].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"({kpi.ref}) {text}"


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


@dataclass(frozen=True)
class EntryProblem:
    """Something wrong with one field of a KPI's entry: `field` as `entry_fields` names it."""

    field: str
    message: str


def value_noun(kpi: KPI) -> str:
    return "percentage" if kpi.unit == Unit.PERCENT else "figure"


def entry_fields(kpi: KPI, cohort_names: dict[int, str], comparator_names: dict[int, str]):
    """Each field of a KPI's entry: (key, noun). Groups are `cohort:<pk>`, comparators
    `comparator:<pk>` and `comparator_period:<pk>`."""
    fields = {
        "value": value_noun(kpi),
        "numerator": "numerator",
        "denominator": "denominator",
        "cohort_size": "cohort size",
        "data_period": "period the figure describes",
        "milestone_status": "milestone status",
        "no_new_data_reason": "reason there is no new data",
        "note": "note",
    }
    fields |= {f"cohort:{pk}": f"{name} figure" for pk, name in cohort_names.items()}
    for pk, name in comparator_names.items():
        fields[f"comparator:{pk}"] = f"{name} figure"
        fields[f"comparator_period:{pk}"] = f"period of the {name} figure"
    return fields


def figure_problem(kpi: KPI, noun: str, error: FigureError) -> str:
    """The message for a figure that could not be read, naming the field and the KPI."""
    return error.message(f"{noun} for {kpi_name(kpi)}")


class _Checker:
    """Collects the problems of one entry, each worded for its field and KPI."""

    def __init__(self, entry: KPIEntry, cohort_names: dict, comparator_names: dict) -> None:
        self.entry, self.kpi, self.problems = entry, entry.kpi, []
        self.cohort_names, self.comparator_names = cohort_names, comparator_names
        self.nouns = entry_fields(self.kpi, cohort_names, comparator_names)

    def fail(self, field: str, message: str) -> None:
        if not any(p.field == field for p in self.problems):  # one message a field
            self.problems.append(EntryProblem(field, message))

    def of(self, field: str) -> str:
        return f"{self.nouns[field]} for {kpi_name(self.kpi)}"

    def range(self, field: str, number: Decimal | None) -> None:
        unit = self.kpi.unit
        if number is None:
            return
        what = self.of(field)
        if unit == Unit.PERCENT and not Decimal(0) <= number <= Decimal(100):
            self.fail(field, f"Enter {_article(what)} between 0 and 100")
        elif unit in NOT_NEGATIVE and number < 0:
            self.fail(field, f"Enter {_article(what)} that is 0 or more")
        elif unit == Unit.COUNT and number != number.to_integral_value():
            self.fail(field, f"The {what} must be a whole number: it is a count")

    def length(self, field: str, text: str, limit: int) -> None:
        if len(text) > limit:
            what = self.of(field)
            self.fail(field, f"The {what} must be {limit:,} characters or fewer")


def kpi_entry_problems(
    entry: KPIEntry, *, cohort_names: dict[int, str], comparator_names: dict[int, str]
) -> list[EntryProblem]:
    """Every rule a KPI's figures for a term must keep; an empty list when they keep them all.

    `cohort_names` and `comparator_names` name the groups and comparators the entry uses.
    """
    check = _Checker(entry, cohort_names, comparator_names)
    _kind_of_figure(check)
    _numbers(check)
    _headline(check)
    _breakdowns(check)
    check.length("data_period", entry.data_period, PERIOD_MAX_LENGTH)
    check.length("no_new_data_reason", entry.no_new_data_reason, REASON_MAX_LENGTH)
    check.length("note", entry.note, NARRATIVE_MAX_LENGTH)
    return check.problems


def _kind_of_figure(check: _Checker) -> None:
    entry, name = check.entry, kpi_name(check.kpi)
    if check.kpi.unit == Unit.MILESTONE:
        for field in ("value", "numerator", "denominator", "cohort_size"):
            if getattr(entry, field) is not None:
                check.fail(field, f"{name} is a milestone: choose its milestone status instead")
    elif entry.milestone_status:
        check.fail("milestone_status", f"{name} is a measure, not a milestone: leave it empty")
    if check.kpi.unit not in (Unit.PERCENT, Unit.MILESTONE):
        for field in ("numerator", "denominator"):
            if getattr(entry, field) is not None:
                check.fail(
                    field,
                    f"Only a percentage is worked out from a numerator and denominator: "
                    f"leave the {field} for {name} empty",
                )


def _numbers(check: _Checker) -> None:
    entry = check.entry
    num, den = entry.numerator, entry.denominator
    if num is not None and num < 0:
        check.fail("numerator", f"Enter {_article(check.of('numerator'))} that is 0 or more")
    if den is not None and den < 1:
        check.fail("denominator", f"Enter {_article(check.of('denominator'))} that is 1 or more")
    if entry.cohort_size is not None and entry.cohort_size < 0:
        check.fail("cohort_size", f"Enter {_article(check.of('cohort_size'))} that is 0 or more")
    if (num is None) != (den is None):
        missing = "denominator" if den is None else "numerator"
        check.fail(missing, f"Enter {_article(check.of(missing))}, or leave both numbers empty")
    elif num is not None and den and num > den:
        check.fail(
            "numerator",
            f"The numerator for {kpi_name(check.kpi)} must be no more than the denominator",
        )
    elif (
        num is not None and den and entry.value is not None and entry.value != percentage(num, den)
    ):
        check.fail(
            "value",
            f"Enter the percentage for {kpi_name(check.kpi)} or the numbers it comes from, "
            "not both",
        )
    if num is None:
        check.range("value", entry.value)


def _headline(check: _Checker) -> None:
    entry = check.entry
    typed = entry.value is not None or entry.numerator is not None
    if entry.no_new_data:
        if not entry.no_new_data_reason.strip():
            check.fail(
                "no_new_data_reason",
                f"Enter why there is no new data for {kpi_name(check.kpi)} this term",
            )
        if typed:
            check.fail(
                "value",
                f"You said there is no new data for {kpi_name(check.kpi)}: leave the "
                f"{check.nouns['value']} empty",
            )
    elif (typed or entry.milestone_status) and not entry.data_period.strip():
        check.fail(
            "data_period",
            f"Enter the period the figure for {kpi_name(check.kpi)} describes, like "
            "2024/25 academic year",
        )


def _breakdowns(check: _Checker) -> None:
    entry = check.entry
    typed = entry.value is not None or entry.numerator is not None
    for pk, number in entry.cohorts.items():
        field = f"cohort:{pk}"
        if number is None:
            continue
        check.range(field, number)
        if not typed:
            check.fail(
                field,
                f"Enter the all-pupils figure for {kpi_name(check.kpi)} first: the "
                f"{check.cohort_names[pk]} figure sits beside it",
            )
    for pk, (number, period) in entry.comparators.items():
        name = check.comparator_names[pk]
        check.range(f"comparator:{pk}", number)
        check.length(f"comparator_period:{pk}", period, PERIOD_MAX_LENGTH)
        if number is not None and not period.strip():
            check.fail(
                f"comparator_period:{pk}",
                f"Enter the period the {name} figure for {kpi_name(check.kpi)} describes",
            )
        elif number is None and period.strip():
            check.fail(
                f"comparator:{pk}",
                f"Enter the {name} figure for {kpi_name(check.kpi)}, or leave its period empty",
            )
        elif number is not None and not typed:
            check.fail(
                f"comparator:{pk}",
                f"Enter the all-pupils figure for {kpi_name(check.kpi)} first: the {name} "
                "figure sits beside it",
            )
