"""Plans, each with its own structure (commitments and sectors, or priority areas and
outcomes), actions and reporting calendar (terms, months, quarters or years), and each
action's rating for a reporting period with its history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from simple_history.models import HistoricalRecords


class Rating(models.TextChoices):
    """The council's Blue/Green/Amber/Red/Grey scale (Children's Services Improvement Plan)."""

    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    GREY = "grey", "Grey"


# The scale's own words: (delivery, impact). Shown wherever a rating is chosen or explained.
RATING_MEANINGS: dict[str, tuple[str, str]] = {
    Rating.BLUE: ("Action completed", "Achieves consistently improved outcomes"),
    Rating.GREEN: (
        "Not yet completed, on track within timescales",
        "Mostly consistently delivering improved outcomes",
    ),
    Rating.AMBER: (
        "Progressing, some issues, realistic recovery plans",
        "Some positive impact but variable",
    ),
    Rating.RED: ("Not on track, risk to implementation", "No or very limited impact"),
    Rating.GREY: ("Not started, no risk anticipated", "Too early to measure impact"),
}


# The longest a narrative may be (progress, evidence of impact, next steps, risks, a value's
# note, a return reason), in characters. Well under the 32,767 an Excel cell holds, so the
# plan exported with its figures never cuts one; about a page of A4.
NARRATIVE_MAX_LENGTH = 5000
NARRATIVE_FIELD_NAMES = ("progress", "evidence_of_impact", "next_steps", "risks", "return_reason")


class Movement(models.TextChoices):
    """How an action's approved rating moved from the previous term to this one."""

    IMPROVED = "improved", "Improved"
    SAME = "same", "Same"
    WORSE = "worse", "Worse"
    NEW = "new", "New"
    NO_UPDATE = "no_update", "No update"


# The delivery scale, lowest first; Grey ("not started") sits outside it, so a move
# onto the scale from Grey or from no rating is "new", never "improved".
RANKED = [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE]
_RANK = {rating: rank for rank, rating in enumerate(RANKED)}


def movement(before: str | None, now: str | None) -> Movement:
    """Compare last term's approved rating with this term's; None means no approved update."""
    if not now:
        return Movement.NO_UPDATE
    if now == Rating.GREY:
        # Back to "not started" after being on the scale is a step backwards.
        if before == Rating.GREY:
            return Movement.SAME
        return Movement.WORSE if before else Movement.NEW
    if before not in _RANK:
        return Movement.NEW
    if _RANK[now] == _RANK[before]:
        return Movement.SAME
    return Movement.IMPROVED if _RANK[now] > _RANK[before] else Movement.WORSE


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"


class Season(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class Calendar(models.TextChoices):
    """How often a plan's actions are reported on: its reporting periods."""

    TERMLY = "termly", "Termly (autumn, spring and summer terms)"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly (financial-year quarters)"
    FINANCIAL_YEAR = "financial_year", "Financial year (April to March)"


class Plan(models.Model):
    """A delivery plan the council runs, with its own structure, calendar and boards.

    Every plan has two levels above its actions. The strategy's are a matrix – each of its
    five commitments has actions in each of its five sectors – held as `Commitment` and
    `Sector` rows. A plan whose second level sits under the first (the SEND Priority Impact
    Plan: priority areas, each with its own desired outcomes) keeps the same two models with
    `groups_nested` set and each outcome (`Sector`) pointing at its area (`Commitment`).
    The level names below are what people see.
    """

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, help_text='Shown in menus, e.g. "SEND PIP".')
    calendar = models.CharField(max_length=20, choices=Calendar.choices, default=Calendar.TERMLY)
    area_name = models.CharField(
        max_length=40, default="Commitment", help_text='The first level, e.g. "Priority area".'
    )
    area_name_plural = models.CharField(max_length=40, default="Commitments")
    group_name = models.CharField(
        max_length=40, default="Sector", help_text='The second level, e.g. "Outcome".'
    )
    group_name_plural = models.CharField(max_length=40, default="Sectors")
    groups_nested = models.BooleanField(
        default=False,
        help_text="Whether each second-level item sits under one first-level item (outcomes "
        "under priority areas) rather than across all of them (sectors across commitments).",
    )
    measure_name = models.CharField(max_length=40, default="KPI")
    measure_name_plural = models.CharField(max_length=40, default="KPIs")
    measures_on_areas = models.BooleanField(
        default=False,
        help_text="Whether the plan's measures belong to its first-level items (priority "
        "areas) rather than to actions.",
    )
    due_soon_weeks = models.PositiveSmallIntegerField(
        default=4,
        help_text="An action not done whose due date is this many weeks away or fewer is due "
        "soon (Amber).",
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def period_word(self) -> str:
        """What one of its reporting periods is called: term, month, quarter or year."""
        return {
            Calendar.TERMLY: "term",
            Calendar.MONTHLY: "month",
            Calendar.QUARTERLY: "quarter",
            Calendar.FINANCIAL_YEAR: "year",
        }[Calendar(self.calendar)]


class Term(models.Model):
    """A reporting period of a plan: a term of the academic year (Autumn 2025 of 2025/26), a
    month (October 2024), a quarter or a financial year, as the plan's calendar says.

    `academic_year` and `season` are kept for terms only. Its table keeps the name it had
    when terms lived with the measures (kpis_term) until migration actions/0002 renames it.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(
        max_length=60,
        blank=True,
        help_text='e.g. "Autumn 2025" or "October 2024". Left blank, it is named from the '
        "plan's calendar and the dates.",
    )
    academic_year = models.CharField(
        max_length=7, blank=True, help_text="Like 2025/26; for terms only."
    )
    season = models.CharField(max_length=10, choices=Season.choices, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    due_date = models.DateField(help_text="Updates for this term are due by this date.")
    is_locked = models.BooleanField(
        default=False, help_text="A locked term's values and ratings can no longer change."
    )
    is_published = models.BooleanField(
        default=False,
        editable=False,
        help_text=(
            "The reporting period the board is looking at: dashboards, lists and board packs "
            "open on it. Published by an admin on the Reporting period page."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="unique_period_name_per_plan"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(is_published=True),
                name="one_published_period_per_plan",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="term_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(academic_year="") | Q(academic_year__regex=r"^[0-9]{4}/[0-9]{2}$"),
                name="academic_year_format",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if not self.name:
            self.name = self.default_name()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.plan_id is None:
            return
        if self.plan.calendar == Calendar.TERMLY and not (self.season and self.academic_year):
            raise ValidationError(
                {"season": "Enter the term and its academic year: this plan reports termly."}
            )

    def default_name(self) -> str:
        """The period's usual name: "Autumn 2025", "October 2024", "Q1 2025-26", "2025-26"."""
        if self.season and self.academic_year:
            return f"{Season(self.season).label} {self.calendar_year}"
        start = self.start_date
        april_year = start.year if start.month >= 4 else start.year - 1
        financial = f"{april_year}-{(april_year + 1) % 100:02d}"
        if self.plan.calendar == Calendar.MONTHLY:
            return f"{start:%B %Y}"
        if self.plan.calendar == Calendar.QUARTERLY:
            return f"Q{(start.month - 4) % 12 // 3 + 1} {financial}"
        return financial

    @property
    def calendar_year(self) -> int:
        """Autumn falls in the first year of 2025/26, Spring and Summer in the second."""
        first = int(self.academic_year[:4])
        return first if self.season == Season.AUTUMN else first + 1

    @property
    def label(self) -> str:
        return self.name


class Commitment(models.Model):
    """A plan's first level: one of the strategy's five commitments ("pillars"), e.g.
    1 INCLUSIVE, or one of the SEND plan's priority areas, e.g. 7 "AFI 1" Communication."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="commitments")
    number = models.PositiveSmallIntegerField()
    code = models.CharField(
        max_length=20,
        blank=True,
        help_text='The plan\'s own code, e.g. "AFI 1"; blank: the number.',
    )
    title = models.CharField(max_length=100)
    short_name = models.CharField(max_length=100, blank=True, help_text='e.g. "Communication".')
    statement = models.TextField(blank=True)
    lead_description = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan__position", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="commitment_number_positive"),
            models.UniqueConstraint(fields=["plan", "number"], name="one_area_number_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def label(self) -> str:
        """How the plan names it: "1. INCLUSIVE", or "AFI 1 Communication"."""
        if self.code:
            return f"{self.code} {self.short_name or self.title}"
        return str(self)


class Sector(models.Model):
    """A plan's second level: a sector of the education system (every commitment has actions
    in each), or a desired outcome of the SEND plan, coded like 2.1, under one priority area
    (`commitment`)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="sectors")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20, blank=True, help_text='e.g. "2.1"; blank for sectors.')
    name = models.CharField(max_length=300)
    commitment = models.ForeignKey(
        Commitment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
        help_text="For a plan whose outcomes sit under its areas: the area.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan__position", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(position__gte=1), name="sector_position_positive"),
            models.UniqueConstraint(fields=["plan", "position"], name="one_group_place_per_plan"),
            models.UniqueConstraint(fields=["plan", "name"], name="unique_group_name_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    """An action of a plan, coded within it (C.S(x) in the strategy, 1.1a in the SEND plan),
    with its outcome, leads and, where the plan gives one, its due date.

    `lead_description` keeps the plan's own words for the lead (a role, a board,
    initials); `leads` are the user accounts allowed to update the action. `plan` is the
    plan of its commitment, kept here so codes are unique within a plan.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions", editable=False)
    code = models.CharField(max_length=20)
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="actions")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="actions")
    text = models.TextField()
    outcome = models.TextField(blank=True)
    lead_description = models.CharField(max_length=300, blank=True)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="led_actions")
    due_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the action should be done: the last day of the month the plan gives.",
    )
    due_text = models.CharField(
        max_length=100, blank=True, help_text='The plan\'s words, e.g. "September – December 2024".'
    )
    impact_text = models.TextField(
        blank=True, help_text='The plan\'s "How will we measure impact?" for this action.'
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within the plan.")
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a re-imported plan no longer has this action."
    )

    history = HistoricalRecords(m2m_fields=["leads"])

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_action_code_per_plan"),
        ]
        indexes = [
            models.Index(fields=["commitment", "sector", "position"]),
            # Lists page through live actions in plan order without sorting them all.
            models.Index(
                fields=["position"], condition=Q(retired_at__isnull=True), name="live_action_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    def save(self, *args, **kwargs):
        # An action belongs to the plan of its commitment (or priority area), always.
        if self.commitment_id is not None:
            self.plan_id = self.commitment.plan_id
        super().save(*args, **kwargs)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class ProgressUpdate(models.Model):
    """An action's update for one reporting term: rating, narrative and its approval state.

    `version` increases on every save so a second, stale save can be refused.
    """

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="updates")
    rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    progress = models.TextField("progress narrative", blank=True, max_length=NARRATIVE_MAX_LENGTH)
    evidence_of_impact = models.TextField(blank=True, max_length=NARRATIVE_MAX_LENGTH)
    next_steps = models.TextField(blank=True, max_length=NARRATIVE_MAX_LENGTH)
    risks = models.TextField(blank=True, max_length=NARRATIVE_MAX_LENGTH)
    status = models.CharField(
        max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    return_reason = models.TextField(blank=True, max_length=NARRATIVE_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who approved or returned it.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Everyone who has saved or submitted this update: none of them may decide it.",
    )
    is_demo = models.BooleanField(default=False, help_text="Made up by seed_demo, not real.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["action__position", "term__start_date"]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=LessThanOrEqual(Length(name), NARRATIVE_MAX_LENGTH),
                    name=f"update_{name}_within_limit",
                )
                for name in NARRATIVE_FIELD_NAMES
            ),
            models.UniqueConstraint(fields=["action", "term"], name="one_update_per_action_term"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="returned_update_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="returned") | ~Q(rating=""),
                name="submitted_update_has_rating",
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=Rating.values), name="rating_on_scale"
            ),
            models.CheckConstraint(
                condition=Q(status__in=UpdateStatus.values), name="update_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["term", "status"]),
            # "Is this action's update for the term approved?", asked once a KPI or action row.
            models.Index(
                fields=["term", "action"],
                condition=Q(status="approved"),
                name="approved_update_by_term",
            ),
        ]
        permissions = [("approve_progressupdate", "Can approve or return termly updates")]

    def __str__(self) -> str:
        return f"{self.action.code} – {self.term}"


class TermException(models.Model):
    """Lets one action be updated in a locked term, granted by an admin for a stated reason.

    It stays open until the lead submits again, when `closed_at` is set.
    """

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="term_exceptions")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="exceptions")
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="exception_has_reason"),
            models.UniqueConstraint(
                fields=["action", "term"],
                condition=Q(closed_at__isnull=True),
                name="one_open_exception_per_action_term",
            ),
        ]

    def __str__(self) -> str:
        return f"Exception for {self.action.code} in {self.term}"


class ChangeRecord(models.Model):
    """One change to a termly update or a KPI value: what, before, after, who and when.

    Before and after are kept as the text a person would read, so history stays
    legible even after the plan's wording or units change.
    """

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="changes")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="changes")
    field = models.CharField(max_length=200)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["action", "term"])]

    def __str__(self) -> str:
        return f"{self.action.code} {self.field}: {self.before!r} → {self.after!r}"


class ReminderLog(models.Model):
    """A reminder e-mail sent to a lead about a term, so a second run the same day sends none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    action_count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "term", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.user} for {self.term} on {self.sent_on}"


class Reference(models.Model):
    """A code from outside a plan that its actions link to or depend on, e.g. the SEND plan's
    "PSV 10" (an item of the Safety Valve agreement), with what it stands for."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="references")
    code = models.CharField(max_length=40)
    description = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan__position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_reference_code_per_plan")
        ]

    def __str__(self) -> str:
        return self.code


class ActionLink(models.Model):
    """What an action links to or depends on, as its plan says: another action, a priority
    area (or commitment) or an outside reference; exactly one of the three.

    Links follow their action: when an action or reference is deleted, so are its links.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="links")
    target_action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="linked_from"
    )
    target_area = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.CASCADE, related_name="linked_from"
    )
    target_reference = models.ForeignKey(
        Reference, null=True, blank=True, on_delete=models.CASCADE, related_name="linked_from"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the action.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    target_action__isnull=False,
                    target_area__isnull=True,
                    target_reference__isnull=True,
                )
                | Q(
                    target_action__isnull=True,
                    target_area__isnull=False,
                    target_reference__isnull=True,
                )
                | Q(
                    target_action__isnull=True,
                    target_area__isnull=True,
                    target_reference__isnull=False,
                ),
                name="link_has_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(target_action=models.F("action")), name="link_not_to_itself"
            ),
            *(
                models.UniqueConstraint(
                    fields=["action", target],
                    condition=Q(**{f"{target}__isnull": False}),
                    name=f"one_link_per_action_{target}",
                )
                for target in ("target_action", "target_area", "target_reference")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} → {self.target}"

    @property
    def target(self) -> "Action | Commitment | Reference":
        return self.target_action or self.target_area or self.target_reference
