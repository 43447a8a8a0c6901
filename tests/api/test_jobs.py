"""api/jobs.py: GET /v1/jobs/{job_id} reports the submission's status and its abstracts'."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from claimex.extractors.model import abstract_id
from claimex.workers.jobs import process_batch
from tests.api.cases import PROBLEM, Case, check

if TYPE_CHECKING:
    import redis
    from litestar import Litestar
    from litestar.testing import TestClient

TEXT = "Our model reaches 88.5% accuracy on ImageNet."


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(Case("GET", "/v1/jobs/" + "0" * 32, 404, PROBLEM), id="unknown-job-404"),
        pytest.param(Case("GET", "/v1/jobs/nope", 404, PROBLEM), id="malformed-job-id-404"),
    ],
)
def test_jobs_unknown(client: TestClient[Litestar], case: Case) -> None:
    check(client, case)


def test_jobs_status_queued_then_finished(client: TestClient[Litestar], db: redis.Redis) -> None:
    accepted = client.post("/v1/abstracts", json={"text": TEXT}).json()
    status_url, job_id = accepted["status_url"], accepted["job_id"]
    queued = {"id": job_id, "status": "queued", "abstract_ids": [abstract_id(TEXT)], "error": None}
    check(client, Case("GET", status_url, 200, fields=queued))
    process_batch(db, accepted["abstract_ids"], job_id=job_id)
    body = check(client, Case("GET", status_url, 200, fields={"status": "finished"}))
    assert body["abstracts"] == [{"id": abstract_id(TEXT), "status": "finished", "error": None}]
