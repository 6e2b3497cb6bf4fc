"""The admins' overview of every plan: each plan's period, completeness and ratings."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import Plan
from kpis.standings import standings_refresh
from tests.factories import (
    ActionFactory,
    CommitmentFactory,
    ProgressUpdateFactory,
    SectorFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db


def _pip_action(code: str):
    pip = Plan.objects.get(slug="send-pip")
    area = CommitmentFactory(plan=pip, number=1, code="PA 1", title="Priority Action 1")
    outcome = SectorFactory(
        plan=pip, position=1, code="1.1", name="Lived experience", commitment=area
    )
    return ActionFactory(commitment=area, sector=outcome, code=code)


def _month(name: str, start: date, end: date):
    return TermFactory(
        plan=Plan.objects.get(slug="send-pip"),
        name=name,
        academic_year="",
        season="",
        start_date=start,
        end_date=end,
        due_date=end,
    )


def test_each_plan_shows_its_own_period_and_ratings(admin_client):
    eis_action = ActionFactory(code="1.1(a)")
    autumn = TermFactory(start_date=date(2025, 9, 1), end_date=date(2025, 12, 19))
    ProgressUpdateFactory(action=eis_action, term=autumn, rating="red")
    pip_action = _pip_action("1.1a")
    october = _month("October 2025", date(2025, 10, 1), date(2025, 10, 31))
    ProgressUpdateFactory(action=pip_action, term=october, rating="blue")
    standings_refresh()
    page = admin_client.get(reverse("boards:plans")).content.decode()
    eis_row, pip_row = page.split("Education and Inclusion Strategy</a>")[1].split(
        "SEND Local Area Partnership Priority Impact Plan</a>"
    )
    assert "Autumn 2025" in eis_row and "1 Red" in eis_row and "October" not in eis_row
    assert "October 2025" in pip_row and "1 Blue" in pip_row and "Red" not in pip_row
    assert f"?plan=send-pip&amp;term={october.pk}&amp;rating=blue" in pip_row


def test_only_admins_see_it(client, board_member):
    client.force_login(board_member)
    assert client.get(reverse("boards:plans")).status_code == 403


def test_its_query_count_does_not_grow_with_the_plans_size(admin_client, django_assert_num_queries):
    autumn = TermFactory(start_date=date(2025, 9, 1), end_date=date(2025, 12, 19))
    ProgressUpdateFactory(action=ActionFactory(code="1.1(a)"), term=autumn)
    standings_refresh()
    admin_client.get(reverse("boards:plans"))  # warm the session
    with django_assert_num_queries(13) as first:
        admin_client.get(reverse("boards:plans"))
    for letter in "bcdefg":
        ProgressUpdateFactory(action=ActionFactory(code=f"1.1({letter})"), term=autumn)
    standings_refresh()
    with django_assert_num_queries(len(first.captured_queries)):
        admin_client.get(reverse("boards:plans"))


def test_overdue_actions_are_counted_for_plans_that_date_them(admin_client):
    action = _pip_action("1.1a")
    action.due_date = date(2024, 10, 31)
    action.save()
    page = admin_client.get(reverse("boards:plans")).content.decode()
    eis_row, pip_row = page.split("SEND Local Area Partnership Priority Impact Plan</a>")
    assert "No due dates" in eis_row.split("Education and Inclusion Strategy</a>")[1]
    assert "?plan=send-pip&amp;schedule=overdue" in pip_row and "1 action<span" in pip_row
