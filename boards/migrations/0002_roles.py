"""The three roles as groups. Admins get every permission on the plan, measures,
boards and users; officers and board members act through the service's own
pages, whose views check the role, so they hold no admin permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Admin", "Officer", "Board member"]
ADMIN_APPS = ["actions", "kpis", "boards"]
ADMIN_AUTH_MODELS = ["user", "group"]


def assign_roles(Group, Permission) -> None:
    """Create the role groups and give Admin its permissions; safe to run again."""
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    admin = Group.objects.get(name="Admin")
    perms = Permission.objects.filter(
        content_type__app_label__in=ADMIN_APPS
    ) | Permission.objects.filter(
        content_type__app_label="auth", content_type__model__in=ADMIN_AUTH_MODELS
    )
    admin.permissions.add(*perms)


def create(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now so
    # the Admin group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    assign_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0001_initial"),
        ("actions", "0002_initial"),
        ("kpis", "0002_cohorts_and_comparators"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create, remove)]
