"""Hostile and malformed requests: each gets an RFC 9457 problem, and nothing is stored.

Every case runs against the real Redis test database; a snapshot of its keys before and after
must be equal. The ``settings`` fixture's limits are small (64 kB body, 5 per batch, 5,000
characters per text) so the limits are reached cheaply.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, cast

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from litestar.plugins.problem_details import ProblemDetailsException

from claimex.api.abstracts import parse_submission
from claimex.settings import ServiceSettings
from tests.api.cases import PROBLEM

if TYPE_CHECKING:
    import redis
    from httpx import Response
    from litestar import Litestar
    from litestar.testing import TestClient

TEXT = "Our model reaches 88.5% accuracy on ImageNet."
ONE = {"text": TEXT}


def _raw(body: str) -> bytes:
    return body.encode()


def _nested(depth: int) -> bytes:
    return b'{"text": ' + b"[" * depth + b"]" * depth + b"}"


BODIES = [
    pytest.param(b"x" * 70_000, 413, id="body-over-size-limit"),
    pytest.param(json.dumps({"text": "a" * 66_000}).encode(), 413, id="json-body-over-size-limit"),
    pytest.param(json.dumps({"abstracts": [ONE] * 6}).encode(), 422, id="batch-over-count-limit"),
    pytest.param(json.dumps({"text": "a" * 5_001}).encode(), 422, id="text-over-length-limit"),
    pytest.param(
        json.dumps({"abstracts": [ONE, {"text": "b" * 5_001}]}).encode(),
        422,
        id="batch-item-over-length-limit",
    ),
    pytest.param(
        json.dumps({"text": "a", "title": "T" * 501}).encode(), 422, id="title-over-limit"
    ),
    pytest.param(
        json.dumps({"abstracts": [ONE, {"text": "b", "title": "T" * 501}]}).encode(),
        422,
        id="batch-item-title-over-limit",
    ),
    pytest.param(b"", 400, id="empty-body"),
    pytest.param(b'{"text": "unterminated', 400, id="invalid-json-truncated"),
    pytest.param(b"{'text': 'single quotes'}", 400, id="invalid-json-quotes"),
    pytest.param(b'{"text": "a"} trailing', 400, id="invalid-json-trailing"),
    pytest.param(b'{"text": NaN}', 400, id="invalid-json-nan"),
    pytest.param(b"null", 422, id="json-null"),
    pytest.param(b'"just a string"', 422, id="json-string"),
    pytest.param(b"[]", 422, id="json-array"),
    pytest.param(b"{}", 422, id="missing-text"),
    pytest.param(_raw('{"text": ""}'), 422, id="empty-text"),
    pytest.param(_raw('{"text": 42}'), 422, id="wrong-type-text-number"),
    pytest.param(_raw('{"text": ["a"]}'), 422, id="wrong-type-text-list"),
    pytest.param(_raw('{"text": "a", "title": 7}'), 422, id="wrong-type-title"),
    pytest.param(_raw('{"abstracts": {"text": "a"}}'), 422, id="wrong-type-abstracts"),
    pytest.param(_raw('{"abstracts": []}'), 422, id="empty-batch"),
    pytest.param(_raw('{"abstracts": ["a"]}'), 422, id="wrong-type-batch-item"),
    pytest.param(_raw('{"text": "a", "id": "../../etc/passwd"}'), 422, id="id-not-hex"),
    pytest.param(_raw('{"text": "a", "id": "0123456789abcdef"}'), 422, id="id-not-content-id"),
    pytest.param(_raw('{"text": "a", "txt": "b"}'), 422, id="unknown-field"),
    pytest.param(_raw('{"abstracts": [{"text": "a", "x": 1}]}'), 422, id="unknown-field-in-batch"),
    pytest.param(_raw('{"abstracts": [{"text": "a"}], "text": "b"}'), 422, id="batch-and-text"),
    pytest.param(b'{"text": "caf\xe9"}', 400, id="non-utf8-latin1"),
    pytest.param(b'\xff\xfe{\x00"\x00', 400, id="non-utf8-utf16-bom"),
    pytest.param(b'{"text": "a\x00b"}', 400, id="raw-nul-byte-in-string"),
    pytest.param(b'{"text": "a\x01b"}', 400, id="raw-control-byte-in-string"),
    pytest.param(_raw('{"text": "a\\ud800b"}'), 400, id="lone-high-surrogate"),
    pytest.param(_raw('{"text": "a\\udc00b"}'), 400, id="lone-low-surrogate"),
    pytest.param(_raw('{"text": "a", "title": "\\ud800"}'), 400, id="lone-surrogate-title"),
    pytest.param(_nested(30_000), 400, id="deeply-nested-30k"),
    pytest.param(_nested(100), 422, id="nested-100"),
    pytest.param(_raw('{"text": "a", "title": ' + "9" * 5_000 + "}"), 400, id="huge-integer"),
    pytest.param(_raw('{"text": "a", "title": 1e999}'), 400, id="huge-float"),
    pytest.param(_raw('{"text": "a", "title": -1e-999}'), 422, id="tiny-float"),
]


def _snapshot(db: redis.Redis) -> tuple[int, list[bytes]]:
    return db.dbsize(), sorted(cast("list[bytes]", db.keys("*")))


def _assert_problem(response: Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize(("body", "status"), BODIES)
def test_hostile_body_is_a_problem_and_stores_nothing(
    client: TestClient[Litestar], db: redis.Redis, body: bytes, status: int
) -> None:
    before = _snapshot(db)
    response = client.post(
        "/v1/abstracts", content=body, headers={"content-type": "application/json"}
    )
    _assert_problem(response, status)
    assert _snapshot(db) == before


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        pytest.param("text/plain", b'{"text": "a 5% gain"}', id="text-plain-json-body"),
        pytest.param("application/x-www-form-urlencoded", b"text=a", id="form"),
        pytest.param("multipart/form-data; boundary=x", b"--x--", id="multipart"),
        pytest.param("text/html", b'{"text": "a"}', id="html"),
    ],
)
def test_non_json_content_types_are_refused_415(
    client: TestClient[Litestar], db: redis.Redis, content_type: str, body: bytes
) -> None:
    before = _snapshot(db)
    response = client.post("/v1/abstracts", content=body, headers={"content-type": content_type})
    _assert_problem(response, 415)
    assert _snapshot(db) == before


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/x+json"]
)
def test_json_content_types_are_accepted(client: TestClient[Litestar], content_type: str) -> None:
    response = client.post(
        "/v1/abstracts", content=b'{"text": "a 5% gain"}', headers={"content-type": content_type}
    )
    assert response.status_code == 202, response.text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a\x00b", id="nul"),
        pytest.param("tab\there\x07bell\x1bescape\x7fdel", id="control-chars"),
        pytest.param("\u202eright-to-left override\u200b", id="bidi-and-zero-width"),
        pytest.param("emoji \U0001f600 pair", id="surrogate-pair-escape"),
    ],
)
def test_control_characters_are_stored_and_read_back_exactly(
    client: TestClient[Litestar], text: str
) -> None:
    """Control characters are text like any other: accepted, stored and returned unchanged."""
    response = client.post("/v1/abstracts", json={"text": text, "title": text})
    assert response.status_code == 202, response.text
    (abstract_id,) = response.json()["abstract_ids"]
    read = client.get(f"/v1/abstracts/{abstract_id}")
    assert read.status_code == 200
    assert read.json()["text"] == text
    assert read.json()["title"] == text


PATHS = [
    pytest.param("/v1/abstracts/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 404, id="abstract-traversal"),
    pytest.param("/v1/abstracts/..%2F..%2Fetc%2Fpasswd", 404, id="abstract-traversal-mixed"),
    pytest.param("/v1/abstracts/" + "a" * 10_000, 404, id="abstract-overlong-id"),
    pytest.param("/v1/abstracts/0123456789ABCDEF", 404, id="abstract-uppercase-id"),
    pytest.param("/v1/abstracts/%00", 404, id="abstract-nul-id"),
    pytest.param("/static/%00", 404, id="static-nul"),
    pytest.param("/docs/assets/x%00.js", 404, id="docs-assets-nul"),
    pytest.param("/v1/abstracts/%ff%fe", 404, id="abstract-non-utf8-id"),
    pytest.param("/v1/jobs/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 404, id="job-traversal"),
    pytest.param("/v1/jobs/" + "f" * 10_000, 404, id="job-overlong-id"),
    pytest.param("/v1/tables/%2e%2e%2fkeys", 404, id="table-traversal"),
    pytest.param("/v1/tables/" + "0" * 10_000, 404, id="table-overlong-id"),
    pytest.param("/static/..%2f..%2fpyproject.toml", 404, id="static-traversal"),
    pytest.param("/static/%2e%2e/%2e%2e/pyproject.toml", 404, id="static-dot-traversal"),
    pytest.param("/v1/claims?limit=" + "9" * 400, 400, id="claims-huge-limit"),
    pytest.param("/v1/claims?limit=-1", 400, id="claims-negative-limit"),
    pytest.param("/v1/claims?offset=1e999", 400, id="claims-float-offset"),
    pytest.param("/v1/tables?limit=abc", 400, id="tables-limit-not-int"),
]


@pytest.mark.parametrize(("path", "status"), PATHS)
def test_hostile_url_is_a_problem_and_stores_nothing(
    client: TestClient[Litestar], db: redis.Redis, path: str, status: int
) -> None:
    before = _snapshot(db)
    response = client.get(path)
    _assert_problem(response, status)
    assert "root:" not in response.text
    assert _snapshot(db) == before


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/v1/claims?offset=66926714499623698432", id="claims-offset-past-int64"),
        pytest.param("/v1/tables?offset=13140641100762953285632", id="tables-offset-past-int64"),
        pytest.param("/v1/claims?offset=1000000001", id="claims-offset-over-max"),
    ],
)
def test_offsets_redis_cannot_take_are_400_not_500(
    client: TestClient[Litestar], db: redis.Redis, path: str
) -> None:
    """Found by schemathesis: such offsets reached Redis, which refused them (500)."""
    before = _snapshot(db)
    _assert_problem(client.get(path), 400)
    assert _snapshot(db) == before


FIELDS = ["text", "title", "id", "abstracts", "x"]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["text", "title", "id", "abstracts", "callback_url", "x"]),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)
LIMITS = ServiceSettings(max_batch=3, max_text_chars=50, max_title_chars=10)


def _parse_is_total(body: bytes) -> None:
    try:
        items = parse_submission(body, LIMITS).items
    except ProblemDetailsException as problem:
        status = problem.status_code
    else:
        status = 200
        assert 1 <= len(items) <= LIMITS.max_batch
        assert all(1 <= len(item.text) <= LIMITS.max_text_chars for item in items)
        assert all(len(item.title or "") <= LIMITS.max_title_chars for item in items)
        assert all(item.text.encode() for item in items)
    assert status in (200, 400, 422)


@settings(max_examples=300, deadline=None, derandomize=True)
@pytest.mark.slow  # hypothesis: hundreds of generated bodies
@given(st.binary(max_size=200))
def test_parsing_any_bytes_is_a_submission_or_a_problem(body: bytes) -> None:
    _parse_is_total(body)


@settings(max_examples=300, deadline=None, derandomize=True)
@pytest.mark.slow  # hypothesis: hundreds of generated bodies
@given(JSON_VALUES)
def test_parsing_any_json_is_a_submission_or_a_problem(value: object) -> None:
    _parse_is_total(msgspec.json.encode(value))
