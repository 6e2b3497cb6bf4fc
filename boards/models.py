"""Governance: boards with a remit, their meetings, and the packs they take into them."""

from django.conf import settings
from django.db import models

from actions.models import Commitment, Sector
from kpis.models import Term


class Board(models.Model):
    """A board or committee that monitors part or all of the plan.

    An empty remit (no commitments and no sectors) means the whole plan.
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    commitments = models.ManyToManyField(Commitment, blank=True, related_name="boards")
    sectors = models.ManyToManyField(Sector, blank=True, related_name="boards")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="boards")
    is_active = models.BooleanField(default=True)

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
            return "The whole delivery plan"
        parts = []
        if commitments:
            parts.append(
                "Commitment" + ("s " if len(commitments) > 1 else " ") + ", ".join(commitments)
            )
        if sectors:
            parts.append("Sector" + ("s " if len(sectors) > 1 else " ") + ", ".join(sectors))
        return "; ".join(parts)


class Meeting(models.Model):
    """A meeting of a board, for which a pack is prepared."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)

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
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="packs")
    version = models.PositiveIntegerField()
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="board_packs")
    content = models.JSONField()
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
    # PDFs are rendered from the frozen content once, on first download, and kept:
    # the content never changes, and a whole-plan PDF takes seconds to lay out.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    public_pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="one_pack_per_version"),
            models.CheckConstraint(
                condition=models.Q(public_token__isnull=True)
                | models.Q(public_content__isnull=False),
                name="published_pack_has_public_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – pack version {self.version}"

    @property
    def is_published(self) -> bool:
        return self.public_token is not None
