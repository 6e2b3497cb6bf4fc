"""Test data factories, one per model, in one place."""

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from actions.models import Action, Commitment, Plan, ProgressUpdate, Season, Sector, Term
from boards.models import Board, Meeting
from kpis.models import KPI, Cohort, Comparator, ComparatorValue, KPIValue


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        django_get_or_create = ["plan", "number"]

    plan = factory.LazyFunction(lambda: Plan.objects.get(slug="eis"))
    number = factory.Sequence(lambda n: n % 5 + 1)
    title = factory.LazyAttribute(lambda c: f"COMMITMENT {c.number}")
    statement = "Every child and young person will thrive."


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["plan", "position"]

    plan = factory.LazyFunction(lambda: Plan.objects.get(slug="eis"))
    position = 1
    name = factory.LazyAttribute(lambda s: f"Sector {s.position}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    commitment = factory.SubFactory(CommitmentFactory, number=1)
    sector = factory.SubFactory(SectorFactory, position=1)
    plan = factory.LazyAttribute(lambda a: a.commitment.plan)
    code = factory.Sequence(lambda n: f"1.1({chr(97 + n % 26)}{'' if n < 26 else n // 26})")
    text = "Building a collective zero-tolerance culture towards discrimination."
    outcome = "Learners feel safe."
    position = factory.Sequence(int)


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI

    action = factory.SubFactory(ActionFactory)
    ref = "i"
    text = "% of learners agreeing 'I feel safe'"
    unit = "percent"
    polarity = "higher_better"


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ["plan", "academic_year", "season"]

    plan = factory.LazyFunction(lambda: Plan.objects.get(slug="eis"))
    academic_year = "2025/26"
    season = Season.AUTUMN
    start_date = date(2025, 9, 1)
    end_date = date(2025, 12, 19)
    due_date = date(2025, 12, 5)


class KPIValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPIValue

    kpi = factory.SubFactory(KPIFactory)
    term = factory.SubFactory(TermFactory)
    cohort = factory.LazyFunction(lambda: Cohort.objects.get(code="all"))
    data_period = "2024/25 academic year"
    value = 91


class ComparatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComparatorValue

    kpi_value = factory.SubFactory(KPIValueFactory)
    comparator = factory.LazyFunction(lambda: Comparator.objects.get(code="england"))
    value = 67.2
    period = "2022/23 academic year"


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    term = factory.SubFactory(TermFactory)
    rating = "green"
    status = "approved"
    progress = "On track."


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    plan = factory.LazyFunction(lambda: Plan.objects.get(slug="eis"))
    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    date = date(2026, 3, 17)
