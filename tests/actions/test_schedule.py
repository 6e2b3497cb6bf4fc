"""The schedule rule: Done, Overdue, Due soon, On track, and its SQL form agreeing with it."""

from datetime import date, timedelta

import pytest

from actions.models import Action
from actions.schedule import Schedule, schedule_status, with_schedule
from tests.factories import ProgressUpdateFactory
from tests.pip import pip_action, pip_month

TODAY = date(2026, 6, 15)
WEEKS = 4

# (why, due date, latest approved rating, expected)
CASES = [
    ("no due date: no schedule status", None, "red", None),
    ("no due date and never rated", None, None, None),
    ("approved Blue before its date: done", TODAY + timedelta(days=90), "blue", Schedule.DONE),
    ("approved Blue after its date: still done", TODAY - timedelta(days=30), "blue", Schedule.DONE),
    ("past due, Green: overdue", TODAY - timedelta(days=1), "green", Schedule.OVERDUE),
    ("past due, never rated: overdue", TODAY - timedelta(days=200), None, Schedule.OVERDUE),
    ("past due, Grey: overdue", TODAY - timedelta(days=5), "grey", Schedule.OVERDUE),
    ("due today: due soon, not overdue", TODAY, "green", Schedule.DUE_SOON),
    ("due in exactly four weeks: due soon", TODAY + timedelta(weeks=4), "red", Schedule.DUE_SOON),
    ("due the day after the window: on track", TODAY + timedelta(days=29), None, Schedule.ON_TRACK),
    ("due in a year, Amber: on track", TODAY + timedelta(days=365), "amber", Schedule.ON_TRACK),
]


@pytest.mark.parametrize(("why", "due", "rating", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_rule(why, due, rating, expected):
    assert schedule_status(due, rating, TODAY, WEEKS) == expected


def test_a_wider_window_makes_a_later_date_due_soon():
    due = TODAY + timedelta(weeks=6)
    assert schedule_status(due, None, TODAY, 4) == Schedule.ON_TRACK
    assert schedule_status(due, None, TODAY, 6) == Schedule.DUE_SOON


def test_every_status_has_words_and_a_colour():
    for code, label in Schedule.CHOICES:
        assert label and Schedule.COLOURS[code]


@pytest.mark.django_db
def test_the_sql_form_agrees_with_the_rule_in_every_case():
    may, june = pip_month(2026, 5), pip_month(2026, 6)
    for number, (_why, due, rating, _) in enumerate(CASES):
        action = pip_action(f"9.{number}", due)
        if rating:
            # An older approved rating that the newest must override.
            ProgressUpdateFactory(
                action=action, term=may, rating="blue" if rating != "blue" else "red"
            )
            ProgressUpdateFactory(action=action, term=june, rating=rating)
    annotated = with_schedule(Action.objects.filter(plan__slug="send-pip"), TODAY, WEEKS)
    found = {a.code: a.schedule for a in annotated}
    assert found == {f"9.{n}": case[3] for n, case in enumerate(CASES)}


@pytest.mark.django_db
def test_only_approved_updates_count_as_done():
    june = pip_month(2026, 6)
    action = pip_action("9.1", TODAY - timedelta(days=3))
    ProgressUpdateFactory(action=action, term=june, rating="blue", status="submitted")
    annotated = with_schedule(Action.objects.filter(pk=action.pk), TODAY, WEEKS).get()
    assert annotated.schedule == Schedule.OVERDUE
