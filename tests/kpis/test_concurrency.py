"""Two people saving the same update at once, each on their own database connection."""

import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, connections

from actions.models import ProgressUpdate
from kpis.models import KPIValue
from kpis.updates import KPIEntry, UpdateConflict, progress_update_save
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_of_two_simultaneous_saves_one_wins_and_the_other_is_told(led_action, open_term, lead):
    first = progress_update_save(
        action=led_action, term=open_term, user=lead, narrative={}, entries=[], version=0
    )
    other = UserFactory(role="Admin")
    gld = led_action.kpis.get(ref="i")
    barrier, outcomes = threading.Barrier(2), {}

    def save(user, value: str) -> None:
        try:
            barrier.wait()
            progress_update_save(
                action=led_action,
                term=open_term,
                user=user,
                narrative={"progress": value},
                entries=[KPIEntry(kpi=gld, value=Decimal(value), data_period="2025/26")],
                version=first.version,
            )
            outcomes[value] = "saved"
        except UpdateConflict:
            outcomes[value] = "refused"
        except OperationalError:  # SQLite's one writer at a time: locked out, not lost
            outcomes[value] = "locked"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=args) for args in ((lead, "71"), (other, "72"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    loser = "refused" if connection.vendor == "postgresql" else "locked"
    assert sorted(outcomes.values()) == sorted([loser, "saved"])
    winner = next(value for value, outcome in outcomes.items() if outcome == "saved")
    update = ProgressUpdate.objects.get()
    assert (update.progress, update.version) == (winner, first.version + 1)
    assert KPIValue.objects.get().value == Decimal(winner)
