from django.contrib import admin

from actions.models import TermException
from bury_eis.audit import HistoryAdmin, ViewOnlyAdminMixin
from kpis.models import KPI, Cohort, Comparator, ComparatorValue, KPIValue
from kpis.updates import term_exception_grant


@admin.register(Cohort)
class CohortAdmin(HistoryAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Comparator)
class ComparatorAdmin(HistoryAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class KPIValueInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = KPIValue
    fields = ["term", "data_period", "cohort", "value", "numerator", "denominator", "status"]
    readonly_fields = ["status"]
    extra = 0
    show_change_link = True


@admin.register(KPI)
class KPIAdmin(HistoryAdmin):
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
    filter_horizontal = ["breakdown_cohorts", "comparators"]
    inlines = [KPIValueInline]

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
    readonly_fields = ["status", "created_at", "updated_at"]
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
