"""Boards, meetings, board packs and feed tokens, and the three roles as groups. Admins get
every permission on the plan, measures, boards and users, read the audit trail, and see
and clear sign-in lock-outs (django-axes) in /admin/; officers and board members act
through the service's own pages, whose views check the role.

It replaces the migrations that made the same tables before terms moved from kpis to
actions (boards 0001 to 0005, and bury_eis 0002's grants): a database that has them is taken as having this one, and a new database
gets exactly the tables they made, so no migration of a lower app depends on a higher one.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

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


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now so
    # the Admin group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    assign_roles(Group, Permission)
    grant(Group, Permission)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


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


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("boards", "0001_initial"),
        ("boards", "0002_roles"),
        ("boards", "0003_board_pack_versions"),
        ("boards", "0004_board_pack_pdfs"),
        ("boards", "0005_feed_tokens"),
    ]

    dependencies = [
        ("actions", "0001_squashed_0003_history_exceptions_reminders"),
        ("kpis", "0001_squashed_0004_round_trip_uploads"),
        ("bury_eis", "0001_squashed_0003_data_version"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Board",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                ("slug", models.SlugField(max_length=80, unique=True)),
                ("description", models.TextField(blank=True)),
                ("is_active", models.BooleanField(default=True)),
                (
                    "commitments",
                    models.ManyToManyField(
                        blank=True, related_name="boards", to="actions.commitment"
                    ),
                ),
                (
                    "members",
                    models.ManyToManyField(
                        blank=True, related_name="boards", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "sectors",
                    models.ManyToManyField(blank=True, related_name="boards", to="actions.sector"),
                ),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Meeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField()),
                ("title", models.CharField(blank=True, max_length=200)),
                (
                    "board",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meetings",
                        to="boards.board",
                    ),
                ),
            ],
            options={
                "ordering": ["-date"],
            },
        ),
        migrations.CreateModel(
            name="BoardPack",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField()),
                ("content", models.JSONField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("public_content", models.JSONField(blank=True, null=True)),
                (
                    "public_token",
                    models.CharField(blank=True, max_length=64, null=True, unique=True),
                ),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                ("pdf", models.BinaryField(blank=True, null=True)),
                ("public_pdf", models.BinaryField(blank=True, null=True)),
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
                    "published_by",
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
                        related_name="board_packs",
                        to="actions.term",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="packs",
                        to="boards.meeting",
                    ),
                ),
            ],
            options={
                "ordering": ["meeting", "-version"],
            },
        ),
        migrations.CreateModel(
            name="FeedToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="What it is for, e.g. Power BI dashboard.", max_length=100
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("user", "Approved figures, as the user's role allows"),
                            (
                                "public",
                                "Public: small numbers suppressed, restricted notes removed",
                            ),
                        ],
                        default="user",
                        max_length=10,
                    ),
                ),
                ("prefix", models.CharField(max_length=8)),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feed_tokens",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["user", "public"])),
                        name="feed_token_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("name", ""), _negated=True), name="feed_token_has_name"
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                fields=("board", "date"), name="one_meeting_per_board_day"
            ),
        ),
        migrations.AddConstraint(
            model_name="boardpack",
            constraint=models.UniqueConstraint(
                fields=("meeting", "version"), name="one_pack_per_version"
            ),
        ),
        migrations.AddConstraint(
            model_name="boardpack",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("public_token__isnull", True),
                    ("public_content__isnull", False),
                    _connector="OR",
                ),
                name="published_pack_has_public_content",
            ),
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]
