"""A KPI's figures over the terms, as plain data: the action page and board packs draw from it.

The shape is JSON-ready so a board pack can freeze it and render the same chart
and table years later.
"""

from decimal import Decimal

from actions.models import Term
from bury_eis.formatting import with_unit
from kpis.models import KPI, Cohort, ComparatorBasis, KPIValue, Polarity, TargetKind, Unit
from kpis.status import effective_target

ALL = Cohort.ALL_PUPILS
# How a figure withheld from a public paper is shown (DfE's convention).
SUPPRESSED = "[c]"


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def point(value: KPIValue) -> dict:
    """One recorded figure with what a reader (or the suppression rules) needs beside it."""
    return {
        "value": _num(value.value),
        "numerator": value.numerator,
        "denominator": value.denominator,
        "cohort_size": value.cohort_size,
        "data_period": value.data_period,
        "maturity": value.get_maturity_display(),
        "milestone": value.get_milestone_status_display() if value.milestone_status else "",
        "no_new_data": value.no_new_data,
        "status": value.status,
        "status_reason": value.status_reason,
        "note": value.note,
        "comparators": {c.comparator.name: _num(c.value) for c in value.comparisons.all()},
        "comparator_periods": {c.comparator.name: c.period for c in value.comparisons.all()},
        "is_demo": value.is_demo,
        "suppressed": False,
    }


def kpi_trend(kpi: KPI, values: list[KPIValue], terms: list[Term]) -> dict:
    """`kpi` with its figures in each of `terms` (oldest first), per cohort.

    `values` are the KPI's values to show (the caller decides: approved only, up
    to a term), with `term`, `cohort` and `comparisons` loaded.
    """
    by_cohort: dict[str, dict] = {}
    for value in values:
        group = by_cohort.setdefault(value.cohort.code, {"name": value.cohort.name, "by_term": {}})
        group["by_term"][value.term_id] = point(value)
    headline = by_cohort.pop(ALL, {"by_term": {}})["by_term"]
    target = effective_target(kpi)
    return {
        "kpi_pk": kpi.pk,
        "ref": kpi.ref,
        "text": kpi.text,
        "unit": kpi.unit,
        "unit_label": kpi.get_unit_display() if kpi.unit else "",
        "polarity": kpi.polarity,
        "polarity_label": kpi.get_polarity_display() if kpi.polarity != Polarity.NONE else "",
        "baseline": _num(kpi.baseline_value),
        "baseline_period": kpi.baseline_period,
        "target": _num(target),
        "target_upper": _num(kpi.target_upper_value),
        "target_period": kpi.target_period,
        "target_kind": kpi.target_kind,
        "target_text": target_text(kpi),
        # The comparator a comparator target is judged against: its line is the target line.
        "target_comparator": (
            kpi.target_comparator.name
            if kpi.target_kind == TargetKind.COMPARATOR and kpi.target_comparator_id
            else ""
        ),
        "terms": [t.label for t in terms],
        "points": [headline.get(t.pk) for t in terms],
        "cohorts": [
            {"name": g["name"], "points": [g["by_term"].get(t.pk) for t in terms]}
            for g in by_cohort.values()
        ],
    }


def target_text(kpi: KPI) -> str:
    """The target as the status engine judges it (kpis.status), e.g. "74% (by 2027/28)",
    "6.7% (1.5 percentage points up on the 5.2% baseline)", "At or better than Greater
    Manchester", or "Target not yet agreed". A change target shows the number it resolves
    to, the same number the chart's target line is drawn at."""
    if kpi.target_not_agreed and kpi.target_kind not in _JUDGED_AGAINST_OTHERS:
        return "Target not yet agreed"
    text = _target_words(kpi)
    if kpi.target_cohort_id and kpi.target_kind != TargetKind.GAP:
        text += f", for {kpi.target_cohort.name}"
    return f"{text} ({kpi.target_period})" if kpi.target_period else text


def target_words(text: str, target: Decimal | float | None, unit: str) -> str:
    """A target's words for a spreadsheet, beside its number: blank when they say no more
    than the number in its unit ("90%"), so no figure is written as text."""
    return "" if target is not None and text == with_unit(target, unit) else text


# Kinds judged against other figures, which need no number of their own.
_JUDGED_AGAINST_OTHERS = {TargetKind.TREND, TargetKind.COMPARATOR, TargetKind.GAP}


def _target_words(kpi: KPI) -> str:
    kind, unit = kpi.target_kind, kpi.unit
    if kind == TargetKind.COMPARATOR and kpi.target_comparator_id:
        basis = (
            "In line with"
            if kpi.comparator_basis == ComparatorBasis.IN_LINE
            else ("At or better than")
        )
        return f"{basis} {kpi.target_comparator.name}"
    if kind == TargetKind.TREND:
        text = f"Better over the last {kpi.trend_periods or 2} figures"
        if kpi.trend_min_change:
            text += f", by at least {with_unit(kpi.trend_min_change, unit)}"
        return text
    if kind == TargetKind.GAP and kpi.target_cohort_id:
        to = kpi.target_comparator.name if kpi.target_comparator_id else "all pupils"
        text = f"Gap for {kpi.target_cohort.name} to {to} narrows"
        if kpi.gap_narrowing:
            text += f" by {with_unit(kpi.gap_narrowing, unit)} each period"
        return text
    if kpi.target_value is None:
        return kpi.get_target_kind_display()
    target = effective_target(kpi)
    if kind == TargetKind.CHANGE and target is not None:
        way = "down" if target < kpi.baseline_value else "up"
        change = with_unit(kpi.target_value, unit)
        if unit == Unit.PERCENT:
            change = f"{kpi.target_value.normalize():f} percentage points"
        baseline = with_unit(kpi.baseline_value, unit)
        return f"{with_unit(target, unit)} ({change} {way} on the {baseline} baseline)"
    text = with_unit(kpi.target_value, unit)
    if kpi.target_upper_value is not None:
        text += " to " + with_unit(kpi.target_upper_value, unit)
    return text


def has_figures(trend: dict) -> bool:
    """Whether there is anything to chart: a figure, or one withheld as "[c]"."""
    points = [*trend["points"], *(p for c in trend["cohorts"] for p in c["points"])]
    return any(p and (p["value"] is not None or p.get("suppressed")) for p in points)


def gaps(trend: dict) -> list[dict]:
    """Percentage-point gaps of each cohort to the headline figure, term by term.

    Only for percentages: a gap between two counts is not a like-for-like comparison.
    """
    if trend["unit"] != Unit.PERCENT:
        return []
    result = []
    for cohort in trend["cohorts"]:
        series = []
        for own, headline in zip(cohort["points"], trend["points"], strict=True):
            both = own and headline and own["value"] is not None and headline["value"] is not None
            series.append(round(own["value"] - headline["value"], 1) if both else None)
        if any(g is not None for g in series):
            result.append({"name": cohort["name"], "points": series})
    return result
