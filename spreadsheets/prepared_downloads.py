"""The plan with its figures as a workbook, prepared by the worker (`manage.py db_worker`).

For a large plan the workbook takes over a minute to build, longer than a request may, so
asking for one only queues it (`prepared_download_request`); the job builds it for the
person who asked, with the figures they may see, and keeps it for them to download.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from actions.models import Action, Plan
from boards.models import Board
from boards.selectors import Remit
from kpis.selectors import actions_led_by
from spreadsheets.models import PreparedDownload
from spreadsheets.plan_export import ExportScope, plan_export_bytes

logger = logging.getLogger(__name__)
Scope = PreparedDownload.Scope
State = PreparedDownload.State
# Prepared workbooks are a convenience, not a record: each job deletes any older than this,
# anyone's, so the table does not keep megabytes of figures nobody will fetch. (A job whose
# row has gone finds nothing to claim and does nothing.)
KEPT_FOR = timedelta(days=1)
# A workbook still unfinished this long after it was asked for lost its worker (stopped
# mid-job, say): asking again makes a new one rather than waiting on it for ever.
STALLED_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class Wanted:
    """Which workbook someone asked for: a plan whole, the actions they lead in it, or a
    board's remit (in the board's plan)."""

    scope: str
    plan: Plan
    board: Board | None = None

    def title(self) -> str:
        if self.board is not None:
            return f"{self.board.name}: {self.board.remit}"
        return "The actions you lead" if self.scope == Scope.MINE else f"The whole {self.plan.name}"

    def file_name(self) -> str:
        """The names the download had when it was built in the request, so they still match."""
        if self.board is not None:
            return f"{self.board.slug}-plan-with-figures.xlsx"
        suffix = "my-actions" if self.scope == Scope.MINE else "plan-with-figures"
        return f"{self.plan.slug}-{suffix}.xlsx"


def active_board(slug: str) -> Board | None:
    """The board whose remit is exported, with what `Remit.of` reads; None if there is none."""
    boards = Board.objects.select_related("plan").prefetch_related("commitments", "sectors")
    return boards.filter(slug=slug, is_active=True).first()


def prepared_download_request(*, user: AbstractBaseUser, wanted: Wanted) -> PreparedDownload:
    """Queue the workbook `wanted` for `user`, or give back the one already queued or being
    prepared for them (unless it has stalled), so pressing the button twice makes one job."""
    slug = wanted.board.slug if wanted.board else ""
    with transaction.atomic():
        unfinished = PreparedDownload.objects.defer("content").filter(
            requested_by=user,
            plan=wanted.plan,
            scope=wanted.scope,
            board_slug=slug,
            state__in=PreparedDownload.PENDING,
            created_at__gte=timezone.now() - STALLED_AFTER,
        )
        existing = unfinished.select_for_update().first()
        if existing is not None:
            return existing
        download = PreparedDownload.objects.create(
            requested_by=user,
            plan=wanted.plan,
            scope=wanted.scope,
            board_slug=slug,
            title=wanted.title(),
            file_name=wanted.file_name(),
        )
        plan_export_job.enqueue(download.pk)
    return download


@task()
def plan_export_job(download_id: int) -> None:
    """Build a requested workbook and keep it: the worker's half of preparing it."""
    prepared_download_build(download_id=download_id)


def prepared_download_build(*, download_id: int) -> None:
    """Build the workbook once, as of today, for its requester; a failure is recorded on it
    (and raised, so the job is marked failed too) and never retried by reloading its page."""
    _delete_old()
    claimed = PreparedDownload.objects.filter(pk=download_id, state=State.QUEUED).update(
        state=State.RUNNING
    )
    if not claimed:
        return
    download = PreparedDownload.objects.defer("content").select_related("requested_by", "plan")
    download = download.get(pk=download_id)
    running = PreparedDownload.objects.filter(pk=download_id, state=State.RUNNING)
    try:
        content = plan_export_bytes(_export_scope(download), timezone.localdate())
    except Exception as error:
        message = f"The workbook could not be prepared because of a fault ({type(error).__name__})."
        logger.warning("Prepared download %s failed: %s", download_id, message)
        running.update(state=State.FAILED, error=message, finished_at=timezone.now())
        raise
    running.update(
        state=State.READY, content=content, size=len(content), error="", finished_at=timezone.now()
    )


class BoardGone(Exception):
    """The board was closed or renamed after the workbook was asked for."""


def _export_scope(download: PreparedDownload) -> ExportScope:
    """What the workbook covers, worked out now: the actions someone leads, or a board's
    remit, are as they are when it is built."""
    user, plan = download.requested_by, download.plan
    if download.scope == Scope.BOARD:
        board = active_board(download.board_slug)
        if board is None:
            raise BoardGone(download.board_slug)
        actions = Remit.of(board).actions()
    elif download.scope == Scope.MINE:
        actions = actions_led_by(user)
    else:
        actions = Action.objects.all()
    return ExportScope(actions, download.title, user, plan)


def _delete_old() -> None:
    """Workbooks asked for more than KEPT_FOR ago go, finished or stalled."""
    PreparedDownload.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
