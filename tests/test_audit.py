"""Every field an admin can edit in /admin/ leaves a record: who, when, before and after.

CHANGES names, for each model the admin can change, a new value for every field its
admin form offers; a field added to a model (and so to its form) without a row here
fails `test_every_editable_admin_field_has_a_change`. Termly updates, values and their
approval go through services that keep actions.ChangeRecord; tests/kpis/test_updates.py
covers those ("test_every_change_is_recorded_with_who_before_and_after").
"""

from datetime import date, datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.forms import MultiWidget
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from actions.models import TermException
from bury_eis.models import AuditRecord
from kpis.models import Cohort, Comparator
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
        CommitmentFactory(number=4): {"number": 9, "title": "THRIVING", "statement": "New."},
        SectorFactory(position=3): {"position": 8, "name": "Post-16"},
        ActionFactory(): {
            "code": "9.9(z)",
            "commitment": commitment2.pk,
            "sector": sector2.pk,
            "text": "Reworded action",
            "outcome": "New outcome",
            "lead_description": "Head of Inclusion",
            "leads": [officer.pk],
            "position": 77,
            "retired_at": WHEN,
        },
        TermFactory(academic_year="2024/25"): {
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
            "target_not_agreed": False,
            "tolerance": "2",
            "data_source": "DfE",
            "frequency": "annual",
            "breakdown_cohorts": [Cohort.objects.get(code="disadvantaged").pk],
            "comparators": [england.pk],
            "position": 3,
            "retired_at": WHEN,
        },
        BoardFactory(): {
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
    }


# Never edited in the admin: records of what happened, or the sign-in lock-outs.
READ_ONLY = {
    # Termly updates and KPI values change through their service (figure rules, four eyes).
    "actions.ProgressUpdate",
    "kpis.KPIValue",
    "actions.ChangeRecord",
    "actions.ReminderLog",
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


def test_every_admin_edit_is_recorded_with_who_when_before_and_after(client, council_admin):
    for obj, changes in objects().items():
        before = {name: _shown(obj, name) for name in changes}
        data = _with_changes(change_form_data(client, obj), changes)
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        response = client.post(url, data)
        assert response.status_code == 302, (obj._meta.label, _errors(response))
        records = AuditRecord.objects.filter(object_id=str(obj.pk), kind="changed")
        records = {r.field.lower(): r for r in records if r.content_type.model_class() is type(obj)}
        for name in changes:
            field = obj._meta.get_field(name)
            record = records.get(str(field.verbose_name).lower())
            assert record is not None, f"{obj._meta.label}.{name} was not recorded"
            assert record.changed_by == council_admin and record.changed_at is not None
            assert record.before == before[name] and record.after != record.before, name


def _shown(obj, name: str) -> str:
    from bury_eis.audit import snapshot

    return snapshot(type(obj)._default_manager.get(pk=obj.pk))[name]


def _errors(response) -> object:
    context = response.context or {}
    form = context.get("adminform")
    inlines = context.get("inline_admin_formsets") or []
    return (form.form.errors if form else None, [i.formset.errors for i in inlines])


def test_inline_adds_changes_and_deletes_are_recorded(client, council_admin):
    board = BoardFactory()
    meeting = MeetingFactory(board=board, date=date(2026, 3, 17), title="March")
    data = change_form_data(client, board)
    data["meetings-0-title"] = "March (rearranged)"
    data |= {"meetings-TOTAL_FORMS": "2", "meetings-1-date": "2026-07-14", "meetings-1-title": ""}
    url = reverse("admin:boards_board_change", args=[board.pk])
    assert client.post(url, data).status_code == 302
    changed = AuditRecord.objects.get(object_id=str(meeting.pk), field="Title")
    assert (changed.before, changed.after) == ("March", "March (rearranged)")
    assert AuditRecord.objects.filter(kind="added", field="Date", after="2026-07-14").exists()
    data = change_form_data(client, board)
    index = next(i for i in range(2) if str(data[f"meetings-{i}-id"]) == str(meeting.pk))
    data[f"meetings-{index}-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert AuditRecord.objects.filter(kind="deleted", object_id=str(meeting.pk)).exists()


def test_granting_an_exception_is_recorded_as_an_addition(client, council_admin, open_term):
    action = ActionFactory()
    url = reverse("admin:actions_termexception_add")
    data = {"action": action.pk, "term": open_term.pk, "reason": "Late validated figures"}
    assert client.post(url, data).status_code == 302
    exception = TermException.objects.get()
    record = AuditRecord.objects.get(object_id=str(exception.pk), field="Reason")
    assert (record.kind, record.after, record.changed_by) == (
        "added",
        "Late validated figures",
        council_admin,
    )


def test_deleting_in_the_admin_keeps_what_was_deleted(client, council_admin):
    term = TermFactory(academic_year="2030/31")
    url = reverse("admin:actions_term_delete", args=[term.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    record = AuditRecord.objects.get(object_id=str(term.pk), field="Academic year")
    assert (record.kind, record.before, record.after) == ("deleted", "2030/31", "")


def test_a_password_change_is_recorded_without_either_password(client, council_admin):
    officer = UserFactory(username="hclarke", role="Officer")
    old_hash = officer.password
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    new = "kingfisher-on-the-irwell"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    record = AuditRecord.objects.get(object_id=str(officer.pk), field="Password")
    assert (record.before, record.after) == ("(not recorded)", "(changed)")
    officer.refresh_from_db()
    every_value = str(list(AuditRecord.objects.values_list("before", "after")))
    assert new not in every_value and old_hash not in every_value
    assert officer.password not in every_value


def test_adding_a_user_never_records_the_password(client, council_admin):
    new = "kingfisher-on-the-irwell"
    url = reverse("admin:auth_user_add")
    data = {"username": "jpatel", "password1": new, "password2": new, "usable_password": "true"}
    assert client.post(url, data).status_code == 302
    user = User.objects.get(username="jpatel")
    texts = AuditRecord.objects.filter(object_id=str(user.pk)).values_list("before", "after")
    assert all(new not in t and user.password not in t for pair in texts for t in pair)
