"""Server-drawn SVG line charts: accessible, escaped, readable without colour, byte-stable."""

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString

from kpis.charts import CHAR_EM, NARROW, WIDE, Series, line_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
TERMS = ("Autumn 2024", "Spring 2025", "Summer 2025", "Autumn 2025", "Spring 2026", "Summer 2026")
BURY = Series("Bury", (65.0, 66.5, 67.0, 69.0, 70.0, 71.2))


def draw(**overrides) -> str:
    arguments = {
        "chart_id": "gld",
        "title": "(iv) Good level of development, by term",
        "x_labels": TERMS,
        "series": (BURY,),
        "unit": "percent",
    }
    return line_chart_svg(**{**arguments, **overrides})


def parse(svg: str) -> ET.Element:
    """The chart as XML: parsing it at all proves it is well-formed."""
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def by_class(root: ET.Element, css: str) -> list[ET.Element]:
    return [el for el in root.iter() if css in el.get("class", "").split()]


def series_group(root: ET.Element, kind: str) -> ET.Element:
    (group,) = by_class(root, f"eis-chart__series--{kind}")
    return group


def ticks(root: ET.Element) -> list[tuple[str, float]]:
    """(label, y) per y-axis tick, read from the gridlines and their labels in order."""
    lines = by_class(root, "eis-chart__grid")
    labels = by_class(root, "eis-chart__tick-label")
    return [(label.text, float(line.get("y1"))) for line, label in zip(lines, labels, strict=True)]


def tick_value(label: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", label))


def y_between_ticks(root: ET.Element, value: float) -> float:
    """Where value should be drawn, interpolated between the ticks either side of it."""
    found = [(tick_value(label), y) for label, y in ticks(root)]
    low, low_y = max((tick for tick in found if tick[0] <= value), key=lambda tick: tick[0])
    high, high_y = min((tick for tick in found if tick[0] > value), key=lambda tick: tick[0])
    return low_y + (value - low) / (high - low) * (high_y - low_y)


def test_it_is_an_svg_image_labelled_by_its_own_title_and_description():
    svg = draw()
    root = parse(svg)

    assert isinstance(svg, SafeString)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 640 260"
    assert root.get("width") == "100%"
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    assert root.get("class") == "eis-chart eis-chart--wide"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id == "gld-title"
    assert root.find(f"{SVG}desc").get("id") == desc_id == "gld-desc"
    assert root.find(f"{SVG}title").text == "(iv) Good level of development, by term"


def test_the_description_gives_each_lines_first_and_last_figure_and_the_target():
    root = parse(draw(target=74.0))

    assert root.find(f"{SVG}desc").text == (
        "Bury: 65% in Autumn 2024 to 71.2% in Summer 2026. Target 74%."
    )


def test_the_description_uses_the_given_target_and_baseline_labels_and_skips_gaps():
    england = Series("England", (None, 67.0, 68.0, None, 68.4, None), "comparator")
    root = parse(
        draw(
            series=(BURY, england),
            target=74.0,
            target_label="Target 74% by 2028",
            baseline=65.0,
            baseline_label="Baseline 65% (2023)",
        )
    )

    assert root.find(f"{SVG}desc").text == (
        "Bury: 65% in Autumn 2024 to 71.2% in Summer 2026. "
        "England: 67% in Spring 2025 to 68.4% in Spring 2026. "
        "Target 74% by 2028. Baseline 65% (2023)."
    )


def test_it_escapes_hostile_names_titles_and_labels():
    hostile = "<script>alert(\"x\")</script> & 'co'"
    svg = draw(
        title=hostile,
        x_labels=(*TERMS[:-1], hostile),
        series=(Series(hostile, BURY.points),),
        target=74.0,
        target_label=hostile,
        baseline=65.0,
        baseline_label=hostile,
    )
    root = parse(svg)

    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == hostile
    assert [el.text for el in by_class(root, "eis-chart__legend-label")] == [hostile]
    for label in ("eis-chart__target-label", "eis-chart__baseline-label"):
        # right of the plot, on two lines (a long word broken with a hyphen), escaped
        assert "".join(by_class(root, label)[0].itertext()).replace("-", "") == hostile
    assert by_class(root, "eis-chart__x-label")[-1].text == hostile
    assert root.find(f"{SVG}desc").text.startswith(f"{hostile}: 65%")


def test_it_has_a_legend_entry_with_a_sample_line_for_each_series():
    series = (
        BURY,
        Series("England", (67.0,) * 6, "comparator"),
        Series("Disadvantaged", (50.0,) * 6, "cohort"),
    )
    root = parse(draw(series=series))

    items = by_class(root, "eis-chart__legend-item")
    assert [by_class(item, "eis-chart__legend-label")[0].text for item in items] == [
        "Bury",
        "England",
        "Disadvantaged",
    ]
    assert all(by_class(item, "eis-chart__legend-line") for item in items)


def test_each_kind_of_line_differs_by_dash_pattern_and_marker_shape_not_just_colour():
    series = (
        BURY,
        Series("England", (67.0,) * 6, "comparator"),
        Series("Disadvantaged", (50.0,) * 6, "cohort"),
    )
    root = parse(draw(series=series))

    dashes, shapes = set(), set()
    for kind in ("main", "comparator", "cohort"):
        group = series_group(root, kind)
        dashes.add(group.find(f"{SVG}path").get("stroke-dasharray"))
        (marker,) = {child.tag for child in group} - {f"{SVG}path", f"{SVG}text"}
        shapes.add(marker)
    assert len(dashes) == 3
    assert shapes == {f"{SVG}circle", f"{SVG}rect", f"{SVG}polygon"}
    legend_dashes = {
        item.get("stroke-dasharray") for item in by_class(root, "eis-chart__legend-line")
    }
    assert legend_dashes == dashes


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_line_and_text_colour_has_at_least_3_to_1_contrast_with_white():
    series = (
        BURY,
        Series("England", (67.0,) * 6, "comparator"),
        Series("Disadvantaged", (50.0,) * 6, "cohort"),
    )
    root = parse(draw(series=series, target=74.0, baseline=60.0))

    colours = {
        el.get(attribute)
        for el in root.iter()
        for attribute in ("stroke", "fill")
        if el.get(attribute, "none").startswith("#")
        and "grid" not in el.get("class", "")
        and "band" not in el.get("class", "")
    }
    assert len(colours) >= 5
    for colour in colours:
        assert 1.05 / (relative_luminance(colour) + 0.05) >= 3, colour


def test_the_target_line_lies_between_the_ticks_either_side_of_it():
    # 65 to 71.2 and a target of 73: ticks every 2 points from 64% to 74%.
    root = parse(draw(target=73.0))

    (target,) = by_class(root, "eis-chart__target")
    y = float(target.get("y1"))
    positions = dict(ticks(root))
    # Higher values sit higher on the page (smaller y).
    assert positions["74%"] < y < positions["72%"]
    assert y == pytest.approx((positions["74%"] + positions["72%"]) / 2, abs=0.1)
    assert target.get("stroke-dasharray") not in ("", "none")
    assert words(by_class(root, "eis-chart__target-label")[0]) == "Target 73%"


def test_a_target_band_is_shaded_between_two_target_lines():
    root = parse(draw(target=60.0, target_upper=70.0))

    lines = sorted(float(line.get("y1")) for line in by_class(root, "eis-chart__target"))
    (band,) = by_class(root, "eis-chart__band")
    top, height = float(band.get("y")), float(band.get("height"))
    assert len(lines) == 2
    assert top == pytest.approx(lines[0], abs=0.1)
    assert top + height == pytest.approx(lines[1], abs=0.1)
    assert words(by_class(root, "eis-chart__target-label")[0]) == "Target 60% to 70%"


def test_the_baseline_is_a_dotted_grey_line_labelled_beside_its_end():
    root = parse(draw(baseline=65.0, baseline_label="Baseline 65% (2023)"))

    (line,) = by_class(root, "eis-chart__baseline")
    (label,) = by_class(root, "eis-chart__baseline-label")
    assert line.get("stroke") == "#505a5f"
    assert line.get("stroke-dasharray") == "1 3"
    assert float(line.get("y1")) == pytest.approx(y_between_ticks(root, 65.0), abs=0.1)
    assert words(label) == "Baseline 65% (2023)"
    assert float(label.get("x")) > float(line.get("x2"))  # off the plot: on no line


def test_every_line_of_a_chart_has_its_own_colour_dash_and_marker():
    """England, North West and Greater Manchester were all purple squares; the groups all
    brown triangles."""
    series = (
        BURY,
        *(Series(n, (60.0 + i,) * 6, "comparator") for i, n in enumerate(("E", "NW", "GM"))),
        *(Series(n, (40.0 + i,) * 6, "cohort") for i, n in enumerate(("SEN", "EHCP", "FSM"))),
    )
    root = parse(draw(series=series))
    lines = by_class(root, "eis-chart__legend-line")
    assert len({line.get("stroke") for line in lines}) == 7
    assert len({line.get("stroke-dasharray") for line in lines}) == 7
    markers = [shape(item[1]) for item in by_class(root, "eis-chart__legend-item")]
    assert len(set(markers)) == 7


def words(text) -> str:
    """A <text>'s words, across the lines (tspans) it is written on."""
    return " ".join(part.strip() for part in text.itertext() if part.strip())


def shape(marker) -> tuple:
    """A marker's shape wherever it is drawn: its tag and fill, or a polygon's corners."""
    tag = marker.tag.removeprefix(SVG)
    if tag != "polygon":
        return tag, marker.get("fill")
    corners = [tuple(map(float, p.split(","))) for p in marker.get("points").split()]
    x0, y0 = corners[0]
    return tag, tuple((round(x - x0), round(y - y0)) for x, y in corners)


def test_each_line_is_named_at_its_end_and_no_label_overlaps_another_or_a_line():
    series = (
        BURY,
        Series("England", (67.0,) * 6, "comparator"),
        Series("North West", (67.2,) * 6, "comparator"),
        Series("Greater Manchester", (66.9,) * 6, "comparator"),
    )
    root = parse(draw(series=series, target=67.0, baseline=65.0))
    labels = [
        *by_class(root, "eis-chart__end-label"),
        *by_class(root, "eis-chart__target-label"),
        *by_class(root, "eis-chart__baseline-label"),
    ]
    assert sorted(words(label) for label in by_class(root, "eis-chart__end-label")) == [
        "Bury",
        "England",
        "Greater Manchester",
        "North West",
    ]
    (target,) = by_class(root, "eis-chart__target")
    plot_right = float(target.get("x2"))
    assert all(float(label.get("x")) > plot_right for label in labels)
    ys = sorted(float(label.get("y")) for label in labels)
    assert all(b - a >= 12 for a, b in itertools.pairwise(ys))  # 11 px text, apart


def test_it_breaks_the_line_at_a_missing_term():
    gappy = Series("Bury", (65.0, 66.5, None, 69.0, 70.0, 71.2))
    root = parse(draw(series=(gappy,)))

    group = series_group(root, "main")
    paths = group.findall(f"{SVG}path")
    assert len(paths) == 2
    assert [p.get("d").count(",") for p in paths] == [2, 3]
    assert len(group.findall(f"{SVG}circle")) == 5


def test_a_series_with_a_single_point_shows_just_the_marker():
    lonely = Series("Bury", (None, None, 67.0, None, None, None))
    root = parse(draw(series=(lonely,)))

    group = series_group(root, "main")
    assert group.findall(f"{SVG}path") == []
    assert len(group.findall(f"{SVG}circle")) == 1
    assert root.find(f"{SVG}desc").text == "Bury: 67% in Summer 2025."


def test_the_latest_main_figure_is_labelled_with_its_value():
    comparator = Series("England", (60.0,) * 6, "comparator")
    root = parse(draw(series=(BURY, comparator)))

    assert [el.text for el in by_class(root, "eis-chart__value")] == ["71.2%"]
    (label,) = by_class(root, "eis-chart__value")
    last_marker = series_group(root, "main").findall(f"{SVG}circle")[-1]
    assert label.get("x") == last_marker.get("cx")


def test_it_is_byte_for_byte_deterministic():
    arguments = {
        "series": (BURY, Series("England", (67.1, None, 68.0, 68.2, 68.4, 68.9), "comparator")),
        "target": 74.0,
        "baseline": 65.0,
    }

    assert draw(**arguments) == draw(**arguments)


def test_coordinates_are_rounded_to_one_decimal_place():
    wobbly = Series("Bury", (65.123456, 66.987654, 67.333333, 69.1, 70.05, 71.21))
    svg = draw(series=(wobbly,), target=73.3333)

    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]+)"', svg)
    numbers += re.findall(r"-?\d+\.\d+", " ".join(re.findall(r' (?:d|points)="([^"]+)"', svg)))
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers if n != "100%")


@pytest.mark.parametrize(
    "values",
    [
        (70.0, 70.0, 70.0),
        (0.0, 0.0, 0.0),
        (-3.0, -3.0, -3.0),
        (100.0, 100.0, 100.0),
    ],
    ids=["seventy", "zero", "negative", "hundred"],
)
def test_equal_values_do_not_crash_and_sit_inside_the_axis(values):
    root = parse(draw(x_labels=TERMS[:3], series=(Series("Bury", values),)))

    positions = [y for _, y in ticks(root)]
    markers = series_group(root, "main").findall(f"{SVG}circle")
    assert 4 <= len(positions) <= 6
    assert all(min(positions) <= float(m.get("cy")) <= max(positions) for m in markers)


def test_negative_values_are_drawn_below_zero():
    changes = Series("Change", (-2.5, -1.0, 0.5, 1.5))
    root = parse(draw(x_labels=TERMS[:4], series=(changes,), unit="percentage_points"))

    labels = [label for label, _ in ticks(root)]
    assert labels[0].startswith("-")
    assert "0pp" in labels


@pytest.mark.parametrize(
    ("values", "unit"),
    [
        ((65.0, 71.2), "percent"),
        ((0.3, 0.7), "rate_per_10000"),
        ((1250.0, 98000.0), "money"),
        ((12.0, 13.0), "count"),
        ((-40.0, 15.0), "score"),
        ((0.001, 0.0013), ""),
        ((3.0, 97.0), "percent"),
        ((1.0, 6.0), "count"),
    ],
)
def test_ticks_are_four_to_six_round_numbers_covering_every_value(values, unit):
    root = parse(draw(x_labels=TERMS[:2], series=(Series("Bury", values),), unit=unit))

    found = [tick_value(label) for label, _ in ticks(root)]
    steps = {round(b - a, 9) for a, b in itertools.pairwise(found)}
    (step,) = steps
    mantissa = Decimal(str(step)).normalize().as_tuple().digits
    assert 4 <= len(found) <= 6
    assert found[0] <= min(values) and found[-1] >= max(values)
    assert mantissa in {(1,), (2,), (2, 5), (5,)}


def test_the_axis_covers_the_target_and_baseline_too():
    root = parse(draw(target=90.0, baseline=40.0))

    found = [tick_value(label) for label, _ in ticks(root)]
    assert found[0] <= 40 and found[-1] >= 90


def test_a_percent_axis_stays_within_0_to_100():
    root = parse(draw(x_labels=TERMS[:2], series=(Series("Bury", (2.0, 99.0)),)))

    found = [tick_value(label) for label, _ in ticks(root)]
    assert found[0] == 0
    assert found[-1] == 100


def test_a_count_axis_starts_at_zero_when_the_minimum_is_near_it():
    near = parse(draw(x_labels=TERMS[:2], series=(Series("Bury", (30.0, 100.0)),), unit="count"))
    far = parse(draw(x_labels=TERMS[:2], series=(Series("Bury", (80.0, 100.0)),), unit="count"))

    assert tick_value(ticks(near)[0][0]) == 0
    assert tick_value(ticks(far)[0][0]) > 0


@pytest.mark.parametrize(
    ("unit", "values", "expected"),
    [
        ("percent", (65.0, 71.0), "70%"),
        ("percentage_points", (1.0, 4.0), "2pp"),
        ("money", (12000.0, 15000.0), "£14,000"),
        ("count", (1200.0, 1500.0), "1,400"),
        ("days", (10.0, 14.0), "14"),
    ],
)
def test_tick_labels_carry_the_unit(unit, values, expected):
    root = parse(draw(x_labels=TERMS[:2], series=(Series("Bury", values),), unit=unit))

    assert expected in [label for label, _ in ticks(root)]


def test_units_without_a_symbol_are_named_above_the_axis():
    root = parse(draw(x_labels=TERMS[:2], series=(Series("Bury", (10.0, 14.0)),), unit="days"))

    assert [el.text for el in by_class(root, "eis-chart__unit")] == ["Days"]


def test_a_few_terms_keep_their_full_labels():
    root = parse(draw(x_labels=TERMS[:3], series=(Series("Bury", (1.0, 2.0, 3.0)),)))

    labels = [el.text for el in by_class(root, "eis-chart__x-label")]
    assert labels == ["Autumn 2024", "Spring 2025", "Summer 2025"]


def test_terms_are_shortened_and_thinned_only_when_their_names_would_not_fit():
    wide = parse(draw())
    narrow = parse(draw(layout=NARROW))

    assert [el.text for el in by_class(wide, "eis-chart__x-label")] == list(TERMS)
    # 14 px text on a 300-wide drawing: "Aut 24" every third term, back from the latest.
    assert [el.text for el in by_class(narrow, "eis-chart__x-label")] == ["Sum 25", "Sum 26"]
    assert len(by_class(narrow, "eis-chart__x-tick")) == 6


def test_crowded_axes_label_every_other_term_and_always_the_last():
    terms = tuple(
        f"{season} {year + (season != 'Autumn')}"
        for year in (2022, 2023, 2024, 2025)
        for season in ("Autumn", "Spring", "Summer")
    )[:10]
    root = parse(draw(x_labels=terms, series=(Series("Bury", tuple(range(10))),), unit="count"))

    labels = [el.text for el in by_class(root, "eis-chart__x-label")]
    assert len(by_class(root, "eis-chart__x-tick")) == 10
    assert len(labels) == 5
    assert labels == ["Spr 23", "Aut 23", "Sum 24", "Spr 25", "Aut 25"]


def test_with_no_figures_it_says_so_without_crashing():
    empty = Series("Bury", (None,) * 6)
    root = parse(draw(series=(empty,), target=74.0))

    assert root.find(f"{SVG}desc").text == "No approved figures yet"
    assert root.get("aria-labelledby") == "gld-title gld-desc"
    assert by_class(root, "eis-chart__series") == []


def test_with_no_series_or_terms_it_says_so_without_crashing():
    root = parse(draw(x_labels=(), series=()))

    assert root.find(f"{SVG}desc").text == "No approved figures yet"


def test_it_accepts_decimals_from_model_fields():
    exact = Series("Bury", tuple(Decimal(str(v)) for v in BURY.points))

    assert draw(series=(exact,), target=Decimal("74")) == draw(target=74.0)


def test_it_refuses_a_series_whose_points_do_not_match_the_terms():
    with pytest.raises(ValueError, match="Bury"):
        draw(series=(Series("Bury", (1.0, 2.0)),))


# What a reader sees: labels clear of every line and of each other, on both drawings.


def _font(root: ET.Element) -> float:
    return float(root.get("font-size"))


def _label_boxes(root: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(words, box) for each label drawn on or beside the plot, measured generously: every
    character 0.6 em wide, each line of text one em and a bit high."""
    font, boxes = _font(root), []
    for css in ("end-label", "target-label", "baseline-label", "value"):
        for text in by_class(root, f"eis-chart__{css}"):
            lines = [t.text for t in text.findall(f"{SVG}tspan")] or [text.text]
            width = max(len(line) for line in lines) * CHAR_EM * font
            x, y = float(text.get("x")), float(text.get("y"))
            left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
            top = y - 0.8 * font
            boxes.append((words(text), (left, top, left + width, top + (font + 1) * len(lines))))
    return boxes


def _segments(root: ET.Element) -> list[tuple[float, float, float, float]]:
    """Every line drawn in the plot: the series' paths, the target and baseline lines."""
    found = []
    for path in (p for group in by_class(root, "eis-chart__series") for p in group.iter()):
        if path.tag == f"{SVG}path" and path.get("fill") == "none" and "L" in path.get("d"):
            points = [
                tuple(map(float, p.split(",")))
                for p in re.findall(r"[\d.\-]+,[\d.\-]+", path.get("d"))
            ]
            found += [(*a, *b) for a, b in itertools.pairwise(points)]
    for css in ("target", "baseline"):
        for line in by_class(root, f"eis-chart__{css}"):
            found.append(tuple(float(line.get(k)) for k in ("x1", "y1", "x2", "y2")))
    return found


def _touches(box, segment) -> bool:
    """Whether a segment passes through a box: tested at every half unit along it."""
    left, top, right, bottom = box
    x1, y1, x2, y2 = segment
    steps = max(1, int(max(abs(x2 - x1), abs(y2 - y1)) * 2))
    return any(
        left < x1 + (x2 - x1) * i / steps < right and top < y1 + (y2 - y1) * i / steps < bottom
        for i in range(steps + 1)
    )


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


CROWDED = (
    Series("Bury", (65.0, 66.5, 67.0, 69.0, 70.0, 71.2)),
    Series("England", (67.0, 67.4, 67.9, None, None, None), "comparator"),
    Series("North West", (66.0, 66.8, 67.5, 68.0, None, None), "comparator"),
    Series("Greater Manchester", (64.5, 65.5, 66.0, 67.0, 68.0, 69.5), "comparator"),
    Series("SEN Support", (30.0, 31.0, 33.0, 32.0, 34.0, 36.0), "cohort"),
    Series("EHCP", (10.0, 9.0, 12.0, None, 13.0, None), "cohort"),
    Series("Disadvantaged", (50.0, 51.0, 49.0, 52.0, 53.0, 54.0), "cohort"),
)


@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["wide", "narrow"])
@pytest.mark.parametrize(
    "arguments",
    [
        {"series": CROWDED, "target": 74.0, "baseline": 65.0},
        {"series": CROWDED[:4], "target": 67.0, "baseline": 66.0},
        {"series": CROWDED[4:], "target": 40.0, "target_upper": 45.0},
        {"series": (CROWDED[0], CROWDED[1]), "target": 96.0},
    ],
    ids=["seven-lines", "close-together", "band", "target-far-above"],
)
def test_no_label_touches_a_line_or_another_label(layout, arguments):
    root = parse(draw(layout=layout, **arguments))
    boxes, segments = _label_boxes(root), _segments(root)

    assert boxes and segments
    for name, box in boxes:
        assert not any(_touches(box, segment) for segment in segments), name
    for (first, a), (second, b) in itertools.combinations(boxes, 2):
        assert not _overlap(a, b), (first, second)


def test_a_line_that_ends_early_is_named_beside_its_last_point():
    """England's figures stop two years back: its name sits by its last marker, not at the
    right edge level with nothing."""
    england = Series("England", (76.0, 76.5, 77.0, None, None, None), "comparator")
    root = parse(draw(series=(BURY, england), target=74.0))

    (england,) = [
        label for label in by_class(root, "eis-chart__end-label") if words(label) == "England"
    ]
    square = by_class(root, "eis-chart__series--comparator")[0].findall(f"{SVG}rect")[-1]
    marker_x = float(square.get("x")) + 3.5
    marker_y = float(square.get("y")) + 3.5
    assert 0 < float(england.get("x")) - marker_x <= 10
    assert abs(float(england.get("y")) - marker_y) <= 2 * _font(root)
    (target,) = by_class(root, "eis-chart__target")
    assert float(england.get("x")) < float(target.get("x2"))  # inside the plot, by its line


def test_the_narrow_drawing_keeps_its_text_readable_on_a_320_px_screen():
    """Shown 290 px wide (320 less the page's margins), its text is over 13 px high; the
    wide drawing squeezed to 290 px would be under 5."""
    narrow, wide = parse(draw(layout=NARROW)), parse(draw())

    def on_screen(root):
        return _font(root) * 290 / float(root.get("viewBox").split()[2])

    assert narrow.get("class") == "eis-chart eis-chart--narrow"
    assert on_screen(narrow) >= 13
    assert on_screen(wide) < 5
    labels = by_class(narrow, "eis-chart__x-label")
    font = _font(narrow)
    edges = sorted(
        (
            float(el.get("x")) - len(el.text) * CHAR_EM * font / 2,
            float(el.get("x")) + len(el.text) * CHAR_EM * font / 2,
        )
        for el in labels
    )
    assert all(a[1] < b[0] for a, b in itertools.pairwise(edges))  # term names do not collide
    assert all(left >= 0 and right <= 300 for left, right in edges)


def test_a_chart_with_a_target_far_from_its_figures_still_draws_the_target():
    """1.2(a)(i)'s 96% target was not drawn: the axis must reach it and the line be there."""
    root = parse(draw(series=(BURY,), target=96.0, target_label="Target 96%"))

    (line,) = by_class(root, "eis-chart__target")
    assert float(line.get("y1")) == pytest.approx(y_between_ticks(root, 96.0), abs=0.1)
    assert words(by_class(root, "eis-chart__target-label")[0]) == "Target 96%"


def test_where_lines_crowd_the_latest_figure_it_is_written_with_the_lines_name():
    root = parse(draw(series=CROWDED, target=74.0, baseline=65.0))

    names = [words(label) for label in by_class(root, "eis-chart__end-label")]
    values = [el.text for el in by_class(root, "eis-chart__value")]
    assert (values == ["71.2%"]) != ("Bury 71.2%" in names)  # one or the other, never both
    assert values == ["71.2%"] or "Bury 71.2%" in names
