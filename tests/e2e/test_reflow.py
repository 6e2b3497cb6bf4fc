"""Reflow (WCAG 2.2 1.4.10): every page type, at 320 CSS px wide, as each role that sees it,
is no wider than the window, so nobody scrolls the page sideways. A table that has to stay a
table scrolls inside its own labelled region (`.eis-table-scroll`), which is allowed; the page
itself never does.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action, Plan, ProgressUpdate
from boards.feed_tokens import feed_token_issue
from boards.services import board_pack_publish
from kpis.standings import standings_refresh
from spreadsheets.plan_imports import plan_import_stage
from tests.conftest import PLAN_WORKBOOK, generated_pack, run_tasks
from tests.e2e.conftest import DESKTOP, NARROW, assert_accessible_at_both_widths, sign_in
from tests.factories import (
    BoardFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.risks.factories import RiskFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

WIDE = {"width": 1366, "height": 900}  # the width the issue found the KPI table overflowing

# What sticks out past the window, for the failure message: the widest few elements.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1
      && !el.closest(".eis-table-scroll, .govuk-visually-hidden"))
    .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
    .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
      + `right=${Math.round(el.getBoundingClientRect().right)}`);
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 6)};
}"""


def widths(page, urls, size=NARROW) -> list[str]:
    """Each url that is wider than the window at `size`, with what sticks out."""
    page.set_viewport_size(size)
    too_wide = []
    try:
        for url in urls:
            response = page.goto(url)
            assert response.ok, f"{url} answered {response.status}"
            found = page.evaluate(OVERFLOW)
            if found["scroll"] > found["width"]:
                too_wide.append(f"{url}: {found['scroll']} px in {found['width']}: {found['wide']}")
    finally:
        page.set_viewport_size(DESKTOP)
    return too_wide


def assert_reflows(page, urls, size=NARROW) -> None:
    too_wide = widths(page, urls, size)
    assert not too_wide, "\n".join(too_wide)


@pytest.fixture
def pages(plan, open_term):
    """An action with a lead, figures, a trend, an approved rating and a submitted update;
    a board with a meeting and a published pack; a plan import and a feed token."""
    action = Action.objects.get(code="1.2(a)")
    lead = UserFactory(username="lead", first_name="Hannah", last_name="Clarke", role="Officer")
    action.leads.add(lead)
    member = UserFactory(username="board", role="Board member")
    admin = UserFactory(username="admin", role="Admin", is_staff=True)
    kpis = list(action.kpis.all()[:2])
    for kpi, value in zip(kpis, (61, 72), strict=False):
        KPIValueFactory(kpi=kpi, term=open_term, value=value, data_period="2025/26")
    ProgressUpdateFactory(action=action, term=open_term, rating="red", next_steps="Recover")
    standings_refresh()
    submitted = ProgressUpdateFactory(
        action=Action.objects.get(code="3.1(a)"), term=open_term, status="submitted"
    )
    board = BoardFactory(name="Education Board", slug="education-board")
    board.members.add(member, admin)
    meeting = MeetingFactory(board=board)
    pack = board_pack_publish(
        pack=generated_pack(meeting=meeting, term=open_term, user=admin), user=admin
    )
    staged = plan_import_stage(
        plan=Plan.objects.get(slug="eis"),
        data=PLAN_WORKBOOK.read_bytes(),
        name="plan.xlsx",
        user=None,
    )
    run_tasks()
    feed_token_issue(user=member, name="Power BI", kind="user", created_by=admin)
    return {
        "action": action,
        "term": open_term,
        "update": ProgressUpdate.objects.get(pk=submitted.pk),
        "meeting": meeting,
        "pack": pack,
        "import": staged,
    }


def test_the_pages_anyone_sees_reflow(page, pages):
    assert_reflows(page, ["/login/"])
    page.set_viewport_size(NARROW)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_reflows(page, [f"/public/packs/{pages['pack'].public_token}/"])


def test_the_pages_board_members_read_reflow(page, pages):
    sign_in(page, "board")
    action = pages["action"]
    assert_reflows(
        page,
        [
            "/",
            "/boards/education-board/",
            "/actions/",
            "/kpis/",
            "/boards/",
            "/commitments/1/",
            f"/actions/{action.pk}/",
            f"/meetings/{pages['meeting'].pk}/",
        ],
    )
    assert_reflows(page, [f"/packs/{pages['pack'].pk}/"])


def test_the_pages_officers_use_reflow(page, pages):
    from spreadsheets.prepared_downloads import Wanted, prepared_download_request

    sign_in(page, "lead")
    action, term = pages["action"], pages["term"]
    lead, eis = action.leads.get(), Plan.objects.get(slug="eis")
    ready = prepared_download_request(user=lead, wanted=Wanted("mine", eis))
    run_tasks()
    # Left queued: its page says it is being prepared.
    queued = prepared_download_request(user=lead, wanted=Wanted("plan", eis))
    assert_reflows(
        page,
        [
            "/my/",
            f"/updates/{action.pk}/{term.pk}/",
            f"/actions/{action.pk}/",
            "/actions/",
            "/kpis/",
            "/plan/excel/",
            f"/plan/excel/prepared/{ready.pk}/",
            f"/plan/excel/prepared/{queued.pk}/",
        ],
    )


def test_the_round_trip_preview_reflows(page, axe, pages, tmp_path):
    """An officer's edited workbook, checked: the table of its changes, at 320 px."""
    from spreadsheets.plan_export import VALUES_SHEET, ExportScope, plan_export_bytes
    from tests.spreadsheets.test_round_trip import edit, headline

    action, term = pages["action"], pages["term"]
    data = plan_export_bytes(
        ExportScope(Action.objects.filter(pk=action.pk), "x", action.leads.get()), term.start_date
    )
    edited = tmp_path / "plan.xlsx"
    row = headline(term, action, "i")
    edited.write_bytes(edit(data, VALUES_SHEET, row, {"Value": 170, "Data period": "2025/26"}))
    sign_in(page, "lead")
    page.goto("/plan/excel/")
    page.get_by_label("Edited workbook").set_input_files(str(edited))
    page.get_by_role("button", name="Check the file").click()
    run_tasks()
    url = page.url.split("?")[0]
    page.goto(url)
    # 1.2(a)'s update for the term is approved, so the file is refused, with its changes.
    assert page.get_by_role("heading", name="The file cannot be saved").is_visible()
    assert page.get_by_text("Changes to 1.2(a) in").is_visible()
    assert_reflows(page, [url])
    page.goto(url)
    assert_accessible_at_both_widths(axe, page)


def test_the_pages_admins_use_reflow(page, pages):
    sign_in(page, "admin")
    pack, term = pages["pack"], pages["term"]
    assert_reflows(
        page,
        [
            "/approvals/",
            f"/approvals/{pages['update'].pk}/",
            "/plan/import/",
            f"/plan/import/{pages['import'].pk}/",
            f"/plan/import/{pages['import'].pk}/?unchanged=1",
            "/reporting-period/",
            f"/reporting-period/{term.pk}/",
            "/feed/tokens/",
            "/plans/",
            "/boards/",
            f"/meetings/{pages['meeting'].pk}/",
            f"/updates/{pages['update'].action_id}/{term.pk}/",
        ],
    )
    assert_reflows(
        page,
        [f"/packs/{pack.pk}/", f"/packs/{pack.pk}/publish/check/", f"/packs/{pack.pk}/pdf/"],
    )


def test_the_lists_fit_the_page_at_desktop_width(page, pages):
    """At 1366 px the KPI table ran past the page's edge: now each list's table fits its
    column, so its region (there for narrower desktops) has nothing to scroll."""
    sign_in(page, "admin")
    assert_reflows(page, ["/kpis/", "/actions/", "/approvals/"], size=WIDE)
    page.set_viewport_size(WIDE)
    for url, name in [("/kpis/", "KPIs, approved figures up to"), ("/actions/", "Actions")]:
        page.goto(url)
        region = page.get_by_role("region", name=re.compile(f"^{name}"))
        assert region.evaluate("(el) => el.scrollWidth <= el.clientWidth"), url
        assert region.locator("table").evaluate(
            "(el) => el.getBoundingClientRect().right"
            " <= el.closest('.govuk-grid-column-three-quarters').getBoundingClientRect().right"
        ), url


def test_the_menu_folds_behind_a_button_on_a_narrow_screen(page, pages):
    """GOV.UK's service navigation: at 320 px its links, "Sign out" among them, sit behind
    a Menu button that says whether it is open."""
    sign_in(page, "admin")
    page.set_viewport_size(NARROW)
    page.goto("/actions/")
    menu = page.get_by_role("button", name="Menu")
    sign_out = page.get_by_role("button", name=re.compile("^Sign out"))
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(sign_out).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sign_out).to_be_visible()
    page.set_viewport_size(DESKTOP)
    expect(menu).to_be_hidden()
    expect(sign_out).to_be_visible()


def test_stacked_rows_name_each_cell_on_a_narrow_screen(page, pages):
    """A list's rows stack, each figure led by its column's name; at desktop width the
    same table is a table again."""
    sign_in(page, "board")
    page.set_viewport_size(NARROW)
    page.goto("/kpis/")
    cell = page.locator("table.eis-kpi-table td[data-label='Status']").first
    label = cell.evaluate("(el) => getComputedStyle(el, '::before').content")
    assert label == '"Status"'
    assert cell.evaluate("(el) => getComputedStyle(el).display") == "block"
    # The sort links in the hidden header row show when a keyboard user reaches them.
    sort = page.locator("table.eis-kpi-table thead a", has_text="Status")
    sort.focus()
    expect(sort).to_be_focused()
    assert sort.evaluate("(el) => el.getBoundingClientRect().width") > 20
    assert sort.evaluate("(el) => el.getBoundingClientRect().right <= window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size(DESKTOP)
    assert cell.evaluate("(el) => getComputedStyle(el).display") == "table-cell"
    assert cell.evaluate("(el) => getComputedStyle(el, '::before').content") == "none"


def test_a_trend_table_scrolls_in_its_region_and_its_chart_fits_with_readable_text(page, pages):
    """At 320 px a trend's figures scroll inside a region that is named and takes keyboard
    focus; the chart is the narrow drawing, as wide as the column with text at least 13 px
    high, and nothing scrolls. At desktop width the wide drawing fills its column instead."""
    sign_in(page, "board")
    page.set_viewport_size(NARROW)
    page.goto(f"/actions/{pages['action'].pk}/")
    table = page.get_by_role("region", name=re.compile(r"^Figures for \(")).first
    expect(table).to_have_attribute("tabindex", "0")
    table.focus()
    expect(table).to_be_focused()
    chart = page.locator(".eis-trend__chart").first
    narrow, wide = chart.locator("svg.eis-chart--narrow"), chart.locator("svg.eis-chart--wide")
    expect(narrow).to_be_visible()
    expect(wide).to_be_hidden()
    expect(page.get_by_role("img", name=re.compile(r"^\("))).to_have_count(
        page.locator(".eis-trend__chart").count()
    )  # one drawing of each chart is announced, not two
    assert chart.evaluate("(el) => el.scrollWidth <= el.clientWidth")
    assert narrow.evaluate("(el) => el.getBoundingClientRect().right <= window.innerWidth")
    # Font size on screen: the drawing's own size times the scale the page draws it at.
    smallest = narrow.evaluate(
        "(el) => Math.min(...[...el.querySelectorAll('text')].map("
        "(t) => parseFloat(getComputedStyle(t).fontSize) * el.getScreenCTM().a))"
    )
    assert smallest >= 13
    wide_text = wide.evaluate(
        "(el) => parseFloat(getComputedStyle(el).fontSize) * 290 / el.viewBox.baseVal.width"
    )
    assert wide_text < 6  # what the wide drawing's text would have shrunk to at 320 px
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size(WIDE)
    expect(wide).to_be_visible()
    expect(narrow).to_be_hidden()
    assert wide.evaluate("(el) => el.getBoundingClientRect().width") == chart.evaluate(
        "(el) => el.clientWidth"
    )


def test_the_pages_reflow_touched_stay_clean_for_axe_at_both_widths(page, axe, pages):
    sign_in(page, "admin")
    for url in [
        "/actions/",
        "/kpis/",
        "/commitments/1/",
        f"/actions/{pages['action'].pk}/",
        "/boards/",
        f"/meetings/{pages['meeting'].pk}/",
        "/approvals/",
        "/feed/tokens/",
        "/plan/import/",
        "/reporting-period/",
        "/plans/",
        "/?plan=send-pip",
    ]:
        page.goto(url)
        assert_accessible_at_both_widths(axe, page)
    page.context.clear_cookies()
    sign_in(page, "lead")
    page.goto("/my/")
    assert_accessible_at_both_widths(axe, page)


def test_the_risk_pages_reflow(page, pages):
    """The register, a risk, its forms and the dashboard's risk summary at 320 px."""
    action = pages["action"]
    risk = RiskFactory(
        plan=Plan.objects.get(slug="eis"),
        reference="R1",
        title="Not enough specialist places for children with complex needs",
        likelihood=5,
        impact=4,
        review_date=timezone.localdate() - timedelta(days=2),
    )
    risk.areas.add(action.commitment)
    risk.actions.add(action)
    sign_in(page, "admin")
    assert_reflows(
        page,
        [
            "/plans/eis/risks/",
            f"/risks/{risk.pk}/",
            f"/risks/{risk.pk}/edit/",
            "/plans/eis/risks/new/",
            "/",
        ],
    )
