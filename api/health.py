"""``/health``: the process answers (liveness) and Redis answers (readiness)."""

from __future__ import annotations

import redis
from litestar import get
from litestar.plugins.problem_details import ProblemDetailsException

from claimex.api.dependencies import Db
from claimex.api.errors import RETRY_AFTER_SECONDS
from claimex.api.schemas import Health


@get("/health", sync_to_thread=True)
def health(db: Db) -> Health:
    """200 when ready; 503 (a problem with ``live: true, ready: false``) while Redis is down."""
    try:
        db.ping()
    except redis.exceptions.RedisError as exc:
        raise ProblemDetailsException(
            status_code=503,
            title="Not ready",
            detail=f"Redis is not answering: {type(exc).__name__}",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
            extra={"live": True, "ready": False, "redis": "unreachable"},
        ) from None
    return Health(live=True, ready=True, redis="ok")
