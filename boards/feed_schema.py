"""The feed's OpenAPI 3.1 description, built here once and served at /feed/openapi.json.

The row schemas are also the CSV column order (`columns`), and the tests validate
every JSON response against them, so the description cannot drift from the feed.
"""

from boards.feed import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, RESOURCES
from kpis.models import KPIStatus


def _t(kind: str, nullable: bool = False, **extra) -> dict:
    return {"type": [kind, "null"] if nullable else kind, **extra}


TEXT, WHOLE, FLAG = _t("string"), _t("integer"), _t("boolean")
DAY = _t("string", format="date")
PLAN = _t("string", description="The plan's slug, e.g. eis or send-pip (/feed/periods.json?plan=)")
WHEN = _t("string", nullable=True, format="date-time")
NUMBER = _t("number", nullable=True)
# A figure withheld from a public token is null, with `suppressed` true beside it: a
# numeric column holds numbers (or nothing), never a marker, so Power BI can type it.
WITHHELD = "Null when not recorded, or when withheld from a public token (see suppressed)"
FIGURE = _t("number", nullable=True, description=WITHHELD)
COUNT = _t("integer", nullable=True, minimum=0, description=WITHHELD)
OF_AREA = "Null for a measure of a priority area rather than of an action"

ROWS: dict[str, dict[str, dict]] = {
    "terms": {
        "id": WHOLE,
        "plan": PLAN,
        "label": _t("string", description="e.g. Autumn 2025, or October 2024"),
        "academic_year": _t("string", description="e.g. 2025/26; empty unless termly"),
        "season": _t("string", enum=["autumn", "spring", "summer", ""]),
        "start_date": _t("string", format="date"),
        "end_date": _t("string", format="date"),
        "is_locked": FLAG,
    },
    "commitments": {"id": WHOLE, "plan": PLAN, "number": WHOLE, "title": TEXT, "statement": TEXT},
    "sectors": {"id": WHOLE, "plan": PLAN, "position": WHOLE, "name": TEXT},
    "actions": {
        "id": WHOLE,
        "plan": PLAN,
        "code": _t(
            "string",
            description="Unique within its plan: commitment.sector(letter), e.g. 2.4(b), or "
            "outcome and letter, e.g. 1.1a",
        ),
        "commitment_number": WHOLE,
        "sector_position": WHOLE,
        "sector": TEXT,
        "text": TEXT,
        "outcome": TEXT,
        "lead": _t("string", description="The plan's own words for the lead"),
        "due_date": _t(
            "string",
            nullable=True,
            format="date",
            description="When the action should be done, where the plan gives it",
        ),
        "due_text": _t("string", description='The plan\'s words, e.g. "September - December 2024"'),
        "retired_at": WHEN,
    },
    "kpis": {
        "id": WHOLE,
        "plan": PLAN,
        "action_id": _t("integer", nullable=True, description=OF_AREA),
        "action_code": _t("string", nullable=True, description=OF_AREA),
        "area_code": _t(
            "string",
            nullable=True,
            description='The priority area of a measure of an area, e.g. "AFI 1"; null for a '
            "measure of an action",
        ),
        "area_number": _t("integer", nullable=True, description="That area's number"),
        "also_areas": _t(
            "string",
            description="The codes of other areas the measure is also relevant to, separated "
            'by "; "; empty when none',
        ),
        "commitment_number": _t(
            "integer", description="The number of the action's commitment, or of the area"
        ),
        "ref": _t("string", description="Lower-case roman numeral within the action"),
        "text": TEXT,
        "unit": TEXT,
        "polarity": TEXT,
        "baseline_value": NUMBER,
        "baseline_period": TEXT,
        "target_value": NUMBER,
        "target_upper_value": NUMBER,
        "target_period": TEXT,
        "target_kind": TEXT,
        "target_not_agreed": FLAG,
        "tolerance": NUMBER,
        "data_source": TEXT,
        "frequency": TEXT,
        "retired_at": WHEN,
    },
    "values": {
        "id": WHOLE,
        "plan": PLAN,
        "kpi_id": WHOLE,
        "action_code": _t("string", nullable=True, description=OF_AREA),
        "kpi_ref": TEXT,
        "unit": TEXT,
        "term_id": WHOLE,
        "term": _t("string", description="The reporting term, e.g. Autumn 2025"),
        "data_period": _t("string", description="The period the figure describes"),
        "cohort": _t("string", description="Group code, e.g. all, disadvantaged"),
        "cohort_name": TEXT,
        "value": FIGURE,
        "numerator": COUNT,
        "denominator": COUNT,
        "cohort_size": COUNT,
        "suppressed": _t(
            "boolean",
            description="True when a public token may not read this figure: value, numerator, "
            "denominator, cohort_size and status are then null. Always false for other tokens",
        ),
        "maturity": _t("string", enum=["provisional", "revised", "validated"]),
        "milestone_status": TEXT,
        "no_new_data": FLAG,
        "no_new_data_reason": TEXT,
        "status": _t(
            "string",
            nullable=True,
            enum=[*KPIStatus.values, None],
            description="Null when the figure is withheld",
        ),
        "note": _t("string", description="Empty for public tokens"),
        "is_demo": FLAG,
        "updated_at": WHEN,
        "approved_at": WHEN,
    },
    "comparators": {
        "id": WHOLE,
        "plan": PLAN,
        "comparator": _t("string", description="Comparator code, e.g. england"),
        "comparator_name": _t("string", description="e.g. England, Greater Manchester"),
        "value": _t("number", description="The comparator's figure, in the KPI's unit"),
        "period": _t("string", description="The period the comparator's figure describes"),
        "kpi_id": WHOLE,
        "action_code": _t("string", nullable=True, description=OF_AREA),
        "kpi_ref": TEXT,
        "unit": TEXT,
        "value_id": _t("integer", description="The Bury figure it sits beside (/feed/values)"),
        "term_id": WHOLE,
        "term": _t("string", description="The reporting term of the Bury figure"),
        "data_period": _t("string", description="The period the Bury figure describes"),
        "cohort": _t("string", description="Group code of the Bury figure, e.g. all"),
        "is_demo": FLAG,
        "updated_at": _t(
            "string",
            format="date-time",
            description="When the Bury figure (and its comparators) last changed",
        ),
        "approved_at": WHEN,
    },
    "ratings": {
        "id": WHOLE,
        "plan": PLAN,
        "action_id": WHOLE,
        "action_code": TEXT,
        "term_id": WHOLE,
        "term": TEXT,
        "rating": _t("string", enum=["blue", "green", "amber", "red", "grey", ""]),
        "rating_label": TEXT,
        "progress": TEXT,
        "evidence_of_impact": TEXT,
        "next_steps": TEXT,
        "risks": _t("string", description="Empty for public tokens"),
        "is_demo": FLAG,
        "updated_at": WHEN,
        "approved_at": WHEN,
    },
    "periods": {
        "id": WHOLE,
        "plan": PLAN,
        "name": _t("string", description="e.g. Autumn 2025, or October 2024"),
        "start_date": DAY,
        "end_date": DAY,
        "due_date": _t("string", format="date", description="Updates for it are due by then"),
        "is_locked": FLAG,
        "is_published": _t(
            "boolean", description="The period the plan's board is looking at (one per plan)"
        ),
    },
}


def columns(resource: str) -> list[str]:
    """The CSV header of a resource, in the schema's order."""
    return list(ROWS[resource])


def _object(properties: dict) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _page(resource: str) -> dict:
    link = _t("string", nullable=True, format="uri")
    return _object(
        {
            "resource": {"const": resource},
            "count": _t("integer", description="Rows matching the filters, on all pages"),
            "page": WHOLE,
            "pages": WHOLE,
            "page_size": WHOLE,
            "next": link,
            "previous": link,
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{resource}"}},
        }
    )


FILTER_PARAMETERS = {
    "plan": ("string", "Only this plan, by its slug (eis, send-pip)"),
    "term": ("integer", "Only this reporting period (an id from /feed/periods.json)"),
    "commitment": (
        "integer",
        "Only this commitment or priority area, by its number; numbers repeat across plans, "
        "so give plan too",
    ),
    "updated_since": (
        "string",
        "Only rows changed or approved at or after this ISO 8601 date or date-time",
    ),
}


def _parameters(resource: str) -> list[dict]:
    params = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {
            "name": "page_size",
            "in": "query",
            "description": f"Rows per page, default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        },
    ]
    for name in sorted(RESOURCES[resource].filters):
        kind, description = FILTER_PARAMETERS[name]
        params.append(
            {"name": name, "in": "query", "description": description, "schema": {"type": kind}}
        )
    return params


# Every error the feed gives is an Error object, whatever its cause (boards/feed_views.py);
# so is a 404 for an address that is not listed here and a 405 for any method but GET.
ERRORS = {
    "400": "A filter or page that cannot be answered; `parameter` names it",
    "401": "No token, or a token that is unknown or revoked",
    "403": "The token's user has no role",
    "404": "No such resource",
    "500": "The server could not answer, for example because its database is unavailable; "
    "nothing was changed, so try again later",
}


def _operation(resource: str, fmt: str) -> dict:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    if fmt == "json":
        ok = {"application/json": {"schema": {"$ref": f"#/components/schemas/{resource}_page"}}}
    else:
        ok = {"text/csv": {"schema": {"type": "string"}}}
    return {
        "get": {
            "operationId": f"{resource}_{fmt}",
            "summary": f"{resource.capitalize()} as {fmt.upper()}",
            "parameters": _parameters(resource),
            "responses": {
                "200": {
                    "description": "One page of rows; CSV pages give the next page in a Link "
                    "header and the row count in X-Total-Count",
                    "content": ok,
                },
                **{code: {"description": text, "content": error} for code, text in ERRORS.items()},
            },
        }
    }


def openapi() -> dict:
    """The whole OpenAPI 3.1 document."""
    schemas: dict = {"Error": _object({"error": TEXT, "parameter": _t("string", nullable=True)})}
    for resource, properties in ROWS.items():
        schemas[resource] = _object(properties)
        schemas[f"{resource}_page"] = _page(resource)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Bury Council delivery plans: data feed",
            "version": "1",
            "description": "Read-only. Every plan the service holds (the Education and "
            "Inclusion Strategy, the SEND Priority Impact Plan); every row names its plan and "
            "every resource takes ?plan=<slug>. /feed/periods is each plan's reporting periods; "
            "/feed/terms is its earlier form, kept for reports that read it. "
            "Approved figures only. Public tokens get restricted "
            "notes removed and any figure that would reveal fewer than the small-number "
            "threshold of children, directly or by subtraction, withheld: its numbers and "
            "status are null and `suppressed` is true, so numeric columns hold only numbers "
            "or null (empty in CSV). Comparator figures are published statistics and are "
            "never withheld. Every error, at any address "
            "under /feed/ (404 for one not listed here, 405 for a method other than GET), is "
            'JSON: {"error": what went wrong, "parameter": the query parameter at fault, '
            "or null}.",
        },
        "security": [{"bearer": []}],
        "paths": {
            f"/feed/{resource}.{fmt}": _operation(resource, fmt)
            for resource in ROWS
            for fmt in ("json", "csv")
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
