"""Importing the structured plan workbook (the SEND Priority Impact Plan) into its own plan,
beside the strategy: each plan's import reads and writes its own plan only."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action, ActionLink, Commitment, Plan, Reference, Sector
from kpis.models import KPI
from spreadsheets.models import StagedUpload
from tests.conftest import PLAN_WORKBOOK, run_tasks

SEND_PIP = Path(__file__).resolve().parents[2] / "fixtures" / "send_pip.xlsx"


def import_plan(path: Path, slug: str) -> str:
    out = io.StringIO()
    call_command("import_plan", str(path), "--plan", slug, stdout=out)
    return out.getvalue()


@pytest.fixture
def both(db):
    """The strategy and the SEND plan, each imported from its committed workbook."""
    import_plan(PLAN_WORKBOOK, "eis")
    import_plan(SEND_PIP, "send-pip")
    return Plan.objects.get(slug="eis"), Plan.objects.get(slug="send-pip")


def snapshot(plan: Plan) -> tuple:
    """Every row of the plan's structure, actions, measures, references and links as stored,
    and how many versions of each the audit trail holds."""
    kpis = KPI.objects.filter(Q(action__plan=plan) | Q(area__plan=plan))
    links = ActionLink.objects.filter(action__plan=plan)
    rows = [
        list(queryset.order_by("pk").values())
        for queryset in (
            Commitment.objects.filter(plan=plan),
            Sector.objects.filter(plan=plan),
            Action.objects.filter(plan=plan),
            kpis,
            Reference.objects.filter(plan=plan),
            links,
        )
    ]
    history = [
        Commitment.history.filter(plan_id=plan.pk).count(),
        Sector.history.filter(plan_id=plan.pk).count(),
        Action.history.filter(plan_id=plan.pk).count(),
        KPI.history.filter(id__in=kpis.values("pk")).count(),
        Reference.history.filter(plan_id=plan.pk).count(),
        ActionLink.history.filter(action_id__in=links.values("action_id")).count(),
    ]
    return rows, history


def test_both_plans_import_from_a_fresh_database_each_into_its_own(both):
    eis, pip = both
    assert Action.objects.filter(plan=eis).count() == 95
    assert KPI.objects.filter(action__plan=eis).count() == 541
    assert Action.objects.filter(plan=pip).count() == 52
    assert KPI.objects.filter(area__plan=pip, action__isnull=True).count() == 53
    assert not KPI.objects.filter(action__plan=pip).exists()
    assert Commitment.objects.filter(plan=pip).count() == 9
    assert Sector.objects.filter(plan=pip, commitment__plan=pip).count() == 14
    assert Reference.objects.filter(plan=pip).count() == 7
    assert ActionLink.objects.filter(action__plan=pip).count() == 64
    action = Action.objects.get(plan=pip, code="1.1d")
    targets = [str(link.target) for link in action.links.all()]
    assert targets[0].startswith("6.1b") and targets[1:] == [
        "7. Area for Improvement 1",
        "9. Area for Improvement 3",
    ]
    assert action.sector.code == "1.1" and action.due_date is not None


@pytest.mark.parametrize("again", ["eis", "send-pip"])
def test_importing_one_plan_again_changes_nothing_anywhere(both, again):
    other = Plan.objects.exclude(slug=again).get()
    mine = Plan.objects.get(slug=again)
    before_other, before_mine = snapshot(other), snapshot(mine)
    out = import_plan(PLAN_WORKBOOK if again == "eis" else SEND_PIP, again)
    assert "Nothing to change: the database already matches this file." in out
    assert snapshot(other) == before_other
    assert snapshot(mine) == before_mine


def test_the_summary_counts_a_structured_plan_in_its_own_terms(db):
    out = import_plan(SEND_PIP, "send-pip")
    assert "Areas: 9 created, 0 updated, 0 unchanged" in out
    assert "Outcomes: 14 created" in out and "Measures: 53 created" in out
    assert "Links: 64 created" in out and "References: 7 created" in out
    assert "structured layout" in out


def test_a_file_for_the_other_shape_of_plan_is_refused(db):
    with pytest.raises(CommandError, match=r"send_pip\.xlsx is a structured plan workbook"):
        import_plan(SEND_PIP, "eis")
    with pytest.raises(CommandError, match=r"delivery_plan\.xlsx has one row per KPI"):
        import_plan(PLAN_WORKBOOK, "send-pip")
    assert not Action.objects.exists() and not Reference.objects.exists()


def edited(tmp_path: Path, sheet: str, column: str, value: object, row: int = 2) -> Path:
    """The SEND workbook with one cell changed."""
    book = load_workbook(SEND_PIP)
    header = [cell.value for cell in book[sheet][1]]
    book[sheet].cell(row=row, column=header.index(column) + 1, value=value)
    path = tmp_path / "send_pip_edited.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("sheet", "column", "value", "message"),
    [
        ("Actions", "Action code", "2.1a", '"2.1a" does not belong to outcome 1.1'),
        ("Actions", "Due date", "soon", '"soon" is not a date'),
        ("Measures", "Area no", 42, "there is no area 42"),
        ("Actions", "Links and dependencies", "PSV 99", '"PSV 99" is not an action code'),
        ("Actions", "Links and dependencies", "1.1a", '"1.1a" is this action itself'),
    ],
)
def test_bad_input_is_refused_naming_sheet_row_and_column(
    db, tmp_path, sheet, column, value, message
):
    with pytest.raises(CommandError) as refused:
        import_plan(edited(tmp_path, sheet, column, value), "send-pip")
    assert f'Sheet "{sheet}", row 2, column "{column}"' in str(refused.value)
    assert message in str(refused.value)
    pip = Plan.objects.get(slug="send-pip")
    assert not Action.objects.filter(plan=pip).exists()
    assert not Commitment.objects.filter(plan=pip).exists()
    assert not Reference.objects.exists()


def test_a_measure_gone_from_the_file_is_deleted_and_an_action_moved(both, tmp_path):
    pip = both[1]
    book = load_workbook(SEND_PIP)
    book["Measures"].delete_rows(2)
    actions = book["Actions"]
    header = [cell.value for cell in actions[1]]
    actions.cell(row=2, column=header.index("Links and dependencies") + 1, value="PSV 10")
    path = tmp_path / "send_pip.xlsx"
    book.save(path)
    out = import_plan(path, "send-pip")
    # The area's other measures move up a place.
    measures = next(line for line in out.splitlines() if "Measures:" in line)
    assert measures.endswith(", 1 deleted") and "0 created" in measures
    assert "Links: 1 created" in out
    assert KPI.objects.filter(area__plan=pip).count() == 52
    link = Action.objects.get(plan=pip, code="1.1a").links.get()
    assert link.target_reference.code == "PSV 10"


def upload(client, slug: str | None, path: Path):
    with path.open("rb") as file:
        data = {"file": file} | ({"plan": slug} if slug else {})
        return client.post(reverse("spreadsheets:plan_import_start"), data)


def test_the_web_import_asks_which_plan_and_imports_into_it(admin_client):
    page = admin_client.get(reverse("spreadsheets:plan_import_start")).content.decode()
    assert "Which plan is this?" in page and 'value="send-pip"' in page
    response = upload(admin_client, "send-pip", SEND_PIP)
    staged = StagedUpload.objects.get()
    assert staged.plan.slug == "send-pip"
    run_tasks()
    page = admin_client.get(response["Location"]).content.decode()
    assert "Check what will change in SEND Local Area Partnership Priority Impact Plan" in page
    assert "Actions: 52 created" in page and "Measures: 53 created" in page
    admin_client.post(reverse("spreadsheets:plan_import_confirm", args=[staged.pk]))
    run_tasks()
    assert Action.objects.filter(plan__slug="send-pip").count() == 52
    page = admin_client.get(reverse("spreadsheets:plan_import_start")).content.decode()
    assert '<td class="govuk-table__cell" data-label="Plan">SEND PIP</td>' in page


def test_the_web_import_without_a_plan_chosen_is_an_error_linked_to_the_choice(admin_client):
    response = upload(admin_client, None, SEND_PIP)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#plan">Select the plan this file is for</a>' in page
    assert 'id="plan"' in page and 'aria-describedby="plan-error"' in page
    assert not StagedUpload.objects.exists()


def test_a_structured_file_uploaded_for_the_strategy_is_refused_with_why(admin_client):
    response = upload(admin_client, "eis", SEND_PIP)
    run_tasks()
    page = admin_client.get(response["Location"]).content.decode()
    assert "The file was not imported" in page
    assert "send_pip.xlsx is a structured plan workbook" in page


def test_links_are_shown_both_ways(both, board_client, django_assert_num_queries):
    pip = both[1]
    linking = Action.objects.get(plan=pip, code="1.1d")
    linked = Action.objects.get(plan=pip, code="6.1b")
    # session, user, groups, action, leads, updates, terms, KPIs, links, approver permission
    with django_assert_num_queries(11):
        page = board_client.get(reverse("kpis:action", args=[linking.pk])).content.decode()
    assert "Links and dependencies" in page
    assert f'href="{reverse("kpis:action", args=[linked.pk])}">Action 6.1b</a>' in page
    assert 'href="/commitments/7/?plan=send-pip">AFI 1 Communication</a>' in page
    page = board_client.get(reverse("kpis:action", args=[linked.pk])).content.decode()
    assert "Linked from" in page
    assert f'href="{reverse("kpis:action", args=[linking.pk])}">Action 1.1d</a>' in page
    page = board_client.get(reverse("kpis:action", args=[Action.objects.get(code="1.1b").pk]))
    assert "PSV 10: Safety Valve programme (PSV) item 10" in page.content.decode()


def test_the_area_page_lists_linking_actions_and_its_measures(
    both, board_client, django_assert_num_queries
):
    url = reverse("actions:commitment", args=[7]) + "?plan=send-pip"
    with django_assert_num_queries(12):
        page = board_client.get(url).content.decode()
    assert "Actions linking to this priority area" in page and "Action 1.1b</a>" in page
    area = Commitment.objects.get(plan=both[1], number=7)
    for measure in area.measures.all():
        assert f"({measure.ref}) {measure.text}" in page
    assert "Shared with other priority areas" in page
    strategy = board_client.get(reverse("actions:commitment", args=[1])).content.decode()
    assert "INCLUSIVE" in strategy and "Actions linking" not in strategy
