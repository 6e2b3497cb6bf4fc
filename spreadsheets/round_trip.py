"""The Excel round trip as a reviewed change: what an edited workbook would change, for whom,
and then applying it through the update page's own service.

A cell left as exported changes nothing. Each row is first matched to its action and
the uploader's right to update that action is decided *before* anything stored is read:
rows of actions they may not update are compared only with what their download showed
them (approved figures and ratings), so nothing else is ever read into the preview. Such
rows left as they were are ignored, with a note; changed, they are problems that name
the sheet, row and column and show nothing stored. Rows the uploader may update are
compared with what is stored, and a change that could not be made on the update page (a
locked term, a submitted update, a figure that breaks the rules of kpis.figures) is a
problem too. Nothing can be confirmed until the file has no problems; confirmed changes
are saved as drafts, all or nothing, through `progress_update_save`.

The comparator columns of Values are read-only: what is in them is never saved, and a
row where they no longer say what was exported gets a warning naming the cell.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from actions.models import Action, ProgressUpdate, Rating, Term, TermException, UpdateStatus
from actions.selectors import can_update
from bury_eis.formatting import with_unit
from kpis.comparisons import SLOT_HEADER, SLOT_PARTS
from kpis.figures import FigureError, entry_fields, kpi_entry_problems, parse_figure
from kpis.models import KPI, Cohort, Comparator, KPIValue, Maturity, MilestoneStatus
from kpis.updates import NARRATIVE_FIELDS, KPIEntry, narrative_problems, progress_update_save
from spreadsheets.plan_export import latest_values
from spreadsheets.plan_preview import word_diff
from spreadsheets.round_trip_read import Cells, RoundTripFile, SheetRow

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
VALUE_COLUMNS_LABEL = {f: c.lower() for c, f in VALUE_COLUMNS.items()}
COMPARATORS_READ_ONLY = (
    "comparator figures are read-only in this workbook, so this change was not saved. "
    "Enter comparator figures on the update page."
)


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
    cohort_names: dict[int, str]
    comparator_names: dict[int, str]
    values: dict[tuple[int, int, int], KPIValue]
    updates: dict[tuple[int, int], ProgressUpdate]
    exceptions: set[tuple[int, int]]

    def may_update(self, action: Action) -> bool:
        return can_update(self.user, action)

    def shown_update(self, action: Action, term: Term) -> ProgressUpdate | None:
        """The update as the uploader's download showed it: all of it for actions they may
        update, else only an approved one (as board pages show)."""
        update = self.updates.get((action.pk, term.pk))
        if update is None or self.may_update(action):
            return update
        return update if update.status == UpdateStatus.APPROVED else None

    def shown_value(self, action: Action, kpi: KPI, term: Term, cohort: Cohort):
        if self.shown_update(action, term) is None and not self.may_update(action):
            return None
        return self.values.get((kpi.pk, term.pk, cohort.pk))


def _fold(text: str) -> str:
    return " ".join(str(text).split()).lower()


def _plan(file: RoundTripFile, user: AbstractBaseUser, today: date) -> _Plan:
    # Codes and period names are unique only within a plan: match them in the workbook's.
    codes = {str(r.cells.get("Action code") or "").strip() for r in [*file.values, *file.ratings]}
    actions = {
        a.code: a
        for a in Action.objects.filter(plan=file.plan, code__in=codes).prefetch_related("leads")
    }
    kpis = {
        (k.action.code, k.ref): k
        for k in KPI.objects.filter(action__in=actions.values())
        .select_related("action")
        .prefetch_related("breakdown_cohorts")
    }
    terms = {_fold(t.label): t for t in Term.objects.filter(plan=file.plan)}
    every_cohort = list(Cohort.objects.all())
    cohorts = {_fold(c.name): c for c in every_cohort} | {_fold(c.code): c for c in every_cohort}
    return _Plan(
        user=user,
        today=today,
        actions=actions,
        kpis=kpis,
        terms=terms,
        cohorts=cohorts,
        all_pupils=cohorts[Cohort.ALL_PUPILS],
        cohort_names={c.pk: c.name for c in every_cohort},
        comparator_names=dict(Comparator.objects.values_list("pk", "name")),
        values={
            (v.kpi_id, v.term_id, v.cohort_id): v
            for v in latest_values(kpis.values()).prefetch_related("comparisons")
        },
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
    ignored: set[str] = set()
    for row in file.values:
        _value_row(row, plan, groups, seen, ignored, Cells(row, problems, warnings))
    for row in file.ratings:
        _rating_row(row, plan, groups, seen, ignored, Cells(row, problems, warnings))
    for group in groups.values():
        problems += _group_problems(group, plan)
        problems += _figure_problems(group, plan)
        problems += _narrative_problems(group, plan)
    if ignored:
        warnings.append(
            f"Rows for {len(ignored)} action{'s' if len(ignored) != 1 else ''} you do not lead "
            f"({', '.join(sorted(ignored))}) were left as they were downloaded, so they change "
            "nothing."
        )
    ordered = sorted(groups.values(), key=lambda g: (g["position"], g["term_start"]))
    return {
        "plan": file.plan.name if file.plan else "",
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


def _not_theirs(cells: Cells, action: Action, column: str, what: str) -> None:
    """A changed row of an action the uploader may not update: named, with nothing stored."""
    leads = ", ".join(u.get_full_name() or u.username for u in action.leads.all())
    leads = leads or action.lead_description or "nobody yet"
    cells.fail(
        column,
        f"you do not lead {action.code} (its leads: {leads}), so you cannot change its {what}. "
        "Leave the row as it was downloaded, or delete it from the workbook.",
    )


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


def _cell_values(cells: Cells, before: dict, kpi: KPI, cohort: Cohort, plan: _Plan) -> dict:
    nouns = entry_fields(kpi, plan.cohort_names, {})
    value_noun = nouns["value"] if cohort == plan.all_pupils else nouns[f"cohort:{cohort.pk}"]
    return {
        "data_period": cells.text("Data period"),
        "value": cells.figure("Value", kpi, value_noun),
        "numerator": cells.figure("Numerator", kpi, "numerator", whole=True),
        "denominator": cells.figure("Denominator", kpi, "denominator", whole=True),
        "cohort_size": cells.figure("Cohort size", kpi, "cohort size", whole=True),
        # A blank maturity keeps what is stored: every figure has one.
        "maturity": cells.choice("Maturity", Maturity) or before["maturity"],
        "milestone_status": cells.choice("Milestone", MilestoneStatus),
        "note": cells.text("Note"),
    }


def _differs(before: object, after: object) -> bool:
    if before in (None, "") and after in (None, ""):
        return False
    return before != after


def _shown(kpi: KPI | None, name: str, value: object) -> str:
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


def _value_row(
    row: SheetRow, plan: _Plan, groups: dict, seen: dict, ignored: set, cells: Cells
) -> None:
    keys = _keys(cells, plan, ("Action code", "KPI ref", "Term", "Group"), VALUE_COLUMNS)
    if keys is None or _duplicate(cells, ("v", *(k.pk for k in keys[1:])), seen):
        return
    action, kpi, term, cohort = keys
    shown = plan.shown_value(action, kpi, term, cohort)
    _comparator_edits(cells, shown, plan)
    before = _stored_value(shown)
    after = _cell_values(cells, before, kpi, cohort, plan)
    changed = [f for f in VALUE_COLUMNS.values() if _differs(before[f], after[f])]
    if not plan.may_update(action):
        if changed:
            _not_theirs(cells, action, COLUMN_OF[changed[0]], "figures")
        else:
            ignored.add(action.code)
        return
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


def _comparator_edits(cells: Cells, shown: KPIValue | None, plan: _Plan) -> None:
    """Warn, naming the first cell that differs, if a row's read-only comparator columns no
    longer say what was exported for `shown`. Nothing in them is saved either way."""
    slots = sorted({int(m[1]) for h in cells.row.cells if (m := SLOT_HEADER.fullmatch(h))})
    stored = {
        _fold(plan.comparator_names[c.comparator_id]): c
        for c in (shown.comparisons.all() if shown else [])
    }
    seen, empty, column = set(), [], None
    for n in slots:
        name_at, value_at, period_at = (f"Comparator {n}{part}" for part in SLOT_PARTS)
        name, period = cells.text(name_at), cells.text(period_at)
        if not name and cells.raw(value_at) is None and not period:
            empty.append(name_at)
            continue
        item = stored.get(_fold(name))
        if item is None or _fold(name) in seen:
            column = name_at if name else value_at
        elif not _same_figure(cells.raw(value_at), item.value):
            column = value_at
        elif period != item.period.strip():
            column = period_at
        if column:
            break
        seen.add(_fold(name))
    if slots and column is None and set(stored) - seen:
        column = (empty or [f"Comparator {slots[0]}"])[0]  # a figure was cleared
    if column:
        cells.warnings.append(f"{cells.row.where(column)}: {COMPARATORS_READ_ONLY}")


def _same_figure(raw: object, stored: Decimal) -> bool:
    try:
        return parse_figure(raw) == stored
    except FigureError:
        return False


def _rating_row(
    row: SheetRow, plan: _Plan, groups: dict, seen: dict, ignored: set, cells: Cells
) -> None:
    keys = _keys(cells, plan, ("Action code", "Term"), RATING_COLUMNS)
    if keys is None or _duplicate(cells, ("r", *(k.pk for k in keys)), seen):
        return
    action, term = keys
    update = plan.shown_update(action, term)
    before = {f: getattr(update, f) if update else "" for f in RATING_COLUMNS.values()}
    after = {f: cells.text(c) for c, f in RATING_COLUMNS.items() if f != "rating"}
    after["rating"] = cells.choice("Rating", Rating)
    changed = [f for f in RATING_COLUMNS.values() if _differs(before[f], after[f])]
    if not plan.may_update(action):
        if changed:
            _not_theirs(cells, action, COLUMN_OF[changed[0]], "rating or narrative")
        else:
            ignored.add(action.code)
        return
    if not changed:
        return
    group = _group(groups, plan, action, term)
    group["narrative"] |= {f: after[f] for f in changed}
    group["narrative_row"] = row.where()
    for name in changed:
        before_text = _shown(None, name, before[name])
        after_text = _shown(None, name, after[name])
        label = NARRATIVE_FIELDS[name]
        group["changes"].append(_change(row, label, name, before_text, after_text or "removed"))


def _group_problems(group: dict, plan: _Plan) -> list[str]:
    """Why the changes to one action's update in one term cannot be made now, if they cannot.

    Only groups of actions the uploader may update get this far.
    """
    action = plan.actions[group["code"]]
    term = next(t for t in plan.terms.values() if t.pk == group["term_id"])
    update = plan.updates.get((action.pk, term.pk))
    reason = ""
    if action.retired_at is not None:
        reason = f"{action.code} has been retired from the plan, so its figures cannot change."
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


def _figure_problems(group: dict, plan: _Plan) -> list[str]:
    """The update page's own rules (kpis.figures) for each edited KPI once the edits are made,
    each named by the row and column it comes from."""
    problems = []
    all_pk = str(plan.all_pupils.pk)
    kpis = {k.pk: k for k in plan.kpis.values()}
    for kpi_pk, by_cohort in group["values"].items():
        kpi = kpis[int(kpi_pk)]
        entry = _entry(kpi, group["term_id"], by_cohort, plan.values, plan.all_pupils.pk)
        headline = by_cohort.get(all_pk) or next(iter(by_cohort.values()))
        for problem in kpi_entry_problems(
            entry, cohort_names=plan.cohort_names, comparator_names=plan.comparator_names
        ):
            kind, _, cohort_pk = problem.field.partition(":")
            if kind == "cohort":
                at, column = by_cohort.get(cohort_pk, headline)["row"], "Value"
            else:
                at, column = headline["row"], COLUMN_OF.get(kind, "Value")
            problems.append(f'{at}, column "{column}": {problem.message}.')
    return problems


def _narrative_problems(group: dict, plan: _Plan) -> list[str]:
    """The update page's rules for the rating and narrative, once the edits are made."""
    if not group["narrative"]:
        return []
    update = plan.updates.get((group["action_id"], group["term_id"]))
    narrative = {f: getattr(update, f) if update else "" for f in NARRATIVE_FIELDS}
    narrative |= group["narrative"]
    return [
        f'{group["narrative_row"]}, column "{COLUMN_OF[p.field]}": {p.message}.'
        for p in narrative_problems(narrative, submitting=False)
    ]


def _after(stored: KPIValue | None, fields: dict) -> dict:
    state = _stored_value(stored)
    for name, value in fields.items():
        state[name] = Decimal(value) if name == "value" and value is not None else value
    return state


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


def _entry(kpi: KPI, term_id: int, by_cohort: dict, values: dict, all_pk: int) -> KPIEntry:
    """The KPI's whole entry for the term: what is stored, with the edited cells in place.

    A Value left as exported beside a numerator and denominator is the percentage worked
    out from them, not a second figure typed, so it is left out and worked out again.
    """
    stored = values.get((kpi.pk, term_id, all_pk))
    edit = by_cohort.get(str(all_pk))
    state = _after(stored, edit["fields"] if edit else {})
    value_typed = edit is not None and "value" in edit["fields"]
    value = state["value"] if value_typed or state["numerator"] is None else None
    typed = value is not None or state["numerator"] is not None
    no_new_data = bool(stored and stored.no_new_data) and not typed
    return KPIEntry(
        kpi=kpi,
        value=value,
        numerator=state["numerator"],
        denominator=state["denominator"],
        data_period=state["data_period"],
        maturity=state["maturity"] or Maturity.PROVISIONAL,
        cohort_size=state["cohort_size"],
        milestone_status=state["milestone_status"],
        no_new_data=no_new_data,
        no_new_data_reason=stored.no_new_data_reason if no_new_data else "",
        note=state["note"],
        cohorts=_cohort_values(kpi, values, all_pk, term_id, by_cohort),
        comparators={c.comparator_id: (c.value, c.period) for c in stored.comparisons.all()}
        if stored
        else {},
    )


class RoundTripRefused(Exception):
    """The changes cannot be applied; `str()` says why."""


def round_trip_apply(*, preview: dict, user: AbstractBaseUser) -> int:
    """Save every previewed change as the update page would, all or nothing; returns how
    many updates changed. Raises RoundTripRefused, UpdateNotAllowed, UpdateInvalid or
    UpdateConflict (another save since the preview), and then nothing is saved."""
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
    return [_entry(kpi, term.pk, group["values"][str(kpi.pk)], values, all_pk) for kpi in kpis]
