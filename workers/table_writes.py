"""Comparison-table writes: each stored abstract's claims moved in and out of their tables.

``queue_writes`` adds the updates to the caller's MULTI (the one that writes the claims), so
claims and tables never disagree. Counts move by the difference between an abstract's previous
and new claims: storing the same claims again changes nothing, which keeps the job idempotent.
A script at the end of the MULTI drops emptied entries and recomputes each touched summary.

Where each claim went is recorded beside the abstract (``keys.table_places``), and the next
write takes the old claims out of the tables that record names. Placement depends on more than
the claims: abbreviations another abstract defined (``workers.aliases``) and the naming rules
of the extractor version. Recomputing it could name another table than the one that holds the
rows; the record cannot. An abstract stored before records were kept is recomputed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

import msgspec

from claimex.extractors.model import Abstract, Claim
from claimex.workers import events, keys, lua, postings
from claimex.workers.placement import Place, Placed, encode_places, placed

if TYPE_CHECKING:
    from collections.abc import Iterable

    import redis

SIZE_FACTOR = 10_000_000
"""Catalog score = papers * SIZE_FACTOR + claims: sorts by papers, then by claims."""

# Run inside the batch's MULTI by its text (EVAL): a missing script would fail alone there.
_SUMMARISE = lua.source("summarise_tables")


class Change(msgspec.Struct, frozen=True):
    """One abstract's claims before and after an extraction.

    ``old_places`` is where the old claims were put (``None``: no record, recompute it);
    ``known`` the store's abbreviations that apply to the new claims.
    """

    abstract: Abstract
    claims: tuple[Claim, ...]
    old_claims: tuple[Claim, ...] = ()
    old_places: Placed | None = None
    known: dict[str, str] | None = None

    def before(self) -> Placed:
        """Where the old claims are: as recorded, else as the abstract alone places them."""
        if self.old_places is not None:
            return [(n, w) for n, w in self.old_places if n < len(self.old_claims)]
        return [(n, w) for n, _, w in placed(self.old_claims, self.abstract.text)]

    def after(self) -> Placed:
        """Where the new claims go."""
        return [(n, w) for n, _, w in placed(self.claims, self.abstract.text, self.known)]


def queue_writes(pipe: redis.client.Pipeline, changes: Iterable[Change]) -> None:
    """Queue on ``pipe`` (a MULTI) the table updates for a batch of stored claims."""
    increments: dict[str, Counter[str]] = defaultdict(Counter)
    claims: Counter[str] = Counter()
    rows: dict[str, dict[str, list[int]]] = defaultdict(dict)
    touched: dict[str, Place] = {}
    for change in changes:
        abstract_id = change.abstract.id
        for n, where in change.before():
            touched[where.id] = where
            rows[where.id].setdefault(abstract_id, [])
            claims[where.id] -= 1
            _count(increments, where.id, change.old_claims[n], -1)
        after = change.after()
        for n, where in after:
            touched[where.id] = where
            rows[where.id].setdefault(abstract_id, []).append(n)
            claims[where.id] += 1
            _count(increments, where.id, change.claims[n], +1)
        if after:
            pipe.set(keys.table_places(abstract_id), encode_places(after))
        elif change.old_places:
            pipe.delete(keys.table_places(abstract_id))
    if not touched:
        return
    _queue_rows(pipe, rows)
    for key, counter in increments.items():
        for member, by in counter.items():
            if by:
                pipe.zincrby(key, by, member)
    script_keys = [
        keys.table_catalog(),
        keys.table_summaries(),
        keys.table_versions(),
        keys.table_claims(),
        keys.table_events(),
    ]
    args: list[object] = [SIZE_FACTOR, events.TABLE_EVENTS_KEPT, keys.EVENTS_CHANNEL]
    for table, where in touched.items():
        if claims[table]:
            pipe.hincrby(keys.table_claims(), table, claims[table])
        script_keys += [
            keys.table_rows(table),
            keys.table_names(table, "dataset"),
            keys.table_names(table, "metric"),
        ]
        args += [table, where.dataset_key, where.metric_key]
    pipe.eval(_SUMMARISE, len(script_keys), *script_keys, *args)  # type: ignore[arg-type]


def _queue_rows(pipe: redis.client.Pipeline, rows: dict[str, dict[str, list[int]]]) -> None:
    """Per table, each abstract's row: its claims' bitmap, or no row once it has none."""
    for table, by_abstract in rows.items():
        gone = [a for a, numbers in by_abstract.items() if not numbers]
        if gone:
            pipe.hdel(keys.table_rows(table), *gone)
        held = {a: postings.to_bitmap(ns) for a, ns in by_abstract.items() if ns}
        if held:
            pipe.hset(keys.table_rows(table), mapping=held)  # type: ignore[arg-type]


def _count(increments: dict[str, Counter[str]], table: str, claim: Claim, by: int) -> None:
    increments[keys.table_names(table, "dataset")][claim.dataset or ""] += by
    increments[keys.table_names(table, "metric")][claim.metric or ""] += by
