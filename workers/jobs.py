"""The RQ job: extract claims for a batch of stored abstracts and store them with their indexes.

A batch costs two Redis round trips whatever its size: one pipeline to read the abstracts (and
the claims a previous run stored), one MULTI to write every result. Running a job twice leaves
the same claims and the same index members: a re-run is harmless, never a duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import redis
from rq import get_current_job
from rq.job import Job

from extractors import Claim, extract
from workers import keys, store
from workers.queue import PENDING_TTL, started_marker

log = logging.getLogger(__name__)


def extract_batch(abstract_ids: list[str]) -> int:
    """RQ entry point: the connection is the one RQ's worker holds for the current job."""
    job = get_current_job()
    if job is None:  # pragma: no cover - RQ always sets it while running a job
        raise RuntimeError("extract_batch runs inside an RQ job")
    return process_batch(job.connection, abstract_ids, job_id=job.id)


def process_batch(connection: redis.Redis, abstract_ids: Sequence[str], *, job_id: str) -> int:
    """Extract and store claims for ``abstract_ids``; return how many claims were stored.

    One abstract whose extraction raises is recorded as failed; the others are still stored.
    """
    loaded = store.load_for_extraction(connection, abstract_ids, started_marker(job_id))
    results: list[tuple[store.Loaded, tuple[Claim, ...]]] = []
    failures: list[tuple[str, str]] = []
    for abstract_id, item in zip(abstract_ids, loaded, strict=True):
        if item.abstract is None:
            failures.append((abstract_id, "the abstract is not in the store"))
            continue
        try:
            results.append((item, extract(item.abstract.text)))
        except (
            Exception
        ) as exc:  # the extractor should never raise; one bad text must not sink the batch
            log.exception("extraction failed for abstract %s", abstract_id)
            failures.append((abstract_id, f"extraction failed: {type(exc).__name__}"))
    pipe = connection.pipeline(transaction=True)
    for item, claims in results:
        assert item.abstract is not None
        store.write_claims(pipe, item.abstract, claims, item.old_claims)
        pipe.delete(keys.pending(item.abstract.id), keys.error(item.abstract.id))
    for abstract_id, message in failures:
        pipe.set(keys.error(abstract_id), message, ex=PENDING_TTL)
        pipe.delete(keys.pending(abstract_id))
    pipe.execute()
    return sum(len(claims) for _, claims in results)


def on_batch_failure(
    job: Job,
    connection: redis.Redis,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    traceback: TracebackType | None,
    *rest: Any,
) -> None:
    """RQ failure callback: a job that died (timeout, crash) marks its pending abstracts failed.

    Without this their markers would hold until they expire, and re-sending them would wait.
    """
    reason = "extraction job failed" if exc_type is None else f"job failed: {exc_type.__name__}"
    abstract_ids: list[str] = job.args[0] if job.args else []
    pipe = connection.pipeline(transaction=True)
    for abstract_id in abstract_ids:
        pipe.set(keys.error(abstract_id), reason, ex=PENDING_TTL)
        pipe.delete(keys.pending(abstract_id))
    pipe.execute()
