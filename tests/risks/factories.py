"""The risk register's test factory (beside its tests: tests/factories.py holds the
models of the apps below it)."""

from datetime import timedelta

import factory
from django.utils import timezone

from actions.models import Plan
from risks.models import Risk


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk
        skip_postgeneration_save = True

    plan = factory.LazyFunction(lambda: Plan.objects.get(slug="send-pip"))
    reference = factory.Sequence(lambda n: f"R{n + 1}")
    title = "EHC plans are not issued within 20 weeks"
    likelihood = 3
    impact = 3
    owner_description = "Head of SEND"
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
