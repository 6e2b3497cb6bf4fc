"""Targets the plan's own words state plainly, read from a KPI's text.

Conservative on purpose: only a few unambiguous patterns, and only where the text holds one
percentage, so that a number defining the measure ("% attending ≥90% of funded hours") is
never taken for its target. Everything else stays "to be agreed": the tool never invents a
number.

- "(target: ≥90%)", "(target ≥95%)", "(goal: ≥80%)" → a threshold of 90 %, higher is better.
- A text that starts with its aim, "≥85% of settings attend…", "95% settings receive…",
  "100% of providers meeting…" → a threshold of 85 %, higher is better.
- "74% by 2028" → reach 74 % by 2028, higher is better.
- "consistently above 90%", "at least 90%" → a threshold of 90 %, higher is better.
- "an increase of 9 percentage points" → a change of +9 points (a "reduction of" is −,
  lower is better).
"""

import re
from decimal import Decimal

from kpis.models import Polarity, TargetKind, Unit

_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*%")
_NUMBER = r"(\d+(?:\.\d+)?)"
_AT_LEAST = r"(?:≥|>=|=>)?"
_TARGET_NOTE = re.compile(
    r"\(\s*(?:target|goal)\s*:?\s*" + _AT_LEAST + r"\s*" + _NUMBER + r"\s*%\s*\)", re.IGNORECASE
)
_LEADING_AIM = re.compile(r"^\s*" + _AT_LEAST + r"\s*" + _NUMBER + r"\s*%\s+(?:of\s+)?[a-z]", re.I)
_BY_YEAR = re.compile(_NUMBER + r"\s*%\s+by\s+(20\d\d)\b", re.IGNORECASE)
_ABOVE = re.compile(
    r"\b(?:consistently\s+above|at\s+least|remains?\s+above|stays?\s+above)\s+" + _NUMBER + r"\s*%",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"\b(increase|rise|reduction|decrease|fall)\s+of\s+" + _NUMBER + r"\s+percentage\s+points?\b",
    re.IGNORECASE,
)


def stated_target(text: str) -> dict:
    """The KPI fields the text states plainly (unit, polarity, target…), or {} if none."""
    percentages = _PERCENT.findall(text)
    change = _CHANGE.findall(text)
    if len(change) == 1 and not percentages:
        word, amount = change[0]
        lower = word.lower() in ("reduction", "decrease", "fall")
        return _fields(
            TargetKind.CHANGE, amount, Polarity.LOWER_BETTER if lower else Polarity.HIGHER_BETTER
        )
    if len(percentages) != 1 or re.search(r"\be\.?\s?g\b", text, re.IGNORECASE):
        return {}
    for pattern in (_TARGET_NOTE, _LEADING_AIM, _ABOVE):
        if match := pattern.search(text):
            return _fields(TargetKind.THRESHOLD, match[1], Polarity.HIGHER_BETTER)
    if match := _BY_YEAR.search(text):
        fields = _fields(TargetKind.ABSOLUTE, match[1], Polarity.HIGHER_BETTER)
        return fields | {"target_period": match[2]}
    return {}


def _fields(kind: str, number: str, polarity: str) -> dict:
    return {
        "unit": Unit.PERCENT,
        "polarity": polarity,
        "target_kind": kind,
        "target_value": Decimal(number),
        "target_not_agreed": False,
    }
