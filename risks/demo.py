"""Demo risks for the SEND Priority Impact Plan, drawn from the June 2024 plan's own themes
(waiting times, EHCP timeliness, workforce, the Safety Valve deficit). `demo.seed.demo_seed`
calls `seed_risks`; running it again refreshes the same risks."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from actions.models import Action, Commitment, Plan
from risks.models import Risk


@dataclass(frozen=True)
class DemoRisk:
    reference: str
    title: str
    description: str
    likelihood: int
    impact: int
    owner: str
    mitigation: str
    review_in_days: int  # from today; negative: the review is overdue
    areas: tuple[int, ...]  # priority area numbers
    actions: tuple[str, ...]  # action codes


DEMO_RISKS = (
    DemoRisk(
        "R1",
        "Waiting times for health assessments keep growing",
        "Referrals for speech and language, community paediatric and neurodevelopmental "
        "assessments outpace capacity, so children wait longer for assessment and support.",
        4,
        5,
        "Designated Clinical Officer",
        "Pathway reviews (3.1a to 3.1c), support-whilst-waiting offer and monthly waiting list "
        "analysis shared with the partnership.",
        -12,
        (3,),
        ("3.1a", "3.1b", "3.1c", "3.1f"),
    ),
    DemoRisk(
        "R2",
        "EHC plans are not issued within 20 weeks",
        "Rising requests for EHC needs assessments and late professional advice delay plans "
        "beyond the statutory timescale.",
        4,
        4,
        "Head of SEND",
        "EHC Assessment and Review Team capacity review and recovery plan; weekly performance "
        "data on timeliness.",
        9,
        (6,),
        ("6.1a", "6.2a"),
    ),
    DemoRisk(
        "R3",
        "Annual review backlog leaves plans out of date",
        "Amended plans after annual reviews are not issued in time, so plans no longer "
        "describe children's needs.",
        4,
        3,
        "Head of SEND",
        "Recovery plan for amended plans; quality assurance audits of reviews.",
        -5,
        (6,),
        ("6.2a",),
    ),
    DemoRisk(
        "R4",
        "Safety Valve deficit recovery slips",
        "High needs spending grows faster than planned, putting the Safety Valve agreement "
        "and its investment in the local system at risk.",
        3,
        5,
        "Director of Education",
        "Monthly Safety Valve monitoring with the DfE; sufficiency of local specialist places.",
        20,
        (1,),
        (),
    ),
    DemoRisk(
        "R5",
        "Workforce capacity across the partnership",
        "Vacancies and turnover among therapists, educational psychologists and caseworkers "
        "limit the capacity to assess and meet needs.",
        4,
        3,
        "Workforce Development Lead",
        "Partnership workforce strategy and training offer (9.1a, 9.1b); recruitment campaign.",
        -30,
        (9,),
        ("9.1a", "9.1b"),
    ),
    DemoRisk(
        "R6",
        "Trust of parents and carers does not improve",
        "Communication about the plan's progress does not reach families, so trust in the "
        "SEND system stays low.",
        3,
        3,
        "Head of Communications",
        "Co-produced communications with BURY2GETHER; Local Offer updated regularly.",
        14,
        (7,),
        ("7.1a",),
    ),
    DemoRisk(
        "R7",
        "Not enough suitable Alternative Provision",
        "The range of AP and oversight of EOTAS packages do not keep pace with need.",
        2,
        4,
        "Head of Inclusion",
        "AP Strategy 2024-26 and refreshed EOTAS policy.",
        30,
        (8,),
        ("8.1a",),
    ),
    DemoRisk(
        "R8",
        "Data too weak to show the plan's impact",
        "Measures lack baselines or timely data, so boards cannot see whether outcomes improve.",
        2,
        2,
        "Head of Performance and Intelligence",
        "Quality assurance framework and dataset (1.1d); measures reviewed quarterly.",
        40,
        (1,),
        ("1.1d",),
    ),
)


@transaction.atomic
def seed_risks() -> int:
    """Create or refresh the demo risks of the SEND plan, if its priority areas have been
    imported; returns how many there are (0 without them)."""
    plan = Plan.objects.filter(slug="send-pip").first()
    if plan is None:
        return 0
    areas = {c.number: c for c in Commitment.objects.filter(plan=plan)}
    if not areas:
        return 0
    actions = {a.code: a for a in Action.objects.filter(plan=plan)}
    today = timezone.localdate()
    for demo in DEMO_RISKS:
        risk, _ = Risk.objects.update_or_create(
            plan=plan,
            reference=demo.reference,
            defaults={
                "title": demo.title,
                "description": demo.description,
                "likelihood": demo.likelihood,
                "impact": demo.impact,
                "owner_description": demo.owner,
                "mitigation": demo.mitigation,
                "review_date": today + timedelta(days=demo.review_in_days),
            },
        )
        risk.areas.set([areas[n] for n in demo.areas if n in areas])
        risk.actions.set([actions[c] for c in demo.actions if c in actions])
    return len(DEMO_RISKS)
