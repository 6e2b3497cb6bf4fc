"""The Excel round trip: export the plan with figures, edit offline, upload, preview, confirm."""

import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action, ChangeRecord, ProgressUpdate, TermException
from kpis.models import KPIValue
from kpis.updates import KPIEntry, UpdateConflict, progress_update_save
from spreadsheets.models import StagedUpload
from spreadsheets.plan_export import RATINGS_SHEET, VALUES_SHEET, ExportScope, plan_export_bytes
from spreadsheets.round_trip_read import round_trip_file_read
from spreadsheets.round_trip_uploads import round_trip_confirm, round_trip_stage
from spreadsheets.upload_checks import PlanFileError
from tests.conftest import run_tasks
from tests.factories import KPIValueFactory, ProgressUpdateFactory, UserFactory
from tests.workbooks import with_dimension

pytestmark = pytest.mark.django_db


def export(user, actions=None) -> bytes:
    scope = ExportScope(actions or Action.objects.all(), "The whole plan", user)
    return plan_export_bytes(scope, timezone.localdate())


def edit(data: bytes, sheet: str, match: dict, changes: dict) -> bytes:
    """Change cells of the one row of `sheet` whose cells equal `match`, as a person would."""
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    rows = [
        r
        for r in ws.iter_rows(min_row=2)
        if all(r[header.index(k)].value == v for k, v in match.items())
    ]
    assert len(rows) == 1, f"{len(rows)} rows match {match}"
    for column, value in changes.items():
        rows[0][header.index(column)].value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def stage(data: bytes, user) -> StagedUpload:
    """Upload the workbook and let the worker check it."""
    staged = round_trip_stage(data=data, name="plan.xlsx", user=user)
    run_tasks()
    staged.refresh_from_db()
    return staged


def confirm(staged, user) -> StagedUpload:
    """Confirm the previewed changes and let the worker save them."""
    assert round_trip_confirm(staged=staged, user=user)
    run_tasks()
    staged.refresh_from_db()
    return staged


def saved(staged: StagedUpload) -> int:
    """How many updates the confirmed upload changed; it must have been applied."""
    assert staged.state == "applied", staged.error
    return staged.counts["updates"]


def headline(term, action, ref="i", group="All pupils") -> dict:
    return {"Action code": action.code, "KPI ref": ref, "Term": term.label, "Group": group}


def test_an_unedited_workbook_changes_nothing(lead, led_action, open_term):
    ProgressUpdateFactory(
        action=led_action, term=open_term, status="draft", rating="amber", next_steps="=1+1"
    )
    KPIValueFactory(
        kpi=led_action.kpis.get(ref="i"),
        term=open_term,
        value=None,
        numerator=3,
        denominator=4,
        data_period="2025/26",
        note="-dropped",
    )
    staged = stage(export(lead), lead)
    assert staged.preview["groups"] == [] and staged.preview["problems"] == []
    assert saved(confirm(staged, lead)) == 0
    assert not ChangeRecord.objects.exists()


def test_a_lead_fills_in_this_term_and_only_that_changes(lead, led_action, open_term):
    data = export(lead)
    data = edit(
        data,
        VALUES_SHEET,
        headline(open_term, led_action),
        {"Value": 72.5, "Data period": "2025/26"},
    )
    data = edit(
        data, VALUES_SHEET, headline(open_term, led_action, group="Disadvantaged"), {"Value": 55}
    )
    data = edit(
        data,
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": open_term.label},
        {"Rating": "Green", "Progress": "On track"},
    )
    staged = stage(data, lead)
    preview = staged.preview
    assert preview["problems"] == []
    [group] = preview["groups"]
    assert (group["code"], group["term"], group["leads"]) == (
        "1.2(a)",
        open_term.label,
        "Hannah Clarke",
    )
    fields = {c["field"]: (c["before"], c["after"]) for c in group["changes"]}
    assert fields["(i) value"] == ("", "72.5%")
    assert fields["(i) Disadvantaged value"] == ("", "55%")
    assert fields["Rating"] == ("", "Green")
    assert all(
        c["where"].startswith('Sheet "') and ", column " in c["where"] for c in group["changes"]
    )
    assert saved(confirm(staged, lead)) == 1
    update = ProgressUpdate.objects.get(action=led_action, term=open_term)
    assert (update.status, update.rating, update.progress) == ("draft", "green", "On track")
    values = {v.cohort.code: v for v in KPIValue.objects.filter(term=open_term)}
    assert values["all"].value == 72.5 and values["all"].data_period == "2025/26"
    assert values["disadvantaged"].value == 55
    assert set(KPIValue.objects.values_list("kpi__ref", flat=True)) == {"i"}
    history = set(ChangeRecord.objects.values_list("field", flat=True))
    assert {"(i) value", "(i) Disadvantaged value", "Rating", "Progress narrative"} <= history
    assert StagedUpload.objects.get().content is None


def test_nothing_is_saved_before_confirming(lead, led_action, open_term):
    data = edit(
        export(lead),
        VALUES_SHEET,
        headline(open_term, led_action),
        {"Value": 70, "Data period": "2025/26"},
    )
    stage(data, lead)
    assert not KPIValue.objects.exists() and not ProgressUpdate.objects.exists()


def test_existing_figures_not_edited_stay_as_they_were(lead, led_action, open_term):
    kpi = led_action.kpis.get(ref="i")
    ProgressUpdateFactory(action=led_action, term=open_term, status="draft", rating="", progress="")
    value = KPIValueFactory(
        kpi=kpi,
        term=open_term,
        value=None,
        numerator=30,
        denominator=40,
        data_period="2024/25",
        cohort_size=40,
    )
    value.value = 75
    value.save()
    from kpis.models import Comparator, ComparatorValue

    ComparatorValue.objects.create(
        kpi_value=value,
        comparator=Comparator.objects.get(code="england"),
        value=70,
        period="2024/25",
    )
    data = edit(export(lead), VALUES_SHEET, headline(open_term, led_action), {"Numerator": 32})
    staged = stage(data, lead)
    assert [c["field"] for c in staged.preview["groups"][0]["changes"]] == ["(i) numerator"]
    saved(confirm(staged, lead))
    value.refresh_from_db()
    assert (value.numerator, value.denominator, value.value, value.cohort_size) == (32, 40, 80, 40)
    assert value.comparisons.get().value == 70
    assert ChangeRecord.objects.filter(field__contains="England").count() == 0


def test_an_update_not_led_by_the_uploader_is_refused(led_action, open_term):
    other = UserFactory(username="other-officer", role="Officer")
    data = edit(
        export(other),
        VALUES_SHEET,
        headline(open_term, led_action),
        {"Value": 70, "Data period": "2025/26"},
    )
    staged = stage(data, other)
    [problem] = staged.preview["problems"]
    assert problem.startswith('Sheet "Values", row ') and 'column "Data period"' in problem
    assert "you do not lead 1.2(a) (its leads: Hannah Clarke)" in problem
    assert staged.state == "refused" and staged.problems == [problem]
    assert not round_trip_confirm(staged=staged, user=other)  # nothing to confirm
    assert run_tasks() == 0 and not KPIValue.objects.exists()


def test_an_admin_may_change_any_action(admin_user, led_action, open_term):
    data = edit(
        export(admin_user),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": open_term.label},
        {"Rating": "blue"},
    )
    staged = stage(data, admin_user)
    assert staged.preview["problems"] == []
    saved(confirm(staged, admin_user))
    assert ProgressUpdate.objects.get().rating == "blue"


def test_a_locked_term_is_refused_unless_an_exception_is_open(
    lead, led_action, open_term, admin_user
):
    data = edit(
        export(lead),
        VALUES_SHEET,
        headline(open_term, led_action),
        {"Value": 70, "Data period": "2025/26"},
    )
    open_term.is_locked = True
    open_term.save()
    staged = stage(data, lead)
    assert "is locked" in staged.preview["problems"][0]
    TermException.objects.create(
        action=led_action, term=open_term, reason="Late data", granted_by=admin_user
    )
    staged = stage(data, lead)
    assert staged.preview["problems"] == []
    saved(confirm(staged, lead))
    assert KPIValue.objects.get().value == 70


def test_a_submitted_update_is_refused(lead, led_action, open_term):
    ProgressUpdateFactory(action=led_action, term=open_term, status="submitted")
    data = edit(
        export(lead),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": open_term.label},
        {"Progress": "More"},
    )
    problem = stage(data, lead).preview["problems"][0]
    assert (
        'Sheet "Ratings"' in problem and 'column "Progress"' in problem and "submitted" in problem
    )


@pytest.mark.parametrize(
    ("ref", "changes", "column", "message"),
    [
        (
            "i",
            {"Value": 120, "Data period": "2025/26"},
            "Value",
            "Enter a percentage for (i) % achieving GLD between 0 and 100",
        ),
        (
            "i",
            {"Value": "lots", "Data period": "2025/26"},
            "Value",
            "The percentage for (i) % achieving GLD must be a number, like 1,500 or 12.5",
        ),
        (
            "i",
            {"Value": "1,5", "Data period": "2025/26"},
            "Value",
            "must use a full stop for decimals",
        ),
        ("i", {"Value": "=A1*2", "Data period": "2025/26"}, "Value", "is a formula"),
        ("i", {"Value": 70}, "Data period", "Enter the period the figure for (i)"),
        (
            "i",
            {"Numerator": 5, "Data period": "2025/26"},
            "Denominator",
            "Enter a denominator for (i) % achieving GLD, or leave both numbers empty",
        ),
        (
            "i",
            {"Numerator": 50, "Denominator": 40, "Data period": "x"},
            "Numerator",
            "must be no more than the denominator",
        ),
        ("ii", {"Value": 2.5, "Data period": "2025/26"}, "Value", "it is a count"),
        ("ii", {"Value": -3, "Data period": "2025/26"}, "Value", "that is 0 or more"),
        (
            "i",
            {"Value": 60, "Numerator": 1, "Denominator": 2, "Data period": "x"},
            "Value",
            "Enter the percentage for (i) % achieving GLD or the numbers it comes from, not both",
        ),
        (
            "i",
            {"Value": 60, "Data period": "x", "Note": "n" * 5001},
            "Note",
            "The note for (i) % achieving GLD must be 5,000 characters or fewer",
        ),
        ("i", {"Maturity": "Guessed", "Value": 1, "Data period": "x"}, "Maturity", "is not one of"),
    ],
)
def test_bad_values_are_refused_naming_sheet_row_and_column(
    lead, led_action, open_term, ref, changes, column, message
):
    data = edit(export(lead), VALUES_SHEET, headline(open_term, led_action, ref), changes)
    problems = stage(data, lead).preview["problems"]
    assert any(
        p.startswith('Sheet "Values", row ') and f'column "{column}"' in p and message in p
        for p in problems
    ), problems


def test_a_red_rating_needs_next_steps(lead, led_action, open_term):
    data = edit(
        export(lead),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": open_term.label},
        {"Rating": "Red"},
    )
    [problem] = stage(data, lead).preview["problems"]
    assert 'column "Next steps"' in problem and "Red rating needs them" in problem


def test_unknown_kpi_term_and_group_are_named(lead, led_action, open_term):
    data = export(lead)
    data = edit(
        data, VALUES_SHEET, headline(open_term, led_action, "ii"), {"KPI ref": "ix", "Value": 3}
    )
    data = edit(
        data,
        VALUES_SHEET,
        headline(open_term, led_action, group="Disadvantaged"),
        {"Group": "Martians", "Value": 3},
    )
    data = edit(
        data,
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": open_term.label},
        {"Term": "Winter 2031", "Rating": "Red"},
    )
    problems = stage(data, lead).preview["problems"]
    assert any('column "KPI ref": there is no KPI "ix"' in p for p in problems), problems
    assert any('column "Group": there is no group "Martians"' in p for p in problems), problems
    assert any(
        'Sheet "Ratings"' in p and 'there is no term "Winter 2031"' in p for p in problems
    ), problems


def test_a_group_figure_needs_the_all_pupils_figure(lead, led_action, open_term):
    data = edit(
        export(lead),
        VALUES_SHEET,
        headline(open_term, led_action, group="Disadvantaged"),
        {"Value": 40},
    )
    [problem] = stage(data, lead).preview["problems"]
    assert 'column "Value": Enter the all-pupils figure for (i) % achieving GLD first' in problem


def test_a_save_in_between_is_not_overwritten(lead, led_action, open_term):
    data = edit(
        export(lead),
        VALUES_SHEET,
        headline(open_term, led_action),
        {"Value": 70, "Data period": "2025/26"},
    )
    staged = stage(data, lead)
    kpi = led_action.kpis.get(ref="i")
    progress_update_save(
        action=led_action,
        term=open_term,
        user=lead,
        narrative={"progress": "typed on the page"},
        entries=[KPIEntry(kpi=kpi, value=60, data_period="2025/26")],
        version=0,
    )
    staged = confirm(staged, lead)
    assert staged.state == "failed" and "changed after the check was made" in staged.error
    assert KPIValue.objects.get().value == 60


def test_confirming_is_all_or_nothing(lead, led_action, open_term, monkeypatch):
    other = Action.objects.create(
        code="1.2(b)",
        commitment=led_action.commitment,
        sector=led_action.sector,
        text="Other",
        position=99,
    )
    other.leads.add(lead)
    data = edit(
        export(lead),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": open_term.label},
        {"Progress": "A"},
    )
    data = edit(
        data, RATINGS_SHEET, {"Action code": "1.2(b)", "Term": open_term.label}, {"Progress": "B"}
    )
    staged = stage(data, lead)
    import spreadsheets.round_trip as round_trip

    real = round_trip.progress_update_save
    calls = []

    def second_conflicts(**kwargs):
        calls.append(kwargs["action"].code)
        if len(calls) == 2:
            raise UpdateConflict
        return real(**kwargs)

    monkeypatch.setattr(round_trip, "progress_update_save", second_conflicts)
    staged = confirm(staged, lead)
    assert staged.state == "failed" and "nothing was saved" in staged.error
    assert not ProgressUpdate.objects.exists() and not ChangeRecord.objects.exists()
    assert StagedUpload.objects.get().applied_at is None


# --- Nothing an officer enters is altered, lost or shown to the wrong person ---------------

SECRETS = ["SECRET progress", "SECRET risk", "SECRET note", "42.5"]


@pytest.fixture
def other_leads_work(led_action, open_term):
    """Another lead's actions in every state: a draft full of unapproved words and figures, a
    submitted and a returned update, and an approved one; and `led_action`'s lead has a draft."""
    from kpis.models import KPI

    other_lead = UserFactory(username="other-lead", role="Officer", email="other@bury.gov.uk")
    actions = {}
    for position, (code, status) in enumerate(
        [
            ("2.1(a)", "draft"),
            ("2.1(b)", "submitted"),
            ("2.1(c)", "returned"),
            ("2.1(d)", "approved"),
        ],
        start=10,
    ):
        action = Action.objects.create(
            code=code,
            commitment=led_action.commitment,
            sector=led_action.sector,
            text=f"Action {code}",
            position=position,
        )
        action.leads.add(other_lead)
        kpi = KPI.objects.create(action=action, ref="i", text="% attending", unit="percent")
        ProgressUpdateFactory(
            action=action,
            term=open_term,
            status=status,
            rating="amber",
            progress="SECRET progress" if status != "approved" else "Public progress",
            next_steps="More visits",
            risks="SECRET risk" if status != "approved" else "",
            return_reason="Add figures" if status == "returned" else "",
        )
        KPIValueFactory(
            kpi=kpi,
            term=open_term,
            value=Decimal("42.5") if status != "approved" else Decimal("91"),
            data_period="2025/26",
            note="SECRET note" if status != "approved" else "",
        )
        actions[status] = action
    ProgressUpdateFactory(action=led_action, term=open_term, status="draft", rating="green")
    return actions


def test_another_leads_draft_never_reaches_the_preview(lead, other_leads_work, open_term):
    """A lead who types into another lead's rows (or pastes that lead's action code into their
    own) is told they cannot change them, and sees nothing of what is stored."""
    draft = other_leads_work["draft"]
    data = edit(
        export(lead),
        VALUES_SHEET,
        {"Action code": draft.code, "Term": open_term.label},
        {"Value": 50, "Data period": "2025/26"},
    )
    data = edit(
        data,
        RATINGS_SHEET,
        {"Action code": draft.code, "Term": open_term.label},
        {"Progress": "Mine now"},
    )
    preview = stage(data, lead).preview
    shown = json.dumps(preview)
    assert not [s for s in SECRETS if s in shown], shown
    assert preview["groups"] == []
    assert len(preview["problems"]) == 2
    assert all(
        "you do not lead 2.1(a)" in p and ", column " in p and p.startswith('Sheet "')
        for p in preview["problems"]
    )


def test_the_export_never_shows_another_leads_unapproved_work(lead, other_leads_work):
    book = load_workbook(io.BytesIO(export(lead)))
    cells = [
        str(c)
        for sheet in (VALUES_SHEET, RATINGS_SHEET)
        for row in book[sheet].iter_rows(values_only=True)
        for c in row
    ]
    assert not [s for s in SECRETS if any(s in c for c in cells)]
    assert "Public progress" in cells
    statuses = {
        row[0]: row[4] for row in book[RATINGS_SHEET].iter_rows(min_row=2, values_only=True)
    }
    assert statuses == {
        "1.2(a)": "Draft",  # theirs, in full
        "2.1(a)": "No approved update",
        "2.1(b)": "No approved update",
        "2.1(c)": "No approved update",
        "2.1(d)": "Approved",
    }


def _scopes(lead, admin_user, led_action):
    from boards.selectors import Remit
    from tests.factories import BoardFactory

    board = BoardFactory(name="Early Years Board", slug="early-years")
    board.sectors.add(led_action.sector)
    return {
        "admin, whole plan": (admin_user, Action.objects.all()),
        "lead, whole plan": (lead, Action.objects.all()),
        "lead, their actions": (lead, Action.objects.filter(leads=lead)),
        "lead, a board's remit": (lead, Remit.of(board).actions()),
    }


@pytest.mark.parametrize(
    "scope",
    ["admin, whole plan", "lead, whole plan", "lead, their actions", "lead, a board's remit"],
)
def test_a_download_uploaded_unchanged_changes_nothing(
    lead, admin_user, led_action, other_leads_work, open_term, scope
):
    user, actions = _scopes(lead, admin_user, led_action)[scope]
    before = list(KPIValue.objects.values()), list(ProgressUpdate.objects.values())
    staged = stage(export(user, actions), user)
    assert staged.preview["problems"] == []
    assert staged.preview["groups"] == []
    assert saved(confirm(staged, user)) == 0
    assert (list(KPIValue.objects.values()), list(ProgressUpdate.objects.values())) == before
    assert not ChangeRecord.objects.exists()
    if user == lead and actions.filter(leads__isnull=False).exclude(leads=lead).exists():
        assert any("you do not lead" in w for w in staged.preview["warnings"])


def test_a_blank_never_deletes_what_the_uploader_was_not_shown(lead, other_leads_work, open_term):
    """Another lead's draft exports as blank rows; uploading them leaves the draft as it was."""
    data = edit(
        export(lead),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": open_term.label},
        {"Progress": "Our own words"},
    )
    staged = stage(data, lead)
    assert staged.preview["problems"] == []
    assert saved(confirm(staged, lead)) == 1
    draft = ProgressUpdate.objects.get(action=other_leads_work["draft"])
    assert (draft.progress, draft.risks) == ("SECRET progress", "SECRET risk")
    assert KPIValue.objects.filter(note="SECRET note").count() == 3


def test_rows_of_other_leads_are_locked_in_the_download(lead, other_leads_work, open_term):
    book = load_workbook(io.BytesIO(export(lead)))
    sheet = book[RATINGS_SHEET]
    header = [c.value for c in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    progress = header.index("Progress")
    assert rows["1.2(a)"][progress].protection.locked is False
    assert rows["2.1(a)"][progress].protection.locked is True


def test_the_longest_narrative_round_trips_whole(lead, led_action, open_term):
    """Every narrative fits an Excel cell, so nothing is cut on the way out and offered back as
    a change; one longer than the limit is refused where it was typed."""
    longest = ("Moderation visits and follow-up. " * 200)[:5000].strip()
    ProgressUpdateFactory(action=led_action, term=open_term, status="draft", progress=longest)
    staged = stage(export(lead), lead)
    assert staged.preview["groups"] == [] and staged.preview["problems"] == []
    data = edit(
        export(lead),
        RATINGS_SHEET,
        {"Action code": "1.2(a)", "Term": open_term.label},
        {"Evidence of impact": "e" * 5001},
    )
    [problem] = stage(data, lead).preview["problems"]
    assert 'column "Evidence of impact": Evidence of impact must be 5,000 characters' in problem


def test_board_members_download_holds_what_the_board_pages_show(
    board_member, lead, other_leads_work
):
    lead.email = "hannah.clarke@bury.gov.uk"
    lead.save()
    book = load_workbook(io.BytesIO(export(board_member)))
    plan = book.worksheets[0]
    header = [c.value for c in plan[1]]
    emails = {
        row[header.index("Lead e-mails")] for row in plan.iter_rows(min_row=2, values_only=True)
    }
    assert emails <= {None, ""}
    ratings = book[RATINGS_SHEET]
    statuses = {row[4] for row in ratings.iter_rows(min_row=2, values_only=True)}
    assert statuses <= {"Approved", "No approved update"}


def test_admins_download_keeps_the_lead_emails_to_import_again(admin_user, lead, led_action):
    lead.email = "hannah.clarke@bury.gov.uk"
    lead.save()
    plan = load_workbook(io.BytesIO(export(admin_user))).worksheets[0]
    header = [c.value for c in plan[1]]
    emails = {
        row[header.index("Lead e-mails")] for row in plan.iter_rows(min_row=2, values_only=True)
    }
    assert "hannah.clarke@bury.gov.uk" in emails


def with_values_rows(data: bytes, extra: int) -> bytes:
    """The workbook with its first Values row copied `extra` more times at the bottom."""
    book = load_workbook(io.BytesIO(data))
    values = book[VALUES_SHEET]
    first = [cell.value for cell in values[2]]
    for _ in range(extra):
        values.append(first)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_values_rows_past_the_size_the_sheet_claims_are_read(lead, led_action, open_term):
    data = export(lead)
    rows = len(round_trip_file_read(data, name="plan.xlsx").values)
    claimed = with_dimension(with_values_rows(data, 20), "A1:B2")
    assert len(round_trip_file_read(claimed, name="plan.xlsx").values) == rows + 20


def test_the_row_limit_counts_the_rows_in_the_file_not_the_size_it_claims(
    lead, led_action, open_term, settings
):
    settings.PLAN_IMPORT_MAX_ROWS = 30
    data = with_dimension(with_values_rows(export(lead), 40), "A1:B2")
    with pytest.raises(PlanFileError, match=f'Sheet "{VALUES_SHEET}" has more than 30 rows'):
        round_trip_file_read(data, name="plan.xlsx")
