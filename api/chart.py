"""Geometry of a table's bar chart, computed here and drawn as SVG by ``templates/table.html``.

Horizontal bars, one per row, best first, in a ``viewBox`` that scales to the page width. Bars
start at zero, or at the smallest value when some are negative, so lengths stay comparable.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import msgspec

from claimex.api.schemas import TableRow, Timeline

WIDTH = 480
LABEL_WIDTH = 150
VALUE_WIDTH = 60
BAR_HEIGHT = 18
GAP = 6
MAX_BARS = 30


class Bar(msgspec.Struct, frozen=True, kw_only=True):
    """One bar: where it is drawn, what it says, and where it leads."""

    y: float
    x: float
    width: float
    label: str
    value: str
    href: str
    title: str


class Chart(msgspec.Struct, frozen=True, kw_only=True):
    """A whole chart: its size and its bars (at most ``MAX_BARS``)."""

    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]
    omitted: int


def format_value(value: float, unit: str | None) -> str:
    """A value as a reader expects it: up to 4 significant digits, then its unit."""
    text = f"{value:.4g}"
    if unit in (None, ""):
        return text
    return f"{text}{unit}" if unit in ("%", "x", "×") else f"{text} {unit}"


def _label(row: TableRow) -> str:
    name = row.claim.subject or row.title or row.abstract_id
    if row.claim.setting:
        name = f"{name} ({row.claim.setting})"
    return name if len(name) <= 20 else name[:19] + "…"


def bar_chart(rows: Sequence[TableRow]) -> Chart:
    """The chart of ``rows`` (already ranked), the first ``MAX_BARS`` of them."""
    shown = list(rows[:MAX_BARS])
    values = [r.value for r in shown]
    low = min([0.0, *values])
    high = max([0.0, *values])
    span = (high - low) or 1.0
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for n, row in enumerate(shown):
        start = LABEL_WIDTH + (min(row.value, 0.0) - low) / span * room
        length = abs(row.value) / span * room
        value = format_value(row.value, row.unit)
        bars.append(
            Bar(
                y=GAP + n * (BAR_HEIGHT + GAP),
                x=start,
                width=max(length, 1.0),
                label=_label(row),
                value=value,
                href=row.page_url,
                title=f"{row.claim.subject or '—'}: {value} — {row.title or row.abstract_id}",
            )
        )
    height = GAP + len(bars) * (BAR_HEIGHT + GAP)
    return Chart(
        width=WIDTH,
        height=height,
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
        omitted=len(rows) - len(shown),
    )


# The step chart of a table's best score over time (``api.timeline``).
STEP_WIDTH = 480
STEP_HEIGHT = 180
MARGIN = 36


class Dot(msgspec.Struct, frozen=True, kw_only=True):
    """One dated score on the step chart; ``best`` if it set a new best."""

    x: float
    y: float
    best: bool
    href: str
    title: str


class StepChart(msgspec.Struct, frozen=True, kw_only=True):
    """The best-so-far line (an SVG path) over every dated score, with axis labels."""

    width: int
    height: int
    path: str
    dots: tuple[Dot, ...]
    first_date: str
    last_date: str
    low: str
    high: str


def _ordinal(date: str) -> int:
    """Days since year 1 of an ISO date ("2024" is its 1 January, "2024-03" its 1 March)."""
    year, month, day = ([int(p) for p in date.split("-")] + [1, 1])[:3]
    return datetime.date(year, month, day).toordinal()


def step_chart(line: Timeline) -> StepChart | None:
    """The chart of ``line``, or ``None`` with fewer than two dated scores."""
    if len(line.points) < 2:
        return None
    days = [_ordinal(p.date) for p in line.points]
    values = [p.value for p in line.points]
    first, last = min(days), max(days)
    low, high = min(values), max(values)
    x_span, y_span = (last - first) or 1, (high - low) or 1.0

    def x(day: int) -> float:
        return MARGIN + (day - first) / x_span * (STEP_WIDTH - 2 * MARGIN)

    def y(value: float) -> float:
        return STEP_HEIGHT - MARGIN / 2 - (value - low) / y_span * (STEP_HEIGHT - MARGIN)

    path = []
    for n, step in enumerate(line.steps):
        sx, sy = x(_ordinal(step.date)), y(step.value)
        path.append(f"M{sx:.1f},{sy:.1f}" if n == 0 else f"H{sx:.1f}V{sy:.1f}")
    if line.steps:
        path.append(f"H{x(last):.1f}")
    dots = tuple(
        Dot(
            x=x(day),
            y=y(p.value),
            best=p.best,
            href=p.page_url,
            title=f"{p.date} {p.subject or '—'}: {format_value(p.value, p.unit)}",
        )
        for day, p in zip(days, line.points, strict=True)
    )
    unit = line.points[0].unit
    return StepChart(
        width=STEP_WIDTH,
        height=STEP_HEIGHT,
        path="".join(path),
        dots=dots,
        first_date=line.points[0].date,
        last_date=line.points[-1].date,
        low=format_value(low, unit),
        high=format_value(high, unit),
    )
