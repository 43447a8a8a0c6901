"""Every error the API returns is an RFC 9457 problem; this module decides which and how.

Domain errors from ``workers.errors`` and Redis outages are mapped here, in one place; body
validation errors carry the JSON path of what is wrong; anything unexpected becomes a bare 500
whose details go to the log, never to the client.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import msgspec
import redis
from litestar import Request, Response
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from litestar.types import ExceptionHandlersMap

from workers.errors import AbstractNotFound, JobNotFound, TableNotFound

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "5"


def invalid_body(
    error: msgspec.ValidationError | str, *, path: str = "$"
) -> ProblemDetailsException:
    """A 422 for a body that is JSON but not a valid submission, naming where it is wrong.

    msgspec ends its messages with `` - at `$.path` ``; that path is split off into ``errors``.
    """
    message = str(error)
    head, sep, tail = message.rpartition(" - at `")
    if sep and tail.endswith("`"):
        message, path = head, tail[:-1]
    return ProblemDetailsException(
        status_code=422,
        title="Invalid request body",
        detail=f"{message} (at {path})",
        extra={"errors": [{"path": path, "message": message}]},
    )


def malformed_body(error: msgspec.DecodeError) -> ProblemDetailsException:
    """A 400 for a body that is not JSON at all."""
    return ProblemDetailsException(
        status_code=400, title="Malformed request body", detail=str(error)
    )


def _not_found(exc: AbstractNotFound | JobNotFound | TableNotFound) -> ProblemDetailsException:
    return ProblemDetailsException(status_code=404, title="Not found", detail=str(exc))


def _redis_down(exc: redis.exceptions.RedisError) -> ProblemDetailsException:
    log.warning("Redis unavailable: %s", exc)
    return ProblemDetailsException(
        status_code=503,
        title="Service unavailable",
        detail="the store (Redis) is not answering; try again shortly",
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def _internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    problem = ProblemDetailsException(
        status_code=500, title="Internal server error", detail="the error has been logged"
    )
    return problem.to_response(request)


_MAP: dict[type[Exception], Callable[[Any], ProblemDetailsException]] = {
    AbstractNotFound: _not_found,
    JobNotFound: _not_found,
    TableNotFound: _not_found,
    redis.exceptions.ConnectionError: _redis_down,
    redis.exceptions.TimeoutError: _redis_down,
}


def problem_details_plugin() -> ProblemDetailsPlugin:
    """Problem details for every HTTP exception and for the domain errors above."""
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            enable_for_all_http_exceptions=True, exception_to_problem_detail_map=_MAP
        )
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {Exception: _internal_error}
"""The last resort: registered on the app so no traceback ever reaches a client."""
