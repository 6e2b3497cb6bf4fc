"""Every Excel download holds figures as numbers and dates as dates, each with a number
format, and codes as text formatted as text (bury_eis.exports.format_sheet).

Each download is built through its view from the real plans with figures recorded, opened
with openpyxl and every cell of every sheet walked: a figure or date written as text
("38.7", "38.7%", "2026-03-20", "20 Mar 2026"), or a number left in Excel's General
format, is a failure.
"""

import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from actions.models import Action, Plan
from boards.services import board_pack_publish
from bury_eis.exports import DATE_FORMAT, DATETIME_FORMAT, number_format
from kpis.models import KPI, Cohort, Comparator, ComparatorValue
from tests.conftest import PREPARED, generated_pack
from tests.conftest import fetch_download as fetch
from tests.factories import (
    ActionFactory,
    BoardFactory,
    KPIFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db
# The plan-and-figures workbooks are prepared by the worker: asked for, built, downloaded.
SEND_PIP = "fixtures/send_pip.xlsx"

# Text a spreadsheet would read as a figure: 38.7, -2, 1,250, 38.7%, £12,000.
FIGURE_TEXT = re.compile(r"^[-+]?£?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?$")
# Text a spreadsheet would read as a date: 2026-03-20 (with a time or not), 20 Mar 2026.
DATE_TEXT = re.compile(r"^(\d{4}-\d{2}-\d{2}([ T].*)?|\d{1,2} [A-Z][a-z]{2,8} \d{4})$")
# Columns of names, codes and periods: the only place text may look like a figure.
IDENTIFIERS = {"Code", "Action code", "Action", "KPI ref", "KPI", "Ref", "Term", "Period"}


@pytest.fixture
def recorded(plan, open_term):
    """The real strategy and SEND plan, with figures, ratings, a board and risks recorded:
    a percentage (38.7 with its numerator and denominator), a count in the thousands, a
    group's figure, a comparator, a period that is a bare year, and codes that Excel would
    make numbers of ("1.10", KPI ref "10")."""
    call_command("import_plan", SEND_PIP, "--plan", "send-pip", stdout=io.StringIO())
    admin = UserFactory(username="typed-admin", role="Admin", is_staff=True)
    percent = KPI.objects.filter(action__plan__slug="eis", unit="percent").first()
    ProgressUpdateFactory(action=percent.action, term=open_term, rating="red", next_steps="Bid")
    figure = KPIValueFactory(
        kpi=percent,
        term=open_term,
        value=Decimal("38.7"),
        numerator=387,
        denominator=1000,
        cohort_size=1000,
        data_period="2025",
    )
    ComparatorValue.objects.create(
        kpi_value=figure,
        comparator=Comparator.objects.get(code="england"),
        value=Decimal("41.25"),
        period="2024",
    )
    KPIValueFactory(
        kpi=percent,
        term=open_term,
        cohort=Cohort.objects.get(code="disadvantaged"),
        value=Decimal("30"),
        data_period="2025",
    )
    action = ActionFactory(code="1.10", text="Tenth action of the first commitment")
    ProgressUpdateFactory(action=action, term=open_term, rating="amber", next_steps="More")
    count = KPIFactory(action=action, ref="10", text="Families engaged", unit="count")
    KPIValueFactory(kpi=count, term=open_term, value=Decimal("1250"), data_period="2025/26")
    board = BoardFactory(slug="education-board")
    pack = generated_pack(
        meeting=MeetingFactory(board=board, date=date(2026, 3, 20)), term=open_term, user=admin
    )
    board_pack_publish(pack=pack, user=admin)
    return {"admin": admin, "pack": pack, "board": board, "risk_pack": _risk_pack(admin)}


def _risk_pack(admin):
    """A SEND plan pack whose remit has open risks, so its workbook has a Risks sheet."""
    pip = Plan.objects.get(slug="send-pip")
    area = Action.objects.filter(plan=pip).first().commitment
    today = timezone.localdate()
    for reference, likelihood, days in (("R1", 5, -3), ("R2", 3, 10)):
        risk = RiskFactory(
            reference=reference,
            likelihood=likelihood,
            impact=4,
            review_date=today + timedelta(days=days),
        )
        risk.areas.add(area)
    board = BoardFactory(plan=pip, slug="send-board")
    board.commitments.add(area)
    term = TermFactory(plan=pip, name="October 2024", academic_year="", season="")
    return generated_pack(meeting=MeetingFactory(board=board), term=term, user=admin)


def downloads(recorded) -> dict[str, tuple[str, dict]]:
    pack, risk_pack = recorded["pack"], recorded["risk_pack"]
    return {
        "action list": (reverse("actions:list"), {"export": "xlsx"}),
        "SEND action list (due dates)": (
            reverse("actions:list"),
            {"export": "xlsx", "plan": "send-pip"},
        ),
        "KPI list": (reverse("kpis:kpi_list"), {"export": "xlsx"}),
        "SEND KPI list": (reverse("kpis:kpi_list"), {"export": "xlsx", "plan": "send-pip"}),
        "plan with figures": (PREPARED, {"plan": "eis"}),
        "SEND plan with figures": (PREPARED, {"plan": "send-pip"}),
        "board remit": (PREPARED, {"board": recorded["board"].slug}),
        "board pack": (reverse("boards:pack_xlsx", args=[pack.pk]), {}),
        "public board pack": (reverse("boards:public_pack_xlsx", args=[pack.public_token]), {}),
        "SEND board pack (risks)": (reverse("boards:pack_xlsx", args=[risk_pack.pk]), {}),
        "plan import template": (reverse("spreadsheets:plan_import_template"), {}),
    }


def header_of(sheet: Worksheet, column: int) -> object:
    """A column's header: the row the panes are frozen below (a banner may sit above it)."""
    row = int(re.sub(r"\D", "", sheet.freeze_panes or "A2")) - 1
    return sheet.cell(row=max(row, 1), column=column).value


def untyped_cells(sheet: Worksheet) -> list[str]:
    """Every cell of `sheet` holding a figure or date as text, or a number or date without
    a number format that says how to show it."""
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            value, shown = cell.value, cell.number_format
            where = f"{sheet.title}!{cell.coordinate} {value!r} ({shown})"
            header = header_of(sheet, cell.column)
            if isinstance(value, str) and FIGURE_TEXT.match(value):
                identifier = header in IDENTIFIERS or str(header).endswith(" period")
                if not (identifier and shown == "@"):
                    found.append(f"{where}: a figure as text")
            elif isinstance(value, str) and DATE_TEXT.match(value):
                found.append(f"{where}: a date as text")
            elif isinstance(value, datetime):
                if not (cell.is_date and "yyyy" in shown):
                    found.append(f"{where}: a date without a date format")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                found += [f"{where}: a number in General format"] if shown == "General" else []
    return found


def test_every_excel_download_holds_numbers_and_dates_typed(client, recorded):
    client.force_login(recorded["admin"])
    checked = {}
    for name, (url, query) in downloads(recorded).items():
        response = fetch(client, url, query)
        assert response.status_code == 200, name
        book = load_workbook(io.BytesIO(response.content))
        untyped = [problem for sheet in book.worksheets for problem in untyped_cells(sheet)]
        assert untyped == [], f"{name}: {untyped[:10]}"
        checked[name] = book
    # The walk met what it is there to check: figures, dates and codes that look like figures.
    kpis = checked["KPI list"].active
    cells = [c for row in kpis.iter_rows() for c in row]
    assert any(c.value == 38.7 and c.number_format == "#,##0.0" for c in cells)
    assert any(c.value == "1.10" and c.number_format == "@" for c in cells)
    due = checked["SEND action list (due dates)"].active
    assert any(isinstance(c.value, datetime) for row in due.iter_rows() for c in row)
    risks = checked["SEND board pack (risks)"]["Risks"]
    assert any(isinstance(c.value, datetime) for row in risks.iter_rows() for c in row)


def test_the_pack_figures_give_their_unit_beside_the_number(client, recorded):
    client.force_login(recorded["admin"])
    response = client.get(reverse("boards:pack_xlsx", args=[recorded["pack"].pk]))
    header, *rows = load_workbook(io.BytesIO(response.content))["KPI figures"].iter_rows(
        values_only=True
    )
    col = {name: i for i, name in enumerate(header)}
    figure = next(r for r in rows if r[col["Value"]] == 38.7)
    assert figure[col["Unit"]] == "Percentage" and figure[col["Numerator"]] == 387
    assert figure[col["Period"]] == "2025"


def test_the_pack_cover_says_what_each_row_is(client, recorded):
    pack = recorded["pack"]
    client.force_login(recorded["admin"])
    for url, marking in (
        (reverse("boards:pack_xlsx", args=[pack.pk]), "Restricted: not for publication"),
        (reverse("boards:public_pack_xlsx", args=[pack.public_token]), "Public"),
    ):
        cover = load_workbook(io.BytesIO(client.get(url).content))["Cover"]
        cells = {row[0].value: row[1] for row in cover.iter_rows() if len(row) > 1}
        assert cells["Version"].value == pack.version and cells["Version"].number_format == (
            "#,##0"
        )
        assert cells["Marking"].value == marking
        assert cells["Meeting"].value == datetime(2026, 3, 20)
        assert cells["Meeting"].number_format == DATE_FORMAT
        assert cells["Generated"].number_format == DATETIME_FORMAT


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (74, "#,##0"),
        (1250, "#,##0"),
        (38.7, "#,##0.0"),
        (6.25, "#,##0.00"),
        (65.0, "#,##0"),
        (Decimal("74.0000"), "#,##0"),
        (Decimal("41.2500"), "#,##0.00"),
        (1 / 3, "#,##0.0000"),
        (date(2026, 3, 20), DATE_FORMAT),
        (datetime(2026, 3, 20, 9, 30), DATETIME_FORMAT),
        ("1.10", None),
        (None, None),
        (True, None),
    ],
)
def test_a_cell_is_formatted_by_its_value(value, shown):
    assert number_format(value) == shown
