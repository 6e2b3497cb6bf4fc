"""A pack made while demo data is in the database says so on every page and sheet of every
output; whether it does is decided when the pack is generated, and frozen with it."""

import copy
import io
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import ProgressUpdate
from boards import services
from boards.pack_workbook import pack_workbook
from boards.packs import DEMO_MARKING, is_demo
from boards.services import board_pack_pdf_request, board_pack_publish
from kpis.models import KPIValue
from kpis.standings import standings_refresh
from tests.conftest import generated_pack, run_tasks
from tests.factories import (
    ActionFactory,
    KPIFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "pack-print.css"


@pytest.fixture
def term():
    return TermFactory()


@pytest.fixture
def admin(db):
    return UserFactory(username="pack-admin", role="Admin")


def _plan(term, *, demo: bool):
    action = ActionFactory(code="1.1(a)")
    ProgressUpdateFactory(action=action, term=term, rating="red", is_demo=demo)
    kpi = KPIFactory(action=action)
    KPIValueFactory(kpi=kpi, term=term, value=None, numerator=3, denominator=40, is_demo=demo)
    standings_refresh()
    return MeetingFactory(date=date(2026, 3, 17))


@pytest.fixture
def demo_pack(term, admin):
    return generated_pack(meeting=_plan(term, demo=True), term=term, user=admin)


@pytest.fixture
def real_pack(term, admin):
    return generated_pack(meeting=_plan(term, demo=False), term=term, user=admin)


def text(response) -> str:
    return unescape(response.content.decode())


def pdf_html(monkeypatch, pack, *, public: bool) -> str:
    seen = []
    monkeypatch.setattr(services, "html_to_pdf", lambda html: seen.append(html) or b"%PDF-x")
    board_pack_pdf_request(pack=pack, public=public)
    run_tasks()
    return unescape(seen[-1])


def sheets(response) -> list:
    return load_workbook(io.BytesIO(response.content)).worksheets


def test_the_marking_is_frozen_when_the_pack_is_generated(demo_pack, term, admin):
    assert demo_pack.content["demo"] is True
    ProgressUpdate.objects.update(is_demo=False)
    KPIValue.objects.update(is_demo=False)
    demo_pack.refresh_from_db()
    assert is_demo(demo_pack.content)  # the pack still says what it held
    later = generated_pack(meeting=demo_pack.meeting, term=term, user=admin)
    assert later.content["demo"] is False and not is_demo(later.content)


def test_a_restricted_pack_says_so_on_its_page_pdf_and_every_sheet(
    client, admin, demo_pack, monkeypatch
):
    client.force_login(admin)
    assert DEMO_MARKING in text(client.get(reverse("boards:pack", args=[demo_pack.pk])))
    html = pdf_html(monkeypatch, demo_pack, public=False)
    assert f'<p class="eis-print-demo">{DEMO_MARKING}</p>' in html
    for sheet in sheets(client.get(reverse("boards:pack_xlsx", args=[demo_pack.pk]))):
        assert sheet["A1"].value == DEMO_MARKING, sheet.title
        assert sheet.freeze_panes == "A3"  # the marking stays in view with the header
        assert sheet.oddHeader.center.text == DEMO_MARKING  # and on every printed page


def test_a_public_pack_says_so_on_its_page_pdf_and_every_sheet_with_the_ratings_words(
    client, admin, demo_pack, monkeypatch
):
    pack = board_pack_publish(pack=demo_pack, user=admin)
    page = text(client.get(reverse("boards:public_pack", args=[pack.public_token])))
    assert DEMO_MARKING in page and ">Red</span>" in page and "[c]" in page
    html = pdf_html(monkeypatch, pack, public=True)
    assert f'<p class="eis-print-demo">{DEMO_MARKING}</p>' in html and ">Red</span>" in html
    response = client.get(reverse("boards:public_pack_xlsx", args=[pack.public_token]))
    for sheet in sheets(response):
        assert sheet["A1"].value == DEMO_MARKING, sheet.title
    summary = [c for row in sheets(response)[0].iter_rows(values_only=True) for c in row]
    assert "Red" in summary


def test_every_pdf_page_repeats_the_marking_in_its_top_margin():
    css = PRINT_CSS.read_text()
    page_rule = css[css.index("@page") : css.index("@bottom-right")]
    assert "element(demo)" in page_rule
    assert re.search(r"\.eis-print-demo \{[^}]*position: running\(demo\)", css)


def test_a_pack_without_demo_data_carries_no_marking(client, admin, real_pack, monkeypatch):
    client.force_login(admin)
    assert DEMO_MARKING not in text(client.get(reverse("boards:pack", args=[real_pack.pk])))
    assert "eis-print-demo" not in pdf_html(monkeypatch, real_pack, public=False)
    for sheet in sheets(client.get(reverse("boards:pack_xlsx", args=[real_pack.pk]))):
        assert sheet["A1"].value != DEMO_MARKING and sheet.freeze_panes == "A2"


def test_a_pack_frozen_before_the_flag_is_judged_by_its_own_figures(demo_pack):
    old = copy.deepcopy(demo_pack.content)
    del old["demo"]
    assert is_demo(old)
    for trend in old["actions"][0]["kpis"]:
        for point in trend["points"]:
            if point:
                point["is_demo"] = False
    assert not is_demo(old)
    old["actions"][0]["kpis"][0]["points"][-1]["is_demo"] = True
    assert load_workbook(io.BytesIO(pack_workbook(old, version=1)))["Cover"]["A1"].value == (
        DEMO_MARKING
    )


def test_the_live_dashboard_says_demo_data_in_development_mode(client, admin, settings):
    settings.DEV_MODE = True
    client.force_login(admin)
    page = text(client.get(reverse("home")))
    assert "the figures shown are demo data, not the council's" in re.sub(r"<[^>]+>", "", page)
