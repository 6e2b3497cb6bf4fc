"""Imports a structured plan workbook (plan_tree_read: priority areas -> outcomes ->
actions, measures on the areas, outside references) into one plan, and previews it.

Only the plan imported into is read or written. Records are matched within it by area
number, outcome code, action code, (area, measure ref) and reference code; what the file
no longer has is retired if anything was recorded against it and deleted if nothing was,
as for the one-row-per-KPI layouts (spreadsheets.services).
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model, Prefetch, Q
from django.utils import timezone

from actions.models import Action, ActionLink, Commitment, Plan, Reference, Sector
from bury_eis.audit import bulk_update_with_history
from kpis.models import KPI, KPIValue
from kpis.standings import standings_refresh
from kpis.status import restatus
from spreadsheets.plan_cells import header_key
from spreadsheets.plan_preview import KPI_FIELDS, change_entry
from spreadsheets.plan_rows import PlanRow
from spreadsheets.plan_targets import stated_target
from spreadsheets.plan_tree_layout import (
    ACTIONS_SHEET,
    AREAS_SHEET,
    MEASURES_SHEET,
    OUTCOMES_SHEET,
    REFERENCES_SHEET,
)
from spreadsheets.plan_tree_read import TreeMeasure, TreePlan
from spreadsheets.services import (
    DryRunRollback,
    ImportSummary,
    bulk_upsert,
    kpi_values_from_row,
    leads_assign,
    recorded_action_ids,
    retire,
    retire_missing,
)
from spreadsheets.upload_checks import PlanFileError

TREE_KINDS = (
    "areas",
    "outcomes",
    "actions",
    "measures",
    "references",
    "links",
    "lead assignments",
)
AREA_FIELDS = {
    "code": "Area code",
    "short_name": "Short name",
    "title": "Title",
    "statement": "Statement",
    "lead_description": "Lead",
}
ACTION_FIELDS = {
    "text": "Action",
    "lead_description": "Lead",
    "due_text": "By when",
    "due_date": "Due date",
    "impact_text": "How will we measure impact?",
}
# Beyond this place, an outcome is out of the way of the file's own (see _make_room).
MOVED_ASIDE = 20000


@dataclass(frozen=True)
class _Wanted:
    """What the file asks of each kind of record, keyed as the database rows are matched."""

    areas: dict[int, dict]
    outcomes: dict[str, dict]
    actions: dict[str, dict]
    links: dict[str, list[tuple[str, str]]]  # action code -> [(kind, target code or number)]


# (model, sheet, the tree's list, [(field, column, the tree item's attribute)]): values
# the database holds in a field of limited length.
LIMITED = [
    (
        Commitment,
        AREAS_SHEET,
        "areas",
        [
            ("code", "Area code", "code"),
            ("short_name", "Short name", "short_name"),
            ("title", "Title", "title"),
            ("lead_description", "Lead", "lead"),
        ],
    ),
    (Sector, OUTCOMES_SHEET, "outcomes", [("name", "Outcome", "text")]),
    (
        Action,
        ACTIONS_SHEET,
        "actions",
        [("lead_description", "Lead", "lead"), ("due_text", "By when", "by_when")],
    ),
    (
        KPI,
        MEASURES_SHEET,
        "measures",
        [
            ("baseline_period", "Baseline period", "baseline_period"),
            ("target_period", "Target period", "target_period"),
            ("data_source", "Data source", "data_source"),
        ],
    ),
    (Reference, REFERENCES_SHEET, "references", [("code", "Code", "code")]),
]


def tree_problems(tree: TreePlan) -> list[str]:
    """What the database would refuse that the reader does not check: a value longer than
    its field, two outcomes worded alike, an action linking to itself."""
    problems = []
    for model, sheet, items, fields in LIMITED:
        for item in getattr(tree, items):
            for name, column, attribute in fields:
                most, value = model._meta.get_field(name).max_length, getattr(item, attribute)
                if len(value) > most:
                    problems.append(
                        f'Sheet "{sheet}", row {item.row}, column "{column}": is '
                        f"{len(value):,} characters long; it may be at most {most:,}."
                    )
    seen: dict[str, int] = {}
    for outcome in tree.outcomes:
        first = seen.setdefault(outcome.text, outcome.row)
        if first != outcome.row:
            problems.append(
                f'Sheet "{OUTCOMES_SHEET}", row {outcome.row}, column "Outcome": is worded '
                f"exactly as row {first}. Each outcome needs its own wording."
            )
    for action in tree.actions:
        if any(header_key(link) == header_key(action.code) for link in action.links):
            problems.append(
                f'Sheet "{ACTIONS_SHEET}", row {action.row}, column "Links and dependencies": '
                f'"{action.code}" is this action itself. List only what it links to.'
            )
    return problems


def tree_check(tree: TreePlan) -> None:
    """Raise PlanFileError naming the file if anything in it cannot be saved."""
    if problems := tree_problems(tree):
        raise PlanFileError([f"{tree.name} cannot be imported:", *problems])


def _wanted(tree: TreePlan) -> _Wanted:
    areas = {
        a.number: {
            "code": a.code,
            "short_name": a.short_name,
            "title": a.title,
            "statement": a.statement,
            "lead_description": a.lead,
        }
        for a in tree.areas
    }
    outcome_area = {o.code: o.area_no for o in tree.outcomes}
    outcomes = {
        o.code: {"position": place, "name": o.text, "area_no": o.area_no}
        for place, o in enumerate(tree.outcomes, start=1)
    }
    actions = {
        a.code: {
            "area_no": outcome_area[a.outcome_code],
            "outcome_code": a.outcome_code,
            "text": a.text,
            "lead_description": a.lead,
            "due_date": a.due_date,
            "due_text": a.by_when,
            "impact_text": a.impact,
            "position": place,
            "row": a.row,
            "retired_at": None,
        }
        for place, a in enumerate(tree.actions, start=1)
    }
    return _Wanted(areas, outcomes, actions, _link_targets(tree))


def _link_targets(tree: TreePlan) -> dict[str, list[tuple[str, str]]]:
    """Each action's links as (kind, key): ("action", code), ("area", number) or
    ("reference", code), in the file's order; the reader has checked each names one."""
    names: dict[str, tuple[str, str]] = {}
    for reference in tree.references:
        names[header_key(reference.code)] = ("reference", reference.code)
    for area in tree.areas:
        for name in (area.title, area.code):
            names[header_key(name)] = ("area", str(area.number))
    for action in tree.actions:
        names[header_key(action.code)] = ("action", action.code)
    links = {}
    for action in tree.actions:
        targets = [names[header_key(link)] for link in action.links]
        links[action.code] = list(dict.fromkeys(targets))
    return links


def _measure_row(measure: TreeMeasure) -> PlanRow:
    """A measure as the one-row-per-KPI importer's row, so one rule says what a file's
    measure sets (spreadsheets.services.kpi_values_from_row)."""
    return PlanRow(
        row=measure.row,
        commitment_no=measure.area_no,
        commitment="",
        statement="",
        sector_no=0,
        sector="",
        code="",
        action="",
        lead="",
        outcome="",
        ref=measure.ref,
        kpi=measure.text,
        unit=measure.unit,
        polarity=measure.polarity,
        baseline=measure.baseline,
        baseline_period=measure.baseline_period,
        target=measure.target,
        target_period=measure.target_period,
        target_kind="",
        target_not_agreed=None,
        tolerance=None,
        lead_emails=(),
        data_source=measure.data_source,
        frequency=measure.frequency,
        stated=stated_target(measure.text),
    )


def _measure_values(tree: TreePlan, existing: dict) -> dict[tuple[int, str], dict]:
    """Each measure's fields, keyed (area number, ref), numbered within its area."""
    wanted, places = {}, Counter()
    for measure in tree.measures:
        places[measure.area_no] += 1
        current = existing.get((measure.area_no, measure.ref))
        row = _measure_row(measure)
        wanted[measure.area_no, measure.ref] = kpi_values_from_row(
            row, places[measure.area_no], current
        )
    return wanted


def _plan_measures(plan: Plan) -> dict[tuple[int, str], KPI]:
    """`plan`'s measures of its areas, keyed (area number, ref), with their other areas."""
    measures = (
        KPI.objects.filter(area__plan=plan, action__isnull=True)
        .select_related("area")
        .prefetch_related("also_areas")
    )
    return {(k.area.number, k.ref): k for k in measures}


def plan_tree_apply(tree: TreePlan, *, plan: Plan, dry_run: bool = False) -> ImportSummary:
    """Create, update, retire or delete `plan`'s areas, outcomes, actions, measures,
    references and links so they are what the structured workbook says; no other plan is
    read or touched.

    One transaction; a dry run does the same work and rolls it back. Figures and
    standings of the plan's measures and actions are worked out again after.
    """
    tree_check(tree)
    summary = ImportSummary(kinds=TREE_KINDS)
    try:
        with transaction.atomic():
            before = set(Action.objects.filter(plan=plan).values_list("pk", flat=True))
            _apply(tree, plan, summary)
            if dry_run:
                raise DryRunRollback
            restatus(
                KPI.objects.filter(Q(action__plan=plan) | Q(area__plan=plan)).values_list(
                    "pk", flat=True
                )
            )
            after = set(Action.objects.filter(plan=plan).values_list("pk", flat=True))
            standings_refresh(actions=before | after)
    except DryRunRollback:
        pass
    return summary


def _apply(tree: TreePlan, plan: Plan, summary: ImportSummary) -> None:
    wanted = _wanted(tree)
    areas = bulk_upsert(
        Commitment,
        {c.number: c for c in Commitment.objects.filter(plan=plan)},
        wanted.areas,
        summary,
        "areas",
        lambda number: {"plan_id": plan.pk, "number": number},
    )
    outcomes = _upsert_outcomes(plan, wanted, areas, summary)
    actions = _upsert_actions(plan, wanted, areas, outcomes, summary)
    wanted_leads = {(a.code, email) for a in tree.actions for email in a.lead_emails}
    leads_assign(wanted_leads, actions, summary)
    references = bulk_upsert(
        Reference,
        {r.code: r for r in Reference.objects.filter(plan=plan)},
        {r.code: {"description": r.description} for r in tree.references},
        summary,
        "references",
        lambda code: {"plan_id": plan.pk, "code": code},
    )
    _sync_links(plan, wanted.links, actions, areas, references, summary)
    retire_missing(plan, set(wanted.actions), set(), summary)
    _upsert_measures(plan, tree, areas, summary)
    _delete_gone(plan, tree, summary)


def _upsert_outcomes(
    plan: Plan, wanted: _Wanted, areas: dict[int, Commitment], summary: ImportSummary
) -> dict[str, Sector]:
    existing = {s.code: s for s in Sector.objects.filter(plan=plan)}
    _make_room(existing, wanted.outcomes)
    values = {
        code: {
            "position": o["position"],
            "name": o["name"],
            "commitment_id": areas[o["area_no"]].pk,
        }
        for code, o in wanted.outcomes.items()
    }
    return bulk_upsert(
        Sector,
        existing,
        values,
        summary,
        "outcomes",
        lambda code: {"plan_id": plan.pk, "code": code},
    )


def _make_room(existing: dict[str, Sector], wanted: dict[str, dict]) -> None:
    """Move aside the outcomes whose place changes, or that the file no longer has, so no
    two share a place while the file's are put in theirs (one place per plan)."""
    moving = [
        s for code, s in existing.items() if wanted.get(code, {}).get("position") != s.position
    ]
    if not moving:
        return
    for outcome in moving:
        outcome.position = MOVED_ASIDE + outcome.position % MOVED_ASIDE
    bulk_update_with_history(moving, Sector, ["position"], batch_size=1000)


def _upsert_actions(
    plan: Plan,
    wanted: _Wanted,
    areas: dict[int, Commitment],
    outcomes: dict[str, Sector],
    summary: ImportSummary,
) -> dict[str, Action]:
    values = {}
    for code, a in wanted.actions.items():
        fields = {k: v for k, v in a.items() if k not in ("area_no", "outcome_code", "row")}
        fields["commitment_id"] = areas[a["area_no"]].pk
        fields["sector_id"] = outcomes[a["outcome_code"]].pk
        values[code] = fields
    return bulk_upsert(
        Action,
        {a.code: a for a in Action.objects.filter(plan=plan)},
        values,
        summary,
        "actions",
        lambda code: {"plan_id": plan.pk, "code": code},
    )


def _link_key(link: ActionLink) -> tuple[int, str, int]:
    if link.target_action_id:
        return (link.action_id, "action", link.target_action_id)
    if link.target_area_id:
        return (link.action_id, "area", link.target_area_id)
    return (link.action_id, "reference", link.target_reference_id)


def _sync_links(
    plan: Plan,
    wanted: dict[str, list[tuple[str, str]]],
    actions: dict[str, Action],
    areas: dict[int, Commitment],
    references: dict[str, Reference],
    summary: ImportSummary,
) -> None:
    """Make each action's links what the file says: add the new, delete the gone."""
    ids = {
        "action": lambda key: actions[key].pk,
        "area": lambda key: areas[int(key)].pk,
        "reference": lambda key: references[key].pk,
    }
    values = {}
    for code, targets in wanted.items():
        for place, (kind, key) in enumerate(targets, start=1):
            values[actions[code].pk, kind, ids[kind](key)] = {"position": place}
    existing = {_link_key(link): link for link in ActionLink.objects.filter(action__plan=plan)}
    gone = [link.pk for key, link in existing.items() if key not in values]
    bulk_upsert(
        ActionLink,
        existing,
        values,
        summary,
        "links",
        lambda key: {"action_id": key[0], f"target_{key[1]}_id": key[2]},
    )
    ActionLink.objects.filter(pk__in=gone).delete()
    summary.counts["links deleted"] += len(gone)


def _upsert_measures(
    plan: Plan, tree: TreePlan, areas: dict[int, Commitment], summary: ImportSummary
) -> None:
    existing = _plan_measures(plan)
    known = set(existing)
    wanted = _measure_values(tree, existing)
    measures = bulk_upsert(
        KPI,
        existing,
        wanted,
        summary,
        "measures",
        lambda key: {"area_id": areas[key[0]].pk, "ref": key[1]},
    )
    also = {(m.area_no, m.ref): {areas[n].pk for n in m.also_relevant_to} for m in tree.measures}
    for key, area_ids in also.items():
        measure = measures[key]
        have = {a.pk for a in measure.also_areas.all()} if key in known else set()
        if have != area_ids:
            measure.also_areas.set(area_ids)  # through the relation, so the trail sees it
            summary.counts["measures' other areas set"] += 1
    gone = [k for key, k in measures.items() if key not in wanted and k.retired_at is None]
    valued = set(KPIValue.objects.filter(kpi__in=gone).values_list("kpi_id", flat=True))
    retire(KPI, [k.pk for k in gone if k.pk in valued], timezone.now())
    KPI.objects.filter(pk__in=[k.pk for k in gone if k.pk not in valued]).delete()
    summary.counts["measures retired"] += len(valued)
    summary.counts["measures deleted"] += len(gone) - len(valued)


def _delete_gone(plan: Plan, tree: TreePlan, summary: ImportSummary) -> None:
    """Delete the references and outcomes the file no longer has; an outcome that still has
    (retired) actions stays, out of the way, with them."""
    codes = {r.code for r in tree.references}
    gone = Reference.objects.filter(plan=plan).exclude(code__in=codes)
    summary.counts["references deleted"] += _delete(gone)
    outcomes = {o.code for o in tree.outcomes}
    empty = Sector.objects.filter(plan=plan, actions__isnull=True).exclude(code__in=outcomes)
    summary.counts["outcomes deleted"] += _delete(empty)


def _delete(rows) -> int:
    pks = list(rows.values_list("pk", flat=True))
    model: type[Model] = rows.model
    model.objects.filter(pk__in=pks).delete()
    return len(pks)


def plan_tree_preview(tree: TreePlan, warnings: list[str], *, plan: Plan) -> dict:
    """What importing the structured workbook into `plan` would do, read from `plan` alone:
    per area its actions (created, changed, unchanged, retired or deleted, with their links),
    and the areas, outcomes, measures and references that would change, in the shape
    spreadsheets.plan_preview gives (plus "structure" and "kinds")."""
    tree_check(tree)
    wanted = _wanted(tree)
    actions = {
        a.code: a
        for a in Action.objects.filter(plan=plan)
        .select_related("commitment", "sector")
        .prefetch_related(_LINKS)
    }
    groups = {
        n: {"number": n, "title": f"{a['code']} {a['short_name']}", "actions": []}
        for n, a in wanted.areas.items()
    }
    recorded = recorded_action_ids(plan)
    for code, fields in wanted.actions.items():
        entry = _action_entry(code, fields, actions.get(code), wanted.links[code], tree)
        groups[fields["area_no"]]["actions"].append(entry)
    for action in actions.values():
        if action.code not in wanted.actions and action.retired_at is None:
            state = "retired" if action.pk in recorded else "deleted"
            group = groups.setdefault(
                action.commitment.number,
                {
                    "number": action.commitment.number,
                    "title": action.commitment.label,
                    "actions": [],
                },
            )
            group["actions"].append(_entry(action.code, action.text, None, state, []))
    structure = _structure(tree, wanted, plan)
    return _summed(groups, structure, warnings)


_LINKS = Prefetch(
    "links",
    queryset=ActionLink.objects.select_related("target_action", "target_area", "target_reference"),
)


def _entry(code: str, text: str, row: int | None, state: str, changes: list) -> dict:
    return {"code": code, "text": text, "row": row, "state": state, "changes": changes, "kpis": []}


def _link_words(kind: str, key: str, tree_areas: dict[int, str]) -> str:
    return tree_areas[int(key)] if kind == "area" else key


def _action_entry(code: str, fields: dict, action, links: list, tree: TreePlan) -> dict:
    row = fields["row"]
    if action is None:
        return _entry(code, fields["text"], row, "created", [])
    changes = [
        change_entry(label, getattr(action, f), fields[f])
        for f, label in ACTION_FIELDS.items()
        if getattr(action, f) != fields[f]
    ]
    if (action.commitment.number, action.sector.code) != (
        fields["area_no"],
        fields["outcome_code"],
    ):
        changes.append(change_entry("Outcome", action.sector.code, fields["outcome_code"]))
    area_codes = {a.number: a.code for a in tree.areas}
    now = "; ".join(_link_words(kind, key, area_codes) for kind, key in links)
    before = "; ".join(_recorded_link_words(link) for link in action.links.all())
    if now != before:
        changes.append(change_entry("Links and dependencies", before, now))
    if action.retired_at is not None:
        changes.append(change_entry("Retired", "yes", "no (back in the plan)"))
    return _entry(code, fields["text"], row, "changed" if changes else "unchanged", changes)


def _recorded_link_words(link: ActionLink) -> str:
    if link.target_action_id:
        return link.target_action.code
    if link.target_area_id:
        return link.target_area.code or str(link.target_area.number)
    return link.target_reference.code


def _structure(tree: TreePlan, wanted: _Wanted, plan: Plan) -> list[dict]:
    """The areas, outcomes, measures and references the file would create, change or
    remove, in that order."""
    areas = {c.number: c for c in Commitment.objects.filter(plan=plan)}
    items = [
        _item(
            "Area", a.code, a.title, a.row, areas.get(a.number), wanted.areas[a.number], AREA_FIELDS
        )
        for a in tree.areas
    ]
    outcomes = {s.code: s for s in Sector.objects.filter(plan=plan).select_related("commitment")}
    for o in tree.outcomes:
        fields = {"name": o.text, "area": str(o.area_no)}
        current = outcomes.get(o.code)
        recorded = None
        if current is not None:
            area_no = str(current.commitment.number) if current.commitment else ""
            recorded = {"name": current.name, "area": area_no}
        items.append(_item("Outcome", o.code, o.text, o.row, recorded, fields, OUTCOME_FIELDS))
    items += _measure_items(tree, plan)
    references = {r.code: r for r in Reference.objects.filter(plan=plan)}
    for r in tree.references:
        fields = {"description": r.description}
        current = references.get(r.code)
        items.append(
            _item("Reference", r.code, r.description, r.row, current, fields, REFERENCE_FIELDS)
        )
    file_codes = {t.code for t in tree.references}
    items += [
        _gone("Reference", code, r.description, "deleted")
        for code, r in references.items()
        if code not in file_codes
    ]
    kept = set(
        Action.objects.filter(sector__plan=plan, sector__in=outcomes.values())
        .exclude(code__in=wanted.actions)
        .values_list("sector__code", flat=True)
    )
    items += [
        _gone("Outcome", code, s.name, "retired" if code in kept else "deleted")
        for code, s in outcomes.items()
        if code not in wanted.outcomes
    ]
    return items


OUTCOME_FIELDS = {"name": "Outcome", "area": "Area no"}
REFERENCE_FIELDS = {"description": "Description"}
MEASURE_FIELDS = KPI_FIELDS | {"also": "Also relevant to"}


def _item(kind: str, code: str, text: str, row: int, current, fields: dict, labels: dict) -> dict:
    """One area, outcome, measure or reference of the file against what is recorded
    (`current`: a model or a dict of the same fields, None if there is none)."""
    item = {"kind": kind, "code": code, "text": text, "row": row, "changes": []}
    if current is None:
        return item | {"state": "created"}
    value = current.get if isinstance(current, dict) else lambda f: getattr(current, f)
    item["changes"] = [
        change_entry(label, value(f), fields[f])
        for f, label in labels.items()
        if f in fields and value(f) != fields[f]
    ]
    if "retired_at" in fields and getattr(current, "retired_at", None) is not None:
        item["changes"].append(change_entry("Retired", "yes", "no (back in the plan)"))
    return item | {"state": "changed" if item["changes"] else "unchanged"}


def _measure_items(tree: TreePlan, plan: Plan) -> list[dict]:
    existing = _plan_measures(plan)
    wanted = _measure_values(tree, existing)
    codes = {a.number: a.code for a in tree.areas}
    items = []
    for m in tree.measures:
        fields = wanted[m.area_no, m.ref] | {"also": _area_list(m.also_relevant_to, codes)}
        current = existing.get((m.area_no, m.ref))
        recorded = None
        if current is not None:
            also = _area_list(sorted(a.number for a in current.also_areas.all()), codes)
            recorded = {f: getattr(current, f) for f in wanted[m.area_no, m.ref]} | {"also": also}
        code = f"{codes[m.area_no]} ({m.ref})"
        items.append(_item("Measure", code, m.text, m.row, recorded, fields, MEASURE_FIELDS))
        if current is not None and current.retired_at is not None:
            items[-1]["changes"].append(change_entry("Retired", "yes", "no (back in the plan)"))
            items[-1]["state"] = "changed"
    valued = set(
        KPIValue.objects.filter(kpi__in=[k.pk for k in existing.values()]).values_list(
            "kpi_id", flat=True
        )
    )
    for key, k in existing.items():
        if key not in wanted and k.retired_at is None:
            state = "retired" if k.pk in valued else "deleted"
            code = f"{k.area.code or k.area.number} ({k.ref})"
            items.append(
                {
                    "kind": "Measure",
                    "code": code,
                    "text": k.text,
                    "row": None,
                    "state": state,
                    "changes": [],
                }
            )
    return items


def _gone(kind: str, code: str, text: str, state: str) -> dict:
    return {"kind": kind, "code": code, "text": text, "row": None, "state": state, "changes": []}


def _area_list(numbers, codes: dict[int, str]) -> str:
    return "; ".join(codes.get(n, str(n)) for n in sorted(numbers))


def _summed(groups: dict[int, dict], structure: list[dict], warnings: list[str]) -> dict:
    counts: Counter = Counter()
    for group in groups.values():
        group["touched"] = False
        for entry in group["actions"]:
            entry["touched"] = entry["state"] != "unchanged"
            group["touched"] = group["touched"] or entry["touched"]
            counts[f"actions {entry['state']}"] += 1
    for item in structure:
        counts[f"{item['kind'].lower()}s {item['state']}"] += 1
    return {
        "commitments": [groups[n] for n in sorted(groups)],
        "structure": structure,
        "counts": dict(counts),
        "kinds": ["areas", "outcomes", "actions", "measures", "references"],
        "warnings": list(warnings),
    }
