"""axe-core on every page type the service has, signed in as whoever sees it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import Action, Plan, ProgressUpdate, Season
from boards.models import BoardPack
from boards.services import board_pack_generate, board_pack_publish
from kpis.standings import standings_refresh
from spreadsheets.models import StagedUpload
from spreadsheets.plan_imports import plan_import_confirm, plan_import_stage
from tests.conftest import PLAN_WORKBOOK, generated_pack, run_tasks
from tests.e2e.conftest import (
    assert_accessible,
    assert_accessible_at_both_widths,
    assert_progress_page_accessible,
    sign_in,
)
from tests.factories import (
    BoardFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)
from tests.risks.factories import RiskFactory
from tests.spreadsheets.test_plan_tree_import import SEND_PIP

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def people(plan, open_term):
    action = Action.objects.get(code="1.2(a)")
    lead = UserFactory(username="lead", first_name="Hannah", last_name="Clarke", role="Officer")
    action.leads.add(lead)
    UserFactory(username="board", role="Board member")
    UserFactory(username="admin", role="Admin", is_staff=True)
    ProgressUpdateFactory(
        action=Action.objects.get(code="3.1(a)"), term=open_term, status="submitted"
    )
    return action


def test_the_sign_in_page(page, axe, db):
    page.goto("/login/")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Sign in").click()  # with its error summary
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(axe, page)


def test_the_pages_board_members_read(page, axe, people):
    sign_in(page, "board")
    for url in [
        "/",
        "/actions/",
        "/actions/?sector=2&sort=-rating",
        "/actions/?stale=yes&movement=same",
        "/kpis/",
        "/kpis/?status=none&sort=-status",
        "/boards/",
        "/commitments/1/",
        f"/actions/{people.pk}/",
    ]:
        page.goto(url)
        assert_accessible(axe, page)


def test_the_reporting_period_pages(page, axe, people, open_term):
    sign_in(page, "admin")
    page.goto("/reporting-period/")
    assert_accessible_at_both_widths(axe, page)
    page.get_by_role("button", name="Continue").click()  # with its error summary
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.get_by_label(open_term.label).check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible_at_both_widths(axe, page)
    page.get_by_role("button", name=f"Publish {open_term.label}").click()
    assert_accessible_at_both_widths(axe, page)
    page.goto("/")
    assert_accessible_at_both_widths(axe, page)


def test_my_actions_with_overdue_updates_from_an_earlier_term(page, axe, people, open_term):
    TermFactory(
        academic_year="2025/26",
        season=Season.SUMMER,
        start_date=open_term.start_date - timedelta(days=150),
        end_date=open_term.start_date - timedelta(days=40),
        due_date=open_term.start_date - timedelta(days=45),
    )
    sign_in(page, "lead")
    assert page.get_by_text("Overdue from earlier terms").is_visible()
    assert_accessible_at_both_widths(axe, page)


def test_my_actions_and_the_termly_update_page_empty_and_with_errors(page, axe, people, open_term):
    sign_in(page, "lead")
    page.goto("/my/")
    assert_accessible(axe, page)
    page.goto(f"/updates/{people.pk}/{open_term.pk}/")
    assert_accessible_at_both_widths(axe, page)
    page.get_by_label("Red", exact=True).check()
    page.get_by_role("button", name="Submit for approval").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible_at_both_widths(axe, page)


def test_the_approval_pages(page, axe, people, open_term):
    gld = people.kpis.get(ref="iii")
    update = ProgressUpdate.objects.get(status="submitted")
    KPIValueFactory(kpi=gld, term=open_term, value=66, data_period="2025/26", note="Sampled")
    update.action = people
    update.save()
    sign_in(page, "admin")
    page.goto("/approvals/")
    assert_accessible_at_both_widths(axe, page)
    page.goto(f"/approvals/{update.pk}/")
    assert page.get_by_text("nothing entered").first.is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.get_by_role("button", name="Return update").click()  # with its error
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible_at_both_widths(axe, page)


def test_the_import_pages_in_every_state_at_both_widths(page, axe, people):
    """Upload, checking, preview, refused, saving, imported and failed."""
    sign_in(page, "admin")
    page.goto("/plan/import/")
    assert_accessible_at_both_widths(axe, page)
    staged = plan_import_stage(
        plan=Plan.objects.get(slug="eis"),
        data=PLAN_WORKBOOK.read_bytes(),
        name="plan.xlsx",
        user=None,
    )
    url = f"/plan/import/{staged.pk}/"
    assert_progress_page_accessible(axe, page, url)  # being checked
    refused = plan_import_stage(
        plan=Plan.objects.get(slug="eis"), data=b"a,b\n1,2\n", name="notes.xlsx", user=None
    )
    run_tasks()
    page.goto(f"{url}?unchanged=1")
    assert page.get_by_role("heading", name="Check what will change").is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.goto(f"/plan/import/{refused.pk}/")
    assert page.get_by_text("The file was not imported").first.is_visible()
    assert_accessible_at_both_widths(axe, page)
    staged.refresh_from_db()
    plan_import_confirm(staged=staged, user=None)
    assert_progress_page_accessible(axe, page, url)  # being saved
    run_tasks()
    page.goto(url)
    assert page.get_by_role("heading", name="Imported").is_visible()
    assert_accessible_at_both_widths(axe, page)
    StagedUpload.objects.filter(pk=staged.pk).update(state="failed", error="A fault (OSError).")
    page.goto(url)
    assert page.get_by_role("button", name="Check the file again").is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.goto("/plan/import/")  # the list of uploads, each with its state
    assert_accessible_at_both_widths(axe, page)


def test_the_board_pages_and_packs(page, axe, people, open_term):
    """Board dashboard, meeting, restricted pack with a trend chart, and the public pack."""
    ProgressUpdateFactory(action=people, term=open_term, rating="red", next_steps="Recover")
    KPIValueFactory(kpi=people.kpis.first(), term=open_term, value=61, data_period="2025/26")
    standings_refresh()  # as the approval service does; the factories go round it
    admin = UserFactory(username="admin")
    board = BoardFactory(name="Education Board", slug="education-board")
    board.members.add(admin)
    meeting = MeetingFactory(board=board)
    pack = board_pack_publish(
        pack=generated_pack(meeting=meeting, term=open_term, user=admin), user=admin
    )
    sign_in(page, "admin")
    for url in [
        "/boards/education-board/",
        f"/meetings/{meeting.pk}/",
        f"/packs/{pack.pk}/",
        f"/actions/{people.pk}/",
    ]:
        page.goto(url)
        assert_accessible(axe, page)
    assert page.locator("svg.eis-chart").count() >= 1
    page.context.clear_cookies()
    page.goto(f"/public/packs/{pack.public_token}/")
    assert page.get_by_role("heading", name="Board pack: meeting on 17 March 2026").is_visible()
    assert_accessible(axe, page)


def test_the_pack_pages_a_superseded_version_and_the_check_before_publishing(
    page, axe, people, open_term
):
    """The meeting with a superseded version, that version's page with its notices, and the
    check before publishing, with the public version inside it, at both widths."""
    ProgressUpdateFactory(
        action=people, term=open_term, rating="amber", next_steps="Recover", is_demo=True
    )
    KPIValueFactory(kpi=people.kpis.first(), term=open_term, value=61, data_period="2025/26")
    standings_refresh()
    admin = UserFactory(username="admin")
    board = BoardFactory(name="Education Board", slug="education-board")
    meeting = MeetingFactory(board=board)
    first = generated_pack(meeting=meeting, term=open_term, user=admin)
    second = generated_pack(meeting=meeting, term=open_term, user=admin)
    sign_in(page, "admin")
    page.goto(f"/meetings/{meeting.pk}/")
    assert page.get_by_text("Superseded by").is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.goto(f"/packs/{first.pk}/")
    assert page.get_by_text("Superseded by version 2.").is_visible()
    assert page.get_by_text("Demo data — not the council's figures").is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.goto(f"/packs/{second.pk}/publish/check/")
    assert page.get_by_role("heading", name="Public version, as it will be published").is_visible()
    assert_accessible_at_both_widths(axe, page)


def test_the_pack_and_pdf_progress_pages_at_both_widths(page, axe, people, open_term):
    """A pack being prepared or failed, and a PDF being made, ready or failed."""
    admin = UserFactory(username="admin")
    board = BoardFactory(name="Education Board", slug="education-board")
    meeting = MeetingFactory(board=board)
    pack = board_pack_generate(meeting=meeting, term=open_term, user=admin)
    sign_in(page, "admin")
    assert_progress_page_accessible(axe, page, f"/packs/{pack.pk}/")
    assert_progress_page_accessible(axe, page, f"/meetings/{meeting.pk}/")
    BoardPack.objects.filter(pk=pack.pk).update(state="failed", error="A fault (KeyError).")
    page.goto(f"/packs/{pack.pk}/")
    assert page.get_by_role("button", name="Prepare the pack again").is_visible()
    assert_accessible_at_both_widths(axe, page)
    BoardPack.objects.filter(pk=pack.pk).update(state="preparing", error="")
    run_tasks()
    assert_progress_page_accessible(axe, page, f"/packs/{pack.pk}/pdf/")
    run_tasks()
    page.goto(f"/packs/{pack.pk}/pdf/?wait=1")
    assert page.get_by_role("heading", name="The PDF is ready").is_visible()
    assert_accessible_at_both_widths(axe, page)
    BoardPack.objects.filter(pk=pack.pk).update(pdf_state="failed", pdf_error="A fault.")
    page.goto(f"/packs/{pack.pk}/pdf/")
    assert page.get_by_role("button", name="Make the PDF again").is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.goto(f"/packs/{pack.pk}/")  # the admin's notice of the failed PDF
    assert page.get_by_role("button", name="Make the restricted PDF again").is_visible()
    assert_accessible_at_both_widths(axe, page)


def test_the_feed_token_page_empty_with_errors_and_with_a_token_issued(page, axe, people):
    sign_in(page, "admin")
    page.goto("/feed/tokens/")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Issue token").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(axe, page)
    page.get_by_label("Who the token is for").select_option(label="board")
    page.get_by_label("What it is for").fill("Power BI")
    page.get_by_role("button", name="Issue token").click()
    assert page.get_by_role("heading", name="Token issued").is_visible()
    assert_accessible(axe, page)


def test_the_excel_pages_in_every_state_at_both_widths(page, axe, people, open_term, tmp_path):
    from spreadsheets.plan_export import VALUES_SHEET, ExportScope, plan_export_bytes
    from tests.spreadsheets.test_round_trip import edit, headline

    sign_in(page, "lead")
    page.goto("/plan/excel/")
    assert_accessible_at_both_widths(axe, page)
    page.get_by_role("button", name="Check the file").click()  # no file chosen
    assert page.get_by_text("The file was not read").is_visible()
    assert_accessible_at_both_widths(axe, page)
    bad = tmp_path / "notes.xlsx"
    bad.write_text("a,b\n1,2\n")
    page.goto("/plan/excel/")
    page.get_by_label("Edited workbook").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    refused_url = page.url
    assert_progress_page_accessible(axe, page, refused_url)  # being checked
    run_tasks()
    page.goto(refused_url)
    assert page.get_by_role("heading", name="The file cannot be saved").is_visible()
    assert_accessible_at_both_widths(axe, page)
    lead = people.leads.get()
    data = plan_export_bytes(
        ExportScope(Action.objects.filter(pk=people.pk), "x", lead), open_term.start_date
    )
    edited = tmp_path / "plan.xlsx"
    row = headline(open_term, people, "i")
    edited.write_bytes(edit(data, VALUES_SHEET, row, {"Value": 170, "Data period": "2025/26"}))
    page.goto("/plan/excel/")
    page.get_by_label("Edited workbook").set_input_files(str(edited))
    page.get_by_role("button", name="Check the file").click()
    run_tasks()
    page.goto(page.url.split("?")[0])
    assert page.get_by_role("heading", name="Check what will change").is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.get_by_role("button", name="Confirm and save as drafts").click()
    assert_progress_page_accessible(axe, page, page.url.split("?")[0])  # being saved
    run_tasks()
    page.goto(page.url.split("?")[0])
    assert page.get_by_text("Saved 1 update as drafts.").is_visible()
    assert_accessible_at_both_widths(axe, page)
    upload = StagedUpload.objects.filter(kind="figures").latest("pk")
    StagedUpload.objects.filter(pk=upload.pk).update(state="failed", error="A fault (OSError).")
    page.goto(f"/plan/excel/{upload.pk}/")
    assert page.get_by_role("heading", name="The upload failed").is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.goto("/plan/excel/")  # the list of uploads, each with its state
    assert_accessible_at_both_widths(axe, page)


def test_the_structured_plan_import_its_plan_choice_links_and_area_page(page, axe, people):
    """The plan choice's error, a structured plan's preview, and the SEND plan's pages
    with links both ways, at both widths."""
    sign_in(page, "admin")
    page.goto("/plan/import/")
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_role("link", name="Select the plan this file is for").is_visible()
    assert_accessible_at_both_widths(axe, page)
    staged = plan_import_stage(
        plan=Plan.objects.get(slug="send-pip"),
        data=SEND_PIP.read_bytes(),
        name="send_pip.xlsx",
        user=None,
    )
    run_tasks()
    page.goto(f"/plan/import/{staged.pk}/?unchanged=1")
    assert page.get_by_role("heading", name="Check what will change in SEND").is_visible()
    assert_accessible_at_both_widths(axe, page)
    staged.refresh_from_db()
    plan_import_confirm(staged=staged, user=None)
    run_tasks()
    for code in ("1.1d", "6.1b"):
        page.goto(f"/actions/{Action.objects.get(plan__slug='send-pip', code=code).pk}/")
        assert page.get_by_role("heading", name="Links and dependencies").is_visible()
        assert_accessible_at_both_widths(axe, page)
    page.goto("/commitments/7/?plan=send-pip")
    assert page.get_by_role("heading", name="Actions linking to this priority area").is_visible()


def test_the_risk_pages_at_both_widths(page, axe, people, open_term):
    """The register (filtered too), a risk with its review form, the add and edit forms
    with their errors, and the summary on the dashboard and in a board pack."""
    today = timezone.localdate()
    plan = Plan.objects.get(slug="eis")
    lead = UserFactory(username="lead")
    for reference, likelihood, days in [("R1", 5, -3), ("R2", 3, 10), ("R3", 1, 20)]:
        risk = RiskFactory(
            plan=plan,
            reference=reference,
            likelihood=likelihood,
            impact=4,
            owner=lead,
            review_date=today + timedelta(days=days),
        )
        risk.areas.add(people.commitment)
        risk.actions.add(people)
    admin = UserFactory(username="admin")
    board = BoardFactory(name="Risk Board", slug="risk-board")
    board.members.add(admin)
    pack = generated_pack(meeting=MeetingFactory(board=board), term=open_term, user=admin)
    sign_in(page, "admin")
    for url in [
        "/plans/eis/risks/",
        "/plans/eis/risks/?band=very_high&overdue=yes",
        f"/risks/{risk.pk}/",
        "/plans/eis/risks/new/",
        f"/risks/{risk.pk}/edit/",
        "/",
        f"/packs/{pack.pk}/",
    ]:
        page.goto(url)
        assert_accessible_at_both_widths(axe, page)
    page.goto(f"/risks/{risk.pk}/edit/")
    page.get_by_label("Title", exact=True).fill("")
    page.get_by_label("Day").fill("40")
    page.get_by_role("button", name="Save risk").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible_at_both_widths(axe, page)
    page.goto(f"/risks/{risk.pk}/")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Reviewed today").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible_at_both_widths(axe, page)
