import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import UserFactory

PLAN_WORKBOOK = Path(__file__).resolve().parents[1] / "fixtures" / "delivery_plan.xlsx"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-user", role="Admin", is_staff=True)


@pytest.fixture
def officer(db):
    return UserFactory(username="officer-user", role="Officer")


@pytest.fixture
def board_member(db):
    return UserFactory(username="board-user", role="Board member")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def board_client(client, board_member):
    client.force_login(board_member)
    return client


@pytest.fixture
def plan(db):
    """The real delivery plan, imported from the committed workbook."""
    call_command("import_plan", str(PLAN_WORKBOOK), stdout=io.StringIO())
