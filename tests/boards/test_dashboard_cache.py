"""Dashboards are cached as HTML until the data changes; the cache never shows stale figures."""

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actions.models import ProgressUpdate
from bury_eis.models import DataVersion
from bury_eis.versioning import data_version, data_version_bump
from kpis.models import Season
from tests.factories import (
    ActionFactory,
    BoardFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def summer():
    term = TermFactory(
        season=Season.SUMMER, start_date=date(2026, 4, 13), end_date=date(2026, 7, 20)
    )
    ProgressUpdateFactory(action=ActionFactory(code="1.1(a)"), term=term, rating="green")
    return term


def amber_total(page: str) -> bool:
    """Whether the totals show one Amber action (the count links to the list)."""
    return '1<span class="govuk-visually-hidden"> Amber</span>' in page


def test_a_second_view_is_served_from_the_cache(board_client, summer, django_assert_num_queries):
    first = board_client.get(reverse("home")).content.decode()
    # the session, then the user with the data version (one query, bury_eis.auth): the
    # roles, the navigation and the dashboard itself all come from the cache
    with django_assert_num_queries(2):
        second = board_client.get(reverse("home")).content.decode()
    masked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # new on every page
    assert masked.sub("", second) == masked.sub("", first)
    assert '<table class="govuk-table eis-matrix">' in second  # HTML, not escaped text


def test_a_post_anywhere_makes_the_next_view_read_the_new_figures(client, board_client, summer):
    action = ActionFactory(code="1.1(b)")
    update = ProgressUpdateFactory(action=action, term=summer, rating="amber", status="submitted")
    assert not amber_total(board_client.get(reverse("home")).content.decode())
    approver = UserFactory(username="approver", role="Admin", is_staff=True)
    admin = client.__class__()
    admin.force_login(approver)
    response = admin.post(reverse("kpis:approve", args=[update.pk]), {"version": update.version})
    assert response.status_code == 302
    assert ProgressUpdate.objects.get(pk=update.pk).status == "approved"
    assert amber_total(board_client.get(reverse("home")).content.decode())


def test_a_change_that_bypasses_the_web_shows_once_the_version_is_raised(board_client, summer):
    board_client.get(reverse("home"))
    ProgressUpdateFactory(action=ActionFactory(code="1.1(b)"), term=summer, rating="amber")
    assert not amber_total(board_client.get(reverse("home")).content.decode())
    data_version_bump()
    assert amber_total(board_client.get(reverse("home")).content.decode())


def test_posts_raise_the_version_and_gets_do_not(board_client, summer):
    before = data_version()
    board_client.get(reverse("home"))
    board_client.get(reverse("actions:list"))
    assert data_version() == before
    board_client.post(reverse("session_refresh"))
    assert data_version() == before + 1


def test_a_failed_sign_in_leaves_the_cached_dashboards_alone(board_client, summer):
    before = data_version()
    response = Client().post(reverse("login"), {"username": "board-user", "password": "guess"})
    assert response.status_code == 200
    assert data_version() == before


def test_the_cached_body_holds_nothing_about_the_viewer(client, summer):
    client.force_login(UserFactory(username="board1", first_name="Bea", role="Board member"))
    board_page = client.get(reverse("home")).content.decode()
    client.force_login(UserFactory(username="admin1", first_name="Ada", role="Admin"))
    admin_page = client.get(reverse("home")).content.decode()
    assert "Sign out Ada" in admin_page and "Bea" not in admin_page
    assert "Administration" in admin_page and "Administration" not in board_page


def test_terms_and_remits_are_cached_apart(board_client, summer):
    spring = TermFactory(
        season=Season.SPRING, start_date=date(2026, 1, 5), end_date=date(2026, 3, 27)
    )
    other = ActionFactory(code="2.1(a)", commitment__number=2)
    ProgressUpdateFactory(action=other, term=summer, rating="red")
    BoardFactory(slug="two").commitments.add(other.commitment)
    home = board_client.get(reverse("home")).content.decode()
    assert "2 actions in Summer 2026" in home
    board = board_client.get(reverse("boards:dashboard", args=["two"])).content.decode()
    assert "1 action in Summer 2026" in board
    earlier = board_client.get(reverse("home"), {"term": spring.pk}).content.decode()
    assert "actions in Spring 2026" in earlier
    assert "2 actions in Summer 2026" in board_client.get(reverse("home")).content.decode()


def test_the_demo_data_command_raises_the_version(db):
    call_command("import_plan", "fixtures/delivery_plan.xlsx", verbosity=0)
    before = data_version()
    call_command("seed_demo", verbosity=0)
    assert data_version() > before


def test_importing_the_plan_raises_the_version(db):
    before = data_version()
    call_command("import_plan", "fixtures/delivery_plan.xlsx", verbosity=0)
    assert data_version() == before + 1


def test_after_a_restore_the_version_leaps_past_any_it_has_had(board_client, summer):
    data_version_bump()
    used = data_version()
    board_client.get(reverse("home"))  # cached under `used`
    DataVersion.objects.filter(pk=1).update(value=used - 1)  # a backup's older version
    ProgressUpdateFactory(action=ActionFactory(code="1.1(b)"), term=summer, rating="amber")
    call_command("data_changed", stdout=io.StringIO())
    assert data_version() > used
    assert amber_total(board_client.get(reverse("home")).content.decode())
    leapt = data_version()
    call_command("data_changed", stdout=io.StringIO())
    assert data_version() > leapt
