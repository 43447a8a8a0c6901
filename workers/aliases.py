"""Abbreviations shared by the store: one abstract's "Penn Treebank (PTB)" places another's PTB.

An abstract's own definitions (``placement.abbreviations``) already place its claims. Every
stored abstract's definitions are also registered here, once per short form and first come
first kept (``HSETNX``): a short form never changes meaning under claims it placed. A batch's
claims are then placed with the registry's long forms for the names their own abstract does not
define (``resolve``, one round trip per batch).

A short form registered for the first time may name claims stored before it was known: those
abstracts are placed again with it (``place_earlier``), their claims unchanged, so that the
order abstracts arrive in does not decide which table their results share. Where the tables had
put each claim is recorded (``workers.table_writes``), so placing again moves rows out of the
right table. A worker that dies between registering a short form and placing the earlier
abstracts leaves those where they were until they are extracted again (``backfill
--reextract``); nothing is lost, the tables are only less merged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import redis

from claimex.extractors import canonical
from claimex.workers import keys, limits, store
from claimex.workers.placement import TABLE_KINDS, abbreviations

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from claimex.extractors.model import Claim

PLACE_AGAIN_CLAIMS = 200
"""Claims read per new short form and field when placing earlier abstracts again."""
PLACE_AGAIN_ABSTRACTS = 100
"""Most earlier abstracts one write places again: what a new short form may cost a write."""


def _names(claims: Iterable[Claim]) -> set[str]:
    """The folded dataset and metric names of the claims that may go to a table."""
    out: set[str] = set()
    for c in claims:
        if c.kind in TABLE_KINDS and c.dataset and c.metric:
            out.update(filter(None, (canonical.fold(c.dataset), canonical.fold(c.metric))))
    return out


def resolve(
    connection: redis.Redis, batch: Sequence[store.Extracted]
) -> tuple[list[store.Extracted], list[str]]:
    """The batch with the store's abbreviations for its claims, and the short forms it taught.

    Registers every definition of the batch's abstracts and reads the long forms of its claims'
    names in one pipeline; the batch's own definitions count for each other.
    """
    defined = [
        pair
        for e in batch
        for pair in list(abbreviations(e.abstract.text).items())[: limits.MAX_ALIASES_PER_ABSTRACT]
    ]
    names = sorted(set().union(*(_names(e.claims) for e in batch)))
    if not defined and not names:
        return list(batch), []
    pipe = connection.pipeline(transaction=False)
    for short, long in defined:
        pipe.hsetnx(keys.aliases(), short, long)
    for short, long in defined:
        if key := canonical.dataset_key(long):
            pipe.hsetnx(keys.aliases_by_long(), key, short)
    if names:
        pipe.hmget(keys.aliases(), names)
    replies = pipe.execute()
    known = _known(names, replies[-1] if names else [])
    learned = [short for (short, _), new in zip(defined, replies, strict=False) if new]
    out = [
        msgspec.structs.replace(e, known={n: known[n] for n in _names(e.claims) if n in known})
        for e in batch
    ]
    return out, learned


def _known(names: Sequence[str], long_forms: Sequence[bytes | None]) -> dict[str, str]:
    """Name → long form, for the names the registry holds (``HMGET``'s reply for ``names``)."""
    return {n: v.decode() for n, v in zip(names, long_forms, strict=True) if v is not None}


def place_earlier(connection: redis.Redis, learned: Sequence[str], done: Iterable[str]) -> int:
    """Place again the stored abstracts with claims named by a newly ``learned`` short form.

    ``done`` are the abstracts just written (placed with it already). Returns how many were
    placed again, at most ``PLACE_AGAIN_ABSTRACTS``.
    """
    skip = set(done)
    affected: list[str] = []
    for short in learned:
        for where in (store.ClaimFilter(dataset=short), store.ClaimFilter(metric=short)):
            page = store.find_claims(connection, where, limit=PLACE_AGAIN_CLAIMS, offset=0)
            for hit in page.items:
                # the filter also finds the long form's claims, which are placed right already
                if hit.abstract_id not in skip and short in _names([hit.claim]):
                    skip.add(hit.abstract_id)
                    affected.append(hit.abstract_id)
    affected = affected[:PLACE_AGAIN_ABSTRACTS]
    return sum(_place_again(connection, abstract_id) for abstract_id in affected)


def _place_again(connection: redis.Redis, abstract_id: str) -> bool:
    """Re-store one abstract's claims as they are, placed with the registry as it is now.

    Optimistic: should another write change its claims meanwhile, that write placed them.
    """
    watched = (keys.abstract(abstract_id), keys.claims(abstract_id), keys.table_places(abstract_id))
    with connection.pipeline(transaction=True) as pipe:
        try:
            pipe.watch(*watched)  # type: ignore[no-untyped-call]
            blobs: list[bytes | None] = pipe.mget(watched)  # type: ignore[assignment]
            loaded = store.decode_loaded(*blobs)
            claims = loaded.old_claims
            if loaded.abstract is None or not claims:
                return False
            names = sorted(_names(claims))
            long_forms: list[bytes | None] = []
            if names:
                long_forms = pipe.hmget(keys.aliases(), names)  # type: ignore[assignment]
            known = _known(names, long_forms)
            entry = store.Extracted(loaded.abstract, claims, claims, loaded.old_places, known)
            pipe.multi()
            store.write_claims(pipe, [entry])
            pipe.execute()
        except redis.WatchError:
            return False
    return True
