"""Per-request structured logs and HTTP latency by route, from one ASGI middleware.

Each HTTP request handled by a route writes one JSON line on stderr (``workers.jsonlog``):
method, route template, status, duration in ms and the request id (the client's
``X-Request-ID`` when it is short and plain, else a new one; echoed in the response). Never the
query string, headers or body: no abstract text, no key reaches the log.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Mapping

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics

from claimex.workers import jsonlog

HTTP_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
"""Upper bounds (seconds) of the request latency histogram; ``+Inf`` follows."""

REQUEST_ID_HEADER = "x-request-id"
QUIET_ROUTES = frozenset({"/health"})
"""Routes whose successful requests are not logged: load balancers and ``claimex up`` poll
them; a log line each would drown everything else (failures are still logged)."""
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# No ``*_created`` series: the counters start with the process, which Prometheus already knows.
disable_created_metrics()  # type: ignore[no-untyped-call]


class HttpMetrics:
    """Latency histograms and status counts of this API process, by route.

    They are ``prometheus_client`` metrics, in a registry of the app's own (``api.metrics``
    exposes it).
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.latency = Histogram(
            "claimex_http_request_duration_seconds",
            "HTTP request latency in this API process, by route.",
            ["method", "route"],
            buckets=HTTP_BUCKETS,
            registry=self.registry,
        )
        self.requests = Counter(
            "claimex_http_requests",
            "HTTP requests, by status.",
            ["method", "route", "status"],
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request, with its status and latency, under its method and route."""
        self.latency.labels(method, route).observe(seconds)
        self.requests.labels(method, route, str(status)).inc()

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """The ASGI middleware that logs and times every HTTP request into these metrics."""

        async def observed(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP:
                await app(scope, receive, send)
                return
            started = time.perf_counter()
            request_id = _request_id(scope)
            status = 500

            async def send_with_id(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    headers = list(message.get("headers", []))
                    headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                    message = {**message, "headers": headers}
                await send(message)

            try:
                await app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                method = str(scope.get("method", ""))
                route = str(scope.get("path_template") or "unmatched")
                self.observe(method, route, status, seconds)
                # A probe every few seconds is counted in /metrics, not logged.
                if route not in QUIET_ROUTES or status >= 300:
                    jsonlog.emit(
                        "request",
                        request_id=request_id,
                        method=method,
                        route=route,
                        status=status,
                        duration_ms=round(1000 * seconds, 3),
                    )

        return observed


def _request_id(scope: Scope) -> str:
    headers: Mapping[bytes, bytes] = dict(scope.get("headers", []))
    given = headers.get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
    return given if _PLAIN_ID.fullmatch(given) else uuid.uuid4().hex
