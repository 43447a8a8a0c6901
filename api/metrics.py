"""``GET /metrics``: Prometheus text format, from Redis (workers' numbers) and this process.

Queue lengths and the workers' counters and extraction histogram are read from Redis, so every
worker process is counted; HTTP latency by route is this API process's own
(``api.observability``). Written by hand: the format is a few lines of text, and the numbers
already live in Redis, which ``prometheus_client``'s per-process registries would not know.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import redis
from litestar import Response, get
from litestar.di import NamedDependency, Provide
from rq import Queue

from claimex.api.dependencies import Db
from claimex.api.observability import HTTP_BUCKETS, HttpMetrics, RouteHistogram
from claimex.workers import keys
from claimex.workers import metrics as worker_metrics

CONTENT_TYPE = "text/plain; version=0.0.4"
"""Litestar adds ``; charset=utf-8`` to text types itself (written here too, it came twice)."""

Http = NamedDependency[HttpMetrics]


def dependencies(http: HttpMetrics) -> dict[str, Provide]:
    def provide_http_metrics() -> HttpMetrics:
        return http

    return {"http_metrics": Provide(provide_http_metrics, use_cache=True, sync_to_thread=False)}


@get("/metrics", sync_to_thread=True, include_in_schema=False)
def read_metrics(db: Db, http_metrics: Http) -> Response[str]:
    """Every metric in Prometheus' text exposition format (503 while Redis is down)."""
    text = "\n".join([*_queue_lines(db), *_worker_lines(db), *_http_lines(http_metrics)])
    return Response(text + "\n", media_type=CONTENT_TYPE)


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _head(name: str, kind: str, text: str) -> list[str]:
    return [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]


def _number(value: float) -> str:
    return repr(float(value)) if value != int(value) else str(int(value))


def _queue_lines(db: redis.Redis) -> Iterator[str]:
    yield from _head("claimex_inbox_length", "gauge", "Abstracts admitted and waiting.")
    yield f"claimex_inbox_length {db.llen(keys.inbox())}"
    yield from _head(
        "claimex_bulk_inbox_length", "gauge", "Abstracts a backfill admitted, waiting."
    )
    yield f"claimex_bulk_inbox_length {db.llen(keys.bulk_inbox())}"
    yield from _head("claimex_queue_length", "gauge", "Jobs queued in RQ for the workers.")
    yield f"claimex_queue_length {Queue(keys.QUEUE, connection=db).count}"
    yield from _head("claimex_workers_alive", "gauge", "Workers whose heartbeat is current.")
    yield f"claimex_workers_alive {sum(1 for _ in db.scan_iter(keys.worker('*'), count=100))}"


def _worker_lines(db: redis.Redis) -> Iterator[str]:
    values = worker_metrics.read(db)
    yield from _head("claimex_jobs_total", "counter", "Drain jobs, by outcome.")
    for outcome in ("done", "failed"):
        yield f'claimex_jobs_total{{outcome="{outcome}"}} {_number(values[f"jobs_{outcome}"])}'
    yield from _head("claimex_abstracts_total", "counter", "Abstracts processed, by outcome.")
    for outcome in ("extracted", "failed", "retried", "requeued", "timed_out"):
        value = _number(values[f"abstracts_{outcome}"])
        yield f'claimex_abstracts_total{{outcome="{outcome}"}} {value}'
    yield from _head(
        "claimex_abstracts_truncated_total", "counter", "Abstracts with more claims than are kept."
    )
    yield f"claimex_abstracts_truncated_total {_number(values['abstracts_truncated'])}"
    yield from _head("claimex_webhooks_total", "counter", "Webhook tries, by outcome.")
    for outcome in ("delivered", "retried", "failed"):
        value = _number(values[f"webhooks_{outcome}"])
        yield f'claimex_webhooks_total{{outcome="{outcome}"}} {value}'
    name = "claimex_extraction_seconds"
    yield from _head(name, "histogram", "Time to extract the claims of one abstract.")
    counts = [
        values[worker_metrics.bucket_field(i)]
        for i in range(len(worker_metrics.EXTRACT_BUCKETS) + 1)
    ]
    yield from _histogram(name, "", worker_metrics.EXTRACT_BUCKETS, counts)
    yield f"{name}_sum {_number(values['extract_sum'])}"
    yield f"{name}_count {_number(values['extract_count'])}"


def _histogram(
    name: str, labels: str, bounds: Sequence[float], counts: Sequence[float]
) -> Iterator[str]:
    running = 0.0
    for bound, count in zip([*map(str, bounds), "+Inf"], counts, strict=True):
        running += count
        yield f'{name}_bucket{{{labels}le="{bound}"}} {_number(running)}'


def _http_lines(http: HttpMetrics) -> Iterator[str]:
    latency, statuses = http.snapshot()
    name = "claimex_http_request_duration_seconds"
    yield from _head(name, "histogram", "HTTP request latency in this API process, by route.")
    for (method, route), histogram in sorted(latency.items()):
        labels = f'method="{_label(method)}",route="{_label(route)}",'
        yield from _route_histogram(name, labels, histogram)
    yield from _head("claimex_http_requests_total", "counter", "HTTP requests, by status.")
    for (method, route, status), count in sorted(statuses.items()):
        labels = f'method="{_label(method)}",route="{_label(route)}",status="{status}"'
        yield f"claimex_http_requests_total{{{labels}}} {count}"


def _route_histogram(name: str, labels: str, histogram: RouteHistogram) -> Iterator[str]:
    yield from _histogram(name, labels, HTTP_BUCKETS, histogram.buckets)
    yield f"{name}_sum{{{labels.rstrip(',')}}} {_number(histogram.total)}"
    yield f"{name}_count{{{labels.rstrip(',')}}} {histogram.count}"
