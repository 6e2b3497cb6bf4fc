"""A plan file's rows as the importer reads them, whatever the file's layout (the import
template or the plan as published): one KPI row with its action's and commitment's details."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class PlanRow:
    """One KPI row of the template, with its action's and commitment's details."""

    row: int
    commitment_no: int
    commitment: str
    statement: str
    sector_no: int
    sector: str
    code: str
    action: str
    lead: str
    outcome: str
    ref: str
    kpi: str
    unit: str
    polarity: str
    baseline: Decimal | None
    baseline_period: str
    target: Decimal | None
    target_period: str
    target_kind: str
    target_not_agreed: bool | None  # None: not said, and no target given
    tolerance: Decimal | None
    lead_emails: tuple[str, ...]
    data_source: str
    frequency: str
    target_upper: Decimal | None = None
    target_comparator: str = ""  # a Comparator's code
    comparator_basis: str = ""
    target_group: str = ""  # a Cohort's code
    gap_narrowing: Decimal | None = None
    trend_periods: int | None = None
    trend_min_change: Decimal | None = None
    # What the KPI's own words state plainly (spreadsheets.plan_targets), used only for a
    # KPI with no unit or target of its own yet.
    stated: dict = field(default_factory=dict, compare=False)
