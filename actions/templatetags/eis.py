"""Template helpers shared by every app's templates."""

from decimal import Decimal

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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
    counted = getattr(field.field, "character_limit", None)
    classes = [css, f"{css}--error" if field.errors else "", extra]
    classes.append("govuk-js-character-count" if counted else "")
    attrs = {"class": " ".join(c for c in classes if c)}
    described_by = [f"{field.auto_id}-info"] if counted else []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    fast = _FAST_RENDERERS.get(type(widget))
    if fast is None and isinstance(widget, forms.TextInput):
        fast = _input  # text inputs with their own formatting, e.g. kpis.forms.FigureInput
    return fast(field, widget, attrs) if fast else field.as_widget(attrs=attrs)


# Django renders every widget through a template, about half a millisecond each; the
# update page has well over a hundred, so the plain ones are written here directly.
# tests/test_govuk_widgets.py checks that they match Django's own output.
def _final_attrs(field: BoundField, widget: forms.Widget, attrs: dict) -> dict:
    final = widget.build_attrs(widget.attrs, field.build_widget_attrs(attrs, widget))
    final.setdefault("id", field.auto_id)
    return final


def _input(field: BoundField, widget: forms.widgets.Input, attrs: dict) -> str:
    value = widget.format_value(field.value())
    shown = format_html(' value="{}"', value) if value is not None else ""
    final = flatatt(_final_attrs(field, widget, attrs))
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget.input_type, field.html_name, shown, final
    )


def _textarea(field: BoundField, widget: forms.Textarea, attrs: dict) -> str:
    value = widget.format_value(field.value()) or ""
    final = flatatt(_final_attrs(field, widget, attrs))
    return format_html('<textarea name="{}"{}>\n{}</textarea>', field.html_name, final, value)


def _select(field: BoundField, widget: forms.Select, attrs: dict) -> str:
    chosen = {str(v) for v in widget.format_value(field.value())}
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (v, mark_safe(" selected") if str(v) in chosen else "", label)
            for v, label in widget.choices
        ),
    )
    final = flatatt(_final_attrs(field, widget, attrs))
    return format_html('<select name="{}"{}>{}</select>', field.html_name, final, options)


def _checkbox(field: BoundField, widget: forms.CheckboxInput, attrs: dict) -> str:
    final = _final_attrs(field, widget, attrs)
    if widget.check_test(field.value()):
        final["checked"] = True
    return format_html('<input type="checkbox" name="{}"{}>', field.html_name, flatatt(final))


_FAST_RENDERERS = {
    forms.TextInput: _input,
    forms.EmailInput: _input,
    forms.Textarea: _textarea,
    forms.Select: _select,
    forms.CheckboxInput: _checkbox,
}


@register.filter(name="with_unit")
def with_unit_filter(value: Decimal | None, unit: str) -> str:
    """A figure in its unit's words, e.g. 92.5%, £12,000, 14 days; a dash if there is none."""
    return with_unit(value, unit)


@register.filter
def person(user, nobody: str = "–") -> str:
    """A user's full name, else username; `nobody` when there is no user (e.g. a command)."""
    if user is None:
        return nobody
    return user.get_full_name() or user.username
