"""Database connections: one the server dropped is replaced before a request uses it."""

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from boards.feed_tokens import feed_token_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def served(path: str, **headers: str) -> int:
    """The status of a GET through Django's own WSGI handler, as gunicorn calls it.

    Unlike the test client, this sends the request started and finished signals, on
    which Django checks, keeps or closes the thread's database connection.
    """
    environ = RequestFactory().get(path, headers=headers).environ
    statuses: list[str] = []
    body = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    body.close()
    return int(statuses[0].split()[0])


def kill(pid: int) -> None:
    """End a server process from another connection, as a database restart would."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_connection_the_database_dropped_is_replaced_before_the_next_request(
    reference_data,
):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    if connection.vendor != "postgresql":
        # SQLite keeps no connection between requests (CONN_MAX_AGE is 0 there), so there
        # is none to drop; the PostgreSQL run checks the rest.
        assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
        return
    reader = UserFactory(username="reader", role="Board member")
    _, token = feed_token_issue(user=reader, name="Power BI", kind="user", created_by=reader)
    authorised = {"Authorization": f"Bearer {token}"}
    assert served("/feed/terms.json", **authorised) == 200
    kept = connection.connection
    assert kept is not None and not kept.closed  # kept between requests (CONN_MAX_AGE)
    kill(kept.info.backend_pid)
    assert served("/feed/terms.json", **authorised) == 200
    assert connection.connection is not kept
