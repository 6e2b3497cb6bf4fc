from django.contrib import admin

from boards.models import Board, BoardPack, Meeting
from bury_eis.audit import HistoryAdmin


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


@admin.register(Board)
class BoardAdmin(HistoryAdmin):
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["commitments", "sectors", "members"]
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["board", "date", "title"]
    list_filter = ["board"]
    date_hierarchy = "date"


@admin.register(BoardPack)
class BoardPackAdmin(HistoryAdmin):
    """Packs are generated and published from the meeting page; here they are read-only."""

    list_display = ["meeting", "version", "term", "created_by", "created_at", "published_at"]
    list_filter = ["meeting__board", "term"]
    readonly_fields = [f.name for f in BoardPack._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
