"""A worker SIGKILLed in the middle of a batch: another worker finishes it, once."""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

import pytest

from claimex.workers import keys, metrics
from claimex.workers.queue import NewAbstract, job_status, submit
from tests.faults.conftest import START_TIMEOUT, Processes, wait_for

if TYPE_CHECKING:
    import redis

TEXTS = [
    f"Our model reaches {80 + n}.5% accuracy on ImageNet with {n + 2} layers." for n in range(6)
]


def _workers(conn: redis.Redis) -> int:
    return len(conn.keys(keys.worker("*")))


@pytest.mark.slow
def test_killed_worker_batch_is_finished_by_another_worker(
    conn: redis.Redis, procs: Processes
) -> None:
    # A sleeps 5 s before each extraction (30 s for the batch), so it is surely mid-batch when
    # killed, even where B takes several seconds to start.
    first = procs.worker("worker-a", CLAIMEX_FAULT_SLEEP="5")
    wait_for(lambda: _workers(conn) == 1, START_TIMEOUT, "worker A to start")
    submission = submit(conn, [NewAbstract(text=t) for t in TEXTS], source="test", job_ttl=3600)
    wait_for(lambda: job_status(conn, submission.job_id).status == "started", 30, "A to start")
    assert conn.hlen(keys.owners()) == 1

    procs.worker("worker-b")
    wait_for(lambda: _workers(conn) == 2, START_TIMEOUT, "worker B to start")
    assert job_status(conn, submission.job_id).status == "started", "A finished before the kill"
    first.send_signal(signal.SIGKILL)
    first.wait(10)

    def finished() -> bool:
        return job_status(conn, submission.job_id).status == "finished"

    wait_for(finished, 60, "the abandoned batch to be finished by worker B")
    assert all(conn.exists(keys.claims(i)) for i in submission.abstract_ids)
    assert not any(conn.exists(keys.error(i)) for i in submission.abstract_ids)
    counts = metrics.read(conn)
    assert counts["abstracts_extracted"] == len(TEXTS), "an abstract was extracted twice"
    assert conn.hlen(keys.owners()) == 0
    assert conn.llen(keys.inbox()) == 0
    assert "requeued" in procs.log("worker-b")
