"""Records the service keeps about itself, whichever part of the plan they concern."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history import register


class AuditRecord(models.Model):
    """One field changed through the administration pages: what, before, after, who and when.

    Termly updates keep their own history (actions.ChangeRecord, shown on the action
    page); this covers everything an admin edits in /admin/ – terms, boards, meetings,
    users' roles – where Django's own log says only that something changed. Values are
    kept as text a person would read; passwords are never kept.
    """

    class Kind(models.TextChoices):
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("record", max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    field = models.CharField(max_length=200)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_repr} {self.field}: {self.before!r} → {self.after!r}"


# Who holds which role is the service's access control: users and roles (groups) are kept
# in the audit trail too, never with a password (bury_eis.audit).
register(
    get_user_model(),
    app="bury_eis",
    m2m_fields=["groups", "user_permissions"],
    excluded_fields=["password", "last_login"],
)
register(Group, app="bury_eis", m2m_fields=["permissions"])
