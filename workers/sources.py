"""What every reader of a backfill source yields: records, and the problems it skipped."""

from __future__ import annotations

from collections.abc import Callable

import msgspec


class SourceRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One abstract as read from a source, with where it was found.

    ``id`` is always the content id (``abstract_id(text)``) so that the same abstract read from
    two files is recognised as one; an id the input itself gives is kept as ``external_id``.
    """

    text: str
    id: str
    title: str | None = None
    external_id: str | None = None
    date: str | None = None  # ISO 8601 (``workers.dates``), when the source says
    source: str
    line: int  # 1-based line where the record (for pages: the abstract paragraph) starts


class Problem(msgspec.Struct, frozen=True):
    """A record that was skipped, and why; ``str()`` gives the ``file:line: reason`` line."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


OnProblem = Callable[[Problem], None]
