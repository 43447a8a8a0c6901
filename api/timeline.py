"""A table's results over time: the best score so far, as leaderboard sites chart progress.

Every score row with a publication date is a point, oldest first (ISO dates sort as text; a
"2024" or "2024-03" sorts before the days of its year or month). When the metric's direction
is known, a point that beats every earlier one is a step of the best-so-far line.
"""

from __future__ import annotations

from claimex.api.schemas import Table, TableRow, Timeline, TimelinePoint

NOTES = {
    True: "best so far: each step is a paper that beat every earlier one",
    False: "this metric's direction is unknown, so no best-so-far line is drawn",
}


def _point(row: TableRow, best: bool) -> TimelinePoint:
    assert row.date is not None
    return TimelinePoint(
        date=row.date,
        value=row.value,
        unit=row.unit,
        subject=row.claim.subject,
        title=row.title,
        abstract_id=row.abstract_id,
        claim_index=row.claim_index,
        page_url=row.page_url,
        best=best,
    )


def timeline(table: Table) -> Timeline:
    """The scores of ``table`` over time."""
    rows = [r for s in table.sections if s.kind == "score" for r in s.rows]
    dated = sorted((r for r in rows if r.date), key=lambda r: (r.date or "", r.abstract_id))
    sign = {"higher": 1.0, "lower": -1.0}.get(table.better or "", 0.0)
    points, steps = [], []
    best: float | None = None
    for row in dated:
        new_best = bool(sign) and (best is None or sign * row.value > sign * best)
        if new_best:
            best = row.value
        point = _point(row, new_best)
        points.append(point)
        if new_best:
            steps.append(point)
    return Timeline(
        id=table.id,
        dataset=table.dataset,
        metric=table.metric,
        better=table.better,
        points=tuple(points),
        steps=tuple(steps),
        undated=len(rows) - len(dated),
        note=NOTES[bool(sign)],
        url=f"{table.url}?view=timeline",
    )
