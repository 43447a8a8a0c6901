"""GET /metrics (Prometheus text) and the one JSON log line per request."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from prometheus_client.parser import text_string_to_metric_families

from claimex.workers import keys
from claimex.workers.jobs import drain_inbox

if TYPE_CHECKING:
    import pytest
    import redis
    from litestar import Litestar
    from litestar.testing import TestClient

TEXT = "Our model reaches 88.5% accuracy on ImageNet."
SECRET_TEXT = "A confidential abstract: 42.0% accuracy on SecretSet."


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a scrape, parsed by prometheus_client's own parser."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(text: str, name: str, **labels: str) -> float:
    found = _samples(text).get((name, frozenset(labels.items())))
    assert found is not None, f"{name} {labels} missing from:\n{text}"
    return found


def test_metrics_reports_queue_jobs_extraction_and_http(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    assert client.post("/v1/abstracts", json={"text": TEXT}).status_code == 202
    before = client.get("/metrics")
    assert before.status_code == 200
    assert before.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert _value(before.text, "claimex_inbox_length") == 1
    assert _value(before.text, "claimex_queue_length") == 1
    assert _value(before.text, "claimex_jobs_total", outcome="done") == 0

    drain_inbox(db, "drain-1")
    text = client.get("/metrics").text
    assert _value(text, "claimex_inbox_length") == 0
    assert _value(text, "claimex_jobs_total", outcome="done") == 1
    assert _value(text, "claimex_abstracts_total", outcome="extracted") == 1
    assert _value(text, "claimex_extraction_seconds_bucket", le="+Inf") == 1
    assert _value(text, "claimex_extraction_seconds_count") == 1
    assert _value(text, "claimex_extraction_seconds_sum") > 0
    assert "# TYPE claimex_extraction_seconds histogram" in text
    assert "# TYPE claimex_http_request_duration_seconds histogram" in text
    route = {"method": "POST", "route": "/v1/abstracts"}
    assert _value(text, "claimex_http_request_duration_seconds_count", **route) == 1
    assert _value(text, "claimex_http_request_duration_seconds_bucket", **route, le="+Inf") == 1
    assert _value(text, "claimex_http_requests_total", **route, status="202") == 1
    assert "_created" not in text
    assert db.llen(keys.inbox()) == 0


def test_metrics_histogram_buckets_are_cumulative(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    for n in range(3):
        client.get("/health", headers={"x-request-id": f"r{n}"})
    text = client.get("/metrics").text
    (family,) = (
        f
        for f in text_string_to_metric_families(text)
        if f.name == "claimex_http_request_duration_seconds"
    )
    counts = [
        s.value
        for s in family.samples
        if s.name.endswith("_bucket") and s.labels["route"] == "/health"
    ]
    assert len(counts) == 13
    assert counts == sorted(counts)
    assert counts[-1] == 3


def test_each_request_logs_one_json_line_without_text(
    client: TestClient[Litestar], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    response = client.post(
        "/v1/abstracts",
        json={"text": SECRET_TEXT},
        headers={"x-request-id": "req-123", "authorization": "Bearer hunter2"},
    )
    assert response.headers["x-request-id"] == "req-123"
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["event"] == "request"]
    assert len(requests) == 1
    line = requests[0]
    assert line["request_id"] == "req-123"
    assert (line["method"], line["route"], line["status"]) == ("POST", "/v1/abstracts", 202)
    assert isinstance(line["duration_ms"], float)
    assert "SecretSet" not in err
    assert "hunter2" not in err


def test_request_id_is_made_when_missing_or_unplain(client: TestClient[Litestar]) -> None:
    made = client.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    replaced = client.get("/health", headers={"x-request-id": "bad id\t!"})
    assert replaced.headers["x-request-id"] != "bad id\t!"


def test_successful_health_probes_are_not_logged(
    client: TestClient[Litestar], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    for _ in range(5):
        assert client.get("/health").status_code == 200
    client.get("/v1/claims")
    lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
    routes = [line["route"] for line in lines if line["event"] == "request"]
    assert routes == ["/v1/claims"]
