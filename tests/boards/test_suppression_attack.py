"""An intruder attacks every public output and finds no count of children under the threshold.

The intruder reads the published pack (its page, the HTML its PDF is rendered from, and its
workbook) and the feed through a public token, and knows every figure's true base (group
sizes are public from the school census, so this is the strongest intruder, not a
generous one). From each figure shown they work out every count they can: the numerator,
the denominator less the numerator, a percentage or a rate times its base, a count; and
for each breakdown, the all-pupils figure less the groups shown. None may be under the
threshold, and no group's share may be shown with nothing to say how big the group is.
The arithmetic here is written afresh, not borrowed from boards/suppression.py.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from boards.feed_tokens import feed_token_issue
from boards.services import board_pack_publish
from bury_eis.pdf import html_to_pdf
from kpis.models import Cohort, Comparator, KPIValue
from kpis.standings import standings_refresh
from tests.conftest import generated_pack, run_tasks
from tests.factories import (
    ActionFactory,
    ComparatorValueFactory,
    KPIFactory,
    KPIValueFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PER = {"percent": 100, "rate_per_10000": 10_000}
GROUPS = ("sen_support", "ehcp", "fsm")

# Each KPI: its unit and its figures by cohort, as (value, numerator, denominator, cohort
# size). Each breakdown's groups add up to its all-pupils figure, so subtraction is exact.
FIGURES = {
    "i": ("percent", {"all": (87.5, 7, 8, None)}),  # 1 did not
    "ii": ("percent", {"all": (6, None, None, 50)}),  # 3 did
    "iii": ("percent", {"all": (94, None, None, 50)}),  # 3 did not
    "iv": ("rate_per_10000", {"all": (20, None, None, 2000)}),  # 4 in 2,000
    "v": ("count", {"all": (3, None, None, None)}),
    "vi": (
        "percent",
        {
            "all": (60, 60, 100, None),
            "sen_support": (20, 2, 10, None),
            "ehcp": (70, 28, 40, None),
            "fsm": (60, 30, 50, None),
        },
    ),
    "vii": (
        "percent",
        {
            "all": (70, 70, 100, None),
            "sen_support": (87.5, 7, 8, None),
            "ehcp": (78.5714, 33, 42, None),
            "fsm": (60, 30, 50, None),
        },
    ),
    "viii": (
        "percent",
        {
            "all": (55, None, None, None),
            "sen_support": (40, None, None, None),
            "ehcp": (58, None, None, None),
        },
    ),
    "ix": (
        "count",
        {
            "all": (30, None, None, None),
            "sen_support": (3, None, None, None),
            "ehcp": (12, None, None, None),
            "fsm": (15, None, None, None),
        },
    ),
    "x": (
        "rate_per_10000",
        {
            "all": (50, None, None, 4000),
            "sen_support": (25, None, None, 1200),
            "ehcp": (60, None, None, 1500),
            "fsm": (61.5385, None, None, 1300),
        },
    ),
    "xi": (
        "percent",
        {
            "all": (90, 900, 1000, None),
            "sen_support": (80, 80, 100, None),
            "ehcp": (91.1111, 820, 900, None),
        },
    ),
}
# Figures nothing may withhold: large bases all round, and the headline with no base.
SHOWN = {("xi", c) for c in FIGURES["xi"][1]} | {("viii", "all")}


@dataclass(frozen=True)
class Published:
    """A figure as an output shows it; None where it shows nothing."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    cohort_size: float | None = None


@pytest.fixture
def term():
    return TermFactory()


@pytest.fixture
def admin(db):
    return UserFactory(username="sdc-admin", role="Admin")


@pytest.fixture
def plan(term):
    action = ActionFactory(code="1.1(a)", lead_description="Virtual School Head")
    ProgressUpdateFactory(action=action, term=term, rating="amber")
    cohorts = {c.code: c for c in Cohort.objects.all()}
    for ref, (unit, by_cohort) in FIGURES.items():
        kpi = KPIFactory(action=action, ref=ref, text=f"Measure {ref}", unit=unit)
        for code, (value, numerator, denominator, size) in by_cohort.items():
            figure = KPIValueFactory(
                kpi=kpi,
                term=term,
                cohort=cohorts[code],
                value=value,
                numerator=numerator,
                denominator=denominator,
                cohort_size=size,
                note=f"About the {ref} pupils",
            )
            if code == "all":
                ComparatorValueFactory(kpi_value=figure, value=67.2, period="2022/23")
    standings_refresh()  # as every service that writes does; factories go round them
    return action


@pytest.fixture
def pack(plan, term, admin):
    meeting = MeetingFactory(date=date(2026, 3, 17))
    return board_pack_publish(
        pack=generated_pack(meeting=meeting, term=term, user=admin), user=admin
    )


def truth() -> dict[tuple[str, str], tuple[str, float | None]]:
    """What the intruder knows: each figure's unit and true base, by (KPI ref, cohort)."""
    known = {}
    for v in KPIValue.objects.select_related("kpi", "cohort"):
        base = v.denominator if v.denominator is not None else v.cohort_size
        known[(v.kpi.ref, v.cohort.code)] = (v.kpi.unit, base)
    return known


def counts(figure: Published, unit: str, base: float | None) -> tuple:
    """(events, base) that the intruder works out from a figure shown."""
    base = next((b for b in (figure.denominator, figure.cohort_size, base) if b is not None), None)
    events = figure.numerator
    if events is None and unit == "count":
        events = figure.value
    elif events is None and unit in PER and base is not None:
        events = figure.value * base / PER[unit]
    return events, base


def small(events, base) -> list[float]:
    found = [n for n in (events, base) if n is not None]
    if events is not None and base is not None:
        found.append(base - events)
    return [n for n in found if round(n, 6) < settings.SMALL_NUMBER_THRESHOLD]


def attack(published: dict[tuple[str, str], Published]) -> list[str]:
    """Every count under the threshold that the intruder can get from `published`."""
    known = truth()
    found = []
    for (ref, code), figure in published.items():
        unit, base = known[(ref, code)]
        events, base = counts(figure, unit, base)
        if leaks := small(events, base):
            found.append(f"({ref}) {code}: {leaks} read from {figure}")
        if code != "all" and unit in PER and base is None:
            # Nothing bounds the group's size: it may be a handful of children.
            found.append(f"({ref}) {code}: a share of a group of unknown size, {figure}")
    for ref, (unit, by_cohort) in FIGURES.items():
        total = published.get((ref, "all"))
        groups = [c for c in by_cohort if c != "all"]
        hidden = [c for c in groups if (ref, c) not in published]
        if total is None or not hidden:
            continue
        events, base = counts(total, unit, known[(ref, "all")][1])
        for code in groups:
            if code not in hidden:
                e, b = counts(published[(ref, code)], unit, known[(ref, code)][1])
                events = None if None in (events, e) else events - e
                base = None if None in (base, b) else base - b
        if leaks := small(events, base):
            found.append(f"({ref}) {hidden} by subtraction from all pupils: {leaks}")
    return found


def assert_holds(published: dict[tuple[str, str], Published], withheld: set) -> None:
    assert not attack(published)
    for key in SHOWN:
        assert key in published, f"{key} is withheld but reveals nothing"
    # Every figure is either shown or marked as withheld, never silently dropped.
    assert set(published) | withheld == {(r, c) for r, (_, by) in FIGURES.items() for c in by}


# Reading each output -----------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every table in a page: its caption and its rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = True
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption:
            self.tables[-1]["caption"] += data


NUMBER = r"-?£?([\d,]+(?:\.\d+)?)"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def read_html(page: str) -> tuple[dict, set]:
    """The figures a pack's page shows in its tables, and those it marks "[c]"."""
    names = {c.name: c.code for c in Cohort.objects.all()}
    parser = _Tables()
    parser.feed(page)
    published, withheld = {}, set()
    for table in parser.tables:
        ref = re.fullmatch(r"Figures for \((\w+)\) by term", table["caption"].strip())
        if not ref:
            continue
        header, *rows = table["rows"]
        columns = {i: "all" if h == "Bury" else names.get(h) for i, h in enumerate(header)}
        for row in rows:
            for i, cell in enumerate(row):
                code = columns.get(i)
                key = (ref[1], code)
                if code is None or cell in ("–", ""):
                    continue
                if cell == "[c]":
                    withheld.add(key)
                    continue
                value = re.match(NUMBER, cell)
                assert value, f"{key}: {cell!r} is neither a figure nor [c]"
                parts = re.search(r"\(([\d,]+) of ([\d,]+)\)", cell)
                published[key] = Published(
                    _number(value[1]),
                    _number(parts[1]) if parts else None,
                    _number(parts[2]) if parts else None,
                )
    return published, withheld


def read_workbook(data: bytes) -> tuple[dict, set]:
    names = {c.name: c.code for c in Cohort.objects.all()} | {"All": "all"}
    header, *rows = load_workbook(io.BytesIO(data))["KPI figures"].iter_rows(values_only=True)
    col = {name: i for i, name in enumerate(header)}
    published, withheld = {}, set()
    for row in rows:
        key = (row[col["KPI"]], names[row[col["Group"]]])
        figures = [row[col[c]] for c in ("Value", "Numerator", "Denominator")]
        if "[c]" in figures:
            assert figures == ["[c]"] * 3, f"{key}: only part withheld: {figures}"
            withheld.add(key)
        elif figures[0] is not None:
            published[key] = Published(*figures)
    return published, withheld


def read_feed(rows: list[dict]) -> tuple[dict, set]:
    published, withheld = {}, set()
    for row in rows:
        key = (row["kpi_ref"], row["cohort"])
        if row["suppressed"]:
            assert all(row[c] is None for c in ("value", "numerator", "denominator"))
            assert (row["cohort_size"], row["status"], row["note"]) == (None, None, "")
            withheld.add(key)
        else:
            published[key] = Published(
                row["value"], row["numerator"], row["denominator"], row["cohort_size"]
            )
    return published, withheld


# The attacks -------------------------------------------------------------------------------


def test_the_public_pack_page_reveals_no_small_count(client, pack):
    response = client.get(reverse("boards:public_pack", args=[pack.public_token]))
    page = response.content.decode()
    published, withheld = read_html(page)
    assert_holds(published, withheld)
    assert "About the" not in page  # notes are restricted
    assert "67.2%" in page  # comparators are published statistics


def test_the_public_pdf_is_rendered_from_html_that_reveals_no_small_count(client, pack):
    url = reverse("boards:public_pack_pdf", args=[pack.public_token])
    assert client.get(url).status_code == 202
    run_tasks()
    pdf = client.get(url).content
    assert pdf.startswith(b"%PDF-")
    html = render_to_string("boards/pack_print.html", {"pack": pack, "c": pack.public_content})
    # The PDF served is exactly the rendering of this HTML (the same HTML gives the same
    # bytes), so what the HTML withholds the PDF withholds.
    assert html_to_pdf(html) == pdf
    published, withheld = read_html(html)
    assert_holds(published, withheld)


def test_the_public_workbook_reveals_no_small_count(client, pack):
    response = client.get(reverse("boards:public_pack_xlsx", args=[pack.public_token]))
    published, withheld = read_workbook(response.content)
    assert_holds(published, withheld)


def test_no_chart_draws_or_describes_a_withheld_figure(client, pack):
    page = client.get(reverse("boards:public_pack", args=[pack.public_token])).content.decode()
    blocks = {
        re.search(r"\((\w+)\)", block)[1]: block for block in page.split('class="eis-trend"')[1:]
    }
    # Each of these KPIs' only figure is withheld: its chart has no figures to draw.
    for ref, shown in {"i": "87.5%", "ii": "6%", "iii": "94%", "iv": "20 per 10,000"}.items():
        assert not re.search(rf"(?<![\d.,]){re.escape(shown)}", blocks[ref]), ref
        assert "eis-chart__value" not in blocks[ref]


@pytest.fixture
def public_token(admin):
    return feed_token_issue(user=admin, name="Open data", kind="public", created_by=admin)[1]


def _feed(client, token, url):
    return client.get(url, {"page_size": 5000}, headers={"Authorization": f"Bearer {token}"})


def test_the_public_feed_reveals_no_small_count(client, plan, public_token):
    rows = _feed(client, public_token, "/feed/values.json").json()["results"]
    published, withheld = read_feed(rows)
    assert_holds(published, withheld)


def test_the_public_feed_as_csv_reveals_no_small_count_and_holds_only_numbers(
    client, plan, public_token
):
    content = _feed(client, public_token, "/feed/values.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    parsed = []
    for row in rows:
        numbers = {}
        for column in ("value", "numerator", "denominator", "cohort_size"):
            numbers[column] = None if row[column] == "" else float(row[column])
        flags = {"suppressed": row["suppressed"] == "True", "status": row["status"] or None}
        parsed.append(row | numbers | flags)
    published, withheld = read_feed(parsed)
    assert_holds(published, withheld)


def test_the_feed_judges_a_group_by_its_breakdown_whatever_page_it_is_on(
    client, plan, public_token
):
    everything = read_feed(_feed(client, public_token, "/feed/values.json").json()["results"])
    for size in (1, 2, 3):
        seen: dict = {}
        hidden: set = set()
        url = "/feed/values.json"
        params = {"page_size": size}
        headers = {"Authorization": f"Bearer {public_token}"}
        body = client.get(url, params, headers=headers).json()
        while True:
            published, withheld = read_feed(body["results"])
            seen |= published
            hidden |= withheld
            if body["next"] is None:
                break
            body = client.get(body["next"], headers=headers).json()
        assert (seen, hidden) == everything


def test_comparators_stay_in_every_public_output(client, pack, public_token):
    rows = _feed(client, public_token, "/feed/comparators.json").json()["results"]
    assert {r["kpi_ref"] for r in rows} == set(FIGURES)
    assert {(r["value"], r["period"]) for r in rows} == {(67.2, "2022/23")}


# The restricted views keep every figure -------------------------------------------------


def test_the_restricted_pack_and_feed_show_every_figure(client, pack, admin):
    client.force_login(admin)
    page = client.get(reverse("boards:pack", args=[pack.pk])).content.decode()
    published, withheld = read_html(page)
    assert not withheld
    assert published[("i", "all")] == Published(87.5, 7, 8)
    assert published[("ix", "sen_support")].value == 3
    client.logout()
    raw = feed_token_issue(user=admin, name="Power BI", kind="user", created_by=admin)[1]
    rows = _feed(client, raw, "/feed/values.json").json()["results"]
    assert not any(r["suppressed"] for r in rows)
    assert len(rows) == sum(len(by) for _, by in FIGURES.values())
    assert Comparator.objects.filter(values__isnull=False).exists()
