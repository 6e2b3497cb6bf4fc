import django_filters
from django.db.models import Q, QuerySet

from actions.models import Action, Commitment, Rating, Sector


class ActionFilterSet(django_filters.FilterSet):
    """Filters for the action list; `q` searches code, text, outcome and lead."""

    q = django_filters.CharFilter(method="search", label="Search")
    commitment = django_filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(), empty_label="All commitments"
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), empty_label="All sectors"
    )
    rating = django_filters.ChoiceFilter(
        field_name="latest_rating",
        choices=[*Rating.choices, ("none", "No approved update")],
        method="filter_rating",
        empty_label="Any rating",
        label="Latest rating",
    )

    class Meta:
        model = Action
        fields = ["q", "commitment", "sector", "rating"]

    def search(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value)
            | Q(text__icontains=value)
            | Q(outcome__icontains=value)
            | Q(lead_description__icontains=value)
        )

    def filter_rating(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        if value == "none":
            return queryset.filter(latest_rating__isnull=True)
        return queryset.filter(latest_rating=value)
