"""Writes for boards: generating, publishing and withdrawing board packs."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from boards.models import BoardPack, Meeting
from boards.packs import pack_content
from boards.suppression import public_content
from bury_eis.pdf import html_to_pdf
from kpis.models import Term


def board_pack_generate(*, meeting: Meeting, term: Term, user: AbstractBaseUser) -> BoardPack:
    """Freeze a new version of the meeting's pack; earlier versions stay as they were."""
    content = pack_content(meeting, term)
    with transaction.atomic():
        # Lock the meeting so two admins generating at once get versions n and n+1.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        last = meeting.packs.aggregate(last=Max("version"))["last"] or 0
        return BoardPack.objects.create(
            meeting=meeting, version=last + 1, term=term, content=content, created_by=user
        )


def board_pack_publish(*, pack: BoardPack, user: AbstractBaseUser) -> BoardPack:
    """Freeze the public copy (small numbers suppressed) and give it an unguessable address.

    Publishing an already published pack keeps its address and copy.
    """
    if pack.is_published:
        return pack
    pack.public_content = public_content(pack.content, settings.SMALL_NUMBER_THRESHOLD)
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
    pack.public_pdf = None
    fields = ["public_content", "public_token", "published_by", "published_at", "public_pdf"]
    pack.save(update_fields=fields)
    return pack


def board_pack_pdf(*, pack: BoardPack, public: bool) -> bytes:
    """The pack (or its public copy) as PDF: rendered from the frozen content once, then kept."""
    field = "public_pdf" if public else "pdf"
    stored = getattr(pack, field)
    if stored is not None:
        return bytes(stored)
    content = pack.public_content if public else pack.content
    html = render_to_string("boards/pack_print.html", {"pack": pack, "c": content})
    pdf = html_to_pdf(html)
    BoardPack.objects.filter(pk=pack.pk).update(**{field: pdf})
    return pdf
