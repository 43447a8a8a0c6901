"""The backfill's RQ job: extract a named batch of stored abstracts, retried by RQ on failure.

Unlike the API's drain jobs (which take whatever waits in the inbox), a backfill job carries
its abstract ids in its arguments, so RQ's ``Retry`` re-runs exactly the same batch. An attempt
skips what an earlier one already extracted. An abstract that cannot be extracted makes the
attempt raise ``BatchFailed`` after the others are stored, which is what lets RQ retry it a
bounded number of times and then keep the job, with its error, in the failed registry.

Each job counts its abstracts once, at its end, into its backfill run's ``done``/``failed``
hash (``keys.backfill_run``): on success here, on the final failure in ``on_batch_failure``.
``claimex backfill --wait`` follows those two numbers.

The backfill process names these functions as strings and never imports this module: loading
the extractor is the workers' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any

import redis
from rq import get_current_job
from rq.job import Job

from claimex.workers import connections, jobs, keys
from claimex.workers.errors import BatchFailed


def extract_batch(abstract_ids: list[str], run_id: str | None = None) -> int:
    """RQ entry point: extract ``abstract_ids`` with the connection RQ's worker holds."""
    job = get_current_job()
    if job is None:  # pragma: no cover - RQ always sets it while running a job
        raise RuntimeError("extract_batch runs inside an RQ job")
    return run_batch(connections.like(job.connection, "job"), job.id, abstract_ids, run_id)


def run_batch(
    connection: redis.Redis, rq_job_id: str, abstract_ids: Sequence[str], run_id: str | None
) -> int:
    """Extract the batch's abstracts not yet extracted; how many claims were stored.

    Raises ``BatchFailed`` naming the abstracts still without claims afterwards, except those
    that failed for good (over the time budget): trying those again would only cost the
    budget again, so they are counted failed and RQ does not retry the batch for them.
    """
    todo = to_extract(connection, abstract_ids)
    stored = jobs.process(connection, todo, job_id=rq_job_id).claims if todo else 0
    left = to_extract(connection, todo)
    if left:
        raise BatchFailed(left)
    if run_id is not None:
        failed = len(not_extracted(connection, abstract_ids))
        pipe = connection.pipeline(transaction=True)
        pipe.hincrby(keys.backfill_run(run_id), "done", len(abstract_ids) - failed)
        pipe.hincrby(keys.backfill_run(run_id), "failed", failed)
        pipe.execute()
    return stored


def not_extracted(connection: redis.Redis, abstract_ids: Sequence[str]) -> list[str]:
    """The ids among ``abstract_ids`` that have no stored claims, in one round trip."""
    states = _states(connection, abstract_ids)
    return [i for i, (claims, _) in zip(abstract_ids, states, strict=True) if not claims]


def to_extract(connection: redis.Redis, abstract_ids: Sequence[str]) -> list[str]:
    """The ids without claims that did not fail for good (``jobs.is_final``)."""
    states = _states(connection, abstract_ids)
    return [
        i
        for i, (claims, error) in zip(abstract_ids, states, strict=True)
        if not claims and not jobs.is_final(error)
    ]


def _states(connection: redis.Redis, abstract_ids: Sequence[str]) -> list[tuple[bool, Any]]:
    """Per id: whether it has claims, and its stored error (one round trip)."""
    if not abstract_ids:
        return []
    pipe = connection.pipeline(transaction=False)
    for abstract_id in abstract_ids:
        pipe.exists(keys.claims(abstract_id))
        pipe.get(keys.error(abstract_id))
    replies = pipe.execute()
    return [(bool(replies[2 * n]), replies[2 * n + 1]) for n in range(len(abstract_ids))]


def on_batch_failure(
    job: Job,
    connection: redis.Redis,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    traceback: TracebackType | None,
    *rest: Any,
) -> None:
    """RQ failure callback, run after every failed attempt (timeouts and dead workers too).

    RQ calls it before deciding on a retry, so ``retries_left`` still counts this attempt's
    retry: while any is left, nothing is final. On the last failure, abstracts still without
    claims are marked failed — unless ``BatchFailed`` already recorded why each failed — and
    the batch is counted into its run.
    """
    if job.retries_left:
        return
    abstract_ids: list[str] = list(job.args[0]) if job.args else []
    left = not_extracted(connection, abstract_ids)
    if left and exc_type is not BatchFailed:
        name = "unknown error" if exc_type is None else exc_type.__name__
        jobs.mark_failed(connection, left, f"batch job failed: {name}")
    run_id = job.kwargs.get("run_id")
    if run_id is not None:
        pipe = connection.pipeline(transaction=True)
        pipe.hincrby(keys.backfill_run(run_id), "done", len(abstract_ids) - len(left))
        pipe.hincrby(keys.backfill_run(run_id), "failed", len(left))
        pipe.execute()
