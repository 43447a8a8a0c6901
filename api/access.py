"""Who may call the API: API keys on writes (and reads, if asked), a rate limit, CORS.

All of it is off unless configured (``CLAIMEX_API_KEY``, ``CLAIMEX_READ_KEY``,
``CLAIMEX_RATE_LIMIT``, ``CLAIMEX_CORS_ORIGINS``). Keys are compared in constant time and never
written to a log or a response.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar.config.cors import CORSConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.stores.redis import RedisStore
from litestar.types import Guard, Receive, Scope, Send

from api.settings import Settings
from workers import connections

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({"/health"})
"""Readable without the read key, so that load balancers and probes can check the service."""

KEY_HEADER = "x-api-key"
CHALLENGE = 'Bearer realm="claimex"'
RATE_LIMIT_STORE = "rate_limit"
RATE_LIMIT_NAMESPACE = "claimex:ratelimit"


def presented_key(connection: ASGIConnection[Any, Any, Any, Any]) -> bytes | None:
    """The key sent as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``, if any."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip().encode("utf-8", "surrogateescape")
    key = connection.headers.get(KEY_HEADER, "").strip()
    return key.encode("utf-8", "surrogateescape") if key else None


def _matches(presented: bytes | None, accepted: Sequence[str]) -> bool:
    if presented is None:
        return False
    # Every accepted key is compared, each in constant time, whatever the first gave.
    results = [hmac.compare_digest(presented, key.encode()) for key in accepted]
    return any(results)


def key_guard(settings: Settings) -> Guard | None:
    """A guard asking for the API key on writes (and a key on reads when a read key is set)."""
    if settings.api_key is None and settings.read_key is None:
        return None
    write_keys = [settings.api_key] if settings.api_key is not None else []
    read_keys = [*write_keys, settings.read_key] if settings.read_key is not None else []

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        method = connection.scope.get("method", "GET")
        if method in READ_METHODS:
            if not read_keys or method == "OPTIONS" or connection.url.path in PUBLIC_PATHS:
                return
            accepted, what = read_keys, "reading"
        else:
            if not write_keys:
                return
            accepted, what = write_keys, "writing"
        presented = presented_key(connection)
        if not _matches(presented, accepted):
            detail = (
                f"{what} needs an API key: send Authorization: Bearer <key> or X-API-Key: <key>"
                if presented is None
                else f"the API key sent is not valid for {what}"
            )
            raise NotAuthorizedException(detail=detail, headers={"WWW-Authenticate": CHALLENGE})

    return guard


class _RetryAfterRateLimit(RateLimitMiddleware):
    """Litestar's rate limit, whose 429 also says ``Retry-After`` (seconds)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except TooManyRequestsException as exc:
            headers = dict(exc.headers or {})
            reset = headers.get(self.config.rate_limit_reset_header_key, "1")
            headers["Retry-After"] = str(max(1, int(reset))) if reset.isdigit() else "1"
            exc.headers = headers
            raise


def _is_write(request: Any) -> bool:
    return str(request.method) not in READ_METHODS


@dataclass(frozen=True)
class RateLimiting:
    """The rate limit's middleware config and its Redis store, which ``close`` shuts."""

    config: RateLimitConfig
    store: RedisStore

    async def close(self) -> None:
        await self.store.__aexit__(None, None, None)


def rate_limit(settings: Settings) -> RateLimiting | None:
    """The per-client-address limit on writes, counted in Redis so all API processes share it."""
    if settings.rate_limit is None:
        return None
    config = RateLimitConfig(
        rate_limit=(settings.rate_limit.unit, settings.rate_limit.count),
        check_throttle_handler=_is_write,
        store=RATE_LIMIT_STORE,
        middleware_class=_RetryAfterRateLimit,
    )
    client = connections.request_async(settings.redis_url)
    store = RedisStore(client, namespace=RATE_LIMIT_NAMESPACE, handle_client_shutdown=True)
    return RateLimiting(config, store)


def cors(settings: Settings) -> CORSConfig | None:
    """CORS for the configured origins only; ``None`` (no CORS headers at all) by default."""
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "X-API-Key", "Content-Type"],
        expose_headers=["Location", "Retry-After"],
        allow_credentials=False,
    )
