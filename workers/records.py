"""How claims are kept in Redis: compact, and never a second copy of the abstract's text.

A ``Claim`` carries its ``span`` and its ``sentence`` as strings, both slices of the abstract
text (``text[start:end]``, ``text[sentence_start:sentence_end]``). Stored as they are, every
claim of a long sentence held a copy of it — a 19.5 KB one-sentence abstract cost 24 MB. So a
stored claim keeps the offsets only, as a positional msgpack array (no field names, trailing
empty fields left out), the extractor version once per abstract, and ``unpack`` rebuilds the
full ``Claim`` from the abstract's text when it is read. Table cells (``workers.tables``) hold
the same compact claim.

Records written before this format (a msgpack array of claim maps) are still read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from claimex.extractors.model import Bound, Claim, Direction, Joined, Kind

if TYPE_CHECKING:
    from collections.abc import Sequence


class StoredClaim(msgspec.Struct, frozen=True, array_like=True, omit_defaults=True):
    """A claim without the text it points into; fields most often empty come last."""

    start: int
    end: int
    value: float
    unit: str | None
    kind: Kind
    sentence_start: int
    sentence_end: int
    confidence: float = 0.5
    metric: str | None = None
    dataset: str | None = None
    subject: str | None = None
    direction: Direction | None = None
    bound: Bound | None = None
    baseline: str | None = None
    setting: str | None = None
    joined: Joined | None = None
    unit_start: int | None = None
    unit_end: int | None = None


class StoredClaims(msgspec.Struct, frozen=True, array_like=True):
    """An abstract's claims as stored: the extractor version once, then each claim."""

    version: str
    claims: tuple[StoredClaim, ...]


_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder(StoredClaims)
_legacy_decoder = msgspec.msgpack.Decoder(tuple[Claim, ...])
_FIELDS = tuple(f for f in StoredClaim.__struct_fields__)


def compact(claim: Claim) -> StoredClaim:
    """The stored form of one claim."""
    return StoredClaim(**{name: getattr(claim, name) for name in _FIELDS})


def expand(stored: StoredClaim, text: str, version: str) -> Claim:
    """The full claim again, its span and sentence sliced from the abstract ``text``."""
    return Claim(
        span=text[stored.start : stored.end],
        sentence=text[stored.sentence_start : stored.sentence_end],
        extractor_version=version,
        **{name: getattr(stored, name) for name in _FIELDS},
    )


def pack(claims: Sequence[Claim]) -> bytes:
    """An abstract's claims as stored (``claims`` come from one extraction, one version)."""
    version = claims[0].extractor_version if claims else ""
    return _encoder.encode(StoredClaims(version, tuple(compact(c) for c in claims)))


def unpack(blob: bytes, text: str) -> tuple[Claim, ...]:
    """The claims of ``pack`` (or of the earlier format), whole again."""
    try:
        stored = _decoder.decode(blob)
    except msgspec.ValidationError:
        return _legacy_decoder.decode(blob)
    return tuple(expand(c, text, stored.version) for c in stored.claims)


def unpack_some(blob: bytes, text: str, indexes: Sequence[int]) -> dict[int, Claim]:
    """The claims at ``indexes`` of a ``pack`` blob, whole again, without rebuilding the rest.

    Indexes past its end are left out. A table reads a few claims of each paper this way.
    """
    try:
        stored = _decoder.decode(blob)
    except msgspec.ValidationError:
        claims = _legacy_decoder.decode(blob)
        return {n: claims[n] for n in indexes if n < len(claims)}
    return {
        n: expand(stored.claims[n], text, stored.version) for n in indexes if n < len(stored.claims)
    }
