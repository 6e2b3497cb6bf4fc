"""The dashboard as a ten-second read, in Chromium: two screens at 1366 × 768 with the demo
data, no sideways scroll at 320 px, and axe-clean at both widths."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from tests.e2e.conftest import assert_accessible_at_both_widths, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

LAPTOP = {"width": 1366, "height": 768}
# Two screens of a 1366 × 768 laptop, give or take the page's last margin.
TWO_SCREENS = 1600


@pytest.fixture
def demo(plan):
    """The real plan with `make run`'s demo terms, ratings and figures."""
    call_command("seed_demo", stdout=io.StringIO())
    UserFactory(username="reader", role="Board member")


def open_every_details(page) -> None:
    for details in page.locator("details").all():
        details.evaluate("element => { element.open = true; }")


def document_size(page) -> dict:
    return page.evaluate(
        "({height: document.documentElement.scrollHeight,"
        " width: document.documentElement.scrollWidth, window: window.innerWidth})"
    )


def test_the_dashboard_fits_two_laptop_screens_and_reflows_at_320_px(page, axe, demo):
    sign_in(page, "reader")
    page.set_viewport_size(LAPTOP)
    page.goto("/")
    heatmap = page.locator("table.eis-heatmap")
    expect(heatmap).to_be_visible()
    # What a councillor reads first: the period, the bar, the heatmap, then Red and Amber.
    order = page.evaluate(
        "['.eis-completeness', '.eis-bar', 'table.eis-heatmap', '#exceptions']"
        ".map(s => document.querySelector(s).getBoundingClientRect().top)"
    )
    assert order == sorted(order)
    assert order[2] < LAPTOP["height"]  # the heatmap starts on the first screen
    for rating in ["red", "amber", "green", "blue"]:
        expect(page.locator(f".eis-heatmap__cell--{rating}").first).to_be_visible()
    size = document_size(page)
    assert size["height"] <= TWO_SCREENS, size
    assert size["width"] <= size["window"], size

    page.set_viewport_size({"width": 320, "height": 800})
    for opened in (False, True):
        if opened:
            open_every_details(page)
        size = document_size(page)
        assert size["width"] <= size["window"], (opened, size)
    page.set_viewport_size(LAPTOP)
    assert_accessible_at_both_widths(axe, page)


def test_a_heatmap_cell_opens_the_matching_actions(page, demo):
    sign_in(page, "reader")
    page.goto("/")
    cell = page.locator(".eis-heatmap__cell--red").first
    words = cell.locator(".eis-heatmap__counts a").first
    count = int(words.inner_text().split()[0])
    assert words.inner_text() == f"{count} Red"
    words.click()
    expect(page).to_have_url(
        re.compile(r"/actions/\?plan=eis&term=\d+&commitment=\d+&sector=\d+&rating=red$")
    )
    assert page.locator("table tbody tr").count() == count


# Each body cell of the dashboard's stacked tables: its table, its data-label, how it shows
# and what its ::before says.
STACKED_CELLS = """() => [...document.querySelectorAll("table.eis-table-stack > tbody > tr > td")]
  .map((td) => ({table: td.closest("table").className, label: td.dataset.label,
                 display: getComputedStyle(td).display,
                 before: getComputedStyle(td, "::before").content}))"""


def test_the_dashboard_tables_stack_one_way_each_cell_named(page, demo):
    """At 320 px every dashboard table but the heatmap stacks in the one style lists use,
    each cell led by its column's name (the counts by commitment side by side); the heatmap
    stacks in its own way, each cell led by its sector. At laptop width they are tables."""
    sign_in(page, "reader")
    page.set_viewport_size({"width": 320, "height": 800})
    # An action past its due date, so the overdue table is there too.
    Action.objects.filter(plan__slug="eis", code="1.2(a)").update(
        due_date=timezone.localdate() - timedelta(days=30)
    )
    page.goto("/")
    open_every_details(page)
    cells = page.evaluate(STACKED_CELLS)
    tables = {cell["table"] for cell in cells}
    for name in ("eis-exceptions", "eis-overdue", "eis-stale", "eis-by-commitment"):
        assert any(name in table for table in tables), (name, tables)
    assert any(cell["label"] == "Action (delivery)" for cell in cells)  # the rating scale
    for cell in cells:
        assert cell["label"], cell
        if "eis-table-stack--inline" in cell["table"]:  # "Improved 3", on one line
            assert (cell["display"], cell["before"]) == ("inline-block", f'"{cell["label"]} "')
        else:
            assert (cell["display"], cell["before"]) == ("block", f'"{cell["label"]}"')
    assert page.locator(".eis-heatmap__sector").first.is_visible()
    assert (
        page.locator("table.eis-heatmap td").first.evaluate("(el) => getComputedStyle(el).display")
        == "block"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.set_viewport_size(LAPTOP)
    for cell in page.evaluate(STACKED_CELLS):
        assert cell["display"] == "table-cell", cell
        assert cell["before"] == "none", cell
    assert not page.locator(".eis-heatmap__sector").first.is_visible()
