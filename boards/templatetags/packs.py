"""Template helpers for board packs: the demo marking and each KPI's latest figure with the
comparator figures recorded beside it."""

from django import template

from boards.packs import DEMO_MARKING, is_demo
from kpis.comparisons import newest_from_points
from kpis.templatetags.trends import shown

register = template.Library()


@register.filter
def pack_demo(content: dict) -> bool:
    """Whether the pack's frozen content holds demo data."""
    return is_demo(content)


@register.simple_tag
def demo_marking() -> str:
    return DEMO_MARKING


@register.simple_tag
def latest_figure(trend: dict) -> dict | None:
    """The KPI's newest all-pupil figure in the pack ("[c]" where withheld), the term it was
    reported in and the period it describes, with each comparator's newest figure. A term
    with no new data or only a milestone's state is passed over for an earlier figure."""
    dated = list(zip(trend["terms"], trend["points"], strict=True))
    figures = [(t, p) for t, p in dated if p and (p["value"] is not None or p.get("suppressed"))]
    others = [(t, p) for t, p in dated if p and shown(p, trend["unit"]) != "–"]
    if not (figures or others):
        return None
    label, point = (figures or others)[-1]
    return {
        "term": label,
        "figure": shown(point, trend["unit"]),
        "period": point.get("data_period") or "",
        "comparators": [
            {"text": c.text(trend["unit"])} for c in newest_from_points(trend["points"])
        ],
    }
