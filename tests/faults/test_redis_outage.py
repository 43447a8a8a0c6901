"""Redis goes away and comes back: writes resume at once, and no abstract is lost or doubled.

Writes succeed as soon as /health says ready, and a worker caught in the middle of a batch
waits, finishes it, and stays up — each abstract extracted once.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING

import httpx
import pytest
import redis

from claimex.workers import keys, metrics
from claimex.workers.queue import NewAbstract, job_status, submit
from claimex.workers.redis_server import EmbeddedRedis
from tests.faults.conftest import START_TIMEOUT, Processes, wait_for

if TYPE_CHECKING:
    from pathlib import Path

TEXTS = [f"Run {n} reaches {60 + n}.5% accuracy on ImageNet with {n + 2} layers." for n in range(6)]


def _restart(server: EmbeddedRedis, down_for: float) -> EmbeddedRedis:
    server.stop()
    time.sleep(down_for)
    again = EmbeddedRedis(server.data_dir, port=server.port)
    again.start()
    return again


async def _posts(base: str, count: int, tag: str) -> list[int]:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        answers = await asyncio.gather(
            *(
                http.post("/v1/abstracts", json={"text": f"{tag} {n}: 1.{n}% F1."})
                for n in range(count)
            )
        )
    return [a.status_code for a in answers]


@pytest.mark.slow
def test_writes_succeed_as_soon_as_health_is_ready_after_a_restart(
    server: EmbeddedRedis, procs: Processes
) -> None:
    base = procs.serve()
    # Fill the API's connection pools: these connections all die with the restart.
    assert asyncio.run(_posts(base, 16, "before")) == [202] * 16
    restarted = _restart(server, 0.5)
    try:
        with httpx.Client(base_url=base, timeout=10) as http:
            wait_for(lambda: http.get("/health").status_code == 200, 30, "/health to be ready")
        assert asyncio.run(_posts(base, 16, "after")) == [202] * 16
    finally:
        restarted.stop()


@pytest.mark.slow
def test_a_worker_mid_batch_waits_for_redis_and_finishes_the_batch(
    server: EmbeddedRedis, conn: redis.Redis, procs: Processes
) -> None:
    # 0.5 s per abstract: the batch of 6 is surely in hand when Redis goes away.
    worker = procs.worker("worker", CLAIMEX_FAULT_SLEEP="0.5")
    wait_for(lambda: bool(conn.keys(keys.worker("*"))), START_TIMEOUT, "the worker to start")
    submission = submit(conn, [NewAbstract(text=t) for t in TEXTS], source="test", job_ttl=3600)
    wait_for(lambda: job_status(conn, submission.job_id).status == "started", 30, "the batch")
    restarted = _restart(server, 3.0)
    try:
        client = redis.Redis.from_url(restarted.url)

        def finished() -> bool:
            return job_status(client, submission.job_id).status == "finished"

        wait_for(finished, 90, "the interrupted batch to finish")
        assert worker.poll() is None, "the worker exited:\n" + procs.log("worker")
        counts = metrics.read(client)
        assert counts["abstracts_extracted"] == len(TEXTS), "an abstract was extracted twice"
        assert client.hlen(keys.owners()) == 0
        assert client.llen(keys.inbox()) == 0
        # And it still takes new work.
        later = submit(client, [NewAbstract(text="Later: 77.7% F1.")], source="t", job_ttl=60)
        wait_for(lambda: job_status(client, later.job_id).status == "finished", 30, "new work")
        client.close()
    finally:
        restarted.stop()


@pytest.mark.slow
def test_backfill_wait_follows_its_run_through_an_outage(
    server: EmbeddedRedis, conn: redis.Redis, procs: Processes, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    texts = [f"Trial {n} reaches {40 + n}.5% recall on BarQA." for n in range(40)]
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    # 0.2 s per abstract: the run is still being followed when Redis goes away.
    procs.worker("worker", CLAIMEX_FAULT_SLEEP="0.2")
    wait_for(lambda: bool(conn.keys(keys.worker("*"))), START_TIMEOUT, "the worker to start")
    backfill = procs.claimex("backfill", "--wait", str(corpus), name="backfill")
    wait_for(lambda: metrics.read(conn)["abstracts_extracted"] >= 3, 60, "extraction to start")
    restarted = _restart(server, 3.0)
    try:
        assert backfill.wait(120) == 0, procs.log("backfill")
        counts = metrics.read(redis.Redis.from_url(restarted.url))
        assert counts["abstracts_extracted"] == len(texts), "an abstract was extracted twice"
    finally:
        restarted.stop()
