"""Reporting periods on real dates: the one place a period's label becomes the day it ends.

Every status, trajectory and trend orders figures by these end dates, so "2025/26 academic
year" (ends 31 August 2026) comes after "Spring 2026" (ends with its term) and a financial
year "2025-26" (ends 31 March 2026) before both.

- An academic year, "2025/26" or "2025/26 academic year", ends on 31 August 2026.
- A financial year, "2025-26", "FY 2025/26" or "2025/26 financial year", ends on 31 March 2026.
- A term, "Spring 2026" or "Spring term 2026", ends on its Term's end date when the service
  has that term, else on the usual day: Autumn 31 December, Spring 31 March, Summer 31 July.
- A month, "March 2025" or "31 August 2024", ends on that day (the month's last day when no
  day is given); "January 2025 census" is the census month.
- A bare year, "2028" or "by 2028", ends on 31 December, unless the caller says which kind of
  year it is (`like`: the baseline's), when it ends on that kind of year's day in 2028: GLD's
  "74% by 2028" from a 2022/23 baseline means the 2027/28 academic year, 31 August 2028.

Anything else ("Each year", "Improving trend") has no date: None.
"""

import calendar
import re
from collections.abc import Iterable
from datetime import date

_PAIR = re.compile(r"\b(\d{4})\s*([/–-])\s*(\d{4}|\d{2})\b")
_FINANCIAL = re.compile(r"\bFY\b|financial", re.IGNORECASE)
_ACADEMIC = re.compile(r"academic", re.IGNORECASE)
_TERM = re.compile(r"\b(autumn|spring|summer)(?:\s+term)?\s+(\d{4})\b", re.IGNORECASE)
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTH = re.compile(r"\b(?:(\d{1,2})\s+)?(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(\d{4})\b")

# The usual last day of each term, where the service has no Term with that label.
USUAL_TERM_END = {"autumn": (12, 31), "spring": (3, 31), "summer": (7, 31)}
ACADEMIC_YEAR_END = (8, 31)
FINANCIAL_YEAR_END = (3, 31)


def period_end(
    label: str, *, term_ends: dict[str, date] | None = None, like: date | None = None
) -> date | None:
    """The day the period `label` names ends, or None if it names no period.

    `term_ends` maps term labels ("Spring 2026") to their Term.end_date. `like` is the end of
    a period of the same kind, used only for a bare year (see the module's notes).
    """
    text = label or ""
    for match in _PAIR.finditer(text):
        start, separator, end = int(match[1]), match[2], match[3]
        if int(end) != (start + 1) % 10 ** len(end):
            continue
        financial = bool(_FINANCIAL.search(text)) or (
            separator != "/" and not _ACADEMIC.search(text)
        )
        month, day = FINANCIAL_YEAR_END if financial else ACADEMIC_YEAR_END
        return date(start + 1, month, day)
    term = _TERM.search(text)
    if term:
        season, year = term[1].lower(), int(term[2])
        known = (term_ends or {}).get(f"{season.capitalize()} {year}")
        if known:
            return known
        month, day = USUAL_TERM_END[season]
        return date(year, month, day)
    month = _MONTH.search(text)
    if month:
        number, year = _MONTHS[month[2].lower()], int(month[3])
        last = calendar.monthrange(year, number)[1]
        day = min(int(month[1]), last) if month[1] else last
        return date(year, number, day)
    year = _YEAR.search(text)
    if year:
        if like is not None:
            return _safe_date(int(year[1]), like.month, like.day)
        return date(int(year[1]), 12, 31)
    return None


def _safe_date(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def term_ends(terms: Iterable) -> dict[str, date]:
    """Term label -> end date, for `period_end`; `terms` are actions.models.Term objects."""
    return {term.label: term.end_date for term in terms}


def months_between(start: date, end: date) -> float:
    """Months from `start` to `end`, counting whole months and a month-end as a month-end.

    31 August 2023 to 31 August 2024 is 12; 31 August 2024 to 31 March 2025 is 7. Part months
    count by days over 30.4375 (a year's average month).
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    start_last = start.day == calendar.monthrange(start.year, start.month)[1]
    end_last = end.day == calendar.monthrange(end.year, end.month)[1]
    if start_last and end_last:
        return float(months)
    return months + (end.day - start.day) / 30.4375


def end_text(day: date) -> str:
    """A period end as pages say it: 31 August 2026."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"
