"""Browser tests: Playwright driving Debian's Chromium against a live test server.

`make test` runs them with the rest; .ci/run installs Chromium with apt-get.
A failing test leaves a full-page screenshot in test-artifacts/.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Browser:
    # Playwright's synchronous API keeps an event loop running in this thread, which
    # Django's async-safety check mistakes for async code touching the database.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser: Browser, live_server, request) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    context.close()


def sign_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^Sign out")).click()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(axe: Axe, page: Page) -> None:
    """No axe-core violations (WCAG 2.2 AA and best practice) on the page as it stands."""
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()


DESKTOP = {"width": 1366, "height": 768}  # the council laptop the dashboard is read on
NARROW = {"width": 320, "height": 800}  # WCAG 1.4.10 reflow: 320 CSS pixels wide


def assert_accessible_at_both_widths(axe: Axe, page: Page) -> None:
    """No axe-core violations at desktop width, nor at 320 px, the width reflow is judged at."""
    try:
        for size in (DESKTOP, NARROW):
            page.set_viewport_size(size)
            assert_accessible(axe, page)
    finally:
        page.set_viewport_size(DESKTOP)


def assert_progress_page_accessible(axe: Axe, page: Page, url: str) -> None:
    """A page whose job is pending, at both widths, checking for the result and with that
    turned off. Without JavaScript it would refresh itself (a <meta> refresh inside
    <noscript>); with it, no <meta> refresh is in the page, so axe's every rule applies."""
    page.goto(url)
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert page.locator("[data-eis-poll-url]").count() == 1
    assert_accessible_at_both_widths(axe, page)
    stop = page.get_by_role("link", name="Stop refreshing this page")
    assert stop.is_visible()
    stop.click()
    page.wait_for_url("**refresh=off")
    assert page.locator("[data-eis-poll-url]").count() == 0
    assert page.get_by_role("button", name="Check again").is_visible()
    assert_accessible_at_both_widths(axe, page)
