from django.db import migrations

SEND_PIP = {
    "name": "SEND Local Area Partnership Priority Impact Plan",
    "short_name": "SEND PIP",
    "calendar": "monthly",
    "area_name": "Priority area",
    "area_name_plural": "Priority areas",
    "group_name": "Outcome",
    "group_name_plural": "Outcomes",
    "groups_nested": True,
    "measure_name": "Impact measure",
    "measure_name_plural": "Impact measures",
    "measures_on_areas": True,
    "due_soon_weeks": 4,
    "position": 2,
}


def add_send_pip(apps, schema_editor):
    """The SEND plan (June 2024), overseen monthly by the SEND Improvement & Assurance Board:
    priority areas with desired outcomes, dated actions, impact measures on the areas."""
    apps.get_model("actions", "Plan").objects.get_or_create(slug="send-pip", defaults=SEND_PIP)


class Migration(migrations.Migration):
    dependencies = [("actions", "0008_plans_required")]

    operations = [migrations.RunPython(add_send_pip, migrations.RunPython.noop)]
