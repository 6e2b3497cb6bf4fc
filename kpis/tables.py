from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from actions.models import movement
from actions.tables import TermTable, lead_names
from bury_eis.formatting import plain_number, with_unit
from kpis.comparisons import Comparison, newest, slot_headers, slot_names
from kpis.models import KPI, KPIStatus
from kpis.status import effective_target
from kpis.trends import target_text, target_words


def status_tag(status: str | None) -> str:
    """A KPI's status as its word, with colour as a second cue only."""
    if not status:
        return mark_safe('<span class="eis-rating eis-rating--none">No figure</span>')
    return format_html(
        '<span class="eis-rating eis-rating--{}">{}</span>', status, KPIStatus(status).label
    )


def status_word(status: str | None) -> str:
    return KPIStatus(status).label if status else "No figure"


class KPITable(TermTable):
    """KPIs as at a term: each measure's newest approved all-pupil figure and its status,
    and each comparator's newest figure beside it with the period that figure describes.

    Exports give each comparator three columns (name, value, period), the same comparator
    in the same columns on every row.
    """

    action = tables.Column(verbose_name="Action", order_by=("action__position", "position"))
    ref = tables.Column(verbose_name="Ref", orderable=False)
    commitment = tables.Column(accessor="action__commitment", visible=False)
    text = tables.Column(verbose_name="Measure")
    sector = tables.Column(accessor="action__sector", order_by=("action__sector__position",))
    lead = tables.Column(verbose_name="Lead", accessor="action", orderable=False)
    unit = tables.Column(verbose_name="Unit", visible=False)
    target = tables.Column(verbose_name="Target", empty_values=(), orderable=False)
    target_words = tables.Column(
        verbose_name="Target in words", visible=False, empty_values=(), orderable=False
    )
    latest_value = tables.Column(verbose_name="Latest figure", empty_values=())
    latest_period = tables.Column(verbose_name="Period", visible=False, empty_values=())
    latest_term_id = tables.Column(verbose_name="Reported in", visible=False, empty_values=())
    comparators = tables.Column(verbose_name="Comparators", empty_values=(), orderable=False)
    status = tables.Column(verbose_name="Status", empty_values=(), order_by=("status_order",))
    status_reason = tables.Column(verbose_name="Why", visible=False, empty_values=())
    previous_status = tables.Column(verbose_name="Previous status", visible=False, empty_values=())
    movement = tables.Column(verbose_name="Since previous term", empty_values=(), orderable=False)
    # The table's plan (every row is of it), never a query per row.
    plan = tables.Column(
        verbose_name="Plan", accessor="pk", visible=False, orderable=False, empty_values=()
    )

    class Meta:
        model = KPI
        fields = []
        attrs = {"class": "govuk-table eis-table-stack eis-kpi-table"}
        order_by = "action"
        per_page = 25

    def render_action(self, record: KPI) -> str:
        return format_html(
            '<a class="govuk-link" href="{}#kpi-{}">{}<span class="govuk-visually-hidden">'
            " KPI ({})</span></a>",
            reverse("kpis:action", args=[record.action_id]),
            record.ref,
            record.action.code,
            record.ref,
        )

    def value_action(self, record: KPI) -> str:
        return record.action.code

    def render_ref(self, value: str) -> str:
        return f"({value})"

    def value_ref(self, value: str) -> str:
        return value

    def render_text(self, value: str) -> str:
        return value if len(value) <= 160 else value[:157].rstrip() + "…"

    def value_text(self, value: str) -> str:
        return value

    def render_lead(self, record: KPI) -> str:
        return lead_names(record.action)

    def value_unit(self, record: KPI) -> str:
        return record.get_unit_display()

    def render_target(self, record: KPI) -> str:
        return target_text(record)

    def value_target(self, record: KPI) -> Decimal | None:
        # The number a figure must reach, in the Unit column's unit; the words beside it.
        return plain_number(effective_target(record))

    def value_target_words(self, record: KPI) -> str:
        return target_words(target_text(record), effective_target(record), record.unit)

    def render_latest_value(self, record: KPI) -> str:
        if record.status is None:
            return "–"
        figure = with_unit(record.latest_value, record.unit)
        return format_html(
            '{}<br><span class="govuk-body-s eis-muted">{}, reported {}</span>',
            figure,
            record.latest_period,
            self.value_latest_term_id(record.latest_term_id),
        )

    def value_latest_value(self, record: KPI) -> Decimal | None:
        # A number for spreadsheets (Excel stored "38.7" as text): no unit, no exponent.
        return plain_number(record.latest_value)

    def value_latest_term_id(self, value: int | None) -> str:
        term = self.terms.get(value)
        return term.label if term else ""

    def render_comparators(self, record: KPI) -> str:
        items = [c.text(record.unit) for c in comparisons(record)]
        if not items:
            return "–"
        return format_html(
            '<ul class="govuk-list govuk-body-s eis-comparisons">{}</ul>',
            format_html_join("", "<li>{}</li>", ((item,) for item in items)),
        )

    def as_values(self, exclude_columns=None):
        """The rows for a spreadsheet, each comparator's figure as name, value and period."""
        rows = super().as_values([*(exclude_columns or ()), "comparators"])
        header = next(rows)
        records = [row.record for row in self.rows]
        names = slot_names(c for record in records for c in comparisons(record))
        yield [*header, *slot_headers(max(len(names), 1))]
        for record, row in zip(records, rows, strict=True):
            by_name = {c.name: c for c in comparisons(record)}
            cells = [_comparator_cells(by_name.get(name)) for name in names]
            yield [*row, *(cell for triple in cells for cell in triple)]

    def render_status(self, record: KPI) -> str:
        if not record.status_reason:
            return status_tag(record.status)
        return format_html(
            '{}<br><span class="govuk-body-s">{}</span>',
            status_tag(record.status),
            record.status_reason,
        )

    def value_status(self, value: str | None) -> str:
        return status_word(value)

    def value_previous_status(self, value: str | None) -> str:
        return status_word(value)

    def render_movement(self, record: KPI) -> str:
        return movement(record.previous_status, record.status).label

    def value_movement(self, record: KPI) -> str:
        return self.render_movement(record)


def comparisons(record: KPI) -> list[Comparison]:
    """The KPI's comparator figures as the list shows them (kpis.selectors.kpi_list)."""
    return newest(
        Comparison(v.compared_name, v.compared_value, v.compared_period, v.compared_position)
        for v in record.compared
    )


def _comparator_cells(item: Comparison | None) -> tuple[str, Decimal | None, str]:
    if item is None:
        return "", None, ""
    return item.name, plain_number(item.value), item.period
