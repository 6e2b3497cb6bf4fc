"""The plan with its figures as one workbook: the import template, values and ratings.

The "Delivery plan" sheet is the import template (spreadsheets/plan_template), so it can be
imported again as a plan. "Values" (KPI × term × group) and "Ratings" (action × term)
carry what is recorded, with a blank row for every KPI and group in each open term,
so a lead can fill in this term offline and upload the workbook (spreadsheets/round_trip).
A workbook is of one plan: only its actions and reporting periods, with its name in the
last column of Values and Ratings (before the comparators) and on the About sheet, since
action codes are unique only within a plan and the upload matches them in that plan.
Beside each figure in Values, each comparator's figure recorded with it and the period that
describes ("Comparator 1", "Comparator 1 value", "Comparator 1 period"…), read-only: the
upload saves no change to them. Header rows and the columns that say which KPI, term and
group a row is are locked; the figures and narrative are not. Every text cell is
neutralised against formulas, and every cell has the number format its value needs
(bury_eis.exports.format_sheet): figures as numbers, codes and periods as text.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from actions.models import Action, Plan, ProgressUpdate, Rating, Term, UpdateStatus
from actions.selectors import can_update, plan_chosen
from bury_eis.exports import format_sheet, neutralise
from bury_eis.roles import is_admin
from kpis.comparisons import Comparison, of_value, slot_headers, slot_names
from kpis.models import (
    KPI,
    Cohort,
    ComparatorValue,
    KPIValue,
    Maturity,
    MilestoneStatus,
    Unit,
)
from kpis.selectors import open_terms, value_is_approved
from spreadsheets.plan_template import TEMPLATE_COLUMNS, plan_template_workbook

VALUES_SHEET = "Values"
RATINGS_SHEET = "Ratings"
ABOUT_SHEET = "About this workbook"
PLAN_COLUMN = "Plan"
VALUE_KEYS = ["Action code", "KPI ref", "KPI", "Unit", "Term", "Group"]
VALUE_FIELDS = [
    "Data period",
    "Value",
    "Numerator",
    "Denominator",
    "Cohort size",
    "Maturity",
    "Milestone",
    "Note",
]
RATING_KEYS = ["Action code", "Action", "Lead", "Term", "Update status"]
RATING_FIELDS = ["Rating", "Progress", "Evidence of impact", "Next steps", "Risks"]
# The plan comes last, after the columns people read and fill in; every row has it.
VALUE_COLUMNS = [*VALUE_KEYS, *VALUE_FIELDS, "Update status", PLAN_COLUMN]
RATING_COLUMNS = [*RATING_KEYS, *RATING_FIELDS, PLAN_COLUMN]
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
NO_APPROVED_UPDATE = "No approved update"
WIDTHS = {
    PLAN_COLUMN: 30,
    "KPI": 50,
    "Action": 50,
    "Progress": 50,
    "Evidence of impact": 40,
    "Next steps": 40,
}


@dataclass
class ExportScope:
    """Which actions the workbook covers, what it is called, whose figures it may show, and
    its plan (None: the first plan). Only the plan's actions are exported."""

    actions: QuerySet[Action]
    title: str
    user: AbstractBaseUser
    plan: Plan | None = None

    def __post_init__(self) -> None:
        self.plan = self.plan or plan_chosen(None)
        self.actions = self.actions.filter(plan=self.plan)


def number(value: Decimal | None) -> int | float | None:
    """A stored decimal as the plain number a spreadsheet shows (74, not 74.0000)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _leads(user: AbstractBaseUser, action_path: str) -> Exists:
    return Exists(
        Action.leads.through.objects.filter(action_id=OuterRef(action_path), user_id=user.pk)
    )


def visible_updates(user: AbstractBaseUser) -> Q | Exists:
    """Which updates the user may export: admins all; others the approved ones and those of
    the actions they lead (drafts included, since they are the ones editing them)."""
    if is_admin(user):
        return Q()
    return Q(status=UpdateStatus.APPROVED) | _leads(user, "action_id")


def visible_values(user: AbstractBaseUser) -> Q | Exists:
    """The same rule for values, through their KPI's action and term."""
    if is_admin(user):
        return Q()
    return value_is_approved() | _leads(user, "kpi__action_id")


def plan_export_bytes(scope: ExportScope, today: date) -> bytes:
    """The workbook for `scope` as .xlsx bytes (see the module docstring)."""
    kpis = list(
        KPI.objects.filter(action__in=scope.actions, retired_at__isnull=True)
        .select_related(
            "action__commitment", "action__sector", "target_comparator", "target_cohort"
        )
        .prefetch_related("action__leads", "breakdown_cohorts")
        .order_by("action__position", "position", "pk")
    )
    book = plan_template_workbook(_plan_rows(kpis, scope.user), creator="Bury EIS")
    _protect(book.active, editable=set(TEMPLATE_COLUMNS))
    terms = open_terms(today, scope.plan)
    values = _values_sheet(book.create_sheet(VALUES_SHEET), kpis, terms, scope)
    ratings = _ratings_sheet(book.create_sheet(RATINGS_SHEET), scope, terms)
    _about_sheet(book.create_sheet(ABOUT_SHEET), scope, terms, (values, ratings))
    for name in (VALUES_SHEET, RATINGS_SHEET, ABOUT_SHEET):
        format_sheet(book[name])  # the Delivery plan sheet is formatted as the template is
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plan_rows(kpis: list[KPI], user: AbstractBaseUser) -> Iterable[list]:
    # Leads' e-mail addresses are for admins, who import the plan; others see names only,
    # as the plan's pages show them.
    with_emails = is_admin(user)
    for kpi in kpis:
        action = kpi.action
        values = {
            "Commitment no": action.commitment.number,
            "Commitment": action.commitment.title,
            "Commitment statement": action.commitment.statement,
            "Sector no": action.sector.position,
            "Sector": action.sector.name,
            "Action code": action.code,
            "Action": action.text,
            "Lead": action.lead_description,
            "Outcome": action.outcome,
            "KPI ref": kpi.ref,
            "KPI": kpi.text,
            "Unit": kpi.unit,
            "Polarity": kpi.polarity,
            "Baseline": number(kpi.baseline_value),
            "Baseline period": kpi.baseline_period,
            "Target": number(kpi.target_value),
            "Target period": kpi.target_period,
            "Target kind": kpi.target_kind,
            "Target not agreed": "yes" if kpi.target_not_agreed else "no",
            "Tolerance": number(kpi.tolerance),
            "Upper target": number(kpi.target_upper_value),
            "Target comparator": kpi.target_comparator.name if kpi.target_comparator else "",
            "Comparator basis": kpi.comparator_basis,
            "Target group": kpi.target_cohort.name if kpi.target_cohort else "",
            "Gap narrowing": number(kpi.gap_narrowing),
            "Trend figures": kpi.trend_periods,
            "Trend minimum change": number(kpi.trend_min_change),
            "Lead e-mails": "; ".join(u.email for u in action.leads.all() if u.email)
            if with_emails
            else "",
            "Data source": kpi.data_source,
            "Frequency": kpi.frequency,
        }
        yield [neutralise(values[c]) for c in TEMPLATE_COLUMNS]


def latest_values(kpis: Iterable[KPI], terms: Iterable[Term] | None = None) -> QuerySet:
    """Values of `kpis` (in `terms`), oldest save first: keyed by (KPI, term, group), the
    last one wins, as on the update page."""
    values = KPIValue.objects.filter(kpi__in=list(kpis))
    if terms is not None:
        values = values.filter(term__in=list(terms))
    return values.select_related("term", "cohort").order_by("updated_at", "pk")


def _values_sheet(sheet: Worksheet, kpis: list[KPI], terms: list[Term], scope) -> int:
    user = scope.user
    all_pupils = Cohort.objects.get(code=Cohort.ALL_PUPILS)
    stored = {
        (v.kpi_id, v.term_id, v.cohort_id): v
        for v in latest_values(kpis)
        .filter(visible_values(user), term__plan=scope.plan)
        .prefetch_related(
            Prefetch("comparisons", queryset=ComparatorValue.objects.select_related("comparator"))
        )
    }
    compared = {key: of_value(v) for key, v in stored.items()}
    names = slot_names(c for found in compared.values() for c in found)
    statuses = _statuses(ProgressUpdate.objects.filter(action_id__in={k.action_id for k in kpis}))
    theirs = {k.action_id for k in kpis if can_update(user, k.action)}
    keys = set(stored)
    for kpi in kpis:
        for term in terms:
            for cohort in [all_pupils, *kpi.breakdown_cohorts.all()]:
                keys.add((kpi.pk, term.pk, cohort.pk))
    by_kpi = {k.pk: k for k in kpis}
    term_of = {t.pk: t for t in Term.objects.filter(plan=scope.plan)}
    cohort_of = {c.pk: c for c in Cohort.objects.all()}
    order = sorted(
        keys,
        key=lambda k: (
            by_kpi[k[0]].action.position,
            by_kpi[k[0]].position,
            k[0],
            term_of[k[1]].start_date,
            cohort_of[k[2]].position,
        ),
    )
    sheet.append([*VALUE_COLUMNS, *slot_headers(max(len(names), 1))])
    for key in order:
        kpi, term = by_kpi[key[0]], term_of[key[1]]
        status = _status_shown(statuses, kpi.action_id, key[1], kpi.action_id in theirs)
        row = _value_row(scope.plan, kpi, term, cohort_of[key[2]], stored.get(key), status)
        sheet.append(row + comparator_cells(compared.get(key, []), names))
    _protect(
        sheet,
        editable=set(VALUE_FIELDS),
        locked_rows=[
            r for r, key in enumerate(order, start=2) if by_kpi[key[0]].action_id not in theirs
        ],
    )
    _value_validations(sheet, [by_kpi[k[0]] for k in order])
    return len(order)


def value_cells(value: KPIValue | None) -> dict[str, object]:
    """The editable cells of a Values row as exported, from what is stored."""
    if value is None:
        return dict.fromkeys(VALUE_FIELDS)
    return {
        "Data period": value.data_period,
        "Value": number(value.value),
        "Numerator": value.numerator,
        "Denominator": value.denominator,
        "Cohort size": value.cohort_size,
        "Maturity": value.get_maturity_display(),
        "Milestone": value.get_milestone_status_display() if value.milestone_status else None,
        "Note": value.note,
    }


def comparator_cells(found: list[Comparison], names: list[str]) -> list:
    """A Values row's comparator columns: name, value and period in each comparator's slot."""
    by_name = {c.name: c for c in found}
    cells: list = []
    for name in names or [""]:
        item = by_name.get(name)
        triple = (item.name, number(item.value), item.period) if item else (None, None, None)
        cells += [neutralise(v) for v in triple]
    return cells


def _value_row(plan: Plan, kpi: KPI, term: Term, cohort: Cohort, value, status: str) -> list:
    keys = [kpi.action.code, kpi.ref, kpi.text, Unit(kpi.unit).label if kpi.unit else ""]
    cells = value_cells(value)
    row = [*keys, term.label, cohort.name, *(cells[f] for f in VALUE_FIELDS), status, plan.name]
    return [neutralise(v) for v in row]


def rating_cells(update: ProgressUpdate | None) -> dict[str, object]:
    """The editable cells of a Ratings row as exported, from what is stored."""
    if update is None:
        return dict.fromkeys(RATING_FIELDS)
    return {
        "Rating": Rating(update.rating).label if update.rating else None,
        "Progress": update.progress,
        "Evidence of impact": update.evidence_of_impact,
        "Next steps": update.next_steps,
        "Risks": update.risks,
    }


def _ratings_sheet(sheet: Worksheet, scope: ExportScope, terms: list[Term]) -> int:
    actions = list(
        scope.actions.filter(retired_at__isnull=True).prefetch_related("leads").order_by("position")
    )
    updates = {
        (u.action_id, u.term_id): u
        for u in ProgressUpdate.objects.filter(action__in=actions, term__plan=scope.plan)
        .filter(visible_updates(scope.user))
        .select_related("term")
    }
    keys = set(updates) | {(a.pk, t.pk) for a in actions for t in terms}
    term_of = {t.pk: t for t in Term.objects.filter(plan=scope.plan)}
    by_action = {a.pk: a for a in actions}
    theirs = {a.pk for a in actions if can_update(scope.user, a)}
    statuses = _statuses(ProgressUpdate.objects.filter(action__in=actions))
    order = sorted(keys, key=lambda k: (by_action[k[0]].position, term_of[k[1]].start_date))
    sheet.append(RATING_COLUMNS)
    for action_pk, term_pk in order:
        action, update = by_action[action_pk], updates.get((action_pk, term_pk))
        lead = action.lead_description or ", ".join(
            u.get_full_name() or u.username for u in action.leads.all()
        )
        status = _status_shown(statuses, action_pk, term_pk, action_pk in theirs)
        cells = rating_cells(update)
        row = [action.code, action.text, lead, term_of[term_pk].label, status]
        fields = [cells[f] for f in RATING_FIELDS]
        sheet.append([neutralise(v) for v in [*row, *fields, scope.plan.name]])
    _protect(
        sheet,
        editable=set(RATING_FIELDS),
        locked_rows=[r for r, k in enumerate(order, start=2) if k[0] not in theirs],
    )
    letter = get_column_letter(RATING_COLUMNS.index("Rating") + 1)
    labels = [r.label for r in Rating]
    _validation(
        sheet,
        "list",
        f"{letter}2:{letter}{max(sheet.max_row, 2)}",
        formula1='"' + ",".join(labels) + '"',
        error=f"Choose one of: {', '.join(labels)}",
    )
    return len(order)


def _statuses(updates: QuerySet[ProgressUpdate]) -> dict[tuple[int, int], str]:
    return {(a, t): s for a, t, s in updates.values_list("action_id", "term_id", "status")}


def _status_shown(statuses: dict, action_pk: int, term_pk: int, theirs: bool) -> str:
    """An update's state as the reader may see it: in full for the actions they may update;
    for others only whether it is approved, as the board pages show."""
    status = statuses.get((action_pk, term_pk))
    if theirs:
        return UpdateStatus(status).label if status else "Not started"
    return UpdateStatus.APPROVED.label if status == UpdateStatus.APPROVED else NO_APPROVED_UPDATE


def _protect(sheet: Worksheet, editable: set[str], locked_rows: Iterable[int] = ()) -> None:
    """Bold, frozen, locked header; `editable` columns open below it, the rest locked, and
    `locked_rows` (those of actions the reader may not update) locked throughout.

    The protection has no password: it stops slips, not people, and the upload checks
    every cell whatever the sheet allowed.
    """
    header = [c.value for c in sheet[1]]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, max(12, len(name) + 3))
        if name in editable:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.protection = UNLOCKED
    for row in locked_rows:
        for cell in sheet[row]:
            cell.protection = LOCKED
    sheet.protection.sheet = True
    # Filtering, sorting and resizing stay possible on the protected sheet.
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.protection.formatColumns = False
    sheet.auto_filter.ref = sheet.dimensions


def _validation(sheet: Worksheet, kind: str, cells: str, error: str, **options) -> None:
    rule = DataValidation(
        type=kind, allow_blank=True, showErrorMessage=True, error=error, **options
    )
    rule.sqref = MultiCellRange(cells)
    sheet.add_data_validation(rule)


def _value_validations(sheet: Worksheet, kpis: list[KPI]) -> None:
    """Numbers where numbers go, 0-100 for percentages, and the lists of codes."""
    last = max(sheet.max_row, 2)

    def column(name: str) -> str:
        return get_column_letter(VALUE_COLUMNS.index(name) + 1)

    value = column("Value")
    percent = " ".join(
        f"{value}{row}" for row, kpi in enumerate(kpis, start=2) if kpi.unit == Unit.PERCENT
    )
    other = " ".join(
        f"{value}{row}" for row, kpi in enumerate(kpis, start=2) if kpi.unit != Unit.PERCENT
    )
    if percent:
        _validation(
            sheet,
            "decimal",
            percent,
            "Enter a percentage between 0 and 100",
            operator="between",
            formula1="0",
            formula2="100",
        )
    if other:
        _validation(
            sheet,
            "decimal",
            other,
            "Enter a number",
            operator="between",
            formula1="-9999999999",
            formula2="9999999999",
        )
    for name in ("Numerator", "Denominator", "Cohort size"):
        letter = column(name)
        _validation(
            sheet,
            "whole",
            f"{letter}2:{letter}{last}",
            "Enter a whole number",
            operator="greaterThanOrEqual",
            formula1="0",
        )
    for name, labels in (("Maturity", Maturity.labels), ("Milestone", MilestoneStatus.labels)):
        letter = column(name)
        _validation(
            sheet,
            "list",
            f"{letter}2:{letter}{last}",
            f"Choose one of: {', '.join(labels)}",
            formula1='"' + ",".join(labels) + '"',
        )


def _about_sheet(sheet: Worksheet, scope: ExportScope, terms: list[Term], counts) -> None:
    figures = (
        "all figures, drafts included"
        if is_admin(scope.user)
        else ("approved figures, and every figure of the actions you lead")
    )
    open_now = ", ".join(t.label for t in terms) or "none"
    rows = [
        ["Plan", scope.plan.name],
        ["Covers", scope.title],
        ["Figures", f"{figures}: {counts[0]} value rows and {counts[1]} rating rows"],
        ["Terms open for updates", open_now],
        [
            "To update",
            "Fill in the unlocked cells of Values and Ratings for an open term, save "
            "the workbook and upload it on the Excel page. Leave the Plan column as it is: "
            "the upload matches action codes within that plan. You will see every change before "
            "anything is saved; confirmed changes are saved as drafts, as on the update page.",
        ],
        [
            "Comparators",
            "Values shows each comparator's figure recorded beside a figure, with the period "
            "it describes, which can differ from the period of the figure: Comparator 1, its "
            "value and period, then Comparator 2 and so on. They are read-only here: the "
            "upload saves no change to them. Enter comparator figures on the update page.",
        ],
        ["Delivery plan", "The plan in the import template's layout; Notes explains each column."],
    ]
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        cell.font = Font(bold=True)
