from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import ChangeRecord, ProgressUpdate, TermException
from kpis.models import Cohort, Comparator, ComparatorValue, KPIValue
from kpis.updates import (
    KPIEntry,
    UpdateConflict,
    UpdateInvalid,
    UpdateNotAllowed,
    progress_update_approve,
    progress_update_return,
    progress_update_save,
    term_exception_grant,
)
from tests.factories import KPIFactory, UserFactory

pytestmark = pytest.mark.django_db

NARRATIVE = {
    "rating": "green",
    "progress": "Moderation visits done.",
    "next_steps": "",
    "risks": "",
}


def save(action, term, user, entries=(), version=0, submit=False, **narrative):
    return progress_update_save(
        action=action,
        term=term,
        user=user,
        narrative=NARRATIVE | narrative,
        entries=list(entries),
        version=version,
        submit=submit,
    )


def gld(action, **fields):
    return KPIEntry(kpi=action.kpis.get(ref="i"), data_period="2025/26 academic year", **fields)


def test_a_draft_saves_the_rating_narrative_and_values(led_action, open_term, lead):
    update = save(led_action, open_term, lead, [gld(led_action, value=Decimal("72.5"))])
    assert (update.status, update.rating, update.version) == ("draft", "green", 1)
    value = KPIValue.objects.get(kpi__ref="i", cohort__code="all")
    assert (value.value, value.data_period, value.entered_by) == (
        Decimal("72.5"),
        "2025/26 academic year",
        lead,
    )
    assert value.status == "amber"  # 1.5 short of 74, within the tolerance of 2
    assert update.updated_by == lead


def test_the_percentage_is_computed_from_numerator_and_denominator(led_action, open_term, lead):
    save(led_action, open_term, lead, [gld(led_action, numerator=335, denominator=456)])
    value = KPIValue.objects.get(kpi__ref="i", cohort__code="all")
    assert (value.value, value.numerator, value.denominator) == (Decimal("73.5"), 335, 456)
    assert value.status == "amber"


def test_every_change_is_recorded_with_who_before_and_after(led_action, open_term, lead):
    update = save(led_action, open_term, lead, [gld(led_action, value=Decimal("70"))])
    save(
        led_action,
        open_term,
        lead,
        [gld(led_action, value=Decimal("72"))],
        version=update.version,
        rating="amber",
        next_steps="Extra moderation",
    )
    changes = {(c.field, c.before, c.after) for c in ChangeRecord.objects.filter(changed_by=lead)}
    assert ("(i) value", "70%", "72%") in changes
    assert ("Rating", "Green", "Amber") in changes
    assert ("Next steps", "", "Extra moderation") in changes
    assert ("(i) value", "", "70%") in changes


def test_a_stale_save_is_refused_and_changes_nothing(led_action, open_term, lead):
    first = save(led_action, open_term, lead, [gld(led_action, value=Decimal("70"))])
    save(led_action, open_term, lead, [gld(led_action, value=Decimal("72"))], version=first.version)
    with pytest.raises(UpdateConflict):
        save(
            led_action,
            open_term,
            lead,
            [gld(led_action, value=Decimal("99"))],
            version=first.version,
        )
    assert KPIValue.objects.get(kpi__ref="i", cohort__code="all").value == Decimal("72")
    assert ProgressUpdate.objects.get().version == 2


def test_two_people_starting_a_new_update_cannot_both_create_it(led_action, open_term, lead):
    save(led_action, open_term, lead)
    with pytest.raises(UpdateConflict):
        save(led_action, open_term, UserFactory(), version=0)


def test_breakdowns_and_comparators_are_saved_changed_and_removed(led_action, open_term, lead):
    disadvantaged = Cohort.objects.get(code="disadvantaged").pk
    england = Comparator.objects.get(code="england").pk
    entry = gld(
        led_action,
        value=Decimal("66"),
        cohorts={disadvantaged: Decimal("52.1")},
        comparators={england: (Decimal("67.7"), "2024/25")},
    )
    update = save(led_action, open_term, lead, [entry])
    assert KPIValue.objects.get(cohort_id=disadvantaged).value == Decimal("52.1")
    assert ComparatorValue.objects.get().period == "2024/25"
    entry.cohorts, entry.comparators = {disadvantaged: None}, {england: (None, "")}
    save(led_action, open_term, lead, [entry], version=update.version)
    assert not KPIValue.objects.filter(cohort_id=disadvantaged).exists()
    assert not ComparatorValue.objects.exists()
    assert ChangeRecord.objects.filter(field="(i) England", after="removed").exists()


def test_clearing_a_figure_removes_the_value_and_says_so(led_action, open_term, lead):
    update = save(led_action, open_term, lead, [gld(led_action, value=Decimal("70"))])
    save(led_action, open_term, lead, [gld(led_action)], version=update.version)
    assert not KPIValue.objects.exists()
    assert ChangeRecord.objects.filter(field="(i) value", before="70%", after="removed").exists()


def test_no_new_data_is_kept_with_its_reason(led_action, open_term, lead):
    entry = gld(led_action, no_new_data=True, no_new_data_reason="KS2 results arrive in Spring")
    save(led_action, open_term, lead, [entry])
    value = KPIValue.objects.get()
    assert value.no_new_data and value.value is None and value.status == "grey"


def test_submitting_locks_the_update_for_its_lead(led_action, open_term, lead):
    update = save(led_action, open_term, lead, submit=True)
    assert (update.status, update.submitted_by) == ("submitted", lead)
    assert update.submitted_at is not None
    with pytest.raises(UpdateNotAllowed, match="submitted"):
        save(led_action, open_term, lead, version=update.version)


def test_a_submission_needs_a_rating(led_action, open_term, lead):
    with pytest.raises(ValidationError):
        save(led_action, open_term, lead, submit=True, rating="")
    assert not ProgressUpdate.objects.exists()


def test_a_locked_term_refuses_changes(led_action, open_term, lead):
    open_term.is_locked = True
    open_term.save()
    with pytest.raises(UpdateNotAllowed, match="locked"):
        save(led_action, open_term, lead)
    assert not ProgressUpdate.objects.exists()


def test_a_term_not_yet_started_refuses_changes(led_action, open_term, lead):
    open_term.start_date += timedelta(days=60)
    open_term.end_date += timedelta(days=60)
    open_term.save()
    with pytest.raises(UpdateNotAllowed, match="not started"):
        save(led_action, open_term, lead)


def test_an_exception_reopens_a_locked_term_for_one_action_until_it_is_submitted(
    led_action, open_term, lead, admin_user
):
    update = save(led_action, open_term, lead, submit=True)
    progress_update_approve(update=update, user=admin_user)
    open_term.is_locked = True
    open_term.save()
    exception = term_exception_grant(
        action=led_action,
        term=open_term,
        user=admin_user,
        reason="Validated KS2 figures arrived late",
    )
    update.refresh_from_db()
    assert update.status == "draft"
    assert exception.granted_by == admin_user
    update = save(
        led_action,
        open_term,
        lead,
        [gld(led_action, value=Decimal("75"))],
        version=update.version,
        submit=True,
    )
    exception.refresh_from_db()
    assert exception.closed_at is not None
    # The exception was used up: returned again, the locked term no longer accepts changes.
    progress_update_return(update=update, user=admin_user, reason="One more fix")
    update.refresh_from_db()
    with pytest.raises(UpdateNotAllowed, match="locked"):
        save(led_action, open_term, lead, version=update.version)


def test_an_exception_needs_a_reason(led_action, open_term, admin_user):
    with pytest.raises(ValueError, match="reason"):
        term_exception_grant(action=led_action, term=open_term, user=admin_user, reason=" ")
    assert not TermException.objects.exists()


def test_approve_and_return_record_who_and_why(led_action, open_term, lead, admin_user):
    update = save(led_action, open_term, lead, submit=True)
    progress_update_return(update=update, user=admin_user, reason="Add the EYPP breakdown")
    update.refresh_from_db()
    assert (update.status, update.return_reason, update.decided_by) == (
        "returned",
        "Add the EYPP breakdown",
        admin_user,
    )
    update = save(led_action, open_term, lead, version=update.version, submit=True)
    assert update.return_reason == ""
    progress_update_approve(update=update, user=admin_user)
    update.refresh_from_db()
    assert update.status == "approved"
    statuses = list(ChangeRecord.objects.filter(field="Status").values_list("after", flat=True))
    assert statuses.count("Submitted") == 2 and "Returned" in statuses and "Approved" in statuses


def test_a_return_needs_a_reason(led_action, open_term, lead, admin_user):
    update = save(led_action, open_term, lead, submit=True)
    with pytest.raises(UpdateInvalid, match="Enter why the update is being returned"):
        progress_update_return(update=update, user=admin_user, reason="")


def test_a_decision_on_a_stale_update_is_refused(led_action, open_term, lead, admin_user):
    update = save(led_action, open_term, lead, submit=True)
    stale = ProgressUpdate.objects.get(pk=update.pk)
    progress_update_approve(update=update, user=admin_user)
    with pytest.raises(UpdateConflict):
        progress_update_return(update=stale, user=admin_user, reason="Too late")


def test_saving_takes_the_same_queries_however_many_kpis_and_groups(led_action, open_term, lead):
    disadvantaged = Cohort.objects.get(code="disadvantaged").pk

    def queries(entries, version):
        with CaptureQueriesContext(connection) as captured:
            update = save(led_action, open_term, lead, entries, version=version)
        return len(captured), update.version

    few, version = queries([gld(led_action, value=Decimal("70"))], 0)
    for ref in ["iii", "iv", "v", "vi", "vii", "viii"]:
        KPIFactory(action=led_action, ref=ref)
    many_entries = [
        KPIEntry(
            kpi=k,
            value=Decimal("50"),
            data_period="2025/26",
            cohorts={disadvantaged: Decimal("40")},
        )
        for k in led_action.kpis.all()
    ]
    many, _ = queries(many_entries, version)
    assert many == few
