"""How a recorded figure stands against its KPI's target: Green, Amber, Red or Grey, and why.

One table (JUDGES) maps each kind of target to the function that judges it; README's "How
statuses are judged" gives a worked example of each. Every verdict carries a reason a page
can print. Grey only where there is no target agreed, no figure, or nothing to judge the
figure against (no comparator figure for the period, no earlier figure for a trend) – and the
reason says which.

Periods are compared on the days they end (kpis.periods). Where two figures describe one
period, the newest reported wins: the later reporting term, then the later save.

Statuses are stored on each KPIValue and kept current by `restatus`, which every write path
calls before the standings are refreshed: saving an update, the plan import, the admin's
edits to KPIs, terms, cohorts and comparators, and the demo data.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from actions.models import ProgressUpdate, Term, UpdateStatus
from actions.schedule import DEFAULT_DUE_SOON_WEEKS, Schedule, schedule_status
from bury_eis.formatting import with_unit
from kpis.models import (
    KPI,
    Cohort,
    ComparatorBasis,
    ComparatorValue,
    KPIStatus,
    KPIValue,
    MilestoneStatus,
    Polarity,
    TargetKind,
    Unit,
)
from kpis.periods import end_text, months_between, period_end, term_ends

GREEN, AMBER, RED, GREY = KPIStatus.GREEN, KPIStatus.AMBER, KPIStatus.RED, KPIStatus.GREY
ALL = Cohort.ALL_PUPILS
NO_TARGET = "No target agreed"
NO_FIGURE = "No figure this period"


def percentage(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator as a percentage to one decimal place, as DfE publishes."""
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def effective_target(kpi: KPI) -> Decimal | None:
    """The number a figure must reach, or None when the target is not such a number.

    A "change" target holds the change itself, so it is applied to the baseline in the
    direction of better: +9 points on a 65 % baseline is 74 %. Charts draw this line and
    pages print it, so both show the same target.
    """
    if kpi.target_not_agreed or kpi.target_value is None:
        return None
    if kpi.target_kind in (
        TargetKind.ABSOLUTE,
        TargetKind.THRESHOLD,
        TargetKind.CUMULATIVE,
        TargetKind.RANGE,
    ):
        return kpi.target_value
    if kpi.target_kind == TargetKind.GAP and not kpi.target_cohort_id:
        return kpi.target_value  # the figure is itself the gap, e.g. 15 percentage points
    if kpi.target_kind == TargetKind.CHANGE and kpi.baseline_value is not None:
        if direction(kpi) < 0:
            return kpi.baseline_value - kpi.target_value
        return kpi.baseline_value + kpi.target_value
    return None


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str


@dataclass(frozen=True)
class Figure:
    """One recorded figure as the engine sees it, taken from a KPIValue (or written by hand
    in tests). `order` breaks ties between figures reported in the same term: later wins.
    A figure whose term's update is not approved (`approved` False) is judged, but other
    terms' figures are never judged against it: a draft moves no approved status."""

    cohort: str
    period: str
    value: Decimal | None = None
    term: str = ""
    term_end: date | None = None
    order: datetime | int = 0
    milestone: str = ""
    # comparator code -> (figure, the period it describes)
    comparators: dict[str, tuple[Decimal, str]] = field(default_factory=dict)
    approved: bool = True
    no_new_data: bool = False


@dataclass
class _Context:
    """A KPI with the figures a figure reported in `term` may be judged with: its own term's,
    and other terms' approved ones."""

    kpi: KPI
    all_figures: list[Figure]
    ends: dict[str, date]
    term: str = ""
    _period_ends: dict[str, date | None] = field(default_factory=dict)

    @property
    def figures(self) -> list[Figure]:
        return [f for f in self.all_figures if f.approved or f.term == self.term]

    def end(self, label: str) -> date | None:
        if label not in self._period_ends:
            self._period_ends[label] = period_end(label, term_ends=self.ends)
        return self._period_ends[label]

    def reported(self, figure: Figure) -> tuple:
        term_end = figure.term_end or self.end(figure.term) or date.min
        return (term_end, figure.order)

    def when(self, figure: Figure) -> date | None:
        """The end of the period a figure describes, else of the term it was reported in."""
        return self.end(figure.period) or figure.term_end or self.end(figure.term)

    def series(
        self, cohort: str, up_to: date, *, with_baseline: bool = True
    ) -> list[tuple[date, Decimal]]:
        """(period end, figure) of a group, oldest first, one per period – the newest
        reported – up to `up_to`; the baseline counts as the first if no figure covers it
        (unless the baseline is of something else, as a gap's is)."""
        newest: dict[date, Figure] = {}
        for figure in self.figures:
            when = self.when(figure)
            if figure.cohort != cohort or figure.value is None or when is None or when > up_to:
                continue
            held = newest.get(when)
            if held is None or self.reported(figure) > self.reported(held):
                newest[when] = figure
        points = {when: figure.value for when, figure in newest.items()}
        base_end = self.baseline_end()
        if (
            with_baseline
            and cohort == self.subject()
            and self.kpi.baseline_value is not None
            and base_end is not None
            and base_end <= up_to
        ):
            points.setdefault(base_end, self.kpi.baseline_value)
        return sorted(points.items())

    def baseline_end(self) -> date | None:
        return self.end(self.kpi.baseline_period) if self.kpi.baseline_period else None

    def due(self) -> date | None:
        """The target date: the target period's end, a bare year read like the baseline's."""
        if not self.kpi.target_period:
            return None
        return period_end(self.kpi.target_period, term_ends=self.ends, like=self.baseline_end())

    def subject(self) -> str:
        cohort = self.kpi.target_cohort if self.kpi.target_cohort_id else None
        return cohort.code if cohort else ALL

    def comparator_figure(self, code: str, up_to: date) -> tuple[Decimal, str] | None:
        """The comparator's figure for the period ending `up_to`, or its latest earlier one."""
        best, best_key = None, None
        for figure in self.figures:
            if code not in figure.comparators:
                continue
            value, period = figure.comparators[code]
            when = self.end(period) or self.when(figure)
            if when is None or when > up_to:
                continue
            key = (when, self.reported(figure))
            if best_key is None or key > best_key:
                best, best_key = (value, period), key
        return best


def direction(kpi: KPI) -> int:
    """+1 where higher is better, -1 where lower is, 0 where no direction is agreed.

    With no polarity recorded, a target above its baseline says higher is better (and
    below, lower): the plan's own numbers, not a guess.
    """
    if kpi.polarity == Polarity.HIGHER_BETTER:
        return 1
    if kpi.polarity == Polarity.LOWER_BETTER:
        return -1
    if (
        kpi.polarity == Polarity.NONE
        and kpi.target_kind in (TargetKind.ABSOLUTE, TargetKind.CUMULATIVE)
        and kpi.target_value is not None
        and kpi.baseline_value is not None
        and kpi.target_value != kpi.baseline_value
    ):
        return 1 if kpi.target_value > kpi.baseline_value else -1
    return 0


def _shown(kpi: KPI, value: Decimal | float) -> str:
    number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return with_unit(number, kpi.unit)


def _by(kpi: KPI, amount: Decimal | float) -> str:
    """A difference in the measure's unit: between percentages, in percentage points."""
    if kpi.unit == Unit.PERCENT:
        number = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        number = number.normalize()
        return f"{number:f} percentage point{'' if number == 1 else 's'}"
    return _shown(kpi, amount)


def _against(kpi: KPI, value: Decimal, aim: Decimal, sign: int, what: str) -> Verdict:
    """Green at or beyond `aim` in the better direction, Amber short by no more than the
    tolerance, Red beyond it. `what` names the aim for the reason."""
    shortfall = (aim - value) * sign
    if shortfall <= 0:
        return Verdict(GREEN, f"At or better than {what}")
    tolerance = kpi.tolerance or Decimal(0)
    gap = _by(kpi, shortfall)
    if shortfall <= tolerance:
        return Verdict(
            AMBER, f"{gap} short of {what}, within the tolerance of {_by(kpi, tolerance)}"
        )
    return Verdict(RED, f"{gap} short of {what}")


# ---------------------------------------------------------------------------------------------
# The judges: one per kind of target. Each gets the context and the figure to judge (already
# the target group's figure) and returns a verdict.
# ---------------------------------------------------------------------------------------------


def _reach(ctx: _Context, figure: Figure) -> Verdict:
    """Absolute, cumulative and change targets: reach a number, by a date if one is given.

    Before the target date the figure is judged against the straight line from the baseline
    to the target: the value expected at the end of the figure's period.
    """
    kpi = ctx.kpi
    target = effective_target(kpi)
    if target is None:
        if kpi.target_kind == TargetKind.CHANGE and kpi.target_value is not None:
            return Verdict(GREY, "No baseline to apply the agreed change to")
        return Verdict(GREY, "No target figure agreed")
    sign = direction(kpi)
    if sign == 0:
        return Verdict(GREY, "No direction of better agreed")
    due, when = ctx.due(), ctx.when(figure)
    final = f"the target of {_shown(kpi, target)}"
    if due is None or when is None or when >= due:
        return _against(kpi, figure.value, target, sign, final)
    by = f"{final} by {end_text(due)}"
    start = ctx.baseline_end()
    if kpi.baseline_value is None or start is None or start >= due:
        if (target - figure.value) * sign <= 0:
            return Verdict(GREEN, f"Already at or better than {by}")
        return Verdict(AMBER, f"Short of {by}; no baseline to set a trajectory")
    share = Decimal(months_between(start, when)) / Decimal(months_between(start, due))
    share = min(max(share, Decimal(0)), Decimal(1))
    expected = kpi.baseline_value + (target - kpi.baseline_value) * share
    what = f"the {_shown(kpi, expected)} expected by {end_text(when)} on the way to {by}"
    return _against(kpi, figure.value, expected, sign, what)


def _threshold(ctx: _Context, figure: Figure) -> Verdict:
    """Stay beyond a line at all times (e.g. consistently above 90 %): no trajectory."""
    kpi = ctx.kpi
    if kpi.target_value is None:
        return Verdict(GREY, "No threshold figure agreed")
    sign = direction(kpi)
    if sign == 0:
        return Verdict(GREY, "No direction of better agreed")
    word = "above" if sign > 0 else "below"
    return _against(
        kpi,
        figure.value,
        kpi.target_value,
        sign,
        f"the threshold ({word} {_shown(kpi, kpi.target_value)})",
    )


def _range(ctx: _Context, figure: Figure) -> Verdict:
    """Stay within a band: Green inside, Amber outside by no more than the tolerance."""
    kpi = ctx.kpi
    low, high = kpi.target_value, kpi.target_upper_value
    if low is None or high is None:
        return Verdict(GREY, "No band agreed (both ends are needed)")
    band = f"the band {_shown(kpi, low)} to {_shown(kpi, high)}"
    outside = max(low - figure.value, figure.value - high, Decimal(0))
    if outside == 0:
        return Verdict(GREEN, f"Within {band}")
    tolerance = kpi.tolerance or Decimal(0)
    status = AMBER if outside <= tolerance else RED
    return Verdict(status, f"{_by(kpi, outside)} outside {band}")


def _comparator(ctx: _Context, figure: Figure) -> Verdict:
    """At or better than, or in line with, the named comparator's figure for the same period
    or the latest earlier one. "In line" is Green within the tolerance either side (or
    better) and Red beyond it; "at or better" has an Amber band of the tolerance."""
    kpi = ctx.kpi
    sign = direction(kpi)
    if sign == 0:
        return Verdict(GREY, "No direction of better agreed")
    when = ctx.when(figure)
    comparator = kpi.target_comparator if kpi.target_comparator_id else None
    found = ctx.comparator_figure(comparator.code, when) if comparator and when else None
    if found is not None:
        aim, what = found[0], f"{comparator.name} {_shown(kpi, found[0])} ({found[1]})"
    elif kpi.target_value is not None and not kpi.target_not_agreed:
        aim, what = kpi.target_value, f"the comparator figure of {_shown(kpi, kpi.target_value)}"
    elif comparator is None:
        return Verdict(GREY, "No comparator named for the target")
    else:
        return Verdict(GREY, f"No {comparator.name} figure for {figure.period} or earlier")
    if kpi.comparator_basis == ComparatorBasis.IN_LINE:
        tolerance = kpi.tolerance or Decimal(0)
        shortfall = (aim - figure.value) * sign
        if shortfall <= tolerance:
            return Verdict(GREEN, f"In line with {what}")
        return Verdict(
            RED,
            f"{_by(kpi, shortfall)} short of {what}, beyond the "
            f"{_by(kpi, tolerance)} counted as in line",
        )
    return _against(kpi, figure.value, aim, sign, what)


def _trend(ctx: _Context, figure: Figure) -> Verdict:
    """Move the better way over the last N figures (default 2: this and the one before) by at
    least the minimum change. Amber where it moved the right way by less, or stayed within the
    tolerance; Red where it moved the wrong way by more."""
    kpi = ctx.kpi
    sign = direction(kpi)
    if sign == 0:
        return Verdict(GREY, "No direction of better agreed")
    when = ctx.when(figure)
    points = ctx.series(figure.cohort, when) if when else []
    points = [(w, v) for w, v in points if w < when] + [(when, figure.value)]
    window = points[-(kpi.trend_periods or 2) :]
    if len(window) < 2:
        return Verdict(GREY, "No earlier figure to judge a trend against")
    change = (window[-1][1] - window[0][1]) * sign
    least = kpi.trend_min_change or Decimal(0)
    since = f"since {end_text(window[0][0])}"
    moved = f"{'better' if change > 0 else 'worse'} by {_by(kpi, abs(change))} {since}"
    if change > 0 and change >= least:
        return Verdict(GREEN, _first_up(moved))
    tolerance = kpi.tolerance or Decimal(0)
    if change > 0:
        return Verdict(AMBER, f"{_first_up(moved)}, less than the {_by(kpi, least)} aimed for")
    if -change <= tolerance:
        return Verdict(
            AMBER,
            f"No better {since}"
            + (f" (within the tolerance of {_by(kpi, tolerance)})" if change else ""),
        )
    return Verdict(RED, _first_up(moved))


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _gap(ctx: _Context, figure: Figure) -> Verdict:
    """Close a gap: a group's gap to all pupils (or to the named comparator) narrows by at
    least the set amount each period; or, where the figure is itself the gap, it reaches
    the target by its date like any other number."""
    kpi = ctx.kpi
    group = kpi.target_cohort if kpi.target_cohort_id else None
    when = ctx.when(figure)
    if group is None:
        if kpi.gap_narrowing is not None:
            return _narrowing(ctx, figure, ctx.series(figure.cohort, when), "The gap")
        return _reach(ctx, figure)
    gaps = _group_gaps(ctx, when)
    if not gaps or gaps[-1][0] != when:
        reference = _gap_reference(ctx)
        return Verdict(GREY, f"No {reference} figure for {figure.period} to measure the gap")
    sign = direction(kpi)
    latest = gaps[-1][1]
    if sign and latest * sign >= 0:
        return Verdict(GREEN, f"No gap: {group.name} at or better than {_gap_reference(ctx)}")
    if kpi.gap_narrowing is None:
        if kpi.target_value is not None:
            shown = [(w, abs(g)) for w, g in gaps]
            return _reach_gap(ctx, shown[-1][1])
        return Verdict(GREY, "No narrowing agreed for the gap")
    return _narrowing(ctx, figure, [(w, abs(g)) for w, g in gaps], f"The gap for {group.name}")


def _reach_gap(ctx: _Context, gap: Decimal) -> Verdict:
    kpi = ctx.kpi
    return _against(kpi, gap, kpi.target_value, -1, f"a gap of {_shown(kpi, kpi.target_value)}")


def _gap_reference(ctx: _Context) -> str:
    kpi = ctx.kpi
    return kpi.target_comparator.name if kpi.target_comparator_id else "all pupils"


def _group_gaps(ctx: _Context, up_to: date) -> list[tuple[date, Decimal]]:
    """(period end, group figure − reference figure) for each period with both."""
    kpi = ctx.kpi
    own = dict(ctx.series(kpi.target_cohort.code, up_to, with_baseline=False))
    if kpi.target_comparator_id:
        code = kpi.target_comparator.code
        reference = {}
        for when in own:
            found = ctx.comparator_figure(code, when)
            if found is not None and ctx.end(found[1]) in (None, when):
                reference[when] = found[0]
    else:
        reference = dict(ctx.series(ALL, up_to))
    return [(w, own[w] - reference[w]) for w in sorted(own) if w in reference]


def _narrowing(ctx: _Context, figure: Figure, gaps: list, what: str) -> Verdict:
    kpi = ctx.kpi
    when = ctx.when(figure)
    gaps = [(w, abs(g)) for w, g in gaps if w <= when]
    if len(gaps) < 2 or gaps[-1][0] != when:
        return Verdict(GREY, "No earlier gap to compare with")
    (before_end, before), (_, now) = gaps[-2], gaps[-1]
    narrowed, step = before - now, kpi.gap_narrowing
    if narrowed:
        how = "narrowed" if narrowed > 0 else "widened"
        moved = f"{what} {how} from {_by(kpi, before)} to {_by(kpi, now)}"
    else:
        moved = f"{what} did not move from {_by(kpi, now)}"
    moved += f" since {end_text(before_end)}"
    aim = f"the {_by(kpi, step)} a period aimed for"
    if narrowed >= step:
        return Verdict(GREEN, f"{_first_up(moved)}, at least {aim}")
    tolerance = kpi.tolerance or Decimal(0)
    if narrowed > 0 or step - narrowed <= tolerance:
        return Verdict(AMBER, f"{_first_up(moved)}, less than {aim}")
    return Verdict(RED, f"{_first_up(moved)}")


def _milestone(ctx: _Context, figure: Figure) -> Verdict:
    """Done (Green), or not yet, judged by the actions' schedule rule on the day the term it
    is reported in ends: Red once past the date it was due (its own `due_date`, else its
    target period's end), Amber when due within the plan's due-soon window or in progress,
    Grey while not started with time to spare."""
    due = ctx.kpi.due_date or ctx.due()
    state = figure.milestone or MilestoneStatus.NOT_STARTED
    if state == MilestoneStatus.ACHIEVED:
        return Verdict(GREEN, "Done")
    reported = figure.term_end or ctx.end(figure.term)
    by = f", due by {end_text(due)}" if due else ""
    if reported is not None:
        schedule = schedule_status(due, None, reported, DEFAULT_DUE_SOON_WEEKS)
        if schedule == Schedule.OVERDUE:
            return Verdict(RED, f"Overdue: due by {end_text(due)}")
        if schedule == Schedule.DUE_SOON and state == MilestoneStatus.NOT_STARTED:
            return Verdict(AMBER, f"Not started and due soon{by}")
    if state == MilestoneStatus.IN_PROGRESS:
        return Verdict(AMBER, f"In progress, not yet done{by}")
    return Verdict(GREY, f"Not started{by}")


JUDGES: dict[str, Callable[[_Context, Figure], Verdict]] = {
    TargetKind.ABSOLUTE: _reach,
    TargetKind.CUMULATIVE: _reach,
    TargetKind.CHANGE: _reach,
    TargetKind.THRESHOLD: _threshold,
    TargetKind.RANGE: _range,
    TargetKind.COMPARATOR: _comparator,
    TargetKind.GAP: _gap,
    TargetKind.TREND: _trend,
    TargetKind.MILESTONE: _milestone,
}
# Kinds that judge a figure against more than itself need none of their own number agreed.
_NEEDS_NO_NUMBER = {TargetKind.TREND, TargetKind.MILESTONE, TargetKind.COMPARATOR, TargetKind.GAP}


def judge(
    kpi: KPI, figure: Figure, figures: Iterable[Figure], ends: dict[str, date] | None = None
) -> Verdict:
    """The status of `figure` (one of the KPI's `figures`) and the reason for it.

    `ends` maps term labels to their end dates (kpis.periods.term_ends).
    """
    ctx = _Context(kpi, list(figures), ends or {}, figure.term)
    if figure.milestone or kpi.target_kind == TargetKind.MILESTONE:
        return _milestone(ctx, figure)
    if kpi.target_kind == TargetKind.TO_BE_AGREED or (
        kpi.target_not_agreed and kpi.target_kind not in _NEEDS_NO_NUMBER
    ):
        return Verdict(GREY, NO_TARGET)
    subject = ctx.subject()
    judged = figure
    if figure.cohort != subject:
        group = kpi.target_cohort
        if figure.cohort != ALL and kpi.target_cohort_id:
            return Verdict(GREY, f"The target is for {group.name}")
        if figure.cohort == ALL and kpi.target_cohort_id:
            judged = _same_period(ctx, figure, subject)
            if judged is None:
                return Verdict(GREY, f"No figure for {group.name} this period")
    if judged.value is None:
        return Verdict(GREY, "No new data this period" if judged.no_new_data else NO_FIGURE)
    if ctx.when(judged) is None:
        return Verdict(GREY, f'The period "{judged.period}" has no date to judge it by')
    verdict = JUDGES[kpi.target_kind](ctx, judged)
    if judged is not figure:
        reason = verdict.reason[:1].lower() + verdict.reason[1:]
        return Verdict(verdict.status, f"{kpi.target_cohort.name}: {reason}")
    return verdict


def _same_period(ctx: _Context, figure: Figure, cohort: str) -> Figure | None:
    """The group's figure reported with `figure`: same term and period, newest saved."""
    found = [
        f
        for f in ctx.figures
        if f.cohort == cohort and f.term == figure.term and f.period == figure.period
    ]
    return max(found, key=ctx.reported) if found else None


# ---------------------------------------------------------------------------------------------
# Keeping the stored statuses current.
# ---------------------------------------------------------------------------------------------


def figure_of(value: KPIValue, approved: bool = True) -> Figure:
    """A stored value as the engine reads it; `value` has term, cohort and comparisons."""
    return Figure(
        cohort=value.cohort.code,
        period=value.data_period,
        value=None if value.no_new_data else value.value,
        term=value.term.label,
        term_end=value.term.end_date,
        order=(value.updated_at or datetime.min, value.pk or 0),
        milestone=value.milestone_status,
        comparators={c.comparator.code: (c.value, c.period) for c in value.comparisons.all()},
        approved=approved,
        no_new_data=value.no_new_data,
    )


def restatus(kpis: Iterable[int] | None = None) -> int:
    """Work out again the status and reason of every figure of `kpis` (ids; None for all).

    Call it in the same transaction as the write, before kpis.standings.standings_refresh,
    so dashboards count the new statuses. Returns how many figures changed.
    """
    ends = term_ends(Term.objects.all())
    measures = KPI.objects.select_related("target_cohort", "target_comparator").prefetch_related(
        Prefetch(
            "values",
            queryset=KPIValue.objects.select_related("term", "cohort").prefetch_related(
                Prefetch(
                    "comparisons", queryset=ComparatorValue.objects.select_related("comparator")
                )
            ),
        )
    )
    if kpis is not None:
        measures = measures.filter(pk__in=list(kpis))
    else:  # a KPI with no figures has nothing to judge
        measures = measures.filter(pk__in=KPIValue.objects.values("kpi_id"))
    measures = list(measures)
    approved = set(
        ProgressUpdate.objects.filter(
            status=UpdateStatus.APPROVED, action_id__in={k.action_id for k in measures}
        ).values_list("action_id", "term_id")
    )
    changed = []
    for kpi in measures:
        values = list(kpi.values.all())
        figures = [figure_of(v, (kpi.action_id, v.term_id) in approved) for v in values]
        for value, figure in zip(values, figures, strict=True):
            verdict = judge(kpi, figure, figures, ends)
            if (value.status, value.status_reason) != (verdict.status, verdict.reason):
                value.status, value.status_reason = verdict.status, verdict.reason
                changed.append(value)
    KPIValue.objects.bulk_update(changed, ["status", "status_reason"], batch_size=1000)
    return len(changed)
