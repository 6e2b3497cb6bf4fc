from django.contrib import admin

from boards.models import Board, BoardPack, Meeting


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["commitments", "sectors", "members"]
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["board", "date", "title"]
    list_filter = ["board"]
    date_hierarchy = "date"


@admin.register(BoardPack)
class BoardPackAdmin(admin.ModelAdmin):
    list_display = ["meeting", "term", "visibility", "created_by", "created_at"]
    list_filter = ["visibility", "meeting__board", "term"]
    readonly_fields = ["content", "created_by", "created_at"]
