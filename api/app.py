"""The app factory: routes, dependencies, errors and docs, from one ``ServiceSettings``."""

from __future__ import annotations

from typing import cast

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.types import LifeSpanReceive, LifeSpanScope, LifeSpanSend, Receive, Scope, Send

from claimex.api import (
    abstracts,
    access,
    claims,
    docs,
    events,
    health,
    jobs,
    metrics,
    pages,
    security,
    tables,
)
from claimex.api.dependencies import dependencies, redis_lifespan
from claimex.api.errors import EXCEPTION_HANDLERS, problem_details_plugin
from claimex.api.observability import HttpMetrics
from claimex.settings import ServiceSettings


class ClaimexApp(Litestar):
    """Litestar, with what must hold for every request, whether a route matches it or not.

    Litestar runs its middleware for matched routes only. Here every response gets the security
    headers, HEAD is answered as GET without a body, and a path with control characters is
    answered 404 before it reaches a route, a file name or a log line.
    """

    async def __call__(
        self,
        scope: Scope | LifeSpanScope,
        receive: Receive | LifeSpanReceive,
        send: Send | LifeSpanSend,
    ) -> None:
        """Serve one ASGI call: HTTP after the checks above, anything else as Litestar does."""
        if scope["type"] != ScopeType.HTTP:
            await super().__call__(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        send = security.with_headers(cast("Send", send), path)
        if security.has_control_characters(path):
            detail = "no resource has a control character (NUL, newline …) in its path"
            await security.send_problem(send, 404, "Not found", detail)
            return
        if scope.get("method") == "HEAD":
            scope = cast("Scope", {**scope, "method": "GET"})
            send = security.without_body(send)
        await super().__call__(scope, receive, send)


def create_app(settings: ServiceSettings) -> Litestar:
    """A Litestar app for ``settings``; Redis is opened in its lifespan, not here."""
    http_metrics = HttpMetrics()
    guard = access.key_guard(settings)
    limit = access.rate_limit(settings)
    return ClaimexApp(
        route_handlers=[
            abstracts.submit_abstracts,
            abstracts.read_abstract,
            jobs.read_job,
            events.job_events,
            events.table_events,
            claims.list_claims,
            tables.list_tables,
            tables.read_table,
            health.health,
            metrics.read_metrics,
            docs.assets_router(),
            *pages.ROUTES,
            pages.static_router(),
        ],
        dependencies={
            **dependencies(settings),
            **tables.dependencies(),
            **metrics.dependencies(http_metrics),
        },
        middleware=[
            http_metrics.middleware,
            security.same_origin_writes(settings),
            *([limit.middleware] if limit is not None else []),
        ],
        lifespan=[redis_lifespan(settings)],
        plugins=[problem_details_plugin()],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=docs.openapi_config(),
        template_config=pages.template_config(),
        request_max_body_size=settings.max_body_bytes,
        guards=[guard] if guard is not None else None,
        on_shutdown=[limit.close] if limit is not None else None,
        cors_config=access.cors(settings),
        debug=False,
    )
