"""Writes for the termly round: a lead's update (values and rating), and its approval.

Every write claims the update by its version first, in one UPDATE … WHERE
version = n, so of two people saving the same page the second is refused
rather than silently overwriting the first, on SQLite and PostgreSQL alike.
Every change is kept as a ChangeRecord with who, when, before and after.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from actions.models import (
    NARRATIVE_MAX_LENGTH,
    Action,
    ChangeRecord,
    ProgressUpdate,
    Rating,
    ReminderLog,
    Term,
    TermException,
    UpdateStatus,
)
from bury_eis.audit import bulk_create_with_history, bulk_update_with_history, record_history
from bury_eis.formatting import with_unit
from kpis.figures import EntryProblem, KPIEntry, kpi_entry_problems
from kpis.models import KPI, Cohort, Comparator, ComparatorValue, KPIValue
from kpis.selectors import open_terms
from kpis.standings import standings_refresh
from kpis.status import restatus

NARRATIVE_FIELDS = {
    "rating": "Rating",
    "progress": "Progress narrative",
    "evidence_of_impact": "Evidence of impact",
    "next_steps": "Next steps",
    "risks": "Risks",
}
VALUE_FIELDS = {
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "data_period": "data period",
    "maturity": "maturity",
    "cohort_size": "cohort size",
    "milestone_status": "milestone",
    "no_new_data": "no new data",
    "no_new_data_reason": "reason for no new data",
    "note": "note",
}


USER_FIELDS = ["created_by", "updated_by", "submitted_by", "decided_by"]


class UpdateConflict(Exception):
    """Someone else saved this update after the page was opened."""


class UpdateNotAllowed(Exception):
    """The update cannot change now (submitted, approved, or the term is locked), or this
    person may not decide it (they worked on it)."""


class UpdateInvalid(ValidationError):
    """What was entered breaks the update's rules; `problems` says what and where, each
    with the KPI it belongs to (None for the rating and narrative)."""

    def __init__(self, problems: list[tuple[KPI | None, EntryProblem]]) -> None:
        super().__init__([p.message for _, p in problems])
        self.problems = problems

    def __str__(self) -> str:
        return "; ".join(self.messages)


def narrative_problems(narrative: dict, *, submitting: bool) -> list[EntryProblem]:
    """The rules for an update's rating and narrative, for every way one is entered."""
    problems = []
    rating = narrative.get("rating") or ""
    if rating and rating not in Rating.values:
        problems.append(EntryProblem("rating", "Choose a rating: Blue, Green, Amber, Red or Grey"))
    if rating in (Rating.RED, Rating.AMBER) and not narrative.get("next_steps", "").strip():
        problems.append(
            EntryProblem(
                "next_steps", f"Enter next steps: a {Rating(rating).label} rating needs them"
            )
        )
    if submitting and not rating:
        problems.append(EntryProblem("rating", "Choose a rating before you submit the update"))
    if submitting and not narrative.get("progress", "").strip():
        problems.append(
            EntryProblem("progress", "Enter the progress this term before you submit the update")
        )
    for name, label in NARRATIVE_FIELDS.items():
        if name != "rating" and len(narrative.get(name, "").strip()) > NARRATIVE_MAX_LENGTH:
            problems.append(
                EntryProblem(name, f"{label} must be {NARRATIVE_MAX_LENGTH:,} characters or fewer")
            )
    return problems


def entries_problems(entries: list[KPIEntry]) -> list[tuple[KPI, EntryProblem]]:
    """Every KPI entry's problems (kpis.figures), with the KPI each belongs to."""
    if not entries:
        return []
    cohort_names = dict(Cohort.objects.values_list("pk", "name"))
    comparator_names = dict(Comparator.objects.values_list("pk", "name"))
    return [
        (entry.kpi, problem)
        for entry in entries
        for problem in kpi_entry_problems(
            entry, cohort_names=cohort_names, comparator_names=comparator_names
        )
    ]


def progress_update_save(
    *,
    action: Action,
    term: Term,
    user: AbstractBaseUser,
    narrative: dict[str, str],
    entries: list[KPIEntry],
    version: int,
    submit: bool = False,
) -> ProgressUpdate:
    """Save a lead's update for one action and term, as a draft or submitted for approval.

    `version` is the update's version when the page was opened (0 for none yet);
    if it has moved on, UpdateConflict is raised and nothing is saved. What breaks
    the rules of a rating, narrative or figure raises UpdateInvalid, whoever calls.
    """
    problems = [(None, p) for p in narrative_problems(narrative, submitting=submit)]
    problems += entries_problems(entries)
    if problems:
        raise UpdateInvalid(problems)
    with transaction.atomic():
        update = _claim(action, term, user, version)
        exception = _check_editable(update, term)
        changes: list[ChangeRecord] = []
        _apply_narrative(update, narrative, changes)
        _apply_values(term, entries, user, changes)
        if submit:
            _set_status(update, UpdateStatus.SUBMITTED, changes)
            update.submitted_by, update.submitted_at = user, timezone.now()
            update.return_reason = ""
            if exception:
                exception.closed_at = timezone.now()
                exception.save(update_fields=["closed_at"])
        update.updated_by = user
        # The rating and status rules; users and the claimed row are known to exist.
        update.full_clean(exclude=["action", "term", *USER_FIELDS], validate_unique=False)
        update.save()
        update.contributors.add(user)
        _record(changes, action, term, user)
    return update


def progress_update_approve(*, update: ProgressUpdate, user: AbstractBaseUser) -> None:
    """Approve a submitted update; its figures then show on dashboards."""
    _decide(update, user, UpdateStatus.APPROVED, reason="")


def progress_update_return(*, update: ProgressUpdate, user: AbstractBaseUser, reason: str) -> None:
    """Send a submitted update back to its lead with a reason they will see."""
    problem = return_reason_problem(reason)
    if problem:
        raise UpdateInvalid([(None, EntryProblem("reason", problem))])
    _decide(update, user, UpdateStatus.RETURNED, reason=reason.strip())


def return_reason_problem(reason: str) -> str:
    """What is wrong with a reason for returning an update, or "" if nothing."""
    if not reason.strip():
        return "Enter why the update is being returned"
    if len(reason.strip()) > NARRATIVE_MAX_LENGTH:
        return f"The reason must be {NARRATIVE_MAX_LENGTH:,} characters or fewer"
    return ""


def may_decide(user: AbstractBaseUser, update: ProgressUpdate) -> bool:
    """Four eyes: nobody approves or returns an update they saved or submitted."""
    return not update.contributors.filter(pk=user.pk).exists()


def term_exception_grant(
    *, action: Action, term: Term, user: AbstractBaseUser, reason: str
) -> TermException:
    """Let one action be updated in a locked term; kept with who granted it and why."""
    if not reason.strip():
        raise ValueError("An exception needs a reason.")
    with transaction.atomic():
        exception = TermException.objects.create(
            action=action, term=term, granted_by=user, reason=reason.strip()
        )
        update = ProgressUpdate.objects.filter(action=action, term=term).first()
        if update and update.status in (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED):
            changes: list[ChangeRecord] = []
            _set_status(update, UpdateStatus.DRAFT, changes)
            update.version += 1
            update.save(update_fields=["status", "version", "updated_at"])
            _record(changes, action, term, user)
            restatus(action.kpis.values_list("pk", flat=True))  # its figures are drafts again
            standings_refresh(actions=[action.pk])
    return exception


def _claim(action: Action, term: Term, user: AbstractBaseUser, version: int) -> ProgressUpdate:
    if version == 0:
        try:
            with transaction.atomic():
                return ProgressUpdate.objects.create(
                    action=action, term=term, created_by=user, updated_by=user
                )
        except IntegrityError:
            raise UpdateConflict from None
    claimed = ProgressUpdate.objects.filter(action=action, term=term, version=version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise UpdateConflict
    return ProgressUpdate.objects.get(action=action, term=term)


def _check_editable(update: ProgressUpdate, term: Term) -> TermException | None:
    exception = TermException.objects.filter(
        action_id=update.action_id, term=term, closed_at__isnull=True
    ).first()
    if term.is_locked and exception is None:
        raise UpdateNotAllowed(
            f"{term.label} is locked, so its updates can no longer change. An administrator "
            "can grant an exception for this action."
        )
    if term.start_date > timezone.localdate():
        raise UpdateNotAllowed(f"{term.label} has not started yet.")
    if update.status in (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED):
        raise UpdateNotAllowed(
            f"This update is {update.get_status_display().lower()} and can no longer be changed "
            "by its lead unless an approver returns it."
        )
    return exception


def _shown(field_name: str, value: object) -> str:
    if field_name == "rating":
        return Rating(value).label if value else ""
    return "" if value is None else str(value)


def _apply_narrative(update: ProgressUpdate, narrative: dict, changes: list) -> None:
    for name, label in NARRATIVE_FIELDS.items():
        new = narrative.get(name, "").strip()
        old = getattr(update, name)
        if new != old:
            changes.append(
                ChangeRecord(field=label, before=_shown(name, old), after=_shown(name, new))
            )
            setattr(update, name, new)


def _set_status(update: ProgressUpdate, status: str, changes: list) -> None:
    if update.status != status:
        before = update.get_status_display()
        update.status = status
        changes.append(
            ChangeRecord(field="Status", before=before, after=update.get_status_display())
        )


def _record(
    changes: list[ChangeRecord], action: Action, term: Term, user: AbstractBaseUser
) -> None:
    for change in changes:
        change.action, change.term, change.changed_by = action, term, user
    ChangeRecord.objects.bulk_create(changes)


def _decide(update: ProgressUpdate, user: AbstractBaseUser, status: str, reason: str) -> None:
    if not may_decide(user, update):
        raise UpdateNotAllowed(
            "You worked on this update, so another approver must approve or return it."
        )
    with transaction.atomic():
        claimed = ProgressUpdate.objects.filter(
            pk=update.pk, version=update.version, status=UpdateStatus.SUBMITTED
        ).update(
            status=status,
            return_reason=reason,
            decided_by=user,
            decided_at=timezone.now(),
            version=F("version") + 1,
        )
        if not claimed:
            raise UpdateConflict
        record_history(ProgressUpdate, [update.pk], user)
        # Other terms' figures are judged against approved figures only.
        restatus(KPI.objects.filter(action_id=update.action_id).values_list("pk", flat=True))
        standings_refresh(actions=[update.action_id])
        label = UpdateStatus(status).label
        changes = [ChangeRecord(field="Status", before="Submitted", after=label)]
        if reason:
            changes.append(ChangeRecord(field="Reason returned", before="", after=reason))
        _record(changes, update.action, update.term, user)


@dataclass
class _Writes:
    """Rows to create, update and delete, applied in bulk at the end."""

    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    delete: list = field(default_factory=list)
    fields: set = field(default_factory=set)


def _apply_values(term: Term, entries: list[KPIEntry], user, changes: list) -> None:
    """Create, change or remove the KPI values of the page; a fixed number of queries."""
    all_pupils = Cohort.objects.get(code=Cohort.ALL_PUPILS)
    names = dict(Cohort.objects.values_list("pk", "name"))
    existing = {
        (v.kpi_id, v.cohort_id): v
        for v in KPIValue.objects.filter(term=term, kpi__in=[e.kpi for e in entries]).order_by(
            "updated_at"
        )
    }
    writes, headlines = _Writes(), []
    for entry in entries:
        kpi, figure_fields = entry.kpi, _headline_fields(entry) if entry.has_figure else None
        row = _write_value(
            writes,
            existing.get((kpi.pk, all_pupils.pk)),
            figure_fields,
            changes,
            kpi=kpi,
            term=term,
            cohort_id=all_pupils.pk,
            user=user,
            label=f"({kpi.ref})",
        )
        for cohort_id, value in entry.cohorts.items():
            fields = (
                _cohort_fields(entry, value) if entry.has_figure and value is not None else None
            )
            _write_value(
                writes,
                existing.get((kpi.pk, cohort_id)),
                fields,
                changes,
                kpi=kpi,
                term=term,
                cohort_id=cohort_id,
                user=user,
                label=f"({kpi.ref}) {names[cohort_id]}",
            )
        if row is not None:
            headlines.append((row, entry))
    KPIValue.objects.filter(pk__in=[v.pk for v in writes.delete]).delete()
    bulk_create_with_history(writes.create, KPIValue)
    if writes.update:
        fields = [*VALUE_FIELDS, "entered_by", "updated_at"]
        bulk_update_with_history(writes.update, KPIValue, fields)
    _apply_comparisons(headlines, changes)
    # A figure changes the standing of the KPI's other figures too (trends, gaps, groups);
    # where an approved one moved, the dashboards' counts move with it.
    if restatus([e.kpi.pk for e in entries]):
        standings_refresh(actions={e.kpi.action_id for e in entries})


def _headline_fields(entry: KPIEntry) -> dict:
    value = entry.headline()
    return {
        "value": value,
        "numerator": entry.numerator,
        "denominator": entry.denominator,
        "data_period": entry.data_period,
        "maturity": entry.maturity,
        "cohort_size": entry.cohort_size,
        "milestone_status": entry.milestone_status,
        "no_new_data": entry.no_new_data,
        "no_new_data_reason": entry.no_new_data_reason if entry.no_new_data else "",
        "note": entry.note,
    }


def _cohort_fields(entry: KPIEntry, value: Decimal) -> dict:
    return {
        "value": value,
        "data_period": entry.data_period,
        "maturity": entry.maturity,
    }


def _write_value(writes: _Writes, row, fields, changes: list, *, kpi, term, cohort_id, user, label):
    """Queue the creation, change or removal of one value and record what changed.

    An existing value is written only if a field changed, and only those fields
    (collected in `writes.fields`) go into the bulk update.
    """
    if fields is None:
        if row is not None:
            writes.delete.append(row)
            changes.append(
                ChangeRecord(field=f"{label} value", before=_value_text(kpi, row), after="removed")
            )
        return None
    is_new = row is None
    if is_new:
        row = KPIValue(kpi=kpi, term=term, cohort_id=cohort_id)
    changed = {name for name, value in fields.items() if is_new or getattr(row, name) != value}
    for name in sorted(changed & set(VALUE_FIELDS)):
        old = None if is_new else getattr(row, name)
        if _differs(old, fields[name]):
            changes.append(
                ChangeRecord(
                    field=f"{label} {VALUE_FIELDS[name]}",
                    before=_field_text(kpi, name, old),
                    after=_field_text(kpi, name, fields[name]),
                )
            )
    if not changed:
        return row
    for name in changed:
        setattr(row, name, fields[name])
    row.entered_by, row.updated_at = user, timezone.now()
    if is_new:
        writes.create.append(row)
    else:
        writes.update.append(row)
        writes.fields |= changed
    return row


def _differs(old: object, new: object) -> bool:
    empty = (None, "", False)
    return not (old in empty and new in empty) and old != new


def _field_text(kpi: KPI, name: str, value: object) -> str:
    if value in (None, ""):
        return ""
    if name == "value":
        return with_unit(value, kpi.unit)
    if name == "no_new_data":
        return "yes" if value else "no"
    return str(value)


def _value_text(kpi: KPI, row: KPIValue) -> str:
    return with_unit(row.value, kpi.unit) if row.value is not None else row.milestone_status


def _apply_comparisons(headlines: list[tuple[KPIValue, KPIEntry]], changes: list) -> None:
    """Create, change or remove the comparator figures beside each headline value."""
    names = dict(Comparator.objects.values_list("pk", "name"))
    existing = {
        (c.kpi_value_id, c.comparator_id): c
        for c in ComparatorValue.objects.filter(kpi_value__in=[row for row, _ in headlines])
    }
    writes = _Writes()
    for row, entry in headlines:
        for comparator_id, (value, period) in entry.comparators.items():
            current = existing.get((row.pk, comparator_id))
            label = f"({entry.kpi.ref}) {names[comparator_id]}"
            before = (
                f"{with_unit(current.value, entry.kpi.unit)} ({current.period})" if current else ""
            )
            after = f"{with_unit(value, entry.kpi.unit)} ({period})" if value is not None else ""
            if before == after:
                continue
            changes.append(ChangeRecord(field=label, before=before, after=after or "removed"))
            if value is None:
                writes.delete.append(current)
            elif current is None:
                writes.create.append(
                    ComparatorValue(
                        kpi_value=row, comparator_id=comparator_id, value=value, period=period
                    )
                )
            else:
                current.value, current.period = value, period
                writes.update.append(current)
    ComparatorValue.objects.filter(pk__in=[c.pk for c in writes.delete]).delete()
    bulk_create_with_history(writes.create, ComparatorValue)
    if writes.update:
        bulk_update_with_history(writes.update, ComparatorValue, ["value", "period"])


@dataclass
class Reminder:
    user: AbstractBaseUser
    term: Term
    actions: list[Action]


def reminders_due(today: date) -> list[Reminder]:
    """For each open term, each active lead with an e-mail and the actions not yet submitted."""
    reminders = []
    for term in open_terms(today):
        done = ProgressUpdate.objects.filter(
            action=OuterRef("pk"),
            term=term,
            status__in=[UpdateStatus.SUBMITTED, UpdateStatus.APPROVED],
        )
        actions = (
            Action.objects.filter(plan_id=term.plan_id, retired_at__isnull=True)
            .exclude(Exists(done))
            .prefetch_related("leads")
            .order_by("position")
        )
        by_lead: dict = {}
        for action in actions:
            for lead in action.leads.all():
                if lead.is_active and lead.email:
                    by_lead.setdefault(lead, []).append(action)
        reminders += [Reminder(user, term, items) for user, items in by_lead.items()]
    return reminders


def reminders_send(*, today: date) -> tuple[int, int]:
    """E-mail each lead what is still due; safe to run daily, since a lead gets at most one
    reminder per term per day. Returns (sent, skipped because already sent today)."""
    already = set(ReminderLog.objects.filter(sent_on=today).values_list("user_id", "term_id"))
    sent = skipped = 0
    for reminder in reminders_due(today):
        if (reminder.user.pk, reminder.term.pk) in already:
            skipped += 1
            continue
        send_mail(
            _reminder_subject(reminder, today),
            render_to_string(
                "kpis/reminder_email.txt",
                {
                    "reminder": reminder,
                    "today": today,
                    "site_url": settings.SITE_URL,
                    "overdue": today > reminder.term.due_date,
                },
            ),
            None,
            [reminder.user.email],
        )
        ReminderLog.objects.create(
            user=reminder.user,
            term=reminder.term,
            sent_on=today,
            action_count=len(reminder.actions),
        )
        sent += 1
    return sent, skipped


def _reminder_subject(reminder: Reminder, today: date) -> str:
    count = len(reminder.actions)
    actions = f"{count} action{'s' if count != 1 else ''}"
    if today > reminder.term.due_date:
        return f"Overdue: {reminder.term.label} update for {actions}"
    return f"Due {reminder.term.due_date:%-d %B}: {reminder.term.label} update for {actions}"
