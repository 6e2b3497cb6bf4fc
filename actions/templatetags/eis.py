"""Template helpers shared by every app's templates."""

from decimal import Decimal

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundField

register = template.Library()

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.Select, "govuk-select"),
    (forms.Textarea, "govuk-textarea"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.widgets.Input, "govuk-input"),
]


@register.simple_tag
def elided_pages(page: Page) -> list:
    """Page numbers around the current one, with ellipses, for long lists."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@register.filter
def govuk(field: BoundField) -> str:
    """Render a field's widget with its GOV.UK class, error state and described-by ids."""
    widget = field.field.widget
    css = next((c for t, c in _WIDGET_CLASSES if isinstance(widget, t)), "govuk-input")
    attrs = {"class": f"{css} {css}--error" if field.errors else css}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


def _figure(value: Decimal | float | int) -> str:
    """A number without trailing zeros and with thousands separators: 92.5, 1,250, -0.12."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return f"{number:,f}"


_UNIT_FORMATS = {
    "percent": "{}%",
    "percentage_points": "{} percentage points",
    "money": "£{}",
    "days": "{} days",
    "weeks": "{} weeks",
    "rate_per_10000": "{} per 10,000",
}


@register.filter
def with_unit(value: Decimal | None, unit: str) -> str:
    """A figure in its unit's words, e.g. 92.5%, £12,000, 14 days; a dash if there is none."""
    if value is None or value == "":
        return "–"
    text = _figure(value)
    if unit == "money" and text.startswith("-"):
        return f"-£{text[1:]}"
    return _UNIT_FORMATS.get(unit, "{}").format(text)
