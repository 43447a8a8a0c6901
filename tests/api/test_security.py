"""api/security.py and the app's global checks, each a table of cases.

Headers on every response, HEAD, cross-site writes, control characters in paths, and the small
defects of issue 13.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pytest
from litestar.testing import TestClient

from claimex.api import security
from claimex.api.app import create_app
from claimex.settings import ServiceSettings
from tests.api.cases import PROBLEM

if TYPE_CHECKING:
    from collections.abc import Iterator

    import redis
    from litestar import Litestar

BODY = {"text": "Our model reaches 88.5% accuracy on ImageNet."}
SELF = "http://testserver.local"
ALLOWED = "https://lab.example.org"


@pytest.fixture
def cors_client(settings: ServiceSettings) -> Iterator[TestClient[Litestar]]:
    app = create_app(ServiceSettings(redis_url=settings.redis_url, cors_origins=(ALLOWED,)))
    with TestClient(app) as client:
        yield client


PATHS = [
    pytest.param("GET", "/", 200, id="home"),
    pytest.param("GET", "/submit", 200, id="form"),
    pytest.param("GET", "/static/claimex.css", 200, id="static"),
    pytest.param("GET", "/docs", 200, id="docs"),
    pytest.param("GET", "/v1/claims", 200, id="api"),
    pytest.param("GET", "/health", 200, id="health"),
    pytest.param("GET", "/no/such/page", 404, id="unrouted-404"),
    pytest.param("DELETE", "/health", 405, id="wrong-method-405"),
    pytest.param("GET", "/static/a%00b", 404, id="nul-in-path-404"),
]


@pytest.mark.parametrize(("method", "path", "status"), PATHS)
def test_every_response_has_the_security_headers(
    client: TestClient[Litestar], method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert ("'unsafe-inline'" in policy) == path.startswith("/docs")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "path", ["/health", "/", "/v1/claims", "/static/claimex.css", "/docs/openapi.json", "/metrics"]
)
def test_head_answers_every_get_route_without_a_body(
    client: TestClient[Litestar], path: str
) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def _write(client: TestClient[Litestar], target: str, headers: dict[str, str]) -> Any:
    if target == "api":
        return client.post("/v1/abstracts", json=BODY, headers=headers)
    return client.post(
        "/submit", data={"text": BODY["text"]}, headers=headers, follow_redirects=False
    )


@pytest.mark.parametrize("target", ["api", "form"])
@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        pytest.param({}, True, id="no-origin-not-a-browser"),
        pytest.param({"origin": SELF}, True, id="same-origin"),
        pytest.param({"origin": ALLOWED}, True, id="origin-in-cors-list"),
        pytest.param({"sec-fetch-site": "same-origin"}, True, id="fetch-site-same-origin"),
        pytest.param({"origin": "https://evil.example"}, False, id="other-site"),
        pytest.param({"origin": "http://testserver.local.evil.example"}, False, id="lookalike"),
        pytest.param({"origin": "null"}, False, id="opaque-origin"),
        pytest.param({"sec-fetch-site": "cross-site"}, False, id="fetch-site-cross-site"),
        pytest.param(
            {"origin": "https://evil.example", "sec-fetch-site": "same-origin"},
            False,
            id="origin-wins",
        ),
    ],
)
def test_cross_site_writes_are_refused(
    cors_client: TestClient[Litestar],
    db: redis.Redis,
    target: str,
    headers: dict[str, str],
    allowed: bool,
) -> None:
    response = _write(cors_client, target, headers)
    if allowed:
        assert response.status_code in (202, 303), response.text
        assert db.dbsize() > 0
    else:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].split(";")[0] == PROBLEM
        assert db.dbsize() == 0


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        pytest.param(b"text=caf%E9", "application/x-www-form-urlencoded", 400, id="latin-1"),
        pytest.param(b"text=%ED%A0%80", "application/x-www-form-urlencoded", 400, id="surrogate"),
        pytest.param(b"text=caf\xc3\xa9", "application/x-www-form-urlencoded", 400, id="raw-8bit"),
        pytest.param(b"text=caf%C3%A9+1%25", "text/plain", 415, id="text-plain"),
        pytest.param(b"text=caf%C3%A9+1%25", "application/x-www-form-urlencoded", 303, id="utf-8"),
    ],
)
def test_the_form_decodes_strictly(
    client: TestClient[Litestar], db: redis.Redis, body: bytes, content_type: str, status: int
) -> None:
    response = client.post(
        "/submit", content=body, headers={"content-type": content_type}, follow_redirects=False
    )
    assert response.status_code == status, response.text
    stored = [db.get(k) for k in db.scan_iter(match="claimex:abstract:*")]
    assert len(stored) == (1 if status == 303 else 0)
    assert all("\ufffd".encode() not in blob for blob in stored if blob)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param("/?offset=9223372036854775759", 400, id="home-offset-past-int64"),
        pytest.param("/v1/tables?offset=9223372036854775759", 400, id="tables-offset"),
        pytest.param("/static/a%00b", 404, id="nul-in-static"),
        pytest.param("/docs/assets/a%00b", 404, id="nul-in-docs-assets"),
        pytest.param("/abstracts/0123%0a{%22forged%22:1}", 404, id="newline-in-path"),
        pytest.param("/v1/jobs/x%0d%0aSet-Cookie:a=b", 404, id="crlf-in-path"),
        pytest.param("/static/x%0a%7B%22forged%22:1%7D%00", 404, id="newline-and-nul-in-static"),
    ],
)
def test_odd_paths_are_problems_not_500(
    client: TestClient[Litestar],
    path: str,
    status: int,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    with caplog.at_level(logging.INFO):
        response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == PROBLEM
    # No log line (ours, Litestar's, httpx's) carries a raw line break: none can be forged.
    assert all("\n" not in r.getMessage() and "\r" not in r.getMessage() for r in caplog.records)
    assert "set-cookie" not in {k.lower() for k in response.headers}
    assert not any(
        line.startswith(('{"forged"', "Set-Cookie")) for line in capfd.readouterr().err.splitlines()
    )


@pytest.mark.parametrize(
    ("path", "media"),
    [
        pytest.param("/metrics", "text/plain; version=0.0.4", id="metrics"),
    ],
)
def test_text_content_types_say_their_charset_once(
    client: TestClient[Litestar], path: str, media: str
) -> None:
    kind = client.get(path).headers["content-type"]
    assert kind.startswith(media)
    assert kind.lower().count("charset=") == 1


Network = security.Network


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        pytest.param("127.0.0.1", "6.6.6.6", (), "127.0.0.1", id="nobody-trusted"),
        pytest.param("127.0.0.1", "6.6.6.6", ("10.0.0.0/8",), "127.0.0.1", id="peer-untrusted"),
        pytest.param("10.1.2.3", "6.6.6.6", ("10.0.0.0/8",), "6.6.6.6", id="trusted-proxy"),
        pytest.param(
            "10.1.2.3", "1.1.1.1, 6.6.6.6", ("10.0.0.0/8",), "6.6.6.6", id="rightmost-untrusted"
        ),
        pytest.param("10.1.2.3", "6.6.6.6, 10.9.9.9", ("10.0.0.0/8",), "6.6.6.6", id="proxy-chain"),
        pytest.param("10.1.2.3", "", ("10.0.0.0/8",), "10.1.2.3", id="no-header"),
        pytest.param("10.1.2.3", "not-an-ip", ("10.0.0.0/8",), "10.1.2.3", id="garbage"),
        pytest.param("::1", "2001:db8::7", ("::1",), "2001:db8::7", id="ipv6"),
    ],
)
def test_client_address(peer: str, forwarded: str, trusted: tuple[str, ...], expected: str) -> None:
    scope: Any = {"client": (peer, 1234), "headers": [(b"x-forwarded-for", forwarded.encode())]}
    assert security.client_address(scope, security.networks(trusted)) == expected
