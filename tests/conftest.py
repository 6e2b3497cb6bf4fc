import importlib
import io
import signal
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import Season
from kpis.models import Cohort, Comparator
from tests.factories import ActionFactory, KPIFactory, TermFactory, UserFactory

PLAN_WORKBOOK = Path(__file__).resolve().parents[1] / "fixtures" / "delivery_plan.xlsx"


@pytest.hookimpl(trylast=True)
def pytest_configure(config) -> None:
    """Hash test users' passwords quickly: full-strength PBKDF2 costs about a tenth of a
    second a user and proves nothing here. Production keeps Django's default hashers."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_tasks() -> int:
    """Run every queued job with the real worker (`manage.py db_worker`), as production
    does, until the queue is empty; returns how many jobs ran."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.exclude(status="READY").count()
    # The worker takes over these signals to stop gracefully; give them back after.
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {sig: signal.getsignal(sig) for sig in signals}
    # Between jobs the worker closes connections Django counts as obsolete; inside a test
    # the connection holds the test's transaction, which Django sees as autocommit turned
    # off and so obsolete (PostgreSQL then fails every later query). Django's test client
    # leaves connections open between requests for the same reason.
    recycle, db_worker.close_old_connections = db_worker.close_old_connections, lambda: None
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0",
            stdout=io.StringIO(),
            verbosity=0,
        )
    finally:
        db_worker.close_old_connections = recycle
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return DBTaskResult.objects.exclude(status="READY").count() - before


def restore_reference_data() -> None:
    """Put back what the migrations made (roles, cohorts, comparators, the two plans).

    Transactional tests (the browser tests, the concurrency test) empty every table
    when they finish; the next one needs these rows again.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("boards.migrations.0001_squashed_0005_feed_tokens")
    roles.assign_roles(Group, Permission)
    roles.grant(Group, Permission)
    cohorts = importlib.import_module("kpis.migrations.0001_squashed_0004_round_trip_uploads")
    cohorts.create(apps, None)
    importlib.import_module("actions.migrations.0007_plans").strategy_is_the_first_plan(apps, None)
    importlib.import_module("actions.migrations.0009_send_pip_plan").add_send_pip(apps, None)
    importlib.import_module("risks.migrations.0002_admin_permissions").grant_admins(apps, None)
    importlib.import_module("spreadsheets.migrations.0005_admin_permissions").grant_admins(apps)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with no cached dashboards.

    The cache lives in memory for the whole run, while each test's rows (the data
    version among them) are rolled back, so one test's copy would look current
    to the next.
    """
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference_data(transactional_db) -> None:
    restore_reference_data()


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-user", role="Admin", is_staff=True)


@pytest.fixture
def officer(db):
    return UserFactory(username="officer-user", role="Officer")


@pytest.fixture
def board_member(db):
    return UserFactory(username="board-user", role="Board member")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def board_client(client, board_member):
    client.force_login(board_member)
    return client


@pytest.fixture
def plan(db):
    """The real delivery plan, imported from the committed workbook."""
    call_command("import_plan", str(PLAN_WORKBOOK), "--plan", "eis", stdout=io.StringIO())


@pytest.fixture
def terms(db):
    """Spring and Summer 2026 of the 2025/26 academic year, the two terms most tests compare."""
    spring = TermFactory(
        academic_year="2025/26",
        season=Season.SPRING,
        start_date=date(2026, 1, 5),
        end_date=date(2026, 3, 27),
        due_date=date(2026, 3, 20),
    )
    summer = TermFactory(
        academic_year="2025/26",
        season=Season.SUMMER,
        start_date=date(2026, 4, 13),
        end_date=date(2026, 7, 20),
        due_date=date(2026, 7, 10),
    )
    return spring, summer


@pytest.fixture
def open_term(db):
    """A term running now, due in ten days, whatever today is."""
    today = timezone.localdate()
    return TermFactory(
        academic_year=f"{today.year}/{str(today.year + 1)[2:]}",
        season=Season.AUTUMN,
        start_date=today - timedelta(days=30),
        end_date=today + timedelta(days=30),
        due_date=today + timedelta(days=10),
    )


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", first_name="Hannah", last_name="Clarke", role="Officer")


@pytest.fixture
def led_action(lead):
    """An action led by `lead`: a percentage KPI with a breakdown and a comparator, and a count."""
    action = ActionFactory(code="1.2(a)", text="Ensuring high quality Early Years provision")
    action.leads.add(lead)
    gld = KPIFactory(
        action=action,
        ref="i",
        text="% achieving GLD",
        unit="percent",
        target_not_agreed=False,
        target_kind="absolute",
        target_value=74,
        tolerance=2,
    )
    gld.breakdown_cohorts.add(Cohort.objects.get(code="disadvantaged"))
    gld.comparators.add(Comparator.objects.get(code="england"))
    KPIFactory(
        action=action,
        ref="ii",
        text="Number of families engaged",
        unit="count",
        polarity="higher_better",
    )
    return action


def generated_pack(*, meeting, term, user):
    """A board pack generated as an admin does, and prepared by the worker."""
    from boards.services import board_pack_generate

    pack = board_pack_generate(meeting=meeting, term=term, user=user)
    run_tasks()
    pack.refresh_from_db()
    return pack


# In a table of downloads: the workbook the worker prepares, not a page's own address.
PREPARED = "prepared by the worker"


def fetch_download(client, url: str, query: dict):
    """A download as a person gets it: straight from its address, or prepared by the worker."""
    return prepared_workbook(client, query) if url == PREPARED else client.get(url, query)


def prepared_workbook(client, data: dict):
    """The plan-and-figures workbook as a person gets it: they press "Prepare the workbook"
    (a POST of `data`: plan, mine or board), the worker builds it, and they download it from
    its page. Returns the download's response."""
    from django.urls import resolve, reverse

    asked = client.post(reverse("spreadsheets:plan_export_prepare"), data)
    assert asked.status_code == 302, asked.status_code
    run_tasks()
    page = client.get(asked["Location"])
    assert page.status_code == 200, page.content.decode()[:2000]
    pk = resolve(asked["Location"]).kwargs["pk"]
    return client.get(reverse("spreadsheets:prepared_download_file", args=[pk]))
