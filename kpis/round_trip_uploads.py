"""An edited workbook as a reviewed change: upload and preview, then confirm and apply."""

import json
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from kpis.models import RoundTripUpload
from kpis.round_trip import RoundTripRefused, round_trip_apply, round_trip_preview
from kpis.round_trip_read import round_trip_file_read


class ChangedSincePreview(Exception):
    """What is stored changed after the preview was made; upload the file again."""


def _as_stored(preview: dict) -> dict:
    """The preview as its JSON field gives it back, to compare like with like."""
    return json.loads(json.dumps(preview, cls=DjangoJSONEncoder))


def round_trip_stage(
    *, data: bytes, name: str, user: AbstractBaseUser, today: date
) -> RoundTripUpload:
    """Check and read the workbook, work out what it would change, and keep both.

    Raises PlanFileError (nothing kept) if the file cannot be read at all.
    """
    file = round_trip_file_read(data, name=name)
    return RoundTripUpload.objects.create(
        file_name=name[:255],
        checksum=file.checksum,
        content=data,
        uploaded_by=user,
        preview=_as_stored(round_trip_preview(file, user=user, today=today)),
    )


def round_trip_confirm(*, staged: RoundTripUpload, user: AbstractBaseUser, today: date) -> int:
    """Apply a previewed upload exactly as previewed, in one transaction; returns how many
    updates changed. Raises ChangedSincePreview if anything it touches changed since,
    RoundTripRefused if it has problems; then nothing is saved."""
    with transaction.atomic():
        staged = RoundTripUpload.objects.select_for_update().get(
            pk=staged.pk, applied_at__isnull=True
        )
        file = round_trip_file_read(bytes(staged.content), name=staged.file_name)
        preview = _as_stored(round_trip_preview(file, user=user, today=today))
        if preview != staged.preview:
            raise ChangedSincePreview
        if preview["problems"]:
            raise RoundTripRefused("The file has problems to fix first.")
        changed = round_trip_apply(preview=preview, user=user)
        staged.applied_at, staged.content = timezone.now(), None
        staged.save(update_fields=["applied_at", "content"])
    return changed
