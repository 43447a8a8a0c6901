"""Counters the workers keep in Redis, so ``GET /metrics`` sees every process's work.

One hash (``keys.metrics``): job and abstract counts, and the extraction latency histogram as
one field per bucket (not cumulative here; ``/metrics`` adds them up) plus its sum and count.
Updates ride in the pipeline that stores a batch's claims: no extra round trip.
"""

from __future__ import annotations

import bisect
from collections import Counter
from typing import TYPE_CHECKING

from claimex.workers import keys

if TYPE_CHECKING:
    from collections.abc import Sequence

    import redis

EXTRACT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)
"""Upper bounds (seconds) of the extraction latency histogram; ``+Inf`` follows."""

COUNTERS = (
    "jobs_done",
    "jobs_failed",
    "abstracts_extracted",
    "abstracts_failed",
    "abstracts_retried",
    "abstracts_requeued",
    "abstracts_timed_out",
    "abstracts_truncated",
    "webhooks_delivered",
    "webhooks_retried",
    "webhooks_failed",
)


def bucket_field(index: int) -> str:
    """The hash field of bucket ``index`` (``len(EXTRACT_BUCKETS)`` is ``+Inf``)."""
    return f"extract_bucket:{index}"


def record_extractions(pipe: redis.client.Pipeline, seconds: Sequence[float]) -> None:
    """Add extraction durations to the histogram, in ``pipe``."""
    if not seconds:
        return
    buckets = Counter(bisect.bisect_left(EXTRACT_BUCKETS, s) for s in seconds)
    for index, count in buckets.items():
        pipe.hincrby(keys.metrics(), bucket_field(index), count)
    pipe.hincrbyfloat(keys.metrics(), "extract_sum", sum(seconds))
    pipe.hincrby(keys.metrics(), "extract_count", len(seconds))


def count(pipe: redis.client.Pipeline | redis.Redis, name: str, amount: int = 1) -> None:
    """Add ``amount`` to counter ``name`` (one of ``COUNTERS``)."""
    if amount:
        pipe.hincrby(keys.metrics(), name, amount)


def read(connection: redis.Redis) -> dict[str, float]:
    """Every counter and histogram field, zero where nothing was recorded yet."""
    raw: dict[bytes, bytes] = connection.hgetall(keys.metrics())  # type: ignore[assignment]
    values = {k.decode(): float(v) for k, v in raw.items()}
    names = [*COUNTERS, "extract_sum", "extract_count"]
    names += [bucket_field(i) for i in range(len(EXTRACT_BUCKETS) + 1)]
    return {name: values.get(name, 0.0) for name in names}
