"""``/v1/claims``: claims filtered by metric, dataset, subject and kind, a page at a time."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

import msgspec
from litestar import get
from litestar.params import FromQuery, QueryParameter

from claimex.api.dependencies import Db
from claimex.api.errors import MAX_OFFSET, problem_responses
from claimex.api.schemas import ClaimsPage
from claimex.extractors.model import Kind
from claimex.workers import store

MAX_LIMIT = 500


@get("/v1/claims", sync_to_thread=True, responses=problem_responses())
def list_claims(
    *,
    db: Db,
    metric: FromQuery[str | None] = None,
    dataset: FromQuery[str | None] = None,
    subject: FromQuery[str | None] = None,
    kind: FromQuery[Kind | None] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET)] = 0,
) -> ClaimsPage:
    """Claims matching every filter given (case-insensitive), oldest abstracts first."""
    where = store.ClaimFilter(metric=metric, dataset=dataset, subject=subject, kind=kind)
    page = store.find_claims(db, where, limit=limit, offset=offset)
    following = None
    if offset + limit < page.total:
        query = {k: v for k, v in msgspec.structs.asdict(where).items() if v is not None}
        query |= {"limit": str(limit), "offset": str(offset + limit)}
        following = "/v1/claims?" + urlencode(query)
    return ClaimsPage(
        total=page.total, limit=limit, offset=offset, items=page.items, next=following
    )
