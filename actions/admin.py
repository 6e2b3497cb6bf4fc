from django.contrib import admin

from actions.models import (
    ActionLink,
    ChangeRecord,
    Commitment,
    Plan,
    ProgressUpdate,
    Reference,
    ReminderLog,
    Sector,
)
from bury_eis.audit import HistoryAdmin, ViewOnlyAdminMixin


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ["name", "slug", "calendar", "area_name", "group_name", "measure_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Commitment)
class CommitmentAdmin(HistoryAdmin):
    list_display = ["plan", "number", "code", "title", "statement"]
    list_filter = ["plan"]
    search_fields = ["title", "statement"]


@admin.register(Sector)
class SectorAdmin(HistoryAdmin):
    list_display = ["plan", "position", "code", "name"]
    list_filter = ["plan"]
    search_fields = ["name"]


class ProgressUpdateInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = ProgressUpdate
    fields = ["term", "rating", "status", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]
    extra = 0
    show_change_link = True


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ViewOnlyAdminMixin, HistoryAdmin):
    list_display = ["action", "term", "rating", "status", "updated_by", "updated_at", "is_demo"]
    list_filter = ["term", "status", "rating", "action__commitment", "is_demo"]
    search_fields = ["action__code", "progress", "next_steps"]
    list_select_related = ["action", "term", "updated_by"]
    raw_id_fields = ["action"]


@admin.register(ChangeRecord)
class ChangeRecordAdmin(HistoryAdmin):
    list_display = ["changed_at", "action", "term", "field", "before", "after", "changed_by"]
    list_filter = ["term", "action__commitment"]
    search_fields = ["action__code", "field", "before", "after"]
    list_select_related = ["action", "term", "changed_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(HistoryAdmin):
    list_display = ["sent_on", "user", "term", "action_count"]
    list_filter = ["term", "sent_on"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A record of an e-mail that was sent; changing it would only falsify it.
        return False


@admin.register(Reference)
class ReferenceAdmin(HistoryAdmin):
    list_display = ["plan", "code", "description"]
    list_filter = ["plan"]
    search_fields = ["code", "description"]


@admin.register(ActionLink)
class ActionLinkAdmin(ViewOnlyAdminMixin, HistoryAdmin):
    """Links come from the plan's workbook: the import keeps them as the plan says."""

    list_display = ["action", "target_action", "target_area", "target_reference", "position"]
    list_filter = ["action__plan"]
    search_fields = ["action__code", "target_action__code", "target_reference__code"]
    list_select_related = ["action", "target_action", "target_area", "target_reference"]
