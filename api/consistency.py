"""Cross-paper consistency: one method's number as two papers report it on one table.

When paper B reports method M on a table (as its baseline, say) and another paper reports M
there too, M's own paper most of all, the two numbers should agree. Score rows with the same
subject, setting and split from different papers are compared on the table's scale; when
they differ by more than ``TOLERANCE_RELATIVE`` of the larger and, on a percentage, by more
than ``TOLERANCE_POINTS``, each row lists the other report in ``disagrees_with``. A report
comes from M's own paper when that paper's title names M.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from claimex.api.schemas import OtherReport, TableRow, TableSection
from claimex.workers import placement

TOLERANCE_RELATIVE = 0.02
"""Two reports within this share of the larger one agree."""
TOLERANCE_POINTS = 0.5
"""...and so do two percentages this many points apart."""
MAX_REPORTS = 5
"""Most other reports listed on one row (its method's own paper first)."""
SELF_REFERENCES = ("our ", "the proposed ", "this ")
"""A subject that names no method of its own ("our method"): compared with nothing."""


def agree(a: float, b: float, unit: str | None) -> bool:
    """Two reports of one number, in ``unit``, agree within the tolerance."""
    gap = abs(a - b)
    points = unit == "%" and gap <= TOLERANCE_POINTS
    return points or gap <= TOLERANCE_RELATIVE * max(abs(a), abs(b))


def names_in_title(subject: str, title: str | None) -> bool:
    """The title names ``subject``: a run of its words folds to the subject ("FooNet: …")."""
    wanted = placement.fold(subject)
    words = [placement.fold(w) for w in (title or "").split()]
    for start in range(len(words)):
        run = ""
        for word in words[start:]:
            run += word
            if run == wanted:
                return True
            if len(run) >= len(wanted):
                break
    return False


def _key(row: TableRow) -> tuple[str, str, str] | None:
    subject = (row.claim.subject or "").casefold()
    if not subject or subject.startswith(SELF_REFERENCES):
        return None
    return placement.fold(subject), row.claim.setting or "", placement.fold(row.qualifier or "")


def _report(row: TableRow) -> OtherReport:
    return OtherReport(
        abstract_id=row.abstract_id,
        claim_index=row.claim_index,
        title=row.title,
        value=row.value,
        unit=row.unit,
        own_paper=names_in_title(row.claim.subject or "", row.title),
    )


def flag(section: TableSection) -> TableSection:
    """``section`` with each score row that another paper reports differently flagged."""
    if section.kind != "score":
        return section
    rows: Sequence[TableRow] = section.rows
    same: dict[tuple[str, str, str], list[int]] = {}
    for i, row in enumerate(rows):
        if (key := _key(row)) is not None:
            same.setdefault(key, []).append(i)
    others: dict[int, list[OtherReport]] = {}
    for members in same.values():
        if len(members) < 2:
            continue
        reports = {j: _report(rows[j]) for j in members}
        # Own papers first, then the most extreme values: if neither end disagrees with a
        # row, nothing between them does, so a big group costs n log n, not n squared.
        by_value = sorted(members, key=lambda j: rows[j].value)
        ends = by_value[:MAX_REPORTS] + by_value[::-1][:MAX_REPORTS]
        own = [j for j in members if reports[j].own_paper][:MAX_REPORTS]
        looked_at = list(dict.fromkeys(own + ends))
        for i in members:
            a = rows[i]
            found = [
                reports[j]
                for j in looked_at
                if rows[j].abstract_id != a.abstract_id
                and rows[j].unit == a.unit
                and not agree(a.value, rows[j].value, a.unit)
            ]
            if found:
                others[i] = found[:MAX_REPORTS]
    if not others:
        return section
    flagged = tuple(
        msgspec.structs.replace(row, disagrees_with=tuple(others[i])) if i in others else row
        for i, row in enumerate(rows)
    )
    return msgspec.structs.replace(section, rows=flagged)
