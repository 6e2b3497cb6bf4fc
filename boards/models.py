"""Governance: boards with a remit, their meetings, and the packs they take into them."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import Commitment, Plan, Sector, Term


class Board(models.Model):
    """A board or committee that monitors part or all of one plan, in that plan's reporting
    periods: the Education Board the strategy termly, the SEND Improvement & Assurance Board
    the SEND plan monthly.

    An empty remit (no commitments and no sectors) means the whole plan.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="boards")
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="boards")
    sectors = models.ManyToManyField(Sector, blank=True, related_name="boards")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="boards")
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords(m2m_fields=["commitments", "sectors", "members"])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def remit(self) -> str:
        """The remit in words, e.g. "Commitments 1 and 2; Early years sector"."""
        commitments = [f"{c.number}. {c.title}" for c in self.commitments.all()]
        sectors = [s.name for s in self.sectors.all()]
        if not commitments and not sectors:
            return f"The whole of the {self.plan.name}"
        plan = self.plan
        parts = []
        if commitments:
            names = plan.area_name_plural if len(commitments) > 1 else plan.area_name
            parts.append(f"{names} " + ", ".join(commitments))
        if sectors:
            names = plan.group_name_plural if len(sectors) > 1 else plan.group_name
            parts.append(f"{names} " + ", ".join(sectors))
        return "; ".join(parts)


class Meeting(models.Model):
    """A meeting of a board, for which a pack is prepared."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="one_meeting_per_board_day")
        ]

    def __str__(self) -> str:
        return f"{self.board} – {self.date:%d %B %Y}"


class BoardPack(models.Model):
    """A frozen snapshot of the plan's position for a meeting, in numbered versions.

    `content` is taken when the pack is generated and never recomputed, so the pack
    stays what the board saw even as values are revised; generating again makes a
    new version and the old one stays readable. Publishing freezes a second copy,
    `public_content`, with small numbers suppressed and restricted notes removed,
    readable without signing in at an unguessable address.

    A new version exists at once, `preparing`; the worker freezes its content (`ready`)
    or records why it could not (`failed`). Each PDF (restricted and public) is rendered
    once, by the worker, for whoever asks first, and kept: `pdf_state` and
    `public_pdf_state` say where that stands, and the `_error` fields why one failed.
    """

    class State(models.TextChoices):
        PREPARING = "preparing", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    class PDFState(models.TextChoices):
        NOT_REQUESTED = "not_requested", "Not asked for yet"
        PENDING = "pending", "Being prepared"
        RENDERED = "rendered", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="packs")
    version = models.PositiveIntegerField()
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="board_packs")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREPARING)
    error = models.TextField(blank=True, help_text="Why the pack could not be prepared.")
    content = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    public_content = models.JSONField(null=True, blank=True)
    public_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # PDFs are rendered from the frozen content once, by the worker, and kept: the content
    # never changes, and a whole-plan PDF takes far longer to lay out than a request may.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_state = models.CharField(
        max_length=15, choices=PDFState.choices, default=PDFState.NOT_REQUESTED
    )
    pdf_error = models.TextField(blank=True)
    public_pdf = models.BinaryField(null=True, blank=True, editable=False)
    public_pdf_state = models.CharField(
        max_length=15, choices=PDFState.choices, default=PDFState.NOT_REQUESTED
    )
    public_pdf_error = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="one_pack_per_version"),
            models.CheckConstraint(
                condition=models.Q(public_token__isnull=True)
                | models.Q(public_content__isnull=False),
                name="published_pack_has_public_content",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="ready") | models.Q(content__isnull=False),
                name="ready_pack_has_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – pack version {self.version}"

    @property
    def is_published(self) -> bool:
        return self.public_token is not None

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY

    def pdf_status(self, *, public: bool) -> tuple[str, str]:
        """The state of the restricted or public PDF, and why it failed if it did."""
        if public:
            return self.public_pdf_state, self.public_pdf_error
        return self.pdf_state, self.pdf_error


class FeedToken(models.Model):
    """A key to the read-only data feed (/feed/...), issued to one user by an admin.

    Only the SHA-256 of the token is stored; the token itself is shown once, when
    issued. `prefix` (its first characters) lets people tell tokens apart. A user
    token reads approved figures; a public token (for committee papers) reads them
    with small numbers suppressed and restricted notes removed.
    """

    class Kind(models.TextChoices):
        USER = "user", "Approved figures, as the user's role allows"
        PUBLIC = "public", "Public: small numbers suppressed, restricted notes removed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    name = models.CharField(max_length=100, help_text="What it is for, e.g. Power BI dashboard.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.USER)
    prefix = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["user", "public"]), name="feed_token_kind_valid"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="feed_token_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def is_public(self) -> bool:
        return self.kind == self.Kind.PUBLIC
