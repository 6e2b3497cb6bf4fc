"""The audit trail (bury_eis.audit, django-simple-history): every way a change is made
leaves a version with who, when, and what it was before and after.

objects() names, for each model the admin can change, a new value for every field its
admin form offers; a field added to a model (and so to its form) without a row there
fails `test_every_editable_admin_field_has_a_change`. The tests at the end change one
thing through each other way in: the update page, approval, the plan import from the
command line and through the worker, the Excel round trip, and a shell.
"""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.forms import MultiWidget
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action, Plan, Reference, Term, TermException
from boards.models import Meeting
from bury_eis.audit import record_history
from kpis.models import Cohort, Comparator, KPIValue
from kpis.updates import progress_update_approve, progress_update_save
from spreadsheets.plan_export import VALUES_SHEET
from spreadsheets.plan_imports import plan_import_confirm, plan_import_stage
from tests.conftest import PLAN_WORKBOOK, run_tasks
from tests.factories import (
    ActionFactory,
    BoardFactory,
    CommitmentFactory,
    KPIFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    SectorFactory,
    TermFactory,
    UserFactory,
)
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
WHEN = timezone.make_aware(datetime(2026, 1, 5, 9, 30))


@pytest.fixture
def council_admin(client):
    user = UserFactory(username="council-admin", role="Admin", is_staff=True)
    client.force_login(user)
    return user


def objects() -> dict:
    """One of each model the admin edits, and what each field becomes (as the form posts it)."""
    commitment2, sector2 = CommitmentFactory(number=2), SectorFactory(position=2)
    pip_area = CommitmentFactory(plan=Plan.objects.get(slug="send-pip"), number=1)
    TermFactory(
        season="spring",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 3, 27),
        due_date=date(2026, 3, 13),
    )
    officer = UserFactory(username="hclarke", role="Officer")
    KPIValueFactory()
    ProgressUpdateFactory(status="draft")
    meeting = MeetingFactory()
    england = Comparator.objects.get(code="england")
    permission = Permission.objects.get(codename="view_term")
    return {
        Plan.objects.get(slug="send-pip"): {
            "slug": "send",
            "name": "SEND plan",
            "short_name": "SEND",
            "calendar": "quarterly",
            "area_name": "Area",
            "area_name_plural": "Areas",
            "group_name": "Aim",
            "group_name_plural": "Aims",
            "groups_nested": False,
            "measure_name": "Measure",
            "measure_name_plural": "Measures",
            "measures_on_areas": False,
            "due_soon_weeks": 6,
            "position": 7,
        },
        CommitmentFactory(number=4): {
            "plan": Plan.objects.get(slug="send-pip").pk,
            "number": 9,
            "code": "AFI 9",
            "title": "THRIVING",
            "short_name": "Thriving",
            "statement": "New.",
            "lead_description": "Director of Education",
        },
        SectorFactory(position=3): {
            "plan": Plan.objects.get(slug="send-pip").pk,
            "position": 8,
            "code": "8.1",
            "name": "Post-16",
            "commitment": pip_area.pk,
        },
        ActionFactory(): {
            "code": "9.9(z)",
            "commitment": commitment2.pk,
            "sector": sector2.pk,
            "text": "Reworded action",
            "outcome": "New outcome",
            "lead_description": "Head of Inclusion",
            "leads": [officer.pk],
            "due_date": date(2025, 3, 31),
            "due_text": "March 2025",
            "impact_text": "Fewer waiting",
            "position": 77,
            "retired_at": WHEN,
        },
        TermFactory(academic_year="2024/25"): {
            "plan": Plan.objects.get(slug="send-pip").pk,
            "name": "Summer term 2024",
            "academic_year": "2023/24",
            "season": "summer",
            "start_date": date(2024, 4, 15),
            "end_date": date(2024, 7, 19),
            "due_date": date(2024, 7, 5),
            "is_locked": True,
        },
        Cohort.objects.get(code="ehcp"): {
            "code": "ehcp-plan",
            "name": "Pupils with an EHC plan",
            "description": "Education, health and care plan",
            "position": 40,
        },
        england: {"code": "eng", "name": "England (all schools)", "position": 9},
        KPIFactory(): {
            "action": ActionFactory().pk,
            "ref": "iv",
            "text": "% of pupils attending",
            "unit": "count",
            "polarity": "lower_better",
            "baseline_value": "12",
            "baseline_period": "2023/24",
            "target_value": "20",
            "target_upper_value": "30",
            "target_period": "2027/28",
            "target_kind": "absolute",
            "target_comparator": england.pk,
            "comparator_basis": "in_line",
            "target_cohort": Cohort.objects.get(code="ehcp").pk,
            "trend_periods": 3,
            "trend_min_change": "0.5",
            "gap_narrowing": "1",
            "target_not_agreed": False,
            "tolerance": "2",
            "data_source": "DfE",
            "frequency": "annual",
            "breakdown_cohorts": [Cohort.objects.get(code="disadvantaged").pk],
            "comparators": [england.pk],
            "also_areas": [pip_area.pk],
            "due_date": date(2026, 3, 31),
            "position": 3,
            "retired_at": WHEN,
        },
        BoardFactory(): {
            "plan": Plan.objects.get(slug="send-pip").pk,
            "name": "Scrutiny Committee",
            "slug": "scrutiny",
            "description": "Children and Young People Scrutiny Committee",
            "commitments": [commitment2.pk],
            "sectors": [sector2.pk],
            "members": [officer.pk],
            "is_active": False,
        },
        meeting: {"board": BoardFactory().pk, "date": date(2026, 6, 9), "title": "June"},
        officer: {
            "username": "hannah.clarke",
            "first_name": "Hannah",
            "last_name": "Clarke",
            "email": "hannah.clarke@bury.gov.uk",
            "is_active": False,
            "is_staff": True,
            "is_superuser": True,
            "groups": [Group.objects.get(name="Board member").pk],
            "user_permissions": [permission.pk],
            "last_login": WHEN,
            "date_joined": WHEN,
        },
        Group.objects.get(name="Officer"): {"name": "Action leads", "permissions": [permission.pk]},
        Reference.objects.create(plan=pip_area.plan, code="PSV 1", description="Item 1"): {
            "plan": Plan.objects.get(slug="eis").pk,
            "code": "PSV 2",
            "description": "Safety Valve item 2",
        },
        RiskFactory(): {
            "plan": Plan.objects.get(slug="eis").pk,
            "reference": "R12",
            "title": "Reworded risk",
            "description": "New description",
            "likelihood": 5,
            "impact": 1,
            "owner": officer.pk,
            "owner_description": "Head of Inclusion",
            "mitigation": "New mitigation",
            "review_date": date(2026, 9, 30),
            "last_reviewed_at": WHEN,
            "status": "closed",
            "actions": [ActionFactory().pk],
            "areas": [pip_area.pk],
        },
    }


# Never edited in the admin: records of what happened, or the sign-in lock-outs.
READ_ONLY = {
    # Matched headings are made on the import page; the admin only deletes a wrong one.
    "spreadsheets.HeaderMapping",
    # Termly updates and KPI values change through their service (figure rules, four eyes).
    "actions.ProgressUpdate",
    "kpis.KPIValue",
    "actions.ChangeRecord",
    "actions.ReminderLog",
    # Links come from the plan's workbook; the import keeps them as the plan says.
    "actions.ActionLink",
    "boards.BoardPack",
    "bury_eis.AuditRecord",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    # The worker's job results (django-tasks-db): read-only in its own admin.
    "django_tasks_database.DBTaskResult",
}
# Granted once, never changed: granting reopens an update through its service.
ADD_ONLY = {"actions.TermException"}


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _editable_fields(model_admin, request, obj) -> set[str]:
    form = model_admin.get_form(request, obj)
    return {name for name, field in form.base_fields.items() if not field.disabled}


def test_every_editable_admin_field_has_a_change(council_admin):
    request = _admin_request(council_admin)
    tables = {obj._meta.label: set(changes) for obj, changes in objects().items()}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if label in READ_ONLY | ADD_ONLY:
            assert not model_admin.has_change_permission(request, model()), label
            continue
        obj = model._default_manager.first()
        assert label in tables, f"No row in objects() for {label}"
        assert _editable_fields(model_admin, request, obj) == tables[label], label


def _post_value(value) -> object:
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return [local.date().isoformat(), local.time().isoformat()]
    return value


def change_form_data(client, obj) -> dict:
    """What the admin's change form for `obj` would post unchanged, inlines included."""
    response = client.get(
        reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    )
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
        for form in formset.forms:
            data |= _form_data(form)
    return data


def _form_data(form) -> dict:
    data = {}
    for bound in form:
        value, name, widget = bound.value(), bound.html_name, bound.field.widget
        if isinstance(widget, MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


def _with_changes(data: dict, changes: dict) -> dict:
    for name, value in changes.items():
        posted = _post_value(value)
        data.pop(name, None)
        if isinstance(posted, list) and isinstance(value, datetime):
            data[f"{name}_0"], data[f"{name}_1"] = posted
        elif posted != "":
            data[name] = posted
    return data


def latest_change(obj):
    """The newest version of `obj` in the audit trail, and what changed from the one before."""
    version = type(obj).history.filter(**{obj._meta.pk.attname: obj.pk}).latest()
    return version, version.diff_against(version.prev_record)


def baseline(obj) -> None:
    """Rows made by a migration have no version yet: keep one, as the trail would have."""
    if not type(obj).history.filter(**{obj._meta.pk.attname: obj.pk}).exists():
        record_history(type(obj), [obj.pk])


def test_every_admin_edit_is_recorded_with_who_when_before_and_after(client, council_admin):
    for obj, changes in objects().items():
        baseline(obj)
        before = type(obj).history.filter(**{obj._meta.pk.attname: obj.pk}).latest()
        data = _with_changes(change_form_data(client, obj), changes)
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        response = client.post(url, data)
        assert response.status_code == 302, (obj._meta.label, _errors(response))
        version = type(obj).history.filter(**{obj._meta.pk.attname: obj.pk}).latest()
        # Many-to-many fields are saved after the row, as a version of their own.
        delta = version.diff_against(before)
        assert version.history_user == council_admin and version.history_date is not None
        assert version.history_type == "~" and version.history_date > before.history_date
        changed = {c.field: c for c in delta.changes}
        kept = {f.name for f in version._meta.fields}
        kept |= {f.name for f in version._history_m2m_fields}
        for name in (n for n in changes if n in kept):
            assert name in changed, f"{obj._meta.label}.{name} was not recorded"
            assert changed[name].old != changed[name].new, name


def _errors(response) -> object:
    context = response.context or {}
    form = context.get("adminform")
    inlines = context.get("inline_admin_formsets") or []
    return (form.form.errors if form else None, [i.formset.errors for i in inlines])


def versions(model, pk) -> list:
    return list(model.history.filter(**{model._meta.pk.attname: pk}).order_by("history_id"))


def test_inline_adds_changes_and_deletes_are_recorded(client, council_admin):
    board = BoardFactory()
    meeting = MeetingFactory(board=board, date=date(2026, 3, 17), title="March")
    data = change_form_data(client, board)
    data["meetings-0-title"] = "March (rearranged)"
    data |= {"meetings-TOTAL_FORMS": "2", "meetings-1-date": "2026-07-14", "meetings-1-title": ""}
    url = reverse("admin:boards_board_change", args=[board.pk])
    assert client.post(url, data).status_code == 302
    changed, delta = latest_change(meeting)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("title", "March", "March (rearranged)")
    ]
    assert changed.history_user == council_admin
    added = Meeting.history.get(date=date(2026, 7, 14))
    assert (added.history_type, added.history_user) == ("+", council_admin)
    data = change_form_data(client, board)
    index = next(i for i in range(2) if str(data[f"meetings-{i}-id"]) == str(meeting.pk))
    data[f"meetings-{index}-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    deleted = versions(Meeting, meeting.pk)[-1]
    assert (deleted.history_type, deleted.title, deleted.history_user) == (
        "-",
        "March (rearranged)",
        council_admin,
    )


def test_granting_an_exception_is_recorded_as_an_addition(client, council_admin, open_term):
    action = ActionFactory()
    url = reverse("admin:actions_termexception_add")
    data = {"action": action.pk, "term": open_term.pk, "reason": "Late validated figures"}
    assert client.post(url, data).status_code == 302
    exception = TermException.objects.get()
    [added] = versions(TermException, exception.pk)
    assert (added.history_type, added.reason, added.history_user) == (
        "+",
        "Late validated figures",
        council_admin,
    )


def test_deleting_in_the_admin_keeps_what_was_deleted(client, council_admin):
    term = TermFactory(academic_year="2030/31")
    url = reverse("admin:actions_term_delete", args=[term.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    deleted = versions(Term, term.pk)[-1]
    assert (deleted.history_type, deleted.academic_year, deleted.history_user) == (
        "-",
        "2030/31",
        council_admin,
    )


def test_a_password_change_is_recorded_without_either_password(client, council_admin):
    officer = UserFactory(username="hclarke", role="Officer")
    old_hash = officer.password
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    new = "kingfisher-on-the-irwell"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    version = versions(User, officer.pk)[-1]
    assert (version.history_change_reason, version.history_user) == (
        "Password changed",
        council_admin,
    )
    assert "password" not in {f.name for f in version._meta.fields}
    officer.refresh_from_db()
    every_value = str(list(User.history.values()))
    assert new not in every_value and old_hash not in every_value
    assert officer.password not in every_value


def test_adding_a_user_never_records_the_password(client, council_admin):
    new = "kingfisher-on-the-irwell"
    url = reverse("admin:auth_user_add")
    data = {"username": "jpatel", "password1": new, "password2": new, "usable_password": "true"}
    assert client.post(url, data).status_code == 302
    user = User.objects.get(username="jpatel")
    every_value = str(list(User.history.filter(id=user.pk).values()))
    assert "jpatel" in every_value
    assert new not in every_value and user.password not in every_value


# Every other way in --------------------------------------------------------------------------


def test_the_update_page_records_the_lead_and_each_figure_before_and_after(
    client, led_action, open_term, lead
):
    gld, families = led_action.kpis.get(ref="i"), led_action.kpis.get(ref="ii")
    client.force_login(lead)
    url = reverse("kpis:update_save", args=[led_action.pk, open_term.pk])
    data = {
        "version": "0",
        "rating": "green",
        "progress": "Visits done.",
        f"kpi{gld.pk}-value": "71",
        f"kpi{gld.pk}-data_period": "2025/26",
        f"kpi{gld.pk}-maturity": "provisional",
        f"kpi{families.pk}-maturity": "provisional",
    }
    assert client.post(url, data).status_code == 302
    data |= {"version": "1", f"kpi{gld.pk}-value": "72.5"}
    assert client.post(url, data).status_code == 302
    value = KPIValue.objects.get(kpi=gld, cohort__code="all")
    version, delta = latest_change(value)
    assert version.history_user == lead and version.history_date is not None
    assert [(c.old, c.new) for c in delta.changes if c.field == "value"] == [
        (Decimal("71.0000"), Decimal("72.5000"))
    ]


def test_approving_records_the_approver_though_it_is_one_conditional_update(
    led_action, open_term, lead, admin_user
):
    update = progress_update_save(
        action=led_action,
        term=open_term,
        user=lead,
        narrative={"rating": "green", "progress": "Done"},
        entries=[],
        version=0,
        submit=True,
    )
    progress_update_approve(update=update, user=admin_user)
    version, delta = latest_change(update)
    assert version.history_user == admin_user
    assert ("status", "submitted", "approved") in [(c.field, c.old, c.new) for c in delta.changes]


def test_the_import_command_records_each_change_with_no_person_behind_it(plan, tmp_path):
    action = Action.objects.get(code="1.1(a)")
    before = action.text
    book = load_workbook(PLAN_WORKBOOK)
    sheet = book["Delivery plan"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Action code")].value == "1.1(a)":
            row[header.index("Action")].value = "Reworded by the council"
    book.save(tmp_path / "plan.xlsx")
    call_command("import_plan", str(tmp_path / "plan.xlsx"), "--plan", "eis", stdout=io.StringIO())
    version, delta = latest_change(action)
    assert version.history_user is None  # the command line: nobody signed in
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("text", before, "Reworded by the council")
    ]


def test_an_import_through_the_worker_records_the_admin_who_confirmed_it(admin_user):
    staged = plan_import_stage(
        plan=Plan.objects.get(slug="eis"),
        data=PLAN_WORKBOOK.read_bytes(),
        name="plan.xlsx",
        user=admin_user,
    )
    run_tasks()
    staged.refresh_from_db()
    assert plan_import_confirm(staged=staged, user=admin_user)
    run_tasks()
    action = Action.objects.get(code="1.1(a)")
    [created] = versions(Action, action.pk)
    assert (created.history_type, created.history_user) == ("+", admin_user)


def test_the_excel_round_trip_records_the_lead_through_the_worker(lead, led_action, open_term):
    from tests.spreadsheets.test_round_trip import confirm, edit, export, headline, stage

    data = edit(
        export(lead),
        VALUES_SHEET,
        headline(open_term, led_action),
        {"Value": 64, "Data period": "2025/26"},
    )
    confirm(stage(data, lead), lead)
    value = KPIValue.objects.get(kpi__ref="i", cohort__code="all")
    [created] = versions(KPIValue, value.pk)
    assert (created.history_type, created.history_user, created.value) == (
        "+",
        lead,
        Decimal("64.0000"),
    )


def test_a_change_made_in_a_shell_is_kept_too(open_term):
    """Nothing signed in, no request: the version says so (no user) but is kept."""
    open_term.due_date = open_term.due_date + timedelta(days=7)
    open_term.save()
    version, delta = latest_change(open_term)
    assert version.history_user is None and version.history_type == "~"
    assert [c.field for c in delta.changes] == ["due_date"]
