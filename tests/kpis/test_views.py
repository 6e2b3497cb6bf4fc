from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate, Season
from kpis.models import KPIValue
from tests.factories import (
    ActionFactory,
    KPIFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def form_data(action, version=0, **overrides) -> dict:
    gld, families = action.kpis.get(ref="i"), action.kpis.get(ref="ii")
    data = {
        "version": str(version),
        "rating": "green",
        "progress": "Visits done.",
        "evidence_of_impact": "",
        "next_steps": "",
        "risks": "",
        f"kpi{gld.pk}-value": "73",
        f"kpi{gld.pk}-data_period": "2025/26 academic year",
        f"kpi{gld.pk}-maturity": "provisional",
        f"kpi{families.pk}-value": "",
        f"kpi{families.pk}-data_period": "",
        f"kpi{families.pk}-maturity": "provisional",
    }
    return data | overrides


def urls(action, term, update, other=None) -> dict[str, tuple[str, str]]:
    """Every URL of the round; `other` is a second submitted update for the return URL."""
    other = other or update
    return {
        "my": ("get", reverse("kpis:my_actions")),
        "update": ("get", reverse("kpis:update", args=[action.pk, term.pk])),
        "save": ("post", reverse("kpis:update_save", args=[action.pk, term.pk])),
        "submit": ("post", reverse("kpis:update_submit", args=[action.pk, term.pk])),
        "approvals": ("get", reverse("kpis:approvals")),
        "review": ("get", reverse("kpis:approval", args=[update.pk])),
        "approve": ("post", reverse("kpis:approve", args=[update.pk])),
        "return": ("post", reverse("kpis:return", args=[other.pk])),
    }


# Two actions worded alike for over 200 characters, told apart only by their last word: a
# list or e-mail that shortens their text shows an approver or lead the same words for both.
ALIKE = (
    "Work with early years settings, schools, health visitors and family hubs in every township"
    " so that children who need help with speech, language and communication are found before"
    " they start school and have support in place by the end of their first term in "
)
LONG_TEXTS = (ALIKE + "Ramsbottom", ALIKE + "Prestwich")


def alike_actions(*codes: str) -> list:
    """Actions with codes `codes` and the LONG_TEXTS, in order."""
    return [
        ActionFactory(code=code, text=text) for code, text in zip(codes, LONG_TEXTS, strict=True)
    ]


@pytest.fixture
def submitted(open_term):
    """Someone else's submitted update, for the approval URLs."""
    return ProgressUpdateFactory(
        term=open_term, action=ActionFactory(code="3.1(a)"), status="submitted"
    )


def test_anonymous_users_are_sent_to_sign_in_from_every_url(
    client, led_action, open_term, submitted
):
    for name, (method, url) in urls(led_action, open_term, submitted).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


# Expected status per role: the lead may update their own action, not approve; a board member
# and an officer who does not lead the action may do neither; an admin may do both.
MATRIX = {
    "lead": {
        "my": 200,
        "update": 200,
        "save": 302,
        "submit": 302,
        "approvals": 403,
        "review": 403,
        "approve": 403,
        "return": 403,
    },
    "other officer": {
        "my": 200,
        "update": 403,
        "save": 403,
        "submit": 403,
        "approvals": 403,
        "review": 403,
        "approve": 403,
        "return": 403,
    },
    "board member": {
        "my": 403,
        "update": 403,
        "save": 403,
        "submit": 403,
        "approvals": 403,
        "review": 403,
        "approve": 403,
        "return": 403,
    },
    "admin": {
        "my": 200,
        "update": 200,
        "save": 302,
        "submit": 302,
        "approvals": 200,
        "review": 200,
        "approve": 302,
        "return": 302,
    },
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_permission_matrix(client, led_action, open_term, submitted, lead, role):
    users = {
        "lead": lead,
        "other officer": UserFactory(role="Officer"),
        "board member": UserFactory(role="Board member"),
        "admin": UserFactory(role="Admin", is_staff=True),
    }
    if role == "other officer":
        ActionFactory(code="4.1(a)").leads.add(users[role])  # leads something, just not this
    client.force_login(users[role])
    other = ProgressUpdateFactory(
        term=open_term, action=ActionFactory(code="3.1(b)"), status="submitted"
    )
    for name, (method, url) in urls(led_action, open_term, submitted, other).items():
        current = ProgressUpdate.objects.filter(action=led_action, term=open_term).first()
        data = (
            form_data(led_action, version=current.version if current else 0)
            if name in ("save", "submit")
            else {}
        )
        data |= (
            {"version": str(submitted.version), "reason": "Please add figures"}
            if name in ("approve", "return")
            else {}
        )
        response = getattr(client, method)(url, data)
        assert response.status_code == MATRIX[role][name], (role, name)


def test_a_user_given_the_approver_permission_can_approve(client, submitted):
    approver = UserFactory(role="Officer")
    approver.user_permissions.add(Permission.objects.get(codename="approve_progressupdate"))
    client.force_login(approver)
    assert client.get(reverse("kpis:approvals")).status_code == 200
    response = client.post(
        reverse("kpis:approve", args=[submitted.pk]), {"version": submitted.version}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decided_by) == ("approved", approver)


@pytest.mark.parametrize("version", ["", "abc", "999"])
def test_a_decision_on_a_changed_or_unnamed_version_is_refused_politely(
    client, submitted, admin_user, version
):
    client.force_login(admin_user)
    for name in ("kpis:approve", "kpis:return"):
        response = client.post(
            reverse(name, args=[submitted.pk]), {"version": version, "reason": "x"}, follow=True
        )
        assert response.status_code == 200
        assert "changed while you were reviewing it" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_post_only_urls_refuse_get(client, led_action, open_term, submitted, lead):
    client.force_login(UserFactory(role="Admin", is_staff=True))
    for name in ("save", "submit", "approve", "return"):
        _, url = urls(led_action, open_term, submitted)[name]
        assert client.get(url).status_code == 405, name


def test_approvals_show_each_action_s_whole_text(client, open_term, admin_user):
    """An approver could not tell two alike actions apart: the list cut their text at 90
    characters."""
    for action in alike_actions("3.1(a)", "3.1(b)"):
        ProgressUpdateFactory(action=action, term=open_term, status="submitted")
    client.force_login(admin_user)
    page = client.get(reverse("kpis:approvals")).content.decode()
    assert len(LONG_TEXTS[0]) > 200
    for text in LONG_TEXTS:
        assert f"</strong> {text}</td>" in page


def test_my_actions_show_each_action_s_whole_text(client, open_term, lead, late_summer):
    """A lead could not tell two alike actions apart: My actions cut their text at 20 words,
    and at 18 in the list of earlier terms' overdue updates."""
    for action in alike_actions("1.2(a)", "1.2(b)"):
        action.leads.add(lead)
    client.force_login(lead)
    page = client.get(reverse("kpis:my_actions")).content.decode()
    overdue = page[page.index("Overdue from earlier terms") : page.index("</table>")]
    this_term = page[page.index("</table>") :]
    for text in LONG_TEXTS:
        assert f"</strong> {text}</td>" in overdue
        assert f"</strong> {text}</td>" in this_term


def test_other_leads_actions_are_not_listed(client, led_action, open_term, lead):
    ActionFactory(code="2.2(a)", text="Someone else's action")
    client.force_login(lead)
    page = client.get(reverse("kpis:my_actions")).content.decode()
    assert "1.2(a)" in page and "2.2(a)" not in page
    assert "1 of your 1 action still to submit" in page
    assert "Not started" in page


def test_my_actions_shows_states_the_return_reason_and_overdue(client, led_action, open_term, lead):
    second = ActionFactory(code="1.2(b)")
    second.leads.add(lead)
    ProgressUpdateFactory(
        action=second, term=open_term, status="returned", return_reason="Add EYPP split"
    )
    open_term.due_date = open_term.start_date
    open_term.save()
    client.force_login(lead)
    page = client.get(reverse("kpis:my_actions")).content.decode()
    assert "Returned: Add EYPP split" in page
    assert page.count(">Overdue<") == 2
    assert "2 of your 2 actions still to submit, 2 overdue" in page


def test_saving_a_draft_then_submitting(client, led_action, open_term, lead):
    client.force_login(lead)
    response = client.post(
        reverse("kpis:update_save", args=[led_action.pk, open_term.pk]), form_data(led_action)
    )
    # A draft is saved to go on with: back to the same form, which says so (it went to
    # My actions, and the lead had to find the form again).
    update_url = reverse("kpis:update", args=[led_action.pk, open_term.pk])
    assert response.status_code == 302 and response["Location"] == update_url
    page = client.get(update_url).content.decode()
    assert f"Your update for 1.2(a), {open_term.label}, was saved as a draft." in page
    update = ProgressUpdate.objects.get()
    assert update.status == "draft"
    assert KPIValue.objects.get(cohort__code="all").value == 73
    response = client.post(
        reverse("kpis:update_submit", args=[led_action.pk, open_term.pk]),
        form_data(led_action, version=update.version),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('kpis:my_actions')}?plan=eis&term={open_term.pk}"
    assert ProgressUpdate.objects.get().status == "submitted"
    page = client.get(reverse("kpis:update", args=[led_action.pk, open_term.pk])).content.decode()
    assert "waiting for approval" in page
    assert "Submit for approval" not in page


def test_errors_are_summarised_and_linked_to_their_fields(client, led_action, open_term, lead):
    client.force_login(lead)
    gld = led_action.kpis.get(ref="i")
    data = form_data(led_action, rating="red", **{f"kpi{gld.pk}-value": "140"})
    response = client.post(reverse("kpis:update_submit", args=[led_action.pk, open_term.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert (
        f'href="#id_kpi{gld.pk}-value">Enter a percentage for (i) % achieving GLD between 0 and 100'
        in page
    )
    assert 'href="#id_next_steps">Enter next steps: a Red rating needs them' in page
    assert 'value="140"' in page  # what they typed stays on the page
    assert not ProgressUpdate.objects.exists()


def test_a_conflicting_save_is_refused_and_keeps_the_input(client, led_action, open_term, lead):
    client.force_login(lead)
    url = reverse("kpis:update_save", args=[led_action.pk, open_term.pk])
    client.post(url, form_data(led_action, progress="First person's words"))
    response = client.post(url, form_data(led_action, progress="Second person's words"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this update after you opened it" in page
    assert "Second person&#x27;s words" in page
    assert ProgressUpdate.objects.get().progress == "First person's words"


def test_a_locked_term_shows_read_only(client, led_action, open_term, lead):
    open_term.is_locked = True
    open_term.save()
    client.force_login(lead)
    page = client.get(reverse("kpis:update", args=[led_action.pk, open_term.pk])).content.decode()
    assert "is locked" in page and "Submit for approval" not in page
    response = client.post(
        reverse("kpis:update_save", args=[led_action.pk, open_term.pk]), form_data(led_action)
    )
    assert response.status_code == 403


def test_approver_returns_with_a_reason_the_lead_then_sees(
    client, led_action, open_term, lead, admin_user
):
    update = ProgressUpdateFactory(action=led_action, term=open_term, status="submitted")
    client.force_login(admin_user)
    url = reverse("kpis:return", args=[update.pk])
    missing = client.post(url, {"version": update.version, "reason": " "})
    assert (
        missing.status_code == 400
        and "Enter why the update is being returned" in missing.content.decode()
    )
    client.post(url, {"version": update.version, "reason": "Add the disadvantaged figure"})
    client.force_login(lead)
    page = client.get(reverse("kpis:update", args=[led_action.pk, open_term.pk])).content.decode()
    assert "Add the disadvantaged figure" in page
    assert "Submit for approval" in page


def test_approving_puts_the_figures_on_the_action_page(
    client, led_action, open_term, lead, admin_user
):
    client.force_login(lead)
    client.post(
        reverse("kpis:update_submit", args=[led_action.pk, open_term.pk]), form_data(led_action)
    )
    detail = reverse("kpis:action", args=[led_action.pk])
    client.force_login(UserFactory(role="Board member"))
    assert "73%" not in client.get(detail).content.decode()  # submitted, not yet approved
    update = ProgressUpdate.objects.get()
    client.force_login(admin_user)
    assert client.get(reverse("kpis:approvals")).content.decode().count("Review<span") == 1
    client.post(reverse("kpis:approve", args=[update.pk]), {"version": update.version})
    page = client.get(detail).content.decode()
    assert "73%" in page
    assert "Change history" in page and "Hannah Clarke" in page
    client.force_login(UserFactory(role="Board member"))
    page = client.get(detail).content.decode()
    assert "73%" in page and "Change history" not in page


def test_update_page_queries_do_not_grow_with_kpis(
    client, led_action, open_term, lead, django_assert_num_queries
):
    client.force_login(lead)
    url = reverse("kpis:update", args=[led_action.pk, open_term.pk])
    # session, user with the data version, action, groups, lead check, term, update, recent
    # terms, kpis, cohorts, comparators, this term's values, recent values, exception, 2 for
    # the approver permission in the navigation, history
    with django_assert_num_queries(16):
        client.get(url)
    for ref in ["iii", "iv", "v", "vi", "vii"]:
        KPIFactory(action=led_action, ref=ref)
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.content.decode().count("govuk-fieldset__heading") == 7


def test_my_actions_query_count_is_fixed(client, lead, open_term, django_assert_num_queries):
    for letter in "abcdef":
        ActionFactory(code=f"1.1({letter})").leads.add(lead)
    client.force_login(lead)
    # session, user with the data version, open terms, groups, leads-anything check,
    # the plans and the plan they lead in, actions, their updates, the approver permission
    with django_assert_num_queries(10):
        client.get(reverse("kpis:my_actions"))


@pytest.mark.parametrize("typed", ["1,5", "12,5"])
def test_a_decimal_comma_is_refused_not_stored_ten_times_over(
    client, led_action, open_term, lead, typed
):
    client.force_login(lead)
    gld = led_action.kpis.get(ref="i")
    data = form_data(led_action, **{f"kpi{gld.pk}-value": typed})
    response = client.post(reverse("kpis:update_save", args=[led_action.pk, open_term.pk]), data)
    page = response.content.decode()
    assert "must use a full stop for decimals" in page
    assert f'value="{typed}"' in page  # what they typed stays, to correct
    assert not KPIValue.objects.exists()


def test_a_thousands_comma_is_read_as_the_person_meant(client, led_action, open_term, lead):
    client.force_login(lead)
    families = led_action.kpis.get(ref="ii")
    data = form_data(
        led_action,
        **{f"kpi{families.pk}-value": "1,500", f"kpi{families.pk}-data_period": "2025/26"},
    )
    client.post(reverse("kpis:update_save", args=[led_action.pk, open_term.pk]), data)
    assert KPIValue.objects.get(kpi=families).value == 1500


def test_a_reopened_draft_shows_figures_as_entered(client, led_action, open_term, lead):
    client.force_login(lead)
    url = reverse("kpis:update_save", args=[led_action.pk, open_term.pk])
    gld = led_action.kpis.get(ref="i")
    client.post(url, form_data(led_action, **{f"kpi{gld.pk}-value": "85.2"}))
    page = client.get(reverse("kpis:update", args=[led_action.pk, open_term.pk])).content.decode()
    assert f'name="kpi{gld.pk}-value" value="85.2"' in page
    assert "85.2000" not in page


def test_the_narrative_shows_a_character_count(client, led_action, open_term, lead):
    client.force_login(lead)
    page = client.get(reverse("kpis:update", args=[led_action.pk, open_term.pk])).content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="5000"' in page
    assert "You can enter up to 5,000 characters" in page


@pytest.fixture
def late_summer(open_term):
    """An earlier term, still open (not locked), whose updates were due weeks ago."""
    return TermFactory(
        academic_year="2025/26",
        season=Season.SUMMER,
        start_date=open_term.start_date - timedelta(days=150),
        end_date=open_term.start_date - timedelta(days=40),
        due_date=open_term.start_date - timedelta(days=45),
    )


def test_my_actions_shows_earlier_terms_overdue_updates_beside_this_term(
    client, led_action, open_term, lead, late_summer
):
    """Six overdue Summer updates were invisible while Autumn was shown."""
    done = ActionFactory(code="1.2(b)")
    done.leads.add(lead)
    ProgressUpdateFactory(action=done, term=late_summer, status="submitted")
    returned = ActionFactory(code="1.2(c)")
    returned.leads.add(lead)
    ProgressUpdateFactory(
        action=returned, term=late_summer, status="returned", return_reason="Add the EYPP split"
    )
    client.force_login(lead)
    page = client.get(reverse("kpis:my_actions")).content.decode()
    assert f"<strong>{open_term.label}</strong>: updates are due by" in page
    overdue = page[page.index("Overdue from earlier terms") : page.index("</table>")]
    assert "2 updates from an earlier term are overdue" in page
    assert "1.2(a)" in overdue and "1.2(c)" in overdue and "1.2(b)" not in overdue
    assert "Returned: Add the EYPP split" in overdue
    link = reverse("kpis:update", args=[led_action.pk, late_summer.pk])
    assert f'href="{link}"' in overdue


def test_with_no_term_open_my_actions_says_when_the_next_opens(client, led_action, lead):
    today = timezone.localdate()
    TermFactory(
        academic_year="2099/00",
        season=Season.SPRING,
        start_date=today + timedelta(days=20),
        end_date=today + timedelta(days=100),
        due_date=today + timedelta(days=90),
    )
    client.force_login(lead)
    page = client.get(reverse("kpis:my_actions")).content.decode()
    assert "No term is open for updates at the moment. The next, Spring 2100, opens on" in page


def test_with_no_term_open_my_actions_still_lists_them_as_they_stood(client, led_action, lead):
    """It showed nothing at all when no term was open."""
    today = timezone.localdate()
    locked = TermFactory(
        academic_year="2025/26",
        season=Season.SUMMER,
        start_date=today - timedelta(days=120),
        end_date=today - timedelta(days=30),
        due_date=today - timedelta(days=40),
        is_locked=True,
    )
    ProgressUpdateFactory(action=led_action, term=locked, status="approved")
    client.force_login(lead)
    page = client.get(reverse("kpis:my_actions")).content.decode()
    assert f"Where your actions stood in {locked.label}, the latest term:" in page
    assert "1.2(a)" in page and "Approved" in page and ">Overdue<" not in page
    assert f'href="{reverse("kpis:update", args=[led_action.pk, locked.pk])}">View' in page


def test_my_actions_with_overdue_terms_costs_the_same_for_any_number_of_actions(
    client, lead, open_term, late_summer, django_assert_num_queries
):
    client.force_login(lead)
    for letters in ("ab", "cdefgh"):
        for letter in letters:
            ActionFactory(code=f"1.1({letter})").leads.add(lead)
        # as test_my_actions_query_count_is_fixed, and the overdue terms' actions and updates
        with django_assert_num_queries(12):
            client.get(reverse("kpis:my_actions"))
