"""What every response carries and every write must show, and where a request comes from.

- **Headers.** Every response gets ``Content-Security-Policy`` (nothing from elsewhere, no
  framing; the interactive docs may run their inline start-up script, nothing else may),
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and
  ``X-Frame-Options: DENY``.
- **Writes from other sites.** A browser sends ``Origin`` (and ``Sec-Fetch-Site``) with every
  cross-site POST; a form on another site could otherwise make a visitor's browser submit
  abstracts here. A write whose ``Origin`` is neither this host nor one of
  ``CLAIMEX_CORS_ORIGINS``, or that the browser labels ``cross-site``, is refused (403).
  Clients that are not browsers send neither header and are not affected.
- **HEAD** is answered for every GET route, with the GET's headers and no body.
- **Client address.** The peer's address, or — only when the peer is one of
  ``CLAIMEX_TRUSTED_PROXIES`` — the right-most address of ``X-Forwarded-For`` that is not a
  trusted proxy itself. Anyone else's ``X-Forwarded-For`` is ignored.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

import msgspec
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

from claimex.settings import ServiceSettings

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
"""Swagger UI starts from an inline script and styles itself inline."""

HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _headers(scope: Scope) -> Mapping[bytes, bytes]:
    return dict(scope.get("headers", []))


def with_headers(send: Send, path: str) -> Send:
    """``send`` that adds the security headers to the response it starts."""
    policy = DOCS_POLICY if path == "/docs" or path.startswith("/docs/") else PAGE_POLICY
    extra = [(b"content-security-policy", policy.encode()), *HEADERS]

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {name.lower() for name, _ in headers}
            headers += [(name, value) for name, value in extra if name not in present]
            message = {**message, "headers": headers}
        await send(message)

    return send_with_headers


def without_body(send: Send) -> Send:
    """``send`` for a HEAD request answered as a GET: the headers, no body."""

    async def headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return headers_only


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(path: str) -> bool:
    """Whether a decoded path has a NUL, a newline or another control character.

    Such a path names nothing here, and must never reach a file system call or a log line.
    """
    return _CONTROL.search(path) is not None


class _Problem(msgspec.Struct, frozen=True):
    status: int
    title: str
    detail: str


async def send_problem(
    send: Send, status: int, title: str, detail: str, headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    """An RFC 9457 problem, sent straight from a middleware (before any route runs)."""
    body = msgspec.json.encode(_Problem(status, title, detail))
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
    }
    await send(start)
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(end)


def _host_of(origin: str) -> str | None:
    parts = urlsplit(origin)
    return parts.netloc.lower() if parts.scheme in ("http", "https") and parts.netloc else None


def same_origin_writes(settings: ServiceSettings) -> Callable[[ASGIApp], ASGIApp]:
    """Refuse writes a browser sent from another site (see the module doc)."""
    allowed = {o.rstrip("/").lower() for o in settings.cors_origins}

    def middleware(app: ASGIApp) -> ASGIApp:
        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP or scope.get("method") in SAFE_METHODS:
                await app(scope, receive, send)
                return
            headers = _headers(scope)
            origin = headers.get(b"origin", b"").decode("latin-1").strip()
            host = headers.get(b"host", b"").decode("latin-1").strip().lower()
            site = headers.get(b"sec-fetch-site", b"").decode("latin-1").strip().lower()
            if origin and origin != "null":
                trusted = "*" in allowed or origin.rstrip("/").lower() in allowed
                if trusted or (_host_of(origin) is not None and _host_of(origin) == host):
                    await app(scope, receive, send)
                    return
            elif not origin and site != "cross-site":
                await app(scope, receive, send)
                return
            await send_problem(
                send,
                403,
                "Cross-site write refused",
                "writes from another site's pages are refused; list its origin in "
                "CLAIMEX_CORS_ORIGINS to allow it",
            )

        return guarded

    return middleware


def networks(raw: Sequence[str]) -> tuple[Network, ...]:
    """``CLAIMEX_TRUSTED_PROXIES`` entries (addresses or CIDR blocks) as networks."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in raw)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(scope: Scope, trusted: Sequence[Network]) -> str:
    """Who sent the request (see the module doc): never an untrusted party's say-so."""
    client = scope.get("client")
    peer = str(client[0]) if client else ""
    if not trusted:
        return peer

    def is_trusted(text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in network for network in trusted)

    if not is_trusted(peer):
        return peer
    forwarded = _headers(scope).get(b"x-forwarded-for", b"").decode("latin-1")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            return hop if _address(hop) is not None else peer
    return hops[0] if hops else peer
