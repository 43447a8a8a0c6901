"""api/errors.py: whatever goes wrong, the client gets a problem document and no internals."""

from __future__ import annotations

from litestar import Litestar, get
from litestar.testing import TestClient

from tests.api.cases import PROBLEM, Case, check


@get("/boom", sync_to_thread=False)
def boom() -> None:
    raise RuntimeError("secret detail")


def test_errors_unexpected_exception_is_a_bare_500_problem(app: Litestar) -> None:
    app.register(boom)
    with TestClient(app) as client:
        body = check(client, Case("GET", "/boom", 500, PROBLEM))
    assert "secret" not in str(body)


def test_errors_unknown_route_is_a_404_problem(client: TestClient[Litestar]) -> None:
    check(client, Case("GET", "/v2/nothing", 404, PROBLEM))


def test_errors_wrong_method_is_a_405_problem(client: TestClient[Litestar]) -> None:
    check(client, Case("DELETE", "/v1/claims", 405, PROBLEM))
