"""The SEND plan's monthly round and its board, in a real browser: an officer's monthly
update at 320 px, a board member seeing an overdue action on the SIAB dashboard, and the
pages these touch checked with axe and for reflow."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kpis.standings import standings_refresh
from tests.e2e.conftest import NARROW, assert_accessible_at_both_widths, sign_in
from tests.e2e.test_reflow import assert_reflows
from tests.factories import ActionFactory, BoardFactory, ProgressUpdateFactory, UserFactory
from tests.pip import pip_action, pip_areas, pip_month, send_pip

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def months():
    """Last month (ended, updates due on the 7th of this one, published) and this month."""
    today = timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    return (
        pip_month(last.year, last.month, is_published=True),
        pip_month(today.year, today.month),
    )


@pytest.fixture
def pip(months):
    """An officer leading a SEND plan action and a strategy one; an action due last month,
    approved Green then; the SIAB board with its member."""
    last, _ = months
    areas = pip_areas()
    officer = UserFactory(username="officer", first_name="Priya", last_name="Shah", role="Officer")
    monthly = pip_action("1.1a", timezone.localdate() + timedelta(days=90), areas[0])
    monthly.leads.add(officer)
    ActionFactory(code="1.1(a)").leads.add(officer)
    late = pip_action("2.1a", last.end_date - timedelta(days=3), areas[1])
    ProgressUpdateFactory(action=late, term=last, rating="green")
    member = UserFactory(username="board", role="Board member")
    board = BoardFactory(plan=send_pip(), slug="siab", name="SEND Improvement & Assurance Board")
    board.members.add(member)
    standings_refresh()
    return {"monthly": monthly, "late": late, "board": board}


def test_an_officer_makes_a_monthly_update_on_a_narrow_screen(page: Page, pip, months):
    last, _ = months
    page.set_viewport_size(NARROW)
    sign_in(page, "officer")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My actions").click()
    page.get_by_role("link", name=re.compile("Your actions in SEND")).click()
    expect(page.get_by_text("Your actions, soonest due first")).to_be_visible()
    page.get_by_label("Month").select_option(
        label=last.name + " (past due)" if last.due_date < timezone.localdate() else last.name
    )
    page.get_by_role("button", name="Show month").click()
    page.get_by_role("link", name=f"Update 1.1a for {last.name}").click()
    page.get_by_label("Green", exact=True).check()
    page.get_by_label(re.compile("^Progress")).fill("Communication plan agreed with parents.")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("was submitted for approval")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("1.1a"))
    expect(row.get_by_text("Submitted")).to_be_visible()


def test_a_board_member_sees_an_overdue_action_red_on_the_siab_dashboard(page: Page, pip):
    sign_in(page, "board")
    page.goto("/boards/siab/")
    expect(page.get_by_role("heading", name="Overdue actions (1)")).to_be_visible()
    row = page.locator(".eis-overdue").get_by_role("row", name=re.compile("2.1a"))
    expect(row.locator(".eis-rating--red")).to_have_text("Overdue")
    expect(row.locator(".eis-rating--green")).to_have_text("Green")
    page.get_by_role("link", name=re.compile("^1 action overdue")).click()
    expect(page.get_by_role("link", name="2.1a")).to_be_visible()
    expect(page.get_by_role("link", name="1.1a")).to_have_count(0)
    expect(page.locator(".eis-schedule", has_text="Overdue")).to_have_count(1)


def pip_urls(pip) -> list[str]:
    return [
        "/my/?plan=send-pip",
        "/actions/?plan=send-pip",
        f"/actions/{pip['late'].pk}/",
        "/boards/siab/",
        "/?plan=send-pip",
    ]


def test_the_send_plan_pages_pass_axe_at_both_widths(page: Page, axe, pip):
    for username, urls in (("officer", pip_urls(pip)[:3]), ("board", pip_urls(pip)[1:])):
        sign_in(page, username)
        for url in urls:
            page.goto(url)
            assert_accessible_at_both_widths(axe, page)
        page.context.clear_cookies()


def test_the_send_plan_pages_reflow(page: Page, pip):
    sign_in(page, "officer")
    assert_reflows(page, pip_urls(pip)[:3])
    page.context.clear_cookies()
    sign_in(page, "board")
    assert_reflows(page, pip_urls(pip)[1:])
