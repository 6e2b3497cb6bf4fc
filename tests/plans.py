"""A small SEND plan (send-pip) beside the strategy, for tests that need both plans."""

from dataclasses import dataclass
from datetime import date

from actions.models import Action, Commitment, Plan, Term
from kpis.models import KPI
from tests.factories import ActionFactory, CommitmentFactory, KPIFactory, SectorFactory, TermFactory


@dataclass
class SendPlan:
    plan: Plan
    area: Commitment
    other_area: Commitment
    action: Action
    measure: KPI
    month: Term


def send_pip(code: str = "1.1a") -> SendPlan:
    """Priority area AFI 1 with outcome 1.1 and its action `code` (due October 2024), a
    measure of the area also relevant to AFI 2, and the month October 2026, open now."""
    plan = Plan.objects.get(slug="send-pip")
    area = CommitmentFactory(plan=plan, number=1, code="AFI 1", short_name="Communication")
    other = CommitmentFactory(plan=plan, number=2, code="AFI 2", short_name="Identification")
    outcome = SectorFactory(plan=plan, position=1, code="1.1", name="Families", commitment=area)
    action = ActionFactory(
        commitment=area,
        sector=outcome,
        code=code,
        text="Publish a communication strategy.",
        due_date=date(2024, 10, 31),
        due_text="October 2024",
    )
    measure = KPIFactory(action=None, area=area, ref="i", text="Families feel listened to")
    measure.also_areas.add(other)
    month = TermFactory(
        plan=plan,
        name="October 2026",
        academic_year="",
        season="",
        start_date=date(2026, 10, 1),
        end_date=date(2026, 10, 31),
        due_date=date(2026, 11, 7),
    )
    return SendPlan(plan, area, other, action, measure, month)
