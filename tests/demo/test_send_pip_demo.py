"""The SEND plan's demo data: months around today, leads, monthly updates and its board."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action, ProgressUpdate, Term, UpdateStatus
from actions.schedule import Schedule, with_schedule
from boards.models import Board
from tests.pip import pip_action, pip_areas

pytestmark = pytest.mark.django_db


@pytest.fixture
def pip_actions():
    """Twenty SEND plan actions, due from five months ago to a year ahead."""
    today = timezone.localdate()
    areas = pip_areas()
    return [
        pip_action(
            f"{n % 2 + 1}.1{chr(97 + n)}", today + timedelta(days=30 * n - 150), areas[n % 2]
        )
        for n in range(20)
    ]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_without_the_plans_actions_nothing_is_made_for_it(plan):
    seed()
    assert not Term.objects.filter(plan__slug="send-pip").exists()
    assert not Board.objects.filter(slug="siab").exists()


def test_monthly_periods_from_six_months_back_to_next_month(pip_actions):
    seed()
    today = timezone.localdate()
    months = list(Term.objects.filter(plan__slug="send-pip").order_by("start_date"))
    assert len(months) == 8
    assert months[-2].name == f"{today:%B %Y}"
    assert all(m.due_date.day == 7 and m.due_date > m.end_date for m in months)
    assert [m.is_locked for m in months] == [True] * 4 + [False] * 4
    published = Term.objects.get(plan__slug="send-pip", is_published=True)
    assert published == months[-3]  # last month, the latest that has ended


def test_demo_users_lead_every_action_and_the_officer_leads_some(pip_actions):
    seed()
    assert not Action.objects.filter(plan__slug="send-pip", leads__isnull=True).exists()
    assert Action.objects.filter(plan__slug="send-pip", leads__username="officer").count() >= 3


def test_past_months_are_approved_demo_updates_mostly_blue_when_due_early(pip_actions):
    output = seed()
    today = timezone.localdate()
    updates = ProgressUpdate.objects.filter(action__plan__slug="send-pip")
    assert updates.exists() and not updates.exclude(is_demo=True).exists()
    assert not updates.exclude(status=UpdateStatus.APPROVED).exists()
    assert not updates.filter(term__end_date__gte=today).exists()
    assert f"{updates.count()} SEND plan updates" in output
    actions = with_schedule(Action.objects.filter(plan__slug="send-pip"), today, 4)
    found = [a.schedule for a in actions]
    assert found.count(Schedule.DONE) > found.count(Schedule.OVERDUE) >= 1
    late = updates.filter(
        action__due_date__lt=today,
        rating__in=["amber", "red"],
        term__end_date__gt=today.replace(day=1) - timedelta(days=40),
    )
    assert all(u.next_steps for u in late)


def test_the_siab_board_meets_monthly_with_the_board_user(pip_actions):
    seed()
    board = Board.objects.get(slug="siab")
    assert board.plan.slug == "send-pip"
    assert board.name == "SEND Improvement & Assurance Board"
    assert board.members.filter(username="board").exists()
    assert board.meetings.count() == 8


def test_a_second_run_replaces_the_demo_updates(pip_actions):
    seed()
    first = ProgressUpdate.objects.filter(action__plan__slug="send-pip").count()
    seed()
    assert ProgressUpdate.objects.filter(action__plan__slug="send-pip").count() == first
    assert Term.objects.filter(plan__slug="send-pip").count() == 8
