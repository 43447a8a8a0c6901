"""workers/backfill.py: chunks admitted once as the API admits them, resumable, counted.

Chunks are stored and queued through the API's admission, into the bulk inbox; the run's
counts are read from its jobs' own records.

Workers run in-process in burst mode (RQ's own testing style); the process-level runs —
SIGKILL mid-way, three worker processes — are in ``tests/cli/test_backfill.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import pytest

from claimex.extractors.model import abstract_id
from claimex.workers import backfill, context, faults, inbox, keys, queue, store
from claimex.workers.backfill import Counts, Plan
from claimex.workers.context import WorkerContext
from claimex.workers.sources import SourceRecord
from claimex.workers.worker import make_worker

if TYPE_CHECKING:
    from collections.abc import Iterable

    import redis
    from litestar import Litestar
    from litestar.testing import TestClient

TEXTS = tuple(
    f"Model {n} reaches {80 + n / 10:.1f}% accuracy on ImageNet and {20 + n} BLEU on WMT14."
    for n in range(10)
)
PLAN = Plan(batch_size=3, job_ttl=3600)
RUN = "run0"


def _records(texts: Iterable[str], source: str = "corpus.jsonl") -> list[SourceRecord]:
    return [
        SourceRecord(text=t, id=abstract_id(t), title=f"T{n}", source=source, line=n + 1)
        for n, t in enumerate(texts)
    ]


def _run(db: redis.Redis, texts: Iterable[str], run_id: str = RUN) -> Counts:
    return backfill.backfill(db, _records(texts), run_id=run_id, counts=Counts(), plan=PLAN)


def _drain(db: redis.Redis, worker: WorkerContext = context.DEFAULT) -> None:
    make_worker(db, worker=worker).work(burst=True, logging_level="WARNING", with_scheduler=False)


def _stored_ids(db: redis.Redis) -> set[str]:
    return {k.decode().rpartition(":")[2] for k in db.scan_iter(match=keys.abstract("*"))}


def _extracted_ids(db: redis.Redis) -> set[str]:
    return {k.decode().rpartition(":")[2] for k in db.scan_iter(match=keys.claims("*"))}


def _jobs(db: redis.Redis, run_id: str = RUN) -> list[str]:
    return sorted(cast("bytes", j).decode() for j in db.hkeys(keys.backfill_run(run_id)))


def test_backfill_stores_and_queues_in_the_bulk_inbox(db: redis.Redis) -> None:
    counts = _run(db, TEXTS)
    assert (counts.read, counts.new, counts.skipped) == (10, 10, 0)
    assert _stored_ids(db) == {abstract_id(t) for t in TEXTS}
    assert len(_jobs(db)) == 4  # ceil(10 / 3) admissions
    assert db.llen(keys.bulk_inbox()) == 10
    assert db.llen(keys.inbox()) == 0
    first = store.get_abstract(db, abstract_id(TEXTS[0]))
    assert (first.title, first.source, first.claims) == ("T0", "corpus.jsonl:1", None)


def test_backfill_waits_behind_interactive_abstracts(db: redis.Redis) -> None:
    _run(db, TEXTS[:3])
    posted = queue.submit(db, [queue.NewAbstract(text=TEXTS[5])], source="api", job_ttl=60)
    taken = inbox.take(db, "drain-1")
    assert taken == list(posted.enqueued)  # the POST first, though the backfill came before
    assert inbox.take(db, "drain-2") == [abstract_id(t) for t in TEXTS[:3]]


def test_backfill_job_record_reports_status(db: redis.Redis) -> None:
    _run(db, TEXTS[:2])
    (job_id,) = _jobs(db)
    assert queue.job_status(db, job_id).status == "queued"
    _drain(db)
    status = queue.job_status(db, job_id)
    assert (status.status, len(status.abstract_ids)) == ("finished", 2)
    assert backfill.outcome(db, RUN) == (2, 0)


def test_backfill_run_twice_keeps_one_record_per_abstract(db: redis.Redis) -> None:
    texts = TEXTS + TEXTS[:3]  # repeats within the corpus too
    first = _run(db, texts)
    second = _run(db, texts, run_id="run1")
    # Chunks of 3: a repeat in a later chunk finds the abstract queued by this very run.
    assert (first.new, first.repeated, first.queued) == (10, 0, 3)
    assert (second.new, second.queued, second.repeated) == (0, 13, 0)
    assert db.llen(keys.bulk_inbox()) == 10  # queued once
    _drain(db)
    third = _run(db, texts, run_id="run2")
    assert (third.new, third.extracted) == (0, 13)
    assert _stored_ids(db) == _extracted_ids(db) == {abstract_id(t) for t in TEXTS}


def test_backfill_reextract_queues_extracted_abstracts_again(db: redis.Redis) -> None:
    _run(db, TEXTS[:4])
    _drain(db)
    before = {i: store.get_abstract(db, i).claims for i in _extracted_ids(db)}
    plan = Plan(batch_size=3, job_ttl=3600, reextract=True)
    counts = backfill.backfill(db, _records(TEXTS[:4]), run_id="again", counts=Counts(), plan=plan)
    assert (counts.new, counts.requeued, counts.extracted) == (0, 4, 0)
    assert db.llen(keys.bulk_inbox()) == 4
    _drain(db)
    assert backfill.outcome(db, "again") == (4, 0)
    after = {i: store.get_abstract(db, i).claims for i in _extracted_ids(db)}
    assert after == before  # replaced, not added to
    survey = Counts()
    backfill.survey_chunk(db, _records(TEXTS[:4]), survey, reextract=True)
    assert (survey.requeued, survey.extracted) == (4, 0)


def test_backfill_crash_before_its_drain_jobs_are_enqueued_is_healed(
    db: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # what a kill looks like from here: nothing after the script

    monkeypatch.setattr(inbox, "enqueue_drains", killed)
    with pytest.raises(KeyboardInterrupt):
        _run(db, TEXTS)
    monkeypatch.undo()
    assert len(_stored_ids(db)) == 3  # killed in its first chunk
    assert db.llen(keys.bulk_inbox()) == 3  # whose ids wait, with no drain job coming

    rerun = _run(db, TEXTS, run_id="run1")
    assert (rerun.new, rerun.requeued, rerun.queued) == (7, 0, 3)
    inbox.top_up(db)  # as a worker does when it starts
    _drain(db)
    assert _extracted_ids(db) == {abstract_id(t) for t in TEXTS}
    assert backfill.outcome(db, "run1") == (7, 0)


def test_backfill_marker_of_api_submission_is_alive(db: redis.Redis) -> None:
    queue.submit(db, [queue.NewAbstract(text=TEXTS[0])], source="api", job_ttl=3600)
    counts = _run(db, TEXTS[:1])
    assert (counts.queued, counts.requeued) == (1, 0)


def test_backfill_failed_abstract_is_requeued_by_a_rerun(db: redis.Redis) -> None:
    queue.submit(db, [queue.NewAbstract(text=TEXTS[0])], source="api", job_ttl=3600)
    db.delete(keys.pending(abstract_id(TEXTS[0])))  # as after a failed extraction
    db.set(keys.error(abstract_id(TEXTS[0])), "extraction failed")
    counts = _run(db, TEXTS[:1])
    assert counts.requeued == 1


def test_backfill_failing_abstract_is_tried_again_then_failed(
    db: redis.Redis, client: TestClient[Litestar]
) -> None:
    _run(db, TEXTS[:3])
    (job_id,) = _jobs(db)
    _drain(db, WorkerContext(faults={faults.RAISE_VARIABLE: "Model 1 "}))

    lost = abstract_id(TEXTS[1])
    assert db.get(keys.error(lost)) == b"extraction failed: InjectedFault (after 3 attempts)"
    assert backfill.outcome(db, RUN) == (2, 1)
    body = client.get(f"/v1/jobs/{job_id}").json()
    assert body["status"] == "failed"
    states = {a["id"]: a["status"] for a in body["abstracts"]}
    assert states[lost] == "failed"
    assert list(states.values()).count("finished") == 2


def test_backfill_survey_counts_without_writing(db: redis.Redis) -> None:
    _run(db, TEXTS[:4])
    _drain(db)
    _run(db, TEXTS[4:6], run_id="run1")
    before = sorted(db.keys("*"))
    counts = Counts()
    backfill.survey_chunk(db, _records(TEXTS + TEXTS[:1]), counts)
    assert sorted(db.keys("*")) == before
    assert (counts.read, counts.extracted, counts.queued, counts.new, counts.repeated) == (
        11,
        4,
        2,
        4,
        1,
    )


def test_backfill_survey_without_redis_counts_distinct_as_new() -> None:
    counts = Counts()
    backfill.survey_chunk(None, _records(TEXTS[:3] + TEXTS[:1]), counts)
    assert (counts.read, counts.new, counts.repeated) == (4, 3, 1)


def test_backfill_chunked_is_lazy() -> None:
    def endless() -> Iterable[SourceRecord]:
        n = 0
        while True:
            yield _records([f"text {n}"])[0]
            n += 1

    chunks = backfill.chunked(endless(), 5)
    assert [len(next(chunks)) for _ in range(3)] == [5, 5, 5]
