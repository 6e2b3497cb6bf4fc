"""The risk model: its constraints, its score and the band rule at every boundary."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from risks.models import BAND_SCORES, Band, Risk, band, with_scores
from risks.services import risk_review
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (1, Band.LOW),
        (4, Band.LOW),
        (5, Band.MEDIUM),
        (9, Band.MEDIUM),
        (10, Band.HIGH),
        (14, Band.HIGH),
        (15, Band.VERY_HIGH),
        (25, Band.VERY_HIGH),
    ],
)
def test_the_band_rule_at_every_boundary(score, expected):
    assert band(score) == expected


@pytest.mark.parametrize("score", [0, 26])
def test_a_score_outside_1_to_25_has_no_band(score):
    with pytest.raises(ValueError, match="between 1 and 25"):
        band(score)


def test_every_possible_score_falls_in_exactly_one_band():
    scores = {likelihood * impact for likelihood in range(1, 6) for impact in range(1, 6)}
    for score in scores:
        assert sum(low <= score <= high for low, high in BAND_SCORES.values()) == 1


def test_the_database_scores_and_bands_as_the_model_does():
    for likelihood, impact in [(1, 4), (1, 5), (3, 3), (2, 5), (2, 2), (5, 3), (5, 5)]:
        RiskFactory(likelihood=likelihood, impact=impact)
    for risk in with_scores(Risk.objects.all()):
        assert risk.risk_score == risk.score == risk.likelihood * risk.impact
        assert risk.risk_band == risk.band.value


@pytest.mark.parametrize("field", ["likelihood", "impact"])
@pytest.mark.parametrize("value", [0, 6])
def test_the_database_refuses_a_level_outside_1_to_5(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskFactory(**{field: value})


def test_a_reference_is_unique_within_a_plan_only():
    from actions.models import Plan

    RiskFactory(reference="R1")
    RiskFactory(reference="R1", plan=Plan.objects.get(slug="eis"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskFactory(reference="R1")


def test_an_open_risk_past_its_review_date_is_overdue_and_a_closed_one_is_not():
    today = timezone.localdate()
    assert RiskFactory(review_date=today - timedelta(days=1)).is_review_overdue
    assert not RiskFactory(review_date=today).is_review_overdue
    closed = RiskFactory(review_date=today - timedelta(days=1), status="closed")
    assert not closed.is_review_overdue


def test_a_review_records_when_and_the_next_date_in_the_history():
    risk = RiskFactory(review_date=timezone.localdate() - timedelta(days=3))
    next_review = timezone.localdate() + timedelta(days=30)
    risk_review(risk=risk, next_review=next_review)
    risk.refresh_from_db()
    assert risk.review_date == next_review and risk.last_reviewed_at is not None
    assert risk.history.count() == 2
