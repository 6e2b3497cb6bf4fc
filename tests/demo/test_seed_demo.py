import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from actions.models import Action, ProgressUpdate, Term, UpdateStatus
from actions.services import term_publish
from boards.models import Board
from demo.figures import MEASURES
from demo.seed import DEMO_PASSWORD, DEMO_USERS
from kpis.models import KPI, KPIValue

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_needs_the_plan_first():
    with pytest.raises(CommandError, match="Import it first"):
        seed()


def test_it_refuses_outside_development_mode(plan, settings):
    settings.DEV_MODE = False
    with pytest.raises(CommandError, match="only in development mode"):
        seed()
    assert not Term.objects.exists()


def test_it_makes_a_user_per_role_with_the_documented_password(plan):
    output = seed()
    for spec in DEMO_USERS:
        # django-axes, which counts failed sign-ins, needs the request sign-in comes with.
        request = RequestFactory().post("/login/")
        user = authenticate(request, username=spec.username, password=DEMO_PASSWORD)
        assert user is not None, spec.username
        assert user.groups.filter(name=spec.role).exists()
        assert spec.username in output
    assert DEMO_PASSWORD in output


def test_every_action_gets_a_lead_and_terms_cover_two_years_and_now(plan):
    seed()
    assert not Action.objects.filter(leads__isnull=True).exists()
    labels = [t.label for t in Term.objects.all()]
    assert labels[0] == "Autumn 2024" and labels[-1] == "Autumn 2026"
    assert Term.objects.filter(academic_year="2024/25", is_locked=True).count() == 3
    assert Board.objects.filter(slug="education-board").exists()


def test_past_terms_are_mostly_approved_with_some_gaps_and_a_few_reds(plan):
    seed()
    summer = Term.objects.get(academic_year="2025/26", season="summer")
    approved = ProgressUpdate.objects.filter(term=summer, status=UpdateStatus.APPROVED).count()
    reported = ProgressUpdate.objects.filter(term=summer).count()
    assert 50 <= approved < reported < 95  # some awaiting approval, some never reported
    assert ProgressUpdate.objects.filter(rating="red", status=UpdateStatus.APPROVED).exists()
    assert (
        ProgressUpdate.objects.filter(status=UpdateStatus.RETURNED)
        .exclude(return_reason="")
        .exists()
    )
    assert not ProgressUpdate.objects.filter(is_demo=False).exists()


def test_measures_get_the_published_figures_flagged_as_demo(plan):
    seed()
    measure = MEASURES[0]
    kpi = KPI.objects.get(action__code=measure.action_code, ref=measure.kpi_ref)
    assert kpi.unit == measure.unit
    assert kpi.data_source.startswith("Demo figures:")
    values = KPIValue.objects.filter(kpi=kpi, cohort__code="all")
    assert values.count() == len(measure.points)
    assert values.filter(is_demo=True).count() == values.count()
    statuses = set(KPIValue.objects.values_list("status", flat=True))
    assert {"green", "red"} <= statuses


def test_running_it_again_replaces_demo_rows_and_keeps_real_ones(plan):
    seed()
    counts = (ProgressUpdate.objects.count(), KPIValue.objects.count())
    real = ProgressUpdate.objects.filter(is_demo=True).first()
    real.is_demo = False
    real.progress = "Entered by a real lead"
    real.save()
    seed()
    assert (ProgressUpdate.objects.count(), KPIValue.objects.count()) == counts
    assert ProgressUpdate.objects.get(pk=real.pk).progress == "Entered by a real lead"


def test_scale_copies_the_plan_with_distinct_codes(plan):
    seed("--scale", "3")
    assert Action.objects.count() == 95 * 3
    assert KPI.objects.count() == 541 * 3
    assert Action.objects.filter(code="2.4(b)/3", commitment__number=2).exists()
    seed("--scale", "3")
    assert Action.objects.count() == 95 * 3


def test_scale_must_be_sensible(plan):
    with pytest.raises(CommandError, match="between 1 and 500"):
        seed("--scale", "0")


def test_the_board_looks_at_the_term_just_ended_and_a_reseed_keeps_the_admins_choice(plan):
    seed()
    assert [t.label for t in Term.objects.filter(is_published=True)] == ["Summer 2026"]
    chosen = Term.objects.get(academic_year="2025/26", season="spring")
    term_publish(chosen)
    seed()
    assert list(Term.objects.filter(is_published=True)) == [chosen]
