"""The audit trail: django-simple-history keeps a copy of every row of the plan, its
figures, its boards and its users each time one is added, changed or deleted, with who
and when, whichever way the change came: a page, an import or round trip run by the
worker, the admin or a shell.

A request's user is read by the library's middleware. Work done outside a request (the
worker's jobs, management commands) says whose it is with `acting_as`. Bulk writes go
through the library's bulk helpers, and a conditional UPDATE (kept where two people
could race for one row) is followed by `record_history`, so no write path skips the trail.
Writes in raw SQL would; the service makes none.

Before this library, admin edits were kept as AuditRecords; those stay readable in the
admin, unchanged.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

__all__ = [
    "HistoryAdmin",
    "ViewOnlyAdminMixin",
    "acting_as",
    "bulk_create_with_history",
    "bulk_update_with_history",
    "record_history",
]


@contextmanager
def acting_as(user: AbstractBaseUser | None) -> Iterator[None]:
    """Attribute every change made inside to `user`, outside a request (the worker, a
    command). A request inside keeps its own user."""
    context = HistoricalRecords.context
    had = hasattr(context, "request")
    if not had:
        context.request = SimpleNamespace(user=user) if user is not None else None
    try:
        yield
    finally:
        if not had:
            del context.request


def record_history(
    model: type[models.Model], pks: Iterable[int], user: AbstractBaseUser | None = None
) -> None:
    """Keep the rows `pks` as they are now, as changed by `user` (default: whoever the
    request or `acting_as` says): for writes made by a conditional UPDATE, which the
    library's signals do not see."""
    rows = list(model._default_manager.filter(pk__in=list(pks)))
    model.history.bulk_history_create(rows, update=True, default_user=user)


class HistoryAdmin(SimpleHistoryAdmin):
    """Every admin page: its History button lists each version with who and when."""


class ViewOnlyAdminMixin:
    """For records that change only through the service that keeps their rules: termly
    updates and KPI values (the figure rules, four eyes, their history). The admin shows
    them; the update page, the approvals page and the Excel upload change them."""

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
