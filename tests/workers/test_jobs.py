"""workers/jobs.py: a batch is extracted and stored; running it again changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rq import Queue

from claimex.extractors import extract
from claimex.extractors.model import abstract_id
from claimex.workers import inbox, keys, queue, store
from claimex.workers.jobs import drain_inbox, on_drain_failure, process_batch

if TYPE_CHECKING:
    import redis
    from rq.job import Job

TEXTS = (
    "Our model reaches 88.5% accuracy on ImageNet.",
    "We train a 7B model on 555B tokens and improve BLEU by 2.1 points over the baseline.",
    "No numbers here at all.",
)


def _snapshot(db: redis.Redis) -> dict[bytes, object]:
    """Every claimex key with its content, comparable across runs."""
    content: dict[bytes, object] = {}
    for key in db.scan_iter(match=f"{keys.PREFIX}*"):
        kind = db.type(key)
        if kind == b"string":
            content[key] = db.get(key)
        elif kind == b"zset":
            content[key] = db.zrange(key, 0, -1, withscores=True)
        elif kind == b"set":
            content[key] = db.smembers(key)
    return content


def _submitted(db: redis.Redis) -> queue.Submission:
    new = [queue.NewAbstract(text=t) for t in TEXTS]
    return queue.submit(db, new, source="test", job_ttl=3600)


def test_jobs_process_batch_stores_what_extract_finds(db: redis.Redis) -> None:
    submission = _submitted(db)
    stored = process_batch(db, submission.enqueued, job_id=submission.job_id)
    for text in TEXTS:
        assert store.get_abstract(db, abstract_id(text)).claims == extract(text)
    assert stored == sum(len(extract(t)) for t in TEXTS)


def test_jobs_process_batch_clears_pending_markers(db: redis.Redis) -> None:
    submission = _submitted(db)
    process_batch(db, submission.enqueued, job_id=submission.job_id)
    assert not any(db.exists(keys.pending(i)) for i in submission.abstract_ids)


def test_jobs_process_batch_twice_leaves_one_copy(db: redis.Redis) -> None:
    submission = _submitted(db)
    process_batch(db, submission.enqueued, job_id=submission.job_id)
    once = _snapshot(db)
    process_batch(db, submission.enqueued, job_id=submission.job_id)
    assert _snapshot(db) == once


def test_jobs_process_batch_records_missing_abstract_as_failed(db: redis.Redis) -> None:
    submission = _submitted(db)
    missing = submission.enqueued[0]
    db.delete(keys.abstract(missing))
    process_batch(db, submission.enqueued, job_id=submission.job_id)
    status = queue.job_status(db, submission.job_id)
    assert [a.status for a in status.abstracts] == ["failed", "finished", "finished"]
    assert status.status == "failed"
    assert status.error == "the abstract is not in the store"


def _drain_job(db: redis.Redis) -> Job:
    job = Queue(keys.QUEUE, connection=db).jobs[0]
    assert job.func_name == "claimex.workers.jobs.drain"
    return job


def test_jobs_drain_inbox_extracts_the_waiting_batch(db: redis.Redis) -> None:
    submission = _submitted(db)
    job = _drain_job(db)
    drain_inbox(db, job.id)
    assert queue.job_status(db, submission.job_id).status == "finished"
    assert db.llen(keys.inbox()) == 0
    assert not db.exists(keys.running(job.id))


def test_jobs_drain_inbox_with_nothing_waiting_does_nothing(db: redis.Redis) -> None:
    assert drain_inbox(db, "no-such-job") == 0
    assert list(db.scan_iter(match=f"{keys.PREFIX}*")) == []


def test_jobs_on_drain_failure_marks_the_taken_batch_failed(db: redis.Redis) -> None:
    submission = _submitted(db)
    job = _drain_job(db)
    inbox.take(db, job.id)  # the job took its batch, then died
    on_drain_failure(job, db, TimeoutError, TimeoutError("took too long"), None)
    status = queue.job_status(db, submission.job_id)
    assert status.status == "failed"
    assert status.error == "job failed: TimeoutError"
    assert not any(db.exists(keys.pending(i)) for i in submission.abstract_ids)


def test_jobs_failed_abstract_can_be_sent_again(db: redis.Redis) -> None:
    submission = _submitted(db)
    job = _drain_job(db)
    inbox.take(db, job.id)
    on_drain_failure(job, db, None, None, None)
    again = _submitted(db)
    assert again.enqueued == submission.enqueued
    drain_inbox(db, _drain_job(db).id)
    assert queue.job_status(db, again.job_id).status == "finished"
    assert not db.exists(keys.error(again.enqueued[0]))
