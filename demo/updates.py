"""A demo progress update with the narrative its rating calls for, flagged `is_demo`."""

from datetime import date, datetime, time

from django.utils import timezone

from actions.models import ProgressUpdate, Rating, UpdateStatus

NARRATIVES = {
    Rating.BLUE: (
        "Completed. {focus} is now part of business as usual across partners.",
        "Outcome data for the last two terms shows the improvement holding.",
        "Hand over to routine monitoring through the Education Board dashboard.",
    ),
    Rating.GREEN: (
        "On track. {focus}: activity delivered as planned this term.",
        "Early indicators are moving in the right direction; see KPI values.",
        "Continue delivery; review impact data when the next annual results arrive.",
    ),
    Rating.AMBER: (
        "Progressing with some issues. {focus}: capacity pressures have slowed delivery.",
        "Some positive impact, but it varies between settings.",
        "Recovery plan agreed with partners; extra sessions scheduled before the next term.",
    ),
    Rating.RED: (
        "Not on track. {focus}: key milestones have been missed.",
        "No measurable impact yet.",
        "Escalated to the Education Board; lead to present a recovery plan at the next meeting.",
    ),
    Rating.GREY: (
        "Not started. {focus} is scheduled to begin later in the plan.",
        "Too early to measure impact.",
        "",
    ),
}


def _focus(text: str) -> str:
    head = text.split(",")[0].split(" by ")[0].strip().rstrip(".")
    return head if len(head) <= 90 else head[:87].rstrip() + "…"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def demo_update(action, term, rating, state, lead, approver, rng) -> ProgressUpdate:
    progress, evidence, next_steps = NARRATIVES[rating]
    submitted = state != UpdateStatus.DRAFT
    late = rng.random() < 0.15
    submitted_on = date.fromordinal(
        term.due_date.toordinal() + (rng.randint(1, 12) if late else -rng.randint(0, 10))
    )
    decided = state in (UpdateStatus.APPROVED, UpdateStatus.RETURNED)
    return ProgressUpdate(
        action=action,
        term=term,
        rating=rating,
        progress=progress.format(focus=_focus(action.text)),
        evidence_of_impact=evidence,
        next_steps=next_steps,
        risks="Capacity in partner teams." if rating in (Rating.AMBER, Rating.RED) else "",
        status=state,
        return_reason="Please add the latest attendance figures before approval."
        if state == UpdateStatus.RETURNED
        else "",
        created_by=lead,
        updated_by=lead,
        submitted_by=lead if submitted else None,
        submitted_at=_at(submitted_on) if submitted else None,
        decided_by=approver if decided else None,
        decided_at=_at(date.fromordinal(submitted_on.toordinal() + 5)) if decided else None,
        is_demo=True,
    )
