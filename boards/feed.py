"""The read-only data feed: what each resource holds, for whom, filtered and as plain rows.

Every reader sees approved figures only (what board members see); a public token
gets them with small numbers suppressed and restricted notes removed, by the same
rules as a published board pack (boards/suppression.py). A withheld figure is null,
with `suppressed` true beside it, so that every numeric column holds only numbers
(Power BI types a column by what it holds). Rows are plain dicts with JSON-ready
values, in the column order that the CSV and the OpenAPI description use.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from actions.models import (
    Action,
    Commitment,
    Plan,
    ProgressUpdate,
    Rating,
    Sector,
    Term,
    UpdateStatus,
)
from boards.suppression import RESTRICTED_ACTION_FIELDS, Row, suppress_rows
from kpis.models import KPI, Cohort, ComparatorValue, KPIValue
from kpis.selectors import value_is_approved

DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 5000


class FeedError(Exception):
    """A request the feed cannot answer; `parameter` names the query parameter at fault."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter, self.message = parameter, message


@dataclass(frozen=True)
class FeedFilters:
    """The filters a request asked for; None means not filtered."""

    plan: Plan | None = None
    term: Term | None = None
    commitment: int | None = None
    updated_since: datetime | None = None


@dataclass(frozen=True)
class Resource:
    """One feed resource: its rows, the filters it takes, and how a page of rows is written
    (`serialise(objects, public)`: a page at once, as a figure is judged beside others)."""

    name: str
    filters: frozenset[str]
    rows: Callable[[FeedFilters], QuerySet]
    serialise: Callable[[list, bool], list[dict]]


def _each(row: Callable[[object, bool], dict]) -> Callable[[list, bool], list[dict]]:
    """A page writer for a resource whose rows are written one by one."""

    def serialise(objects: list, public: bool) -> list[dict]:
        return [row(o, public) for o in objects]

    return serialise


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _when(value: datetime | None) -> str | None:
    return None if value is None else timezone.localtime(value).isoformat()


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _area_code(area: Commitment) -> str:
    """How a plan names its area in the feed: its own code ("AFI 1"), else its number."""
    return area.code or str(area.number)


def parse_filters(params: dict[str, str], resource: Resource) -> FeedFilters:
    """The filters in the query string; raises FeedError for an unknown or bad one."""
    for name in ("plan", "term", "commitment", "updated_since"):
        if params.get(name) and name not in resource.filters:
            allowed = ", ".join(sorted(resource.filters)) or "none"
            raise FeedError(
                name, f"{resource.name} cannot be filtered by {name} (allowed: {allowed})."
            )
    return FeedFilters(
        plan=_plan(params.get("plan", "")),
        term=_term(params.get("term", "")),
        commitment=_whole(params.get("commitment", ""), "commitment"),
        updated_since=_since(params.get("updated_since", "")),
    )


def _whole(text: str, name: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise FeedError(name, f'{name} must be a whole number, like 2; "{text[:40]}" is not.')
    return int(text)


def _plan(slug: str) -> Plan | None:
    if not slug:
        return None
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        known = ", ".join(Plan.objects.values_list("slug", flat=True))
        raise FeedError("plan", f'There is no plan "{slug[:40]}"; the plans are {known}.')
    return plan


def _term(text: str) -> Term | None:
    pk = _whole(text, "term")
    if pk is None:
        return None
    term = Term.objects.filter(pk=pk).first()
    if term is None:
        raise FeedError("term", f"There is no term {pk}; /feed/periods.json lists them.")
    return term


def _since(text: str) -> datetime | None:
    """An ISO 8601 date or date-time; a date means its start, a naive time is UK time."""
    if not text:
        return None
    try:
        moment = parse_datetime(text.replace(" ", "+"))  # a "+" in a query string arrives as " "
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise FeedError(
            "updated_since",
            f"updated_since must be a date or date-time like 2026-01-31 or 2026-01-31T09:00:00Z; "
            f'"{text[:40]}" is not.',
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# Terms -------------------------------------------------------------------------------------


def _terms(f: FeedFilters) -> QuerySet:
    rows = Term.objects.select_related("plan").order_by("start_date", "plan__position")
    return rows.filter(plan=f.plan) if f.plan is not None else rows


def _period_row(term: Term, public: bool) -> dict:
    return {
        "id": term.pk,
        "plan": term.plan.slug,
        "name": term.name,
        "start_date": term.start_date.isoformat(),
        "end_date": term.end_date.isoformat(),
        "due_date": term.due_date.isoformat(),
        "is_locked": term.is_locked,
        "is_published": term.is_published,
    }


def _term_row(term: Term, public: bool) -> dict:
    # The first name of the periods resource, kept for the reports that read it already.
    return {
        "id": term.pk,
        "plan": term.plan.slug,
        "label": term.label,
        "academic_year": term.academic_year,
        "season": term.season,
        "start_date": term.start_date.isoformat(),
        "end_date": term.end_date.isoformat(),
        "is_locked": term.is_locked,
    }


# The plan ----------------------------------------------------------------------------------


def _commitments(f: FeedFilters) -> QuerySet:
    rows = Commitment.objects.select_related("plan").order_by("plan__position", "number")
    if f.plan is not None:
        rows = rows.filter(plan=f.plan)
    return rows.filter(number=f.commitment) if f.commitment is not None else rows


def _commitment_row(c: Commitment, public: bool) -> dict:
    return {
        "id": c.pk,
        "plan": c.plan.slug,
        "number": c.number,
        "title": c.title,
        "statement": c.statement,
    }


def _sectors(f: FeedFilters) -> QuerySet:
    rows = Sector.objects.select_related("plan").order_by("plan__position", "position")
    return rows.filter(plan=f.plan) if f.plan is not None else rows


def _sector_row(s: Sector, public: bool) -> dict:
    return {"id": s.pk, "plan": s.plan.slug, "position": s.position, "name": s.name}


def _actions(f: FeedFilters) -> QuerySet:
    rows = Action.objects.select_related("plan", "commitment", "sector").order_by(
        "plan__position", "position", "code"
    )
    if f.plan is not None:
        rows = rows.filter(plan=f.plan)
    if f.commitment is not None:
        rows = rows.filter(commitment__number=f.commitment)
    return rows


def _action_row(a: Action, public: bool) -> dict:
    return {
        "id": a.pk,
        "plan": a.plan.slug,
        "code": a.code,
        "commitment_number": a.commitment.number,
        "sector_position": a.sector.position,
        "sector": a.sector.name,
        "text": a.text,
        "outcome": a.outcome,
        "lead": a.lead_description,
        "due_date": _day(a.due_date),
        "due_text": a.due_text,
        "retired_at": _when(a.retired_at),
    }


def _kpis(f: FeedFilters) -> QuerySet:
    rows = (
        KPI.objects.select_related("action__plan", "action__commitment", "area__plan")
        .prefetch_related("also_areas")
        .order_by("action__position", "area__number", "position", "pk")
    )
    if f.plan is not None:
        rows = rows.filter(Q(action__plan=f.plan) | Q(area__plan=f.plan))
    if f.commitment is not None:
        rows = rows.filter(
            Q(action__commitment__number=f.commitment) | Q(area__number=f.commitment)
        )
    return rows


def _kpi_row(k: KPI, public: bool) -> dict:
    # A measure belongs to an action, or (in a plan with measures on its areas) to an area.
    area = k.area if k.action_id is None else None
    commitment = area or k.action.commitment
    return {
        "id": k.pk,
        "plan": (k.action or area).plan.slug,
        "action_id": k.action_id,
        "action_code": k.action.code if k.action_id else None,
        "area_code": _area_code(area) if area else None,
        "area_number": area.number if area else None,
        "also_areas": "; ".join(_area_code(a) for a in k.also_areas.all()),
        "commitment_number": commitment.number,
        "ref": k.ref,
        "text": k.text,
        "unit": k.unit,
        "polarity": k.polarity,
        "baseline_value": _number(k.baseline_value),
        "baseline_period": k.baseline_period,
        "target_value": _number(k.target_value),
        "target_upper_value": _number(k.target_upper_value),
        "target_period": k.target_period,
        "target_kind": k.target_kind,
        "target_not_agreed": k.target_not_agreed,
        "tolerance": _number(k.tolerance),
        "data_source": k.data_source,
        "frequency": k.frequency,
        "retired_at": _when(k.retired_at),
    }


# Figures -----------------------------------------------------------------------------------


def _approved_at() -> Subquery:
    """When the outer value's term update was approved: a value appears in the feed then."""
    decided = ProgressUpdate.objects.filter(
        action=OuterRef("kpi__action"), term=OuterRef("term"), status=UpdateStatus.APPROVED
    ).values("decided_at")
    return Subquery(decided[:1])


def _values(f: FeedFilters) -> QuerySet:
    rows = (
        KPIValue.objects.filter(value_is_approved())
        .annotate(approved_at=_approved_at())
        .select_related("kpi__action", "term__plan", "cohort")
        .order_by("pk")
    )
    if f.plan is not None:
        rows = rows.filter(term__plan=f.plan)
    if f.term is not None:
        rows = rows.filter(term=f.term)
    if f.commitment is not None:
        rows = rows.filter(
            Q(kpi__action__commitment__number=f.commitment) | Q(kpi__area__number=f.commitment)
        )
    if f.updated_since is not None:
        rows = rows.filter(Q(updated_at__gte=f.updated_since) | Q(approved_at__gte=f.updated_since))
    return rows


def _figure(v: KPIValue) -> dict:
    """A value's figures, in the shape boards.suppression judges (kpis.trends.point's)."""
    return {
        "value": _number(v.value),
        "numerator": v.numerator,
        "denominator": v.denominator,
        "cohort_size": v.cohort_size,
        "status": v.status,
        "note": v.note,
        "data_period": v.data_period,
        "suppressed": False,
    }


def _public_figures(values: list[KPIValue]) -> dict[int, dict]:
    """The page's figures as the public reads them, by value id.

    A group is withheld or shown by what the other groups and the all-pupils figure of
    its KPI, term and period show, wherever those fall (another page, or outside the
    filters), so all of them are read: one query, whatever the page size.
    """
    wanted = {(v.kpi_id, v.term_id) for v in values}
    breakdowns = (
        KPIValue.objects.filter(value_is_approved())
        .filter(kpi_id__in={k for k, _ in wanted}, term_id__in={t for _, t in wanted})
        .select_related("kpi", "cohort")
    )
    rows = (
        Row(
            id=v.pk,
            breakdown=(v.kpi_id, v.term_id, v.data_period),
            is_total=v.cohort.code == Cohort.ALL_PUPILS,
            unit=v.kpi.unit,
            point=_figure(v),
        )
        for v in breakdowns
        if (v.kpi_id, v.term_id) in wanted
    )
    return suppress_rows(rows, settings.SMALL_NUMBER_THRESHOLD)


def _action_code(kpi: KPI) -> str | None:
    """The code of the measure's action; None for a measure of a priority area."""
    return kpi.action.code if kpi.action_id else None


def _value_rows(values: list[KPIValue], public: bool) -> list[dict]:
    shown = _public_figures(values) if public else {}
    return [_value_row(v, shown.get(v.pk, _figure(v))) for v in values]


def _value_row(v: KPIValue, figures: dict) -> dict:
    return {
        "id": v.pk,
        "plan": v.term.plan.slug,
        "kpi_id": v.kpi_id,
        "action_code": _action_code(v.kpi),
        "kpi_ref": v.kpi.ref,
        "unit": v.kpi.unit,
        "term_id": v.term_id,
        "term": v.term.label,
        "data_period": v.data_period,
        "cohort": v.cohort.code,
        "cohort_name": v.cohort.name,
        **{k: figures[k] for k in ("value", "numerator", "denominator", "cohort_size")},
        "suppressed": figures["suppressed"],
        "maturity": v.maturity,
        "milestone_status": v.milestone_status,
        "no_new_data": v.no_new_data,
        "no_new_data_reason": v.no_new_data_reason,
        "status": figures["status"],
        "note": figures["note"],
        "is_demo": v.is_demo,
        "updated_at": _when(v.updated_at),
        "approved_at": _when(v.approved_at),
    }


def _comparators(f: FeedFilters) -> QuerySet:
    approved = ProgressUpdate.objects.filter(
        action=OuterRef("kpi_value__kpi__action"),
        term=OuterRef("kpi_value__term"),
        status=UpdateStatus.APPROVED,
    )
    rows = (
        ComparatorValue.objects.filter(Exists(approved))
        .annotate(approved_at=Subquery(approved.values("decided_at")[:1]))
        .select_related("comparator", "kpi_value__kpi__action", "kpi_value__term__plan")
        .select_related("kpi_value__cohort")
        .order_by("pk")
    )
    if f.plan is not None:
        rows = rows.filter(kpi_value__term__plan=f.plan)
    if f.term is not None:
        rows = rows.filter(kpi_value__term=f.term)
    if f.commitment is not None:
        rows = rows.filter(
            Q(kpi_value__kpi__action__commitment__number=f.commitment)
            | Q(kpi_value__kpi__area__number=f.commitment)
        )
    if f.updated_since is not None:
        rows = rows.filter(
            Q(kpi_value__updated_at__gte=f.updated_since) | Q(approved_at__gte=f.updated_since)
        )
    return rows


def _comparator_row(c: ComparatorValue, public: bool) -> dict:
    # Comparator figures are published statistics: every reader gets them in full, even
    # beside a Bury figure that a public token reads as withheld.
    v = c.kpi_value
    return {
        "id": c.pk,
        "plan": v.term.plan.slug,
        "comparator": c.comparator.code,
        "comparator_name": c.comparator.name,
        "value": _number(c.value),
        "period": c.period,
        "kpi_id": v.kpi_id,
        "action_code": _action_code(v.kpi),
        "kpi_ref": v.kpi.ref,
        "unit": v.kpi.unit,
        "value_id": v.pk,
        "term_id": v.term_id,
        "term": v.term.label,
        "data_period": v.data_period,
        "cohort": v.cohort.code,
        "is_demo": v.is_demo,
        "updated_at": _when(v.updated_at),
        "approved_at": _when(c.approved_at),
    }


def _ratings(f: FeedFilters) -> QuerySet:
    rows = (
        ProgressUpdate.objects.filter(status=UpdateStatus.APPROVED)
        .select_related("action", "term__plan")
        .order_by("pk")
    )
    if f.plan is not None:
        rows = rows.filter(term__plan=f.plan)
    if f.term is not None:
        rows = rows.filter(term=f.term)
    if f.commitment is not None:
        rows = rows.filter(action__commitment__number=f.commitment)
    if f.updated_since is not None:
        rows = rows.filter(Q(updated_at__gte=f.updated_since) | Q(decided_at__gte=f.updated_since))
    return rows


def _rating_row(u: ProgressUpdate, public: bool) -> dict:
    row = {
        "id": u.pk,
        "plan": u.term.plan.slug,
        "action_id": u.action_id,
        "action_code": u.action.code,
        "term_id": u.term_id,
        "term": u.term.label,
        "rating": u.rating,
        "rating_label": Rating(u.rating).label if u.rating else "",
        "progress": u.progress,
        "evidence_of_impact": u.evidence_of_impact,
        "next_steps": u.next_steps,
        "risks": u.risks,
        "is_demo": u.is_demo,
        "updated_at": _when(u.updated_at),
        "approved_at": _when(u.decided_at),
    }
    if public:
        row |= dict.fromkeys(RESTRICTED_ACTION_FIELDS, "")
    return row


# Every resource can be narrowed to one plan.
PLAN = frozenset({"plan"})
STRUCTURE = PLAN | {"commitment"}
FIGURES = PLAN | {"term", "commitment", "updated_since"}
RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        Resource("terms", PLAN, _terms, _each(_term_row)),
        Resource("commitments", STRUCTURE, _commitments, _each(_commitment_row)),
        Resource("sectors", PLAN, _sectors, _each(_sector_row)),
        Resource("actions", STRUCTURE, _actions, _each(_action_row)),
        Resource("kpis", STRUCTURE, _kpis, _each(_kpi_row)),
        Resource("values", FIGURES, _values, _value_rows),
        Resource("comparators", FIGURES, _comparators, _each(_comparator_row)),
        Resource("ratings", FIGURES, _ratings, _each(_rating_row)),
        Resource("periods", PLAN, _terms, _each(_period_row)),
    )
}
