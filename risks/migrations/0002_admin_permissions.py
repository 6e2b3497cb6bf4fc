"""Admins may add, change and delete risks in /admin/, as they may the plan itself.

The Admin group is made by boards' first migration, which sits above this app; so the
group is fetched or made here, by name, as that migration does (both are safe to run again).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_admins(apps, schema_editor=None) -> None:
    config = apps.get_app_config("risks")
    # A migration's app registry has no models module, which create_permissions needs;
    # the project's own registry (tests put reference data back with it) keeps its own.
    previous = getattr(config, "models_module", None)
    config.models_module = previous or True
    create_permissions(config, verbosity=0)
    config.models_module = previous
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="Admin")
    # The risk itself; its history is read through the risk, never granted on its own.
    risks = Permission.objects.filter(content_type__app_label="risks", content_type__model="risk")
    admin.permissions.add(*risks)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("risks", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_admins, migrations.RunPython.noop)]
