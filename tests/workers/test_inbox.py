"""workers/inbox.py: enough drain jobs for what waits, never one per abstract."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pytest
from rq import Queue

from claimex.workers import inbox, keys, queue
from claimex.workers.jobs import drain_inbox
from claimex.workers.worker import run_worker

if TYPE_CHECKING:
    import redis


def _submit_one_by_one(db: redis.Redis, count: int) -> list[queue.Submission]:
    return [
        queue.submit(
            db, [queue.NewAbstract(text=f"Abstract {n}: 88.5% accuracy.")], source="t", job_ttl=600
        )
        for n in range(count)
    ]


def _rq_jobs(db: redis.Redis) -> list[str]:
    return Queue(keys.QUEUE, connection=db).get_job_ids()


@pytest.mark.parametrize("count", [1, inbox.DRAIN_BATCH, inbox.DRAIN_BATCH + 1, 100])
def test_inbox_queues_one_drain_job_per_batch_of_waiting_ids(db: redis.Redis, count: int) -> None:
    _submit_one_by_one(db, count)
    assert len(_rq_jobs(db)) == math.ceil(count / inbox.DRAIN_BATCH)
    assert int(db.get(keys.drains()) or 0) == len(_rq_jobs(db))


def test_inbox_take_pops_one_batch_and_counts_the_job_started(db: redis.Redis) -> None:
    _submit_one_by_one(db, inbox.DRAIN_BATCH + 5)
    taken = inbox.take(db, "job-1")
    assert len(taken) == inbox.DRAIN_BATCH
    assert inbox.taken_by(db, "job-1") == taken
    assert db.llen(keys.inbox()) == 5
    assert int(db.get(keys.drains()) or 0) == 1


def test_inbox_every_drain_job_finds_work_until_all_are_extracted(db: redis.Redis) -> None:
    submissions = _submit_one_by_one(db, 70)
    for rq_job_id in _rq_jobs(db):
        assert drain_inbox(db, rq_job_id) >= 0
    assert db.llen(keys.inbox()) == 0
    assert {queue.job_status(db, s.job_id).status for s in submissions} == {"finished"}


def test_inbox_top_up_heals_a_lost_enqueue(db: redis.Redis) -> None:
    _submit_one_by_one(db, 3)
    Queue(keys.QUEUE, connection=db).empty()  # type: ignore[no-untyped-call]
    db.delete(keys.drains())  # as if the enqueue after admission had failed
    assert inbox.top_up(db) == 1
    assert len(_rq_jobs(db)) == 1
    assert inbox.top_up(db) == 0


def test_inbox_drain_count_expires_so_a_lost_job_cannot_strand_ids(db: redis.Redis) -> None:
    _submit_one_by_one(db, 1)
    assert 0 < db.ttl(keys.drains()) <= inbox.DRAINS_TTL


def test_inbox_worker_start_tops_up_stranded_ids(db: redis.Redis) -> None:
    _submit_one_by_one(db, 2)
    Queue(keys.QUEUE, connection=db).empty()  # type: ignore[no-untyped-call]
    db.delete(keys.drains())
    assert run_worker(db, burst=True) is True
    assert db.llen(keys.inbox()) == 0
