"""Demo data for the SEND Priority Impact Plan, once its workbook is imported: monthly
reporting periods around today, demo users leading its actions, monthly approved updates
(most early-due actions done, several overdue ones Amber or Red with next steps, a few
never updated), the latest ended month published, and the SEND Improvement & Assurance
Board with a meeting each month. Updates are flagged `is_demo`, as demo.seed's are.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from actions.models import Action, Plan, ProgressUpdate, Rating, Term, UpdateStatus
from actions.services import term_publish
from boards.models import Board
from demo.updates import demo_update

# Months before today's month that get a period, and how many of them stay open.
MONTHS_BACK = 6
OPEN_EARLIER = 2
# Demo leads of the plan's actions by priority area number, in turn; the School
# Assurance Officer ("officer") leads some in every area, so their My actions has both plans.
AREA_LEADS = ["send", "officer", "eyears", "inclusion", "vschool", "post16", "place"]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months(today: date) -> list[Term]:
    """The plan's months from MONTHS_BACK before today's to the next, updates due on the 7th
    of the month after; all but the last OPEN_EARLIER before today's are locked."""
    plan = Plan.objects.get(slug="send-pip")
    this_month = today.replace(day=1)
    found = []
    for offset in range(-MONTHS_BACK, 2):
        start = _add_months(this_month, offset)
        term, _ = Term.objects.update_or_create(
            plan=plan,
            name=f"{start:%B %Y}",
            defaults={
                "start_date": start,
                "end_date": _add_months(start, 1) - timedelta(days=1),
                "due_date": _add_months(start, 1).replace(day=7),
                "is_locked": offset < -OPEN_EARLIER,
            },
        )
        found.append(term)
    return found


def _assign_leads(actions: list[Action], users: dict) -> None:
    through = Action.leads.through
    links = []
    for index, action in enumerate(actions):
        number = action.commitment.number
        lead = AREA_LEADS[(number + index) % len(AREA_LEADS)] if index % 3 else "officer"
        links.append(through(action_id=action.pk, user_id=users[lead].pk))
    through.objects.bulk_create(links, ignore_conflicts=True)


def _path(action: Action, ended: list[Term], today: date, roll: float) -> list[str | None]:
    """The action's approved rating in each ended month, oldest first; None: no update."""
    if roll < 0.08:
        return [None] * len(ended)  # never updated
    due = action.due_date
    if due is not None and due < today:
        if roll < 0.78:  # done by its date
            return [
                Rating.BLUE if t.start_date >= due.replace(day=1) else Rating.GREEN for t in ended
            ]
        # Past its date and not done: slipping from Green to Amber, then Red.
        return [
            Rating.GREEN if t.end_date < due else (Rating.AMBER if roll < 0.9 else Rating.RED)
            for t in ended
        ]
    if roll < 0.2:
        return [Rating.GREY] * (len(ended) - 2) + [Rating.GREEN, Rating.AMBER][: len(ended)]
    return [Rating.GREEN] * len(ended)


def send_pip_seed(users: dict, rng: random.Random, today: date | None = None) -> int:
    """Create the SEND plan's demo periods, leads, updates and board; returns how many
    updates were made (none while the plan has no actions)."""
    actions = list(
        Action.objects.filter(plan__slug="send-pip", retired_at__isnull=True)
        .select_related("commitment")
        .order_by("position")
    )
    if not actions:
        return 0
    today = today or timezone.localdate()
    terms = months(today)
    ended = [t for t in terms if t.end_date < today]
    if ended and not Term.objects.filter(plan__slug="send-pip", is_published=True).exists():
        term_publish(ended[-1])
    _assign_leads(actions, users)
    _board(terms, users)
    leads = {u.pk: u for u in users.values()}
    lead_of = dict(
        Action.leads.through.objects.filter(action__in=actions).values_list("action_id", "user_id")
    )
    real = set(ProgressUpdate.objects.values_list("action_id", "term_id"))
    rows = []
    for action in actions:
        lead = leads.get(lead_of.get(action.pk), users["send"])
        for term, rating in zip(ended, _path(action, ended, today, rng.random()), strict=True):
            if rating is None or (action.pk, term.pk) in real:
                continue
            rows.append(
                demo_update(action, term, rating, UpdateStatus.APPROVED, lead, users["admin"], rng)
            )
    ProgressUpdate.objects.bulk_create(rows)
    return len(rows)


def _board(terms: list[Term], users: dict) -> None:
    """The SEND Improvement & Assurance Board, meeting on the 20th of each month."""
    board, _ = Board.objects.get_or_create(
        slug="siab",
        defaults={
            "plan": Plan.objects.get(slug="send-pip"),
            "name": "SEND Improvement & Assurance Board",
            "description": "Monitors the SEND Local Area Partnership Priority Impact Plan.",
        },
    )
    board.members.add(users["board"], users["admin"])
    for term in terms:
        board.meetings.get_or_create(date=term.start_date.replace(day=20))
