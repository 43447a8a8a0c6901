"""Request and response shapes that exist only at the HTTP boundary.

Requests forbid unknown fields, so a typo ("txt") is a 422 naming the field, not a silently
empty abstract. The stored shapes (``Abstract``, ``Claim``, ``JobStatus``) are the domain's own
and are returned as they are.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from claimex.extractors.model import AbstractId, Claim, ResultKind
from claimex.workers.store import ClaimHit
from claimex.workers.tables import TableInfo

_CALLBACK = (
    "optional http(s) URL that gets the job's status, signed (X-Claimex-Signature), when the "
    "job ends; its host must be in the server's CLAIMEX_WEBHOOK_ALLOW (one per request: in a "
    "batch, next to `abstracts`)"
)


class AbstractIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One abstract to extract claims from."""

    text: Annotated[str, msgspec.Meta(min_length=1, description="the abstract, as written")]
    title: str | None = None
    date: Annotated[
        str | None,
        msgspec.Meta(
            description="optional publication date, ISO 8601: YYYY-MM-DD, YYYY-MM or YYYY",
            examples=["2024-03-14"],
        ),
    ] = None
    id: Annotated[
        AbstractId | None,
        msgspec.Meta(description="optional; if sent it must equal the content id of `text`"),
    ] = None
    callback_url: Annotated[str | None, msgspec.Meta(description=_CALLBACK)] = None


class BatchIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Several abstracts in one request; they share one job."""

    abstracts: Annotated[list[AbstractIn], msgspec.Meta(min_length=1)]
    callback_url: Annotated[str | None, msgspec.Meta(description=_CALLBACK)] = None


class Accepted(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to a submission: where to poll, and each abstract's id in request order."""

    job_id: str
    abstract_ids: tuple[str, ...]
    status_url: str
    events_url: str
    """The job's server-sent events (``text/event-stream``), ending on its final status."""


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


# Comparison tables (``/v1/tables``): built by ``api.ranking`` from ``workers.tables``.

Section = ResultKind
Better = Literal["higher", "lower"]
Order = Literal["higher is better", "lower is better", "largest first", "extraction order"]


class TableSummary(TableInfo, frozen=True, kw_only=True):
    """One table of the list: what the catalog has on it, how it ranks, where to read it.

    The catalog's names, merged names and size, with which way its metric ranks (``better``)
    and the table's ``url``.
    """

    better: Better | None
    url: str


class TablesPage(msgspec.Struct, frozen=True, kw_only=True):
    """One page of ``GET /v1/tables``, largest tables first; ``next`` is the following page."""

    total: int
    limit: int
    offset: int
    items: tuple[TableSummary, ...]
    next: str | None


class OtherClaim(msgspec.Struct, frozen=True, kw_only=True):
    """Another claim of the same paper, subject and setting in this table (not the row's value)."""

    claim_index: int
    value: float
    unit: str | None
    span: str
    start: int
    end: int


class OtherReport(msgspec.Struct, frozen=True, kw_only=True):
    """The same method's number on the same table, as another paper reports it.

    Listed when the two disagree (``api.consistency``); ``own_paper``: that paper's title names
    the method.
    """

    abstract_id: str
    claim_index: int
    title: str | None
    value: float
    unit: str | None
    own_paper: bool


class TableRow(msgspec.Struct, frozen=True, kw_only=True):
    """One (paper, subject, setting) of a table: the claim as extracted and its place in it.

    ``value``/``unit`` are on the table's scale (0.885 on a percentage metric becomes 88.5 %);
    ``claim`` holds the value, unit, span, subject, sentence and offsets as written, and
    ``scaled`` says whether the two differ. ``kind`` is the table's section, ``qualifier`` the
    split the dataset was written with, ``claim_index`` the claim's place in its abstract.
    """

    rank: int | None
    value: float
    unit: str | None
    scaled: bool
    kind: Section
    qualifier: str | None
    abstract_id: str
    claim_index: int
    title: str | None
    date: str | None
    abstract_url: str
    page_url: str
    claim: Claim
    also: tuple[OtherClaim, ...] = ()
    disagrees_with: tuple[OtherReport, ...] = ()


class TableSection(msgspec.Struct, frozen=True, kw_only=True):
    """The rows of one kind: absolute scores, or changes (deltas, ratios), never mixed."""

    kind: Section
    order: Order
    note: str
    total: int
    rows: tuple[TableRow, ...]


class Table(TableInfo, frozen=True, kw_only=True):
    """One comparison table: a canonical (dataset, metric) pair and its ranked sections."""

    better: Better | None
    direction_known: bool
    scale: Literal["%"] | None
    sections: tuple[TableSection, ...]
    disagreements: int = 0
    """Rows another paper reports differently (each lists the other in ``disagrees_with``)."""
    url: str


class TimelinePoint(msgspec.Struct, frozen=True, kw_only=True):
    """A dated score of a table (``view=timeline``), and whether it set a new best."""

    date: str
    value: float
    unit: str | None
    subject: str | None
    title: str | None
    abstract_id: str
    claim_index: int
    page_url: str
    best: bool


class Timeline(msgspec.Struct, frozen=True, kw_only=True):
    """A table's scores over time: every dated row, oldest first, and the best so far.

    ``steps`` holds the best so far after each row, one step per new best, when the metric's
    direction is known.
    """

    id: str
    dataset: str
    metric: str
    better: Better | None
    points: tuple[TimelinePoint, ...]
    steps: tuple[TimelinePoint, ...]
    undated: int
    note: str
    url: str
