"""The Redis store: abstracts, their claims, and the indexes that answer claim queries.

Layout (every key from ``workers.keys``):

- ``abstract:{id}`` — the ``Abstract`` record without claims, msgpack; written once, never
  overwritten, so a re-sent abstract keeps its first receipt time.
- ``claims:{id}`` — the extracted claims (``workers.records``: offsets into the abstract's text,
  never copies of it); its presence means "extracted".
- ``idx:all`` and ``idx:{metric|dataset|subject|kind}:{value}`` — sorted sets of claim
  references (``{abstract_id}:{n:04d}``, the n-th claim) scored by the abstract's receipt time,
  so a filter reads one set, or intersects a few, and never scans the abstracts.
- the comparison tables' indexes (canonical pairs, merged names), kept by ``workers.tables``.

Claims and their index entries of one batch are written in a single MULTI, so a reader sees an
abstract either with all its claims indexed or not extracted at all; re-writing the same claims
re-adds the same members, which is how the extraction job stays idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import msgspec
import redis

from extractors import canonical
from extractors.model import Abstract, Claim
from workers import keys, limits, records, tables
from workers.errors import AbstractNotFound

# Built once: msgspec codecs are cheap to use and comparatively costly to build.
_encoder = msgspec.msgpack.Encoder()
_abstract_decoder = msgspec.msgpack.Decoder(Abstract)

INDEXED_FIELDS = ("metric", "dataset", "subject", "kind")
"""Claim fields with an index; the order is the order of ``ClaimFilter``'s fields."""
# Fields whose filter finds every spelling that merges into one table ("ptb", "Penn Treebank").
CANONICAL_KEY: dict[str, Callable[[str], str]] = {
    "metric": canonical.metric_key,
    "dataset": canonical.dataset_key,
}


class ClaimFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Equality filters on claims; ``None`` means "any". Compared after casefolding."""

    metric: str | None = None
    dataset: str | None = None
    subject: str | None = None
    kind: str | None = None


class ClaimHit(msgspec.Struct, frozen=True, kw_only=True):
    """One claim found by a query, with the abstract it belongs to."""

    abstract_id: str
    index: int
    claim: Claim


class ClaimPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of a claim query and the size of the whole result."""

    total: int
    items: tuple[ClaimHit, ...]


def as_bytes(reply: object) -> bytes:
    """A reply as bytes: claimex never sets ``decode_responses``; redis-py types allow str."""
    assert isinstance(reply, bytes), f"expected bytes from Redis, got {type(reply).__name__}"
    return reply


def encode_abstract(abstract: Abstract) -> bytes:
    """The stored form of an abstract record (its claims are stored apart)."""
    return _encoder.encode(msgspec.structs.replace(abstract, claims=None))


def get_abstract(connection: redis.Redis, abstract_id: str) -> Abstract:
    """The abstract with its claims (``claims is None`` while not yet extracted)."""
    record, claims = connection.mget([keys.abstract(abstract_id), keys.claims(abstract_id)])
    if record is None:
        raise AbstractNotFound(abstract_id)
    abstract = _abstract_decoder.decode(as_bytes(record))
    if claims is None:
        return abstract
    return msgspec.structs.replace(abstract, claims=records.unpack(as_bytes(claims), abstract.text))


class Loaded(msgspec.Struct, frozen=True, kw_only=True):
    """What the extraction job needs of one abstract: the record and the claims it had."""

    abstract: Abstract | None
    old_claims: tuple[Claim, ...]


def load_for_extraction(
    connection: redis.Redis, abstract_ids: Sequence[str], marker: str
) -> list[Loaded]:
    """Read a batch of abstracts in one round trip and mark their pending markers ``marker``.

    The marker is only replaced where one exists (``XX``), keeping its time-to-live, so a job
    that runs again after its abstracts were finished does not leave stale markers behind.
    """
    pipe = connection.pipeline(transaction=False)
    for abstract_id in abstract_ids:
        pipe.get(keys.abstract(abstract_id))
        pipe.get(keys.claims(abstract_id))
        pipe.set(keys.pending(abstract_id), marker, xx=True, keepttl=True)
    replies = pipe.execute()
    loaded = []
    for i in range(len(abstract_ids)):
        record, claims = replies[3 * i], replies[3 * i + 1]
        abstract = None if record is None else _abstract_decoder.decode(record)
        old: tuple[Claim, ...] = ()
        if claims is not None and abstract is not None:
            old = records.unpack(claims, abstract.text)
        loaded.append(Loaded(abstract=abstract, old_claims=old))
    return loaded


def _reference(abstract_id: str, n: int) -> str:
    return f"{abstract_id}:{n:04d}"


def _split_reference(reference: str) -> tuple[str, int]:
    abstract_id, _, n = reference.rpartition(":")
    return abstract_id, int(n)


def _index_entries(claim: Claim) -> Iterable[str]:
    """The filter indexes a claim belongs in (``idx:all`` excepted)."""
    for field in INDEXED_FIELDS:
        value = getattr(claim, field)
        if value:
            yield keys.claim_index(field, value)


class Extracted(msgspec.Struct, frozen=True):
    """One abstract's new claims, and the claims a previous extraction stored (to replace)."""

    abstract: Abstract
    claims: tuple[Claim, ...]
    old_claims: tuple[Claim, ...] = ()


def write_claims(pipe: redis.client.Pipeline, batch: Iterable[Extracted]) -> None:
    """Queue on ``pipe`` the commands that replace a batch's claims and index entries.

    Entries of old claims (a previous extraction) are removed first, so an extractor that now
    finds fewer or different claims leaves no orphans; identical claims are simply re-added.
    Members are grouped per index key: one ZREM and one ZADD per key for the whole batch,
    rather than one per claim, which keeps a batch's MULTI short.
    """
    batch = list(batch)
    removals: dict[str, list[str]] = defaultdict(list)
    additions: dict[str, dict[str, float]] = defaultdict(dict)
    blobs: dict[str, bytes] = {}
    for item in batch:
        abstract_id = item.abstract.id
        for n, claim in enumerate(item.old_claims):
            for key in _index_keys(claim):
                removals[key].append(_reference(abstract_id, n))
        blobs[keys.claims(abstract_id)] = records.pack(item.claims)
        received = item.abstract.received_at or 0.0
        for n, index_keys in enumerate(_limited_index_keys(item.claims)):
            reference = _reference(abstract_id, n)
            for key in index_keys:
                additions[key][reference] = received
    for key, members in removals.items():
        pipe.zrem(key, *members)
    if blobs:
        pipe.mset(blobs)
    for key, scored in additions.items():
        pipe.zadd(key, scored)
    for key, spelled in _spellings(batch).items():
        pipe.sadd(key, *spelled)
    # The comparison tables move with the claims, in the same MULTI.
    tables.queue_writes(pipe, (tables.Change(i.abstract, i.claims, i.old_claims) for i in batch))


def _limited_index_keys(claims: Sequence[Claim]) -> Iterable[list[str]]:
    """Per claim, the indexes it goes in: ``idx:all``, its kind's, and its metric's, dataset's
    and subject's among the first ``limits.MAX_INDEX_VALUES_PER_ABSTRACT`` distinct ones of
    its abstract. (Removal reads every index a claim could be in: ZREM of an absent member
    is harmless, which keeps removal right whatever the limit was when it was written.)"""
    chosen: set[str] = set()
    for claim in claims:
        found = [keys.all_claims(), keys.claim_index("kind", claim.kind)]
        for key in _index_entries(claim):
            if key in found:
                continue
            if key not in chosen:
                if len(chosen) >= limits.MAX_INDEX_VALUES_PER_ABSTRACT:
                    continue
                chosen.add(key)
            found.append(key)
        yield found


def _spellings(batch: Sequence[Extracted]) -> dict[str, set[str]]:
    """The spellings each canonical metric and dataset key is indexed under, at most
    ``limits.MAX_INDEX_VALUES_PER_ABSTRACT`` per abstract (a set only grows: a spelling whose
    claims are gone leaves an empty index behind, which a filter reads as nothing)."""
    out: dict[str, set[str]] = defaultdict(set)
    for item in batch:
        seen: set[tuple[str, str]] = set()
        for claim in item.claims:
            for field, key_of in CANONICAL_KEY.items():
                value = getattr(claim, field)
                if not value or len(seen) >= limits.MAX_INDEX_VALUES_PER_ABSTRACT:
                    continue
                seen.add((field, value))
                out[keys.spellings(field, key_of(value))].add(keys.normalise(value))
    return out


def _filter_keys(connection: redis.Redis, where: ClaimFilter) -> list[list[str]]:
    """Per given filter, the index keys whose union it reads: its own value's and, for a
    metric or dataset, every spelling stored under the same canonical key."""
    given = [(f, v) for f in INDEXED_FIELDS if (v := getattr(where, f)) is not None]
    pipe = connection.pipeline(transaction=False)
    for field, value in given:
        if field in CANONICAL_KEY:
            pipe.smembers(keys.spellings(field, CANONICAL_KEY[field](value)))
    spelled = iter(pipe.execute() if any(f in CANONICAL_KEY for f, _ in given) else ())
    out = []
    for field, value in given:
        values = [keys.normalise(value)]
        if field in CANONICAL_KEY:
            values += sorted(v.decode() for v in next(spelled))
        out.append([keys.claim_index(field, v) for v in dict.fromkeys(values)])
    return out


def _scored(connection: redis.Redis, union: Sequence[str]) -> dict[bytes, float]:
    """Members of the union of ``union``'s sorted sets with their scores."""
    pairs: list[tuple[bytes, float]]
    if len(union) == 1:
        pairs = connection.zrange(union[0], 0, -1, withscores=True)  # type: ignore[assignment]
    else:
        pairs = connection.zunion(list(union), aggregate="MIN", withscores=True)  # type: ignore[assignment]
    return dict(pairs)


def _index_keys(claim: Claim) -> Iterable[str]:
    """The indexes a claim is a member of, scored by receipt time: ``idx:all`` and its fields'."""
    yield keys.all_claims()
    yield from _index_entries(claim)


def find_claims(
    connection: redis.Redis, where: ClaimFilter, *, limit: int, offset: int
) -> ClaimPage:
    """Claims matching every given filter, oldest abstract first, one page of them.

    One filter reads a slice of one sorted set; several intersect their sets in Redis, whose
    cost is bounded by the smallest set, not by the number of abstracts.
    """
    unions = _filter_keys(connection, where)
    if all(len(u) == 1 for u in unions) and len(unions) <= 1:
        key = unions[0][0] if unions else keys.all_claims()
        pipe = connection.pipeline(transaction=False)
        pipe.zcard(key)
        pipe.zrange(key, offset, offset + limit - 1)
        total, members = pipe.execute()
    elif all(len(u) == 1 for u in unions):
        everything = connection.zinter([u[0] for u in unions], aggregate="MIN")
        total, members = len(everything), everything[offset : offset + limit]
    else:  # a spelling merged with others: the union of their indexes, per filter
        scored = [_scored(connection, u) for u in unions]
        common = set(scored[0]).intersection(*scored[1:])
        ordered = sorted(common, key=lambda m: (scored[0][m], m))
        total, members = len(ordered), ordered[offset : offset + limit]
    references = [_split_reference(m.decode()) for m in members]
    return ClaimPage(total=total, items=tuple(_resolve(connection, references)))


def _resolve(connection: redis.Redis, references: Sequence[tuple[str, int]]) -> Iterable[ClaimHit]:
    """Fetch the claims behind references, one MGET for all their abstracts."""
    abstract_ids = list(dict.fromkeys(abstract_id for abstract_id, _ in references))
    if not abstract_ids:
        return
    # Claims are stored without their text (``workers.records``): the abstracts come along.
    blobs: list[Any] = connection.mget(
        [k for i in abstract_ids for k in (keys.claims(i), keys.abstract(i))]
    )
    by_id = {
        abstract_id: records.unpack(claims, _abstract_decoder.decode(record).text)
        for abstract_id, claims, record in zip(abstract_ids, blobs[::2], blobs[1::2], strict=True)
        if claims is not None and record is not None
    }
    for abstract_id, n in references:
        claims = by_id.get(abstract_id, ())
        # A reference can outlive its claim for the instant between two writers; skip it.
        if n < len(claims):
            yield ClaimHit(abstract_id=abstract_id, index=n, claim=claims[n])
