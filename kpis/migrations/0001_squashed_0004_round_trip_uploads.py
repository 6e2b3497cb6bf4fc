"""Measures, cohorts, comparators and values, with the cohorts and comparators the council's
papers use (admins can add more), and the plan imports of the time.

It replaces the migrations that made the same tables before terms moved from kpis to
actions (kpis 0001 to 0004): a database that has them is taken as having this one, and a new database
gets exactly the tables they made, so no migration of a lower app depends on a higher one.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

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
    initial = True

    replaces = [
        ("kpis", "0001_initial"),
        ("kpis", "0002_cohorts_and_comparators"),
        ("kpis", "0003_plan_import"),
        ("kpis", "0004_round_trip_uploads"),
    ]

    dependencies = [
        ("actions", "0001_squashed_0003_history_exceptions_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Cohort",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=100, unique=True)),
                ("description", models.TextField(blank=True)),
                ("position", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "ordering": ["position", "name"],
            },
        ),
        migrations.CreateModel(
            name="Comparator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True)),
                ("name", models.CharField(max_length=100, unique=True)),
                ("position", models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                "ordering": ["position", "name"],
            },
        ),
        migrations.CreateModel(
            name="KPI",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "ref",
                    models.CharField(help_text="Lower-case roman numeral, e.g. iv.", max_length=10),
                ),
                ("text", models.TextField()),
                (
                    "unit",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("percent", "Percentage"),
                            ("percentage_points", "Percentage points"),
                            ("count", "Count"),
                            ("rate_per_10000", "Rate per 10,000"),
                            ("money", "Money (£)"),
                            ("days", "Days"),
                            ("weeks", "Weeks"),
                            ("score", "Score"),
                            ("milestone", "Milestone"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "polarity",
                    models.CharField(
                        choices=[
                            ("higher_better", "Higher is better"),
                            ("lower_better", "Lower is better"),
                            ("within_band", "Within a band"),
                            ("none", "No direction"),
                        ],
                        default="none",
                        max_length=20,
                    ),
                ),
                (
                    "baseline_value",
                    models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
                ),
                ("baseline_period", models.CharField(blank=True, max_length=60)),
                (
                    "target_value",
                    models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
                ),
                (
                    "target_upper_value",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        help_text="Upper end of the band, for measures that should stay within a band.",
                        max_digits=14,
                        null=True,
                    ),
                ),
                ("target_period", models.CharField(blank=True, max_length=60)),
                (
                    "target_kind",
                    models.CharField(
                        choices=[
                            ("absolute", "Reach a value (e.g. 74% by 2028)"),
                            ("change", "Change by an amount (e.g. +9 percentage points)"),
                            ("threshold", "Stay beyond a threshold (e.g. consistently above 90%)"),
                            ("comparator", "Relative to a comparator (e.g. better than national)"),
                            ("gap", "Close a gap (e.g. gap to national narrows)"),
                            ("trend", "Trend (e.g. year-on-year reduction)"),
                            ("cumulative", "Cumulative count (e.g. 50 units by 2030)"),
                            ("milestone", "Milestone delivered"),
                            ("to_be_agreed", "To be agreed"),
                        ],
                        default="to_be_agreed",
                        max_length=20,
                    ),
                ),
                ("target_not_agreed", models.BooleanField(default=True)),
                (
                    "tolerance",
                    models.DecimalField(
                        blank=True,
                        decimal_places=4,
                        help_text="How far short of target still counts as Amber, in the measure's unit.",
                        max_digits=14,
                        null=True,
                    ),
                ),
                ("data_source", models.CharField(blank=True, max_length=300)),
                (
                    "frequency",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("termly", "Termly"),
                            ("half_termly", "Half-termly"),
                            ("monthly", "Monthly"),
                            ("quarterly", "Quarterly"),
                            ("annual", "Annual"),
                        ],
                        max_length=20,
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("retired_at", models.DateTimeField(blank=True, null=True)),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="kpis",
                        to="actions.action",
                    ),
                ),
                (
                    "breakdown_cohorts",
                    models.ManyToManyField(blank=True, related_name="kpis", to="kpis.cohort"),
                ),
                (
                    "comparators",
                    models.ManyToManyField(blank=True, related_name="kpis", to="kpis.comparator"),
                ),
                (
                    "target_comparator",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="kpis.comparator",
                    ),
                ),
            ],
            options={
                "verbose_name": "KPI",
                "ordering": ["action__position", "position"],
            },
        ),
        migrations.CreateModel(
            name="KPIValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "data_period",
                    models.CharField(
                        help_text='The period the figure describes, e.g. "2024/25 academic year".',
                        max_length=60,
                    ),
                ),
                (
                    "value",
                    models.DecimalField(blank=True, decimal_places=4, max_digits=14, null=True),
                ),
                ("numerator", models.PositiveIntegerField(blank=True, null=True)),
                ("denominator", models.PositiveIntegerField(blank=True, null=True)),
                ("cohort_size", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "maturity",
                    models.CharField(
                        choices=[
                            ("provisional", "Provisional"),
                            ("revised", "Revised"),
                            ("validated", "Validated"),
                        ],
                        default="provisional",
                        max_length=12,
                    ),
                ),
                (
                    "milestone_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("not_started", "Not started"),
                            ("in_progress", "In progress"),
                            ("achieved", "Achieved"),
                        ],
                        max_length=12,
                    ),
                ),
                ("no_new_data", models.BooleanField(default=False)),
                ("no_new_data_reason", models.CharField(blank=True, max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("green", "Green"),
                            ("amber", "Amber"),
                            ("red", "Red"),
                            ("grey", "Grey"),
                        ],
                        default="grey",
                        max_length=6,
                    ),
                ),
                ("note", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "is_demo",
                    models.BooleanField(default=False, help_text="Made up by seed_demo, not real."),
                ),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="values",
                        to="kpis.cohort",
                    ),
                ),
                (
                    "entered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "kpi",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="values",
                        to="kpis.kpi",
                    ),
                ),
                (
                    "term",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="values",
                        to="actions.term",
                    ),
                ),
            ],
            options={
                "verbose_name": "KPI value",
                "ordering": ["kpi", "term__start_date", "cohort__position"],
            },
        ),
        migrations.CreateModel(
            name="ComparatorValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.DecimalField(decimal_places=4, max_digits=14)),
                ("period", models.CharField(max_length=60)),
                (
                    "comparator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="values",
                        to="kpis.comparator",
                    ),
                ),
                (
                    "kpi_value",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comparisons",
                        to="kpis.kpivalue",
                    ),
                ),
            ],
            options={
                "ordering": ["comparator__position"],
            },
        ),
        migrations.CreateModel(
            name="PlanImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file_name", models.CharField(max_length=255)),
                (
                    "checksum",
                    models.CharField(help_text="SHA-256 of the uploaded file.", max_length=64),
                ),
                ("content", models.BinaryField(blank=True, null=True)),
                ("layout", models.CharField(help_text="template or published", max_length=20)),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                ("preview", models.JSONField(default=dict)),
                ("counts", models.JSONField(default=dict)),
                ("warnings", models.JSONField(default=list)),
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
                "ordering": ["-uploaded_at"],
            },
        ),
        migrations.CreateModel(
            name="RoundTripUpload",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file_name", models.CharField(max_length=255)),
                (
                    "checksum",
                    models.CharField(help_text="SHA-256 of the uploaded file.", max_length=64),
                ),
                ("content", models.BinaryField(blank=True, null=True)),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                ("preview", models.JSONField(default=dict)),
                ("applied_at", models.DateTimeField(blank=True, null=True)),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-uploaded_at"],
            },
        ),
        migrations.AddConstraint(
            model_name="kpi",
            constraint=models.UniqueConstraint(
                fields=("action", "ref"), name="unique_kpi_ref_per_action"
            ),
        ),
        migrations.AddConstraint(
            model_name="kpi",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("target_not_agreed", False), ("target_value__isnull", True), _connector="OR"
                ),
                name="unagreed_target_has_no_value",
            ),
        ),
        migrations.AddConstraint(
            model_name="kpi",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("target_upper_value__isnull", True),
                    ("target_value__isnull", True),
                    ("target_upper_value__gte", models.F("target_value")),
                    _connector="OR",
                ),
                name="target_band_ordered",
            ),
        ),
        migrations.AddConstraint(
            model_name="kpi",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("tolerance__isnull", True), ("tolerance__gte", 0), _connector="OR"
                ),
                name="tolerance_not_negative",
            ),
        ),
        migrations.AddIndex(
            model_name="kpivalue",
            index=models.Index(fields=["term", "kpi"], name="kpis_kpival_term_id_b503b0_idx"),
        ),
        migrations.AddConstraint(
            model_name="kpivalue",
            constraint=models.UniqueConstraint(
                fields=("kpi", "term", "cohort", "data_period"),
                name="one_value_per_kpi_term_cohort_period",
            ),
        ),
        migrations.AddConstraint(
            model_name="kpivalue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("numerator__isnull", True),
                    ("denominator__isnull", True),
                    ("numerator__lte", models.F("denominator")),
                    _connector="OR",
                ),
                name="numerator_within_denominator",
            ),
        ),
        migrations.AddConstraint(
            model_name="kpivalue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("denominator__isnull", True), ("denominator__gt", 0), _connector="OR"
                ),
                name="denominator_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="kpivalue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("no_new_data", False),
                    models.Q(("no_new_data_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="no_new_data_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="comparatorvalue",
            constraint=models.UniqueConstraint(
                fields=("kpi_value", "comparator"), name="one_comparison_per_value"
            ),
        ),
        migrations.RunPython(create, remove),
    ]
