"""In real Chromium: no page breaks its Content-Security-Policy, and the lock-out is accessible."""

import pytest
from django.conf import settings
from playwright.sync_api import Page

from boards.services import board_pack_publish
from kpis.standings import standings_refresh
from tests.conftest import generated_pack
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import (
    ActionFactory,
    BoardFactory,
    KPIFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

# Playwright's init scripts run outside the page's policy, so this listener itself is allowed.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


@pytest.fixture
def site(open_term) -> dict:
    admin = UserFactory(username="admin", role="Admin", is_staff=True)
    action = ActionFactory(code="1.1(a)")
    action.leads.add(admin)
    kpi = KPIFactory(action=action)
    KPIValueFactory(kpi=kpi, term=open_term, value=88, status="green")
    ProgressUpdateFactory(action=action, term=open_term, rating="amber", next_steps="Recover")
    standings_refresh()  # as the approval service does; the factories go round them
    board = BoardFactory(slug="education-board")
    board.members.add(admin)
    meeting = MeetingFactory(board=board)
    pack = generated_pack(meeting=meeting, term=open_term, user=admin)
    board_pack_publish(pack=pack, user=admin)
    return {"action": action, "term": open_term, "board": board, "meeting": meeting, "pack": pack}


def _watch(page: Page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(LISTEN)
    return messages


def test_key_pages_load_with_no_policy_violation(page: Page, site: dict) -> None:
    console = _watch(page)
    sign_in(page, "admin")
    action, term, pack = site["action"], site["term"], site["pack"]
    urls = [
        "/",
        "/actions/",
        f"/actions/{action.pk}/",
        "/kpis/",
        "/boards/",
        f"/boards/{site['board'].slug}/",
        f"/meetings/{site['meeting'].pk}/",
        f"/packs/{pack.pk}/",
        f"/public/packs/{pack.public_token}/",
        f"/updates/{action.pk}/{term.pk}/",
        "/my/",
        "/approvals/",
        "/plan/import/",
        "/plan/excel/",
        "/admin/",
        f"/admin/boards/board/{site['board'].pk}/change/",
        "/admin/kpis/term/add/",
        "/no-such-page/",
    ]
    seen = {}
    for url in urls:
        response = page.goto(url)
        assert response.headers["content-security-policy"] == settings.CONTENT_SECURITY_POLICY
        page.wait_for_load_state("load")
        seen[url] = page.evaluate("window.__cspViolations")
    assert {url: v for url, v in seen.items() if v} == {}
    assert console == []
    # GOV.UK Frontend's script (a file, not inline) really ran under the policy.
    assert "js-enabled" in page.evaluate("document.body.className")


def test_the_lock_out_message_is_clear_and_accessible(page: Page, axe, db) -> None:
    UserFactory(username="hclarke", role="Officer")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/login/")
        page.get_by_label("Username").fill("hclarke")
        page.get_by_label("Password").fill("a wrong guess")
        page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    assert "blocked for 15 minutes" in alert.inner_text()
    assert_accessible(axe, page)
    sign_in(page, "hclarke")  # the right password, still refused while locked
    assert "blocked for 15 minutes" in page.get_by_role("alert").inner_text()


def test_the_lock_out_of_a_whole_address_is_clear_and_accessible(page: Page, axe, settings) -> None:
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3  # every guess comes from the loopback here
    UserFactory(username="hclarke", role="Officer")
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT):
        page.goto("/login/")
        page.get_by_label("Username").fill(f"guess-{n}")
        page.get_by_label("Password").fill("a wrong guess")
        page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    assert "too many unsuccessful attempts to sign in from your network" in alert.inner_text()
    assert "blocked for 15 minutes" in alert.inner_text()
    assert_accessible(axe, page)
    sign_in(page, "hclarke")  # someone else at the same address is refused too
    assert "from your network" in page.get_by_role("alert").inner_text()
