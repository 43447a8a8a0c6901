"""The claim indexes: one entry per abstract and value, the abstract's claim numbers beside it.

An index entry per *claim* cost about 100 bytes of Redis for each of the five indexes a claim
is in (a sorted-set member is a string, a hash entry and a skip-list node), so a text dense in
numbers stored twenty bytes per byte accepted. Here every index is a sorted set of *abstract*
ids scored by receipt time, and which of the abstract's claims it covers is a bitmap in the
abstract's postings hash:

- ``index:{name}`` — abstract id → receipt time and how many of its claims the index covers
  (``score``), for ``name`` = ``all``, ``kind:score``, ``metric:accuracy``, …
  (``keys.index_name``);
- ``postings:{abstract_id}`` — ``name`` → the bitmap of its claims under that name
  (bit ``n`` set: the abstract's ``n``-th claim; at most ``limits.MAX_CLAIMS`` bits);
- ``index-sizes`` — ``name`` → how many claims the index covers, so a page of one filter knows
  its total without reading the index.

An abstract has at most ``limits.MAX_INDEX_VALUES_PER_ABSTRACT`` metric, dataset and subject
names indexed (its first), plus ``all`` and its kinds, so its index cost is bounded whatever
its claims are. Writes go in the caller's MULTI with the claims; sizes move by the difference
between the abstract's previous and new claims, so writing the same claims again changes
nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import msgspec

from claimex.extractors.model import Claim
from claimex.workers import keys, limits

if TYPE_CHECKING:
    import redis

NAMED_FIELDS = ("metric", "dataset", "subject")
"""Claim fields indexed under their value, within the per-abstract limit (kinds always are)."""

COUNT_BASE = 256
"""An index member's score is ``receipt milliseconds * COUNT_BASE + claims under the index``:
sorted by receipt time, and a walk to a page skips abstracts without reading their postings
(``limits.MAX_CLAIMS`` < ``COUNT_BASE``; the product stays within a double's exact integers)."""


def score(received_at: float, claims: int) -> int:
    """The sort key of an abstract in an index where ``claims`` of its claims are."""
    return int(received_at * 1000) * COUNT_BASE + claims


def received_ms(score: float) -> int:
    """The receipt time, in milliseconds, of an index score."""
    return int(score) // COUNT_BASE


def to_bitmap(numbers: Iterable[int]) -> bytes:
    """Claim numbers as a little-endian bitmap: bit ``n`` of byte ``n // 8``."""
    mask = 0
    for n in numbers:
        mask |= 1 << n
    return mask.to_bytes((mask.bit_length() + 7) // 8, "little")


def from_bitmap(blob: bytes | None) -> int:
    """The bitmap as an int (``None``, an absent entry, is the empty set)."""
    return int.from_bytes(blob, "little") if blob else 0


def numbers(mask: int) -> list[int]:
    """The claim numbers set in ``mask``, ascending."""
    out = []
    n = 0
    while mask:
        if mask & 1:
            out.append(n)
        mask >>= 1
        n += 1
    return out


def masks(claims: Sequence[Claim]) -> dict[str, int]:
    """Per index name, the bitmap of the claims in it.

    The names are ``all``, each kind, and the first ``limits.MAX_INDEX_VALUES_PER_ABSTRACT``
    distinct metric, dataset and subject names.
    """
    out: dict[str, int] = defaultdict(int)
    named: set[str] = set()
    for n, claim in enumerate(claims):
        bit = 1 << n
        out[keys.ALL_CLAIMS] |= bit
        out[keys.index_name("kind", claim.kind)] |= bit
        for field in NAMED_FIELDS:
            value = getattr(claim, field)
            if not value:
                continue
            name = keys.index_name(field, value)
            if name not in named:
                if len(named) >= limits.MAX_INDEX_VALUES_PER_ABSTRACT:
                    continue
                named.add(name)
            out[name] |= bit
    return dict(out)


class Change(msgspec.Struct, frozen=True):
    """One abstract's claims before and after an extraction, with its receipt time."""

    abstract_id: str
    received_at: float
    claims: Sequence[Claim]
    old_claims: Sequence[Claim] = ()


def queue_writes(pipe: redis.client.Pipeline, changes: Iterable[Change]) -> None:
    """Queue on ``pipe`` (the MULTI that stores the claims) the index updates of a batch.

    One ZADD and one ZREM per index key for the whole batch, one postings write per abstract.
    """
    additions: dict[str, dict[str, float]] = defaultdict(dict)
    removals: dict[str, list[str]] = defaultdict(list)
    sizes: Counter[str] = Counter()
    for change in changes:
        old, new = masks(change.old_claims), masks(change.claims)
        for name, mask in old.items():
            sizes[name] -= mask.bit_count()
            if name not in new:
                removals[name].append(change.abstract_id)
        for name, mask in new.items():
            sizes[name] += mask.bit_count()
            additions[name][change.abstract_id] = score(change.received_at, mask.bit_count())
        postings = keys.postings(change.abstract_id)
        pipe.delete(postings)
        if new:
            pipe.hset(postings, mapping={n: to_bitmap(numbers(m)) for n, m in new.items()})
    for name, members in removals.items():
        pipe.zrem(keys.claim_index(name), *members)
    for name, scored in additions.items():
        pipe.zadd(keys.claim_index(name), scored)
    for name, by in sizes.items():
        if by:
            pipe.hincrby(keys.index_sizes(), name, by)


class Hits(msgspec.Struct, frozen=True):
    """A page of an index query: per abstract, the claim numbers on the page; and the total."""

    total: int
    page: list[tuple[str, list[int]]]


def _page_of(
    ordered: Iterable[tuple[str, int]], offset: int, limit: int
) -> list[tuple[str, list[int]]]:
    """Claims ``offset`` to ``offset + limit`` of abstracts in order, each with its mask."""
    page: list[tuple[str, list[int]]] = []
    before = taken = 0  # claims of the abstracts before this one; claims on the page so far
    for abstract_id, mask in ordered:
        if taken >= limit:
            break
        found = numbers(mask)
        if before + len(found) > offset:
            start = max(0, offset - before)
            chosen = found[start : start + limit - taken]
            page.append((abstract_id, chosen))
            taken += len(chosen)
        before += len(found)
    return page


def _walk(connection: redis.Redis, name: str, offset: int, limit: int) -> tuple[int, list[str]]:
    """The abstracts of one index that hold its claims ``offset`` to ``offset + limit``.

    With them, how many claims come before the first of them (counts read from the scores).
    Every member holds at least one claim, so the first ``offset + limit`` members are enough.
    """
    members: list[tuple[bytes, float]]
    members = connection.zrange(keys.claim_index(name), 0, offset + limit - 1, withscores=True)  # type: ignore[assignment]
    before = 0
    for i, (_, scored) in enumerate(members):
        count = int(scored) % COUNT_BASE
        if before + count > offset:
            return before, [m.decode() for m, _ in members[i : i + limit]]
        before += count
    return before, []


def one(connection: redis.Redis, name: str, *, limit: int, offset: int) -> Hits:
    """A page of one index: its total from ``index-sizes``, its claims from the postings.

    The page's claims are read from the abstracts the scores say hold them, and their postings.
    """
    total = int(connection.hget(keys.index_sizes(), name) or 0)
    if offset >= total or limit <= 0:
        return Hits(total=total, page=[])
    before, members = _walk(connection, name, offset, limit)
    pipe = connection.pipeline(transaction=False)
    for member in members:
        pipe.hget(keys.postings(member), name)
    masks = [(m, from_bitmap(b)) for m, b in zip(members, pipe.execute(), strict=True)]
    return Hits(total=total, page=_page_of(masks, offset - before, limit))


def every(
    connection: redis.Redis, filters: Sequence[Sequence[str]], *, limit: int, offset: int
) -> Hits:
    """A page of the claims under every filter, a filter being any of its names.

    A filter's names are the spellings of one canonical dataset or metric. The abstracts in all
    filters' indexes are found first, then per abstract the claims whose bits every filter sets.
    """
    sizes = connection.pipeline(transaction=False)
    for names in filters:
        for name in names:
            sizes.zcard(keys.claim_index(name))
    cards = iter(sizes.execute())
    sized = [(sum(next(cards) for _ in names), i) for i, names in enumerate(filters)]
    by_size = [filters[i] for _, i in sorted(sized)]
    # The smallest filter's abstracts, then kept only where every other filter has them too:
    # the cost is bounded by the smallest filter, not by the largest index.
    pipe = connection.pipeline(transaction=False)
    for name in by_size[0]:
        pipe.zrange(keys.claim_index(name), 0, -1, withscores=True)
    common: dict[bytes, float] = {}
    for reply in pipe.execute():
        common.update(reply)
    for names in by_size[1:]:
        if not common:
            break
        candidates = list(common)
        pipe = connection.pipeline(transaction=False)
        for name in names:
            pipe.zmscore(keys.claim_index(name), candidates)  # type: ignore[arg-type]
        present = [any(s is not None for s in found) for found in zip(*pipe.execute(), strict=True)]
        common = {m: common[m] for m, kept in zip(candidates, present, strict=True) if kept}
    ordered = sorted(common.items(), key=lambda pair: (received_ms(pair[1]), pair[0]))
    selected = _claims_in_all(connection, [m.decode() for m, _ in ordered], filters)
    total = sum(mask.bit_count() for _, mask in selected)
    return Hits(total=total, page=_page_of(selected, offset, limit))


def _claims_in_all(
    connection: redis.Redis, members: Sequence[str], filters: Sequence[Sequence[str]]
) -> list[tuple[str, int]]:
    """Per abstract, the bitmap of its claims under every filter (any name of each).

    The abstracts with none are left out. One round trip.
    """
    if not members:
        return []
    pipe = connection.pipeline(transaction=False)
    wanted = [name for names in filters for name in names]
    for member in members:
        pipe.hmget(keys.postings(member), wanted)
    selected: list[tuple[str, int]] = []
    for member, blobs in zip(members, pipe.execute(), strict=True):
        by_name = dict(zip(wanted, blobs, strict=True))
        mask = -1
        for names in filters:
            either = 0
            for name in names:
                either |= from_bitmap(by_name[name])
            mask &= either
        if mask > 0:
            selected.append((member, mask))
    return selected
