"""api/abstracts.py: POST /v1/abstracts and GET /v1/abstracts/{id} as request → response tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import pytest
from litestar.testing import TestClient

from claimex.api.app import create_app
from claimex.extractors.model import abstract_id
from claimex.workers import keys, store
from claimex.workers.callbacks import WebhookSettings
from tests.api.cases import PROBLEM, Case, check

if TYPE_CHECKING:
    import redis
    from litestar import Litestar

    from claimex.settings import ServiceSettings

TEXT = "Our model reaches 88.5% accuracy on ImageNet."
OTHER = "We cut FLOPs by 2.5x over ResNet-50."

ACCEPTED = [
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            202,
            json={"text": TEXT},
            fields={"abstract_ids": [abstract_id(TEXT)]},
        ),
        id="one-abstract",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            202,
            json={"text": TEXT, "title": "Foo", "id": abstract_id(TEXT)},
        ),
        id="one-abstract-with-title-and-matching-id",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            202,
            json={"abstracts": [{"text": TEXT}, {"text": OTHER, "title": None}]},
            fields={"abstract_ids": [abstract_id(TEXT), abstract_id(OTHER)]},
        ),
        id="batch",
    ),
]

REJECTED = [
    pytest.param(
        Case("POST", "/v1/abstracts", 400, PROBLEM, content=b'{"text": "unterminated'),
        id="malformed-json-400",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json=["a list"],
            fields={"errors": [{"path": "$", "message": "Expected `object`, got `list`"}]},
        ),
        id="not-an-object-422",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json={"txt": TEXT},
            fields={"errors": [{"path": "$", "message": "Object contains unknown field `txt`"}]},
        ),
        id="unknown-field-422",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json={"title": "no text"},
            fields={"errors": [{"path": "$", "message": "Object missing required field `text`"}]},
        ),
        id="missing-text-422",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json={"text": ""},
            fields={"errors": [{"path": "$.text", "message": "Expected `str` of length >= 1"}]},
        ),
        id="empty-text-422",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json={"abstracts": [{"text": TEXT}, {"text": 7}]},
            fields={
                "errors": [{"path": "$.abstracts[1].text", "message": "Expected `str`, got `int`"}]
            },
        ),
        id="batch-item-wrong-type-names-its-path-422",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json={"abstracts": []},
            fields={
                "errors": [{"path": "$.abstracts", "message": "Expected `array` of length >= 1"}]
            },
        ),
        id="empty-batch-422",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json={"abstracts": [{"text": f"{n}"} for n in range(6)]},
        ),
        id="batch-over-limit-422",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json={"abstracts": [{"text": TEXT}, {"text": "x" * 5001}]},
            fields={
                "errors": [
                    {
                        "path": "$.abstracts[1].text",
                        "message": "text is longer than 5000 characters",
                    }
                ]
            },
        ),
        id="text-over-limit-422",
    ),
    pytest.param(
        Case("POST", "/v1/abstracts", 422, PROBLEM, json={"text": TEXT, "id": "0123456789abcdef"}),
        id="id-not-the-content-id-422",
    ),
    pytest.param(
        Case("POST", "/v1/abstracts", 413, PROBLEM, json={"text": "x" * 70_000}),
        id="body-over-limit-413",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json={"text": TEXT, "callback_url": "https://hooks.example.org/x"},
            fields={
                "errors": [
                    {
                        "path": "$.callback_url",
                        "message": "callback_url is refused: webhooks are off on this server "
                        "(CLAIMEX_WEBHOOK_ALLOW is unset)",
                    }
                ]
            },
        ),
        id="callback-with-webhooks-off-422",
    ),
    pytest.param(
        Case(
            "POST",
            "/v1/abstracts",
            422,
            PROBLEM,
            json={"abstracts": [{"text": TEXT, "callback_url": "https://hooks.example.org/x"}]},
        ),
        id="callback-on-one-abstract-of-a-batch-422",
    ),
    pytest.param(
        Case("GET", "/v1/abstracts/0123456789abcdef", 404, PROBLEM), id="unknown-abstract-404"
    ),
    pytest.param(
        Case("GET", "/v1/abstracts/not-an-id", 404, PROBLEM), id="malformed-abstract-id-404"
    ),
]


@pytest.mark.parametrize("case", ACCEPTED)
def test_abstracts_post_accepts(client: TestClient[Litestar], db: redis.Redis, case: Case) -> None:
    body = check(client, case)
    assert body["status_url"] == f"/v1/jobs/{body['job_id']}"
    for stored_id in body["abstract_ids"]:
        assert db.exists(keys.abstract(stored_id))


@pytest.mark.parametrize("case", REJECTED)
def test_abstracts_rejects(client: TestClient[Litestar], db: redis.Redis, case: Case) -> None:
    check(client, case)
    assert not list(db.scan_iter(match=keys.abstract("*")))


def test_abstracts_post_sets_location_to_the_status_url(client: TestClient[Litestar]) -> None:
    response = client.post("/v1/abstracts", json={"text": TEXT})
    assert response.headers["location"] == response.json()["status_url"]
    assert client.get(response.headers["location"]).status_code == 200


def test_abstracts_post_same_text_twice_same_id_one_record(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    first = client.post("/v1/abstracts", json={"text": TEXT}).json()
    second = client.post("/v1/abstracts", json={"text": TEXT}).json()
    assert first["abstract_ids"] == second["abstract_ids"]
    assert len(list(db.scan_iter(match=keys.abstract("*")))) == 1


def test_abstracts_get_returns_the_abstract_before_extraction(client: TestClient[Litestar]) -> None:
    client.post("/v1/abstracts", json={"text": TEXT, "title": "Foo"})
    check(
        client,
        Case(
            "GET",
            f"/v1/abstracts/{abstract_id(TEXT)}",
            200,
            fields={
                "id": abstract_id(TEXT),
                "text": TEXT,
                "title": "Foo",
                "source": "api",
                "claims": None,
            },
        ),
    )


def test_abstracts_get_returns_stored_claims(client: TestClient[Litestar], db: redis.Redis) -> None:
    client.post("/v1/abstracts", json={"text": TEXT})
    abstract = store.get_abstract(db, abstract_id(TEXT))
    pipe = db.pipeline()
    store.write_claims(pipe, [store.Extracted(abstract, ())])
    pipe.execute()
    check(client, Case("GET", f"/v1/abstracts/{abstract_id(TEXT)}", 200, fields={"claims": []}))


WEBHOOKS = WebhookSettings(hosts=("hooks.example.org",), secret="a-secret-of-twenty-chars")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param("https://hooks.example.org/claimex", 202, id="listed-202"),
        pytest.param("https://other.example.org/claimex", 422, id="not-listed-422"),
        pytest.param("http://169.254.169.254/latest", 422, id="metadata-address-422"),
        pytest.param("http://127.0.0.1:8000/v1/abstracts", 422, id="loopback-not-allowed-422"),
        pytest.param("gopher://hooks.example.org/", 422, id="scheme-422"),
    ],
)
def test_abstracts_callback_url_is_checked_against_the_allow_list(
    settings: ServiceSettings, db: redis.Redis, url: str, status: int
) -> None:
    app = create_app(msgspec.structs.replace(settings, webhooks=WEBHOOKS))
    with TestClient(app) as client:
        body = {"abstracts": [{"text": TEXT}], "callback_url": url}
        answer = client.post("/v1/abstracts", json=body)
    assert answer.status_code == status, answer.text
    if status == 202:
        job_id = answer.json()["job_id"]
        assert db.hget(keys.job_state(job_id), "callback") == url.encode()
    else:
        assert answer.headers["content-type"] == PROBLEM
        assert db.dbsize() == 0  # nothing stored
