"""Writes for boards: generating, publishing and withdrawing board packs, and their PDFs.

Preparing a pack and rendering a PDF take far longer than a request may, so requests
only queue them; the worker (`manage.py db_worker`) runs the jobs below.
"""

import logging
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from actions.models import Term
from boards.models import BoardPack, Meeting
from boards.packs import pack_content, superseded_by
from boards.suppression import public_content
from bury_eis.pdf import html_to_pdf

logger = logging.getLogger(__name__)
PDFState = BoardPack.PDFState


def board_pack_generate(*, meeting: Meeting, term: Term, user: AbstractBaseUser) -> BoardPack:
    """Start a new version of the meeting's pack: it exists at once, being prepared, and the
    worker freezes its content. Earlier versions stay as they were."""
    with transaction.atomic():
        # Lock the meeting so two admins generating at once get versions n and n+1.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        last = meeting.packs.aggregate(last=Max("version"))["last"] or 0
        pack = BoardPack.objects.create(
            meeting=meeting, version=last + 1, term=term, created_by=user
        )
        board_pack_prepare_job.enqueue(pack.pk)
    return pack


@task()
def board_pack_prepare_job(pack_id: int) -> None:
    """Freeze a pack's content: the worker's half of generating it."""
    board_pack_prepare(pack_id=pack_id)


def board_pack_prepare(*, pack_id: int) -> None:
    """Take the pack's snapshot of the plan for its board and term, once; a failure is
    recorded on the pack (and raised, so the job is marked failed too)."""
    pack = BoardPack.objects.select_related("meeting__board", "term").get(pk=pack_id)
    if pack.state != BoardPack.State.PREPARING:
        return
    try:
        content = pack_content(pack.meeting, pack.term)
    except Exception as error:
        message = f"The pack could not be prepared because of a fault ({type(error).__name__})."
        logger.warning("Board pack %s failed: %s", pack_id, message)
        BoardPack.objects.filter(pk=pack_id, state=BoardPack.State.PREPARING).update(
            state=BoardPack.State.FAILED, error=message
        )
        raise
    with transaction.atomic():
        ready = BoardPack.objects.filter(pk=pack_id, state=BoardPack.State.PREPARING).update(
            state=BoardPack.State.READY, content=content, error=""
        )
        if ready:
            _mark_superseded(pack)


def _mark_superseded(pack: BoardPack) -> None:
    """Earlier versions' restricted PDFs are made again when next asked for, so that they
    say which version superseded them; their frozen content is untouched. Public PDFs stay
    as published: what the public may read of a version does not change."""
    BoardPack.objects.filter(meeting_id=pack.meeting_id, version__lt=pack.version).exclude(
        pdf_state=PDFState.NOT_REQUESTED
    ).update(pdf=None, pdf_state=PDFState.NOT_REQUESTED, pdf_error="")


def board_pack_retry(*, pack: BoardPack) -> bool:
    """Prepare a failed pack again; False if it has not failed."""
    with transaction.atomic():
        moved = BoardPack.objects.filter(pk=pack.pk, state=BoardPack.State.FAILED).update(
            state=BoardPack.State.PREPARING, error=""
        )
        if moved:
            board_pack_prepare_job.enqueue(pack.pk)
    return bool(moved)


def board_pack_public_version(*, pack: BoardPack) -> dict:
    """What publishing `pack` would freeze for the public: the page that asks an admin to
    confirm shows this, and publishing stores it, so the two cannot differ."""
    return public_content(pack.content, settings.SMALL_NUMBER_THRESHOLD)


def board_pack_publish(*, pack: BoardPack, user: AbstractBaseUser) -> BoardPack:
    """Freeze the public copy (small numbers suppressed) and give it an unguessable address.

    Publishing an already published pack keeps its address and copy.
    """
    if pack.is_published:
        return pack
    if not pack.is_ready:
        raise ValueError("Only a pack that is ready can be published.")
    pack.public_content = board_pack_public_version(pack=pack)
    pack.public_token = secrets.token_urlsafe(32)
    pack.published_by = user
    pack.published_at = timezone.now()
    pack.full_clean()
    pack.save(update_fields=["public_content", "public_token", "published_by", "published_at"])
    return pack


def board_pack_withdraw(*, pack: BoardPack) -> BoardPack:
    """Take the public copy down: its address stops working at once."""
    pack.public_content = None
    pack.public_token = None
    pack.published_by = None
    pack.published_at = None
    pack.public_pdf, pack.public_pdf_state, pack.public_pdf_error = None, PDFState.NOT_REQUESTED, ""
    fields = ["public_content", "public_token", "published_by", "published_at"]
    fields += ["public_pdf", "public_pdf_state", "public_pdf_error"]
    pack.save(update_fields=fields)
    return pack


def _pdf_fields(public: bool) -> tuple[str, str, str]:
    return (
        ("public_pdf", "public_pdf_state", "public_pdf_error")
        if public
        else (
            "pdf",
            "pdf_state",
            "pdf_error",
        )
    )


def board_pack_pdf_request(*, pack: BoardPack, public: bool) -> str:
    """The PDF's state, queueing its render if nobody has asked for it yet.

    The first request claims the render with one conditional UPDATE, so however many
    ask at once exactly one job is queued; the rest see it pending. A failed render
    stays failed until an admin asks for it again (`board_pack_pdf_retry`).
    """
    _, state, _ = _pdf_fields(public)
    current = getattr(pack, state)
    if current != PDFState.NOT_REQUESTED or not pack.is_ready:
        return current
    with transaction.atomic():
        claimed = BoardPack.objects.filter(
            pk=pack.pk, state=BoardPack.State.READY, **{state: PDFState.NOT_REQUESTED}
        ).update(**{state: PDFState.PENDING})
        if claimed:
            board_pack_render_job.enqueue(pack.pk, public)
    pack.refresh_from_db(fields=[state])
    return getattr(pack, state)


def board_pack_pdf_retry(*, pack: BoardPack, public: bool) -> bool:
    """Render a PDF whose render failed again; False if it has not failed."""
    _, state, error = _pdf_fields(public)
    with transaction.atomic():
        moved = BoardPack.objects.filter(pk=pack.pk, **{state: PDFState.FAILED}).update(
            **{state: PDFState.PENDING, error: ""}
        )
        if moved:
            board_pack_render_job.enqueue(pack.pk, public)
    return bool(moved)


@task()
def board_pack_render_job(pack_id: int, public: bool) -> None:
    """Render a pack (or its public copy) to PDF and keep it."""
    board_pack_render(pack_id=pack_id, public=public)


def board_pack_render(*, pack_id: int, public: bool) -> None:
    """Render the frozen content to PDF, once, and keep it; a failure is recorded (and
    raised, so the job is marked failed too) and not retried by the next reader.

    The result is kept only if the render is still wanted as it was asked for: a public
    copy withdrawn (or withdrawn and published again) meanwhile is not overwritten.
    """
    pdf_field, state, error = _pdf_fields(public)
    pack = BoardPack.objects.select_related("meeting__board", "term").get(pk=pack_id)
    if getattr(pack, state) != PDFState.PENDING:
        return
    still_wanted = BoardPack.objects.filter(pk=pack_id, **{state: PDFState.PENDING})
    if public:
        still_wanted = still_wanted.filter(public_token=pack.public_token)
    content = pack.public_content if public else pack.content
    context = {"pack": pack, "c": content}
    if not public:
        context["superseded_by"] = superseded_by(pack)
    try:
        html = render_to_string("boards/pack_print.html", context)
        pdf = html_to_pdf(html)
    except Exception as exc:
        message = f"The PDF could not be made because of a fault ({type(exc).__name__})."
        logger.warning("PDF of board pack %s failed: %s", pack_id, message)
        still_wanted.update(**{state: PDFState.FAILED, error: message})
        raise
    still_wanted.update(**{pdf_field: pdf, state: PDFState.RENDERED, error: ""})


def board_pack_pdf(*, pack: BoardPack, public: bool) -> bytes | None:
    """The stored PDF, or None if it has not been rendered."""
    pdf_field, state, _ = _pdf_fields(public)
    if getattr(pack, state) != PDFState.RENDERED:
        return None
    return bytes(getattr(pack, pdf_field))
