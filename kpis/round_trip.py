"""The Excel round trip as a reviewed change: what an edited workbook would change, for whom,
and then applying it through the update page's own service.

Only cells that differ from what is stored count as edits; everything else in the
workbook changes nothing. A change that could not be made on the update page (a
locked term, an action the uploader does not lead, a figure out of range) is a
problem: the preview lists every one by sheet, row and column, and nothing can be
confirmed until the file is fixed. Confirmed changes are saved as drafts, all or
nothing, with the same history, status and locking rules as the update page.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from actions.models import Action, ProgressUpdate, Rating, TermException, UpdateStatus
from actions.selectors import can_update
from bury_eis.formatting import with_unit
from kpis.figures import NOT_NEGATIVE
from kpis.models import KPI, Cohort, KPIValue, Maturity, MilestoneStatus, Term, Unit
from kpis.plan_export import latest_values
from kpis.plan_preview import word_diff
from kpis.round_trip_read import Cells, RoundTripFile, SheetRow
from kpis.status import percentage
from kpis.updates import NARRATIVE_FIELDS, KPIEntry, progress_update_save

# Values columns -> KPIValue fields, and how each reads from its cell.
VALUE_COLUMNS = {
    "Data period": "data_period",
    "Value": "value",
    "Numerator": "numerator",
    "Denominator": "denominator",
    "Cohort size": "cohort_size",
    "Maturity": "maturity",
    "Milestone": "milestone_status",
    "Note": "note",
}
RATING_COLUMNS = {
    "Rating": "rating",
    "Progress": "progress",
    "Evidence of impact": "evidence_of_impact",
    "Next steps": "next_steps",
    "Risks": "risks",
}
COLUMN_OF = {f: c for c, f in {**VALUE_COLUMNS, **RATING_COLUMNS}.items()}
FIGURES = ("value", "numerator", "denominator", "cohort_size")


@dataclass
class _Plan:
    """What the workbook's rows are matched against, read once."""

    user: AbstractBaseUser
    today: date
    actions: dict[str, Action]
    kpis: dict[tuple[str, str], KPI]
    terms: dict[str, Term]
    cohorts: dict[str, Cohort]
    all_pupils: Cohort
    values: dict[tuple[int, int, int], KPIValue]
    updates: dict[tuple[int, int], ProgressUpdate]
    exceptions: set[tuple[int, int]]


def _fold(text: str) -> str:
    return " ".join(str(text).split()).lower()


def _plan(file: RoundTripFile, user: AbstractBaseUser, today: date) -> _Plan:
    codes = {str(r.cells.get("Action code") or "").strip() for r in [*file.values, *file.ratings]}
    actions = {a.code: a for a in Action.objects.filter(code__in=codes).prefetch_related("leads")}
    kpis = {
        (k.action.code, k.ref): k
        for k in KPI.objects.filter(action__in=actions.values())
        .select_related("action")
        .prefetch_related("breakdown_cohorts")
    }
    terms = {_fold(t.label): t for t in Term.objects.all()}
    cohorts = {_fold(c.name): c for c in Cohort.objects.all()}
    cohorts |= {_fold(c.code): c for c in cohorts.values()}
    return _Plan(
        user=user,
        today=today,
        actions=actions,
        kpis=kpis,
        terms=terms,
        cohorts=cohorts,
        all_pupils=cohorts[Cohort.ALL_PUPILS],
        values={(v.kpi_id, v.term_id, v.cohort_id): v for v in latest_values(kpis.values())},
        updates={
            (u.action_id, u.term_id): u
            for u in ProgressUpdate.objects.filter(action__in=actions.values())
        },
        exceptions=set(
            TermException.objects.filter(
                action__in=actions.values(), closed_at__isnull=True
            ).values_list("action_id", "term_id")
        ),
    )


def round_trip_preview(file: RoundTripFile, *, user: AbstractBaseUser, today: date) -> dict:
    """Per action and term, every value and rating the file would change, before and after,
    with the problems that stop it being applied and the warnings to read."""
    plan = _plan(file, user, today)
    problems: list[str] = []
    warnings = list(file.warnings)
    groups: dict[tuple[int, int], dict] = {}
    seen: dict[tuple, int] = {}
    for row in file.values:
        _value_row(row, plan, groups, seen, Cells(row, problems, warnings))
    for row in file.ratings:
        _rating_row(row, plan, groups, seen, Cells(row, problems, warnings))
    for group in groups.values():
        problems += _group_problems(group, plan)
        problems += _figure_problems(group, plan)
    ordered = sorted(groups.values(), key=lambda g: (g["position"], g["term_start"]))
    return {
        "groups": ordered,
        "problems": problems,
        "warnings": warnings,
        "counts": {
            "updates": len(ordered),
            "values": sum(1 for g in ordered for c in g["changes"] if c["sheet"] == "Values"),
            "ratings": sum(1 for g in ordered for c in g["changes"] if c["sheet"] == "Ratings"),
        },
    }


def _keys(cells: Cells, plan: _Plan, names: tuple[str, ...], columns: dict) -> list | None:
    """The row's action (or KPI), term and group; None (with a problem) if any is unknown
    while the row has something in it."""
    found, missing = [], None
    for name in names:
        text = cells.text(name)
        if name == "Action code":
            item = plan.actions.get(text)
        elif name == "KPI ref":
            item = plan.kpis.get((cells.text("Action code"), text.strip("()").lower()))
        elif name == "Term":
            item = plan.terms.get(_fold(text))
        else:
            item = plan.cohorts.get(_fold(text))
        if item is None and missing is None:
            missing = (name, text)
        found.append(item)
    if missing is None:
        return found
    if any(cells.raw(column) is not None for column in columns):
        name, text = missing
        thing = {"KPI ref": "KPI", "Group": "group"}.get(name, name.lower())
        cells.fail(name, f'there is no {thing} "{text[:40]}" in the plan.')
    return None


def _duplicate(cells: Cells, key: tuple, seen: dict) -> bool:
    if key in seen:
        cells.fail(None, f"repeats row {seen[key]} (the same action, KPI, term and group).")
        return True
    seen[key] = cells.row.number
    return False


def _group(groups: dict, plan: _Plan, action: Action, term: Term) -> dict:
    update = plan.updates.get((action.pk, term.pk))
    leads = ", ".join(u.get_full_name() or u.username for u in action.leads.all())
    return groups.setdefault(
        (action.pk, term.pk),
        {
            "action_id": action.pk,
            "code": action.code,
            "text": action.text,
            "lead": action.lead_description,
            "leads": leads,
            "position": action.position,
            "term_id": term.pk,
            "term": term.label,
            "term_start": term.start_date.isoformat(),
            "version": update.version if update else 0,
            "status": UpdateStatus(update.status).label if update else "Not started",
            "changes": [],
            "values": {},
            "narrative": {},
        },
    )


def _stored_value(value: KPIValue | None) -> dict:
    if value is None:
        return {f: None if f in FIGURES else "" for f in VALUE_COLUMNS.values()}
    stored = {f: getattr(value, f) for f in VALUE_COLUMNS.values()}
    if stored["value"] is not None:
        stored["value"] = stored["value"].normalize()
    return stored


def _cell_values(cells: Cells, before: dict) -> dict:
    period = cells.text("Data period")
    if len(period) > 60:
        cells.fail("Data period", "is longer than 60 characters.")
    return {
        "data_period": period[:60],
        "value": cells.decimal("Value"),
        "numerator": cells.whole("Numerator"),
        "denominator": cells.whole("Denominator", least=1),
        "cohort_size": cells.whole("Cohort size"),
        # A blank maturity keeps what is stored: every figure has one.
        "maturity": cells.choice("Maturity", Maturity) or before["maturity"],
        "milestone_status": cells.choice("Milestone", MilestoneStatus),
        "note": cells.text("Note"),
    }


def _differs(before: object, after: object) -> bool:
    if before in (None, "") and after in (None, ""):
        return False
    return before != after


def _shown(kpi: KPI, name: str, value: object) -> str:
    if value in (None, ""):
        return ""
    if name == "value":
        return with_unit(value, kpi.unit)
    if name == "maturity":
        return Maturity(value).label
    if name == "milestone_status":
        return MilestoneStatus(value).label
    if name == "rating":
        return Rating(value).label
    return str(value)


def _as_json(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def _change(row: SheetRow, label: str, name: str, before: str, after: str) -> dict:
    return {
        "field": label,
        "before": before,
        "after": after,
        "diff": word_diff(before, after),
        "sheet": row.sheet,
        "where": row.where(COLUMN_OF[name]),
    }


def _value_row(row: SheetRow, plan: _Plan, groups: dict, seen: dict, cells: Cells) -> None:
    keys = _keys(cells, plan, ("Action code", "KPI ref", "Term", "Group"), VALUE_COLUMNS)
    if keys is None or _duplicate(cells, ("v", *(k.pk for k in keys[1:])), seen):
        return
    action, kpi, term, cohort = keys
    before = _stored_value(plan.values.get((kpi.pk, term.pk, cohort.pk)))
    after = _cell_values(cells, before)
    changed = [f for f in VALUE_COLUMNS.values() if _differs(before[f], after[f])]
    if cohort != plan.all_pupils:
        for name in (f for f in changed if f != "value"):
            cells.fail(
                COLUMN_OF[name],
                "only the Value of a group is recorded; the period and maturity follow the "
                "All pupils row.",
            )
        changed = ["value"] if "value" in changed else []
    if not changed:
        return
    group = _group(groups, plan, action, term)
    edits = group["values"].setdefault(str(kpi.pk), {})
    edits[str(cohort.pk)] = {
        "row": row.where(),
        "fields": {f: _as_json(after[f]) for f in changed},
    }
    who = "" if cohort == plan.all_pupils else f" {cohort.name}"
    for name in changed:
        label = f"({kpi.ref}){who} {VALUE_COLUMNS_LABEL[name]}"
        before_text, after_text = _shown(kpi, name, before[name]), _shown(kpi, name, after[name])
        group["changes"].append(_change(row, label, name, before_text, after_text or "removed"))


VALUE_COLUMNS_LABEL = {f: c.lower() for c, f in VALUE_COLUMNS.items()}


def _rating_row(row: SheetRow, plan: _Plan, groups: dict, seen: dict, cells: Cells) -> None:
    keys = _keys(cells, plan, ("Action code", "Term"), RATING_COLUMNS)
    if keys is None or _duplicate(cells, ("r", *(k.pk for k in keys)), seen):
        return
    action, term = keys
    update = plan.updates.get((action.pk, term.pk))
    before = {f: getattr(update, f) if update else "" for f in RATING_COLUMNS.values()}
    after = {f: cells.text(c) for c, f in RATING_COLUMNS.items() if f != "rating"}
    after["rating"] = cells.choice("Rating", Rating)
    changed = [f for f in RATING_COLUMNS.values() if _differs(before[f], after[f])]
    if not changed:
        return
    if after["rating"] in (Rating.RED, Rating.AMBER) and not after["next_steps"]:
        label = Rating(after["rating"]).label
        cells.fail("Next steps", f"enter next steps: a {label} rating needs them.")
    group = _group(groups, plan, action, term)
    group["narrative"] |= {f: after[f] for f in changed}
    for name in changed:
        before_text = _shown(None, name, before[name])
        after_text = _shown(None, name, after[name])
        label = NARRATIVE_FIELDS[name]
        group["changes"].append(_change(row, label, name, before_text, after_text or "removed"))


def _group_problems(group: dict, plan: _Plan) -> list[str]:
    """Why the changes to one action's update in one term cannot be made, if they cannot."""
    action = plan.actions[group["code"]]
    term = next(t for t in plan.terms.values() if t.pk == group["term_id"])
    update = plan.updates.get((action.pk, term.pk))
    reason = ""
    if action.retired_at is not None:
        reason = f"{action.code} has been retired from the plan, so its figures cannot change."
    elif not can_update(plan.user, action):
        leads = group["leads"] or group["lead"] or "nobody yet"
        reason = (
            f"you do not lead {action.code} (its leads: {leads}), so you cannot change its "
            "figures or rating."
        )
    elif term.is_locked and (action.pk, term.pk) not in plan.exceptions:
        reason = (
            f"{term.label} is locked, so its figures and ratings can no longer change. An "
            f"administrator can grant an exception for {action.code}."
        )
    elif term.start_date > plan.today:
        reason = f"{term.label} has not started yet."
    elif update and update.status in (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED):
        reason = (
            f"the {term.label} update for {action.code} is {update.get_status_display().lower()}"
            " and cannot change unless an approver returns it."
        )
    if not reason:
        return []
    more = len(group["changes"]) - 1
    also = f" (and {more} more change{'s' if more > 1 else ''} to it)" if more else ""
    return [f"{group['changes'][0]['where']}: {reason.rstrip('.')}{also}."]


def _after(stored: KPIValue | None, fields: dict) -> dict:
    state = _stored_value(stored)
    for name, value in fields.items():
        state[name] = Decimal(value) if name == "value" and value is not None else value
    return state


def _has_figure(state: dict, stored: KPIValue | None) -> bool:
    no_new_data = bool(stored and stored.no_new_data)
    return (
        state["value"] is not None
        or state["numerator"] is not None
        or bool(state["milestone_status"])
        or no_new_data
    )


def _figure_problems(group: dict, plan: _Plan) -> list[str]:
    """The update page's rules for each KPI's figures once the edits are made."""
    kpis = {k.pk: k for k in plan.kpis.values()}
    problems: list[str] = []
    all_pk = str(plan.all_pupils.pk)
    for kpi_pk, by_cohort in group["values"].items():
        kpi = kpis[int(kpi_pk)]

        def stored(cohort_pk: str, kpi: KPI = kpi) -> KPIValue | None:
            return plan.values.get((kpi.pk, group["term_id"], int(cohort_pk)))

        headline_edit = by_cohort.get(all_pk)
        headline = _after(stored(all_pk), headline_edit["fields"] if headline_edit else {})
        has_figure = _has_figure(headline, stored(all_pk))
        if headline_edit:
            problems += _headline_problems(kpi, headline, headline_edit, has_figure)
        for cohort_pk, edit in by_cohort.items():
            if cohort_pk == all_pk:
                continue
            value = edit["fields"]["value"]
            problems += _range_problems(kpi, value, edit["row"])
            if value is not None and not has_figure:
                problems.append(
                    f'{edit["row"]}, column "Value": enter the All pupils figure for '
                    f"({kpi.ref}) in {group['term']} first; a group's figure sits beside it."
                )
        if headline_edit and not has_figure:
            groups_now = _cohort_values(
                kpi, plan.values, plan.all_pupils.pk, group["term_id"], by_cohort
            )
            kept = [c for c, v in groups_now.items() if v is not None]
            if kept:
                problems.append(
                    f'{headline_edit["row"]}, column "Value": the groups of ({kpi.ref}) still '
                    "have figures for this term; clear those too, or keep this figure."
                )
    return problems


def _headline_problems(kpi: KPI, state: dict, edit: dict, has_figure: bool) -> list[str]:
    at, edited = edit["row"], edit["fields"]
    problems: list[str] = []

    def fail(name: str, message: str) -> None:
        problems.append(f'{at}, column "{COLUMN_OF[name]}": {message}')

    if kpi.unit == Unit.MILESTONE:
        for name in (n for n in FIGURES if state[n] is not None and n in edited):
            fail(name, f"({kpi.ref}) is a milestone: choose its Milestone status instead.")
    elif state["milestone_status"]:
        fail("milestone_status", f"({kpi.ref}) is a measure, not a milestone: leave it empty.")
    if kpi.unit != Unit.PERCENT:
        for name in ("numerator", "denominator"):
            if state[name] is not None and name in edited:
                fail(name, "only a percentage is worked out from a numerator and denominator.")
    num, den = state["numerator"], state["denominator"]
    if (num is None) != (den is None):
        fail(
            "denominator" if den is None else "numerator",
            "enter both the numerator and the denominator, or neither.",
        )
    elif num is not None and num > den:
        fail("numerator", "the numerator cannot be more than the denominator.")
    elif (
        num is not None
        and "value" in edited
        and state["value"] is not None
        and Decimal(state["value"]) != percentage(num, den)
    ):
        fail(
            "value",
            "enter the percentage or the numerator and denominator it comes from, not both: "
            "clear one of them.",
        )
    if "value" in edited and state["numerator"] is None:
        problems += _range_problems(kpi, edited["value"], at)
    if (
        has_figure
        and state["data_period"] == ""
        and (
            state["value"] is not None
            or state["numerator"] is not None
            or state["milestone_status"]
        )
    ):
        fail("data_period", "enter the period this figure describes, e.g. 2024/25 academic year.")
    return problems


def _range_problems(kpi: KPI, value: str | None, at: str) -> list[str]:
    if value is None:
        return []
    number = Decimal(value)
    problem = ""
    if kpi.unit == Unit.PERCENT and not Decimal(0) <= number <= Decimal(100):
        problem = f"{number} is not a percentage between 0 and 100."
    elif kpi.unit in NOT_NEGATIVE and number < 0:
        problem = f"a figure in {Unit(kpi.unit).label.lower()} cannot be negative."
    elif kpi.unit == Unit.COUNT and number != number.to_integral_value():
        problem = f"{number} is not a whole number: ({kpi.ref}) is a count."
    return [f'{at}, column "Value": {problem}'] if problem else []


def _cohort_values(
    kpi: KPI, values: dict, all_pk: int, term_id: int, by_cohort: dict
) -> dict[int, Decimal | None]:
    """Each group's figure once the edits are made: edited, else as stored."""
    cohorts = {c.pk for c in kpi.breakdown_cohorts.all()}
    cohorts |= {c for (k, t, c) in values if k == kpi.pk and t == term_id}
    cohorts |= {int(c) for c in by_cohort}
    result: dict[int, Decimal | None] = {}
    for cohort_pk in sorted(cohorts - {all_pk}):
        edit = by_cohort.get(str(cohort_pk))
        if edit is not None:
            value = edit["fields"]["value"]
            result[cohort_pk] = None if value is None else Decimal(value)
        else:
            stored = values.get((kpi.pk, term_id, cohort_pk))
            result[cohort_pk] = stored.value if stored else None
    return result


class RoundTripRefused(Exception):
    """The changes cannot be applied; `str()` says why."""


def round_trip_apply(*, preview: dict, user: AbstractBaseUser) -> int:
    """Save every previewed change as the update page would, all or nothing; returns how
    many updates changed. Raises RoundTripRefused, UpdateNotAllowed or UpdateConflict
    (another save since the preview), and then nothing is saved."""
    if preview["problems"]:
        raise RoundTripRefused("The file has problems to fix first.")
    all_pupils = Cohort.objects.get(code=Cohort.ALL_PUPILS)
    with transaction.atomic():
        for group in preview["groups"]:
            action = Action.objects.prefetch_related("leads").get(pk=group["action_id"])
            if not can_update(user, action):
                raise RoundTripRefused(f"You cannot update {action.code}.")
            term = Term.objects.get(pk=group["term_id"])
            update = ProgressUpdate.objects.filter(action=action, term=term).first()
            narrative = {f: getattr(update, f) if update else "" for f in NARRATIVE_FIELDS}
            progress_update_save(
                action=action,
                term=term,
                user=user,
                narrative=narrative | group["narrative"],
                entries=_entries(group, term, all_pupils.pk),
                version=group["version"],
            )
    return len(preview["groups"])


def _entries(group: dict, term: Term, all_pk: int) -> list[KPIEntry]:
    """A full entry for each edited KPI: what is stored, with the edited cells in place."""
    kpis = KPI.objects.filter(pk__in=[int(k) for k in group["values"]]).prefetch_related(
        "breakdown_cohorts"
    )
    values = {
        (v.kpi_id, v.term_id, v.cohort_id): v
        for v in latest_values(kpis, [term]).prefetch_related("comparisons")
    }
    entries = []
    for kpi in kpis:
        by_cohort = group["values"][str(kpi.pk)]
        stored = values.get((kpi.pk, term.pk, all_pk))
        edit = by_cohort.get(str(all_pk))
        state = _after(stored, edit["fields"] if edit else {})
        typed = state["value"] is not None or state["numerator"] is not None
        no_new_data = bool(stored and stored.no_new_data) and not typed
        entries.append(
            KPIEntry(
                kpi=kpi,
                # Worked out from the numerator and denominator where both are given.
                value=None if state["numerator"] is not None else state["value"],
                numerator=state["numerator"],
                denominator=state["denominator"],
                data_period=state["data_period"],
                maturity=state["maturity"] or Maturity.PROVISIONAL,
                cohort_size=state["cohort_size"],
                milestone_status=state["milestone_status"],
                no_new_data=no_new_data,
                no_new_data_reason=stored.no_new_data_reason if no_new_data else "",
                note=state["note"],
                cohorts=_cohort_values(kpi, values, all_pk, term.pk, by_cohort),
                comparators={c.comparator_id: (c.value, c.period) for c in stored.comparisons.all()}
                if stored
                else {},
            )
        )
    return entries
