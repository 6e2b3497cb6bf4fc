"""The admin for KPIs and their figures, and for the records whose edits change what
dashboards count: terms, actions, KPIs, cohorts and comparators work out again the statuses
of the figures they touch (kpis.status.restatus) and keep their actions' standings current
(kpis.standings), so they are registered here, above actions, where those services live.
"""

from django.contrib import admin

from actions.admin import ProgressUpdateInline
from actions.models import Action, Term, TermException
from bury_eis.audit import HistoryAdmin, ViewOnlyAdminMixin
from kpis.models import KPI, Cohort, Comparator, ComparatorValue, KPIValue
from kpis.standings import standings_refresh
from kpis.status import restatus
from kpis.updates import term_exception_grant


class KeepsStandings:
    """For a ModelAdmin: after a save or delete, work out again the statuses of the figures
    it touched and the standings that count them.

    `touched(obj)` names the actions an object counts towards (None for all of them); both
    the stored object's and the edited one's are refreshed, so a KPI moved between actions
    leaves neither count behind. The admin runs each change in one transaction.
    """

    def touched(self, obj) -> list[int] | None:
        raise NotImplementedError

    def _refresh(self, *objs) -> None:
        ids: set[int] = set()
        for obj in objs:
            found = self.touched(obj)
            if found is None:
                restatus()
                standings_refresh()
                return
            ids.update(found)
        restatus(KPI.objects.filter(action_id__in=ids).values_list("pk", flat=True))
        standings_refresh(actions=ids)

    def save_model(self, request, obj, form, change: bool) -> None:
        stored = type(obj).objects.get(pk=obj.pk) if change else obj
        super().save_model(request, obj, form, change)
        self._refresh(stored, obj)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        self._refresh(obj)

    def delete_queryset(self, request, queryset) -> None:
        objs = list(queryset)
        super().delete_queryset(request, queryset)
        self._refresh(*objs)


@admin.register(Term)
class TermAdmin(KeepsStandings, HistoryAdmin):
    list_display = [
        "label",
        "plan",
        "academic_year",
        "season",
        "start_date",
        "end_date",
        "due_date",
        "is_locked",
    ]
    list_filter = ["plan", "academic_year", "season", "is_locked"]

    def touched(self, obj: Term) -> None:
        return None  # a term's dates decide which term comes before which, for every action


@admin.register(Action)
class ActionAdmin(KeepsStandings, HistoryAdmin):
    list_display = ["code", "short_text", "commitment", "sector", "lead_description", "retired_at"]
    list_filter = ["commitment", "sector", ("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["code", "text", "outcome", "lead_description"]
    list_select_related = ["commitment", "sector"]
    autocomplete_fields = ["leads"]
    inlines = [ProgressUpdateInline]

    def touched(self, obj: Action) -> list[int]:
        return [obj.pk]

    @admin.display(description="Action")
    def short_text(self, obj: Action) -> str:
        return obj.text[:80]


class NamedInReasons(KeepsStandings):
    """Cohorts and comparators: their codes find figures and their names are in statuses'
    reasons ("No Greater Manchester figure for 2023/24"), so KPIs whose targets name them
    are judged again."""

    field = ""

    def touched(self, obj) -> list[int]:
        if obj.pk is None:
            return []
        return list(KPI.objects.filter(**{self.field: obj.pk}).values_list("action_id", flat=True))


@admin.register(Cohort)
class CohortAdmin(NamedInReasons, HistoryAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    field = "target_cohort"


@admin.register(Comparator)
class ComparatorAdmin(NamedInReasons, HistoryAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    field = "target_comparator"


class KPIValueInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = KPIValue
    fields = [
        "term",
        "data_period",
        "cohort",
        "value",
        "numerator",
        "denominator",
        "status",
        "status_reason",
    ]
    readonly_fields = ["status", "status_reason"]
    extra = 0
    show_change_link = True


@admin.register(KPI)
class KPIAdmin(KeepsStandings, HistoryAdmin):
    list_display = ["__str__", "short_text", "unit", "polarity", "target_kind", "target_not_agreed"]
    list_filter = [
        "action__commitment",
        "action__sector",
        "unit",
        "polarity",
        "target_kind",
        "target_not_agreed",
    ]
    search_fields = ["action__code", "text", "data_source"]
    list_select_related = ["action"]
    raw_id_fields = ["action"]
    # A priority area's measure keeps the area it was imported under; its other areas may change.
    readonly_fields = ["area"]
    filter_horizontal = ["breakdown_cohorts", "comparators"]
    inlines = [KPIValueInline]

    def touched(self, obj: KPI) -> list[int]:
        return [obj.action_id]

    @admin.display(description="Measure")
    def short_text(self, obj: KPI) -> str:
        return obj.text[:80]


class ComparatorValueInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = ComparatorValue
    extra = 0


@admin.register(KPIValue)
class KPIValueAdmin(ViewOnlyAdminMixin, HistoryAdmin):
    list_display = [
        "kpi",
        "term",
        "cohort",
        "data_period",
        "value",
        "status",
        "maturity",
        "is_demo",
    ]
    list_filter = ["term", "cohort", "status", "maturity", "kpi__action__commitment", "is_demo"]
    search_fields = ["kpi__action__code", "kpi__text", "data_period"]
    list_select_related = ["kpi__action", "term", "cohort"]
    raw_id_fields = ["kpi"]
    readonly_fields = ["status", "status_reason", "created_at", "updated_at"]
    inlines = [ComparatorValueInline]


@admin.register(TermException)
class TermExceptionAdmin(HistoryAdmin):
    """Admins grant an exception here; who granted it is recorded, never typed.

    Registered here, not with the model in actions, because granting goes through the
    termly round's service (kpis.updates), which reopens the update with its history.
    """

    list_display = ["action", "term", "reason", "granted_by", "granted_at", "closed_at"]
    list_filter = ["term", ("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["action__code", "reason"]
    raw_id_fields = ["action"]
    fields = ["action", "term", "reason", "granted_by", "granted_at", "closed_at"]
    readonly_fields = ["granted_by", "granted_at", "closed_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def save_model(self, request, obj: TermException, form, change: bool) -> None:
        # Granting reopens a submitted or approved update, with history: the service does it.
        granted = term_exception_grant(
            action=obj.action, term=obj.term, user=request.user, reason=obj.reason
        )
        obj.pk, obj.granted_by, obj.granted_at = granted.pk, granted.granted_by, granted.granted_at
