"""Uploaded workbooks (the plan import, figures from the Excel round trip) on their way from
upload through the worker's check and the person's confirmation to being applied."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class StagedUpload(models.Model):
    """An uploaded workbook as a reviewed change: checked, previewed, then applied when confirmed.

    One flow for both kinds: a plan import (admins) and figures from the Excel round trip
    (its uploader). The worker checks the file (`checking`) and works out its preview
    (`ready`), or lists what is wrong with it (`refused`), or, meeting column headings it
    does not know, asks which column each is (`matching`) and checks it again once told.
    Once confirmed it applies it (`applying`), all or nothing, and records the outcome
    (`applied`, or `failed` with the error). The file is kept in the database (never on a
    web-served path) only until it is applied or refused; what was confirmed stays as `preview`.
    """

    class Kind(models.TextChoices):
        PLAN = "plan", "Plan import"
        FIGURES = "figures", "Figures from Excel"

    class State(models.TextChoices):
        RECEIVED = "received", "Waiting to be checked"
        CHECKING = "checking", "Checking"
        MATCHING = "matching", "Columns to match"
        READY = "ready", "Ready to confirm"
        REFUSED = "refused", "Not accepted"
        APPLYING = "applying", "Saving"
        APPLIED = "applied", "Saved"
        FAILED = "failed", "Failed"

    PENDING = (State.RECEIVED, State.CHECKING, State.APPLYING)

    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVED)
    file_name = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the uploaded file.")
    content = models.BinaryField(null=True, blank=True)
    layout = models.CharField(max_length=20, blank=True, help_text="template or published")
    plan = models.ForeignKey(
        "actions.Plan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a plan import: the plan it imports into; nothing else is touched.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    preview = models.JSONField(default=dict)
    problems = models.JSONField(default=list, help_text="Why the file was not accepted.")
    warnings = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    error = models.TextField(blank=True, help_text="Why the last job failed.")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["plan", "figures"]), name="staged_upload_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="applied", applied_at__isnull=False) | ~Q(state="applied"),
                name="applied_upload_has_time",
            ),
        ]
        indexes = [models.Index(fields=["kind", "state"], name="staged_upload_kind_state")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display().lower()})"

    @property
    def is_pending(self) -> bool:
        """A job is queued or running for it: its page says so and refreshes itself."""
        return self.state in self.PENDING


class HeaderMapping(models.Model):
    """Which template column a plan's files mean by a heading the reader does not know.

    Saved when an admin matches the columns of an upload, so the next file of the same plan
    with that heading is read without asking. `header_key` is the heading in
    `plan_cells.header_key` form; a blank `column` means the column is not needed and is left
    out. Per plan: another plan's files may use the same heading for something else.
    """

    plan = models.ForeignKey(
        "actions.Plan", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    header_key = models.TextField()
    header = models.TextField(help_text="The heading as last matched.")
    column = models.CharField(
        max_length=40, blank=True, help_text="The template column; blank: not needed."
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "header_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "header_key"], name="one_header_mapping_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.header} -> {self.column or 'not needed'}"


class PreparedDownload(models.Model):
    """The plan with its figures as a workbook, prepared by the worker for the person who asked.

    Building it takes over a minute for a large plan, so a request only queues it (`queued`);
    the worker builds it (`running`) and keeps the bytes (`ready`), or records why it could
    not (`failed`). It holds the figures its requester may see, drafts of the actions they
    lead included, so only they ever see its page or download it.
    """

    class Scope(models.TextChoices):
        PLAN = "plan", "The whole plan"
        MINE = "mine", "The actions you lead"
        BOARD = "board", "A board's remit"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Preparing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    PENDING = (State.QUEUED, State.RUNNING)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey("actions.Plan", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    board_slug = models.SlugField(blank=True, help_text="For a board's remit: which board.")
    title = models.CharField(max_length=300, help_text="What the workbook covers, as it says.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(blank=True, help_text="Why it could not be prepared.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0, help_text="Bytes, to show without reading them.")
    file_name = models.CharField(max_length=255)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["plan", "mine", "board"]),
                name="prepared_download_scope_valid",
            ),
            models.CheckConstraint(
                condition=~Q(scope="board") | ~Q(board_slug=""),
                name="board_download_names_its_board",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "state"], name="prepared_download_user_state")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display().lower()})"

    @property
    def is_pending(self) -> bool:
        """The worker has yet to finish it: its page says so and refreshes itself."""
        return self.state in self.PENDING

    @property
    def is_mine(self) -> bool:
        """Of the actions its requester leads (the form asking again says so)."""
        return self.scope == self.Scope.MINE

    @property
    def size_mb(self) -> str:
        """Its size in megabytes for the download link ("24.7"); a small one says "0.1"."""
        return f"{max(self.size / 1e6, 0.1):.1f}"
