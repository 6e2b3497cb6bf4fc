"""Template tags that draw a KPI trend (kpis.trends.kpi_trend data) as a chart and a table."""

from django import template
from django.utils.safestring import SafeString

from bury_eis.formatting import with_unit
from kpis.charts import LAYOUTS, WIDE, Series, line_chart_svg
from kpis.comparisons import Comparison, same_period
from kpis.models import TargetKind
from kpis.periods import period_end
from kpis.trajectory import trajectory, year_of
from kpis.trends import SUPPRESSED, gaps, has_figures
from kpis.trends import target_text as _target_text

register = template.Library()

# Targets met by reaching a number by a date: only these have a trajectory to judge.
_DATED_KINDS = {TargetKind.ABSOLUTE, TargetKind.CUMULATIVE, TargetKind.CHANGE, TargetKind.GAP}


def _values(points: list) -> tuple[float | None, ...]:
    return tuple(p["value"] if p else None for p in points)


def _comparator_period(point: dict | None, name: str) -> str:
    # Packs frozen before periods were kept have none: shown as not recorded, never guessed.
    return (point or {}).get("comparator_periods", {}).get(name, "")


def _comparator_cell(headline: dict | None, name: str, unit: str) -> dict:
    """A comparator's figure in one term's row: with its own period, and whether that is
    not the period of Bury's figure beside it."""
    value = (headline or {}).get("comparators", {}).get(name)
    if value is None:
        return {"text": "–", "differs": False}
    period = _comparator_period(headline, name)
    own = (headline or {}).get("data_period") or ""
    return {
        "text": Comparison(name, value, period).figure(unit),
        "differs": bool(own and period) and not same_period(period, own),
        "bury_period": own,
    }


def _comparator_names(trend: dict) -> list[str]:
    names: list[str] = []
    for p in trend["points"]:
        for name in (p or {}).get("comparators", {}):
            if name not in names:
                names.append(name)
    return names


def _drawing(chart_id: str, name: str) -> dict:
    """`line_chart_svg`'s layout and chart id for the drawing `name`: the narrow one gets an
    id of its own, since both drawings are in the page."""
    (layout,) = (layout for layout in LAYOUTS if layout.name == name)
    return {"layout": layout, "chart_id": chart_id if layout is WIDE else f"{chart_id}-{name}"}


@register.simple_tag
def trend_chart(trend: dict, chart_id: str, layout: str = "wide") -> SafeString:
    """The KPI's headline, cohort and comparator figures by term, with target and baseline,
    drawn for wide screens and print, or for phones (`layout="narrow"`)."""
    drawing = _drawing(chart_id, layout)
    series = [Series("Bury", _values(trend["points"]), "main")]
    series += [Series(c["name"], _values(c["points"]), "cohort") for c in trend["cohorts"]]
    for name in _comparator_names(trend):
        points = tuple((p or {}).get("comparators", {}).get(name) for p in trend["points"])
        periods = tuple(_comparator_period(p, name) for p in trend["points"])
        # A comparator target's line is its target (1.2(a)(i) drew no target for "at or
        # above the Greater Manchester average"); frozen packs may predate the key.
        shown = f"{name} (target)" if name == trend.get("target_comparator") else name
        series.append(Series(shown, points, "comparator", periods))
    unit = trend["unit"]
    return line_chart_svg(
        **drawing,
        title=f"({trend['ref']}) {trend['text']}",
        x_labels=tuple(trend["terms"]),
        series=tuple(series),
        unit=unit,
        target=trend["target"],
        target_upper=trend["target_upper"],
        target_label=f"Target {trend['target_text']}" if trend["target"] is not None else "",
        baseline=trend["baseline"],
        baseline_label=_baseline_label(trend),
    )


def _baseline_label(trend: dict) -> str:
    if trend["baseline"] is None:
        return ""
    text = "Baseline " + with_unit(trend["baseline"], trend["unit"])
    return f"{text} ({trend['baseline_period']})" if trend["baseline_period"] else text


@register.simple_tag
def gap_chart(trend: dict, chart_id: str, layout: str = "wide") -> SafeString:
    """Each cohort's percentage-point gap to the headline figure, by term."""
    lines = tuple(Series(g["name"], tuple(g["points"]), "cohort") for g in gaps(trend))
    drawing = _drawing(chart_id, layout)
    return line_chart_svg(
        **drawing,
        title=f"({trend['ref']}) gap to the headline figure, percentage points",
        x_labels=tuple(trend["terms"]),
        series=lines,
        unit="percentage_points",
        target=0.0,
        target_label="No gap",
    )


@register.simple_tag
def trend_table(trend: dict) -> dict:
    """Rows of the data table beside the chart: one per term with any figure."""
    comparators = _comparator_names(trend)
    rows = []
    for index, label in enumerate(trend["terms"]):
        headline = trend["points"][index]
        cohorts = [c["points"][index] for c in trend["cohorts"]]
        if headline is None and not any(cohorts):
            continue
        rows.append(
            {
                "term": label,
                "headline": shown(headline, trend["unit"]),
                "period": (headline or {}).get("data_period", ""),
                "note": (headline or {}).get("note", ""),
                "cohorts": [shown(p, trend["unit"]) for p in cohorts],
                "comparators": [_comparator_cell(headline, n, trend["unit"]) for n in comparators],
            }
        )
    return {
        "rows": rows,
        "cohorts": [c["name"] for c in trend["cohorts"]],
        "comparators": comparators,
        "gaps": gaps(trend),
    }


def shown(point: dict | None, unit: str) -> str:
    """A figure as the table shows it: value, "[c]", no new data, a milestone's state, or a dash."""
    if point is None:
        return "–"
    if point.get("suppressed"):
        return SUPPRESSED
    if point["value"] is not None:
        text = with_unit(point["value"], unit)
        if point.get("numerator") is not None and point.get("denominator") is not None:
            text += f" ({point['numerator']:,} of {point['denominator']:,})"
        return text
    if point.get("no_new_data"):
        return "No new data"
    return point.get("milestone") or "–"


@register.simple_tag
def trend_verdict(trend: dict) -> str:
    """Whether the trend since the baseline reaches a dated target in time, in words.

    Figures are placed at the day their period ends (kpis.periods); the terms come oldest
    first, so where two describe one period the newer reported wins.
    """
    baseline_end = period_end(trend["baseline_period"] or "")
    target_year = year_of(trend["target_period"] or "", like=baseline_end)
    if trend["target"] is None or target_year is None:
        return ""
    if trend.get("target_kind") not in _DATED_KINDS:
        return ""
    if any(p and p.get("suppressed") for p in trend["points"]):
        return "Not judged here: some figures are suppressed in the public version."
    dated, names = [], {}
    for label, p in zip(trend["terms"], trend["points"], strict=True):
        if p and p["value"] is not None:
            period = p.get("data_period") or ""
            year = year_of(period) or year_of(label)
            if year is not None:
                dated.append((year, p["value"]))
                if period in ("", label):  # a term's own figure is named by its term
                    names[year] = label
    baseline_year = year_of(trend["baseline_period"] or "")
    return trajectory(
        baseline_year=baseline_year,
        baseline_value=trend["baseline"],
        points=tuple(dated),
        target_year=target_year,
        target_value=trend["target"],
        polarity=trend["polarity"],
        unit=trend["unit"],
        names=names,
    ).sentence


@register.filter
def with_figures(trends: list[dict]) -> list[dict]:
    """The trends that have at least one figure (or "[c]") to chart."""
    return [t for t in trends if has_figures(t)]


@register.filter
def target_text(kpi) -> str:
    """A KPI's target as the status engine judges it (kpis.trends.target_text)."""
    return _target_text(kpi)


@register.filter
def without_figures(trends: list[dict]) -> list[dict]:
    return [t for t in trends if not has_figures(t)]


@register.filter
def comparison(item: Comparison, unit: str) -> str:
    """A comparator's figure with its name and period, e.g. "England 67.2% (2022/23)"."""
    return item.text(unit)
