"""Line charts drawn on the server as SVG, so they print and go into the PDF pack without scripts.

The functions take plain data, not models, so a pack frozen as JSON draws the same chart
byte for byte years later. Lines differ by dash pattern and marker shape as well as colour,
so they can be told apart in black and white and without colour vision (WCAG 1.4.1).

Each chart is drawn twice, to two layouts: a wide one for screens from tablet width up and for
print, and a narrow one for phones, with bigger text in a smaller drawing so that at 320 px its
words stay about 13 px high instead of shrinking with the picture (WCAG 1.4.10 reflow). A
stylesheet shows one of them; the other is not displayed, so is not announced either.
"""

import itertools
import math
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from bury_eis.formatting import figure, with_unit

_INSET = 16  # keeps the first and last markers clear of the axes
_INK, _GRID, _TARGET, _BASELINE = "#0b0c0c", "#b1b4b6", "#00703c", "#505a5f"
_FROM_ZERO = {"count", "percent", "rate_per_10000", "money", "days", "weeks"}
_CAPTIONS = {"count": "Number", "rate_per_10000": "Per 10,000", "days": "Days", "weeks": "Weeks"}
_TERM = re.compile(r"^([A-Za-z]{3})[A-Za-z]*\s+\d{2}(\d{2})$")
# A generous average width of an Arial character, in ems: labels are measured with it
# so that the gaps kept between them and the lines hold for capitals and figures too.
CHAR_EM = 0.6


@dataclass(frozen=True)
class Layout:
    """Where things go in one drawing of a chart, in the SVG's own units.

    Right of the plot, each line's name, the target and the baseline are written level with
    where they end, pushed apart so none overlaps a line or another label.
    """

    name: str
    width: int
    plot_height: int  # from the top of the plot to the x axis
    left: int  # the y axis
    right: int  # the plot's right edge
    labels_x: int  # where the labels right of the plot start
    label_chars: int  # per line of those labels (two lines at most)
    font: int

    @property
    def char(self) -> float:
        return CHAR_EM * self.font

    @property
    def line_gap(self) -> float:
        return self.font + 1

    @property
    def row_height(self) -> int:
        """One row of the key above the plot."""
        return round(1.45 * self.font)

    @property
    def legend_chars(self) -> int:
        """What fits on one row of the key, after its sample line."""
        return int((self.width - self.left - 48) / self.char)


WIDE = Layout(
    "wide", width=640, plot_height=178, left=64, right=500, labels_x=508, label_chars=20, font=11
)
# Shown 290 to 416 px wide (26 rem at most), so its text is 13.5 to 19.5 px high.
NARROW = Layout(
    "narrow", width=300, plot_height=170, left=44, right=196, labels_x=202, label_chars=11, font=14
)
LAYOUTS = (WIDE, NARROW)


@dataclass(frozen=True)
class Series:
    """One line: its legend name, a figure (or None) per x label, and how it is drawn.

    `periods`, where given, names the period each figure describes (one per x label, ""
    where unknown). A comparator's figures lag the term they were reported in, so its
    legend and description carry them: "England (2022/23)".
    """

    name: str
    points: tuple[float | None, ...]
    kind: str = "main"  # "main", "comparator" or "cohort"
    periods: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The legend's name: with the span of periods the figures describe, if given."""
        if not self.periods:
            return self.name
        shown = [p for p, v in zip(self.periods, self.points, strict=True) if v is not None and p]
        if not shown:
            return self.name
        span = shown[0] if len(set(shown)) == 1 else f"{shown[0]} to {shown[-1]}"
        return f"{self.name} ({span})"

    def at(self, index: int) -> str:
        """The figure's period at `index` in brackets, or nothing if none is given."""
        period = self.periods[index] if self.periods else ""
        return f" ({period})" if period else ""


@dataclass(frozen=True)
class _Style:
    colour: str  # all at least 3:1 against white
    dash: str  # stroke-dasharray
    marker: str


_MAIN = _Style("#1f3a5f", "none", "circle")
# Every other line gets the next of these in turn, so no two lines of a chart share a
# colour, a dash pattern or a marker shape (England, North West and Greater Manchester
# were all purple squares; SEN Support, EHCP and the other groups all brown triangles).
_OTHERS = (
    _Style("#6b4fa0", "8 4", "square"),
    _Style("#8a5300", "2 3", "triangle"),
    _Style("#912b88", "6 2 2 2", "diamond"),
    _Style("#00707f", "10 3", "triangle-down"),
    _Style("#b33c00", "4 4", "cross"),
    _Style("#594d00", "1 2", "ring"),
)


@dataclass(frozen=True)
class _Frame:
    """The plot area: where a term index or a value lands on the page."""

    layout: Layout
    top: float
    ticks: tuple[float, ...]
    count: int
    left: float  # the y axis: further right than the layout's if a tick label needs the room

    @property
    def bottom(self) -> float:
        return self.top + self.layout.plot_height

    @property
    def height(self) -> int:
        """The whole drawing's: the plot, then the x axis's labels."""
        return math.ceil(self.bottom + 2 * self.layout.font + 16)

    def x(self, index: int) -> float:
        left, right = self.left, self.layout.right
        if self.count == 1:
            return (left + right) / 2
        return left + _INSET + index * (right - left - 2 * _INSET) / (self.count - 1)

    def y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)


@dataclass(frozen=True)
class Box:
    """A label's extent on the page, to keep labels off lines and off each other."""

    left: float
    top: float
    right: float
    bottom: float

    def meets(self, other: "Box") -> bool:
        return not (
            other.left >= self.right
            or other.right <= self.left
            or other.top >= self.bottom
            or other.bottom <= self.top
        )

    def crosses(self, segment: tuple[float, float, float, float]) -> bool:
        """Whether a straight line from (x1, y1) to (x2, y2) passes through the box
        (Liang–Barsky clipping)."""
        x1, y1, x2, y2 = segment
        low, high = 0.0, 1.0
        dx, dy = x2 - x1, y2 - y1
        for p, q in (
            (-dx, x1 - self.left),
            (dx, self.right - x1),
            (-dy, y1 - self.top),
            (dy, self.bottom - y1),
        ):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True


def text_box(x: float, baseline: float, anchor: str, lines: list[str], layout: Layout) -> Box:
    """The box `lines` of text take, written at x (by `anchor`) from `baseline` down."""
    width = max(len(line) for line in lines) * layout.char
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    top = baseline - 0.8 * layout.font
    return Box(left, top, left + width, top + layout.line_gap * len(lines))


def _c(value: float) -> str:
    """A coordinate to one decimal place, never "-0.0", so output is byte-stable."""
    return f"{round(value, 1) + 0.0:.1f}"


def _tidy(value: float) -> float:
    """Drop float noise (0.30000000000000004) before a number is shown."""
    return round(value, 10) + 0.0


def _styles(series: tuple[Series, ...]) -> dict[int, _Style]:
    """Each line's style, by its place in `series`: the main line navy with circles, every
    other line the next of _OTHERS."""
    styles, others = {}, iter(range(len(series)))
    for index, line in enumerate(series):
        styles[index] = _MAIN if line.kind == "main" else _OTHERS[next(others) % len(_OTHERS)]
    return styles


def line_chart_svg(
    *,
    chart_id: str,
    title: str,
    x_labels: tuple[str, ...],
    series: tuple[Series, ...],
    unit: str,
    target: float | None = None,
    target_upper: float | None = None,
    target_label: str = "",
    baseline: float | None = None,
    baseline_label: str = "",
    layout: Layout = WIDE,
) -> SafeString:
    """An accessible SVG line chart of figures by term, with target and baseline lines."""
    series = tuple(_checked(line, len(x_labels)) for line in series)
    target, target_upper, baseline = (_float(v) for v in (target, target_upper, baseline))
    values = [v for line in series for v in line.points if v is not None]
    if not values:
        return _svg(chart_id, title, "No approved figures yet", 2 * layout.font + 18, [], layout)

    if target is not None and not target_label:
        target_label = f"Target {with_unit(_tidy(target), unit)}"
        if target_upper is not None:
            target_label += f" to {with_unit(_tidy(target_upper), unit)}"
    if baseline is not None and not baseline_label:
        baseline_label = f"Baseline {with_unit(_tidy(baseline), unit)}"
    extras = [v for v in (target, target_upper, baseline) if v is not None]
    styles = _styles(series)
    legend, rows = _legend(series, styles, layout)
    ticks = _nice_ticks(*_value_range(values + extras, unit))
    widest = max(len(_short(tick, unit)) for tick in ticks) * layout.char + 10
    top = layout.row_height * (rows + 1) + 12
    frame = _Frame(layout, top, ticks, len(x_labels), max(layout.left, math.ceil(widest)))
    parts = [*legend, *_y_axis(frame, unit), *_x_axis(frame, x_labels)]
    margin: list[_EndLabel] = []
    rules = []  # the horizontal target and baseline lines, which labels must keep off
    if target is not None:
        parts += _target(frame, target, target_upper)
        rules += [frame.y(v) for v in (target, target_upper) if v is not None]
        margin.append(_EndLabel("eis-chart__target-label", frame.y(target), _TARGET, target_label))
    if baseline is not None:
        parts.append(_baseline(frame, baseline))
        rules.append(frame.y(baseline))
        margin.append(
            _EndLabel("eis-chart__baseline-label", frame.y(baseline), _BASELINE, baseline_label)
        )
    drawn = [_points(frame, line) for line in series]
    for index, line in enumerate(series):
        parts += _series(frame, line, styles[index], drawn[index])
    obstacles = _Obstacles(
        [(frame.left, y, layout.right, y) for y in rules]
        + [(*a, *b) for runs in drawn for run in runs for a, b in itertools.pairwise(run)],
        [Box(x - 5, y - 5, x + 5, y + 5) for runs in drawn for run in runs for x, y in run],
    )
    beside = []
    for index, line in enumerate(series):
        ends = [point for run in drawn[index] for point in run]
        if not ends:
            continue
        name = line.name
        if line.kind == "main":
            # Its latest figure by its marker; where lines crowd it, with its name instead.
            figure_text = _short([v for v in line.points if v is not None][-1], unit)
            value = _value_label(frame, ends[-1], figure_text, styles[index], obstacles)
            parts.append(value)
            name = name if value else f"{name} {figure_text}"
        label = _EndLabel("eis-chart__end-label", ends[-1][1], styles[index].colour, name)
        if ends[-1][0] < frame.x(frame.count - 1):
            beside.append((ends[-1], label))
        else:
            margin.append(label)
    # A line that ends before the last term is named beside its last point where that is
    # clear of every line and label; otherwise right of the plot with the rest.
    for point, label in beside:
        placed = _beside(frame, point, label, obstacles)
        if placed:
            parts.append(placed)
        else:
            margin.append(label)
    parts += _end_labels(frame, margin)
    desc = _describe(x_labels, series, unit, [target_label, baseline_label])
    return _svg(chart_id, title, desc, frame.height, parts, layout)


def _float(value: float | None) -> float | None:
    """Model fields hold Decimals; the drawing arithmetic wants floats."""
    return None if value is None else float(value)


def _checked(line: Series, count: int) -> Series:
    """The series with float points, refusing one that does not have a point per label."""
    if len(line.points) != count:
        raise ValueError(f"Series {line.name!r} has {len(line.points)} points for {count} labels")
    if line.periods and len(line.periods) != count:
        raise ValueError(f"Series {line.name!r} has {len(line.periods)} periods for {count} labels")
    return Series(line.name, tuple(_float(v) for v in line.points), line.kind, line.periods)


def _svg(
    chart_id: str, title: str, desc: str, height: int, parts: list[str], layout: Layout
) -> SafeString:
    """Wrap the drawing in an <svg> that screen readers announce by its title and summary."""
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" class="eis-chart eis-chart--{}" role="img" '
        'aria-labelledby="{}-title {}-desc" font-family="Arial, Helvetica, sans-serif" '
        'font-size="{}" fill="{}"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        *(layout.width, height, layout.name, chart_id, chart_id, layout.font, _INK),
        *(chart_id, title, chart_id, desc),
    )
    if not parts:
        parts = [_text("eis-chart__empty", layout.left, layout.font + 13, "start", _INK, desc)]
    # Every part was built by format_html from constants and escaped values, so joining is safe.
    return mark_safe(head + "".join(parts) + "</svg>")  # noqa: S308


def _line(
    css: str, ends: tuple[float, ...], colour: str, width: float = 1, dash: str = "none"
) -> str:
    return format_html(
        '<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}" '
        'stroke-dasharray="{}"/>',
        *(css, *(_c(end) for end in ends), colour, width, dash),
    )


def _text(css: str, x: float, y: float, anchor: str, colour: str, text: str) -> str:
    return format_html(
        '<text class="{}" x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
        *(css, _c(x), _c(y), anchor, colour, text),
    )


def _describe(
    x_labels: tuple[str, ...], series: Iterable[Series], unit: str, notes: list[str]
) -> str:
    """Say in words what the chart shows: each line's first and last figure, then the targets."""
    sentences = []
    for line in series:
        known = [(i, v) for i, v in enumerate(line.points) if v is not None]
        if not known:
            sentences.append(f"{line.name}: no figures.")
            continue
        (first_at, first), (last_at, last) = known[0], known[-1]
        text = f"{line.name}: {with_unit(_tidy(first), unit)}{line.at(first_at)}"
        text += f" in {x_labels[first_at]}"
        if len(known) > 1:
            text += f" to {with_unit(_tidy(last), unit)}{line.at(last_at)} in {x_labels[last_at]}"
        sentences.append(text + ".")
    sentences += [note.rstrip(".") + "." for note in notes if note]
    return " ".join(sentences)


def _value_range(values: list[float], unit: str) -> tuple[float, float]:
    """The span the y axis must cover: from zero when the data sits near it, 0–100 for percent."""
    low, high = min(values), max(values)
    if unit in _FROM_ZERO and 0 < low <= 0.4 * high:
        low = 0.0
    if low == high:
        pad = abs(low) * 0.1 or 10.0
        low, high = low - pad, high + pad
    if unit == "percent" and min(values) >= 0 and max(values) <= 100:
        low, high = max(low, 0.0), min(high, 100.0)
    return low, high


def _nice_ticks(low: float, high: float) -> tuple[float, ...]:
    """Four to six ticks at 1, 2, 2.5 or 5 × 10ⁿ steps: round numbers people read at a glance.

    The first step tried leaves at least six ticks and each next step is at most double,
    so the first with six or fewer has at least four.
    """
    base = 10.0 ** math.floor(math.log10((high - low) / 5))
    for multiple in (1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        step = multiple * base
        first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
        if last - first + 1 <= 6:
            return tuple(_tidy(k * step) for k in range(first, last + 1))
    raise AssertionError("unreachable: a step of 100 × base leaves at most three ticks")


def _short(value: float, unit: str) -> str:
    """A figure with its unit in few characters, for tick and point labels."""
    value = _tidy(value)
    if unit == "percent":
        return f"{figure(value)}%"
    if unit == "percentage_points":
        return f"{figure(value)}pp"
    if unit == "money":
        return with_unit(value, "money")
    return figure(value)


def _legend(
    series: tuple[Series, ...], styles: dict[int, _Style], layout: Layout
) -> tuple[list[str], int]:
    """A key above the plot (sample line, marker, name), wrapping onto more rows if needed."""
    parts, x, row = [], layout.left, 1
    for index, line in enumerate(series):
        label = _fitted(line.label, layout.legend_chars)
        width = 30 + layout.char * len(label) + 18
        if x > layout.left and x + width > layout.width - 8:
            x, row = layout.left, row + 1
        y, style = layout.row_height * row, styles[index]
        mid = y - 0.35 * layout.font
        parts += [
            '<g class="eis-chart__legend-item">',
            _line("eis-chart__legend-line", (x, mid, x + 24, mid), style.colour, 2, style.dash),
            _marker(style, x + 12, mid),
            _text("eis-chart__legend-label", x + 30, y, "start", _INK, label),
            "</g>",
        ]
        x += width
    return parts, row


def _fitted(label: str, chars: int) -> str:
    """A legend label short enough for one row of the key; the description and the table
    beside the chart give it in full."""
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _marker(style: _Style, x: float, y: float) -> str:
    """A shape that names the line when colour cannot: circle, square, triangle, diamond,
    downward triangle, cross or ring."""
    colour = style.colour
    if style.marker == "square":
        corner = (_c(x - 3.5), _c(y - 3.5))
        return format_html('<rect x="{}" y="{}" width="7" height="7" fill="{}"/>', *corner, colour)
    shapes = {
        "triangle": ((0, -4.5), (4.5, 3.5), (-4.5, 3.5)),
        "triangle-down": ((0, 4.5), (4.5, -3.5), (-4.5, -3.5)),
        "diamond": ((0, -5), (4.5, 0), (0, 5), (-4.5, 0)),
    }
    if style.marker in shapes:
        points = " ".join(f"{_c(x + dx)},{_c(y + dy)}" for dx, dy in shapes[style.marker])
        return format_html('<polygon points="{}" fill="{}"/>', points, colour)
    if style.marker == "cross":
        d = f"M{_c(x - 4)},{_c(y - 4)} L{_c(x + 4)},{_c(y + 4)} M{_c(x - 4)},{_c(y + 4)} "
        d += f"L{_c(x + 4)},{_c(y - 4)}"
        return format_html('<path d="{}" stroke="{}" stroke-width="2.5" fill="none"/>', d, colour)
    if style.marker == "ring":
        return format_html(
            '<circle cx="{}" cy="{}" r="3.5" fill="#ffffff" stroke="{}" stroke-width="2"/>',
            _c(x),
            _c(y),
            colour,
        )
    return format_html('<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', _c(x), _c(y), colour)


@dataclass(frozen=True)
class _EndLabel:
    css: str
    y: float  # where the line it names ends
    colour: str
    text: str


class _Obstacles:
    """What a label inside the plot must not touch: every line drawn, every marker, and
    the labels already placed."""

    def __init__(self, segments: list[tuple[float, float, float, float]], markers: list[Box]):
        self.segments = segments
        self.markers = markers
        self.labels: list[Box] = []

    def clear(self, box: Box, frame: _Frame) -> bool:
        # Inside the plot, give or take the room between it and the key above and the
        # labels to its right.
        inside = (
            box.left >= frame.left + 2
            and box.right <= frame.layout.labels_x - 2
            and box.top >= frame.top - frame.layout.row_height
            and box.bottom <= frame.bottom - 2
        )
        return (
            inside
            and not any(box.crosses(segment) for segment in self.segments)
            and not any(box.meets(other) for other in [*self.markers, *self.labels])
        )


def _value_label(
    frame: _Frame, point: tuple[float, float], text: str, style: _Style, obstacles: _Obstacles
) -> str:
    """The main line's latest figure by its marker: above it, else below, else to its left,
    wherever it touches no line, marker or label first; "" if nowhere is clear."""
    x, y = point
    font = frame.layout.font
    tries = [(x, y - 8, "middle"), (x, y + font + 6, "middle"), (x - 8, y + font / 3, "end")]
    tries += [(x, y - 8 - font, "middle"), (x, y + 2 * font + 6, "middle")]
    for tx, ty, anchor in tries:
        box = text_box(tx, ty, anchor, [text], frame.layout)
        if obstacles.clear(box, frame):
            obstacles.labels.append(box)
            return _text("eis-chart__value", tx, ty, anchor, style.colour, text)
    return ""


def _beside(
    frame: _Frame, point: tuple[float, float], label: _EndLabel, obstacles: _Obstacles
) -> str:
    """The name of a line that ends early, just right of its last point (level with it,
    then a little above or below, then further), or "" if every such place touches a line,
    a marker or a label."""
    x, y = point
    layout = frame.layout
    lines = _wrapped(label.text, layout.label_chars)
    font = layout.font
    for dy in (font / 3, -font / 2 - 4, font + 4, -1.5 * font - 4, 2 * font + 6):
        box = text_box(x + 8, y + dy, "start", lines, layout)
        if obstacles.clear(box, frame):
            obstacles.labels.append(box)
            return _label_text(label, x + 8, y + dy, lines, layout)
    return ""


def _label_text(label: _EndLabel, x: float, y: float, lines: list[str], layout: Layout) -> str:
    tspans = format_html_join(
        "",
        '<tspan x="{}" dy="{}">{}</tspan>',
        ((_c(x), 0 if i == 0 else layout.line_gap, line) for i, line in enumerate(lines)),
    )
    return format_html(
        '<text class="{}" x="{}" y="{}" text-anchor="start" fill="{}">{}</text>',
        *(label.css, _c(x), _c(y), label.colour, tspans),
    )


def _end_labels(frame: _Frame, labels: list[_EndLabel]) -> list[str]:
    """Each label right of the plot, level with its line's end, on up to two lines, pushed
    apart so none overlaps another; longer ones are shortened (the description and the
    table give them whole)."""
    if not labels:
        return []
    layout, gap = frame.layout, frame.layout.line_gap
    ordered = sorted(labels, key=lambda label: label.y)
    wrapped = [_wrapped(label.text, layout.label_chars) for label in ordered]
    placed: list[float] = []
    for index, label in enumerate(ordered):
        above = placed[-1] + gap * len(wrapped[index - 1]) + 1 if placed else frame.top
        placed.append(max(label.y, above))
    overflow = placed[-1] + gap * (len(wrapped[-1]) - 1) - (frame.bottom + 6)
    if overflow > 0:  # shift the stack up, never above the plot
        floor, shifted = frame.top, []
        for y, lines in zip(placed, wrapped, strict=True):
            shifted.append(max(y - overflow, floor))
            floor = shifted[-1] + gap * len(lines) + 1
        placed = shifted
    return [
        _label_text(label, layout.labels_x, y + layout.font / 3, lines, layout)
        for label, lines, y in zip(ordered, wrapped, placed, strict=True)
    ]


def _wrapped(text: str, chars: int) -> list[str]:
    """A label on at most two lines of `chars`, the second shortened with "…" if need be;
    a word too long for a line is broken with a hyphen ("Disadvanta-" "ged")."""
    words = []
    for word in text.split():
        while len(word) > chars:
            words.append(word[: chars - 1] + "-")
            word = word[chars - 1 :]
        words.append(word)
    lines = textwrap.wrap(" ".join(words), chars, break_long_words=True) or [""]
    if len(lines) > 2:
        rest = " ".join(lines[1:])
        lines = [lines[0], rest[: chars - 1].rstrip() + "…"]
    return lines


def _y_axis(frame: _Frame, unit: str) -> list[str]:
    """Light gridlines with tick labels in the unit, and a caption where the unit has no symbol."""
    layout, parts = frame.layout, []
    for tick in frame.ticks:
        y = frame.y(tick)
        parts.append(_line("eis-chart__grid", (frame.left, y, layout.right, y), _GRID, 0.5))
        parts.append(
            _text(
                "eis-chart__tick-label",
                *(frame.left - 6, y + layout.font / 3, "end", _INK, _short(tick, unit)),
            )
        )
    if unit in _CAPTIONS:
        parts.append(
            _text("eis-chart__unit", 4, frame.top - layout.font, "start", _INK, _CAPTIONS[unit])
        )
    return parts


def _x_axis(frame: _Frame, x_labels: tuple[str, ...]) -> list[str]:
    """The axis line and a tick per term, with as many labels as fit side by side: the
    latest always, then every other (or every third...) back from it, shortened to
    "Aut 24" where the full names would not fit."""
    layout = frame.layout
    axis = (frame.left, frame.bottom, layout.right, frame.bottom)
    parts = [_line("eis-chart__axis", axis, _INK)]
    count = len(x_labels)
    slot = (frame.x(1) - frame.x(0)) if count > 1 else layout.right - frame.left
    texts = list(x_labels)
    if max(len(t) for t in texts) * layout.char + 6 > slot:
        texts = [_TERM.sub(r"\1 \2", label) for label in x_labels]
    step = max(1, math.ceil((max(len(t) for t in texts) * layout.char + 6) / slot))
    for index, text in enumerate(texts):
        x = frame.x(index)
        parts.append(_line("eis-chart__x-tick", (x, frame.bottom, x, frame.bottom + 4), _INK))
        if (count - 1 - index) % step:
            continue
        half = layout.char * len(text) / 2  # keep the label inside the image
        x = min(max(x, half + 2), layout.width - half - 2)
        parts.append(
            _text("eis-chart__x-label", x, frame.bottom + layout.font + 6, "middle", _INK, text)
        )
    return parts


def _target(frame: _Frame, target: float, upper: float | None) -> list[str]:
    """A dashed green target line (two, lightly shaded between, for a band); its label is
    written right of the plot with the others."""
    left, right = frame.left, frame.layout.right
    parts = []
    levels = [frame.y(target)] if upper is None else sorted([frame.y(target), frame.y(upper)])
    if upper is not None:
        parts.append(
            format_html(
                '<rect class="eis-chart__band" x="{}" y="{}" width="{}" height="{}" fill="{}" '
                'fill-opacity="0.08"/>',
                *(left, _c(levels[0]), right - left, _c(levels[1] - levels[0]), _TARGET),
            )
        )
    for y in levels:
        parts.append(_line("eis-chart__target", (left, y, right, y), _TARGET, 1.5, "6 3"))
    return parts


def _baseline(frame: _Frame, baseline: float) -> str:
    """A dotted grey baseline; its label is written right of the plot with the others."""
    y = frame.y(baseline)
    left, right = frame.left, frame.layout.right
    return _line("eis-chart__baseline", (left, y, right, y), _BASELINE, 1.5, "1 3")


def _points(frame: _Frame, line: Series) -> list[list[tuple[float, float]]]:
    """Where the line's figures land, as runs of terms unbroken by a missing figure."""
    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(line.points):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((frame.x(index), frame.y(value)))
    return [run for run in runs if run]


def _series(
    frame: _Frame, line: Series, style: _Style, runs: list[list[tuple[float, float]]]
) -> list[str]:
    """One line as a path per unbroken run of terms, and a marker per figure."""
    parts = [format_html('<g class="eis-chart__series eis-chart__series--{}">', line.kind)]
    for run in (r for r in runs if len(r) > 1):
        d = "M" + " L".join(f"{_c(x)},{_c(y)}" for x, y in run)
        parts.append(
            format_html(
                '<path d="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
                *(d, style.colour, style.dash),
            )
        )
    parts += [_marker(style, x, y) for run in runs for x, y in run]
    return [*parts, "</g>"]
