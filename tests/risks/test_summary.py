"""The risk summary: on the dashboards and frozen in board packs (page, public copy, Excel)."""

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Plan
from boards.pack_workbook import pack_workbook
from boards.suppression import public_content
from risks.demo import seed_risks
from risks.models import Risk
from risks.selectors import risk_summary
from tests.conftest import generated_pack
from tests.factories import (
    ActionFactory,
    BoardFactory,
    CommitmentFactory,
    MeetingFactory,
    TermFactory,
    UserFactory,
)
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pip():
    return Plan.objects.get(slug="send-pip")


@pytest.fixture
def areas(pip):
    return [CommitmentFactory(plan=pip, number=n, code="", title=f"AREA {n}") for n in (3, 6)]


@pytest.fixture
def register(areas):
    """Seven risks: five open across the bands (one overdue, one owned by a named person),
    one closed and overdue, one on another area's action."""
    today = timezone.localdate()
    owner = UserFactory(username="named", first_name="Nadia", last_name="Khan")
    waiting, ehcp = areas
    rows = [
        ("R1", 5, 5, waiting, today - timedelta(days=3), "open"),
        ("R2", 4, 3, waiting, today + timedelta(days=5), "open"),
        ("R3", 2, 5, ehcp, today + timedelta(days=5), "open"),
        ("R4", 3, 2, waiting, today + timedelta(days=5), "open"),
        ("R5", 1, 1, waiting, today + timedelta(days=5), "open"),
        ("R6", 5, 4, waiting, today - timedelta(days=9), "closed"),
    ]
    for reference, likelihood, impact, area, review, status in rows:
        risk = RiskFactory(
            reference=reference,
            likelihood=likelihood,
            impact=impact,
            review_date=review,
            status=status,
            owner=owner,
            owner_description="Head of SEND",
        )
        risk.areas.add(area)
    on_action = RiskFactory(reference="R7", likelihood=2, impact=2)
    on_action.actions.add(ActionFactory(commitment=ehcp, code="6.2a"))


def test_the_summary_counts_open_risks_by_band_and_overdue_reviews(pip, register):
    summary = risk_summary(pip)
    assert {b["label"]: b["n"] for b in summary["bands"]} == {
        "Very high": 1,
        "High": 2,
        "Medium": 1,
        "Low": 2,
    }
    assert (summary["recorded"], summary["open"], summary["overdue"]) == (7, 6, 1)
    assert [r["reference"] for r in summary["top"]] == ["R1", "R2", "R3", "R4", "R7"]
    assert summary["top"][0]["review_overdue"] and not summary["top"][1]["review_overdue"]
    json.dumps(summary)  # frozen into packs as JSON


def test_the_summary_names_owners_by_role_only(pip, register):
    summary = json.dumps(risk_summary(pip))
    assert "Head of SEND" in summary and "Nadia" not in summary and "Khan" not in summary


def test_within_a_remit_it_counts_risks_on_its_areas_and_their_actions(pip, areas, register):
    summary = risk_summary(pip, {areas[1].pk})
    assert [r["reference"] for r in summary["top"]] == ["R3", "R7"]
    assert summary["overdue"] == 0


def test_the_dashboard_shows_the_summary_linked_to_the_register(board_client, register):
    page = board_client.get("/?plan=send-pip").content.decode()
    assert "Highest-scoring open risks" in page and "1 review overdue" in page
    assert 'href="/plans/send-pip/risks/?overdue=yes"' in page
    assert 'href="/plans/send-pip/risks/"' in page


def test_a_plan_with_no_risks_shows_no_summary(board_client):
    assert "Highest-scoring open risks" not in board_client.get("/").content.decode()


@pytest.fixture
def pack(pip, areas, register):
    term = TermFactory(plan=pip, name="October 2024", academic_year="", season="")
    board = BoardFactory(plan=pip, slug="siab")
    board.commitments.add(areas[0])
    admin = UserFactory(username="pack-admin", role="Admin")
    return generated_pack(meeting=MeetingFactory(board=board), term=term, user=admin)


def test_a_board_pack_freezes_its_remits_risk_summary(client, pack):
    references = [r["reference"] for r in pack.content["risks"]["top"]]
    assert references == ["R1", "R2", "R4", "R5"]
    Risk.objects.filter(reference="R1").update(likelihood=1)
    pack.refresh_from_db()
    assert pack.content["risks"]["top"][0]["score"] == 25
    client.force_login(UserFactory(username="reader", role="Admin"))
    page = client.get(f"/packs/{pack.pk}/").content.decode()
    assert "Highest-scoring open risks" in page and "1 review overdue" in page


def test_the_public_copy_keeps_the_summary_without_names(pack):
    public = public_content(pack.content, 10)
    assert public["risks"] == pack.content["risks"]
    assert "Nadia" not in json.dumps(public)


def test_the_pack_workbook_has_a_risks_sheet_with_numbers_as_numbers(pack):
    sheet = load_workbook(io.BytesIO(pack_workbook(pack.content, version=1)))["Risks"]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["Very high", 1] in rows and ["Reviews overdue", 1] in rows
    top = next(row for row in rows if row and row[0] == "R1")
    assert top[2:5] == [5, 5, 25] and top[5:7] == ["Very high", "Head of SEND"]
    assert top[7].date() == timezone.localdate() - timedelta(days=3)


def test_a_pack_frozen_before_risks_has_no_risks_sheet(pack):
    content = dict(pack.content)
    del content["risks"]
    assert "Risks" not in load_workbook(io.BytesIO(pack_workbook(content, version=1))).sheetnames


def test_demo_risks_need_the_plans_areas(pip):
    assert seed_risks() == 0 and not Risk.objects.exists()


def test_demo_risks_are_made_once_and_some_are_overdue(pip):
    for number in range(1, 10):
        CommitmentFactory(plan=pip, number=number, code="", title=f"AREA {number}")
    ActionFactory(commitment=pip.commitments.get(number=6), code="6.2a")
    assert seed_risks() == 8
    assert seed_risks() == 8 and Risk.objects.count() == 8
    summary = risk_summary(pip)
    assert summary["overdue"] >= 2 and summary["bands"][0]["n"] >= 1
    assert Risk.objects.get(reference="R2").actions.get().code == "6.2a"
