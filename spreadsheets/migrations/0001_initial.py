"""Staged uploads, made by kpis/0002 when plan imports and round trips became one flow, join
the spreadsheets app: the model's state moves here, its table and rows stay as they are,
and its content type follows it. 0002 then gives the table this app's name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="kpis", model="stagedupload").update(
        app_label="spreadsheets"
    )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="spreadsheets", model="stagedupload").update(
        app_label="kpis"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("kpis", "0002_staged_uploads"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StagedUpload",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("plan", "Plan import"),
                                    ("figures", "Figures from Excel"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("received", "Waiting to be checked"),
                                    ("checking", "Checking"),
                                    ("ready", "Ready to confirm"),
                                    ("refused", "Not accepted"),
                                    ("applying", "Saving"),
                                    ("applied", "Saved"),
                                    ("failed", "Failed"),
                                ],
                                default="received",
                                max_length=10,
                            ),
                        ),
                        ("file_name", models.CharField(max_length=255)),
                        (
                            "checksum",
                            models.CharField(
                                help_text="SHA-256 of the uploaded file.", max_length=64
                            ),
                        ),
                        ("content", models.BinaryField(blank=True, null=True)),
                        (
                            "layout",
                            models.CharField(
                                blank=True, help_text="template or published", max_length=20
                            ),
                        ),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                        ("preview", models.JSONField(default=dict)),
                        (
                            "problems",
                            models.JSONField(
                                default=list, help_text="Why the file was not accepted."
                            ),
                        ),
                        ("warnings", models.JSONField(default=list)),
                        ("counts", models.JSONField(default=dict)),
                        (
                            "error",
                            models.TextField(blank=True, help_text="Why the last job failed."),
                        ),
                        ("applied_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "applied_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-uploaded_at", "-pk"],
                        "db_table": "kpis_stagedupload",
                        "indexes": [
                            models.Index(
                                fields=["kind", "state"], name="kpis_staged_kind_94092d_idx"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("kind__in", ["plan", "figures"])),
                                name="staged_upload_kind_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("applied_at__isnull", False), ("state", "applied")),
                                    models.Q(("state", "applied"), _negated=True),
                                    _connector="OR",
                                ),
                                name="applied_upload_has_time",
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
