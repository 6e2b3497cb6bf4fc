"""Board packs: frozen versions, suppression of small numbers, publication and access."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from boards.models import BoardPack
from boards.services import (
    board_pack_publish,
    board_pack_withdraw,
)
from boards.suppression import public_content, suppress_point
from kpis.models import Cohort
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


@pytest.fixture
def term():
    return TermFactory()


@pytest.fixture
def meeting(term):
    action = ActionFactory(code="1.1(a)", lead_description="Virtual School Head")
    ProgressUpdateFactory(
        action=action, term=term, rating="red", next_steps="Recovery plan", risks="Staff cover"
    )
    kpi = KPIFactory(action=action, ref="i", text="Pupils with a plan")
    KPIValueFactory(kpi=kpi, term=term, value=None, numerator=3, denominator=40)
    count = KPIFactory(action=action, ref="ii", text="Permanent exclusions", unit="count")
    KPIValueFactory(kpi=count, term=term, value=2, note="Two pupils at one school")
    big = KPIFactory(action=action, ref="iii", text="Attendance")
    value = KPIValueFactory(kpi=big, term=term, value=None, numerator=900, denominator=1000)
    value.value = 90
    value.save()
    standings_refresh()  # as every service that writes does; factories go round them
    return MeetingFactory(date=date(2026, 3, 17))


@pytest.fixture
def admin(db):
    return UserFactory(username="pack-admin", role="Admin")


@pytest.fixture
def member(meeting):
    user = UserFactory(username="pack-member", role="Board member")
    meeting.board.members.add(user)
    return user


def test_a_pack_freezes_the_figures_as_generated(meeting, term, admin):
    pack = generated_pack(meeting=meeting, term=term, user=admin)
    ProgressUpdateFactory._meta.model.objects.update(rating="green", next_steps="All fine")
    pack.refresh_from_db()
    item = pack.content["dashboard"]["exceptions"][0]
    assert (item["code"], item["rating"], item["next_steps"]) == ("1.1(a)", "red", "Recovery plan")
    assert pack.content["actions"][0]["kpis"][2]["points"][0]["value"] == 90


def test_regenerating_makes_a_new_version_and_keeps_the_old(meeting, term, admin):
    first = generated_pack(meeting=meeting, term=term, user=admin)
    ProgressUpdateFactory._meta.model.objects.update(rating="green")
    standings_refresh()
    second = generated_pack(meeting=meeting, term=term, user=admin)
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.content["dashboard"]["exception_count"] == 1
    assert second.content["dashboard"]["exception_count"] == 0


def test_small_counts_and_percentages_from_them_are_suppressed():
    base = {"value": 7.5, "numerator": 3, "denominator": 40, "cohort_size": 40, "note": "x"}
    assert suppress_point(base, "percent", 5)["value"] is None
    assert suppress_point(base, "percent", 5)["suppressed"] is True
    assert suppress_point({**base, "numerator": 5}, "percent", 5)["value"] == 7.5
    tiny_cohort = {"value": 50.0, "numerator": None, "denominator": None, "cohort_size": 4}
    assert suppress_point(tiny_cohort, "percent", 5)["suppressed"] is True
    assert suppress_point({"value": 4, "note": ""}, "count", 5)["suppressed"] is True
    assert suppress_point({"value": 5, "note": ""}, "count", 5)["suppressed"] is False
    assert suppress_point({"value": 2.5, "note": ""}, "days", 5)["suppressed"] is False
    assert suppress_point(base, "percent", 5)["note"] == ""


def test_the_public_copy_hides_restricted_notes_and_leaves_the_pack_alone(meeting, term, admin):
    pack = generated_pack(meeting=meeting, term=term, user=admin)
    public = public_content(pack.content, 5)
    action = public["actions"][0]
    assert action["risks"] == "" and public["dashboard"]["exceptions"][0]["risks"] == ""
    plan, exclusions, attendance = (k["points"][0] for k in action["kpis"])
    assert plan["suppressed"] and plan["numerator"] is None
    assert exclusions["suppressed"] and exclusions["note"] == ""
    assert attendance["value"] == 90 and not attendance["suppressed"]
    assert pack.content["actions"][0]["risks"] == "Staff cover"


def test_suppressed_figures_show_as_c_in_the_public_page_and_workbook(client, meeting, term, admin):
    pack = board_pack_publish(
        pack=generated_pack(meeting=meeting, term=term, user=admin), user=admin
    )
    page = client.get(reverse("boards:public_pack", args=[pack.public_token])).content.decode()
    assert "[c]" in page and "fewer than 5" in page
    assert "Staff cover" not in page and "Two pupils at one school" not in page
    assert "90%" in page
    response = client.get(reverse("boards:public_pack_xlsx", args=[pack.public_token]))
    sheet = load_workbook(io.BytesIO(response.content))["KPI figures"]
    values = {(row[1], row[4]): row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[("i", "All")] == "[c]" and values[("iii", "All")] == 90


def test_the_public_address_works_only_while_published(client, meeting, term, admin):
    pack = generated_pack(meeting=meeting, term=term, user=admin)
    board_pack_publish(pack=pack, user=admin)
    token = pack.public_token
    assert len(token) >= 40
    url = reverse("boards:public_pack", args=[token])
    assert client.get(url).status_code == 200
    assert client.get(reverse("boards:public_pack", args=[token[:-1] + "x"])).status_code == 404
    board_pack_withdraw(pack=pack)
    assert client.get(url).status_code == 404


def test_publishing_twice_keeps_the_address_and_copy(meeting, term, admin):
    pack = board_pack_publish(
        pack=generated_pack(meeting=meeting, term=term, user=admin), user=admin
    )
    token = pack.public_token
    assert board_pack_publish(pack=pack, user=admin).public_token == token


def test_restricted_packs_are_for_the_boards_members_and_admins(client, meeting, term, admin):
    pack = generated_pack(meeting=meeting, term=term, user=admin)
    url = reverse("boards:pack", args=[pack.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(username="outsider", role="Board member"))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(username="officer", role="Officer"))
    assert client.get(url).status_code == 403
    member = UserFactory(username="member", role="Board member")
    meeting.board.members.add(member)
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "Staff cover" in page and "Restricted: not for publication" in page
    assert "Publish the public version" not in page
    client.force_login(admin)
    assert "Publish the public version" in client.get(url).content.decode()


def test_only_admins_generate_publish_and_withdraw(client, meeting, term, member, admin):
    pack = generated_pack(meeting=meeting, term=term, user=admin)
    client.force_login(member)
    generate = reverse("boards:pack_generate", args=[meeting.pk])
    assert client.post(generate, {"term": term.pk}).status_code == 403
    assert client.post(reverse("boards:pack_publish", args=[pack.pk])).status_code == 403
    assert client.post(reverse("boards:pack_withdraw", args=[pack.pk])).status_code == 403
    assert client.get(generate).status_code == 405
    client.force_login(admin)
    response = client.post(generate, {"term": term.pk})
    new = BoardPack.objects.get(meeting=meeting, version=2)
    assert response["Location"] == reverse("boards:pack", args=[new.pk])
    run_tasks()
    client.post(reverse("boards:pack_publish", args=[new.pk]))
    new.refresh_from_db()
    assert new.is_published and new.published_by == admin


def test_generating_without_a_term_explains_what_is_missing(client, meeting, admin):
    client.force_login(admin)
    response = client.post(reverse("boards:pack_generate", args=[meeting.pk]), follow=True)
    assert "Choose the term" in response.content.decode()
    assert not BoardPack.objects.exists()


def test_meeting_page_lists_versions_and_offers_generation_to_admins(client, meeting, term, admin):
    generated_pack(meeting=meeting, term=term, user=admin)
    client.force_login(admin)
    page = client.get(reverse("boards:meeting", args=[meeting.pk])).content.decode()
    assert "Version 1" in page and "Generate board pack" in page
    client.force_login(UserFactory(username="reader", role="Board member"))
    page = client.get(reverse("boards:meeting", args=[meeting.pk])).content.decode()
    assert "Version 1" in page and "Generate board pack" not in page


def test_pack_downloads_as_pdf_and_excel(client, meeting, term, member, admin):
    pack = generated_pack(meeting=meeting, term=term, user=admin)
    client.force_login(member)
    url = reverse("boards:pack_pdf", args=[pack.pk])
    waiting = client.get(url)
    assert waiting.status_code == 202 and "Preparing the PDF" in waiting.content.decode()
    assert run_tasks() == 1
    pdf = client.get(url)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    pack.refresh_from_db()
    assert bytes(pack.pdf) == pdf.content and pack.pdf_state == "rendered"  # kept
    workbook = client.get(reverse("boards:pack_xlsx", args=[pack.pk]))
    sheets = load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert sheets == ["Summary", "Cover", "Ratings", "Red and Amber", "Actions", "KPI figures"]


def test_a_stored_pdf_is_served_without_rendering_again(client, meeting, term, admin):
    pack = generated_pack(meeting=meeting, term=term, user=admin)
    BoardPack.objects.filter(pk=pack.pk).update(pdf=b"%PDF-stored", pdf_state="rendered")
    client.force_login(admin)
    assert client.get(reverse("boards:pack_pdf", args=[pack.pk])).content == b"%PDF-stored"
    assert run_tasks() == 0


def test_pack_cells_are_neutralised_against_formulas(client, meeting, term, member, admin):
    ProgressUpdateFactory._meta.model.objects.update(next_steps='=HYPERLINK("http://x")')
    pack = generated_pack(meeting=meeting, term=term, user=admin)
    client.force_login(member)
    response = client.get(reverse("boards:pack_xlsx", args=[pack.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["Red and Amber"]
    assert sheet.cell(row=2, column=5).value == '\'=HYPERLINK("http://x")'


def test_breakdown_cohorts_and_gaps_are_in_the_pack(meeting, term, admin):
    kpi = KPIFactory._meta.model.objects.get(ref="iii")
    KPIValueFactory(kpi=kpi, term=term, value=80, cohort=Cohort.objects.exclude(code="all")[0])
    pack = generated_pack(meeting=meeting, term=term, user=admin)
    trend = pack.content["actions"][0]["kpis"][2]
    assert trend["cohorts"][0]["points"][0]["value"] == 80
