"""One JSON log line per drain job; failures retried a bounded number of times; reaping."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from claimex.workers import faults, inbox, keys, liveness, metrics, queue
from claimex.workers.context import WorkerContext
from claimex.workers.jobs import drain_inbox

if TYPE_CHECKING:
    import pytest
    import redis

GOOD = "Our model reaches 88.5% accuracy on ImageNet."
BAD = "A confidential result of 12.5% FAULTY on SecretSet."


def _submit(db: redis.Redis, *texts: str) -> queue.Submission:
    return queue.submit(db, [queue.NewAbstract(text=t) for t in texts], source="t", job_ttl=60)


def test_drain_job_logs_one_json_line_with_ids_and_duration(
    db: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    _submit(db, GOOD)
    capsys.readouterr()
    drain_inbox(db, "drain-1")
    lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    assert len(lines) == 1
    line = lines[0]
    assert (line["event"], line["job_id"], line["abstracts"], line["outcome"]) == (
        "job",
        "drain-1",
        1,
        "finished",
    )
    assert line["duration_ms"] >= 0
    assert "ImageNet" not in json.dumps(line)


def test_raising_extraction_is_retried_then_failed(
    db: redis.Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    worker = WorkerContext(attempts=2, faults={faults.RAISE_VARIABLE: "FAULTY"})
    submission = _submit(db, BAD, GOOD)
    drain_inbox(db, "drain-1", worker)
    assert queue.job_status(db, submission.job_id).abstracts[0].status == "queued"
    assert db.lrange(keys.inbox(), 0, -1) == [submission.abstract_ids[0].encode()]
    drain_inbox(db, "drain-2", worker)
    status = queue.job_status(db, submission.job_id)
    assert [a.status for a in status.abstracts] == ["failed", "finished"]
    assert status.error == "extraction failed: InjectedFault (after 2 attempts)"
    counts = metrics.read(db)
    assert (counts["abstracts_retried"], counts["abstracts_failed"]) == (1, 1)
    assert counts["jobs_failed"] == 1
    err = capsys.readouterr().err
    assert "SecretSet" not in err
    assert '"outcome":"partial"' in err


def test_reap_requeues_a_dead_workers_batch_only(db: redis.Redis) -> None:
    submission = _submit(db, GOOD, "We improve BLEU by 2.1 points.")
    assert inbox.take(db, "dead-job", "dead-worker") == list(submission.enqueued)
    _submit(db, "Live worker's 70.1% F1.")
    db.set(keys.worker("live-worker"), "1")
    live_ids = inbox.take(db, "live-job", "live-worker")
    assert liveness.reap(db) == 2
    assert db.lrange(keys.inbox(), 0, -1) == [i.encode() for i in submission.enqueued]
    assert db.hgetall(keys.owners()) == {b"live-job": b"live-worker"}
    assert db.get(keys.pending(submission.enqueued[0])) == liveness.REQUEUED_MARKER.encode()
    assert inbox.taken_by(db, "live-job") == live_ids
    assert metrics.read(db)["abstracts_requeued"] == 2
    drain_inbox(db, "next")
    assert queue.job_status(db, submission.job_id).status == "finished"
