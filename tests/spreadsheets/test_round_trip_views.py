"""The Excel pages: downloads, upload, preview and confirm; who may use each; the export's cells."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import ProgressUpdate
from kpis.models import KPIValue
from spreadsheets.models import StagedUpload
from spreadsheets.plan_export import RATINGS_SHEET, VALUE_COLUMNS, VALUES_SHEET
from spreadsheets.plan_template import SHEET_NAME
from tests.conftest import prepared_workbook, run_tasks
from tests.factories import (
    BoardFactory,
    KPIValueFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.spreadsheets.test_round_trip import edit, export, headline

pytestmark = pytest.mark.django_db
START = "/plan/excel/"


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def admin_client_eis(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(client, data: bytes, name: str = "plan.xlsx"):
    """Upload the workbook and let the worker check it."""
    response = client.post(reverse("spreadsheets:round_trip_upload"), {"file": _file(data, name)})
    run_tasks()
    return response


def _file(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def book(response):
    return load_workbook(io.BytesIO(response.content))


# Who may use each page -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        START,
        "/plan/excel/plan.xlsx",
        "/plan/excel/1/",
        "/boards/x/plan.xlsx",
        "/plan/excel/prepared/1/",
        "/plan/excel/prepared/1/workbook.xlsx",
    ],
)
def test_every_page_needs_signing_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    "url", ["/plan/excel/upload/", "/plan/excel/1/confirm/", "/plan/excel/prepare/"]
)
def test_posting_needs_signing_in(client, db, url):
    response = client.post(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_user_without_a_role_is_refused(client, db):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(START).status_code == 403
    assert client.get("/plan/excel/plan.xlsx").status_code == 403


def test_a_board_member_downloads_but_cannot_upload(board_client, led_action, open_term):
    page = board_client.get(START)
    assert page.status_code == 200 and "Upload this term" not in page.content.decode()
    assert prepared_workbook(board_client, {"plan": "eis"}).status_code == 200
    response = board_client.post(
        reverse("spreadsheets:round_trip_upload"), {"file": _file(b"x", "a.xlsx")}
    )
    assert response.status_code == 403


def test_a_lead_sees_the_upload_form(lead_client, led_action):
    page = lead_client.get(START)
    assert page.status_code == 200
    assert "Upload this period" in page.content.decode()
    assert '<input type="hidden" name="mine" value="1">' in page.content.decode()


def test_the_preview_is_for_its_uploader_only(lead_client, lead, led_action, open_term, client):
    data = edit(
        export(lead),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": open_term.label},
        {"Progress": "x"},
    )
    response = upload(lead_client, data)
    pk = StagedUpload.objects.get().pk
    assert response.status_code == 302 and response["Location"] == f"/plan/excel/{pk}/"
    other = UserFactory(username="other-lead", role="Officer")
    client.force_login(other)
    assert client.get(f"/plan/excel/{pk}/").status_code == 403
    assert client.post(f"/plan/excel/{pk}/confirm/").status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_an_admin_may_read_but_not_confirm_someone_elses_upload(
    lead, led_action, open_term, client, admin_user
):
    client.force_login(lead)
    upload(
        client,
        edit(
            export(lead),
            RATINGS_SHEET,
            {"Action code": "1.2(a)", "Term": open_term.label},
            {"Progress": "x"},
        ),
    )
    pk = StagedUpload.objects.get().pk
    client.force_login(admin_user)
    page = client.get(f"/plan/excel/{pk}/")
    assert page.status_code == 200 and "Confirm and save" not in page.content.decode()
    assert client.post(f"/plan/excel/{pk}/confirm/").status_code == 403


def test_confirm_needs_post(lead_client):
    assert lead_client.get("/plan/excel/1/confirm/").status_code == 405


# The journey -----------------------------------------------------------------------------


def test_upload_preview_confirm(lead_client, lead, led_action, open_term):
    data = edit(
        export(lead),
        VALUES_SHEET,
        headline(open_term, led_action),
        {"Value": 71, "Data period": "2025/26"},
    )
    response = upload(lead_client, data)
    preview = lead_client.get(response["Location"])
    text = preview.content.decode()
    assert (
        "(i) value" in text
        and "71%" in text
        and "Hannah Clarke" in text
        and "Confirm and save" in text
    )
    done = lead_client.post(response["Location"] + "confirm/")
    assert done.status_code == 302 and not KPIValue.objects.exists()  # queued, not saved
    assert "Saving the changes" in lead_client.get(done["Location"]).content.decode()
    run_tasks()
    assert KPIValue.objects.get().value == 71
    assert "Saved 1 update as drafts" in lead_client.get(done["Location"]).content.decode()
    again = lead_client.post(response["Location"] + "confirm/", follow=True)
    assert "confirmed already" in again.content.decode()


def test_the_page_refreshes_itself_only_while_a_job_is_pending(
    lead_client, lead, led_action, open_term
):
    data = edit(export(lead), VALUES_SHEET, headline(open_term, led_action), {"Value": 71})
    response = lead_client.post(
        reverse("spreadsheets:round_trip_upload"), {"file": _file(data, "a.xlsx")}
    )
    waiting = lead_client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting
    assert "We are checking your file" in waiting and "Waiting to be checked" in waiting
    stopped = lead_client.get(response["Location"] + "?refresh=off").content.decode()
    assert 'http-equiv="refresh"' not in stopped and "Check again" in stopped
    run_tasks()
    checked = lead_client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in checked and "Check again" not in checked


def test_problems_hide_the_confirm_button(lead_client, lead, led_action, open_term):
    data = edit(
        export(lead),
        VALUES_SHEET,
        headline(open_term, led_action),
        {"Value": 170, "Data period": "x"},
    )
    page = lead_client.get(upload(lead_client, data)["Location"]).content.decode()
    assert "problem to fix" in page and "between 0 and 100" in page
    assert "Confirm and save" not in page


def test_an_unreadable_file_is_refused_with_the_reason(lead_client, led_action):
    response = upload(lead_client, b"a,b,c\n1,2,3\n", "plan.xlsx")
    page = lead_client.get(response["Location"]).content.decode()
    assert "looks like a CSV" in page and "The file cannot be saved" in page
    assert "Confirm and save" not in page
    staged = StagedUpload.objects.get()
    assert staged.state == "refused" and staged.content is None


def test_a_workbook_without_the_sheets_is_refused(lead_client, led_action):
    from tests.workbooks import workbook_bytes

    response = upload(lead_client, workbook_bytes([]))
    page = lead_client.get(response["Location"]).content.decode()
    assert "has no &quot;Values&quot; or &quot;Ratings&quot; sheet" in page


def test_no_file_says_so(lead_client, led_action):
    response = lead_client.post(reverse("spreadsheets:round_trip_upload"))
    assert response.status_code == 400 and "Select the workbook" in response.content.decode()


def test_a_preview_costs_the_same_queries_at_any_size(
    lead_client, lead, led_action, open_term, django_assert_num_queries
):
    data = edit(
        export(lead),
        VALUES_SHEET,
        headline(open_term, led_action),
        {"Value": 71, "Data period": "x"},
    )
    url = upload(lead_client, data)["Location"]
    # The session, the user, their roles, the upload and the user's permissions.
    with django_assert_num_queries(5):
        lead_client.get(url)


def test_the_start_page_query_count(lead_client, led_action, django_assert_num_queries):
    # The session, the user, their roles, whether they lead an action, their uploads, the
    # workbooks prepared for them and the plans (one button each).
    with django_assert_num_queries(8):
        lead_client.get(START)


# The export ------------------------------------------------------------------------------


def test_the_export_has_the_template_values_and_ratings_sheets(
    admin_client_eis, led_action, open_term
):
    workbook = book(prepared_workbook(admin_client_eis, {"plan": "eis"}))
    assert workbook.sheetnames[:4] == [SHEET_NAME, "Notes", VALUES_SHEET, RATINGS_SHEET]
    plan = workbook[SHEET_NAME]
    assert [c.value for c in plan[2]][5:11] == [
        "1.2(a)",
        led_action.text,
        None,
        "Learners feel safe.",
        "i",
        "% achieving GLD",
    ]
    values = workbook[VALUES_SHEET]
    # Then the read-only comparator columns (tests/spreadsheets/test_round_trip_comparators).
    assert [c.value for c in values[1]] == [
        *VALUE_COLUMNS,
        "Comparator 1",
        "Comparator 1 value",
        "Comparator 1 period",
    ]
    groups = [(r[1].value, r[5].value) for r in values.iter_rows(min_row=2)]
    assert groups == [("i", "All pupils"), ("i", "Disadvantaged"), ("ii", "All pupils")]


def test_the_header_rows_are_protected_and_figures_open(admin_client_eis, led_action, open_term):
    workbook = book(prepared_workbook(admin_client_eis, {"plan": "eis"}))
    for name in (SHEET_NAME, VALUES_SHEET, RATINGS_SHEET):
        sheet = workbook[name]
        assert sheet.protection.sheet and sheet.freeze_panes == "A2"
        assert all(c.protection.locked for c in sheet[1])
    values = workbook[VALUES_SHEET]
    header = [c.value for c in values[1]]
    assert not values.cell(2, header.index("Value") + 1).protection.locked
    assert values.cell(2, header.index("Action code") + 1).protection.locked


def test_the_export_validates_ratings_and_numbers(admin_client_eis, led_action, open_term):
    workbook = book(prepared_workbook(admin_client_eis, {"plan": "eis"}))
    rules = workbook[VALUES_SHEET].data_validations.dataValidation
    kinds = {(r.type, r.formula1, r.formula2) for r in rules}
    assert ("decimal", "0", "100") in kinds and ("whole", "0", None) in kinds
    ratings = workbook[RATINGS_SHEET].data_validations.dataValidation
    assert any(r.type == "list" and r.formula1 == '"Blue,Green,Amber,Red,Grey"' for r in ratings)


def test_exported_text_is_neutralised(admin_client_eis, led_action, open_term):
    ProgressUpdateFactory(
        action=led_action, term=open_term, status="draft", progress="=cmd|'/c calc'!A1", rating=""
    )
    led_action.text = "+Everyone counts"
    led_action.save()
    workbook = book(prepared_workbook(admin_client_eis, {"plan": "eis"}))
    cells = [
        c.value
        for s in workbook.worksheets
        for r in s.iter_rows()
        for c in r
        if isinstance(c.value, str)
    ]
    assert "'=cmd|'/c calc'!A1" in cells and "'+Everyone counts" in cells
    assert not any(v.startswith(("=", "+", "@")) for v in cells)


def test_a_board_member_exports_approved_figures_only(board_client, led_action, open_term, lead):
    kpi = led_action.kpis.get(ref="i")
    ProgressUpdateFactory(action=led_action, term=open_term, status="draft", rating="")
    KPIValueFactory(kpi=kpi, term=open_term, value=33, data_period="2025/26")
    values = book(prepared_workbook(board_client, {"plan": "eis"}))[VALUES_SHEET]
    assert 33 not in [c.value for r in values.iter_rows() for c in r]
    lead_book = book(prepared_workbook(board_client, {"plan": "eis"}))
    board_client.force_login(lead)
    lead_values = book(prepared_workbook(board_client, {"plan": "eis", "mine": "1"}))[VALUES_SHEET]
    assert 33 in [c.value for r in lead_values.iter_rows() for c in r]
    assert lead_book


def test_a_boards_remit_export(board_client, led_action, open_term):
    from actions.models import Action, Commitment

    other = Action.objects.create(
        code="2.1(a)",
        commitment=Commitment.objects.create(plan=led_action.plan, number=2, title="SAFE"),
        sector=led_action.sector,
        text="Other",
        position=5,
    )
    board = BoardFactory(slug="education-board")
    board.commitments.add(other.commitment)
    response = prepared_workbook(board_client, {"board": "education-board"})
    assert response.status_code == 200
    ratings = load_workbook(io.BytesIO(response.content))[RATINGS_SHEET]
    assert {r[0].value for r in ratings.iter_rows(min_row=2)} == {"2.1(a)"}
    assert board_client.get("/boards/no-such-board/plan.xlsx").status_code == 404
    prepare = reverse("spreadsheets:plan_export_prepare")
    assert board_client.post(prepare, {"board": "no-such-board"}).status_code == 404
