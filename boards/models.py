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


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public (small numbers suppressed)"
    RESTRICTED = "restricted", "Restricted (all figures)"


class BoardPack(models.Model):
    """A frozen snapshot of the plan's position for a meeting.

    `content` is taken when the pack is made and never recomputed, so the pack
    stays what the board saw even as values are revised later.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="packs")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="board_packs")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.RESTRICTED
    )
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "visibility"], name="one_pack_per_meeting_visibility"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} ({self.get_visibility_display()})"

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC
