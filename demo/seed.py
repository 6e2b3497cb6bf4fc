"""Demo data for development mode: users for each role, terms, leads, ratings and values.

Figures for the measures in `demo.figures` are anchored on the council's
published papers; everything made here is flagged `is_demo` and shown as demo.
Runs are repeatable: demo rows are replaced, real rows are never touched.
"""

import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from actions.models import Action, Plan, ProgressUpdate, Rating, Season, Term, UpdateStatus
from actions.services import term_publish
from boards.models import Board
from bury_eis.roles import ADMIN, BOARD_MEMBER, OFFICER
from demo.figures import COHORTS, COMPARATORS, MEASURES, DemoMeasure, DemoPoint
from demo.send_pip import send_pip_seed
from demo.updates import demo_update
from kpis.models import KPI, Cohort, Comparator, ComparatorValue, KPIValue
from kpis.standings import standings_refresh
from kpis.status import percentage, restatus
from risks.demo import seed_risks

DEMO_PASSWORD = "bury-demo-2026"  # noqa: S105 - published on purpose, development mode only
DEMO_DOMAIN = "example.org"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    title: str


DEMO_USERS = [
    DemoUser("admin", "Alex", "Morgan", ADMIN, "Strategy and performance admin"),
    DemoUser("officer", "Priya", "Shah", OFFICER, "School Assurance Officer"),
    DemoUser("eyears", "Hannah", "Clarke", OFFICER, "Early Years lead"),
    DemoUser("send", "Daniel", "Okafor", OFFICER, "SEND lead"),
    DemoUser("vschool", "Sarah", "Whitworth", OFFICER, "Virtual School Head"),
    DemoUser("inclusion", "Tom", "Brennan", OFFICER, "Inclusion and AP lead"),
    DemoUser("post16", "Aisha", "Rahman", OFFICER, "Post-16 and skills lead"),
    DemoUser("place", "Mark", "Holden", OFFICER, "School place planning lead"),
    DemoUser("board", "Ruth", "Ellison", BOARD_MEMBER, "Education Board member"),
    DemoUser("scrutiny", "Cllr Jane", "Fairclough", BOARD_MEMBER, "Scrutiny Committee member"),
]

# Who leads what in the demo: by sector, with All Settings split by commitment.
SECTOR_LEADS = {2: "eyears", 3: "officer", 4: "inclusion", 5: "post16"}
ALL_SETTINGS_LEADS = {1: "send", 2: "vschool", 3: "officer", 4: "vschool", 5: "place"}

# (academic year, season, start, end, due, locked)
TERMS = [
    ("2024/25", Season.AUTUMN, date(2024, 9, 2), date(2024, 12, 20), date(2024, 12, 6), True),
    ("2024/25", Season.SPRING, date(2025, 1, 6), date(2025, 4, 4), date(2025, 3, 21), True),
    ("2024/25", Season.SUMMER, date(2025, 4, 22), date(2025, 7, 22), date(2025, 7, 4), True),
    ("2025/26", Season.AUTUMN, date(2025, 9, 1), date(2025, 12, 19), date(2025, 12, 5), True),
    ("2025/26", Season.SPRING, date(2026, 1, 5), date(2026, 3, 27), date(2026, 3, 13), True),
    ("2025/26", Season.SUMMER, date(2026, 4, 13), date(2026, 7, 21), date(2026, 7, 3), False),
    ("2026/27", Season.AUTUMN, date(2026, 9, 2), date(2026, 12, 18), date(2026, 12, 4), False),
]


def demo_seed(*, scale: int = 1, seed: int = 2026) -> dict[str, int]:
    """Create or refresh all demo data in one transaction; return counts of what exists."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    with transaction.atomic():
        users = _users()
        terms = _terms()
        if not Term.objects.filter(is_published=True).exists():
            # The board looks at the term that has just ended; the newest is still open.
            term_publish(terms[-2])
        if scale > 1:
            _scale_plan(scale)
        _assign_leads(users)
        _boards(users)
        KPIValue.objects.filter(is_demo=True).delete()
        ProgressUpdate.objects.filter(is_demo=True).delete()
        _updates(terms, users, rng)
        _measure_values(terms, users)
        pip_updates = send_pip_seed(users, rng)
        risks = seed_risks()
        restatus()
        standings_refresh()
    # Bulk inserts leave the planner's statistics (and PostgreSQL's visibility map, which
    # index-only scans need) stale until autovacuum gets to them; at --scale 100 that made
    # list pages 30 times slower on PostgreSQL.
    with connection.cursor() as cursor:
        # VACUUM cannot run inside a transaction (a test's, say); ANALYZE alone can.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return {
        "users": len(users),
        "terms": len(terms),
        "actions": Action.objects.count(),
        "KPIs": KPI.objects.count(),
        "updates": ProgressUpdate.objects.filter(is_demo=True).count(),
        "values": KPIValue.objects.filter(is_demo=True).count(),
        "SEND plan updates": pip_updates,
        "SEND plan risks": risks,
    }


def _users() -> dict[str, object]:
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.all()}
    users = {}
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@{DEMO_DOMAIN}",
                "is_staff": spec.role == ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(groups[spec.role])
        users[spec.username] = user
    return users


def _terms() -> list[Term]:
    terms = []
    plan = Plan.objects.get(slug="eis")
    for year, season, start, end, due, locked in TERMS:
        term, _ = Term.objects.update_or_create(
            plan=plan,
            academic_year=year,
            season=season,
            defaults={"start_date": start, "end_date": end, "due_date": due, "is_locked": locked},
        )
        terms.append(term)
    return terms


def _scale_plan(scale: int) -> None:
    """Copy every original action and its KPIs until the plan exists `scale` times.

    Copies get codes like 1.1(a)/2 under the same commitment and sector, so
    dashboards and lists see a plan `scale` times the size. Existing copies are kept.
    """
    originals = list(
        Action.objects.filter(plan__slug="eis").exclude(code__contains="/").order_by("position")
    )
    kpis_by_action: dict[int, list[KPI]] = {}
    for kpi in KPI.objects.filter(action__in=originals).order_by("position"):
        kpis_by_action.setdefault(kpi.action_id, []).append(kpi)
    existing = set(Action.objects.filter(code__contains="/").values_list("code", flat=True))
    step = len(originals)
    new_actions = [
        Action(
            code=f"{a.code}/{copy}",
            plan_id=a.plan_id,
            commitment_id=a.commitment_id,
            sector_id=a.sector_id,
            text=a.text,
            outcome=a.outcome,
            lead_description=a.lead_description,
            position=a.position + step * (copy - 1),
        )
        for copy in range(2, scale + 1)
        for a in originals
        if f"{a.code}/{copy}" not in existing
    ]
    Action.objects.bulk_create(new_actions, batch_size=2000)
    source = {a.code: a.pk for a in originals}
    created = Action.objects.filter(code__in=[a.code for a in new_actions]).values_list(
        "pk", "code"
    )
    new_kpis = [
        KPI(action_id=pk, ref=k.ref, text=k.text, position=k.position)
        for pk, code in created
        for k in kpis_by_action.get(source[code.split("/")[0]], [])
    ]
    KPI.objects.bulk_create(new_kpis, batch_size=5000)


def _lead_for(action: Action) -> str:
    sector_position = action.sector.position
    if sector_position in SECTOR_LEADS:
        return SECTOR_LEADS[sector_position]
    return ALL_SETTINGS_LEADS.get(action.commitment.number, "officer")


def _assign_leads(users: dict) -> None:
    through = Action.leads.through
    links = [
        through(action_id=action.pk, user_id=users[_lead_for(action)].pk)
        for action in Action.objects.filter(plan__slug="eis").select_related("sector", "commitment")
    ]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)


def _boards(users: dict) -> None:
    eis = Plan.objects.get(slug="eis")
    education, _ = Board.objects.get_or_create(
        slug="education-board",
        defaults={
            "plan": eis,
            "name": "Bury Education and Inclusion Board",
            "description": "Monitors delivery of the whole Education and Inclusion Strategy.",
        },
    )
    education.members.add(users["board"], users["admin"])
    scrutiny, _ = Board.objects.get_or_create(
        slug="cyp-scrutiny",
        defaults={
            "plan": eis,
            "name": "Children and Young People Scrutiny Committee",
            "description": "Councillors and co-opted members; receives public papers.",
        },
    )
    scrutiny.members.add(users["scrutiny"])
    for board, day in [
        (education, date(2026, 3, 17)),
        (education, date(2026, 7, 14)),
        (education, date(2026, 12, 8)),
        (scrutiny, date(2026, 1, 20)),
        (scrutiny, date(2027, 1, 19)),
    ]:
        board.meetings.get_or_create(date=day)


# Rating paths over the seven demo terms, and how common each is.
PROFILES = [
    (30, "grey green green green green green green"),
    (20, "grey amber amber green green green green"),
    (10, "grey green green green blue blue blue"),
    (12, "green green amber amber red amber amber"),
    (18, "grey grey grey grey amber green green"),
    (10, "grey amber amber red red red amber"),
]


def _state_for(term_index: int, last: int, roll: float) -> str | None:
    """Approval state of an action's update in a term; None means nobody reported."""
    if term_index < last - 1:
        return None if roll < 0.04 else UpdateStatus.APPROVED
    if term_index == last - 1:  # the term just ended: mostly approved, some late
        bands = [(0.14, None), (0.24, UpdateStatus.SUBMITTED), (0.27, UpdateStatus.RETURNED)]
        return next((state for edge, state in bands if roll < edge), UpdateStatus.APPROVED)
    bands = [(0.15, UpdateStatus.DRAFT), (0.25, UpdateStatus.SUBMITTED)]
    return next((state for edge, state in bands if roll < edge), None)


def _updates(terms: list[Term], users: dict, rng: random.Random) -> None:
    weights = [w for w, _ in PROFILES]
    paths = [p.split() for _, p in PROFILES]
    leads = {u.pk: u for u in users.values()}
    lead_of = dict(Action.leads.through.objects.values_list("action_id", "user_id"))
    real = set(ProgressUpdate.objects.values_list("action_id", "term_id"))
    rows = []
    for action in Action.objects.filter(plan__slug="eis").only("pk", "text", "code"):
        path = rng.choices(paths, weights)[0]
        lead = leads.get(lead_of.get(action.pk), users["officer"])
        for index, term in enumerate(terms):
            state = _state_for(index, len(terms) - 1, rng.random())
            if state is None or (action.pk, term.pk) in real:
                continue
            rows.append(
                demo_update(action, term, Rating(path[index]), state, lead, users["admin"], rng)
            )
    ProgressUpdate.objects.bulk_create(rows, batch_size=5000)


def _measure_values(terms: list[Term], users: dict) -> None:
    """Give the measures in demo_figures their units, targets and termly values."""
    by_label = {t.label: t for t in terms}
    cohorts = {c.code: c for c in Cohort.objects.filter(code__in=COHORTS)}
    comparators = {c.code: c for c in Comparator.objects.filter(code__in=COMPARATORS)}
    lead_of = dict(Action.leads.through.objects.values_list("action_id", "user_id"))
    kpis = _kpis_for_measures()
    values, comparisons = [], []
    for measure in MEASURES:
        for kpi in kpis.get((measure.action_code, measure.kpi_ref), []):
            _apply_measure(kpi, measure, comparators)
            for point in measure.points:
                rows = _point_values(
                    kpi, point, by_label[point.term], cohorts, lead_of.get(kpi.action_id)
                )
                values += rows
                comparisons += [
                    (rows[0], comparators[code], value, period)
                    for code, (value, period) in point.comparators.items()
                ]
    _breakdowns(kpis, cohorts, comparators)
    KPIValue.objects.bulk_create(values, batch_size=5000)
    ComparatorValue.objects.bulk_create(
        [
            ComparatorValue(kpi_value=v, comparator=c, value=n, period=p)
            for v, c, n, p in comparisons
        ],
        batch_size=5000,
    )


def _breakdowns(kpis: dict, cohorts: dict, comparators: dict) -> None:
    """Offer each demo measure's groups and comparators on its update page."""
    cohort_links, comparator_links = [], []
    for measure in MEASURES:
        groups = {code for point in measure.points for code in point.cohorts}
        benchmarks = {code for point in measure.points for code in point.comparators}
        for kpi in kpis.get((measure.action_code, measure.kpi_ref), []):
            cohort_links += [
                KPI.breakdown_cohorts.through(kpi=kpi, cohort=cohorts[c]) for c in groups
            ]
            comparator_links += [
                KPI.comparators.through(kpi=kpi, comparator=comparators[c]) for c in benchmarks
            ]
    KPI.breakdown_cohorts.through.objects.bulk_create(cohort_links, ignore_conflicts=True)
    KPI.comparators.through.objects.bulk_create(comparator_links, ignore_conflicts=True)


def _kpis_for_measures() -> dict[tuple[str, str], list[KPI]]:
    """The strategy's KPIs (and any scaled copies') keyed by original code and ref."""
    found: dict[tuple[str, str], list[KPI]] = {}
    refs = {(m.action_code, m.kpi_ref) for m in MEASURES}
    strategy = KPI.objects.filter(action__plan__slug="eis", ref__in={r for _, r in refs})
    for kpi in strategy.select_related("action"):
        key = (kpi.action.code.split("/")[0], kpi.ref)
        if key in refs:
            found.setdefault(key, []).append(kpi)
    return found


def _apply_measure(kpi: KPI, measure: DemoMeasure, comparators: dict) -> None:
    kpi.unit = measure.unit
    kpi.polarity = measure.polarity
    kpi.baseline_value = measure.baseline
    kpi.baseline_period = measure.baseline_period
    kpi.target_value = measure.target
    kpi.target_period = measure.target_period
    kpi.target_kind = measure.target_kind
    kpi.target_not_agreed = measure.target is None and measure.target_kind == "to_be_agreed"
    kpi.tolerance = measure.tolerance
    kpi.data_source = f"Demo figures: {measure.data_source}"
    kpi.frequency = measure.frequency
    if measure.target_kind == "comparator":
        # The comparator the target names is the one whose figures the demo records beside it;
        # "in line with national ... or better" is judged as in line, the rest at or better.
        named = {code for point in measure.points for code in point.comparators}
        if len(named) == 1:
            kpi.target_comparator = comparators[named.pop()]
            in_line = "in line" in measure.target_period.lower()
            kpi.comparator_basis = "in_line" if in_line else "at_or_better"
    kpi.save()


def _point_values(
    kpi, point: DemoPoint, term: Term, cohorts: dict, entered_by: int | None
) -> list[KPIValue]:
    """The all-pupil value of a demo point, then one value per cohort breakdown."""
    value = point.value
    if value is None and point.numerator is not None and point.denominator:
        value = percentage(point.numerator, point.denominator)
    common = {
        "kpi": kpi,
        "term": term,
        "data_period": point.data_period,
        "maturity": point.maturity,
        "entered_by_id": entered_by,
        "is_demo": True,
    }
    milestone = (point.milestone_status or "in_progress") if kpi.unit == "milestone" else ""
    rows = [
        KPIValue(
            **common,
            cohort=cohorts["all"],
            value=value,
            numerator=point.numerator,
            denominator=point.denominator,
            cohort_size=point.cohort_size,
            milestone_status=milestone,
        )
    ]
    rows += [
        KPIValue(**common, cohort=cohorts[code], value=v)
        for code, v in point.cohorts.items()
        if code != "all"
    ]
    return rows
