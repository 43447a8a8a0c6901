"""An extraction that raises: retried a bounded number of times, then failed, queue unblocked."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from claimex.workers import keys, metrics
from tests.faults.conftest import Processes, wait_for

if TYPE_CHECKING:
    import redis

MARKER = "FAULT-INJECTED-HERE"


@pytest.mark.slow
def test_raising_extraction_fails_the_job_and_the_next_job_finishes(
    conn: redis.Redis, procs: Processes
) -> None:
    procs.worker("worker", CLAIMEX_FAULT_RAISE=MARKER, CLAIMEX_EXTRACT_ATTEMPTS="3")
    base = procs.serve()
    with httpx.Client(base_url=base, timeout=10) as http:
        bad = http.post("/v1/abstracts", json={"text": f"We reach 91.2% accuracy. {MARKER}"})
        good = http.post("/v1/abstracts", json={"text": "We reach 77.7% top-1 on ImageNet."})
        assert (bad.status_code, good.status_code) == (202, 202)

        def settled(response: httpx.Response) -> bool:
            status = http.get(response.headers["location"]).json()["status"]
            return status not in {"queued", "started"}

        wait_for(lambda: settled(bad) and settled(good), 90, "both jobs to settle")
        failed = http.get(bad.headers["location"]).json()
        finished = http.get(good.headers["location"]).json()

    assert failed["status"] == "failed"
    assert "InjectedFault" in failed["error"]
    assert "after 3 attempts" in failed["error"]
    assert failed["abstracts"][0]["error"] == failed["error"]
    assert finished["status"] == "finished"
    counts = metrics.read(conn)
    assert counts["abstracts_retried"] == 2
    assert counts["abstracts_failed"] == 1
    assert counts["abstracts_extracted"] == 1
    assert conn.llen(keys.inbox()) == 0
    assert not conn.exists(keys.attempts(failed["abstract_ids"][0]))
