"""The data version: one counter that every change raises, so caches know when they are stale.

A page cached under version n is read again once any request has changed data:
the middleware raises the version after every POST, after the view has
committed, so a copy cached under the new version can only hold the new data.
Commands that write outside a request (plan import, demo data, restore) call
`data_version_bump()` themselves. The cache is each process's memory; the
version lives in the database, so processes never disagree about freshness.
"""

import time
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from bury_eis.models import DataVersion

# Every change to the service's data arrives as one of these; GETs never make one.
WRITING_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# Where a request keeps the version it read, on its user object (bury_eis.auth reads it
# with the user, in the same query).
SEEN_ATTRIBUTE = "_eis_data_version"


def data_version_sql() -> str:
    """SQL for the current version: 0 where the row is missing (an emptied table)."""
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    return f"COALESCE((SELECT value FROM {table} WHERE id = 1), 0)"  # noqa: S608


def data_version() -> int:
    """The current version; 0 where the row is missing (an emptied table)."""
    # Plain SQL: this runs on every signed-in request, and the ORM would cost more
    # than the query.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {data_version_sql()}")
        return cursor.fetchone()[0]


def data_version_seen_by(user: AbstractBaseUser | AnonymousUser) -> int:
    """The version read once per request, kept on the request's user object.

    A signed-in user arrives with it already (bury_eis.auth reads both in one query).
    """
    version = getattr(user, SEEN_ATTRIBUTE, None)
    if version is None:
        version = data_version()
        setattr(user, SEEN_ATTRIBUTE, version)
    return version


def data_version_bump() -> None:
    """Make everything cached by the data version stale. Call after changing data."""
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.update_or_create(pk=1, defaults={"value": 1})


def data_version_leap() -> None:
    """Raise the version past any value it has had, even one lost with a restored backup.

    A restore puts back the version the backup was taken at, which running processes
    may already have used for other data; a value from the clock (in microseconds,
    far above any count of saves) has never been used.
    """
    leap = max(data_version() + 1, time.time_ns() // 1000)
    DataVersion.objects.update_or_create(pk=1, defaults={"value": leap})


class DataVersionMiddleware:
    """Raise the data version after every request that may have changed data.

    Bumping on every POST, whether or not it succeeded, costs one UPDATE and cannot
    miss a write made by a view, a form or the admin. Only someone signed in can change
    data (LoginRequiredMiddleware), so a POST that ends signed out - a failed or refused
    sign-in, a sign-out - raises nothing: a flood of them cannot throw away every
    process's cached dashboards.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in WRITING_METHODS and _signed_in(request):
            data_version_bump()
        return response


def _signed_in(request: HttpRequest) -> bool:
    # No user at all if a middleware before AuthenticationMiddleware answered.
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)
