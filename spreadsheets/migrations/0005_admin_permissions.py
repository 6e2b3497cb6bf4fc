"""Admins manage plans and their references in /admin/, see the links imported from a plan,
and delete a wrongly matched heading, as they manage the rest of the plan.

The permissions of models added since the Admin role was made (boards/0001) are created
here first, as Django would after migrating, so the grant does not wait for a second run.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    ("actions", "plan"): ("view", "add", "change", "delete"),
    ("actions", "reference"): ("view", "add", "change", "delete"),
    ("actions", "actionlink"): ("view",),
    ("spreadsheets", "headermapping"): ("view", "delete"),
}


def grant_admins(apps, schema_editor=None) -> None:
    for label in {app for app, _ in GRANTS}:
        config = apps.get_app_config(label)
        # A migration's app registry has no models module, which create_permissions needs;
        # the project's own registry (tests put reference data back with it) keeps its own.
        previous = getattr(config, "models_module", None)
        config.models_module = previous or True
        create_permissions(config, verbosity=0)
        config.models_module = previous
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="Admin")
    for (app, model), actions in GRANTS.items():
        codenames = [f"{action}_{model}" for action in actions]
        admin.permissions.add(
            *Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("actions", "0012_action_links_and_references"),
        ("spreadsheets", "0004_header_mapping"),
    ]

    operations = [migrations.RunPython(grant_admins, migrations.RunPython.noop)]
