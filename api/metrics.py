"""``GET /metrics``: Prometheus text format through ``prometheus_client``.

Two sources, one page. The workers' numbers live in Redis (so every worker process is counted):
``StoreCollector`` reads the queue lengths, live workers, the workers' counters and their
extraction histogram at each scrape and hands them to ``prometheus_client`` as metric
families. HTTP latency and counts by route are this API process's own, kept in
``prometheus_client`` metrics by ``api.observability`` in the app's own registry.
"""

from __future__ import annotations

from collections.abc import Iterator

import redis
from litestar import Response, get
from litestar.di import NamedDependency, Provide
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString
from rq import Queue

from claimex.api.dependencies import Db
from claimex.api.observability import HttpMetrics
from claimex.workers import keys
from claimex.workers import metrics as worker_metrics

Http = NamedDependency[HttpMetrics]

CONTENT_TYPE = "text/plain; version=0.0.4"
"""The text format ``generate_latest`` writes (Litestar adds ``; charset=utf-8`` itself)."""

_OUTCOMES = {
    "claimex_jobs": ("Drain jobs, by outcome.", "jobs", ("done", "failed")),
    "claimex_abstracts": (
        "Abstracts processed, by outcome.",
        "abstracts",
        ("extracted", "failed", "retried", "requeued", "timed_out"),
    ),
    "claimex_webhooks": (
        "Webhook tries, by outcome.",
        "webhooks",
        ("delivered", "retried", "failed"),
    ),
}


def dependencies(http: HttpMetrics) -> dict[str, Provide]:
    """The ``http_metrics`` dependency: ``http``, this process's HTTP metrics."""

    def provide_http_metrics() -> HttpMetrics:
        return http

    return {"http_metrics": Provide(provide_http_metrics, use_cache=True, sync_to_thread=False)}


class StoreCollector(Collector):
    """The metrics kept in Redis, read once per scrape."""

    def __init__(self, db: redis.Redis) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        """The queue lengths, live workers, counters and extraction histogram, read now."""
        db = self.db
        yield GaugeMetricFamily(
            "claimex_inbox_length", "Abstracts admitted and waiting.", value=db.llen(keys.inbox())
        )
        yield GaugeMetricFamily(
            "claimex_bulk_inbox_length",
            "Abstracts a backfill admitted, waiting.",
            value=db.llen(keys.bulk_inbox()),
        )
        yield GaugeMetricFamily(
            "claimex_queue_length",
            "Jobs queued in RQ for the workers.",
            value=Queue(keys.QUEUE, connection=db).count,
        )
        alive = sum(1 for _ in db.scan_iter(keys.worker("*"), count=100))
        yield GaugeMetricFamily(
            "claimex_workers_alive", "Workers whose heartbeat is current.", value=alive
        )
        values = worker_metrics.read(db)
        for name, (text, prefix, outcomes) in _OUTCOMES.items():
            family = CounterMetricFamily(name, text, labels=["outcome"])
            for outcome in outcomes:
                family.add_metric([outcome], values[f"{prefix}_{outcome}"])
            yield family
        yield CounterMetricFamily(
            "claimex_abstracts_truncated",
            "Abstracts with more claims than are kept.",
            value=values["abstracts_truncated"],
        )
        running = 0.0
        buckets = []
        bounds = [*map(floatToGoString, worker_metrics.EXTRACT_BUCKETS), "+Inf"]
        for n, bound in enumerate(bounds):
            running += values[worker_metrics.bucket_field(n)]
            buckets.append((bound, running))
        yield HistogramMetricFamily(
            "claimex_extraction_seconds",
            "Time to extract the claims of one abstract.",
            buckets=buckets,
            sum_value=values["extract_sum"],
        )


@get("/metrics", sync_to_thread=True, include_in_schema=False)
def read_metrics(db: Db, http_metrics: Http) -> Response[bytes]:
    """Every metric in Prometheus' text exposition format (503 while Redis is down)."""
    store = CollectorRegistry(auto_describe=False)
    store.register(StoreCollector(db))
    body = generate_latest(store) + generate_latest(http_metrics.registry)
    return Response(body, media_type=CONTENT_TYPE)
