"""The RAG dashboard: matrix counts, movement, stale actions and KPI status, by hand."""

import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from actions.models import Movement, Plan, Season
from actions.services import term_publish
from boards.content import dashboard_content, worst_rating
from boards.selectors import NO_UPDATE, Remit, dashboard
from kpis.standings import standings_refresh
from tests.conftest import generated_pack
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(terms):
    """Six actions over two commitments and two sectors, rated in spring and summer.

    | action | commitment | sector | spring   | summer            | movement  |
    | 1.1(a) | 1          | 1      | amber    | green             | improved  |
    | 1.1(b) | 1          | 1      | green    | red               | worse     |
    | 1.2(a) | 1          | 2      | –        | amber             | new       |
    | 1.2(b) | 1          | 2      | green    | submitted (green) | no update |
    | 2.1(a) | 2          | 1      | grey     | green             | new       |
    | 2.1(b) | 2          | 1      | blue     | blue              | same      |
    """
    spring, summer = terms
    rows = [
        ("1.1(a)", 1, 1, "amber", "green"),
        ("1.1(b)", 1, 1, "green", "red"),
        ("1.2(a)", 1, 2, None, "amber"),
        ("1.2(b)", 1, 2, "green", "submitted"),
        ("2.1(a)", 2, 1, "grey", "green"),
        ("2.1(b)", 2, 1, "blue", "blue"),
    ]
    actions = {}
    for position, (code, c, s, before, now) in enumerate(rows):
        action = ActionFactory(
            code=code, commitment__number=c, sector__position=s, position=position
        )
        if before:
            ProgressUpdateFactory(action=action, term=spring, rating=before)
        if now == "submitted":
            ProgressUpdateFactory(action=action, term=summer, rating="green", status="submitted")
        elif now:
            ProgressUpdateFactory(
                action=action, term=summer, rating=now, next_steps=f"Next for {code}"
            )
        actions[code] = action
    standings_refresh()  # as every service that writes does; factories go round them
    return actions


def board_for(terms, remit=None):
    spring, summer = terms
    return dashboard(summer, spring, remit or Remit.whole(Plan.objects.get(slug="eis")))


def test_matrix_counts_each_rating_per_commitment_and_sector(plan, terms):
    board = board_for(terms)
    c1, c2 = plan["1.1(a)"].commitment_id, plan["2.1(a)"].commitment_id
    s1, s2 = plan["1.1(a)"].sector_id, plan["1.2(a)"].sector_id
    assert board.cells[(c1, s1)] == {"green": 1, "red": 1}
    assert board.cells[(c1, s2)] == {"amber": 1, NO_UPDATE: 1}
    assert board.cells[(c2, s1)] == {"green": 1, "blue": 1}
    assert (c2, s2) not in board.cells
    assert board.totals == {"green": 2, "red": 1, "amber": 1, "blue": 1, NO_UPDATE: 1}
    assert board.action_count == 6
    assert board.exception_count == 2
    assert board.stale_count == 1


def test_movement_compares_approved_ratings_with_the_previous_term(plan, terms):
    board = board_for(terms)
    c1, c2 = plan["1.1(a)"].commitment_id, plan["2.1(a)"].commitment_id
    assert board.movement[c1] == {Movement.IMPROVED: 1, Movement.WORSE: 1, Movement.NEW: 1}
    assert board.movement[c2] == {Movement.NEW: 1, Movement.SAME: 1}


def test_exceptions_list_red_before_amber_with_next_steps(plan, terms):
    board = board_for(terms)
    assert [(u.action.code, u.rating) for u in board.exceptions] == [
        ("1.1(b)", "red"),
        ("1.2(a)", "amber"),
    ]
    assert board.exceptions[0].next_steps == "Next for 1.1(b)"


def test_stale_actions_are_those_without_an_approved_update(plan, terms):
    board = board_for(terms)
    assert [(a.code, a.update_status) for a in board.stale] == [("1.2(b)", "submitted")]


def test_a_remit_limits_every_figure(plan, terms):
    remit = Remit(
        Plan.objects.get(slug="eis").pk, commitment_ids=frozenset({plan["2.1(a)"].commitment_id})
    )
    board = board_for(terms, remit)
    assert board.totals == {"green": 1, "blue": 1}
    assert [c.number for c in board.commitments] == [2]
    assert board.exceptions == [] and board.stale == []


def test_kpi_status_uses_the_newest_approved_value_up_to_the_term(plan, terms):
    spring, summer = terms
    on_track = KPIFactory(action=plan["1.1(a)"], ref="i")
    KPIValueFactory(kpi=on_track, term=spring, status="red")
    KPIValueFactory(kpi=on_track, term=summer, status="green", data_period="2025/26")
    carried = KPIFactory(action=plan["1.1(b)"], ref="i")
    KPIValueFactory(kpi=carried, term=spring, status="amber")  # annual: still stands
    unapproved = KPIFactory(action=plan["1.2(b)"], ref="i")
    KPIValueFactory(kpi=unapproved, term=summer, status="green")  # update only submitted
    KPIFactory(action=plan["2.1(a)"], ref="i")  # nothing reported
    standings_refresh()
    board = board_for(terms)
    c1, c2 = plan["1.1(a)"].commitment_id, plan["2.1(a)"].commitment_id
    assert board.kpi_status[c1] == {"green": 1, "amber": 1, NO_UPDATE: 1}
    assert board.kpi_status[c2] == {NO_UPDATE: 1}


def test_kpi_status_counts_link_to_the_kpi_list_filtered_the_same_way(board_client, plan, terms):
    spring, summer = terms
    term_publish(summer)
    on_track = KPIFactory(action=plan["1.1(a)"], ref="i", text="Green measure")
    KPIValueFactory(kpi=on_track, term=summer, status="green")
    carried = KPIFactory(action=plan["1.1(b)"], ref="i", text="Amber measure")
    KPIValueFactory(kpi=carried, term=spring, status="amber")
    KPIFactory(action=plan["1.2(a)"], ref="i", text="Unreported measure")
    standings_refresh()
    page = board_client.get(reverse("home")).content.decode()
    c1 = plan["1.1(a)"].commitment_id
    for status, listed, count in [
        ("green", "Green measure", 1),
        ("amber", "Amber measure", 1),
        ("none", "Unreported measure", 1),
    ]:
        link = f"/kpis/?plan=eis&amp;term={summer.pk}&amp;commitment={c1}&amp;status={status}"
        assert f'<a class="govuk-link" href="{link}">{count}<span' in page
        found = board_client.get(link.replace("&amp;", "&")).content.decode()
        measures = ["Green measure", "Amber measure", "Unreported measure"]
        assert [m for m in measures if m in found] == [listed]


def test_dashboard_links_each_count_to_the_filtered_action_list(board_client, plan, terms):
    page = board_client.get(reverse("home")).content.decode()
    summer = terms[1]
    commitment = plan["1.1(b)"].commitment_id
    sector = plan["1.1(b)"].sector_id
    link = (
        f"/actions/?plan=eis&amp;term={summer.pk}&amp;commitment={commitment}"
        f"&amp;sector={sector}&amp;rating=red"
    )
    assert f'<a class="govuk-link" href="{link}">1 Red</a>' in page
    listed = board_client.get(link.replace("&amp;", "&")).content.decode()
    assert ">1.1(b)<" in listed and ">1.1(a)<" not in listed


def test_without_a_published_period_the_dashboard_opens_on_the_newest_ended_term(
    board_client, plan, terms
):
    """Autumn 2026 is still running on 1 December 2026 (today in these tests or later)."""
    TermFactory(
        academic_year="2026/27",
        season=Season.AUTUMN,
        start_date=date(2026, 9, 1),
        end_date=date(2099, 12, 18),
        due_date=date(2099, 12, 4),
    )
    page = board_client.get(reverse("home")).content.decode()
    assert "6 actions in Summer 2026" in page
    assert "Movement since Spring 2026" in page
    assert "No reporting period has been published yet" in page


def test_approving_an_update_in_another_term_leaves_the_dashboard_where_it_was(
    board_client, plan, terms
):
    """The defect: one Autumn approval moved everyone's dashboard to Autumn."""
    spring, _ = terms
    term_publish(spring)
    autumn = TermFactory(
        academic_year="2026/27",
        season=Season.AUTUMN,
        start_date=date(2026, 9, 1),
        end_date=date(2026, 11, 18),
        due_date=date(2026, 11, 4),
    )
    before = board_client.get(reverse("home")).content.decode()
    assert "6 actions in Spring 2026" in before
    ProgressUpdateFactory(action=plan["1.1(a)"], term=autumn, rating="red", status="approved")
    standings_refresh()
    after = board_client.get(reverse("home")).content.decode()
    assert "6 actions in Spring 2026" in after
    for url in (reverse("actions:list"), reverse("kpis:kpi_list")):
        listed = board_client.get(url).content.decode()
        assert f'<option value="{spring.pk}" selected>' in listed


def test_the_dashboard_says_how_complete_the_period_is(board_client, plan, terms):
    """Summer: 5 approved (1.1(a), 1.1(b), 1.2(a), 2.1(a), 2.1(b)), 1.2(b) submitted."""
    _, summer = terms
    term_publish(summer)
    page = board_client.get(reverse("home")).content.decode()
    assert (
        "5 of 6 actions approved for Summer 2026 · 1 no update: 1 awaiting approval, "
        "0 not submitted" in page
    )
    # The sentence's "no update" is the bar's: the same count under the same words (it said
    # "0 no update" beside a bar reading "No update 1").
    assert ">No update 1</a>" in page


def test_another_term_can_be_chosen(board_client, plan, terms):
    spring, _ = terms
    page = board_client.get(reverse("home"), {"term": spring.pk}).content.decode()
    assert "5 actions in Spring 2026" not in page  # every live action is counted
    assert "6 actions in Spring 2026" in page
    assert "No approved update in Spring 2026 (1)" in page


def test_ratings_are_shown_as_words(board_client, plan, terms):
    page = board_client.get(reverse("home")).content.decode()
    for word in ["Red 1", "Amber 1", "Green 2", "Blue 1", "No update 1"]:  # the bar
        assert f">{word}</a>" in page
    for words in ["1 Red", "1 Green", "1 Amber", "1 no update", "1 Blue"]:  # the heatmap
        assert f">{words}</a>" in page
    assert "No action is rated Grey." in page


def test_board_dashboard_shows_its_remit_only(client, plan, terms):
    board = BoardFactory(slug="commitment-two")
    board.commitments.add(plan["2.1(a)"].commitment)
    client.force_login(UserFactory(role="Board member"))
    page = client.get(reverse("boards:dashboard", args=["commitment-two"])).content.decode()
    assert "2 actions in Summer 2026" in page
    assert "1.1(b)" not in page
    assert f"commitments={plan['2.1(a)'].commitment_id}" in page


def test_dashboard_query_count_is_the_same_at_any_size(
    board_client, terms, django_assert_num_queries
):
    spring, summer = terms

    def add(n):
        for i in range(n):
            action = ActionFactory(commitment__number=i % 5 + 1, sector__position=i % 3 + 1)
            ProgressUpdateFactory(action=action, term=summer, rating=["red", "amber"][i % 2])
            ProgressUpdateFactory(action=action, term=spring, rating="green")
            KPIValueFactory(kpi=KPIFactory(action=action), term=summer)
            ActionFactory(sector__position=2)  # nobody reported: a stale action
        standings_refresh()

    # session, user with the data version, groups, terms, commitments, sectors, ratings,
    # KPIs per commitment, KPI status, updates awaiting approval, exceptions, their leads,
    # stale actions, their leads, the dated actions' schedule, the approver permission,
    # the plan's risks (their summary)
    add(3)
    with django_assert_num_queries(19):
        board_client.get(reverse("home"))
    add(30)
    with django_assert_num_queries(19):
        page = board_client.get(reverse("home")).content.decode()
    assert "66 actions in Summer 2026" in page


@pytest.mark.parametrize("name", ["home", "boards:list"])
def test_dashboards_need_sign_in_and_a_role(client, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_an_unknown_or_inactive_board_is_404(board_client):
    BoardFactory(slug="old", is_active=False)
    assert board_client.get(reverse("boards:dashboard", args=["old"])).status_code == 404
    assert board_client.get(reverse("boards:dashboard", args=["none"])).status_code == 404


def test_a_board_member_opens_a_meeting_from_the_board_page(client, terms):
    """Only admins had a link to the meeting page, through "Generate a pack"."""
    board = BoardFactory(slug="education-board")
    meeting = MeetingFactory(board=board, date=date(2026, 12, 10), title="Autumn review")
    client.force_login(UserFactory(role="Board member"))
    page = client.get(reverse("boards:dashboard", args=["education-board"])).content.decode()
    link = reverse("boards:meeting", args=[meeting.pk])
    assert f'<a class="govuk-link" href="{link}">10 December 2026: Autumn review</a>' in page
    assert "Generate a pack" not in page
    assert client.get(link).status_code == 200


def test_the_board_page_marks_a_superseded_pack_version(client, plan, terms):
    _, summer = terms
    board = BoardFactory(slug="education-board")
    meeting = MeetingFactory(board=board, date=date(2026, 12, 10))
    admin = UserFactory(role="Admin")
    first = generated_pack(meeting=meeting, term=summer, user=admin)
    second = generated_pack(meeting=meeting, term=summer, user=admin)
    client.force_login(UserFactory(role="Board member"))
    page = client.get(reverse("boards:dashboard", args=["education-board"])).content.decode()
    assert f"Board pack version {first.version}<span" in page
    assert f"(superseded by version {second.version})" in page
    assert page.count("superseded by version") == 1  # the newest is not


@pytest.mark.parametrize(
    "counts, worst",
    [
        ({"green": 2, "red": 1, NO_UPDATE: 1}, "red"),
        ({"blue": 1, "amber": 3}, "amber"),
        ({"blue": 1, "green": 1}, "green"),
        ({"grey": 2, "blue": 1}, "blue"),  # Grey sits outside the delivery scale
        ({"grey": 1, NO_UPDATE: 4}, "grey"),  # any approved rating beats none
        ({NO_UPDATE: 2}, NO_UPDATE),
        ({"red": 0, "green": 1}, "green"),  # a zero count is no rating
        ({}, None),
    ],
)
def test_a_heatmap_cell_takes_its_worst_approved_rating(counts, worst):
    assert worst_rating(counts) == worst


def heatmap_cell(page: str, commitment: int, sector: int) -> str:
    """The heatmap's cell for a commitment and a sector, from its opening tag to its end."""
    link = f"commitment={commitment}&amp;sector={sector}&amp;"
    start = page.rindex("<td ", 0, page.index(link))
    return page[start : page.index("</td>", start)]


def test_each_heatmap_cell_is_coloured_by_its_worst_rating_and_says_every_count(
    board_client, plan, terms
):
    page = board_client.get(reverse("home")).content.decode()
    assert "Each cell is coloured by its worst approved rating" in page
    c1, c2 = plan["1.1(a)"].commitment_id, plan["2.1(a)"].commitment_id
    s1, s2 = plan["1.1(a)"].sector_id, plan["1.2(a)"].sector_id
    for commitment, sector, worst, words in [
        (c1, s1, "red", ["1 Red", "1 Green"]),
        (c1, s2, "amber", ["1 Amber", "1 no update"]),
        (c2, s1, "green", ["1 Green", "1 Blue"]),
    ]:
        cell = heatmap_cell(page, commitment, sector)
        assert f"eis-heatmap__cell--{worst}" in cell.split(">")[0]
        found = [w for w in ["1 Red", "1 Amber", "1 Green", "1 Blue", "1 no update"] if w in cell]
        assert found == words  # worst first, each in words
    assert "eis-heatmap__cell--empty" in page  # commitment 2 has no actions in sector 2


def test_every_heatmap_cell_and_count_links_to_the_matching_actions(board_client, plan, terms):
    summer = terms[1]
    page = board_client.get(reverse("home")).content.decode()
    c1, s2 = plan["1.2(a)"].commitment_id, plan["1.2(a)"].sector_id
    cell = heatmap_cell(page, c1, s2)
    base = f"/actions/?plan=eis&amp;term={summer.pk}&amp;commitment={c1}&amp;sector={s2}"
    assert f'<a class="govuk-link eis-heatmap__cell-total" href="{base}">2 actions<span' in cell
    assert f'<a class="govuk-link" href="{base}&amp;rating=amber">1 Amber</a>' in cell
    assert f'<a class="govuk-link" href="{base}&amp;rating=none">1 no update</a>' in cell
    for href, listed in [(base, ["1.2(a)", "1.2(b)"]), (f"{base}&amp;rating=none", ["1.2(b)"])]:
        found = board_client.get(href.replace("&amp;", "&")).content.decode()
        assert [code for code in plan if f">{code}<" in found] == listed


def test_the_bar_has_a_segment_per_rating_sized_by_its_count_and_linked(board_client, terms):
    """Twenty actions: 15 Green, 4 Red, 1 no update; a segment grows by its twentieths."""
    _, summer = terms
    for i, rating in enumerate(["green"] * 15 + ["red"] * 4 + [None]):
        action = ActionFactory(position=i)
        if rating:
            ProgressUpdateFactory(action=action, term=summer, rating=rating)
    standings_refresh()
    term_publish(summer)
    page = board_client.get(reverse("home")).content.decode()
    bar = page[page.index('<ul class="eis-bar"') : page.index("</ul>", page.index("eis-bar"))]
    segments = re.findall(r'eis-bar__segment--(\w+) eis-bar__segment--w(\d+)">(.*?)</li>', bar)
    link = f"/actions/?plan=eis&amp;term={summer.pk}&amp;rating="
    assert segments == [
        ("red", "4", f'<a class="govuk-link" href="{link}red">Red 4</a>'),
        ("green", "15", f'<a class="govuk-link" href="{link}green">Green 15</a>'),
        ("none", "1", f'<a class="govuk-link" href="{link}none">No update 1</a>'),
    ]
    assert "No action is rated Amber, Blue or Grey." in page


def test_the_rating_scale_comes_before_the_heatmap_on_every_dashboard(client, plan, terms):
    board = BoardFactory(slug="commitment-two")
    board.commitments.add(plan["2.1(a)"].commitment)
    client.force_login(UserFactory(role="Board member"))
    for url in [reverse("home"), reverse("boards:dashboard", args=["commitment-two"])]:
        page = client.get(url).content.decode()
        assert page.index("What the ratings mean") < page.index('id="heatmap"')


def test_the_live_dashboard_shows_the_first_red_and_amber_actions_and_folds_the_rest(
    board_client, terms
):
    _, summer = terms
    for i in range(5):
        action = ActionFactory(code=f"1.{i}(a)", position=i)
        ProgressUpdateFactory(action=action, term=summer, rating=["amber", "red"][i % 2])
    standings_refresh()
    page = board_client.get(reverse("home")).content.decode()
    exceptions = page[
        page.index('id="exceptions"') : page.index("</table>", page.index("eis-exceptions"))
    ]
    assert re.findall(r">(1\.\d\(a\))</a>", exceptions) == ["1.1(a)", "1.3(a)", "1.0(a)"]
    assert "Showing the first 3, Red first." in page
    for summary in [
        "Movement since Spring 2026:",
        "KPI status against target:",
        "No approved update in Summer 2026 (0)",
    ]:
        assert re.search(rf'<span class="govuk-details__summary-text">{re.escape(summary)}', page)
    assert page.index('id="exceptions"') < page.index("Movement since Spring 2026:")


def test_a_pack_shows_the_same_body_with_nothing_folded(plan, terms):
    """A pack (and so its PDF) has no details to open: every table is shown, and every
    Red and Amber action, whatever the live dashboard's limit."""
    spring, summer = terms
    d = dashboard_content(
        dashboard(summer, spring, Remit.whole(Plan.objects.get(slug="eis")), limit=None)
    )
    html = render_to_string("boards/_dashboard.html", {"d": d, "list_url": ""})
    assert "<details" not in html and "<a " not in html
    assert 'class="govuk-table__cell eis-heatmap__cell eis-heatmap__cell--red"' in html
    for caption in ["Movement since Spring 2026", "KPI status against target"]:
        assert f'govuk-table__caption--m">{caption}</caption>' in html
    assert "No approved update in Summer 2026 (1)" in html
    assert html.count("eis-rating--red") + html.count("eis-rating--amber") == 2
