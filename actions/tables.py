import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from actions.models import Action, Rating


def rating_tag(rating: str | None) -> str:
    """A rating as its word, with colour as a second cue only."""
    if not rating:
        return mark_safe('<span class="eis-rating eis-rating--none">No update</span>')
    return format_html(
        '<span class="eis-rating eis-rating--{}">{}</span>', rating, Rating(rating).label
    )


class ActionTable(tables.Table):
    code = tables.Column(verbose_name="Code", order_by=("position",))
    text = tables.Column(verbose_name="Action")
    sector = tables.Column(order_by=("sector__position",))
    lead_description = tables.Column(verbose_name="Lead", empty_values=())
    kpi_count = tables.Column(verbose_name="KPIs", attrs={"td": {"class": "eis-num"}})
    latest_rating = tables.Column(verbose_name="Latest rating", empty_values=())

    class Meta:
        model = Action
        fields = ["code", "text", "sector", "lead_description", "kpi_count", "latest_rating"]
        template_name = "django_tables2/govuk.html"
        attrs = {"class": "govuk-table"}
        order_by = "code"
        per_page = 25

    def render_code(self, record: Action) -> str:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>',
            reverse("actions:detail", args=[record.pk]),
            record.code,
        )

    def render_text(self, value: str) -> str:
        return value if len(value) <= 160 else value[:157].rstrip() + "…"

    def render_lead_description(self, value: str, record: Action) -> str:
        """The plan's own words for the lead, else the officers who update the action."""
        if value:
            return value
        names = [u.get_full_name() or u.username for u in record.leads.all()]
        return ", ".join(names) or "Not yet assigned"

    def render_latest_rating(self, value: str | None) -> str:
        return rating_tag(value)
