"""Issuing, revoking and checking the tokens that open the read-only data feed.

A token is 32 random bytes (secrets.token_urlsafe); only its SHA-256 is stored, so
a copy of the database opens nothing. It is shown once, when issued.
"""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from boards.models import FeedToken

PREFIX_LENGTH = 8


def token_hash(raw: str) -> str:
    """The SHA-256 of a token as 64 hex digits: what is stored and looked up."""
    return hashlib.sha256(raw.encode()).hexdigest()


def feed_token_issue(
    *, user: AbstractBaseUser, name: str, kind: str, created_by: AbstractBaseUser
) -> tuple[FeedToken, str]:
    """Make a token for `user`; returns it with the token itself, which is never kept."""
    raw = secrets.token_urlsafe(32)
    token = FeedToken(
        user=user,
        name=name.strip(),
        kind=kind,
        prefix=raw[:PREFIX_LENGTH],
        token_hash=token_hash(raw),
        created_by=created_by,
    )
    token.full_clean(exclude=["user", "created_by"])
    token.save()
    return token, raw


def feed_token_revoke(*, token: FeedToken, user: AbstractBaseUser) -> FeedToken:
    """Stop a token working at once; it stays listed, with who revoked it and when."""
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def feed_token_check(raw: str) -> FeedToken | None:
    """The live token matching `raw`, with its user, or None; records when it was used.

    A revoked token, or one whose user is deactivated, matches nothing.
    """
    if not raw or len(raw) > 200:
        return None
    token = (
        FeedToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        token.last_used_at = timezone.now()
        FeedToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token
