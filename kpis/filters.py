import django_filters
from django.db.models import QuerySet

from actions.filters import LeadFilter, RemitFilterSet, leads
from actions.models import Commitment, Movement, Sector
from actions.selectors import movement_case
from kpis.models import KPI, KPIStatus

NO_FIGURE = "none"


class KPIFilterSet(RemitFilterSet):
    """Filters for the KPI list, read as at a term; `q` searches the measure and its action."""

    action_path = "action__"
    plan_path = "action__plan"
    search_fields = ("text", "data_source", "action__code", "action__text")
    q = django_filters.CharFilter(method="search", label="Search")
    commitment = django_filters.ModelChoiceFilter(
        field_name="action__commitment",
        queryset=Commitment.objects.all(),
        empty_label="All commitments",
        label="Commitment",
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="action__sector",
        queryset=Sector.objects.all(),
        empty_label="All sectors",
        label="Sector",
    )
    lead = LeadFilter(
        field_name="action__leads", queryset=leads, empty_label="Any lead", label="Lead"
    )
    status = django_filters.ChoiceFilter(
        choices=[*KPIStatus.choices, (NO_FIGURE, "No approved figure")],
        method="filter_status",
        empty_label="Any status",
        label="Status against target",
    )
    movement = django_filters.ChoiceFilter(
        choices=[(m.value, m.label) for m in Movement if m != Movement.NO_UPDATE],
        method="filter_movement",
        empty_label="Any movement",
        label="Since the previous term",
    )
    stale = django_filters.ChoiceFilter(
        choices=[("yes", "No approved figure this term"), ("no", "Approved figure this term")],
        method="filter_stale",
        empty_label="Any",
        label="Reported",
    )

    class Meta:
        model = KPI
        fields = [
            "plan",
            "term",
            "q",
            "commitment",
            "sector",
            "lead",
            "status",
            "movement",
            "stale",
        ]

    def filter_status(self, queryset: QuerySet[KPI], name: str, value: str) -> QuerySet[KPI]:
        if value == NO_FIGURE:
            return queryset.filter(status__isnull=True)
        return queryset.filter(status=value)

    def filter_movement(self, queryset: QuerySet[KPI], name: str, value: str) -> QuerySet[KPI]:
        # Only here is movement worked out in SQL: the table shows it from the two
        # statuses it already has, so unfiltered pages do not pay for the CASE.
        moved = queryset.annotate(movement=movement_case("previous_status", "status"))
        return moved.filter(movement=value)

    def filter_stale(self, queryset: QuerySet[KPI], name: str, value: str) -> QuerySet[KPI]:
        return queryset.filter(reported=value == "no")
