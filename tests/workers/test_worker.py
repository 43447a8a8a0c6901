"""workers/worker.py: a real RQ worker, in-process and in burst mode, runs the queued job."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rq import SimpleWorker, Worker

from claimex.workers import queue, store
from claimex.workers.worker import make_worker, run_worker

if TYPE_CHECKING:
    import redis

TEXT = "Our model reaches 88.5% accuracy on ImageNet."


def test_worker_default_runs_jobs_in_process(db: redis.Redis) -> None:
    worker = make_worker(db, fork=False)
    assert isinstance(worker, SimpleWorker)


def test_worker_fork_option_uses_forking_worker(db: redis.Redis) -> None:
    # the suite's Redis, not one assumed on 6379: a fresh machine may have none there
    assert isinstance(make_worker(db, fork=True), Worker)


def test_worker_run_worker_burst_extracts_queued_abstracts(db: redis.Redis) -> None:
    submission = queue.submit(db, [queue.NewAbstract(text=TEXT)], source="test", job_ttl=3600)
    assert run_worker(db, burst=True) is True
    assert queue.job_status(db, submission.job_id).status == "finished"
    assert store.get_abstract(db, submission.abstract_ids[0]).claims is not None


def test_worker_run_worker_burst_on_empty_queue_returns_false(db: redis.Redis) -> None:
    assert run_worker(db, burst=True) is False
