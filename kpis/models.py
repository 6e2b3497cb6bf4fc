"""Measures (KPIs), the groups and comparators their figures describe, and the figures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from simple_history.models import HistoricalRecords

from actions.models import NARRATIVE_MAX_LENGTH, Action, Commitment, Term


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    PERCENTAGE_POINTS = "percentage_points", "Percentage points"
    COUNT = "count", "Count"
    RATE_PER_10000 = "rate_per_10000", "Rate per 10,000"
    MONEY = "money", "Money (£)"
    DAYS = "days", "Days"
    WEEKS = "weeks", "Weeks"
    SCORE = "score", "Score"
    MILESTONE = "milestone", "Milestone"


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher_better", "Higher is better"
    LOWER_BETTER = "lower_better", "Lower is better"
    WITHIN_BAND = "within_band", "Within a band"
    NONE = "none", "No direction"


class TargetKind(models.TextChoices):
    ABSOLUTE = "absolute", "Reach a value (e.g. 74% by 2028)"
    CHANGE = "change", "Change by an amount (e.g. +9 percentage points)"
    THRESHOLD = "threshold", "Stay beyond a threshold (e.g. consistently above 90%)"
    RANGE = "range", "Stay within a band (e.g. between 90% and 95%)"
    COMPARATOR = "comparator", "Relative to a comparator (e.g. better than national)"
    GAP = "gap", "Close a gap (e.g. gap to national narrows)"
    TREND = "trend", "Trend (e.g. year-on-year reduction)"
    CUMULATIVE = "cumulative", "Cumulative count (e.g. 50 units by 2030)"
    MILESTONE = "milestone", "Milestone delivered"
    TO_BE_AGREED = "to_be_agreed", "To be agreed"


class ComparatorBasis(models.TextChoices):
    """How a comparator target is met (kpis.status)."""

    AT_OR_BETTER = "at_or_better", "At or better than the comparator"
    IN_LINE = "in_line", "In line with the comparator (within the tolerance)"


class Frequency(models.TextChoices):
    TERMLY = "termly", "Termly"
    HALF_TERMLY = "half_termly", "Half-termly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class Maturity(models.TextChoices):
    PROVISIONAL = "provisional", "Provisional"
    REVISED = "revised", "Revised"
    VALIDATED = "validated", "Validated"


class KPIStatus(models.TextChoices):
    """A value's standing against its KPI's target; computed, never typed."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    GREY = "grey", "Grey"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"


class Cohort(models.Model):
    """A group a figure can describe: all pupils, SEN Support, EHCP, disadvantaged…"""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    ALL_PUPILS = "all"

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Comparator(models.Model):
    """A benchmark area: England, North West, Greater Manchester, statistical neighbours."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class KPI(models.Model):
    """A measure or milestone of an action, numbered (i), (ii)… within it – or, in a plan
    whose measures belong to its priority areas (the SEND plan's impact measures), of an
    `area`, numbered within that area and linked to any other areas it is relevant to.

    A KPI whose target the council has not agreed keeps `target_not_agreed` set
    and no target value: the tool never invents a number.
    """

    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.PROTECT, related_name="kpis"
    )
    area = models.ForeignKey(
        Commitment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        help_text="For a measure of a priority area rather than of an action: the area.",
    )
    also_areas = models.ManyToManyField(
        Commitment,
        blank=True,
        related_name="also_measures",
        help_text='Other areas the measure is also relevant to ("also relevant to Communication").',
    )
    due_date = models.DateField(
        null=True, blank=True, help_text="For a milestone: when it should be delivered."
    )
    ref = models.CharField(max_length=10, help_text="Lower-case roman numeral, e.g. iv.")
    text = models.TextField()
    unit = models.CharField(max_length=20, choices=Unit.choices, blank=True)
    polarity = models.CharField(max_length=20, choices=Polarity.choices, default=Polarity.NONE)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_period = models.CharField(max_length=60, blank=True)
    target_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target_upper_value = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Upper end of the band, for measures that should stay within a band.",
    )
    target_period = models.CharField(max_length=60, blank=True)
    target_kind = models.CharField(
        max_length=20, choices=TargetKind.choices, default=TargetKind.TO_BE_AGREED
    )
    target_comparator = models.ForeignKey(
        Comparator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comparator_basis = models.CharField(
        max_length=20,
        choices=ComparatorBasis.choices,
        blank=True,
        help_text="For a comparator target: at or better than the comparator, or in line with "
        "it (within the tolerance). Blank means at or better.",
    )
    target_cohort = models.ForeignKey(
        Cohort,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The group the target is for (e.g. EHCP pupils), judged on that group's "
        "figure; for a gap target, the group whose gap should close. Blank: all pupils.",
    )
    trend_periods = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For a trend target: how many figures the trend is judged over (at least "
        "2). Blank means 2: this figure and the one before.",
    )
    trend_min_change = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="For a trend target: the least change, in the better direction, that counts "
        "as on track.",
    )
    gap_narrowing = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="For a gap target: how much the gap should narrow each period, in the "
        "measure's unit.",
    )
    target_not_agreed = models.BooleanField(default=True)
    tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="How far short of target still counts as Amber, in the measure's unit.",
    )
    data_source = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, blank=True)
    breakdown_cohorts = models.ManyToManyField(Cohort, blank=True, related_name="kpis")
    comparators = models.ManyToManyField(Comparator, blank=True, related_name="kpis")
    position = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=["breakdown_cohorts", "comparators", "also_areas"])

    class Meta:
        verbose_name = "KPI"
        ordering = ["action__position", "area__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["action", "ref"], name="unique_kpi_ref_per_action"),
            models.UniqueConstraint(
                fields=["area", "ref"],
                condition=Q(action__isnull=True),
                name="unique_measure_ref_per_area",
            ),
            models.CheckConstraint(
                condition=Q(action__isnull=False, area__isnull=True)
                | Q(action__isnull=True, area__isnull=False),
                name="kpi_of_an_action_or_an_area",
            ),
            models.CheckConstraint(
                condition=Q(target_not_agreed=False) | Q(target_value__isnull=True),
                name="unagreed_target_has_no_value",
            ),
            models.CheckConstraint(
                condition=Q(target_upper_value__isnull=True)
                | Q(target_value__isnull=True)
                | Q(target_upper_value__gte=models.F("target_value")),
                name="target_band_ordered",
            ),
            models.CheckConstraint(
                condition=Q(tolerance__isnull=True) | Q(tolerance__gte=0),
                name="tolerance_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(trend_periods__isnull=True) | Q(trend_periods__gte=2),
                name="trend_over_two_or_more_figures",
            ),
            models.CheckConstraint(
                condition=Q(trend_min_change__isnull=True) | Q(trend_min_change__gte=0),
                name="trend_min_change_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(gap_narrowing__isnull=True) | Q(gap_narrowing__gt=0),
                name="gap_narrowing_positive",
            ),
            models.CheckConstraint(
                condition=Q(comparator_basis="") | Q(target_comparator__isnull=False),
                name="comparator_basis_names_a_comparator",
            ),
        ]
        indexes = [
            # The KPI list pages through live KPIs in plan order without sorting them all.
            models.Index(
                fields=["action", "position"],
                condition=Q(retired_at__isnull=True),
                name="live_kpi_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_code} ({self.ref})"

    @property
    def owner_code(self) -> str:
        """The code of what the measure belongs to: its action's, or its area's."""
        if self.action_id is not None:
            return self.action.code
        return self.area.code or str(self.area.number)

    @property
    def label(self) -> str:
        return f"({self.ref})"


class KPIValue(models.Model):
    """A figure for a KPI, recorded in a reporting term, describing `data_period`.

    Where numerator and denominator are known the percentage is computed from
    them by the service that records it, never typed twice. `status` and `status_reason`
    are the value's standing against target and why, worked out by kpis.status.restatus
    whenever the figures, the target or the terms change – never typed.
    """

    kpi = models.ForeignKey(KPI, on_delete=models.PROTECT, related_name="values")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="values")
    data_period = models.CharField(
        max_length=60, help_text='The period the figure describes, e.g. "2024/25 academic year".'
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    cohort_size = models.PositiveIntegerField(null=True, blank=True)
    maturity = models.CharField(
        max_length=12, choices=Maturity.choices, default=Maturity.PROVISIONAL
    )
    milestone_status = models.CharField(max_length=12, choices=MilestoneStatus.choices, blank=True)
    no_new_data = models.BooleanField(default=False)
    no_new_data_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=6, choices=KPIStatus.choices, default=KPIStatus.GREY)
    status_reason = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True, max_length=NARRATIVE_MAX_LENGTH)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, help_text="Made up by seed_demo, not real.")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "KPI value"
        ordering = ["kpi", "term__start_date", "cohort__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "term", "cohort", "data_period"],
                name="one_value_per_kpi_term_cohort_period",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=models.F("denominator")),
                name="numerator_within_denominator",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(no_new_data=False) | ~Q(no_new_data_reason=""),
                name="no_new_data_has_reason",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), NARRATIVE_MAX_LENGTH),
                name="value_note_within_limit",
            ),
        ]
        indexes = [models.Index(fields=["term", "kpi"])]

    def __str__(self) -> str:
        return f"{self.kpi} {self.term} {self.cohort.code}: {self.value}"


class ComparatorValue(models.Model):
    """A benchmark figure beside a recorded value, with the period it describes."""

    kpi_value = models.ForeignKey(KPIValue, on_delete=models.CASCADE, related_name="comparisons")
    comparator = models.ForeignKey(Comparator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    period = models.CharField(max_length=60)

    history = HistoricalRecords()

    class Meta:
        ordering = ["comparator__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi_value", "comparator"], name="one_comparison_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.comparator}: {self.value} ({self.period})"


class ActionStanding(models.Model):
    """An action's standing in a term, as dashboards and packs count it: its approved rating,
    how that moved since the term before, and its live KPIs by the status of their newest
    approved all-pupil figure up to the term.

    A summary the services keep current (kpis.standings.standings_refresh, called by every
    write that changes what it counts: approving, reopening, importing the plan, the
    admin's edits to terms, actions and KPIs, the demo data), so a dashboard finds its
    Red, Amber and not-updated actions in order from an index, and its counts in the
    MatrixCount rows summed from these, instead of counting the whole plan's updates and
    figures on every view. Only live actions have rows. `manage.py refresh_standings`
    rebuilds it all.
    """

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="standings")
    # The action's place in the plan, kept beside it to group and order without a join.
    commitment_id = models.BigIntegerField()
    sector_id = models.BigIntegerField()
    position = models.PositiveIntegerField()
    rating = models.CharField(max_length=10, blank=True, help_text="Approved rating, if any.")
    movement = models.CharField(max_length=10)
    rating_order = models.PositiveSmallIntegerField(help_text="Worst first; no rating last.")
    kpis = models.PositiveIntegerField(default=0, help_text="Live KPIs.")
    kpis_red = models.PositiveIntegerField(default=0)
    kpis_amber = models.PositiveIntegerField(default=0)
    kpis_green = models.PositiveIntegerField(default=0)
    kpis_grey = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "action"], name="one_standing_per_term")
        ]
        indexes = [
            models.Index(fields=["term", "rating_order", "position"], name="standing_worst_first"),
            models.Index(fields=["term", "commitment_id", "sector_id"], name="standing_by_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} in {self.term_id}: {self.rating or 'no rating'}"


class MatrixCount(models.Model):
    """One row of the dashboard's matrix, summed from the actions' standings: how many live
    actions of a commitment and sector had a rating and a movement in a term, and their
    live KPIs by status.

    Kept with the standings by the same service, so a dashboard reads a few hundred rows
    whatever the size of the plan rather than summing one row per action on every view.
    """

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    commitment_id = models.BigIntegerField()
    sector_id = models.BigIntegerField()
    rating = models.CharField(max_length=10, blank=True)
    movement = models.CharField(max_length=10)
    actions = models.PositiveIntegerField()
    kpis = models.PositiveIntegerField()
    kpis_red = models.PositiveIntegerField()
    kpis_amber = models.PositiveIntegerField()
    kpis_green = models.PositiveIntegerField()
    kpis_grey = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["term", "commitment_id", "sector_id", "rating", "movement"],
                name="one_count_per_cell_rating_and_movement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.term_id} {self.commitment_id}/{self.sector_id}: {self.actions}"
