"""Where a dated action's schedule status shows: its page, the action list and My actions."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionFactory, ProgressUpdateFactory, UserFactory
from tests.pip import pip_action, pip_areas, pip_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def pip(today):
    """Four SEND plan actions: done, overdue, due soon and on track, rated last month."""
    last = today.replace(day=1) - timedelta(days=1)
    month = pip_month(last.year, last.month)
    areas = pip_areas()
    found = {
        "done": pip_action("1.1a", today - timedelta(days=40), areas[0]),
        "overdue": pip_action("1.1b", today - timedelta(days=3), areas[0]),
        "soon": pip_action("2.1a", today + timedelta(days=10), areas[1]),
        "later": pip_action("2.1b", today + timedelta(days=200), areas[1]),
    }
    for key, rating in (("done", "blue"), ("overdue", "green"), ("soon", "amber")):
        ProgressUpdateFactory(action=found[key], term=month, rating=rating)
    return found


def rows(page: str) -> dict[str, str]:
    """Each list row's code and its schedule words."""
    found = re.findall(r'>(\d\.\d[ab])</a>.*?eis-schedule">([^<]+)<', page, re.S)
    return dict(found)


def test_the_action_page_shows_the_due_date_and_schedule_in_words(board_client, pip):
    page = board_client.get(reverse("kpis:action", args=[pip["overdue"].pk])).content.decode()
    assert 'class="eis-rating eis-rating--red eis-schedule">Overdue<' in page
    page = board_client.get(reverse("kpis:action", args=[pip["done"].pk])).content.decode()
    assert 'eis-rating--blue eis-schedule">Done<' in page


def test_an_undated_action_page_has_no_schedule(board_client):
    action = ActionFactory()
    page = board_client.get(reverse("kpis:action", args=[action.pk])).content.decode()
    assert "eis-schedule" not in page


def test_the_list_shows_each_actions_schedule(board_client, pip):
    page = board_client.get(reverse("actions:list"), {"plan": "send-pip"}).content.decode()
    assert rows(page) == {
        "1.1a": "Done",
        "1.1b": "Overdue",
        "2.1a": "Due soon",
        "2.1b": "On track",
    }
    assert ">Schedule<" in page and ">Due<" in page


@pytest.mark.parametrize(
    ("status", "codes"),
    [("done", {"1.1a"}), ("overdue", {"1.1b"}), ("due_soon", {"2.1a"}), ("on_track", {"2.1b"})],
)
def test_the_list_filters_by_schedule(board_client, pip, status, codes):
    page = board_client.get(
        reverse("actions:list"), {"plan": "send-pip", "schedule": status}
    ).content.decode()
    assert set(rows(page)) == codes


def test_the_list_sorts_by_schedule_soonest_due_first(board_client, pip):
    page = board_client.get(
        reverse("actions:list"), {"plan": "send-pip", "sort": "schedule"}
    ).content.decode()
    assert list(rows(page)) == ["1.1a", "1.1b", "2.1a", "2.1b"]


def test_the_strategy_list_has_no_schedule_columns(board_client):
    ActionFactory()
    page = board_client.get(reverse("actions:list")).content.decode()
    assert ">Schedule</a>" not in page and "eis-schedule" not in page


def test_my_actions_lists_a_dated_plan_soonest_due_first_with_its_schedule(client, pip, today):
    lead = UserFactory(username="pip-lead", role="Officer")
    for action in pip.values():
        action.leads.add(lead)
    pip_month(today.year, today.month)
    client.force_login(lead)
    page = client.get(reverse("kpis:my_actions"), {"plan": "send-pip"}).content.decode()
    codes = re.findall(r"<strong>(\d\.\d[ab])</strong>", page)
    assert codes == ["1.1a", "1.1b", "2.1a", "2.1b"]
    assert "soonest due first" in page
    assert 'eis-rating--red eis-schedule">Overdue<' in page
    assert f"{today:%B %Y}" in page
    assert "No month is open" not in page and " term" not in page.split("<main")[-1]


def test_my_actions_links_to_the_other_plans_the_user_leads_in(client, pip, today):
    lead = UserFactory(username="two-plan-lead", role="Officer")
    pip["overdue"].leads.add(lead)
    ActionFactory(code="1.1(z)").leads.add(lead)
    client.force_login(lead)
    strategy = client.get(reverse("kpis:my_actions")).content.decode()
    assert 'href="/my-actions/?plan=send-pip"' in strategy.replace(
        reverse("kpis:my_actions"), "/my-actions/"
    )
    pip_page = client.get(reverse("kpis:my_actions"), {"plan": "send-pip"}).content.decode()
    assert "plan=eis" in pip_page and "1.1b" in pip_page and "1.1(z)" not in pip_page


def test_my_actions_without_another_plan_shows_no_plan_links(client, pip):
    lead = UserFactory(username="one-plan-lead", role="Officer")
    pip["overdue"].leads.add(lead)
    client.force_login(lead)
    page = client.get(reverse("kpis:my_actions")).content.decode()
    assert "Plans you lead actions in" not in page
    assert "1.1b" in page  # the first plan they lead in, without asking
