"""Template helpers for the risk pages and summaries."""

from datetime import date

from django import template
from django.forms.boundfield import BoundField

from risks.selectors import action_risks

register = template.Library()


@register.filter
def iso_date(text: str) -> date | None:
    """A date kept as ISO text in frozen content (a board pack), as a date to format."""
    return date.fromisoformat(text) if text else None


@register.simple_tag
def date_parts(field: BoundField) -> list[dict]:
    """The day, month and year boxes of a date input: label, name, value, id and width."""
    widget = field.field.widget
    context = widget.get_context(field.html_name, field.value(), {"id": field.auto_id})
    labels = (("Day", 2), ("Month", 2), ("Year", 4))
    return [
        {"label": label, "width": width, **part}
        for (label, width), part in zip(labels, context["widget"]["subwidgets"], strict=True)
    ]


@register.simple_tag
def risks_of(action) -> list:
    """The risks an action bears on (one query). A tag rather than a view's context,
    because the action page belongs to kpis, which sits below risks and may not import it."""
    return action_risks(action)
