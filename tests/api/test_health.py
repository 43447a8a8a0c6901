"""api/health.py and api/errors.py: readiness follows Redis; an outage is a 503 problem."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from litestar.testing import TestClient

from claimex.api.app import create_app
from claimex.settings import ServiceSettings
from claimex.workers.redis_server import free_port
from tests.api.cases import PROBLEM, Case, check

if TYPE_CHECKING:
    from collections.abc import Iterator

    from litestar import Litestar


@pytest.fixture
def client_without_redis() -> Iterator[TestClient[Litestar]]:
    """The API pointed at a loopback port where no Redis listens."""
    settings = ServiceSettings(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    with TestClient(create_app(settings)) as client:
        yield client


def test_health_ready_when_redis_answers(client: TestClient[Litestar]) -> None:
    check(client, Case("GET", "/health", 200, fields={"live": True, "ready": True, "redis": "ok"}))


def test_health_not_ready_when_redis_is_down(client_without_redis: TestClient[Litestar]) -> None:
    check(
        client_without_redis,
        Case("GET", "/health", 503, PROBLEM, fields={"live": True, "ready": False}),
    )


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(Case("POST", "/v1/abstracts", 503, PROBLEM, json={"text": "x"}), id="post"),
        pytest.param(Case("GET", "/v1/abstracts/0123456789abcdef", 503, PROBLEM), id="abstract"),
        pytest.param(Case("GET", "/v1/jobs/" + "0" * 32, 503, PROBLEM), id="job"),
        pytest.param(Case("GET", "/v1/claims?metric=accuracy", 503, PROBLEM), id="claims"),
    ],
)
def test_health_redis_down_routes_answer_503(
    client_without_redis: TestClient[Litestar], case: Case
) -> None:
    response = client_without_redis.request(case.method, case.path, json=case.json)
    assert response.headers["retry-after"] == "5"
    check(client_without_redis, case)
