"""Request and response shapes that exist only at the HTTP boundary.

Requests forbid unknown fields, so a typo ("txt") is a 422 naming the field, not a silently
empty abstract. The stored shapes (``Abstract``, ``Claim``, ``JobStatus``) are the domain's own
and are returned as they are.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from extractors.model import AbstractId
from workers.store import ClaimHit


class AbstractIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One abstract to extract claims from."""

    text: Annotated[str, msgspec.Meta(min_length=1, description="the abstract, as written")]
    title: str | None = None
    id: Annotated[
        AbstractId | None,
        msgspec.Meta(description="optional; if sent it must equal the content id of `text`"),
    ] = None


class BatchIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Several abstracts in one request; they share one job."""

    abstracts: Annotated[list[AbstractIn], msgspec.Meta(min_length=1)]


class Accepted(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to a submission: where to poll, and each abstract's id in request order."""

    job_id: str
    abstract_ids: tuple[str, ...]
    status_url: str


class ClaimsPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of ``GET /v1/claims``; ``next`` is the URL of the following page, if any."""

    total: int
    limit: int
    offset: int
    items: tuple[ClaimHit, ...]
    next: str | None


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """Liveness (the process answers) and readiness (Redis answers)."""

    live: bool
    ready: bool
    redis: Literal["ok", "unreachable"]
