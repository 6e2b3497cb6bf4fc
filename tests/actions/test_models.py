import pytest
from django.db import IntegrityError, transaction

from actions.models import RATING_MEANINGS, Action, ProgressUpdate, Rating
from tests.factories import ActionFactory, ProgressUpdateFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_rating_scale_is_the_councils_five_words_with_meanings():
    assert Rating.labels == ["Blue", "Green", "Amber", "Red", "Grey"]
    assert RATING_MEANINGS[Rating.BLUE][0] == "Action completed"
    assert RATING_MEANINGS[Rating.GREY][1] == "Too early to measure impact"
    assert set(RATING_MEANINGS) == set(Rating.values)


def test_action_codes_are_unique():
    ActionFactory(code="1.1(a)")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(code="1.1(a)")


def test_one_update_per_action_and_term():
    update = ProgressUpdateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(action=update.action, term=update.term)


def test_a_returned_update_must_say_why():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(status="returned", return_reason="")
    assert ProgressUpdateFactory(status="returned", return_reason="Add figures").pk


def test_a_submitted_update_must_have_a_rating():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(status="submitted", rating="")
    assert ProgressUpdateFactory(status="draft", rating="").pk


def test_a_rating_off_the_scale_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(rating="purple")


def test_retired_action_says_so():
    from django.utils import timezone

    action = ActionFactory(retired_at=timezone.now())
    assert action.is_retired
    assert not ActionFactory().is_retired


def test_update_str_names_action_and_term():
    update = ProgressUpdateFactory(action=ActionFactory(code="2.4(b)"), term=TermFactory())
    assert str(update) == "2.4(b) – Autumn 2025"
    assert Action.objects.count() == 1
    assert ProgressUpdate.objects.get().version == 1
