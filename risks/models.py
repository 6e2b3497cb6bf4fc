"""A plan's risk register: each risk scored likelihood × impact, banded, owned and reviewed.

The SEND Priority Impact Plan asks its leads to review the register monthly; a risk whose
review date has passed while it is open is "review overdue".
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import Action, Commitment, Plan


class Likelihood(models.IntegerChoices):
    RARE = 1, "1 – Rare"
    UNLIKELY = 2, "2 – Unlikely"
    POSSIBLE = 3, "3 – Possible"
    LIKELY = 4, "4 – Likely"
    ALMOST_CERTAIN = 5, "5 – Almost certain"


class Impact(models.IntegerChoices):
    NEGLIGIBLE = 1, "1 – Negligible"
    MINOR = 2, "2 – Minor"
    MODERATE = 3, "3 – Moderate"
    MAJOR = 4, "4 – Major"
    SEVERE = 5, "5 – Severe"


class Band(models.TextChoices):
    """A score's band, lowest first."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


# The band rule, the one place it is stated: each band's lowest and highest score.
BAND_SCORES: dict[str, tuple[int, int]] = {
    Band.LOW: (1, 4),
    Band.MEDIUM: (5, 9),
    Band.HIGH: (10, 14),
    Band.VERY_HIGH: (15, 25),
}
# The GOV.UK tag colour beside each band's words (never the colour alone).
BAND_TAGS: dict[str, str] = {
    Band.LOW: "govuk-tag--green",
    Band.MEDIUM: "govuk-tag--yellow",
    Band.HIGH: "govuk-tag--orange",
    Band.VERY_HIGH: "govuk-tag--red",
}


def band(score: int) -> Band:
    """The band of a likelihood × impact score (1 to 25)."""
    for name, (low, high) in BAND_SCORES.items():
        if low <= score <= high:
            return Band(name)
    raise ValueError(f"A risk score is between 1 and 25, not {score}.")


def with_scores(risks: QuerySet) -> QuerySet:
    """`risks` annotated with `risk_score` (likelihood × impact) and `risk_band`, computed
    by the database so lists can filter and sort on them."""
    scored = risks.annotate(risk_score=F("likelihood") * F("impact"))
    bands = [When(risk_score__range=r, then=Value(b)) for b, r in BAND_SCORES.items()]
    return scored.annotate(risk_band=Case(*bands, output_field=models.CharField()))


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Risk(models.Model):
    """A risk to a plan's delivery, with its reference in the plan ("R1"), likelihood and
    impact (1 to 5 each), owner, mitigation and when it is next to be reviewed.

    `owner_description` keeps the plan's own words for the owner (a role); `owner` is the
    account that may edit the risk and record its reviews. The actions and priority areas
    it bears on belong to the same plan (the forms offer no others).
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="risks")
    reference = models.CharField(max_length=20, help_text='e.g. "R1"; unique within the plan.')
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(choices=Likelihood.choices)
    impact = models.PositiveSmallIntegerField(choices=Impact.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_risks",
    )
    owner_description = models.CharField(
        max_length=300,
        blank=True,
        help_text='The plan\'s words for the owner, e.g. "Head of SEND".',
    )
    mitigation = models.TextField(blank=True)
    review_date = models.DateField(help_text="When the risk is next to be reviewed.")
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    actions = models.ManyToManyField(Action, blank=True, related_name="risks")
    areas = models.ManyToManyField(Commitment, blank=True, related_name="risks")

    history = HistoricalRecords(m2m_fields=["actions", "areas"])

    class Meta:
        ordering = ["plan", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="unique_risk_per_plan"),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band(self.score)

    @property
    def band_tag(self) -> str:
        return BAND_TAGS[self.band]

    def review_overdue(self, today: date | None = None) -> bool:
        """Whether the risk is open and its review date has passed."""
        today = today or timezone.localdate()
        return self.status == Status.OPEN and self.review_date < today

    @property
    def is_review_overdue(self) -> bool:
        return self.review_overdue()

    @property
    def owner_label(self) -> str:
        """The owner as people read it: the plan's words, and the account's name if any."""
        name = (self.owner.get_full_name() or self.owner.username) if self.owner else ""
        if name and self.owner_description:
            return f"{name} ({self.owner_description})"
        return name or self.owner_description or "Not yet assigned"
