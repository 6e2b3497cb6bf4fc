from django.contrib import admin

from kpis.models import KPI, Cohort, Comparator, ComparatorValue, KPIValue, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "academic_year",
        "season",
        "start_date",
        "end_date",
        "due_date",
        "is_locked",
    ]
    list_filter = ["academic_year", "season", "is_locked"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(Comparator)
class ComparatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


class KPIValueInline(admin.TabularInline):
    model = KPIValue
    fields = ["term", "data_period", "cohort", "value", "numerator", "denominator", "status"]
    readonly_fields = ["status"]
    extra = 0
    show_change_link = True


@admin.register(KPI)
class KPIAdmin(admin.ModelAdmin):
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


class ComparatorValueInline(admin.TabularInline):
    model = ComparatorValue
    extra = 0


@admin.register(KPIValue)
class KPIValueAdmin(admin.ModelAdmin):
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
