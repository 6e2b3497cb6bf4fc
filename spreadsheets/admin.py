from django.contrib import admin
from django.http import HttpRequest

from spreadsheets.models import HeaderMapping


@admin.register(HeaderMapping)
class HeaderMappingAdmin(admin.ModelAdmin):
    """The headings admins have matched on the import page, per plan. They are made only by
    matching an upload's columns; a wrong answer is deleted here, and the next file with
    that heading asks again."""

    list_display = ["plan", "header", "column", "saved_by", "saved_at"]
    list_filter = ["plan"]
    search_fields = ["header", "column"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
