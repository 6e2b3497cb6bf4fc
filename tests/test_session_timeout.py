"""The timeout warning: pages say how long is left, and "Stay signed in" starts it again."""

import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bury_eis.security import SEEN_AT

pytestmark = pytest.mark.django_db


def _idle_for(client, seconds: int) -> None:
    session = client.session
    session[SEEN_AT] = int(time.time()) - seconds
    session.save()


def _seconds_left(html: str) -> int:
    return int(re.search(r'<dialog class="eis-timeout"[^>]*data-seconds-left="(\d+)"', html)[1])


def test_staying_signed_in_starts_the_idle_limit_again(board_client):
    _idle_for(board_client, 50 * 60)
    response = board_client.post(reverse("session_refresh"))
    assert response.status_code == 204
    assert board_client.session[SEEN_AT] >= int(time.time()) - 2
    # Ten more minutes would have passed the hour; the session is fresh, so it survives.
    _idle_for(board_client, 10 * 60)
    assert board_client.get(reverse("home")).status_code == 200


def test_staying_signed_in_writes_even_within_the_refresh_interval(board_client):
    _idle_for(board_client, settings.SESSION_IDLE_REFRESH - 60)
    board_client.post(reverse("session_refresh"))
    assert board_client.session[SEEN_AT] >= int(time.time()) - 2


def test_it_refuses_a_get(board_client):
    assert board_client.get(reverse("session_refresh")).status_code == 405


def test_it_sends_the_anonymous_to_sign_in(client):
    response = client.post(reverse("session_refresh"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_cannot_revive_a_session_already_past_the_idle_limit(board_client):
    _idle_for(board_client, settings.SESSION_IDLE_TIMEOUT + 1)
    response = board_client.post(reverse("session_refresh"))
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in board_client.session


def test_a_page_carries_the_seconds_left_before_sign_out(board_client):
    # Within the refresh interval the visit is not written, so the hour still counts
    # from four minutes ago.
    _idle_for(board_client, 4 * 60)
    html = board_client.get(reverse("boards:list")).content.decode()
    assert 3360 - 5 <= _seconds_left(html) <= 3360
    assert f'data-warning="{settings.SESSION_TIMEOUT_WARNING}"' in html
    assert "signed out in 5 minutes" in html
    assert 'src="/static/js/timeout-warning.js"' in html


def test_a_page_after_the_refresh_interval_counts_as_use_and_carries_the_full_hour(
    board_client,
):
    _idle_for(board_client, 10 * 60)
    html = board_client.get(reverse("boards:list")).content.decode()
    assert settings.SESSION_IDLE_TIMEOUT - 5 <= _seconds_left(html) <= settings.SESSION_IDLE_TIMEOUT


def test_the_warning_lead_time_is_a_setting(board_client, settings):
    settings.SESSION_TIMEOUT_WARNING = 120
    html = board_client.get(reverse("boards:list")).content.decode()
    assert 'data-warning="120"' in html
    assert "signed out in 2 minutes" in html


def test_the_sign_in_page_has_no_warning(client):
    html = client.get(reverse("login")).content.decode()
    assert "eis-timeout" not in html
    assert "timeout-warning.js" not in html


def test_the_warnings_own_forms_carry_tokens_the_server_accepts(board_member):
    # The warning is rendered once and kept; each page puts in its own token (and count).
    client = Client(enforce_csrf_checks=True)
    client.force_login(board_member)
    client.get(reverse("boards:list"))  # a first page, so the kept copy exists
    html = client.get(reverse("boards:list")).content.decode()
    dialog = re.search(r'<dialog class="eis-timeout".*?</dialog>', html, re.S)[0]
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', dialog)
    assert len(tokens) == 2
    assert "EIS-" not in html  # no stand-in left behind
    refresh = client.post(reverse("session_refresh"), {"csrfmiddlewaretoken": tokens[0]})
    assert refresh.status_code == 204
    forged = client.post(reverse("session_refresh"), {"csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403
    signed_out = client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[1]})
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in client.session
