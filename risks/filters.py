import django_filters
from django.db.models import QuerySet
from django.utils import timezone

from risks.models import Band, Risk, Status


class RiskFilterSet(django_filters.FilterSet):
    """Filters for a plan's risk register: band, overdue review and status."""

    band = django_filters.ChoiceFilter(
        choices=[(b.value, b.label) for b in reversed(Band)],
        field_name="risk_band",
        empty_label="Any band",
        label="Band",
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", "Review overdue"), ("no", "Review not overdue")],
        method="filter_overdue",
        empty_label="Any",
        label="Review",
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices, empty_label="Open and closed", label="Status"
    )

    class Meta:
        model = Risk
        fields = ["band", "overdue", "status"]

    def filter_overdue(self, queryset: QuerySet[Risk], name: str, value: str) -> QuerySet[Risk]:
        overdue = {"status": Status.OPEN, "review_date__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value == "yes" else queryset.exclude(**overdue)
