"""Terms now belong to the plan's calendar in actions: their table and content type follow
them (permissions given on terms stay given). And narratives are capped at 5,000
characters, by the model and by database check constraints."""

import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the content type (and so the permissions and admin history) of terms."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="kpis", model="term").update(app_label="actions")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="actions", model="term").update(app_label="kpis")


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_squashed_0003_history_exceptions_reminders"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(name="term", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.AlterField(
            model_name="progressupdate",
            name="evidence_of_impact",
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="next_steps",
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="progress",
            field=models.TextField(blank=True, max_length=5000, verbose_name="progress narrative"),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="return_reason",
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name="progressupdate",
            name="risks",
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("progress"), 5000
                ),
                name="update_progress_within_limit",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("evidence_of_impact"), 5000
                ),
                name="update_evidence_of_impact_within_limit",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("next_steps"), 5000
                ),
                name="update_next_steps_within_limit",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("risks"), 5000
                ),
                name="update_risks_within_limit",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("return_reason"), 5000
                ),
                name="update_return_reason_within_limit",
            ),
        ),
    ]
