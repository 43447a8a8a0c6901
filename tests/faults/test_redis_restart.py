"""Redis stopped and restarted under a running API and worker: 503 meanwhile, nothing lost."""

from __future__ import annotations

import httpx
import pytest

from claimex.workers.redis_server import EmbeddedRedis
from tests.faults.conftest import START_TIMEOUT, Processes, wait_for

TEXTS = [f"Our method improves BLEU by {n}.4 points on WMT14 En-De." for n in range(1, 9)]


def _is_problem_503(response: httpx.Response) -> bool:
    return (
        response.status_code == 503
        and response.headers["content-type"].startswith("application/problem+json")
        and response.json()["status"] == 503
    )


@pytest.mark.slow
def test_api_and_worker_survive_a_redis_restart(server: EmbeddedRedis, procs: Processes) -> None:
    # The worker is slow (0.3 s per abstract), so work is still queued when Redis stops.
    procs.worker("worker", CLAIMEX_FAULT_SLEEP="0.3")
    base = procs.serve()
    with httpx.Client(base_url=base, timeout=10) as http:
        accepted = [http.post("/v1/abstracts", json={"text": t}) for t in TEXTS]
        assert [r.status_code for r in accepted] == [202] * len(TEXTS)

        server.stop()
        health = http.get("/health")
        assert _is_problem_503(health)
        assert health.json()["ready"] is False
        assert _is_problem_503(http.post("/v1/abstracts", json={"text": "Down 1.0% now."}))
        assert _is_problem_503(http.get(accepted[0].headers["location"]))

        restarted = EmbeddedRedis(server.data_dir, port=server.port)
        restarted.start()
        try:

            def ready() -> bool:
                return http.get("/health").status_code == 200

            wait_for(ready, 30, "the API to see Redis again")
            after = http.post("/v1/abstracts", json={"text": "After the restart: 55.5% F1."})
            assert after.status_code == 202

            def all_finished() -> bool:
                statuses = [http.get(r.headers["location"]).json()["status"] for r in accepted]
                assert "failed" not in statuses, statuses
                return set(statuses) == {"finished"} and (
                    http.get(after.headers["location"]).json()["status"] == "finished"
                )

            wait_for(all_finished, START_TIMEOUT, "every accepted abstract to be extracted")
            for response, text in zip(accepted, TEXTS, strict=True):
                abstract_id = response.json()["abstract_ids"][0]
                stored = http.get(f"/v1/abstracts/{abstract_id}").json()
                assert stored["text"] == text
                assert stored["claims"] is not None
        finally:
            restarted.stop()
