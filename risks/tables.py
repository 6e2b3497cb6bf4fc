import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from risks.models import Risk


def band_tag(risk: Risk) -> SafeString:
    """The score with its band in words, the tag's colour a second cue only."""
    return format_html(
        '{} <strong class="govuk-tag {}">{}</strong>', risk.score, risk.band_tag, risk.band.label
    )


def overdue_tag(risk: Risk) -> SafeString:
    if not risk.is_review_overdue:
        return mark_safe("")
    return mark_safe('<strong class="govuk-tag govuk-tag--red">Review overdue</strong>')


class RiskTable(tables.Table):
    """A plan's risk register; its queryset comes from `risks.selectors.risk_register`."""

    reference = tables.Column(verbose_name="Ref")
    title = tables.Column(verbose_name="Risk")
    likelihood = tables.Column(verbose_name="L", attrs={"td": {"class": "eis-num"}})
    impact = tables.Column(verbose_name="I", attrs={"td": {"class": "eis-num"}})
    score = tables.Column(verbose_name="Score", empty_values=(), order_by=("risk_score",))
    owner = tables.Column(verbose_name="Owner", empty_values=(), orderable=False)
    review_date = tables.Column(verbose_name="Review by")
    linked = tables.Column(verbose_name="Actions and areas", empty_values=(), orderable=False)
    status = tables.Column(verbose_name="Status")

    class Meta:
        model = Risk
        fields = ["reference", "title", "likelihood", "impact", "review_date", "status"]
        sequence = ["reference", "title", "likelihood", "impact", "score", "owner", "..."]
        attrs = {"class": "govuk-table eis-table-stack"}

    def render_reference(self, record: Risk) -> SafeString:
        url = reverse("risks:detail", args=[record.pk])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.reference)

    def render_score(self, record: Risk) -> SafeString:
        return band_tag(record)

    def render_owner(self, record: Risk) -> str:
        return record.owner_label

    def render_review_date(self, record: Risk) -> SafeString:
        return format_html("{} {}", f"{record.review_date:%-d %b %Y}", overdue_tag(record))

    def render_linked(self, record: Risk) -> SafeString:
        areas = format_html_join(", ", "{}", ((a.code or a.number,) for a in record.areas.all()))
        actions = format_html_join(
            ", ",
            '<a class="govuk-link" href="{}">{}</a>',
            ((reverse("kpis:action", args=[a.pk]), a.code) for a in record.actions.all()),
        )
        return format_html("{}{}{}", areas, "; " if areas and actions else "", actions) or "–"
