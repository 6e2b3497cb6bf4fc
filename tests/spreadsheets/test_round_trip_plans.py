"""The Excel round trip per plan: a workbook holds one plan, names it, and its upload
matches action codes and periods in that plan only."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action, Plan, ProgressUpdate, Term
from spreadsheets.plan_export import (
    ABOUT_SHEET,
    PLAN_COLUMN,
    RATINGS_SHEET,
    VALUES_SHEET,
    ExportScope,
    plan_export_bytes,
)
from tests.conftest import prepared_workbook
from tests.factories import (
    BoardFactory,
    KPIFactory,
    KPIValueFactory,
    ProgressUpdateFactory,
)
from tests.plans import send_pip
from tests.spreadsheets.test_round_trip import confirm, edit, saved, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(lead, led_action, open_term):
    """The SEND plan beside the strategy, with an action coded as the strategy's led action
    (1.2(a)), led by the same lead, and a month open now with a draft update and a figure;
    its October 2026 is locked, so only that month is open whatever today is."""
    send = send_pip(code=led_action.code)
    send.action.leads.add(lead)
    Term.objects.filter(pk=send.month.pk).update(is_locked=True)
    today = timezone.localdate()
    month = Term.objects.create(
        plan=send.plan,
        name="This month",
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=20),
        due_date=today + timedelta(days=25),
    )
    kpi = KPIFactory(action=send.action, ref="i", text="Strategy published", unit="count")
    KPIValueFactory(kpi=kpi, term=month, value=3, data_period="2026")
    ProgressUpdateFactory(
        action=send.action, term=month, status="draft", rating="green", progress="Begun"
    )
    send.month = month
    return send


def export(user, plan: Plan) -> bytes:
    scope = ExportScope(Action.objects.all(), "The whole plan", user, plan)
    return plan_export_bytes(scope, timezone.localdate())


def rows(data: bytes, sheet: str) -> list[dict]:
    header, *body = load_workbook(io.BytesIO(data))[sheet].values
    return [dict(zip(header, row, strict=True)) for row in body]


def test_the_workbook_holds_one_plans_actions_and_open_periods(lead, send, open_term):
    data = export(lead, send.plan)
    ratings = rows(data, RATINGS_SHEET)
    assert [(r["Action code"], r["Term"], r[PLAN_COLUMN]) for r in ratings] == [
        ("1.2(a)", "This month", send.plan.name)
    ]
    assert {(r["Term"], r[PLAN_COLUMN]) for r in rows(data, VALUES_SHEET)} == {
        ("This month", send.plan.name)
    }
    about = {r[0]: r[1] for r in load_workbook(io.BytesIO(data))[ABOUT_SHEET].values}
    assert about["Plan"] == send.plan.name and about["Terms open for updates"] == "This month"
    eis = rows(export(lead, Plan.objects.get(slug="eis")), RATINGS_SHEET)
    assert {(r["Term"], r[PLAN_COLUMN]) for r in eis} == {
        (open_term.label, "Education and Inclusion Strategy")
    }


def test_an_unchanged_send_plan_workbook_reimports_as_a_no_op(lead, send):
    staged = stage(export(lead, send.plan), lead)
    assert staged.preview["problems"] == [] and staged.preview["groups"] == []
    assert staged.preview["plan"] == send.plan.name
    assert saved(confirm(staged, lead)) == 0


def test_a_code_in_both_plans_is_matched_in_the_workbooks_plan_only(lead, led_action, send):
    data = edit(
        export(lead, send.plan),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": "This month"},
        {"Progress": "Strategy drafted with families"},
    )
    staged = stage(data, lead)
    assert staged.preview["problems"] == []
    [group] = staged.preview["groups"]
    assert group["action_id"] == send.action.pk
    assert saved(confirm(staged, lead)) == 1
    update = ProgressUpdate.objects.get(action=send.action, term=send.month)
    assert update.progress == "Strategy drafted with families"
    assert not ProgressUpdate.objects.filter(action=led_action).exists()


def test_a_period_of_the_other_plan_is_not_found_in_this_one(lead, send, open_term):
    data = edit(
        export(lead, send.plan),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": "This month"},
        {"Term": open_term.label, "Progress": "Moved"},
    )
    [problem] = stage(data, lead).preview["problems"]
    assert problem == (
        f'Sheet "Ratings", row 2, column "Term": there is no term "{open_term.label}" in the plan.'
    )


@pytest.mark.parametrize(
    ("plan_cell", "message"),
    [
        (None, "enter the plan the row belongs to, as downloaded: one of"),
        (
            "Children's Services Improvement Plan",
            '"Children\'s Services Improvement Plan" is not a',
        ),
        ("eis", 'the row is for "Education and Inclusion Strategy" but row 2 of sheet "Values"'),
    ],
)
def test_a_workbook_whose_plan_is_missing_unknown_or_mixed_is_refused(
    lead, send, plan_cell, message
):
    data = edit(
        export(lead, send.plan),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": "This month"},
        {PLAN_COLUMN: plan_cell, "Progress": "Changed"},
    )
    staged = stage(data, lead)
    assert staged.state == "refused"
    [problem] = staged.problems
    assert problem.startswith(f'Sheet "Ratings", row 2, column "Plan": {message}')
    assert ProgressUpdate.objects.get(action=send.action).progress == "Begun"


def test_a_workbook_without_the_plan_column_is_refused(lead, send):
    book = load_workbook(io.BytesIO(export(lead, send.plan)))
    sheet = book[VALUES_SHEET]
    header = [c.value for c in sheet[1]]
    sheet.delete_cols(header.index(PLAN_COLUMN) + 1)
    buffer = io.BytesIO()
    book.save(buffer)
    staged = stage(buffer.getvalue(), lead)
    assert staged.state == "refused"
    assert staged.problems == ['Sheet "Values", row 1: missing column(s) "Plan".']


def test_the_excel_page_offers_a_download_per_plan(lead, send, client):
    client.force_login(lead)
    page = client.get(reverse("spreadsheets:round_trip_start")).content.decode()
    for slug in ("eis", "send-pip"):
        assert page.count(f'name="plan" value="{slug}"') == 2  # whole, and the lead's own
    response = prepared_workbook(client, {"plan": "send-pip"})
    assert 'filename="send-pip-plan-with-figures.xlsx"' in response["Content-Disposition"]
    assert {r[PLAN_COLUMN] for r in rows(response.content, RATINGS_SHEET)} == {send.plan.name}
    mine = prepared_workbook(client, {"plan": "send-pip", "mine": "1"})
    assert [r["Action code"] for r in rows(mine.content, RATINGS_SHEET)] == ["1.2(a)"]
    assert {r[PLAN_COLUMN] for r in rows(mine.content, RATINGS_SHEET)} == {send.plan.name}


def test_a_boards_export_is_of_its_boards_plan(board_client, send):
    BoardFactory(slug="send-board", plan=send.plan)
    response = prepared_workbook(board_client, {"board": "send-board"})
    ratings = rows(response.content, RATINGS_SHEET)
    assert {(r["Action code"], r[PLAN_COLUMN]) for r in ratings} == {("1.2(a)", send.plan.name)}
