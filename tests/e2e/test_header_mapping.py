"""The plan import's "Match the columns" step, in a real browser."""

import pytest
from playwright.sync_api import expect

from spreadsheets.models import HeaderMapping
from tests.conftest import run_tasks
from tests.e2e.conftest import assert_accessible_at_both_widths, sign_in
from tests.factories import UserFactory
from tests.spreadsheets.test_header_mapping import STRATEGY_RENAMED, renamed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_an_admin_matches_an_unknown_heading_and_the_file_is_checked_again(page, axe, tmp_path):
    UserFactory(username="admin", role="Admin", is_staff=True)
    workbook = tmp_path / "our-plan.xlsx"
    workbook.write_bytes(renamed(STRATEGY_RENAMED, limit=12))
    sign_in(page, "admin")
    page.goto("/plan/import/")
    page.get_by_label("Education and Inclusion Strategy").check()
    page.get_by_label("Plan workbook").set_input_files(str(workbook))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("link", name="Stop refreshing this page").click()
    run_tasks()  # the worker meets a heading it does not know
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_role("heading", name="Match the columns")).to_be_visible()
    assert_accessible_at_both_widths(axe, page)

    page.get_by_role("button", name="Save and check the file again").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select which column “Indicator wording” is")
    assert_accessible_at_both_widths(axe, page)
    summary.get_by_role("link").click()
    select = page.get_by_label("Which column is “Indicator wording”?")
    expect(select).to_be_focused()

    select.select_option("KPI")
    page.get_by_role("button", name="Save and check the file again").click()
    expect(page.get_by_role("heading", name="We are checking your file")).to_be_visible()
    page.get_by_role("link", name="Stop refreshing this page").click()
    run_tasks()
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_role("heading", name="Check what will change")).to_be_visible()
    expect(page.get_by_text("Actions: 4 created")).to_be_visible()
    assert HeaderMapping.objects.get().column == "KPI"
