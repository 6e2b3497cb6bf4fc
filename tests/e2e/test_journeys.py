"""The journeys people take, in a real browser."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from actions.models import Action, ProgressUpdate, Season, Term
from kpis.models import Cohort
from kpis.standings import standings_refresh
from tests.conftest import PLAN_WORKBOOK, run_tasks
from tests.e2e.conftest import assert_accessible_at_both_widths, sign_in, sign_out
from tests.factories import (
    BoardFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
# Long enough for a progress page's own refresh (every 3 s) to show what the worker did.
REFRESHED = 15_000


@pytest.fixture
def gld_action(plan, open_term):
    """1.2(a), led by `lead`, whose (iii) is the GLD percentage broken down for disadvantaged."""
    action = Action.objects.get(code="1.2(a)")
    action.leads.add(
        UserFactory(username="lead", first_name="Hannah", last_name="Clarke", role="Officer")
    )
    gld = action.kpis.get(ref="iii")
    gld.unit, gld.polarity = "percent", "higher_better"
    gld.save()
    gld.breakdown_cohorts.add(Cohort.objects.get(code="disadvantaged"))
    UserFactory(
        username="admin", first_name="Alex", last_name="Morgan", role="Admin", is_staff=True
    )
    UserFactory(username="board", role="Board member")
    return action


def open_update(page: Page, action: Action, term) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My actions").click()
    page.get_by_role("link", name=f"Update {action.code} for {term.label}").click()


def gld_inputs(page: Page, action: Action):
    prefix = f"#id_kpi{action.kpis.get(ref='iii').pk}-"
    return lambda name: page.locator(prefix + name)


def test_a_lead_updates_an_approver_returns_the_lead_fixes_and_it_is_approved(
    page, gld_action, open_term
):
    field = gld_inputs(page, gld_action)
    sign_in(page, "board")
    amber = page.locator(".eis-bar__segment--amber")  # the dashboard's bar of ratings
    expect(amber).to_have_count(0)
    sign_out(page)

    sign_in(page, "lead")
    expect(page).to_have_url(re.compile(r"/my/$"))  # officers land on My actions
    open_update(page, gld_action, open_term)
    field("numerator").fill("335")
    field("denominator").fill("456")
    field("data_period").fill("2025/26 academic year")
    page.get_by_text("Breakdown by group").first.click()
    page.get_by_label("Disadvantaged").fill("58.2")
    page.get_by_label("Amber", exact=True).check()
    page.get_by_label("Progress this term").fill("Moderation visits completed in 40 settings.")
    page.get_by_label("Next steps").fill("Targeted support for settings below 60%.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("was saved as a draft")).to_be_visible()
    expect(field("numerator")).to_have_value("335")  # still on the form, as saved
    open_update(page, gld_action, open_term)
    # the percentage, worked out from the numbers, in the recent values table
    expect(page.get_by_role("cell", name="73.5% (335 of 456)")).to_be_visible()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("was submitted for approval")).to_be_visible()
    sign_out(page)

    sign_in(page, "admin")
    page.get_by_role("link", name="Approvals").click()
    page.get_by_role("link", name=re.compile(r"^Review 1\.2\(a\)")).click()
    page.get_by_label("Why it is being returned").fill("Please add the EYPP figure too.")
    page.get_by_role("button", name="Return update").click()
    expect(page.get_by_text("Returned 1.2(a)")).to_be_visible()
    sign_out(page)

    sign_in(page, "lead")
    page.get_by_role("link", name="My actions").click()
    expect(page.get_by_text("Returned: Please add the EYPP figure too.")).to_be_visible()
    page.get_by_role("link", name=f"Update 1.2(a) for {open_term.label}").click()
    page.get_by_label("Evidence of impact").fill("EYPP children: 61% on track, up from 55%.")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("was submitted for approval")).to_be_visible()
    sign_out(page)

    sign_in(page, "admin")
    page.get_by_role("link", name="Approvals").click()
    page.get_by_role("link", name=re.compile(r"^Review 1\.2\(a\)")).click()
    page.get_by_role("button", name="Approve update").click()
    expect(page.get_by_text("Approved 1.2(a)")).to_be_visible()
    sign_out(page)

    sign_in(page, "board")
    expect(amber).to_have_text("Amber 1")  # the dashboard count changed
    amber.get_by_role("link").click()
    page.get_by_role("link", name="1.2(a)").click()
    expect(page.locator("#trends ~ .eis-trend svg.eis-chart").first).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"^73\.5%")).first).to_be_visible()
    expect(page.locator(".eis-rating--amber").first).to_have_text("Amber")
    assert ProgressUpdate.objects.get(action=gld_action).status == "approved"


def tab_to(page: Page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching `selector` has focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_the_termly_update_by_keyboard_alone(page, gld_action, open_term):
    page.goto("/login/")
    page.keyboard.press("Tab")  # the skip link first
    tab_to(page, "#id_username")
    page.keyboard.type("lead")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My actions", exact=True)).to_be_visible()
    page.goto(f"/updates/{gld_action.pk}/{open_term.pk}/")
    gld_pk = gld_action.kpis.get(ref="iii").pk
    tab_to(page, f"#id_kpi{gld_pk}-value")
    page.keyboard.type("66.4")
    tab_to(page, f"#id_kpi{gld_pk}-data_period")
    page.keyboard.type("2025/26 academic year")
    tab_to(page, "summary.govuk-details__summary")  # the breakdown by group, closed
    page.keyboard.press("Enter")
    disadvantaged = Cohort.objects.get(code="disadvantaged").pk
    tab_to(page, f"#id_kpi{gld_pk}-cohort_{disadvantaged}")
    page.keyboard.type("52.9")
    tab_to(page, f"#id_kpi{gld_pk}-no_new_data")
    tab_to(page, "#id_rating_0")
    page.keyboard.press("ArrowDown")  # Blue -> Green, as radios move with arrow keys
    page.keyboard.press("Space")
    tab_to(page, "#id_progress")
    page.keyboard.type("On track: moderation complete.")
    tab_to(page, "button.govuk-button:not(.govuk-button--secondary)")
    page.keyboard.press("Enter")
    expect(page.get_by_text("was submitted for approval")).to_be_visible()
    update = ProgressUpdate.objects.get(action=gld_action)
    assert (update.rating, update.status) == ("green", "submitted")
    values = gld_action.kpis.get(ref="iii").values
    assert values.get(cohort__code="all").value == Decimal("66.4")
    assert values.get(cohort__code="disadvantaged").value == Decimal("52.9")


def test_a_figure_typed_with_a_decimal_comma_is_refused_not_stored_as_15(
    page, axe, gld_action, open_term
):
    """Chromium drops the comma of "1,5" from a number input before the form is sent; a
    text input sends what was typed, and the service says what to type instead."""
    field = gld_inputs(page, gld_action)
    sign_in(page, "lead")
    open_update(page, gld_action, open_term)
    field("value").fill("1,5")
    field("data_period").fill("2025/26 academic year")
    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("must use a full stop for decimals, like 12.5")
    expect(field("value")).to_have_value("1,5")
    assert not gld_action.kpis.get(ref="iii").values.exists()
    assert_accessible_at_both_widths(axe, page)
    summary.get_by_role("link").first.click()  # the summary's link takes them to the field
    expect(field("value")).to_be_focused()
    field("value").fill("1.5")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("was saved as a draft")).to_be_visible()
    assert gld_action.kpis.get(ref="iii").values.get(cohort__code="all").value == Decimal("1.5")


def test_the_narrative_counts_its_characters_as_the_lead_types(page, gld_action, open_term):
    sign_in(page, "lead")
    open_update(page, gld_action, open_term)
    page.get_by_label("Progress this term").fill("x" * 4990)
    expect(page.get_by_text("You have 10 characters remaining").first).to_be_visible()
    page.get_by_label("Progress this term").fill("x" * 5003)
    expect(page.get_by_text("You have 3 characters too many").first).to_be_visible()


def test_an_admin_imports_a_workbook_through_preview_and_confirm(page, gld_action):
    sign_in(page, "admin")
    page.get_by_role("link", name="Import plan").click()
    page.get_by_label("Education and Inclusion Strategy").check()
    page.get_by_label("Plan workbook").set_input_files(str(PLAN_WORKBOOK))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="We are checking your file")).to_be_visible()
    page.get_by_role("link", name="Stop refreshing this page").click()
    run_tasks()  # the worker checks the file
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_role("heading", name="Check what will change")).to_be_visible()
    expect(page.get_by_text("Actions: 0 created, 0 changed, 95 unchanged")).to_be_visible()
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", name="Saving the changes")).to_be_visible()
    run_tasks()  # the worker applies it; the page refreshes itself to show so
    expect(page.get_by_text("delivery_plan.xlsx was imported.")).to_be_visible(timeout=REFRESHED)
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)


def test_an_admin_generates_and_publishes_a_pack_that_the_public_can_read(
    page, gld_action, open_term
):
    ProgressUpdate.objects.create(
        action=gld_action,
        term=open_term,
        rating="red",
        status="approved",
        risks="Two key staff on long-term absence",
    )
    admin = UserFactory(username="admin")
    board = BoardFactory(name="Education Board", slug="education-board")
    board.members.add(admin)
    MeetingFactory(board=board)
    sign_in(page, "admin")
    page.get_by_role("link", name="Boards").click()
    page.get_by_role("link", name="Education Board").click()
    page.get_by_role("link", name="Generate a pack for 17 March 2026").click()
    page.get_by_label("Show figures approved for").select_option(label=open_term.label)
    page.get_by_role("button", name="Generate board pack").click()
    expect(page.get_by_role("heading", name="Preparing the board pack")).to_be_visible()
    run_tasks()  # the worker freezes the pack; its page refreshes itself to show it
    risk = page.get_by_text("Two key staff on long-term absence").first
    expect(risk).to_be_visible(timeout=REFRESHED)
    page.get_by_role("button", name="Publish the public version").click()  # asks first
    expect(
        page.get_by_role("heading", name="Check the public version before you publish it")
    ).to_be_visible()
    preview = page.get_by_role("region", name="Public version, as it will be published")
    expect(preview.get_by_text("Public version", exact=True)).to_be_visible()
    expect(preview.get_by_text("Two key staff on long-term absence")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Cancel"))).to_have_count(2)
    page.get_by_role("button", name="Publish the public version").first.click()
    expect(page.get_by_text("The public version is published")).to_be_visible()
    public_url = page.locator(".govuk-inset-text a").get_attribute("href")
    sign_out(page)
    page.goto(public_url)
    expect(page.get_by_text("Public version", exact=True)).to_be_visible()
    expect(page.get_by_text("1.2(a)").first).to_be_visible()
    expect(page.get_by_text("Two key staff on long-term absence")).to_have_count(0)
    page.get_by_role("link", name="PDF").click()
    expect(page.get_by_role("heading", name="Preparing the PDF")).to_be_visible()
    run_tasks()  # the worker renders it once
    expect(page.get_by_role("heading", name="The PDF is ready")).to_be_visible(timeout=REFRESHED)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download .*-public\.pdf$")).click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")


def test_a_board_member_finds_the_red_kpis_downloads_them_and_opens_one(
    page, gld_action, open_term
):
    gld = gld_action.kpis.get(ref="iii")
    ProgressUpdateFactory(action=gld_action, term=open_term, rating="red")
    KPIValueFactory(kpi=gld, term=open_term, value=Decimal("52.4"), status="red")
    sign_in(page, "board")
    page.get_by_role("link", name="KPIs").click()
    page.get_by_label("Status against target").select_option(label="Red")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("1 result")
    expect(page.get_by_role("cell", name=re.compile(r"^52\.4%"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV file").click()
    rows = download.value.path().read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(rows) == 2 and rows[1].startswith("1.2(a),iii,")
    page.get_by_role("link", name="1.2(a) KPI (iii)").click()
    expect(page).to_have_url(re.compile(rf"/actions/{gld_action.pk}/#kpi-iii$"))
    expect(page.locator("#kpi-iii")).to_contain_text("52.4%")


def test_a_lead_fills_in_the_term_in_excel_and_uploads_it_through_a_preview(
    page, gld_action, open_term, tmp_path
):
    from kpis.models import KPIValue
    from spreadsheets.plan_export import VALUES_SHEET
    from tests.spreadsheets.test_round_trip import edit, headline

    sign_in(page, "lead")
    page.get_by_role("link", name="Excel").click()
    page.get_by_role(
        "button",
        name=re.compile(r"^Prepare the workbook\W+the actions you lead in the Education"),
    ).click()
    run_tasks()
    ready = page.get_by_role("link", name=re.compile(r"^Download the workbook \(\.xlsx"))
    expect(ready).to_be_visible(timeout=REFRESHED)
    with page.expect_download() as download:
        ready.click()
    data = download.value.path().read_bytes()
    page.get_by_role("link", name="The plan and its figures in Excel").click()
    row = headline(open_term, gld_action, "iii")
    edited = tmp_path / "my-actions.xlsx"
    edited.write_bytes(edit(data, VALUES_SHEET, row, {"Value": 66.4, "Data period": "2025/26"}))
    page.get_by_label("Edited workbook").set_input_files(str(edited))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="We are checking your file")).to_be_visible()
    run_tasks()
    heading = page.get_by_role("heading", name="Check what will change")
    expect(heading).to_be_visible(timeout=REFRESHED)
    expect(page.get_by_role("rowheader", name="(iii) value")).to_be_visible()
    expect(page.get_by_text("Led by Hannah Clarke")).to_be_visible()
    page.get_by_role("button", name="Confirm and save as drafts").click()
    expect(page.get_by_role("heading", name="Saving the changes")).to_be_visible()
    run_tasks()
    expect(page.get_by_text("Saved 1 update as drafts.")).to_be_visible(timeout=REFRESHED)
    value = KPIValue.objects.get(kpi__action=gld_action, kpi__ref="iii", cohort__code="all")
    assert value.value == Decimal("66.4")
    assert ProgressUpdate.objects.get(action=gld_action, term=open_term).status == "draft"


def test_without_javascript_a_progress_page_refreshes_itself_to_the_result(
    browser, live_server, gld_action
):
    """The worker's progress pages need no script: a <meta> refresh (inside <noscript>)
    reloads the page until the job is done, and stops once it is."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "admin")
        page.goto("/plan/import/")
        page.get_by_label("Education and Inclusion Strategy").check()
        page.get_by_label("Plan workbook").set_input_files(str(PLAN_WORKBOOK))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", name="We are checking your file")).to_be_visible()
        assert page.locator('meta[http-equiv="refresh"]').count() == 1
        run_tasks()
        expect(page.get_by_role("heading", name="Check what will change")).to_be_visible(
            timeout=REFRESHED
        )
        assert page.locator('meta[http-equiv="refresh"]').count() == 0
    finally:
        context.close()


def test_an_admin_publishes_the_period_and_an_approval_elsewhere_moves_no_dashboard(
    page, gld_action, open_term
):
    """The defect: one approval in the open term moved every dashboard to it."""
    ended = TermFactory(
        academic_year="2024/25",
        season=Season.SUMMER,
        start_date=open_term.start_date - timedelta(days=150),
        end_date=open_term.start_date - timedelta(days=40),
        due_date=open_term.start_date - timedelta(days=50),
    )
    ProgressUpdateFactory(action=gld_action, term=ended, status="approved", rating="red")
    lead = gld_action.leads.get()
    ProgressUpdateFactory(
        action=gld_action,
        term=open_term,
        status="submitted",
        rating="green",
        created_by=lead,
        updated_by=lead,
        submitted_by=lead,
    )
    standings_refresh()

    sign_in(page, "admin")
    page.get_by_role("link", name="Reporting period", exact=True).click()
    page.get_by_label(ended.label).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text(f"1 of 95 actions approved for {ended.label}")).to_be_visible()
    page.get_by_role("button", name=f"Publish {ended.label}").click()
    expect(page.get_by_text(f"{ended.label} is now the published reporting period")).to_be_visible()
    sign_out(page)

    sign_in(page, "board")
    heading = page.locator("#summary")
    expect(heading).to_have_text(f"95 actions in {ended.label}")
    sign_out(page)

    sign_in(page, "admin")
    page.get_by_role("link", name="Approvals").click()
    page.get_by_role("link", name=re.compile(r"^Review 1\.2\(a\)")).click()
    page.get_by_role("button", name="Approve update").click()
    expect(page.get_by_text("Approved 1.2(a)")).to_be_visible()
    sign_out(page)

    sign_in(page, "board")
    expect(heading).to_have_text(f"95 actions in {ended.label}")
    expect(page.locator(".eis-completeness")).to_have_text(
        f"1 of 95 actions approved for {ended.label} · 94 no update: "
        "0 awaiting approval, 94 not submitted"
    )
    assert list(Term.objects.filter(is_published=True)) == [ended]
