"""workers/queue.py: admission stores first, dedupes by content id, one job per pending abstract."""

from __future__ import annotations

import asyncio
from typing import cast

import pytest
import redis
import redis.asyncio
from rq import Queue

from claimex.extractors.model import abstract_id
from claimex.workers import keys, markers, queue, store
from claimex.workers.errors import JobNotFound
from claimex.workers.jobs import drain_inbox, process_batch

TTL = 3600
TEXT = "Our model reaches 88.5% accuracy on ImageNet."
OTHER = "A 7B model trained on 555B tokens."


def _submit(db: redis.Redis, *texts: str) -> queue.Submission:
    return queue.submit(
        db,
        [queue.NewAbstract(text=t, title=f"T{n}") for n, t in enumerate(texts)],
        source="test",
        job_ttl=TTL,
    )


def _queued_jobs(db: redis.Redis) -> int:
    return Queue(keys.QUEUE, connection=db).count


def _inbox(db: redis.Redis) -> list[str]:
    return [cast("bytes", i).decode() for i in db.lrange(keys.inbox(), 0, -1)]


def test_queue_submit_stores_abstract_before_returning(db: redis.Redis) -> None:
    submission = _submit(db, TEXT)
    stored = store.get_abstract(db, abstract_id(TEXT))
    assert submission.abstract_ids == (abstract_id(TEXT),)
    assert (stored.text, stored.title, stored.source, stored.claims) == (TEXT, "T0", "test", None)
    assert stored.received_at is not None


def test_queue_submit_puts_ids_in_the_inbox_with_one_drain_job(db: redis.Redis) -> None:
    submission = _submit(db, TEXT, OTHER)
    assert submission.enqueued == (abstract_id(TEXT), abstract_id(OTHER))
    assert _inbox(db) == [abstract_id(TEXT), abstract_id(OTHER)]
    assert _queued_jobs(db) == 1


def test_queue_resubmit_while_pending_creates_no_second_job(db: redis.Redis) -> None:
    first = _submit(db, TEXT)
    second = _submit(db, TEXT)
    assert second.abstract_ids == first.abstract_ids
    assert second.enqueued == ()
    assert _inbox(db) == [abstract_id(TEXT)]
    assert _queued_jobs(db) == 1
    assert len(list(db.scan_iter(match=keys.abstract("*")))) == 1


def test_queue_resubmit_keeps_the_first_record(db: redis.Redis) -> None:
    _submit(db, TEXT)
    first = store.get_abstract(db, abstract_id(TEXT))
    queue.submit(db, [queue.NewAbstract(text=TEXT, title="other")], source="again", job_ttl=TTL)
    assert store.get_abstract(db, abstract_id(TEXT)) == first


def test_queue_resubmit_after_extraction_enqueues_nothing(db: redis.Redis) -> None:
    _submit(db, TEXT)
    drain_inbox(db, "drain-1")
    again = _submit(db, TEXT)
    assert again.enqueued == ()
    assert _inbox(db) == []
    assert queue.job_status(db, again.job_id).status == "finished"


def test_queue_batch_with_duplicates_keeps_order_and_enqueues_once(db: redis.Redis) -> None:
    submission = _submit(db, TEXT, OTHER, TEXT)
    assert submission.abstract_ids == (abstract_id(TEXT), abstract_id(OTHER), abstract_id(TEXT))
    assert submission.enqueued == (abstract_id(TEXT), abstract_id(OTHER))


def test_queue_batch_enqueues_only_abstracts_not_already_pending(db: redis.Redis) -> None:
    _submit(db, TEXT)
    submission = _submit(db, TEXT, OTHER)
    assert submission.enqueued == (abstract_id(OTHER),)


def test_queue_job_status_unknown_raises_not_found(db: redis.Redis) -> None:
    with pytest.raises(JobNotFound):
        queue.job_status(db, "0" * 32)


def test_queue_job_status_goes_queued_then_finished(db: redis.Redis) -> None:
    submission = _submit(db, TEXT, OTHER)
    queued = queue.job_status(db, submission.job_id)
    assert queued.status == "queued"
    assert [a.status for a in queued.abstracts] == ["queued", "queued"]
    process_batch(db, submission.enqueued, job_id=submission.job_id)
    finished = queue.job_status(db, submission.job_id)
    assert finished.status == "finished"
    assert finished.abstract_ids == (abstract_id(TEXT), abstract_id(OTHER))
    assert finished.error is None


def test_queue_job_status_started_while_a_worker_holds_it(db: redis.Redis) -> None:
    submission = _submit(db, TEXT)
    store.load_for_extraction(db, submission.enqueued, markers.started(submission.job_id))
    assert queue.job_status(db, submission.job_id).status == "started"


def test_queue_job_status_follows_abstracts_pending_in_another_job(db: redis.Redis) -> None:
    first = _submit(db, TEXT)
    second = _submit(db, TEXT)
    assert queue.job_status(db, second.job_id).status == "queued"
    process_batch(db, first.enqueued, job_id=first.job_id)
    assert queue.job_status(db, second.job_id).status == "finished"


def test_queue_job_status_reports_lost_abstracts_as_failed(db: redis.Redis) -> None:
    submission = _submit(db, TEXT)
    db.delete(keys.pending(abstract_id(TEXT)))  # as if the marker had expired
    status = queue.job_status(db, submission.job_id)
    assert status.status == "failed"
    assert status.error is not None


def test_queue_job_record_expires_with_the_job_ttl(db: redis.Redis) -> None:
    submission = _submit(db, TEXT)
    assert 0 < db.ttl(keys.job(submission.job_id)) <= TTL


def test_queue_submit_async_admits_like_submit(db: redis.Redis, redis_url: str) -> None:
    async def admit_twice() -> tuple[queue.Submission, queue.Submission]:
        async_db = redis.asyncio.Redis.from_url(redis_url)
        try:
            new = [queue.NewAbstract(text=TEXT), queue.NewAbstract(text=OTHER)]
            first = await queue.submit_async(async_db, db, new, source="t", job_ttl=TTL)
            again = await queue.submit_async(async_db, db, new, source="t", job_ttl=TTL)
            return first, again
        finally:
            await async_db.aclose()

    first, again = asyncio.run(admit_twice())
    assert first.enqueued == (abstract_id(TEXT), abstract_id(OTHER))
    assert again.enqueued == ()
    assert _inbox(db) == [abstract_id(TEXT), abstract_id(OTHER)]
    assert _queued_jobs(db) == 1
    assert store.get_abstract(db, abstract_id(OTHER)).text == OTHER
