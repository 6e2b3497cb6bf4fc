"""Users and roles in the admin, audited; and the audit trail itself, read-only."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse

from bury_eis.audit import AuditedAdmin, audit_record
from bury_eis.models import AuditRecord

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Who has which role (group) is the service's access control, so every change is kept."""

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Django's password page saves without save_model; record the change, never the values.
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit_record(
                user=request.user,
                instance=self.get_object(request, id),
                kind=AuditRecord.Kind.CHANGED,
                before={"password": "old"},
                after={"password": "new"},
            )
        return response


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdmin, GroupAdmin):
    pass


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """The trail is written by the admin pages themselves, never typed or changed."""

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
