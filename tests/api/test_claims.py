"""api/claims.py: GET /v1/claims filters (case-insensitive) and pages through claims."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.api.cases import PROBLEM, Case, check
from tests.workers.claims_factory import make_claim, put_abstract, put_claims

if TYPE_CHECKING:
    import redis
    from litestar import Litestar
    from litestar.testing import TestClient

TEXT = "Foo reaches 88.5% accuracy on ImageNet, 71.2% F1 on SQuAD and 2.5x speed-up."


@pytest.fixture
def stored(db: redis.Redis) -> None:
    abstract = put_abstract(db, TEXT)
    claims = (
        make_claim(TEXT, "88.5%", metric="accuracy", dataset="ImageNet", subject="Foo"),
        make_claim(TEXT, "71.2%", metric="F1", dataset="SQuAD", subject="Foo"),
        make_claim(TEXT, "2.5x", unit="x", kind="ratio", metric="speed-up", subject="Foo"),
    )
    put_claims(db, abstract, claims)


def _spans(body: dict[str, object]) -> list[str]:
    items = body["items"]
    assert isinstance(items, list)
    return [item["claim"]["span"] for item in items]


@pytest.mark.usefixtures("stored")
@pytest.mark.parametrize(
    ("path", "spans", "fields"),
    [
        pytest.param(
            "/v1/claims", ["88.5%", "71.2%", "2.5x"], {"total": 3, "next": None}, id="all"
        ),
        pytest.param("/v1/claims?metric=Accuracy", ["88.5%"], {"total": 1}, id="metric"),
        pytest.param("/v1/claims?dataset=squad", ["71.2%"], {"total": 1}, id="dataset"),
        pytest.param(
            "/v1/claims?subject=FOO&kind=ratio", ["2.5x"], {"total": 1}, id="subject-and-kind"
        ),
        pytest.param("/v1/claims?metric=BLEU", [], {"total": 0}, id="no-match"),
        pytest.param(
            "/v1/claims?subject=foo&limit=2",
            ["88.5%", "71.2%"],
            {
                "total": 3,
                "limit": 2,
                "offset": 0,
                "next": "/v1/claims?subject=foo&limit=2&offset=2",
            },
            id="first-page-links-the-next",
        ),
        pytest.param(
            "/v1/claims?subject=foo&limit=2&offset=2", ["2.5x"], {"next": None}, id="last-page"
        ),
    ],
)
def test_claims_filters_and_pages(
    client: TestClient[Litestar], path: str, spans: list[str], fields: dict[str, object]
) -> None:
    body = check(client, Case("GET", path, 200, fields=fields))
    assert _spans(body) == spans


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/v1/claims?limit=0", id="limit-too-small"),
        pytest.param("/v1/claims?limit=501", id="limit-too-large"),
        pytest.param("/v1/claims?offset=-1", id="negative-offset"),
        pytest.param("/v1/claims?kind=guess", id="unknown-kind"),
    ],
)
def test_claims_bad_query_is_a_400_problem(client: TestClient[Litestar], path: str) -> None:
    check(client, Case("GET", path, 400, PROBLEM))
