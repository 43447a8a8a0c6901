"""A pathological abstract in a real worker: stopped at its budget, its batch-mates finish.

It fails with "timeout" and is never retried (the issue's case held a worker 372 s, its mates
127 s).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import httpx
import pytest

from claimex.workers import keys, metrics
from tests.faults.conftest import Processes, wait_for

if TYPE_CHECKING:
    import redis

HANG = "NEVER-ENDING-INPUT"


@pytest.mark.slow
def test_a_slow_abstract_fails_alone_within_its_budget(conn: redis.Redis, procs: Processes) -> None:
    procs.worker("worker", CLAIMEX_FAULT_HANG=HANG, CLAIMEX_EXTRACT_TIMEOUT="1")
    base = procs.serve()
    texts = [
        f"We reach 91.2% accuracy. {HANG}",
        *(f"Mate {n} reaches {60 + n}.5% F1 on SQuAD." for n in range(3)),
    ]
    with httpx.Client(base_url=base, timeout=10) as http:
        accepted = http.post("/v1/abstracts", json={"abstracts": [{"text": t} for t in texts]})
        assert accepted.status_code == 202
        sent = time.monotonic()

        def settled() -> bool:
            status: str = http.get(accepted.headers["location"]).json()["status"]
            return status == "failed"

        wait_for(settled, 60, "the batch to settle")
        took = time.monotonic() - sent
        body = http.get(accepted.headers["location"]).json()
    states = [(a["status"], a.get("error")) for a in body["abstracts"]]
    assert states[0][0] == "failed"
    assert states[0][1].startswith("timeout"), states
    assert [s for s, _ in states[1:]] == ["finished"] * 3
    assert took < 10, f"the batch took {took:.1f} s with a 1 s budget"
    counts = metrics.read(conn)
    assert (counts["abstracts_timed_out"], counts["abstracts_retried"]) == (1, 0)
    assert conn.llen(keys.inbox()) == 0
