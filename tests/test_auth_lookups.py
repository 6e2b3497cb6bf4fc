"""The session and user reads every signed-in request makes (bury_eis/auth.py).

They use plain SQL for speed, so they are held here to give exactly what Django's own
database session store and ModelBackend give, case by case, in one query each.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db as django_db_sessions
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from bury_eis.auth import SessionStore, UserBackend
from bury_eis.models import DataVersion
from bury_eis.versioning import data_version, data_version_bump, data_version_seen_by
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def saved_session(data: dict, *, expires_in: timedelta = timedelta(hours=1)) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def both_load(key: str | None) -> tuple[tuple[dict, str | None], tuple[dict, str | None]]:
    ours, djangos = SessionStore(key), django_db_sessions.SessionStore(key)
    return (ours.load(), ours.session_key), (djangos.load(), djangos.session_key)


def test_settings_use_these_classes():
    assert settings.SESSION_ENGINE == "bury_eis.auth"
    assert "bury_eis.auth.UserBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS


def test_a_live_session_loads_its_data_in_one_query(django_assert_num_queries):
    key = saved_session({"eis_seen_at": 1_700_000_000, "note": "Summer 2026"})
    with django_assert_num_queries(1):
        data = SessionStore(key).load()
    assert data == {"eis_seen_at": 1_700_000_000, "note": "Summer 2026"}
    ours, djangos = both_load(key)
    assert ours == djangos == (data, key)


def test_an_expired_session_loads_nothing_and_forgets_its_key():
    key = saved_session({"note": "stale"}, expires_in=timedelta(seconds=-1))
    ours, djangos = both_load(key)
    assert ours == djangos == ({}, None)


def test_a_session_expiring_in_a_moment_still_loads():
    key = saved_session({"note": "just in time"}, expires_in=timedelta(seconds=30))
    ours, djangos = both_load(key)
    assert ours == djangos == ({"note": "just in time"}, key)


def test_an_unknown_key_loads_nothing():
    ours, djangos = both_load("k" * 32)
    assert ours == djangos == ({}, None)


def test_tampered_session_data_loads_nothing():
    key = saved_session({"_auth_user_id": "1"})
    Session.objects.filter(pk=key).update(session_data="forged:data:notsigned")
    ours, djangos = both_load(key)
    assert ours == djangos == ({}, key)  # as Django: unreadable data, key kept


def test_the_user_is_read_in_one_query_with_every_field_as_the_orm_gives_it(
    django_assert_num_queries,
):
    user = UserFactory(first_name="Aisha", last_name="Rahman", email="aisha@bury.example")
    user.last_login = timezone.now() - timedelta(days=2)
    user.save()
    with django_assert_num_queries(1):
        ours = UserBackend().get_user(user.pk)
    djangos = ModelBackend().get_user(user.pk)
    assert isinstance(ours, get_user_model())
    for field in get_user_model()._meta.concrete_fields:
        mine, theirs = getattr(ours, field.attname), getattr(djangos, field.attname)
        assert (mine, type(mine)) == (theirs, type(theirs)), field.name  # True, not 1
    assert ours.last_login.tzinfo is not None and ours.is_active is True
    assert ours.get_session_auth_hash() == djangos.get_session_auth_hash()


def test_a_missing_or_inactive_user_is_nobody():
    gone = UserFactory()
    gone_pk = gone.pk
    gone.delete()
    inactive = UserFactory(is_active=False)
    for pk in (gone_pk, inactive.pk):
        assert UserBackend().get_user(pk) is None
        assert ModelBackend().get_user(pk) is None


def test_a_signed_in_request_costs_two_queries_and_a_deactivated_user_is_signed_out(
    board_client, board_member, django_assert_num_queries
):
    # /login/ only redirects someone signed in: the session and user reads are all it does.
    with django_assert_num_queries(2):
        assert board_client.get(reverse("login")).status_code == 302
    get_user_model().objects.filter(pk=board_member.pk).update(is_active=False)
    response = board_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_changing_the_password_elsewhere_signs_the_session_out(board_client, board_member):
    assert board_client.get(reverse("home")).status_code == 200
    board_member.set_password("a-new-long-passphrase-2026")
    board_member.save()
    response = board_client.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))


def test_the_user_arrives_with_the_data_version_so_pages_need_no_query_for_it(
    django_assert_num_queries,
):
    user = UserFactory()
    data_version_bump()
    loaded = UserBackend().get_user(user.pk)
    with django_assert_num_queries(0):
        seen = data_version_seen_by(loaded)
    assert seen == data_version() > 0
    data_version_bump()
    assert data_version_seen_by(UserBackend().get_user(user.pk)) == seen + 1
    assert data_version_seen_by(loaded) == seen  # one version for the whole request


def test_with_the_version_row_gone_the_user_still_loads_at_version_0():
    user = UserFactory()
    DataVersion.objects.all().delete()
    assert data_version_seen_by(UserBackend().get_user(user.pk)) == 0 == data_version()
