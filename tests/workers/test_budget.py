"""The per-abstract time budget in the jobs: an abstract over it fails for good ("timeout").

It is never retried, and costs its batch-mates at most the budget.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from claimex.extractors.model import abstract_id
from claimex.workers import backfill, faults, keys, metrics, queue
from claimex.workers.backfill import Counts, Plan
from claimex.workers.context import WorkerContext
from claimex.workers.jobs import drain_inbox
from claimex.workers.sources import SourceRecord
from claimex.workers.worker import make_worker, warm_up

if TYPE_CHECKING:
    import redis

HANG = "PATHOLOGICAL-INPUT"
GOOD = ("Our model reaches 88.5% accuracy on ImageNet.", "We improve BLEU by 2.1 points.")
SLOW = f"A text that never ends extracting: 12.5% {HANG}."
BUDGET = 0.5


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    """Load the pipeline before the sandbox forks, as the worker does (``worker.warm_up``).

    A cold child would spend the budget loading it.
    """
    warm_up()


WORKER = WorkerContext(attempts=3, budget=BUDGET, faults={faults.HANG_VARIABLE: HANG})


def test_drain_fails_the_slow_abstract_at_once_and_finishes_the_others(db: redis.Redis) -> None:
    texts = [GOOD[0], SLOW, GOOD[1]]
    submission = queue.submit(
        db, [queue.NewAbstract(text=t) for t in texts], source="t", job_ttl=600
    )
    began = time.monotonic()
    drain_inbox(db, "drain-1", WORKER)
    assert time.monotonic() - began < BUDGET + 5
    status = queue.job_status(db, submission.job_id)
    assert [a.status for a in status.abstracts] == ["finished", "failed", "finished"]
    error = status.abstracts[1].error or ""
    assert error.startswith("timeout: extraction took longer than 0.5 s"), error
    assert db.llen(keys.inbox()) == 0, "a timed-out abstract is not retried"
    assert not db.exists(keys.attempts(submission.abstract_ids[1]))
    counts = metrics.read(db)
    assert (counts["abstracts_timed_out"], counts["abstracts_retried"]) == (1, 0)
    assert (counts["abstracts_extracted"], counts["abstracts_failed"]) == (2, 1)


def test_a_backfill_batch_with_a_slow_abstract_is_not_retried(db: redis.Redis) -> None:
    texts = [GOOD[0], SLOW, GOOD[1]]
    records = [
        SourceRecord(text=t, id=abstract_id(t), title=None, source="c.jsonl", line=n)
        for n, t in enumerate(texts)
    ]
    plan = Plan(batch_size=8, job_ttl=600)
    backfill.backfill(db, records, run_id="run", counts=Counts(), plan=plan)
    began = time.monotonic()
    make_worker(db, worker=WORKER).work(burst=True, logging_level="WARNING", with_scheduler=False)
    # One budget spent, not three (a retried abstract would be extracted again).
    assert time.monotonic() - began < 2 * BUDGET + 5
    assert backfill.outcome(db, "run") == (2, 1)
    assert metrics.read(db)["abstracts_timed_out"] == 1
