"""Packs fit for a meeting: a summary first, rating tags a black-and-white print can read,
whole action titles, comparators with their periods, and a workbook of real numbers and dates."""

import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from openpyxl import load_workbook

from boards import services
from boards.services import board_pack_pdf_request, board_pack_publish
from kpis.models import Comparator, ComparatorValue
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

# Long enough that the old 140-character cut fell mid-word ("… to suppo…").
LONG_TITLE = (
    "Maximising funding opportunities from government, developer contributions and "
    "strategic partnerships to support the sustainability of settings across every "
    "neighbourhood of the borough, including the expansion of specialist places"
)
PRINT_CSS = Path(settings.BASE_DIR) / "static" / "css" / "pack-print.css"


@pytest.fixture
def terms():
    spring = TermFactory(
        academic_year="2025/26",
        season="spring",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 3, 27),
        due_date=date(2026, 3, 13),
    )
    summer = TermFactory(
        academic_year="2025/26",
        season="summer",
        start_date=date(2026, 4, 13),
        end_date=date(2026, 7, 22),
        due_date=date(2026, 7, 8),
    )
    return spring, summer


@pytest.fixture
def meeting(terms):
    spring, summer = terms
    red = ActionFactory(code="5.1(c)", text=LONG_TITLE)
    ProgressUpdateFactory(action=red, term=spring, rating="amber")
    ProgressUpdateFactory(
        action=red, term=summer, rating="red", next_steps="Bid to the DfE capital fund"
    )
    amber = ActionFactory(code="2.2(b)", text="Supporting digital safety")
    ProgressUpdateFactory(action=amber, term=summer, rating="amber", next_steps="Extra sessions")
    green = ActionFactory(code="1.1(a)", text="Building a culture")
    ProgressUpdateFactory(action=green, term=summer, rating="green")
    gld = KPIFactory(action=red, ref="i", text="% achieving a good level of development")
    older = KPIValueFactory(kpi=gld, term=spring, value=64.1, data_period="2022/23")
    england = Comparator.objects.get(code="england")
    ComparatorValue.objects.create(
        kpi_value=older, comparator=england, value=67.2, period="2022/23"
    )
    KPIValueFactory(kpi=gld, term=summer, value=65.7, data_period="2023/24")
    standings_refresh()  # as every service that writes does; factories go round them
    return MeetingFactory(date=date(2026, 7, 14))


@pytest.fixture
def admin(db):
    return UserFactory(username="pack-admin", role="Admin")


@pytest.fixture
def pack(meeting, terms, admin):
    return generated_pack(meeting=meeting, term=terms[1], user=admin)


def page_of(client, user, pack) -> str:
    client.force_login(user)
    return client.get(reverse("boards:pack", args=[pack.pk])).content.decode()


def pdf_html(monkeypatch, pack, *, public: bool = False) -> str:
    """The HTML the worker hands WeasyPrint for the pack's PDF."""
    seen = []
    monkeypatch.setattr(services, "html_to_pdf", lambda html: seen.append(html) or b"%PDF-x")
    board_pack_pdf_request(pack=pack, public=public)
    run_tasks()
    return seen[-1]


def workbook(client, user, pack):
    client.force_login(user)
    response = client.get(reverse("boards:pack_xlsx", args=[pack.pk]))
    return load_workbook(io.BytesIO(response.content))


def test_the_pack_opens_with_its_summary(client, admin, pack):
    page = page_of(client, admin, pack)
    summary = page[page.index('id="pack-summary"') :]
    assert page.index('id="pack-summary"') < page.index('id="summary"')  # before the dashboard
    assert (
        "3 of 3 actions approved for Summer 2026 · 0 no update: "
        "0 awaiting approval, 0 not submitted" in page
    )
    assert "Movement since Spring 2026" in summary
    assert "Red and Amber actions (2)" in summary
    first_rows = summary[: summary.index("</table>", summary.index("eis-summary-exceptions"))]
    assert "Bid to the DfE capital fund" in first_rows and "Extra sessions" in first_rows
    assert first_rows.index("5.1(c)") < first_rows.index("2.2(b)")  # Red first


def test_the_summary_counts_each_rating_and_the_movement(client, admin, pack):
    page = page_of(client, admin, pack)
    summary = page[page.index('id="pack-summary"') : page.index("Red and Amber actions (2)")]
    cells = re.findall(r'<td class="govuk-table__cell">(\d+)</td>', summary)
    # Red, Amber, Green, Blue, Grey, no update, all; then Improved, Same, Worse, New; KPIs.
    assert cells[:7] == ["1", "1", "1", "0", "0", "0", "3"]
    assert cells[7:11] == ["0", "0", "1", "2"]  # 5.1(c) went from Amber to Red


def test_the_workbook_starts_with_the_same_summary(client, admin, pack):
    sheet = workbook(client, admin, pack).worksheets[0]
    # openpyxl pads every row to the widest one; the padding is not in the file.
    rows = [[c for c in r if c is not None] for r in sheet.iter_rows(values_only=True)]
    assert sheet.title == "Summary"
    assert ["Completeness", pack.content["dashboard"]["completeness"]["sentence"]] in rows
    assert ["Red", 1] in rows and ["Worse", 1] in rows
    assert [f"5.1(c) {LONG_TITLE}", "Red", "Bid to the DfE capital fund"] in rows


def test_action_titles_are_whole_in_every_part_of_every_output(client, admin, pack, monkeypatch):
    page = page_of(client, admin, pack)
    assert page.count(LONG_TITLE) == 4  # summary, dashboard, narratives, action page
    assert "…" not in page
    assert pdf_html(monkeypatch, pack).count(LONG_TITLE) == 4
    book = workbook(client, admin, pack)
    assert book["Actions"]["B2"].value in {LONG_TITLE, "Supporting digital safety"}
    texts = [c for s in book for row in s.iter_rows(values_only=True) for c in row]
    assert sum(LONG_TITLE in str(c) for c in texts) == 3  # summary, exceptions, actions


def test_the_live_dashboard_shortens_titles_at_a_word_with_an_ellipsis(client, admin, pack):
    client.force_login(admin)
    page = client.get(reverse("home"), {"term": pack.term_id}).content.decode()
    shortened = Truncator(LONG_TITLE).words(8, truncate=" …")
    assert LONG_TITLE not in page and shortened in page
    assert shortened.removesuffix(" …") == " ".join(LONG_TITLE.split()[:8])


def test_the_pdf_has_the_rating_words_on_filled_tags(monkeypatch, pack):
    html = pdf_html(monkeypatch, pack)
    assert '<span class="eis-rating eis-rating--red">Red</span>' in html
    assert '<span class="eis-rating eis-rating--amber">Amber</span>' in html
    assert "pack-print.css" in html


def test_each_rating_has_its_own_fill_and_frame_so_greyscale_tells_them_apart():
    css = PRINT_CSS.read_text()
    rules = {
        rating: re.search(rf"\.eis-rating--{rating} {{([^}}]*)}}", css).group(1)
        for rating in ("red", "amber", "green", "blue", "grey", "none")
    }
    fills = {r: re.search(r"background: (#\w+)", rule).group(1) for r, rule in rules.items()}
    frames = {r: re.search(r"border: ([^;]+);", rule).group(1) for r, rule in rules.items()}
    assert len(set(fills.values())) == 6 and len(set(frames.values())) == 6

    def grey(colour: str) -> float:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    # Red is darkest of Red, Amber and Green, so it stands out on a black-and-white print.
    assert grey(fills["red"]) < grey(fills["green"]) < grey(fills["amber"])


def test_a_kpi_shows_each_comparators_newest_figure_with_its_period(client, admin, pack):
    page = page_of(client, admin, pack)
    latest = page[page.index("Latest figures for 5.1(c)") :]
    row = latest[: latest.index("</tr>", latest.index("good level of development"))]
    assert "65.7% (2023/24)" in row and "England 67.2% (2022/23)" in row


def test_a_term_with_no_new_data_leaves_the_latest_figure_standing(client, admin, terms, pack):
    later = TermFactory(
        academic_year="2026/27",
        season="autumn",
        start_date=date(2026, 9, 1),
        end_date=date(2026, 12, 18),
        due_date=date(2026, 12, 4),
    )
    ProgressUpdateFactory(action=ActionFactory._meta.model.objects.get(code="5.1(c)"), term=later)
    gld = KPIFactory._meta.model.objects.get(ref="i")
    KPIValueFactory(
        kpi=gld, term=later, value=None, no_new_data=True, no_new_data_reason="Annual figure"
    )
    standings_refresh()
    newer = generated_pack(meeting=pack.meeting, term=later, user=admin)
    page = page_of(client, admin, newer)
    latest = page[page.index("Latest figures for 5.1(c)") :]
    row = latest[: latest.index("</tr>", latest.index("good level of development"))]
    assert "65.7% (2023/24)" in row and "reported Summer 2026" in row


def test_the_public_pack_keeps_comparators_and_their_periods(client, admin, pack):
    published = board_pack_publish(pack=pack, user=admin)
    url = reverse("boards:public_pack", args=[published.public_token])
    assert "England 67.2% (2022/23)" in client.get(url).content.decode()


def test_the_workbook_gives_each_figures_comparators_as_columns(client, admin, pack):
    sheet = workbook(client, admin, pack)["KPI figures"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[-3:] == ("Comparator 1", "Comparator 1 value", "Comparator 1 period")
    spring = next(r for r in rows[1:] if r[3] == "Spring 2026")
    assert spring[-3:] == ("England", 67.2, "2022/23")
    summer = next(r for r in rows[1:] if r[3] == "Summer 2026")
    assert summer[5] == 65.7 and summer[-3:] == (None, None, None)


def test_the_cover_sheet_gives_the_version_and_real_dates(client, admin, meeting, terms, pack):
    second = generated_pack(meeting=meeting, term=terms[1], user=admin)
    rows = dict(
        list(r)[:2] for r in workbook(client, admin, second)["Cover"].iter_rows(values_only=True)
    )
    assert rows["Version"] == 2
    assert rows["Marking"] == "Restricted: not for publication"
    assert rows["Meeting"] == datetime(2026, 7, 14)  # an Excel date, read back as one
    generated = datetime.fromisoformat(second.content["generated_at"]).replace(tzinfo=None)
    assert isinstance(rows["Generated"], datetime) and rows["Generated"] == generated


def test_the_public_workbook_says_it_is_public(client, admin, pack):
    published = board_pack_publish(pack=pack, user=admin)
    response = client.get(reverse("boards:public_pack_xlsx", args=[published.public_token]))
    cover = load_workbook(io.BytesIO(response.content))["Cover"]
    rows = dict(list(r)[:2] for r in cover.iter_rows(values_only=True))
    assert rows["Version"] == 1 and rows["Marking"] == "Public"


def test_the_pack_page_and_its_workbook_name_the_marking_alike(client, admin, pack):
    """The row saying whether a pack may be published is "Marking" on the page, in the PDF
    (the same template) and in the workbook, and it says what the workbook says."""
    client.force_login(admin)
    html = client.get(reverse("boards:pack", args=[pack.pk])).content.decode()
    rows = dict(
        list(r)[:2] for r in workbook(client, admin, pack)["Cover"].iter_rows(values_only=True)
    )

    marking = re.search(r'key">Marking</dt><dd class="govuk-summary-list__value">(.*?)</dd>', html)
    assert marking and re.sub(r"<[^>]+>", "", marking.group(1)) == rows["Marking"]
    assert 'key">Status</dt>' not in html


def test_the_pdf_lays_out_each_chart_once_the_wide_drawing(monkeypatch, pack):
    """The page holds two drawings of each chart (wide, and narrow for phones); print
    shows the wide one only, so the PDF does not repeat every chart."""
    import weasyprint

    from bury_eis.pdf import BASE_URL, static_url_fetcher

    html = pdf_html(monkeypatch, pack)
    document = weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=static_url_fetcher()
    ).render()
    drawn = [
        box.element.get("class")
        for page in document.pages
        for box in page._page_box.descendants()
        if str(getattr(box, "element_tag", "")).endswith("}svg")
    ]
    assert html.count("eis-chart--narrow") == html.count("eis-chart--wide") > 0
    assert drawn and set(drawn) == {"eis-chart eis-chart--wide"}
    assert len(drawn) == html.count("eis-chart--wide")
