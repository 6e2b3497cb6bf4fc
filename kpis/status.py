"""How a recorded value stands against its KPI's target: Green, Amber, Red or Grey."""

from decimal import ROUND_HALF_UP, Decimal

from kpis.models import KPI, KPIStatus, MilestoneStatus, Polarity, TargetKind

# Kinds whose target is a number the value itself can be compared with.
_NUMERIC_KINDS = {TargetKind.ABSOLUTE, TargetKind.THRESHOLD, TargetKind.CUMULATIVE}


def percentage(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator as a percentage to one decimal place, as DfE publishes."""
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def effective_target(kpi: KPI) -> Decimal | None:
    """The number a value must reach, or None when the target is not a comparable number.

    A "change" target holds the change itself, so it is applied to the baseline
    in the direction the polarity says is better.
    """
    if kpi.target_not_agreed or kpi.target_value is None:
        return None
    if kpi.target_kind in _NUMERIC_KINDS:
        return kpi.target_value
    if kpi.target_kind == TargetKind.CHANGE and kpi.baseline_value is not None:
        if kpi.polarity == Polarity.LOWER_BETTER:
            return kpi.baseline_value - kpi.target_value
        return kpi.baseline_value + kpi.target_value
    return None


def kpi_status(kpi: KPI, value: Decimal | None, milestone_status: str = "") -> str:
    """Green on or better than target, Amber within tolerance, Red beyond it, else Grey.

    Grey where there is no agreed numeric target, no value, or no direction of
    better; a milestone is Green once achieved and Grey until then.
    """
    if milestone_status:
        return KPIStatus.GREEN if milestone_status == MilestoneStatus.ACHIEVED else KPIStatus.GREY
    target = effective_target(kpi)
    if value is None or target is None or kpi.polarity == Polarity.NONE:
        return KPIStatus.GREY
    tolerance = kpi.tolerance or Decimal(0)
    if kpi.polarity == Polarity.WITHIN_BAND:
        upper = kpi.target_upper_value if kpi.target_upper_value is not None else target
        shortfall = max(target - value, value - upper, Decimal(0))
    elif kpi.polarity == Polarity.LOWER_BETTER:
        shortfall = value - target
    else:
        shortfall = target - value
    if shortfall <= 0:
        return KPIStatus.GREEN
    return KPIStatus.AMBER if shortfall <= tolerance else KPIStatus.RED
