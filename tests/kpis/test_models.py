from datetime import date

import pytest
from django.db import IntegrityError, transaction

from actions.models import Season
from kpis.models import Cohort, Comparator
from tests.factories import KPIFactory, KPIValueFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_migration_creates_the_councils_cohorts_and_comparators():
    assert {"all", "sen_support", "ehcp", "disadvantaged", "eal", "grt", "cwsw", "cla"} <= set(
        Cohort.objects.values_list("code", flat=True)
    )
    assert list(Comparator.objects.values_list("name", flat=True)) == [
        "England",
        "North West",
        "Greater Manchester",
        "Statistical neighbours",
    ]


def test_term_label_uses_the_calendar_year_of_its_season():
    assert TermFactory(academic_year="2025/26", season=Season.AUTUMN).label == "Autumn 2025"
    spring = TermFactory(
        academic_year="2025/26",
        season=Season.SPRING,
        start_date=date(2026, 1, 5),
        end_date=date(2026, 3, 27),
        due_date=date(2026, 3, 13),
    )
    assert spring.label == "Spring 2026"


def test_term_must_end_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        TermFactory(start_date=date(2025, 12, 1), end_date=date(2025, 9, 1))


def test_academic_year_must_look_like_2025_26():
    with pytest.raises(IntegrityError), transaction.atomic():
        TermFactory(academic_year="2025-26")


def test_one_term_per_year_and_season():
    TermFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TermFactory._meta.model.objects.create(
            academic_year="2025/26",
            season=Season.AUTUMN,
            start_date=date(2025, 9, 2),
            end_date=date(2025, 12, 20),
            due_date=date(2025, 12, 1),
        )


def test_kpi_refs_are_unique_within_an_action():
    kpi = KPIFactory(ref="i")
    with pytest.raises(IntegrityError), transaction.atomic():
        KPIFactory(action=kpi.action, ref="i")
    assert KPIFactory(action=kpi.action, ref="ii").pk


def test_a_target_not_agreed_cannot_hold_a_number():
    with pytest.raises(IntegrityError), transaction.atomic():
        KPIFactory(target_not_agreed=True, target_value=74)
    assert KPIFactory(target_not_agreed=False, target_value=74).pk


def test_new_kpis_have_no_agreed_target():
    kpi = KPIFactory()
    assert kpi.target_not_agreed is True
    assert kpi.target_value is None
    assert kpi.target_kind == "to_be_agreed"


def test_a_band_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        KPIFactory(target_not_agreed=False, target_value=10, target_upper_value=5)


def test_one_value_per_kpi_term_cohort_and_data_period():
    value = KPIValueFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        KPIValueFactory(kpi=value.kpi, term=value.term, data_period=value.data_period)
    other_period = KPIValueFactory(kpi=value.kpi, term=value.term, data_period="Autumn 2025")
    assert other_period.pk


def test_numerator_cannot_exceed_denominator():
    with pytest.raises(IntegrityError), transaction.atomic():
        KPIValueFactory(numerator=12, denominator=10, value=None)


def test_no_new_data_needs_a_reason():
    with pytest.raises(IntegrityError), transaction.atomic():
        KPIValueFactory(value=None, no_new_data=True, no_new_data_reason="")
    assert KPIValueFactory(value=None, no_new_data=True, no_new_data_reason="Annual data").pk
