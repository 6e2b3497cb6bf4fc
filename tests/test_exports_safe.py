"""Every download a spreadsheet may open is safe to open: no cell can run as a formula.

Text that begins with =, +, -, @, a tab or a carriage return is what Excel and
LibreOffice treat as a formula (CSV/formula injection). Such text is typed into every
field an export shows, then every download is opened and every cell checked.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from boards.services import board_pack_publish
from bury_eis.exports import FORMULA_STARTS, neutralise
from kpis.models import Cohort
from tests.conftest import PREPARED, generated_pack
from tests.conftest import fetch_download as fetch
from tests.factories import (
    ActionFactory,
    BoardFactory,
    KPIFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
# The plan-and-figures workbooks are prepared by the worker: asked for, built, downloaded.
PAYLOADS = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1+cmd",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def hostile_plan(open_term):
    """An action, measure, narrative and board whose words are all would-be formulas."""
    admin = UserFactory(username="council-admin", role="Admin", is_staff=True)
    board = BoardFactory(name="=Board", slug="education-board")
    for index, payload in enumerate(PAYLOADS):
        action = ActionFactory(
            code=f"1.1({chr(97 + index)})",
            text=payload,
            outcome=payload,
            lead_description=payload,
        )
        kpi = KPIFactory(action=action, text=payload, data_source=payload, baseline_period=payload)
        KPIValueFactory(kpi=kpi, term=open_term, data_period=payload, note=payload)
        ProgressUpdateFactory(
            action=action,
            term=open_term,
            rating="red",
            progress=payload,
            next_steps=payload,
            risks=payload,
            evidence_of_impact=payload,
        )
    Cohort.objects.filter(code="ehcp").update(name="=EHCP")
    pack = generated_pack(
        meeting=MeetingFactory(board=board, title="=Meeting"), term=open_term, user=admin
    )
    board_pack_publish(pack=pack, user=admin)
    return {"admin": admin, "pack": pack, "board": board}


def cells(response) -> list[object]:
    """Every cell of a CSV or XLSX download; a formula cell is returned as ("FORMULA", text)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        text = content.decode("utf-8-sig")
        return [value for row in csv.reader(io.StringIO(text, newline="")) for value in row]
    book = load_workbook(io.BytesIO(content))
    return [
        ("FORMULA", cell.value) if cell.data_type == "f" else cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def assert_safe(response, *, expect_payloads: bool = True) -> None:
    assert response.status_code == 200
    values = cells(response)
    formulas = [v for v in values if isinstance(v, tuple)]
    assert formulas == []
    unsafe = [v for v in values if isinstance(v, str) and v.startswith(FORMULA_STARTS)]
    assert unsafe == []
    if expect_payloads:
        shown = {v for v in values if isinstance(v, str)}
        assert any(neutralise(p) in shown for p in PAYLOADS), "the hostile text was not exported"


def downloads(hostile_plan) -> dict[str, tuple[str, dict]]:
    pack, board = hostile_plan["pack"], hostile_plan["board"]
    return {
        "action list CSV": (reverse("actions:list"), {"export": "csv"}),
        "action list Excel": (reverse("actions:list"), {"export": "xlsx"}),
        "KPI list CSV": (reverse("kpis:kpi_list"), {"export": "csv"}),
        "KPI list Excel": (reverse("kpis:kpi_list"), {"export": "xlsx"}),
        "board pack Excel": (reverse("boards:pack_xlsx", args=[pack.pk]), {}),
        "public board pack Excel": (
            reverse("boards:public_pack_xlsx", args=[pack.public_token]),
            {},
        ),
        "plan with figures Excel": (PREPARED, {"plan": "eis"}),
        "board remit Excel": (PREPARED, {"board": board.slug}),
    }


def test_every_download_neutralises_would_be_formulas(client, hostile_plan):
    client.force_login(hostile_plan["admin"])
    for name, (url, query) in downloads(hostile_plan).items():
        try:
            assert_safe(fetch(client, url, query))
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None


def test_the_plan_import_template_has_no_formulas(client, hostile_plan):
    client.force_login(hostile_plan["admin"])
    response = client.get(reverse("spreadsheets:plan_import_template"))
    assert_safe(response, expect_payloads=False)


def test_the_feed_csv_neutralises_would_be_formulas(client, hostile_plan):
    from boards.feed_tokens import feed_token_issue

    _, raw = feed_token_issue(
        user=hostile_plan["admin"], name="Power BI", kind="user", created_by=hostile_plan["admin"]
    )
    response = client.get(
        reverse("boards:feed_csv", args=["actions"]), HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert_safe(response)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_prefixes_each_formula_start_and_leaves_numbers(payload):
    assert neutralise(payload) == "'" + payload
    assert neutralise(-2) == -2
    assert neutralise("Plain words") == "Plain words"
