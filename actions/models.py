"""The plan's structure (commitments, sectors, actions), its reporting calendar (terms), and
each action's termly rating with its history."""

from django.conf import settings
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


class Term(models.Model):
    """A reporting term of the academic year, e.g. Autumn 2025 of 2025/26.

    Its table keeps the name it had when terms lived with the measures (kpis_term) until
    migration actions/0002 renames it.
    """

    academic_year = models.CharField(max_length=7, help_text="Like 2025/26.")
    season = models.CharField(max_length=10, choices=Season.choices)
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
            models.UniqueConstraint(fields=["academic_year", "season"], name="unique_term"),
            models.UniqueConstraint(
                fields=["is_published"],
                condition=Q(is_published=True),
                name="one_published_term",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="term_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(academic_year__regex=r"^[0-9]{4}/[0-9]{2}$"),
                name="academic_year_format",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def calendar_year(self) -> int:
        """Autumn falls in the first year of 2025/26, Spring and Summer in the second."""
        first = int(self.academic_year[:4])
        return first if self.season == Season.AUTUMN else first + 1

    @property
    def label(self) -> str:
        return f"{self.get_season_display()} {self.calendar_year}"


class Commitment(models.Model):
    """One of the strategy's five commitments ("pillars"), e.g. 1 INCLUSIVE."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=100)
    statement = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="commitment_number_positive")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Sector(models.Model):
    """A sector of the education system; every commitment has actions in each."""

    position = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=Q(position__gte=1), name="sector_position_positive")
        ]

    def __str__(self) -> str:
        return self.name


class Action(models.Model):
    """An action of the delivery plan, coded C.S(x), with its outcome and leads.

    `lead_description` keeps the plan's own words for the lead (a role, a board,
    initials); `leads` are the user accounts allowed to update the action.
    """

    code = models.CharField(max_length=20, unique=True)
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="actions")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="actions")
    text = models.TextField()
    outcome = models.TextField(blank=True)
    lead_description = models.CharField(max_length=300, blank=True)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="led_actions")
    position = models.PositiveIntegerField(default=0, help_text="Order within the plan.")
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a re-imported plan no longer has this action."
    )

    history = HistoricalRecords(m2m_fields=["leads"])

    class Meta:
        ordering = ["position", "code"]
        indexes = [
            models.Index(fields=["commitment", "sector", "position"]),
            # Lists page through live actions in plan order without sorting them all.
            models.Index(
                fields=["position"], condition=Q(retired_at__isnull=True), name="live_action_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

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
