from datetime import date

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from actions.models import Action, Movement, Rating
from actions.schedule import Schedule


def rating_tag(rating: str | None) -> str:
    """A rating as its word, with colour as a second cue only."""
    if not rating:
        return mark_safe('<span class="eis-rating eis-rating--none">No update</span>')
    return format_html(
        '<span class="eis-rating eis-rating--{}">{}</span>', rating, Rating(rating).label
    )


def schedule_tag(status: str | None) -> str:
    """A schedule status as its words, in the colour of the rating it matches; none: ""."""
    if not status:
        return ""
    return format_html(
        '<span class="eis-rating eis-rating--{} eis-schedule">{}</span>',
        Schedule.COLOURS[status],
        Schedule.LABELS[status],
    )


def rating_word(rating: str | None) -> str:
    return Rating(rating).label if rating else "No update"


def lead_names(action: Action) -> str:
    """The plan's own words for the lead, else the officers who update the action."""
    if action.lead_description:
        return action.lead_description
    names = [u.get_full_name() or u.username for u in action.leads.all()]
    return ", ".join(names) or "Not yet assigned"


class TermTable(tables.Table):
    """A table of rows read as at a term; `terms` (all reporting terms) names other terms."""

    def __init__(self, data, *args, terms=(), plan=None, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.terms = {term.pk: term for term in terms}
        # The list's one plan: every row is of it (actions.views.term_list filters by it).
        self.plan = plan

    def value_plan(self, record) -> str:
        """A download's Plan column: the table's plan, never a query per row."""
        return self.plan.name


class ActionTable(TermTable):
    code = tables.Column(verbose_name="Code", order_by=("position",))
    commitment = tables.Column(visible=False)
    text = tables.Column(verbose_name="Action")
    sector = tables.Column(order_by=("sector__position",))
    lead_description = tables.Column(verbose_name="Lead", empty_values=())
    kpi_count = tables.Column(verbose_name="KPIs", attrs={"td": {"class": "eis-num"}})
    rating = tables.Column(verbose_name="Rating", empty_values=(), order_by=("rating_order",))
    previous_rating = tables.Column(verbose_name="Previous rating", visible=False, empty_values=())
    movement = tables.Column(verbose_name="Since previous term", empty_values=())
    due_date = tables.DateColumn(
        verbose_name="Due", format="j M Y", order_by=("due_date", "position"), visible=False
    )
    schedule = tables.Column(
        verbose_name="Schedule", empty_values=(), order_by=("due_date", "position"), visible=False
    )
    # The table's plan (every row is of it), never a query per row.
    plan = tables.Column(
        verbose_name="Plan", accessor="pk", visible=False, orderable=False, empty_values=()
    )

    class Meta:
        model = Action
        fields = ["code", "commitment", "text", "sector", "lead_description", "kpi_count"]
        sequence = ["code", "commitment", "text", "sector", "lead_description", "kpi_count", "..."]
        attrs = {"class": "govuk-table eis-table-stack"}
        order_by = "code"
        per_page = 25

    def __init__(self, data, *args, plan=None, **kwargs) -> None:
        super().__init__(data, *args, plan=plan, **kwargs)
        # A plan that dates its actions (the SEND plan) shows when each is due and whether
        # it is on schedule; one that does not (the strategy) has no such columns.
        if plan is not None and plan.actions.filter(due_date__isnull=False).exists():
            self.columns.show("due_date")
            self.columns.show("schedule")

    def render_code(self, record: Action) -> str:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("kpis:action", args=[record.pk]),
            record.code,
        )

    def value_code(self, record: Action) -> str:
        return record.code

    def render_text(self, value: str) -> str:
        return value if len(value) <= 160 else value[:157].rstrip() + "…"

    def value_text(self, value: str) -> str:
        return value

    def render_lead_description(self, record: Action) -> str:
        return lead_names(record)

    def render_rating(self, value: str | None) -> str:
        return rating_tag(value)

    def value_rating(self, value: str | None) -> str:
        return rating_word(value)

    def value_previous_rating(self, value: str | None) -> str:
        return rating_word(value)

    def render_movement(self, value: str) -> str:
        return Movement(value).label

    def value_due_date(self, value: date | None) -> date | None:
        # The date itself, so a spreadsheet holds a date, not the page's "20 Mar 2026".
        return value

    def render_schedule(self, value: str | None) -> str:
        return schedule_tag(value) or "No due date"

    def value_schedule(self, value: str | None) -> str:
        return Schedule.LABELS.get(value, "")
