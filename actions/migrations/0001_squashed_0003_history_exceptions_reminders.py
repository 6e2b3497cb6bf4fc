"""The plan's structure, its reporting terms and each action's termly update.

It replaces the migrations that made the same tables before terms moved from kpis to
actions (actions 0001 to 0003): a database that has them is taken as having this one, and a new database
gets exactly the tables they made, so no migration of a lower app depends on a higher one.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("actions", "0001_initial"),
        ("actions", "0002_initial"),
        ("actions", "0003_history_exceptions_reminders"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Commitment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(unique=True)),
                ("title", models.CharField(max_length=100)),
                ("statement", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["number"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("number__gte", 1)), name="commitment_number_positive"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Sector",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(unique=True)),
                ("name", models.CharField(max_length=100, unique=True)),
            ],
            options={
                "ordering": ["position"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("position__gte", 1)), name="sector_position_positive"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Action",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=20, unique=True)),
                ("text", models.TextField()),
                ("outcome", models.TextField(blank=True)),
                ("lead_description", models.CharField(blank=True, max_length=300)),
                (
                    "position",
                    models.PositiveIntegerField(default=0, help_text="Order within the plan."),
                ),
                (
                    "retired_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Set when a re-imported plan no longer has this action.",
                        null=True,
                    ),
                ),
                (
                    "leads",
                    models.ManyToManyField(
                        blank=True, related_name="led_actions", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "commitment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="actions.commitment",
                    ),
                ),
                (
                    "sector",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="actions.sector",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "code"],
            },
        ),
        migrations.CreateModel(
            name="Term",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("academic_year", models.CharField(help_text="Like 2025/26.", max_length=7)),
                (
                    "season",
                    models.CharField(
                        choices=[("autumn", "Autumn"), ("spring", "Spring"), ("summer", "Summer")],
                        max_length=10,
                    ),
                ),
                ("start_date", models.DateField()),
                ("end_date", models.DateField()),
                (
                    "due_date",
                    models.DateField(help_text="Updates for this term are due by this date."),
                ),
                (
                    "is_locked",
                    models.BooleanField(
                        default=False,
                        help_text="A locked term's values and ratings can no longer change.",
                    ),
                ),
            ],
            options={
                "db_table": "kpis_term",
                "ordering": ["start_date"],
                "constraints": [
                    models.UniqueConstraint(fields=("academic_year", "season"), name="unique_term"),
                    models.CheckConstraint(
                        condition=models.Q(("end_date__gt", models.F("start_date"))),
                        name="term_ends_after_start",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("academic_year__regex", "^[0-9]{4}/[0-9]{2}$")),
                        name="academic_year_format",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ReminderLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_on", models.DateField()),
                ("action_count", models.PositiveIntegerField()),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "term",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="actions.term",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="ProgressUpdate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "rating",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("blue", "Blue"),
                            ("green", "Green"),
                            ("amber", "Amber"),
                            ("red", "Red"),
                            ("grey", "Grey"),
                        ],
                        max_length=10,
                    ),
                ),
                ("progress", models.TextField(blank=True, verbose_name="progress narrative")),
                ("evidence_of_impact", models.TextField(blank=True)),
                ("next_steps", models.TextField(blank=True)),
                ("risks", models.TextField(blank=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("approved", "Approved"),
                            ("returned", "Returned"),
                        ],
                        default="draft",
                        max_length=10,
                    ),
                ),
                ("return_reason", models.TextField(blank=True)),
                ("submitted_at", models.DateTimeField(blank=True, null=True)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "is_demo",
                    models.BooleanField(default=False, help_text="Made up by seed_demo, not real."),
                ),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="updates",
                        to="actions.action",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        help_text="Who approved or returned it.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "term",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="updates",
                        to="actions.term",
                    ),
                ),
            ],
            options={
                "ordering": ["action__position", "term__start_date"],
                "permissions": [("approve_progressupdate", "Can approve or return termly updates")],
            },
        ),
        migrations.CreateModel(
            name="ChangeRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("field", models.CharField(max_length=200)),
                ("before", models.TextField(blank=True)),
                ("after", models.TextField(blank=True)),
                ("changed_at", models.DateTimeField(auto_now_add=True)),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="changes",
                        to="actions.action",
                    ),
                ),
                (
                    "changed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "term",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="changes",
                        to="actions.term",
                    ),
                ),
            ],
            options={
                "ordering": ["-changed_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="TermException",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField()),
                ("granted_at", models.DateTimeField(auto_now_add=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="term_exceptions",
                        to="actions.action",
                    ),
                ),
                (
                    "granted_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "term",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exceptions",
                        to="actions.term",
                    ),
                ),
            ],
            options={
                "ordering": ["-granted_at"],
            },
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                fields=["commitment", "sector", "position"], name="actions_act_commitm_2a6fce_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="reminderlog",
            constraint=models.UniqueConstraint(
                fields=("user", "term", "sent_on"), name="one_reminder_a_day"
            ),
        ),
        migrations.AddIndex(
            model_name="progressupdate",
            index=models.Index(fields=["term", "status"], name="actions_pro_term_id_ad37a8_idx"),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.UniqueConstraint(
                fields=("action", "term"), name="one_update_per_action_term"
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "returned"), _negated=True),
                    models.Q(("return_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="returned_update_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "draft"),
                    ("status", "returned"),
                    models.Q(("rating", ""), _negated=True),
                    _connector="OR",
                ),
                name="submitted_update_has_rating",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rating", ""),
                    ("rating__in", ["blue", "green", "amber", "red", "grey"]),
                    _connector="OR",
                ),
                name="rating_on_scale",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "submitted", "approved", "returned"])),
                name="update_status_valid",
            ),
        ),
        migrations.AddIndex(
            model_name="changerecord",
            index=models.Index(fields=["action", "term"], name="actions_cha_action__fb9e06_idx"),
        ),
        migrations.AddConstraint(
            model_name="termexception",
            constraint=models.CheckConstraint(
                condition=models.Q(("reason", ""), _negated=True), name="exception_has_reason"
            ),
        ),
        migrations.AddConstraint(
            model_name="termexception",
            constraint=models.UniqueConstraint(
                condition=models.Q(("closed_at__isnull", True)),
                fields=("action", "term"),
                name="one_open_exception_per_action_term",
            ),
        ),
    ]
