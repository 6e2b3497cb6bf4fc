"""Template helpers shared by every app's templates."""

from decimal import Decimal

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundField

from bury_eis.formatting import with_unit

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
def govuk(field: BoundField, extra: str = "") -> str:
    """Render a field's widget with its GOV.UK class, error state and described-by ids.

    `extra` adds classes, e.g. a width: {{ form.value|govuk:"govuk-input--width-10" }}.
    """
    widget = field.field.widget
    css = next((c for t, c in _WIDGET_CLASSES if isinstance(widget, t)), "govuk-input")
    classes = [css, f"{css}--error" if field.errors else "", extra]
    attrs = {"class": " ".join(c for c in classes if c)}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter(name="with_unit")
def with_unit_filter(value: Decimal | None, unit: str) -> str:
    """A figure in its unit's words, e.g. 92.5%, £12,000, 14 days; a dash if there is none."""
    return with_unit(value, unit)
