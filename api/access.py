"""Who may call the API: API keys on writes (and reads, if asked), a rate limit, CORS.

All of it is off unless configured (``CLAIMEX_API_KEY``, ``CLAIMEX_READ_KEY``,
``CLAIMEX_RATE_LIMIT``, ``CLAIMEX_CORS_ORIGINS``). Keys are compared in constant time and never
written to a log or a response.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Any

import redis
from litestar.config.cors import CORSConfig
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ASGIApp, Guard, Receive, Scope, Send

from claimex.api import security
from claimex.api.errors import RETRY_AFTER_SECONDS
from claimex.settings import ServiceSettings
from claimex.workers import connections

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({"/health"})
"""Readable without the read key, so that load balancers and probes can check the service."""

KEY_HEADER = "x-api-key"
CHALLENGE = 'Bearer realm="claimex"'
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


def key_guard(settings: ServiceSettings) -> Guard | None:
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


_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}

# KEYS: the client's counter.  ARGV: window in ms.  Returns {count so far, ms left}.
# One script, so that concurrent API processes can never both read "4" and both let a 5th in.
_COUNT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {n, left}
"""


class RateLimiting:
    """At most ``count`` writes per window and client address, counted atomically in Redis.

    A fixed window per client that starts with its first write: INCR and PEXPIRE in one Lua
    script, so every API process shares one exact count. The address is the peer's, or the
    one a trusted proxy forwarded (``api.security.client_address``).
    """

    def __init__(self, settings: ServiceSettings) -> None:
        assert settings.rate_limit is not None
        self.count = settings.rate_limit.count
        self.window_ms = 1000 * _SECONDS[settings.rate_limit.unit]
        self.trusted = security.networks(settings.trusted_proxies)
        self.client = connections.request_async(settings.redis_url)
        self.script = self.client.register_script(_COUNT)

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """``app`` behind the limit: reads pass, a write over it gets 429 (503 if Redis is down)."""

        async def limited(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP or scope.get("method") in READ_METHODS:
                await app(scope, receive, send)
                return
            who = security.client_address(scope, self.trusted)
            key = f"{RATE_LIMIT_NAMESPACE}:{who}"
            try:
                count, left = await self.script(keys=[key], args=[self.window_ms])
            except redis.exceptions.RedisError:
                await security.send_problem(
                    send,
                    503,
                    "Service unavailable",
                    "the store (Redis) is not answering; try again shortly",
                    [(b"retry-after", RETRY_AFTER_SECONDS.encode())],
                )
                return
            reset = max(1, -(-int(left) // 1000))
            headers = [
                (b"ratelimit-limit", str(self.count).encode()),
                (b"ratelimit-remaining", str(max(0, self.count - int(count))).encode()),
                (b"ratelimit-reset", str(reset).encode()),
            ]
            if int(count) > self.count:
                await security.send_problem(
                    send,
                    429,
                    "Too many requests",
                    f"at most {self.count} writes per {self.window_ms // 1000} s from one client",
                    [*headers, (b"retry-after", str(reset).encode())],
                )
                return
            await app(scope, receive, send)

        return limited

    async def close(self) -> None:
        """Close the Redis client the counts are kept with."""
        await self.client.aclose()


def rate_limit(settings: ServiceSettings) -> RateLimiting | None:
    """The per-client-address limit on writes, if ``CLAIMEX_RATE_LIMIT`` asks for one."""
    return None if settings.rate_limit is None else RateLimiting(settings)


def cors(settings: ServiceSettings) -> CORSConfig | None:
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
