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
from litestar.openapi.datastructures import ResponseSpec
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from litestar.types import ExceptionHandlersMap

from claimex.workers.errors import AbstractNotFound, JobNotFound, TableNotFound

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "5"
PROBLEM_MEDIA_TYPE = "application/problem+json"
MAX_OFFSET = 1_000_000_000
"""Largest ``offset`` a list accepts (400 above): Redis refuses offsets past a signed 64-bit."""


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """An RFC 9457 problem: every error the API returns has this shape (and may say more)."""

    status: int
    title: str
    detail: str | None = None
    type: str | None = None


_PROBLEM_TEXTS = {
    400: "Malformed request (not JSON, not UTF-8, or a bad query or path parameter)",
    401: "An API key is needed (CLAIMEX_API_KEY / CLAIMEX_READ_KEY) and was missing or wrong",
    404: "Nothing with that id",
    413: "The body is larger than CLAIMEX_MAX_BODY_BYTES",
    415: "The body is not JSON (its Content-Type says otherwise)",
    422: "The body is JSON but not a valid submission; `errors` names the path",
    429: "Too many writes from this client; retry after `Retry-After` seconds",
    503: "The store (Redis) is not answering; retry after `Retry-After` seconds",
}


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problems a handler can answer: ``statuses`` plus 400, 401, 503."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_MEDIA_TYPE,
            description=_PROBLEM_TEXTS[status],
            generate_examples=False,
        )
        for status in sorted({400, 401, 503, *statuses})
    }


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


def invalid_query(detail: str, name: str) -> ProblemDetailsException:
    """A 400 for a query parameter whose value cannot be used, naming it."""
    return ProblemDetailsException(
        status_code=400,
        title="Invalid query parameter",
        detail=f"{detail} (query parameter {name})",
        extra={"errors": [{"path": name, "message": detail}]},
    )


def malformed_body(error: msgspec.DecodeError | str) -> ProblemDetailsException:
    """A 400 for a body that is not JSON at all (or not UTF-8, or nested too deeply)."""
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
    # %r: a path is the client's text, and a newline in it must not start a forged log line.
    log.error("unhandled error on %s %r", request.method, request.url.path, exc_info=exc)
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
