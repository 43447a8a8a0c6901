"""The Redis store: abstracts, their claims, and the indexes that answer claim queries.

Layout (every key from ``workers.keys``):

- ``abstract:{id}`` — the ``Abstract`` record without claims, msgpack; written once, never
  overwritten, so a re-sent abstract keeps its first receipt time.
- ``claims:{id}`` — the extracted claims (``workers.records``: offsets into the abstract's text,
  never copies of it); its presence means "extracted".
- ``index:all`` and ``index:{metric|dataset|subject|kind}:{value}`` — sorted sets of abstract
  ids scored by receipt time, with each abstract's claims under them as bitmaps
  (``workers.postings``), so a filter reads one set, or combines a few, and never scans the
  abstracts; an index's cost is per abstract, not per claim.
- the comparison tables' indexes (canonical pairs, merged names), kept by
  ``workers.table_writes``, and where each abstract's claims went (``tbl-places:{id}``).

Claims and their index entries of one batch are written in a single MULTI, so a reader sees an
abstract either with all its claims indexed or not extracted at all; re-writing the same claims
re-adds the same members and moves no count, which is how the extraction job stays idempotent.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import msgspec

from claimex.extractors import canonical
from claimex.extractors.model import Abstract, Claim
from claimex.workers import events, keys, limits, postings, records, table_writes
from claimex.workers.errors import AbstractNotFound
from claimex.workers.placement import Placed, decode_places

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    import redis

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
    """What the extraction job needs of one abstract: the record, its claims and their tables."""

    abstract: Abstract | None
    old_claims: tuple[Claim, ...]
    old_places: Placed | None = None  # None: no record of where they went


def load_for_extraction(
    connection: redis.Redis, abstract_ids: Sequence[str], marker: str
) -> list[Loaded]:
    """Read a batch of abstracts in one round trip and mark their pending markers ``marker``.

    The marker is only replaced where one exists (``XX``), keeping its time-to-live, so a job
    that runs again after its abstracts were finished does not leave stale markers behind.
    The jobs waiting on these abstracts get their ``started`` event (``workers.events``).
    """
    pipe = connection.pipeline(transaction=False)
    for abstract_id in abstract_ids:
        pipe.get(keys.abstract(abstract_id))
        pipe.get(keys.claims(abstract_id))
        pipe.get(keys.table_places(abstract_id))
        pipe.set(keys.pending(abstract_id), marker, xx=True, keepttl=True)
    events.queue_started(pipe, abstract_ids)
    replies = pipe.execute()
    return [decode_loaded(*replies[4 * i : 4 * i + 3]) for i in range(len(abstract_ids))]


def decode_loaded(record: bytes | None, claims: bytes | None, places: bytes | None) -> Loaded:
    """One abstract as read from its record, claims and table places keys (any may be absent)."""
    abstract = None if record is None else _abstract_decoder.decode(record)
    old: tuple[Claim, ...] = ()
    if claims is not None and abstract is not None:
        old = records.unpack(claims, abstract.text)
    where = None if places is None else decode_places(places)
    return Loaded(abstract=abstract, old_claims=old, old_places=where)


def table_places(connection: redis.Redis, abstract_id: str) -> Placed:
    """Which tables hold the abstract's claims (claim number → its table), as last written."""
    blob = connection.get(keys.table_places(abstract_id))
    return [] if blob is None else decode_places(as_bytes(blob))


class Extracted(msgspec.Struct, frozen=True):
    """One abstract's new claims, and the claims a previous extraction stored (to replace).

    ``old_places`` is where those old claims went; ``known`` the abbreviations other abstracts
    define that apply to the new claims (``workers.aliases``).
    """

    abstract: Abstract
    claims: tuple[Claim, ...]
    old_claims: tuple[Claim, ...] = ()
    old_places: Placed | None = None
    known: dict[str, str] | None = None


def write_claims(pipe: redis.client.Pipeline, batch: Iterable[Extracted]) -> None:
    """Queue on ``pipe`` (a MULTI) the commands that replace a batch's claims.

    With the claims go their index entries (``workers.postings``), the spellings of their names
    and their tables.

    Index entries and table rows of the old claims (a previous extraction) are replaced, so an
    extractor that now finds fewer or different claims leaves no orphans; storing identical
    claims again changes no count.
    """
    batch = list(batch)
    blobs = {keys.claims(item.abstract.id): records.pack(item.claims) for item in batch}
    if blobs:
        pipe.mset(blobs)
    postings.queue_writes(
        pipe,
        (
            postings.Change(i.abstract.id, i.abstract.received_at or 0.0, i.claims, i.old_claims)
            for i in batch
        ),
    )
    for key, spelled in _spellings(batch).items():
        pipe.sadd(key, *spelled)
    # The comparison tables move with the claims, in the same MULTI.
    table_writes.queue_writes(
        pipe,
        (
            table_writes.Change(i.abstract, i.claims, i.old_claims, i.old_places, i.known)
            for i in batch
        ),
    )


def _spellings(batch: Sequence[Extracted]) -> dict[str, set[str]]:
    """The spellings each canonical metric and dataset key is indexed under.

    At most ``limits.MAX_INDEX_VALUES_PER_ABSTRACT`` per abstract. A set only grows: a spelling
    whose claims are gone leaves an empty index behind, which a filter reads as nothing.
    """
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


def _filter_names(connection: redis.Redis, where: ClaimFilter) -> list[list[str]]:
    """Per given filter, the index names whose union it reads.

    Its own value's and, for a metric or dataset, every spelling stored under the same canonical
    key.
    """
    given = [(f, v) for f in INDEXED_FIELDS if (v := getattr(where, f)) is not None]
    named = [(f, v) for f, v in given if f in CANONICAL_KEY]
    partners = _alias_partners(connection, named)
    pipe = connection.pipeline(transaction=False)
    for field, value in named:
        for name in (value, *partners[field, value]):
            pipe.smembers(keys.spellings(field, CANONICAL_KEY[field](name)))
    spelled = iter(pipe.execute() if named else ())
    out = []
    for field, value in given:
        values = [keys.normalise(value)]
        if field in CANONICAL_KEY:
            for _ in range(1 + len(partners[field, value])):
                values += sorted(v.decode() for v in next(spelled))
        out.append([keys.index_name(field, v) for v in dict.fromkeys(values)])
    return out


def _alias_partners(
    connection: redis.Redis, named: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], list[str]]:
    """For each (field, value) filter, the other form of the abbreviation the store knows.

    "PTB" → "Penn Treebank" when some abstract defined it; a dataset's long form → its short
    form (``workers.aliases``). Empty without such filters, at no round trip.
    """
    if not named:
        return {}
    pipe = connection.pipeline(transaction=False)
    for field, value in named:
        pipe.hget(keys.aliases(), canonical.fold(value))
        if field == "dataset":  # the reverse map is kept for datasets only
            pipe.hget(keys.aliases_by_long(), canonical.dataset_key(value))
    replies = iter(pipe.execute())
    out = {}
    for field, value in named:
        found = [next(replies), next(replies) if field == "dataset" else None]
        out[field, value] = [r.decode() for r in found if r is not None]
    return out


def find_claims(
    connection: redis.Redis, where: ClaimFilter, *, limit: int, offset: int
) -> ClaimPage:
    """Claims matching every given filter, oldest abstract first, one page of them.

    One filter of one spelling (or none) walks one index from its start to the page, its
    total kept beside it; several filters or spellings combine their indexes' abstracts and
    then the claim bitmaps of those abstracts (``workers.postings``).
    """
    filters = _filter_names(connection, where)
    if len(filters) <= 1 and all(len(names) == 1 for names in filters):
        name = filters[0][0] if filters else keys.ALL_CLAIMS
        hits = postings.one(connection, name, limit=limit, offset=offset)
    else:
        hits = postings.every(connection, filters, limit=limit, offset=offset)
    return ClaimPage(total=hits.total, items=tuple(_resolve(connection, hits.page)))


def _resolve(connection: redis.Redis, page: Sequence[tuple[str, list[int]]]) -> Iterable[ClaimHit]:
    """The claims of a page, one MGET for all their abstracts."""
    if not page:
        return
    # Claims are stored without their text (``workers.records``): the abstracts come along.
    blobs: list[Any] = connection.mget(
        [k for i, _ in page for k in (keys.claims(i), keys.abstract(i))]
    )
    rows = zip(page, blobs[::2], blobs[1::2], strict=True)
    for (abstract_id, chosen), claims_blob, record in rows:
        if claims_blob is None or record is None:
            continue
        claims = records.unpack(claims_blob, _abstract_decoder.decode(record).text)
        for n in chosen:
            # A bit can outlive its claim for the instant between two writers; skip it.
            if n < len(claims):
                yield ClaimHit(abstract_id=abstract_id, index=n, claim=claims[n])
