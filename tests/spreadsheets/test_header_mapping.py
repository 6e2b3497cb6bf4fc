"""Plan files with other headings: matched in one normal form, by synonym, or once by an
admin on the preview page, remembered per plan."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action, Plan
from kpis.models import KPI
from spreadsheets.models import HeaderMapping, StagedUpload
from spreadsheets.plan_cells import header_key
from spreadsheets.plan_imports import plan_import_confirm, plan_import_stage
from tests.conftest import PLAN_WORKBOOK, run_tasks
from tests.factories import UserFactory
from tests.workbooks import workbook_bytes

pytestmark = pytest.mark.django_db


def plan_rows(limit: int | None = None) -> tuple[list, list[list]]:
    """The strategy's header row and its first `limit` KPI rows (all of them by default)."""
    sheet = load_workbook(PLAN_WORKBOOK, read_only=True)["Delivery plan"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[0], rows[1 : (limit + 1) if limit else None]


def renamed(renames: dict[str, str], limit: int | None = None, drop: tuple = ()) -> bytes:
    """The strategy's plan with some headings renamed and some columns left out."""
    header, body = plan_rows(limit)
    keep = [i for i, h in enumerate(header) if h not in drop]
    header = [renames.get(header[i], header[i]) for i in keep]
    return workbook_bytes([[row[i] for i in keep] for row in body], header)


def stage(data: bytes, slug: str = "eis") -> StagedUpload:
    staged = plan_import_stage(
        plan=Plan.objects.get(slug=slug), data=data, name="plan.xlsx", user=None
    )
    run_tasks()
    staged.refresh_from_db()
    return staged


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(admin_client, data: bytes, name: str = "our-plan.xlsx") -> StagedUpload:
    """Upload through the import page and let the worker check it."""
    file = io.BytesIO(data)
    file.name = name
    admin_client.post(reverse("spreadsheets:plan_import_start"), {"file": file, "plan": "eis"})
    run_tasks()
    return StagedUpload.objects.latest("pk")


def match(admin_client, staged: StagedUpload, answers: dict[str, str]):
    return admin_client.post(reverse("spreadsheets:plan_import_columns", args=[staged.pk]), answers)


@pytest.mark.parametrize(
    "heading",
    ["ＡＣＴＩＯＮ ＣＯＤＥ", "Action\u00a0code", "Action\u200bcode", "\ufeffaction_CODE"],
)
def test_headings_that_match_once_normalised_need_no_step(heading):
    assert header_key(heading) == header_key("Action code")
    staged = stage(renamed({"Action code": heading}, limit=12))
    assert staged.state == "ready", staged.problems
    assert staged.preview["counts"] == {"actions created": 4, "KPIs created": 12}


def test_synonyms_need_no_step():
    synonyms = {
        "Commitment no": "Pillar no",
        "Commitment": "Commitment name",
        "Sector no": "Sector number",
        "Action code": "Action reference",
        "Lead": "Lead officer",
        "KPI ref": "Measure ref",
        "KPI": "KPI / Milestone",
        "Lead e-mails": "Email",
    }
    staged = stage(renamed(synonyms, limit=12))
    assert staged.state == "ready", staged.problems
    assert staged.preview["counts"] == {"actions created": 4, "KPIs created": 12}


STRATEGY_RENAMED = {"Action code": "Ref", "KPI": "Indicator wording"}


def test_the_strategy_with_its_own_headings_imports_after_one_matching_step(admin_client):
    data = renamed(STRATEGY_RENAMED)
    staged = upload(admin_client, data)
    assert staged.state == "matching" and staged.content is not None
    preview_url = reverse("spreadsheets:plan_import_preview", args=[staged.pk])
    page = admin_client.get(preview_url).content.decode()
    assert "<title>Match the columns" in page
    assert "Which column is “Indicator wording”?" in page and "Not needed: leave this" in page
    assert "<li>KPI</li>" in page  # the required column still missing is named
    assert "Which column is “Ref”?" not in page  # a synonym of Action code
    response = match(admin_client, staged, {"column-0": "KPI"})
    assert response["Location"] == preview_url
    assert HeaderMapping.objects.get().column == "KPI"
    assert run_tasks() == 1  # the same file checked again, through the same flow
    staged.refresh_from_db()
    assert staged.state == "ready"
    assert staged.preview["counts"] == {"actions created": 95, "KPIs created": 541}
    assert plan_import_confirm(staged=staged, user=None)
    run_tasks()
    assert (Action.objects.count(), KPI.objects.count()) == (95, 541)

    again = upload(admin_client, data)
    assert again.state == "ready"  # no step the second time
    assert again.preview["counts"] == {"actions unchanged": 95, "KPIs unchanged": 541}
    assert plan_import_confirm(staged=again, user=None)
    run_tasks()
    again.refresh_from_db()
    assert again.state == "applied" and (Action.objects.count(), KPI.objects.count()) == (95, 541)


def test_a_match_saved_for_one_plan_does_not_apply_to_another(admin_client):
    data = renamed(STRATEGY_RENAMED, limit=12)
    match(admin_client, upload(admin_client, data), {"column-0": "KPI"})
    run_tasks()
    assert StagedUpload.objects.latest("pk").state == "ready"
    other = stage(data, slug="send-pip")
    assert other.state == "matching"
    assert other.preview["columns"]["unknown"] == ["Indicator wording"]


def test_an_extra_heading_is_asked_about_once_and_remembered(admin_client):
    header, body = plan_rows(12)
    data = workbook_bytes([[*row, "note"] for row in body], [*header, "Officer notes"])
    staged = upload(admin_client, data)
    assert staged.state == "matching" and staged.preview["columns"]["missing"] == []
    match(admin_client, staged, {"column-0": "not-needed"})
    run_tasks()
    staged.refresh_from_db()
    assert staged.state == "ready"
    assert HeaderMapping.objects.get().column == ""
    assert upload(admin_client, data).state == "ready"


def test_matching_errors_are_linked_to_their_fields_and_save_nothing(admin_client):
    staged = upload(admin_client, renamed(STRATEGY_RENAMED, limit=12))
    cases = {
        "": "Select which column “Indicator wording” is",
        "not-needed": "The import needs a column for KPI",
        "Action code": "“Indicator wording” cannot be the Action code column",
    }
    for answer, message in cases.items():
        response = match(admin_client, staged, {"column-0": answer})
        page = response.content.decode()
        assert response.status_code == 400 and "<title>Error: Match the columns" in page
        assert f'<a href="#id_column-0">{message}' in page
        assert 'aria-describedby="id_column-0-error"' in page
    assert not HeaderMapping.objects.exists()
    staged.refresh_from_db()
    assert staged.state == "matching"


def test_only_admins_can_match_columns(client, admin_client):
    staged = upload(admin_client, renamed(STRATEGY_RENAMED, limit=12))
    url = reverse("spreadsheets:plan_import_columns", args=[staged.pk])
    client.logout()
    assert client.post(url, {"column-0": "KPI"}).status_code == 302
    client.force_login(UserFactory(role="Officer"))
    assert client.post(url, {"column-0": "KPI"}).status_code == 403
    assert not HeaderMapping.objects.exists()


def test_matching_twice_is_refused_the_second_time(admin_client):
    staged = upload(admin_client, renamed(STRATEGY_RENAMED, limit=12))
    match(admin_client, staged, {"column-0": "KPI"})
    response = match(admin_client, staged, {"column-0": "Action"})
    assert response.status_code == 302 and HeaderMapping.objects.get().column == "KPI"


def test_commitments_and_sectors_given_by_number_or_name_alone(plan):
    by_number = renamed({}, drop=("Commitment", "Sector"))
    staged = stage(by_number)
    assert staged.state == "ready", staged.problems
    assert staged.preview["counts"] == {"actions unchanged": 95, "KPIs unchanged": 541}
    header, body = plan_rows()
    # Numbers typed in the "Commitment" column, sector names alone.
    keep = [i for i, h in enumerate(header) if h not in ("Commitment no", "Sector no")]
    rows = [[row[0] if header[i] == "Commitment" else row[i] for i in keep] for row in body]
    staged = stage(workbook_bytes(rows, [header[i] for i in keep]))
    assert staged.state == "ready", staged.problems
    assert staged.preview["counts"] == {"actions unchanged": 95, "KPIs unchanged": 541}


def test_a_commitment_name_the_plan_does_not_have_is_a_problem(plan):
    header, body = plan_rows(3)
    keep = [i for i, h in enumerate(header) if h != "Commitment no"]
    rows = [[row[i] for i in keep] for row in body]
    rows[1][keep.index(1)] = "EXCLUSIVE"
    staged = stage(workbook_bytes(rows, [header[i] for i in keep]))
    assert staged.state == "refused"
    assert staged.problems[0].startswith(
        'Sheet "Delivery plan", row 3, column "Commitment": "EXCLUSIVE" is not one of the '
        "plan's commitments. Enter one of: 1 INCLUSIVE;"
    )
