"""The cohorts and comparators the council's papers use; admins can add more."""

from django.db import migrations

COHORTS = [
    ("all", "All pupils"),
    ("sen_support", "SEN Support"),
    ("ehcp", "EHCP"),
    ("disadvantaged", "Disadvantaged"),
    ("fsm", "Free school meals"),
    ("eal", "English as an additional language (EAL)"),
    ("grt", "Gypsy, Roma and Traveller"),
    ("cwsw", "Children with a social worker"),
    ("cla", "Children looked after"),
]

COMPARATORS = [
    ("england", "England"),
    ("north_west", "North West"),
    ("greater_manchester", "Greater Manchester"),
    ("stat_neighbours", "Statistical neighbours"),
]


def create(apps, schema_editor):
    Cohort = apps.get_model("kpis", "Cohort")
    Comparator = apps.get_model("kpis", "Comparator")
    for position, (code, name) in enumerate(COHORTS):
        Cohort.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    for position, (code, name) in enumerate(COMPARATORS):
        Comparator.objects.get_or_create(code=code, defaults={"name": name, "position": position})


def remove(apps, schema_editor):
    apps.get_model("kpis", "Cohort").objects.filter(code__in=[c for c, _ in COHORTS]).delete()
    apps.get_model("kpis", "Comparator").objects.filter(
        code__in=[c for c, _ in COMPARATORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("kpis", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
