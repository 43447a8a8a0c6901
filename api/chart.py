"""Geometry of a table's bar chart, computed here and drawn as SVG by ``templates/table.html``.

Horizontal bars, one per row, best first, in a ``viewBox`` that scales to the page width. Bars
start at zero, or at the smallest value when some are negative, so lengths stay comparable.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from claimex.api.schemas import TableRow

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
    name = row.subject or row.title or row.abstract_id
    if row.setting:
        name = f"{name} ({row.setting})"
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
                title=f"{row.subject or '—'}: {value} — {row.title or row.abstract_id}",
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
