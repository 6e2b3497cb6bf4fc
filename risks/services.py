"""Writes to the risk register, each checked in full before it is saved."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from risks.models import Risk


@transaction.atomic
def risk_save(*, risk: Risk, actions: list | None = None, areas: list | None = None) -> Risk:
    """Save a new or edited `risk` after checking it (constraints included), with the
    actions and areas it bears on when given. Nothing is saved if any check fails."""
    risk.full_clean()
    risk.save()
    if actions is not None:
        risk.actions.set(actions)
    if areas is not None:
        risk.areas.set(areas)
    return risk


def risk_review(*, risk: Risk, next_review: date) -> Risk:
    """Record that `risk` was reviewed now, and when it is next to be reviewed."""
    risk.last_reviewed_at = timezone.now()
    risk.review_date = next_review
    risk.full_clean()
    risk.save(update_fields=["last_reviewed_at", "review_date"])
    return risk
