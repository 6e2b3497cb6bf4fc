"""In real Chromium: the warning before the idle sign-out, with the idle limit in seconds.

The `settings` fixture changes the live server's settings too (it runs in this process).
"""

import re
import time
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from bury_eis.security import SEEN_AT
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import ActionFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _seen_at(page: Page) -> int:
    """The session's last-seen time, read where the server keeps it."""
    name = django_settings.SESSION_COOKIE_NAME
    key = next(c["value"] for c in page.context.cookies() if c["name"] == name)
    return import_module(django_settings.SESSION_ENGINE).SessionStore(key).load()[SEEN_AT]


def _reload_once_the_first_limit_has_passed(page: Page, seen: int) -> None:
    """Reload just after the session would have ended had it not been renewed.

    The live server runs in this process, so this is its clock; it signs out once a
    whole second past the limit, hence the margin.
    """
    time.sleep(max(0.0, seen + django_settings.SESSION_IDLE_TIMEOUT + 1.2 - time.time()))
    page.reload()


def _assert_still_signed_in_on(page: Page, path: str) -> None:
    assert urlsplit(page.url).path == path  # not /login/?next=<path>
    expect(page.get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()


@pytest.fixture
def update_page(settings, open_term) -> str:
    """An officer's termly update page, with an idle limit of eight seconds."""
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_TIMEOUT_WARNING = 6
    action = ActionFactory(code="1.1(a)")
    action.leads.add(UserFactory(username="lead", role="Officer"))
    return f"/updates/{action.pk}/{open_term.pk}/"


def test_an_officer_is_warned_and_stays_signed_in_with_the_keyboard(page: Page, axe, update_page):
    sign_in(page, "lead")
    page.goto(update_page)
    page.get_by_label("Progress this term").fill("Moderation visits completed in 40 settings.")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=5_000)
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    assert_accessible(axe, page)
    # "Sign out" was in the browser's serif: a <dialog> sits outside GOV.UK's type classes.
    sign_out_font = dialog.get_by_role("button", name="Sign out", exact=True).evaluate(
        "button => getComputedStyle(button).fontFamily"
    )
    assert sign_out_font.startswith("arial"), sign_out_font
    seen = _seen_at(page)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden(timeout=2_000)
    assert _seen_at(page) > seen
    expect(page.get_by_label("Progress this term")).to_have_value(re.compile("^Moderation"))
    _reload_once_the_first_limit_has_passed(page, seen)
    _assert_still_signed_in_on(page, update_page)


def test_escape_also_stays_signed_in(page: Page, update_page):
    sign_in(page, "lead")
    page.goto(update_page)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible(timeout=5_000)
    seen = _seen_at(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden(timeout=2_000)
    _reload_once_the_first_limit_has_passed(page, seen)
    _assert_still_signed_in_on(page, update_page)


def test_with_no_answer_the_page_goes_to_sign_in_with_the_reason(page: Page, update_page):
    sign_in(page, "lead")
    page.goto(update_page)
    expect(page.get_by_role("dialog")).to_be_visible(timeout=5_000)
    expect(page).to_have_url(re.compile(r"/login/\?next=%2Fupdates%2F"), timeout=12_000)
    expect(
        page.get_by_text("You were signed out because you had not used the service")
    ).to_be_visible()
