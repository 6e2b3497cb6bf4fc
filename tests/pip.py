"""A small SEND Priority Impact Plan built with the factories: monthly periods, two
priority areas each with an outcome, and dated actions. Tests use it until the plan's
workbook import is merged."""

from datetime import date, timedelta

from actions.models import Plan, Term
from tests.factories import ActionFactory, CommitmentFactory, SectorFactory


def send_pip() -> Plan:
    return Plan.objects.get(slug="send-pip")


def pip_month(year: int, month: int, **fields) -> Term:
    """The SEND plan's reporting month, updates due on the 7th of the month after."""
    start = date(year, month, 1)
    after = date(year + month // 12, month % 12 + 1, 7)  # the 7th of the month after
    return Term.objects.create(
        plan=send_pip(),
        start_date=start,
        end_date=after.replace(day=1) - timedelta(days=1),
        due_date=after,
        **fields,
    )


def pip_areas() -> list:
    """Two priority areas, each with one outcome under it: [(area, outcome), ...]."""
    plan = send_pip()
    found = []
    for number, (code, name) in enumerate(
        [("AFI 1", "Communication"), ("AFI 2", "Joint commissioning")], start=1
    ):
        area = CommitmentFactory(
            plan=plan, number=number, code=code, title=name.upper(), short_name=name
        )
        outcome = SectorFactory(
            plan=plan, position=number, code=f"{number}.1", name=f"{name} improves", commitment=area
        )
        found.append((area, outcome))
    return found


def pip_action(code: str, due_date: date | None, area_outcome=None, **fields):
    """A SEND plan action due on `due_date`, under the first area and outcome by default."""
    area, outcome = area_outcome or pip_areas()[0]
    return ActionFactory(commitment=area, sector=outcome, code=code, due_date=due_date, **fields)
