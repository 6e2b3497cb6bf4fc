"""The session and user lookups that every signed-in request makes, without the ORM's cost.

Each signed-in request reads its session row and its user row before anything else. Through
the ORM each read cost about 0.2 ms of query building in Python, against 0.03 ms for the
query itself (SQLite, bench/pages.py's machine): together more than the whole anonymous
sign-in page. These classes make the same two reads with plain SQL and otherwise leave
Django's behaviour as it is: expiry, signing, the is_active check and the session's
password hash are all Django's own code.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from bury_eis.versioning import SEEN_ATTRIBUTE, data_version_sql


class SessionStore(db.SessionStore):
    """Django's database sessions, with the read on every request in plain SQL."""

    def _get_session_from_db(self):
        """The unexpired session row for this key, or None (and forget the key), as Django's."""
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_session_query(model, alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])


@functools.cache
def _session_query(model: type, alias: str) -> str:
    """The session query, worked out once per model and database."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    key, data, expires = (
        quote(meta.get_field(name).column)
        for name in ("session_key", "session_data", "expire_date")
    )
    return f"SELECT {data} FROM {quote(meta.db_table)} WHERE {key} = %s AND {expires} > %s"  # noqa: S608


class UserBackend(ModelBackend):
    """Django's ModelBackend, reading the signed-in user by primary key with plain SQL,
    and the data version with it (bury_eis.versioning.data_version_seen_by).

    The row becomes a user as the ORM makes one: each column through the database's and
    the field's own converters (SQLite's 0/1 to booleans, text to aware datetimes), then
    Model.from_db.
    """

    def get_user(self, user_id):
        model = get_user_model()
        alias = model._default_manager.db
        connection = connections[alias]
        sql, fields = _user_query(model, alias)
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        *columns, version = row
        values = []
        for (expression, converters), value in zip(fields, columns, strict=True):
            for convert in converters:
                value = convert(value, expression, connection)
            values.append(value)
        user = model.from_db(alias, [expression.target.attname for expression, _ in fields], values)
        setattr(user, SEEN_ATTRIBUTE, version)
        return user if self.user_can_authenticate(user) else None


@functools.cache
def _user_query(model: type, alias: str) -> tuple[str, list]:
    """The user query (with the data version last) and, per column, the column expression
    and its converters; worked out once per model and database."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = []
    for field in meta.concrete_fields:
        expression = field.get_col(meta.db_table)
        converters = connection.ops.get_db_converters(expression) + field.get_db_converters(
            connection
        )
        fields.append((expression, converters))
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    # With the data version that every signed-in page needs: one round trip, not two.
    sql = (
        f"SELECT {columns}, {data_version_sql()} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    return sql, fields
