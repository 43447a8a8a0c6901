"""The app factory: routes, dependencies, errors and docs, from one ``Settings``."""

from __future__ import annotations

from litestar import Litestar

from api import abstracts, access, claims, docs, health, jobs, metrics, pages, tables
from api.dependencies import dependencies, redis_lifespan
from api.errors import EXCEPTION_HANDLERS, problem_details_plugin
from api.observability import HttpMetrics
from api.settings import Settings


def create_app(settings: Settings) -> Litestar:
    """A Litestar app for ``settings``; Redis is opened in its lifespan, not here."""
    http_metrics = HttpMetrics()
    guard = access.key_guard(settings)
    limit = access.rate_limit(settings)
    return Litestar(
        route_handlers=[
            abstracts.submit_abstracts,
            abstracts.read_abstract,
            jobs.read_job,
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
            *([limit.config.middleware] if limit is not None else []),
        ],
        lifespan=[redis_lifespan(settings)],
        plugins=[problem_details_plugin()],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=docs.openapi_config(),
        template_config=pages.template_config(),
        request_max_body_size=settings.max_body_bytes,
        guards=[guard] if guard is not None else None,
        stores={access.RATE_LIMIT_STORE: limit.store} if limit is not None else None,
        on_shutdown=[limit.close] if limit is not None else None,
        cors_config=access.cors(settings),
        debug=False,
    )
