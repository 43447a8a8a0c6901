"""A real worker left idle past redis-py's 5 s socket timeout still picks up work at once.

Before the fix the worker's first connection kept a 5 s read timeout under RQ's blocking poll:
it failed every 5 s, logged "could not connect to Redis", and backed off up to 60 s, so a job
sent after a quiet minute waited up to a minute.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from claimex.workers import keys
from claimex.workers.queue import NewAbstract, job_status, submit
from tests.faults.conftest import START_TIMEOUT, Processes, wait_for

if TYPE_CHECKING:
    import redis

IDLE_SECONDS = 12.0
PICKUP_BOUND = 3.0
"""Generous: pickup takes milliseconds; with the bug it took from 1 to 60 s after an idle spell."""


@pytest.mark.slow
def test_an_idle_worker_picks_up_jobs_promptly(conn: redis.Redis, procs: Processes) -> None:
    procs.worker("worker")
    wait_for(lambda: bool(conn.keys(keys.worker("*"))), START_TIMEOUT, "the worker to start")
    waits = []
    for n in range(3):
        time.sleep(IDLE_SECONDS if n == 0 else 3.5)
        sent = time.monotonic()
        text = f"After a quiet spell, run {n} reaches {70 + n}.5% accuracy on ImageNet."
        submission = submit(conn, [NewAbstract(text=text)], source="test", job_ttl=600)
        wait_for(
            lambda s=submission: job_status(conn, s.job_id).status == "finished",  # type: ignore[misc]
            90,
            "the job to finish",
        )
        waits.append(time.monotonic() - sent)
    log = procs.log("worker")
    assert "could not connect" not in log, log
    assert "Timeout reading" not in log, log
    assert max(waits) < PICKUP_BOUND, waits
