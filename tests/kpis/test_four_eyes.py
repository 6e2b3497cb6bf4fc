"""Four eyes on every approval: nobody approves or returns an update they saved or submitted."""

from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from actions.models import ChangeRecord, ProgressUpdate
from kpis.models import Cohort, Comparator
from kpis.updates import (
    KPIEntry,
    UpdateNotAllowed,
    progress_update_approve,
    progress_update_return,
    progress_update_save,
)
from tests.factories import KPIValueFactory, ProgressUpdateFactory, UserFactory

pytestmark = pytest.mark.django_db

NARRATIVE = {"rating": "green", "progress": "Visits done.", "next_steps": "", "risks": ""}


def approver(username: str, **kwargs):
    user = UserFactory(username=username, role="Officer", **kwargs)
    user.user_permissions.add(Permission.objects.get(codename="approve_progressupdate"))
    return user


def save(action, term, user, *, submit=False):
    current = ProgressUpdate.objects.filter(action=action, term=term).first()
    return progress_update_save(
        action=action,
        term=term,
        user=user,
        narrative=NARRATIVE,
        entries=[],
        version=current.version if current else 0,
        submit=submit,
    )


@pytest.fixture
def lead_approver(led_action):
    """A lead of the action who was also given the approver permission."""
    user = approver("lead-approver")
    led_action.leads.add(user)
    return user


def test_a_lead_with_the_approver_permission_cannot_approve_their_own_submission(
    led_action, open_term, lead_approver
):
    update = save(led_action, open_term, lead_approver, submit=True)
    with pytest.raises(UpdateNotAllowed, match="another approver"):
        progress_update_approve(update=update, user=lead_approver)
    with pytest.raises(UpdateNotAllowed, match="another approver"):
        progress_update_return(update=update, user=lead_approver, reason="Looks thin")
    update.refresh_from_db()
    assert (update.status, update.decided_by) == ("submitted", None)


def test_an_admin_cannot_write_submit_and_approve_alone(led_action, open_term, admin_user):
    update = save(led_action, open_term, admin_user, submit=True)
    with pytest.raises(UpdateNotAllowed):
        progress_update_approve(update=update, user=admin_user)
    second_admin = UserFactory(username="second-admin", role="Admin")
    progress_update_approve(update=update, user=second_admin)
    update.refresh_from_db()
    assert (update.status, update.decided_by) == ("approved", second_admin)


def test_saving_a_draft_that_someone_else_submits_is_working_on_it_too(
    led_action, open_term, lead, lead_approver
):
    save(led_action, open_term, lead_approver)  # drafts it
    update = save(led_action, open_term, lead, submit=True)  # the other lead submits
    assert set(update.contributors.all()) == {lead, lead_approver}
    with pytest.raises(UpdateNotAllowed):
        progress_update_approve(update=update, user=lead_approver)


def test_an_approver_who_did_not_work_on_it_decides_it(led_action, open_term, lead):
    update = save(led_action, open_term, lead, submit=True)
    other = approver("other-approver")
    progress_update_return(update=update, user=other, reason="Add the EYPP figure")
    update.refresh_from_db()
    assert (update.status, update.decided_by) == ("returned", other)
    assert other not in update.contributors.all()  # deciding is not working on it


def test_the_queue_offers_no_one_their_own_updates(client, led_action, open_term, lead_approver):
    mine = save(led_action, open_term, lead_approver, submit=True)
    theirs = ProgressUpdateFactory(term=open_term, status="submitted")
    client.force_login(lead_approver)
    page = client.get(reverse("kpis:approvals")).content.decode()
    assert reverse("kpis:approval", args=[theirs.pk]) in page
    assert reverse("kpis:approval", args=[mine.pk]) not in page


@pytest.mark.parametrize(
    ("name", "method"),
    [("kpis:approval", "get"), ("kpis:approve", "post"), ("kpis:return", "post")],
)
def test_the_pages_refuse_them_their_own_update(
    client, led_action, open_term, lead_approver, name, method
):
    update = save(led_action, open_term, lead_approver, submit=True)
    client.force_login(lead_approver)
    data = {"version": update.version, "reason": "x"} if method == "post" else {}
    response = getattr(client, method)(reverse(name, args=[update.pk]), data)
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.status == "submitted"


def test_the_review_page_shows_everything_that_will_be_approved(
    client, led_action, open_term, lead, admin_user
):
    gld, families = led_action.kpis.get(ref="i"), led_action.kpis.get(ref="ii")
    disadvantaged = Cohort.objects.get(code="disadvantaged")
    england = Comparator.objects.get(code="england")
    progress_update_save(
        action=led_action,
        term=open_term,
        user=lead,
        narrative=NARRATIVE,
        entries=[
            KPIEntry(
                kpi=gld,
                numerator=335,
                denominator=456,
                data_period="2025/26 academic year",
                maturity="revised",
                cohort_size=456,
                note="Moderated sample",
                cohorts={disadvantaged.pk: Decimal("58.2")},
                comparators={england.pk: (Decimal("67.7"), "2024/25")},
            ),
        ],
        version=0,
        submit=True,
    )
    update = ProgressUpdate.objects.get()
    client.force_login(admin_user)
    page = client.get(reverse("kpis:approval", args=[update.pk])).content.decode()
    for shown in [
        "73.5% (335 of 456)",
        "2025/26 academic year",
        "Revised",
        ">456<",
        "Disadvantaged",
        "58.2%",
        "England",
        "67.7% (2024/25)",
        "Moderated sample",
    ]:
        assert shown in page, shown
    # (ii) was left empty, and the approver is told before approving
    assert "1 of 2 KPIs has nothing entered" in page
    assert f'href="#review-kpi-{families.pk}"' in page


def test_the_review_page_shows_why_there_is_no_new_data(client, led_action, open_term, lead):
    save(led_action, open_term, lead, submit=True)
    KPIValueFactory(
        kpi=led_action.kpis.get(ref="ii"),
        term=open_term,
        value=None,
        no_new_data=True,
        no_new_data_reason="Published in March",
        data_period="",
    )
    client.force_login(approver("reviewer"))
    page = client.get(reverse("kpis:approval", args=[ProgressUpdate.objects.get().pk]))
    assert "No new data this term: Published in March" in page.content.decode()


def test_the_migration_records_who_worked_on_updates_already_there(
    led_action, open_term, lead, admin_user
):
    """Updates saved before four eyes existed get their contributors from their history."""
    helper = UserFactory(username="helper", role="Officer")
    update = ProgressUpdateFactory(
        action=led_action, term=open_term, status="submitted", created_by=lead, submitted_by=lead
    )
    for user, field, before, after in [
        (helper, "Progress narrative", "", "Drafted by the helper"),
        (lead, "Status", "Draft", "Submitted"),
        (admin_user, "Status", "Submitted", "Returned"),  # a decision, not work on it
        (admin_user, "Reason returned", "", "Add figures"),
    ]:
        ChangeRecord.objects.create(
            action=led_action,
            term=open_term,
            changed_by=user,
            field=field,
            before=before,
            after=after,
        )
    migration = import_module("actions.migrations.0003_progress_update_contributors")
    migration.backfill_contributors(apps, None)
    assert set(update.contributors.all()) == {lead, helper}
