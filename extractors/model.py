"""The claimex domain model: one definition, shared by the extractor, the store and the API.

Field names follow ``shared/DESIGN.md`` and ``shared/eval/GUIDELINES.md``; every record is a
frozen msgspec ``Struct`` so it encodes to JSON without glue code and cannot drift between layers.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

import msgspec

EXTRACTOR_VERSION = "0.3.0"

Kind = Literal["score", "delta", "ratio", "count", "other"]
ResultKind = Literal["score", "delta", "ratio"]
"""The kinds that report a result on a benchmark: only they key comparison tables."""
RESULT_KINDS: tuple[ResultKind, ...] = ("score", "delta", "ratio")
"""``ResultKind``'s values, in the order a table shows its sections; the one definition."""
Direction = Literal["up", "down"]
# How the text hedges the number: "up to 73%" is at_most, "over 90%" at_least, "~400" approximate.
Bound = Literal["at_most", "at_least", "approximate"]

# How a claim is tied to the claim before it: "92.7-98.1%" (range), "81.1%, 95.8% and 80%"
# (list), "84.3% vs. 83.1%" (versus).
Joined = Literal["range", "list", "versus"]

Offset = Annotated[int, msgspec.Meta(ge=0)]
Confidence = Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]
AbstractId = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{16}$")]


class Claim(msgspec.Struct, frozen=True, kw_only=True):
    """One quantity stated by an abstract, with what it measures and where it stands.

    ``text[start:end] == span`` and ``text[sentence_start:sentence_end] == sentence`` hold for the
    abstract text the claim was extracted from.
    """

    span: str
    start: Offset
    end: Offset
    value: float
    unit: str | None
    kind: Kind
    direction: Direction | None = None
    bound: Bound | None = None
    metric: str | None = None
    dataset: str | None = None
    subject: str | None = None
    baseline: str | None = None
    setting: str | None = None
    joined: Joined | None = None
    # Where the unit or counted noun is written when it stands outside the span
    # ("31 Japanese NLP tasks": span "54", text[unit_start:unit_end] "Chinese NLP tasks").
    unit_start: Offset | None = None
    unit_end: Offset | None = None
    sentence: str
    sentence_start: Offset
    sentence_end: Offset
    confidence: Confidence = 0.5
    extractor_version: str = EXTRACTOR_VERSION


def abstract_id(text: str) -> str:
    """The content id of an abstract: first 16 hex digits of SHA-256 of its UTF-8 text.

    Lone surrogates are not valid UTF-8; they are encoded as their code units
    (``surrogatepass``) so that every ``str`` has an id and distinct strings keep distinct ids.
    """
    data = text.encode("utf-8", errors="surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


class Abstract(msgspec.Struct, frozen=True, kw_only=True):
    """An abstract as stored: its text, where it came from, and the claims found in it.

    ``claims`` is ``None`` until a worker has extracted them (an empty tuple means "none found").
    """

    id: AbstractId
    text: str
    title: str | None = None
    source: str | None = None
    received_at: float | None = None  # seconds since the epoch, UTC
    claims: tuple[Claim, ...] | None = None
    date: str | None = None  # when it was published, ISO 8601: "2024-03-14", "2024-03", "2024"
