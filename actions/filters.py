import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from actions.models import Action, Commitment, Movement, Plan, Rating, Sector
from actions.schedule import Schedule, with_schedule


class PersonChoiceField(forms.ModelChoiceField):
    """Users by full name, as board members know them, not by login name."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class LeadFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


def leads(request=None) -> QuerySet:
    """Users who lead at least one live action; called per form, never at import time."""
    # One live action each is enough: a subquery a user (there are few) stops at the first,
    # where EXISTS or a join would be planned as a pass over every action and its leads.
    live = Action.leads.through.objects.filter(
        user_id=OuterRef("pk"), action__retired_at__isnull=True
    ).values("action_id")[:1]
    return (
        get_user_model()
        .objects.annotate(live_action=Subquery(live))
        .filter(live_action__isnull=False)
        .order_by("first_name", "last_name", "username")
    )


def ids(value: str) -> list[int]:
    """ "1,3" -> [1, 3]; anything that is not a number is ignored."""
    return [int(part) for part in value.split(",") if part.strip().isdigit()]


class TermFilterSet(django_filters.FilterSet):
    """A FilterSet whose rows are read as at one reporting term, chosen by `term`.

    The view resolves the term (the queryset's annotations depend on it) and
    passes the terms and the chosen one here, so the form shows that choice.
    """

    # How the list's model reaches its plan; the view filters the rows by it.
    plan_path = "plan"
    plan = django_filters.ChoiceFilter(method="keep", label="Plan", empty_label=None)
    term = django_filters.ChoiceFilter(method="keep", label="Reporting period", empty_label=None)

    def __init__(self, data=None, *args, terms=(), term=None, plan=None, **kwargs) -> None:
        data = data.copy() if data is not None else None
        if data is not None and term is not None:
            data["term"] = str(term.pk)
        if data is not None and plan is not None:
            data["plan"] = plan.slug
        super().__init__(data, *args, **kwargs)
        self.filters["term"].extra["choices"] = [
            (str(t.pk), f"{t.label} (published)" if t.is_published else t.label) for t in terms
        ]
        self.filters["plan"].extra["choices"] = list(
            Plan.objects.order_by("position").values_list("slug", "name")
        )
        if plan is not None:
            self._levels(plan)

    def _levels(self, plan: Plan) -> None:
        """The plan's own first and second levels, in its own words."""
        for name, model, label, plural in (
            ("commitment", Commitment, plan.area_name, plan.area_name_plural),
            ("sector", Sector, plan.group_name, plan.group_name_plural),
        ):
            if name in self.filters:
                # ModelChoiceFilter keeps its queryset as an attribute, read as the form is made.
                self.filters[name].queryset = model.objects.filter(plan=plan)
                self.filters[name].extra["empty_label"] = f"All {plural.lower()}"
                self.filters[name].label = label

    def keep(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset


class RemitFilterSet(TermFilterSet):
    """A term's list that a board's dashboard links to with its remit.

    The remit travels as hidden comma-separated ids; `action_path` is how the
    list's model reaches its action ("" for actions, "action__" for KPIs).
    """

    action_path = ""
    # The fields the free-text `q` filter looks in.
    search_fields: tuple[str, ...] = ()
    commitments = django_filters.CharFilter(method="in_commitments", widget=forms.HiddenInput)
    sectors = django_filters.CharFilter(method="in_sectors", widget=forms.HiddenInput)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        matches = Q()
        for field in self.search_fields:
            matches |= Q(**{f"{field}__icontains": value})
        return queryset.filter(matches)

    def in_commitments(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{self.action_path}commitment_id__in": ids(value)})

    def in_sectors(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{self.action_path}sector_id__in": ids(value)})


class ActionFilterSet(RemitFilterSet):
    """Filters for the action list; `q` searches code, text, outcome and lead."""

    search_fields = ("code", "text", "outcome", "lead_description")
    q = django_filters.CharFilter(method="search", label="Search")
    commitment = django_filters.ModelChoiceFilter(
        queryset=Commitment.objects.all(), empty_label="All commitments"
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), empty_label="All sectors"
    )
    lead = LeadFilter(field_name="leads", queryset=leads, empty_label="Any lead", label="Lead")
    rating = django_filters.ChoiceFilter(
        choices=[*Rating.choices, ("none", "No approved update")],
        method="filter_rating",
        empty_label="Any rating",
        label="Rating",
    )
    movement = django_filters.ChoiceFilter(
        choices=Movement.choices, empty_label="Any movement", label="Since the previous term"
    )
    stale = django_filters.ChoiceFilter(
        choices=[("yes", "No approved update this term"), ("no", "Approved update this term")],
        method="filter_stale",
        empty_label="Any",
        label="Reported",
    )

    schedule = django_filters.ChoiceFilter(
        choices=[*Schedule.CHOICES, ("none", "No due date")],
        method="filter_schedule",
        empty_label="Any",
        label="Schedule",
    )

    def __init__(self, data=None, queryset=None, *args, plan=None, **kwargs) -> None:
        self.scheduled_by = plan
        super().__init__(data, self._scheduled(queryset), *args, plan=plan, **kwargs)

    def _scheduled(self, queryset: QuerySet | None) -> QuerySet | None:
        """Each action's schedule status today, by the plan's own due-soon window."""
        if queryset is None or self.scheduled_by is None:
            return queryset
        return with_schedule(queryset, timezone.localdate(), self.scheduled_by.due_soon_weeks)

    class Meta:
        model = Action
        fields = [
            "plan",
            "term",
            "q",
            "commitment",
            "sector",
            "lead",
            "rating",
            "movement",
            "stale",
            "schedule",
        ]

    # The filters that read an action's standing (`selectors.with_standing`).
    standing_filters = ("rating", "movement", "stale")

    def counted(self, plain: QuerySet[Action]) -> QuerySet[Action] | None:
        """`plain` (the same rows without their standing) with the filters in use applied,
        for the pager to count; None if a filter in use reads the standing."""
        if not self.is_valid():
            return None
        if any(self.form.cleaned_data.get(name) for name in self.standing_filters):
            return None
        return self.filter_queryset(self._scheduled(plain))

    def filter_rating(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        if value == "none":
            return queryset.filter(rating__isnull=True)
        return queryset.filter(rating=value)

    def filter_stale(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet[Action]:
        return queryset.filter(rating__isnull=value == "yes")

    def filter_schedule(self, queryset: QuerySet[Action], name: str, value: str) -> QuerySet:
        if value == "none":
            return queryset.filter(schedule__isnull=True)
        return queryset.filter(schedule=value)
