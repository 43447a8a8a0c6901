"""From a table's cells to ranked rows: one scale, one row per (paper, subject, setting).

Pure (no Redis, no HTTP): ``workers.tables`` reads the cells, ``api.tables`` serves the result.

- Sections: scores, deltas and ratios are ranked apart and never mixed.
- Scale: on a percentage metric (the lexicon says so, or a score in the table is written with
  "%") a unit-less score in (0, 1] is a fraction and is multiplied by 100; what was written is
  kept beside it.
- Rows: a paper's claims for one subject and setting form one row; its value is the best of
  them by the metric's direction (the first, when the direction is unknown), the others are
  listed in ``also``.
- Order: best first when the metric's direction is known; extraction order (receipt time, then
  position in the abstract) otherwise, and the section says so. Changes are largest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import msgspec

from claimex.api import consistency
from claimex.api.schemas import (
    Better,
    Order,
    OtherClaim,
    Section,
    Table,
    TableRow,
    TableSection,
    TableSummary,
)
from claimex.extractors.model import RESULT_KINDS
from claimex.workers import keys, placement
from claimex.workers.tables import Cell, TableInfo

SECTIONS = RESULT_KINDS
PERCENT: Literal["%"] = "%"

_NOTES = {
    "higher is better": "ranked best first: higher is better for this metric",
    "lower is better": "ranked best first: lower is better for this metric",
    "largest first": "changes against a baseline, largest first; not comparable with scores",
    "extraction order": (
        "this metric's direction is unknown, so rows keep extraction order (not a ranking)"
    ),
}


def table_url(table_id: str) -> str:
    """The API path of table ``table_id``."""
    return f"/v1/tables/{table_id}"


def summary(info: TableInfo) -> TableSummary:
    """A table as listed in ``GET /v1/tables``."""
    return TableSummary(
        **msgspec.structs.asdict(info),
        better=placement.metric_facts(info.metric).better,
        url=table_url(info.id),
    )


class _Scaled:
    """A cell with its value on the table's scale (a plain class: built per cell, never sent)."""

    __slots__ = ("cell", "order", "scaled", "unit", "value")

    def __init__(self, cell: Cell, percent: bool) -> None:
        claim = cell.claim
        self.cell = cell
        # Extraction order: receipt time, then abstract id, then position in the abstract.
        self.order = (cell.received_at, cell.abstract_id, cell.index)
        self.value, self.unit, self.scaled = claim.value, claim.unit, False
        if percent and claim.kind == "score" and not claim.unit:
            self.unit = PERCENT
            if 0.0 < claim.value <= 1.0:
                self.value, self.scaled = claim.value * 100.0, True


def _is_percent_table(cells: Sequence[Cell], facts: placement.MetricFacts) -> bool:
    return facts.percent or any(c.claim.kind == "score" and c.claim.unit == PERCENT for c in cells)


def _group(scaled: Sequence[_Scaled]) -> list[list[_Scaled]]:
    """Cells of one paper, subject, setting and split together, in extraction order."""
    groups: dict[tuple[str, str, str, str], list[_Scaled]] = {}
    for item in sorted(scaled, key=lambda s: s.order):
        claim = item.cell.claim
        split = placement.fold(item.cell.qualifier or "")
        key = (
            item.cell.abstract_id,
            placement.fold(claim.subject or ""),
            claim.setting or "",
            split,
        )
        groups.setdefault(key, []).append(item)
    return list(groups.values())


def _section(
    kind: Section, scaled: Sequence[_Scaled], better: Better | None, limit: int | None
) -> TableSection:
    chosen: list[tuple[_Scaled, list[_Scaled]]]
    order: Order
    groups = _group(scaled)
    if kind != "score":
        order = "largest first"
        chosen = [(max(g, key=lambda s: s.value), g) for g in groups]
        chosen.sort(key=lambda pair: -pair[0].value)
    elif better is None:
        order = "extraction order"
        chosen = [(g[0], g) for g in groups]
    else:
        order = "higher is better" if better == "higher" else "lower is better"
        sign = -1.0 if better == "higher" else 1.0
        chosen = [(min(g, key=lambda s: sign * s.value), g) for g in groups]
        chosen.sort(key=lambda pair: sign * pair[0].value)
    ranked = order != "extraction order"
    rows = []
    rank, previous = 0, None
    for position, (item, group) in enumerate(chosen[:limit], start=1):
        if item.value != previous:  # equal values share a rank ("1, 2, 2, 4")
            rank, previous = position, item.value
        rows.append(_row(item, group, rank if ranked else None))
    return TableSection(
        kind=kind, order=order, note=_NOTES[order], total=len(chosen), rows=tuple(rows)
    )


def _row(item: _Scaled, group: Sequence[_Scaled], rank: int | None) -> TableRow:
    cell, claim = item.cell, item.cell.claim
    kind: Section = (
        "score" if claim.kind == "score" else "delta" if claim.kind == "delta" else "ratio"
    )
    return TableRow(
        rank=rank,
        value=item.value,
        unit=item.unit,
        scaled=item.scaled,
        kind=kind,
        qualifier=cell.qualifier,
        abstract_id=cell.abstract_id,
        claim_index=cell.index,
        title=cell.title,
        date=cell.date,
        abstract_url=f"/v1/abstracts/{cell.abstract_id}",
        page_url=keys.claim_page(cell.abstract_id, cell.index),
        claim=claim,
        also=tuple(
            OtherClaim(
                claim_index=other.cell.index,
                value=other.value,
                unit=other.unit,
                span=other.cell.claim.span,
                start=other.cell.claim.start,
                end=other.cell.claim.end,
            )
            for other in group
            if other is not item
        ),
    )


def build_table(info: TableInfo, cells: Sequence[Cell], *, limit: int | None) -> Table:
    """The table for ``info``: its sections (those with rows), ranked, ``limit`` rows each."""
    facts = placement.metric_facts(info.metric)
    percent = _is_percent_table(cells, facts)
    scaled = [_Scaled(cell, percent) for cell in cells]
    sections = tuple(
        consistency.flag(_section(kind, members, facts.better, limit))
        for kind in SECTIONS
        if (members := [s for s in scaled if s.cell.claim.kind == kind])
    )
    return Table(
        **msgspec.structs.asdict(info),  # the catalog's identity and size, field for field
        better=facts.better,
        direction_known=facts.better is not None,
        scale=PERCENT if percent else None,
        sections=sections,
        disagreements=sum(1 for s in sections for r in s.rows if r.disagrees_with),
        url=table_url(info.id),
    )


def first_rows(table: Table, limit: int) -> Table:
    """``table`` with at most ``limit`` rows per section (``total`` still counts them all)."""
    if all(len(s.rows) <= limit for s in table.sections):
        return table
    sections = tuple(msgspec.structs.replace(s, rows=s.rows[:limit]) for s in table.sections)
    return msgspec.structs.replace(table, sections=sections)
