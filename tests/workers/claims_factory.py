"""Hand-made abstracts and claims, so store tests do not depend on what the extractor finds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimex.extractors.model import Abstract, Claim, abstract_id
from claimex.workers import keys, store

if TYPE_CHECKING:
    import redis


def make_claim(text: str, span: str, **fields: object) -> Claim:
    """A claim whose span is found in ``text``; ``fields`` override the defaults."""
    start = text.index(span)
    values: dict[str, object] = {
        "span": span,
        "start": start,
        "end": start + len(span),
        "value": float(span.rstrip("%x")),
        "unit": "%",
        "kind": "score",
        "sentence": text,
        "sentence_start": 0,
        "sentence_end": len(text),
    }
    values |= fields
    return Claim(**values)  # type: ignore[arg-type]


def put_abstract(db: redis.Redis, text: str, received_at: float = 1000.0) -> Abstract:
    """Store an abstract record as admission would, without queueing anything."""
    abstract = Abstract(id=abstract_id(text), text=text, source="test", received_at=received_at)
    db.set(keys.abstract(abstract.id), store.encode_abstract(abstract))
    return abstract


def put_claims(
    db: redis.Redis, abstract: Abstract, claims: tuple[Claim, ...], old: tuple[Claim, ...] = ()
) -> None:
    """Write claims and their index entries in one MULTI, as the job does."""
    pipe = db.pipeline(transaction=True)
    store.write_claims(pipe, [store.Extracted(abstract, claims, old)])
    pipe.execute()
