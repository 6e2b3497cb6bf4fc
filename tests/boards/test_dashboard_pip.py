"""The SEND plan's dashboard: outcomes under their priority areas, and overdue actions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.content import dashboard_content
from boards.selectors import Remit, dashboard
from kpis.standings import standings_refresh
from tests.factories import ActionFactory, BoardFactory, ProgressUpdateFactory
from tests.pip import pip_action, pip_areas, pip_month, send_pip

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month():
    today = timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    return pip_month(last.year, last.month, is_published=True)


@pytest.fixture
def pip(last_month):
    today = timezone.localdate()
    areas = pip_areas()
    late = pip_action("1.1a", last_month.end_date, areas[0])
    done = pip_action("1.1b", last_month.end_date, areas[0])
    later = pip_action("2.1a", today + timedelta(days=300), areas[1])
    ProgressUpdateFactory(action=late, term=last_month, rating="green")
    ProgressUpdateFactory(action=done, term=last_month, rating="blue")
    ProgressUpdateFactory(action=later, term=last_month, rating="red")
    standings_refresh()
    return {"late": late, "done": done, "later": later}


def test_each_outcome_is_a_row_under_its_area_coloured_by_its_worst_rating(pip, last_month):
    plan = send_pip()
    content = dashboard_content(dashboard(last_month, None, Remit.whole(plan)))
    assert content["nested"] is True
    assert content["levels"] == {"area": plan.area_name, "group": plan.group_name}
    shape = [
        (area["commitment"]["label"], [(o["label"], o["cell"]["worst"]) for o in area["outcomes"]])
        for area in content["areas"]
    ]
    assert shape == [
        ("AFI 1 Communication", [("1.1 Communication improves", "green")]),
        ("AFI 2 Joint commissioning", [("2.1 Joint commissioning improves", "red")]),
    ]


def test_the_overdue_actions_are_counted_and_listed(pip, last_month):
    content = dashboard_content(dashboard(last_month, None, Remit.whole(send_pip())))
    assert content["overdue_count"] == 1
    assert [o["code"] for o in content["overdue"]] == ["1.1a"]
    assert {c["code"]: c["n"] for c in content["schedule"]} == {
        "done": 1,
        "overdue": 1,
        "on_track": 1,
    }


def test_the_board_dashboard_shows_the_overdue_action_in_red_words_and_links(
    board_client, pip, last_month
):
    board = BoardFactory(plan=send_pip(), slug="siab", name="SEND Improvement & Assurance Board")
    page = board_client.get(reverse("boards:dashboard", args=[board.slug])).content.decode()
    assert "Overdue actions (1)" in page
    assert 'eis-rating--red eis-schedule">Overdue<' in page
    assert "Ratings by priority area and outcome" in page
    assert "&amp;schedule=overdue" in page
    listed = board_client.get(
        reverse("actions:list"), {"plan": "send-pip", "schedule": "overdue"}
    ).content.decode()
    assert ">1.1a<" in listed and ">1.1b<" not in listed


def test_the_strategys_dashboard_has_no_schedule_section(board_client, terms):
    ActionFactory()
    standings_refresh()
    page = board_client.get(reverse("home")).content.decode()
    assert "Overdue actions" not in page
    assert "Ratings by commitment and sector" in page
