"""An officer asks for the workbook of the actions they lead; the worker prepares it while
its page says so (and is accessible, refreshing or not), then the page offers the download."""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from kpis.selectors import actions_led_by
from spreadsheets.models import PreparedDownload
from spreadsheets.plan_export import ExportScope, plan_export_bytes
from tests.conftest import run_tasks
from tests.e2e.conftest import (
    assert_accessible_at_both_widths,
    assert_progress_page_accessible,
    sign_in,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
REFRESHED = 15_000
# The button's words, then (for screen readers) which workbook it prepares.
MINE = re.compile(r"^Prepare the workbook\W+the actions you lead in the Education and Inclusion")


def values(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.values) for sheet in book.worksheets}


def test_an_officer_prepares_the_workbook_of_the_actions_they_lead(
    page, axe, lead, led_action, open_term
):
    sign_in(page, "lead")
    page.get_by_role("link", name="Excel").click()
    page.get_by_role("button", name=MINE).click()
    expect(page.get_by_role("heading", name="Preparing the workbook")).to_be_visible()
    url = page.url.split("?")[0]
    prepared = PreparedDownload.objects.get()
    assert (prepared.state, prepared.content) == ("queued", None)
    assert_progress_page_accessible(axe, page, url)

    page.goto(url)
    run_tasks()
    link = page.get_by_role(
        "link", name=re.compile(r"^Download the workbook \(\.xlsx, [\d.]+ MB\)$")
    )
    expect(link).to_be_visible(timeout=REFRESHED)
    expect(page.get_by_role("heading", name="The workbook is ready")).to_be_visible()
    assert_accessible_at_both_widths(axe, page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "eis-my-actions.xlsx"
    scope = ExportScope(actions_led_by(lead), "The actions you lead", lead)
    expected = plan_export_bytes(scope, timezone.localdate())
    assert values(download.value.path().read_bytes()) == values(expected)

    # Its failure, as it would be shown, and the Excel page listing it: accessible too.
    PreparedDownload.objects.filter(pk=prepared.pk).update(
        state="failed", error="The workbook could not be prepared because of a fault (OSError)."
    )
    page.goto(url)
    expect(page.get_by_role("heading", name="The workbook could not be prepared")).to_be_visible()
    assert page.locator("[data-eis-poll-url]").count() == 0
    assert_accessible_at_both_widths(axe, page)
    page.goto("/plan/excel/")
    expect(page.get_by_role("link", name=re.compile("^The actions you lead"))).to_be_visible()
    assert_accessible_at_both_widths(axe, page)
