"""Response headers, sign-in lock-out, session limits and password rules."""

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bury_eis.security import SEEN_AT, SIGNED_IN_AT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PASSWORD = "correct-horse-battery"


def test_every_page_sends_a_policy_that_allows_no_inline_script_or_style(board_client):
    response = board_client.get(reverse("home"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_are_not_sniffed_framed_or_referred_elsewhere(client):
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


def test_error_pages_and_downloads_carry_the_policy_too(board_client):
    assert "Content-Security-Policy" in board_client.get("/no-such-page/")
    download = board_client.get(reverse("actions:list"), {"export": "csv"})
    assert download["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
]


def test_no_template_has_inline_script_handlers_or_styles():
    found = [
        f"{path.relative_to(TEMPLATES)}: {what}"
        for path in TEMPLATES.rglob("*.html")
        if path.name != "pack_print.html"  # WeasyPrint's input, never served to a browser
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert found == []


# Sign-in lock-out (django-axes)


def sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_wrong_password_is_refused_but_does_not_lock_at_once(client):
    UserFactory(username="hclarke", role="Officer")
    assert sign_in(client, "hclarke", "guess").status_code == 200
    assert sign_in(client, "hclarke", PASSWORD).status_code == 302


def test_too_many_wrong_passwords_lock_the_username_with_a_clear_message(client):
    UserFactory(username="hclarke", role="Officer")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "hclarke", "guess").status_code == 200
    locked = sign_in(client, "hclarke", "guess")
    assert locked.status_code == 429
    assert "signing in to this account is blocked for 15 minutes" in locked.content.decode()
    # Even the right password is refused while locked.
    right = sign_in(client, "hclarke", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cool_off(client):
    UserFactory(username="hclarke", role="Officer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "hclarke", "guess")
    assert sign_in(client, "hclarke", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert sign_in(client, "hclarke", PASSWORD).status_code == 302


def test_a_lock_on_one_username_leaves_others_signing_in(client):
    UserFactory(username="hclarke", role="Officer")
    UserFactory(username="jpatel", role="Officer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "hclarke", "guess")
    assert sign_in(client, "jpatel", PASSWORD).status_code == 302


def test_the_admin_sign_in_page_counts_towards_the_same_lock(client):
    UserFactory(username="council-admin", role="Admin", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "council-admin", "password": "guess"})
    assert sign_in(client, "council-admin", PASSWORD).status_code == 429


# Sessions: idle and absolute limits, without a database write on every request


def _age_session(client, **ages: int) -> None:
    session = client.session
    for key, seconds in ages.items():
        session[key] = int(time.time()) - seconds
    session.save()


def test_an_idle_session_is_signed_out_with_a_message(board_client):
    _age_session(board_client, **{SEEN_AT: settings.SESSION_IDLE_TIMEOUT + 1})
    response = board_client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert not response.wsgi_request.user.is_authenticated
    assert "signed out because you had not used the service for 60 minutes" in (
        response.content.decode()
    )


def test_a_session_past_its_absolute_limit_is_signed_out_even_if_busy(board_client):
    _age_session(board_client, **{SIGNED_IN_AT: settings.SESSION_COOKIE_AGE + 1})
    response = board_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_last_seen_is_written_only_when_it_is_older_than_the_refresh_interval(board_client):
    seen = board_client.session[SEEN_AT]
    board_client.get(reverse("home"))
    assert board_client.session[SEEN_AT] == seen  # fresh: nothing written
    _age_session(board_client, **{SEEN_AT: settings.SESSION_IDLE_REFRESH + 1})
    board_client.get(reverse("home"))
    assert board_client.session[SEEN_AT] >= int(time.time()) - 5


def test_a_busy_page_costs_no_session_write(board_client):
    board_client.get(reverse("boards:list"))
    with CaptureQueriesContext(connection) as captured:
        board_client.get(reverse("boards:list"))
    writes = [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in writes), writes


# Passwords


@pytest.mark.parametrize("password", ["hclarke2026", "password123", "12345678901", "short"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, UserFactory(username="hclarke"))


def test_a_long_unusual_password_is_accepted():
    password_validation.validate_password("kingfisher-on-the-irwell", UserFactory())
