"""The status rules pinned by hand-worked cases from the council's own figures.

Figures come from the council's papers (GLD 65.7 % in 2022/23 and the 74 % by 2028 target;
early-years Ofsted 95.8 % against the Greater Manchester average of 96 %; CLA suspensions
12.6 % in 2022/23; CLA attendance and the "consistently above 90 %" target; KS2 disadvantage
gaps; PEP quality…), copied here so the tests never read the shared seeds. Each case says
the arithmetic that gives its status. Trajectories count months between period ends: an
academic year ends on 31 August, a financial year on 31 March, a term on its end date.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal as D

import pytest

from kpis.models import KPI, Cohort, Comparator
from kpis.periods import months_between, period_end
from kpis.status import Figure, effective_target, judge

# The demo terms' real end dates (Term.end_date).
ENDS = {
    "Autumn 2024": date(2024, 12, 20),
    "Spring 2025": date(2025, 4, 4),
    "Summer 2025": date(2025, 7, 22),
    "Autumn 2025": date(2025, 12, 19),
    "Spring 2026": date(2026, 3, 27),
    "Summer 2026": date(2026, 7, 21),
    "Autumn 2026": date(2026, 12, 18),
}
# Groups and comparators as stored (with primary keys), so KPIs can name them.
DISADVANTAGED = Cohort(pk=2, code="disadvantaged", name="Disadvantaged pupils")
EHCP = Cohort(pk=3, code="ehcp", name="EHCP")
GM = Comparator(pk=1, code="greater_manchester", name="Greater Manchester")
ENGLAND = Comparator(pk=2, code="england", name="England")


def F(period, value=None, cohort="all", term="", order=0, comp=None, ms="") -> Figure:
    """A figure; `comp` maps comparator code -> (value, period) as strings."""
    comparators = {code: (D(v), p) for code, (v, p) in (comp or {}).items()}
    value = None if value is None else D(value)
    return Figure(cohort, period, value, term, ENDS.get(term), order, ms, comparators)


def K(**fields) -> KPI:
    defaults = {"target_not_agreed": False, "polarity": "higher_better", "unit": "percent"}
    values = defaults | fields
    for name in ("target_value", "target_upper_value", "baseline_value", "tolerance"):
        if isinstance(values.get(name), str):
            values[name] = D(values[name])
    for name in ("trend_min_change", "gap_narrowing"):
        if isinstance(values.get(name), str):
            values[name] = D(values[name])
    return KPI(**values)


# GLD (end of Reception): 65.7 % in 2022/23 towards 74 % by 2028 (2027/28), tolerance 3.
GLD = {
    "target_kind": "absolute",
    "baseline_value": "65.7",
    "baseline_period": "2022/23 academic year",
    "target_value": "74",
    "target_period": "2027/28 academic year (by 2028)",
    "tolerance": "3",
}
# CLA attendance: "consistently above 90 %", tolerance 1.
CLA_ATTENDANCE = {"target_kind": "threshold", "target_value": "90", "tolerance": "1"}
# Early-years providers good or outstanding: at or above the Greater Manchester average.
EY_OFSTED = {"target_kind": "comparator", "target_comparator": GM, "tolerance": "1"}
GM_2023 = {"greater_manchester": ("96.0", "2023")}
# CLA suspensions: 12.6 % in 2022/23 (28 children), year-on-year reduction, lower is better.
SUSPENSIONS = {
    "target_kind": "trend",
    "polarity": "lower_better",
    "baseline_value": "12.6",
    "baseline_period": "2022/23 (28 CLA suspended)",
}
# KS2 reading, writing and maths: disadvantaged pupils' gap to all pupils.
KS2_GAP = {"target_kind": "gap", "target_cohort": DISADVANTAGED, "gap_narrowing": "1.0"}
KS2 = [
    F("2023/24 academic year", "61.0"),
    F("2023/24 academic year", "43.0", "disadvantaged"),
    F("2024/25 academic year", "62.0"),
    F("2024/25 academic year", "44.8", "disadvantaged"),
]


@dataclass
class Case:
    why: str
    kpi: dict
    figures: list
    status: str
    reason: str = ""  # a part of the reason the page prints
    judged: int = -1  # which figure is judged (index into figures)
    ends: dict = field(default_factory=lambda: ENDS)


CASES = [
    # ---- Multi-year targets judged against the trajectory -----------------------------------
    Case(
        "GLD 2023/24 66.2: 12 of 60 months from 31 Aug 2023 to 31 Aug 2028, so expected "
        "65.7 + (74 - 65.7) x 12/60 = 67.36; 1.16 short, within 3 -> Amber (not Red as if due now)",
        GLD,
        [F("2023/24 academic year", "66.2")],
        "amber",
        "67.36% expected by 31 August 2024",
    ),
    Case(
        "GLD 2024/25 65.0: expected 65.7 + 8.3 x 24/60 = 69.02; 4.02 short, beyond 3 -> Red",
        GLD,
        [F("2024/25 academic year", "65.0")],
        "red",
        "4.02 percentage points short",
    ),
    Case(
        "GLD 2024/25 69.5 against the expected 69.02 -> Green",
        GLD,
        [F("2024/25 academic year", "69.5")],
        "green",
    ),
    Case(
        "'by 2028' read like the baseline's year: 31 Aug 2028, so 2023/24 67.4 >= 67.36 -> Green",
        GLD | {"target_period": "2028"},
        [F("2023/24 academic year", "67.4")],
        "green",
    ),
    Case(
        "GLD with no tolerance: 67.3 is 0.06 short of 67.36 -> Red",
        GLD | {"tolerance": None},
        [F("2023/24 academic year", "67.3")],
        "red",
    ),
    Case(
        "GLD 2027/28 73.9: the target date has come, so against 74 itself: 0.1 short -> Amber",
        GLD,
        [F("2027/28 academic year", "73.9")],
        "amber",
        "short of the target of 74%",
    ),
    Case(
        "GLD 2028/29 75.0, after the target date: 75 >= 74 -> Green",
        GLD,
        [F("2028/29 academic year", "75.0")],
        "green",
    ),
    Case(
        "GLD for FSM pupils as a change: baseline 51.5 (2024/25) + 6.2 = 57.7 by 2028; 2025/26 "
        "is 12 of 36 months, expected 51.5 + 6.2/3 = 53.57; the group's 53.0 is 0.57 short, "
        "within 1 -> Amber, judged on the group's figure",
        {
            "target_kind": "change",
            "target_cohort": DISADVANTAGED,
            "baseline_value": "51.5",
            "baseline_period": "2024/25",
            "target_value": "6.2",
            "target_period": "2028",
            "tolerance": "1",
        },
        [F("2025/26", "53.0", "disadvantaged")],
        "amber",
        "53.57% expected",
    ),
    Case(
        "PEP quality 55 % (Summer term 2023, usual end 31 Jul 2023) to 70 % by Summer 2026 "
        "(ends 21 Jul 2026): Autumn 2024 (ends 20 Dec 2024) is 16.6 of 35.6 months, expected "
        "55 + 15 x 16.6/35.6 = 61.99; 65.5 is above -> Green",
        {
            "target_kind": "absolute",
            "baseline_value": "55",
            "baseline_period": "Summer term 2023",
            "target_value": "70",
            "target_period": "Summer 2026",
            "tolerance": "8",
        },
        [F("Autumn 2024", "65.5", term="Autumn 2024")],
        "green",
    ),
    Case(
        "No baseline, target not yet due: 2-year-old take-up 82.4 against 85 by 2025/26 -> "
        "Amber, short of a target not yet due",
        {"target_kind": "absolute", "target_value": "85", "target_period": "2025/26"},
        [F("Autumn 2025", "82.4", term="Autumn 2025")],
        "amber",
        "no baseline",
    ),
    Case(
        "Absolute with no date: 3-year-old take-up 92.9 against the 94 government target, "
        "tolerance 1.5: 1.1 short -> Amber",
        {"target_kind": "absolute", "target_value": "94", "tolerance": "1.5"},
        [F("January 2026 census", "92.9")],
        "amber",
    ),
    Case(
        "Direction from the plan's own numbers: no polarity, baseline 65.7 below the 74 target, "
        "so higher is better; 2024/25 70.0 >= 69.02 -> Green",
        GLD | {"polarity": "none"},
        [F("2024/25 academic year", "70.0")],
        "green",
    ),
    Case(
        "Resourced-provision places, cumulative: 83 open in February 2024 (ends 29 Feb) to 130 "
        "by 2024/25 (31 Aug 2025), 18 months; Autumn 2024 (usual end 31 Dec 2024) is 10 months "
        "in, so 83 + 47 x 10/18 = 109.11 expected; 110 -> Green",
        {
            "target_kind": "cumulative",
            "unit": "count",
            "baseline_value": "83",
            "baseline_period": "February 2024",
            "target_value": "130",
            "target_period": "2024/25 academic year",
        },
        [F("Autumn 2024", "110")],
        "green",
        "109.11 expected by 31 December 2024",
        ends={},  # no Term for Autumn 2024 here, so its usual end
    ),
    Case(
        "The same with 100 places: 9.11 short, no tolerance -> Red",
        {
            "target_kind": "cumulative",
            "unit": "count",
            "baseline_value": "83",
            "baseline_period": "February 2024",
            "target_value": "130",
            "target_period": "2024/25 academic year",
        },
        [F("Autumn 2024", "100")],
        "red",
        "9.11 short",
        ends={},
    ),
    # ---- Thresholds ------------------------------------------------------------------------
    Case(
        "Early-years Ofsted 96.9 against a 96 threshold: 96.9 >= 96 -> Green (was Grey)",
        {"target_kind": "threshold", "target_value": "96", "tolerance": "1"},
        [F("Ofsted data at 31 March 2026", "96.9")],
        "green",
    ),
    Case(
        "CLA attendance 91.3 above 90 -> Green",
        CLA_ATTENDANCE,
        [F("Autumn 2024", "91.3")],
        "green",
    ),
    Case(
        "CLA attendance 89.6: 0.4 below 90, within 1 -> Amber",
        CLA_ATTENDANCE,
        [F("Spring 2025", "89.6")],
        "amber",
    ),
    Case(
        "CLA attendance 88.4: 1.6 below 90, beyond 1 -> Red",
        CLA_ATTENDANCE,
        [F("Summer 2025", "88.4")],
        "red",
    ),
    Case(
        "A threshold is not a trajectory: 88.4 against 90 due 2025/26 is still Red now",
        CLA_ATTENDANCE | {"target_period": "2025/26 academic year"},
        [F("Summer 2025", "88.4")],
        "red",
    ),
    Case(
        "CLA tuition 109/236 = 46.2 against at least 50, tolerance 5: 3.8 short -> Amber",
        {"target_kind": "threshold", "target_value": "50", "tolerance": "5"},
        [F("2023/24 academic year", "46.2")],
        "amber",
    ),
    Case(
        "CLA tuition 92/238 = 38.7: 11.3 short of 50 -> Red",
        {"target_kind": "threshold", "target_value": "50", "tolerance": "5"},
        [F("2024/25 academic year", "38.7")],
        "red",
    ),
    Case(
        "Lower is better: SEN Support persistent absence 26.5 against at most 27 -> Green",
        {"target_kind": "threshold", "polarity": "lower_better", "target_value": "27"},
        [F("Autumn 2025", "26.5")],
        "green",
    ),
    # ---- Range -----------------------------------------------------------------------------
    Case(
        "Surplus school places kept between 5 % and 10 %: 7.0 inside -> Green",
        {"target_kind": "range", "target_value": "5", "target_upper_value": "10"},
        [F("2025/26", "7.0")],
        "green",
    ),
    Case(
        "Surplus places 4.2: 0.8 below the band, within the 1 tolerance -> Amber",
        {
            "target_kind": "range",
            "target_value": "5",
            "target_upper_value": "10",
            "tolerance": "1",
        },
        [F("2025/26", "4.2")],
        "amber",
    ),
    Case(
        "Surplus places 11.5: 1.5 above the band, beyond 1 -> Red",
        {
            "target_kind": "range",
            "target_value": "5",
            "target_upper_value": "10",
            "tolerance": "1",
        },
        [F("2025/26", "11.5")],
        "red",
    ),
    Case(
        "A range with no top agreed cannot be judged -> Grey, and says so",
        {"target_kind": "range", "target_value": "5"},
        [F("2025/26", "7.0")],
        "grey",
        "No band agreed",
    ),
    # ---- Comparators -----------------------------------------------------------------------
    Case(
        "Early-years Ofsted 95.8 at or above GM 96 (2023), tolerance 1: 0.2 short -> Amber",
        EY_OFSTED,
        [
            F("Ofsted data at 31 August 2024", "97.3", comp=GM_2023),
            F("Ofsted data at 31 August 2025", "95.8"),
        ],
        "amber",
        "Greater Manchester 96% (2023)",
    ),
    Case(
        "The same 95.8 'in line with' GM 96, tolerance 1: within 1 either side -> Green",
        EY_OFSTED | {"comparator_basis": "in_line"},
        [
            F("Ofsted data at 31 August 2024", "97.3", comp=GM_2023),
            F("Ofsted data at 31 August 2025", "95.8"),
        ],
        "green",
    ),
    Case(
        "'In line with' GM 96, tolerance 0.1: 0.2 short is beyond it -> Red",
        EY_OFSTED | {"comparator_basis": "in_line", "tolerance": "0.1"},
        [F("Ofsted data at 31 August 2025", "95.8", comp=GM_2023)],
        "red",
    ),
    Case(
        "Early-years Ofsted 96.9 against GM 96 -> Green",
        EY_OFSTED,
        [F("Ofsted data at 31 March 2026", "96.9", comp=GM_2023)],
        "green",
    ),
    Case(
        "The latest earlier comparator figure wins: GM 96.0 (2023) and 95.5 (2024) before "
        "31 Aug 2025, so 95.8 is against 95.5 -> Green",
        EY_OFSTED,
        [
            F("Ofsted data at 31 August 2024", "97.3", comp=GM_2023),
            F(
                "Ofsted data at 31 March 2025",
                "96.4",
                comp={"greater_manchester": ("95.5", "2024")},
            ),
            F("Ofsted data at 31 August 2025", "95.8"),
        ],
        "green",
        "95.5% (2024)",
    ),
    Case(
        "A comparator figure for a later period is not used: GM only for 2026, figure at 31 Aug "
        "2025 -> Grey, naming the missing figure",
        EY_OFSTED,
        [F("Ofsted data at 31 August 2025", "95.8", comp={"greater_manchester": ("96", "2026")})],
        "grey",
        "No Greater Manchester figure for Ofsted data at 31 August 2025 or earlier",
    ),
    Case(
        "The matching period wins over a later one: GLD 2023/24 66.2 against England 67.7 "
        "(2023/24), not 68.3 (2024/25): 1.5 short, tolerance 2 -> Amber",
        {"target_kind": "comparator", "target_comparator": ENGLAND, "tolerance": "2"},
        [
            F("2023/24 academic year", "66.2", comp={"england": ("67.7", "2023/24")}),
            F("2024/25 academic year", "65.0", comp={"england": ("68.3", "2024/25")}),
        ],
        "amber",
        "England 67.7% (2023/24)",
        judged=0,
    ),
    Case(
        "Attainment 8 of CLA 22.4 in line with national CLA 20.3 or better, tolerance 1.5 -> "
        "Green (better)",
        {
            "target_kind": "comparator",
            "target_comparator": ENGLAND,
            "comparator_basis": "in_line",
            "tolerance": "1.5",
            "unit": "score",
        },
        [F("2024/25 academic year", "22.4", comp={"england": ("20.3", "2022")})],
        "green",
    ),
    # ---- Trends ----------------------------------------------------------------------------
    Case(
        "CLA suspensions 2023/24 26/229 = 11.4 after the 12.6 baseline (2022/23), lower is "
        "better: 1.2 better -> Green",
        SUSPENSIONS,
        [F("2023/24 academic year", "11.4", term="Autumn 2024")],
        "green",
        "Better by 1.2 percentage points",
    ),
    Case(
        "Suspensions 12.6 -> 13.1 with lower is better: 0.5 worse, no tolerance -> Red",
        SUSPENSIONS,
        [F("2023/24 academic year", "13.1")],
        "red",
        "Worse by 0.5 percentage points",
    ),
    Case(
        "Suspensions 12.6 -> 13.1 with a tolerance of 0.5: no better, but within it -> Amber",
        SUSPENSIONS | {"tolerance": "0.5"},
        [F("2023/24 academic year", "13.1")],
        "amber",
    ),
    Case(
        "Newest reported wins: 2023/24 reported 11.4 (Autumn 2024) then 11.8 (Summer 2025); "
        "2024/25 31/236 = 13.1 is 1.3 worse than 11.8 (not 1.7 worse than 11.4) -> Red",
        SUSPENSIONS,
        [
            F("2023/24 academic year", "11.4", term="Autumn 2024"),
            F("2023/24 academic year", "11.8", term="Summer 2025"),
            F("2024/25 academic year", "13.1", term="Autumn 2025"),
        ],
        "red",
        "Worse by 1.3 percentage points",
    ),
    Case(
        "A draft is never judged against: 2023/24's 11.8 is in an update not yet approved, so "
        "2024/25's 13.1 goes back to the approved 11.4 (Autumn 2024): 1.7 worse -> Red",
        SUSPENSIONS,
        [
            F("2023/24 academic year", "11.4", term="Autumn 2024"),
            replace(F("2023/24 academic year", "11.8", term="Summer 2025"), approved=False),
            F("2024/25 academic year", "13.1", term="Autumn 2025"),
        ],
        "red",
        "Worse by 1.7 percentage points",
    ),
    Case(
        "Resourced-provision attendance over the last 3 figures with a minimum change of 1: "
        "Spring 2025 90.9 -> Autumn 2025 92.0 is 1.1 better -> Green",
        {"target_kind": "trend", "trend_periods": 3, "trend_min_change": "1"},
        [
            F("Autumn 2024", "91.8"),
            F("Spring 2025", "90.9"),
            F("Summer 2025", "90.1"),
            F("Autumn 2025", "92.0"),
        ],
        "green",
    ),
    Case(
        "The same with a minimum change of 1.5: 1.1 better is less than aimed for -> Amber",
        {"target_kind": "trend", "trend_periods": 3, "trend_min_change": "1.5"},
        [
            F("Autumn 2024", "91.8"),
            F("Spring 2025", "90.9"),
            F("Summer 2025", "90.1"),
            F("Autumn 2025", "92.0"),
        ],
        "amber",
    ),
    Case(
        "A trend with one figure and no baseline -> Grey, no earlier figure",
        {"target_kind": "trend"},
        [F("2023/24 academic year", "15.3")],
        "grey",
        "No earlier figure",
    ),
    Case(
        "Financial years order before academic ones: high-needs overspend £309,000 (2024-25, "
        "ends 31 Mar 2025) then £230,000 (2025-26, ends 31 Mar 2026), lower is better: "
        "£79,000 better -> Green",
        {"target_kind": "trend", "polarity": "lower_better", "unit": "money"},
        [F("2025-26 financial year", "230000"), F("2024-25", "309000")],
        "green",
        "since 31 March 2025",
        judged=0,
    ),
    Case(
        "'2025/26 academic year' (31 Aug 2026) comes after 'Spring 2026' (27 Mar 2026): "
        "attendance 93.3 (Spring) then 92.8 (year) is 0.5 worse -> Red",
        {"target_kind": "trend"},
        [F("2025/26 academic year", "92.8"), F("Spring 2026", "93.3")],
        "red",
        "since 27 March 2026",
        judged=0,
    ),
    # ---- Gaps ------------------------------------------------------------------------------
    Case(
        "KS2 disadvantaged gap 61.0 - 43.0 = 18.0 (2023/24) to 62.0 - 44.8 = 17.2 (2024/25): "
        "narrowed 0.8, less than 1.0 a year -> Amber",
        KS2_GAP,
        KS2,
        "amber",
        "narrowed from 18 percentage points to 17.2",
    ),
    Case(
        "The same gap aiming to narrow 0.5 a year: 0.8 >= 0.5 -> Green",
        KS2_GAP | {"gap_narrowing": "0.5"},
        KS2,
        "green",
    ),
    Case(
        "Gap widening: 2024/25 disadvantaged 42.0 against 62.0 is 20.0, wider than 18.0 -> Red",
        KS2_GAP,
        [*KS2[:3], F("2024/25 academic year", "42.0", "disadvantaged")],
        "red",
        "widened",
    ),
    Case(
        "GLD FSM gap to England: 67.7 - 50.9 = 16.8 (2023/24) and 68.3 - 51.5 = 16.8 "
        "(2024/25): did not move, 0.5 aimed for -> Red",
        {
            "target_kind": "gap",
            "target_cohort": DISADVANTAGED,
            "target_comparator": ENGLAND,
            "gap_narrowing": "0.5",
        },
        [
            F("2023/24", "66.0", comp={"england": ("67.7", "2023/24")}),
            F("2023/24", "50.9", "disadvantaged"),
            F("2024/25", "65.0", comp={"england": ("68.3", "2024/25")}),
            F("2024/25", "51.5", "disadvantaged"),
        ],
        "red",
        "did not move",
    ),
    Case(
        "The figure is itself the gap: 19.0 pp (2022/23) to 15 pp by 2025/26, lower is better; "
        "2023/24 18.0 against 19 - 4 x 12/36 = 17.67: 0.33 short, within 2 -> Amber",
        {
            "target_kind": "gap",
            "polarity": "lower_better",
            "unit": "percentage_points",
            "baseline_value": "19.0",
            "baseline_period": "2022/23 academic year",
            "target_value": "15",
            "target_period": "2025/26 academic year",
            "tolerance": "2",
        },
        [F("2023/24 academic year", "18.0")],
        "amber",
        "17.67 percentage points expected",
    ),
    Case(
        "No gap left: disadvantaged 62.5 at or above all pupils 62.0 -> Green",
        KS2_GAP,
        [*KS2[:3], F("2024/25 academic year", "62.5", "disadvantaged")],
        "green",
        "No gap",
    ),
    Case(
        "A gap's baseline (18 points, 2022/23) is a gap, not the group's figure: with only the "
        "all-pupil 2022/23 figure (60.0) before it, 2023/24's gap has nothing earlier to "
        "compare with -> Grey (not 'narrowed from 42')",
        KS2_GAP | {"baseline_value": "18.0", "baseline_period": "2022/23 academic year"},
        [F("2022/23 academic year", "60.0"), *KS2[:2]],
        "grey",
        "No earlier gap to compare with",
    ),
    # ---- Per-group targets -----------------------------------------------------------------
    Case(
        "The headline row of a per-group target carries the group's verdict: FSM 53.0 vs "
        "53.57 expected -> Amber, named for the group",
        {
            "target_kind": "change",
            "target_cohort": DISADVANTAGED,
            "baseline_value": "51.5",
            "baseline_period": "2024/25",
            "target_value": "6.2",
            "target_period": "2028",
            "tolerance": "1",
        },
        [
            F("2025/26", "53.0", "disadvantaged", term="Autumn 2025"),
            F("2025/26", "66.0", term="Autumn 2025"),
        ],
        "amber",
        "Disadvantaged pupils:",
    ),
    Case(
        "Another group's figure is not judged against a target for one group -> Grey, saying so",
        {"target_kind": "threshold", "target_cohort": DISADVANTAGED, "target_value": "90"},
        [F("Autumn 2025", "89.2", "ehcp")],
        "grey",
        "The target is for Disadvantaged pupils",
    ),
    Case(
        "EHCP attendance at least 88 % judged on the EHCP figure 89.2 -> Green",
        {"target_kind": "threshold", "target_cohort": EHCP, "target_value": "88"},
        [
            F("Autumn 2025", "93.9", term="Autumn 2025"),
            F("Autumn 2025", "89.2", "ehcp", term="Autumn 2025"),
        ],
        "green",
        judged=0,
    ),
    # ---- Milestones ------------------------------------------------------------------------
    Case(
        "Milestone due by 31 March 2026, still in progress in Summer 2026 (ends 21 Jul 2026) "
        "-> Red, overdue",
        {"target_kind": "milestone", "unit": "milestone", "target_period": "31 March 2026"},
        [F("Summer 2026", term="Summer 2026", ms="in_progress")],
        "red",
        "Overdue: due by 31 March 2026",
    ),
    Case(
        "The same milestone in Spring 2026 (ends 27 Mar 2026), in progress -> Amber",
        {"target_kind": "milestone", "unit": "milestone", "target_period": "31 March 2026"},
        [F("Spring 2026", term="Spring 2026", ms="in_progress")],
        "amber",
    ),
    Case(
        "Not started before its date -> Grey, saying when it is due",
        {"target_kind": "milestone", "unit": "milestone", "target_period": "31 March 2026"},
        [F("Autumn 2025", term="Autumn 2025", ms="not_started")],
        "grey",
        "Not started, due by 31 March 2026",
    ),
    Case(
        "Done, even late -> Green",
        {"target_kind": "milestone", "unit": "milestone", "target_period": "31 March 2026"},
        [F("Autumn 2026", term="Autumn 2026", ms="achieved")],
        "green",
    ),
    Case(
        "Milestone with its own due date 31 January 2026, not started in Autumn 2025 (ends "
        "19 Dec 2025, six weeks before) -> Grey",
        {"target_kind": "milestone", "unit": "milestone", "due_date": date(2026, 1, 31)},
        [F("Autumn 2025", term="Autumn 2025", ms="not_started")],
        "grey",
        "Not started, due by 31 January 2026",
    ),
    Case(
        "Milestone due 10 January 2026, not started when Autumn 2025 ends 19 Dec 2025, "
        "three weeks before -> Amber, due soon",
        {"target_kind": "milestone", "unit": "milestone", "due_date": date(2026, 1, 10)},
        [F("Autumn 2025", term="Autumn 2025", ms="not_started")],
        "amber",
        "Not started and due soon, due by 10 January 2026",
    ),
    Case(
        "Milestone due 30 November 2025, in progress when Autumn 2025 ends 19 Dec 2025 -> Red",
        {"target_kind": "milestone", "unit": "milestone", "due_date": date(2025, 11, 30)},
        [F("Autumn 2025", term="Autumn 2025", ms="in_progress")],
        "red",
        "Overdue: due by 30 November 2025",
    ),
    Case(
        "Its own due date wins over the target period: due 30 Nov 2025 though the target "
        "period is 2026 -> Red in Autumn 2025",
        {
            "target_kind": "milestone",
            "unit": "milestone",
            "target_period": "31 March 2026",
            "due_date": date(2025, 11, 30),
        },
        [F("Autumn 2025", term="Autumn 2025", ms="not_started")],
        "red",
        "Overdue: due by 30 November 2025",
    ),
    Case(
        "Achieved after its due date -> Green",
        {"target_kind": "milestone", "unit": "milestone", "due_date": date(2025, 11, 30)},
        [F("Spring 2026", term="Spring 2026", ms="achieved")],
        "green",
        "Done",
    ),
    # ---- Grey only with no target or no figure ---------------------------------------------
    Case(
        "No target agreed -> Grey",
        {"target_kind": "to_be_agreed", "target_not_agreed": True},
        [F("2024/25", "65.0")],
        "grey",
        "No target agreed",
    ),
    Case(
        "'No new data this term' is said as such -> Grey",
        CLA_ATTENDANCE,
        [replace(F("Autumn 2025"), no_new_data=True)],
        "grey",
        "No new data this period",
    ),
    Case(
        "No figure this period -> Grey",
        CLA_ATTENDANCE,
        [F("Autumn 2025")],
        "grey",
        "No figure this period",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.why[:60] for c in CASES])
def test_case(case: Case):
    kpi = K(**case.kpi)
    verdict = judge(kpi, case.figures[case.judged], case.figures, case.ends)
    assert verdict.status == case.status, verdict.reason
    assert case.reason in verdict.reason


def test_at_least_forty_cases():
    assert len(CASES) >= 40


def test_every_grey_has_a_reason():
    for case in CASES:
        verdict = judge(K(**case.kpi), case.figures[case.judged], case.figures, case.ends)
        assert verdict.reason


@pytest.mark.parametrize(
    ("label", "end"),
    [
        ("2025/26", date(2026, 8, 31)),
        ("2025/26 academic year", date(2026, 8, 31)),
        ("2025-26", date(2026, 3, 31)),
        ("FY 2025/26", date(2026, 3, 31)),
        ("2025/26 financial year", date(2026, 3, 31)),
        ("2025-26 financial year to date", date(2026, 3, 31)),
        ("Spring 2026", date(2026, 3, 31)),
        ("Summer term 2023", date(2023, 7, 31)),
        ("Autumn 2025", date(2025, 12, 31)),
        ("January 2025 census", date(2025, 1, 31)),
        ("Ofsted data at 31 August 2024", date(2024, 8, 31)),
        ("2028", date(2028, 12, 31)),
        ("Each year", None),
        ("", None),
    ],
)
def test_period_ends(label, end):
    assert period_end(label) == end


def test_a_term_ends_on_its_own_date_and_an_academic_year_after_it():
    assert period_end("Spring 2026", term_ends=ENDS) == date(2026, 3, 27)
    spring = period_end("Spring 2026", term_ends=ENDS)
    summer = period_end("Summer 2026", term_ends=ENDS)
    year = period_end("2025/26 academic year", term_ends=ENDS)
    assert spring < summer < year
    # The financial year 2025-26 ends on 31 March 2026: after this Spring term, before Summer.
    assert spring < period_end("2025-26") < summer
    assert period_end("2028", like=date(2023, 8, 31)) == date(2028, 8, 31)


def test_months_between_month_ends():
    assert months_between(date(2023, 8, 31), date(2024, 8, 31)) == 12
    assert months_between(date(2024, 8, 31), date(2025, 3, 31)) == 7


def test_change_target_resolves_to_baseline_plus_change():
    # GLD: "74 %, an increase of 9 percentage points" on 65 % (2024/25).
    up = K(target_kind="change", target_value="9", baseline_value="65")
    assert effective_target(up) == D("74")
    down = K(target_kind="change", polarity="lower_better", target_value="2", baseline_value="8")
    assert effective_target(down) == D("6")
