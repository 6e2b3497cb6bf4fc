"""Users and roles in the admin, with their history; and the admin audit records kept from
before the audit trail (bury_eis.audit), read-only."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from simple_history.utils import update_change_reason

from bury_eis.audit import HistoryAdmin
from bury_eis.models import AuditRecord

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserHistoryAdmin(HistoryAdmin, UserAdmin):
    """Who has which role (group) is the service's access control, so every change is kept."""

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # The trail never holds a password; say in the version Django's page saves that it
        # was the password that changed.
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            update_change_reason(self.get_object(request, id), "Password changed")
        return response


@admin.register(Group)
class GroupHistoryAdmin(HistoryAdmin, GroupAdmin):
    pass


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Admin edits recorded before the audit trail kept every version: read-only."""

    list_display = [
        "changed_at",
        "content_type",
        "object_repr",
        "kind",
        "field",
        "before",
        "after",
        "changed_by",
    ]
    list_filter = ["content_type", "kind"]
    search_fields = ["object_repr", "field", "before", "after", "changed_by__username"]
    list_select_related = ["content_type", "changed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
