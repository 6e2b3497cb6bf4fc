"""Admins read the audit trail, and see and clear sign-in lock-outs (django-axes), in /admin/.

Deleting a lock-out (an access attempt) is how an admin lets a locked-out officer sign
in before the cool-off ends; nothing else there may be changed.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMIN_PERMISSIONS = [
    ("bury_eis", "view_auditrecord"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accesslog"),
    ("axes", "view_accessfailurelog"),
]


def grant(Group, Permission) -> None:
    """Give the Admin role these permissions; safe to run again."""
    admin, _ = Group.objects.get_or_create(name="Admin")
    for app_label, codename in ADMIN_PERMISSIONS:
        admin.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def create(apps, schema_editor) -> None:
    for label in ("bury_eis", "axes"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("bury_eis", "0001_initial"),
        ("boards", "0002_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
