"""api/access.py: API keys on writes (and reads when asked), per-client rate limit, CORS."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest
from litestar.testing import TestClient

from claimex.api.app import create_app
from claimex.settings import RateLimit, Secret, ServiceSettings, SettingsError
from tests.api.cases import PROBLEM

if TYPE_CHECKING:
    from collections.abc import Iterator

    import redis
    from httpx import Response
    from litestar import Litestar

WRITE_KEY = "write-key-0123456789abcdef"
READ_KEY = "read-key-0123456789abcdef"
BODY = {"text": "Our model reaches 88.5% accuracy on ImageNet."}


def _client(settings: ServiceSettings, **changes: object) -> TestClient[Litestar]:
    fields = {
        "redis_url": settings.redis_url,
        "max_body_bytes": settings.max_body_bytes,
        "max_batch": settings.max_batch,
        "max_text_chars": settings.max_text_chars,
        **changes,
    }
    return TestClient(create_app(ServiceSettings(**fields)))  # type: ignore[arg-type]


@pytest.fixture
def keyed(settings: ServiceSettings) -> Iterator[TestClient[Litestar]]:
    with _client(settings, api_key=Secret(WRITE_KEY)) as client:
        yield client


@pytest.fixture
def locked(settings: ServiceSettings) -> Iterator[TestClient[Litestar]]:
    with _client(settings, api_key=Secret(WRITE_KEY), read_key=Secret(READ_KEY)) as client:
        yield client


def _assert_401(response: Response, secret: str | None = None) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].split(";")[0] == PROBLEM
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401
    for key in (WRITE_KEY, READ_KEY, secret):
        if key:
            assert key not in response.text
            assert key not in str(response.headers)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-key"),
        pytest.param({"Authorization": "Bearer wrong-key-0123456789abc"}, id="wrong-bearer"),
        pytest.param({"X-API-Key": "wrong-key-0123456789abc"}, id="wrong-x-api-key"),
        pytest.param({"Authorization": f"Basic {WRITE_KEY}"}, id="wrong-scheme"),
        pytest.param({"Authorization": "Bearer "}, id="empty-bearer"),
        pytest.param({"X-API-Key": WRITE_KEY[:-1]}, id="key-prefix"),
        pytest.param({"X-API-Key": WRITE_KEY + "x"}, id="key-longer"),
        pytest.param({"X-API-Key": READ_KEY}, id="read-key-for-write"),
        pytest.param({"X-API-Key": "clé-ünicode-0123456789".encode()}, id="non-utf8-latin1-key"),
    ],
)
def test_write_without_the_key_is_401_and_stores_nothing(
    locked: TestClient[Litestar], db: redis.Redis, headers: dict[str, str | bytes]
) -> None:
    # httpx takes str names with a bytes value at run time; its type wants all str or all bytes.
    response = locked.post("/v1/abstracts", json=BODY, headers=headers)  # type: ignore[arg-type]
    sent = headers.get("X-API-Key")
    _assert_401(response, sent if isinstance(sent, str) else None)
    assert db.dbsize() == 0


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Authorization": f"Bearer {WRITE_KEY}"}, id="bearer"),
        pytest.param({"Authorization": f"bearer {WRITE_KEY}"}, id="bearer-lowercase"),
        pytest.param({"X-API-Key": WRITE_KEY}, id="x-api-key"),
    ],
)
def test_write_with_the_key_is_accepted(
    keyed: TestClient[Litestar], headers: dict[str, str]
) -> None:
    response = keyed.post("/v1/abstracts", json=BODY, headers=headers)
    assert response.status_code == 202, response.text


def test_form_post_needs_the_key_too(keyed: TestClient[Litestar], db: redis.Redis) -> None:
    response = keyed.post("/submit", data={"text": BODY["text"]}, follow_redirects=False)
    _assert_401(response)
    assert db.dbsize() == 0


def test_hostile_body_without_key_is_401_before_it_is_read(keyed: TestClient[Litestar]) -> None:
    response = keyed.post("/v1/abstracts", content=b"x" * 100_000)
    _assert_401(response)


@pytest.mark.parametrize("path", ["/v1/claims", "/v1/tables", "/health", "/docs/openapi.json", "/"])
def test_reads_are_public_with_only_a_write_key(keyed: TestClient[Litestar], path: str) -> None:
    assert keyed.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/v1/claims", "/v1/tables", "/v1/jobs/" + "0" * 32, "/"])
def test_reads_need_a_key_when_a_read_key_is_set(locked: TestClient[Litestar], path: str) -> None:
    _assert_401(locked.get(path))
    assert locked.get(path, headers={"X-API-Key": READ_KEY}).status_code in (200, 404)
    assert locked.get(path, headers={"Authorization": f"Bearer {WRITE_KEY}"}).status_code in (
        200,
        404,
    )
    _assert_401(locked.get(path, headers={"X-API-Key": "nope-0123456789abcdef"}))


def test_health_stays_public_for_probes(locked: TestClient[Litestar]) -> None:
    assert locked.get("/health").status_code == 200


def test_no_key_means_open_writes(client: TestClient[Litestar]) -> None:
    assert client.post("/v1/abstracts", json=BODY).status_code == 202


def test_keys_never_reach_the_log(
    locked: TestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    locked.post("/v1/abstracts", json=BODY, headers={"X-API-Key": WRITE_KEY})
    locked.post("/v1/abstracts", json=BODY, headers={"X-API-Key": "guess-0123456789abcdef"})
    locked.get("/v1/claims", headers={"Authorization": f"Bearer {READ_KEY}"})
    for secret in (WRITE_KEY, READ_KEY, "guess-0123456789abcdef"):
        assert secret not in caplog.text


def test_rate_limit_on_writes_is_429_with_retry_after(
    settings: ServiceSettings, db: redis.Redis
) -> None:
    with _client(settings, rate_limit=RateLimit(3, "minute")) as client:
        for _ in range(3):
            assert client.post("/v1/abstracts", json=BODY).status_code == 202
        stored = db.dbsize()
        response = client.post("/v1/abstracts", json={"text": "Another abstract, 2x faster."})
        assert response.status_code == 429, response.text
        assert response.headers["content-type"].split(";")[0] == PROBLEM
        assert 1 <= int(response.headers["retry-after"]) <= 60
        assert db.dbsize() == stored
        # Reads are not limited.
        for _ in range(5):
            assert client.get("/v1/claims").status_code == 200
    # The count lives in Redis: a second API process sees the same limit.
    with _client(settings, rate_limit=RateLimit(3, "minute")) as other:
        assert other.post("/v1/abstracts", json=BODY).status_code == 429


def test_no_cors_headers_unless_configured(client: TestClient[Litestar]) -> None:
    response = client.get("/v1/claims", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_allows_only_configured_origins(settings: ServiceSettings) -> None:
    allowed = "https://lab.example.org"
    with _client(settings, cors_origins=(allowed,)) as client:
        ok = client.get("/v1/claims", headers={"Origin": allowed})
        assert ok.headers["access-control-allow-origin"] == allowed
        other = client.get("/v1/claims", headers={"Origin": "https://evil.example"})
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"
        preflight = client.options(
            "/v1/abstracts",
            headers={
                "Origin": allowed,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code in (200, 204)
        assert preflight.headers["access-control-allow-origin"] == allowed


def test_settings_read_access_variables() -> None:
    settings = ServiceSettings.from_env(
        {
            "CLAIMEX_API_KEY": WRITE_KEY,
            "CLAIMEX_READ_KEY": READ_KEY,
            "CLAIMEX_RATE_LIMIT": "100/minute",
            "CLAIMEX_CORS_ORIGINS": "https://a.example, http://localhost:3000/",
        }
    )
    assert settings.api_key == WRITE_KEY
    assert settings.read_key == READ_KEY
    assert settings.rate_limit == RateLimit(100, "minute")
    assert settings.cors_origins == ("https://a.example", "http://localhost:3000")
    assert WRITE_KEY not in repr(settings)
    assert READ_KEY not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CLAIMEX_API_KEY", "short"),
        ("CLAIMEX_API_KEY", "has a space in it 0123"),
        ("CLAIMEX_READ_KEY", "tiny"),
        ("CLAIMEX_RATE_LIMIT", "lots"),
        ("CLAIMEX_RATE_LIMIT", "100/fortnight"),
        ("CLAIMEX_RATE_LIMIT", "0/minute"),
        ("CLAIMEX_RATE_LIMIT", "-5/second"),
        ("CLAIMEX_CORS_ORIGINS", "evil.example"),
    ],
)
def test_bad_access_settings_are_one_line_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        ServiceSettings.from_env({name: value})
    message = str(caught.value)
    assert message.startswith(f"{name}=")
    assert "\n" not in message
    if name.endswith("_KEY"):
        assert value not in message


def test_submit_page_says_writes_need_a_key(keyed: TestClient[Litestar]) -> None:
    assert "needs an API key" in keyed.get("/submit").text


def test_submit_page_says_nothing_of_keys_without_one(client: TestClient[Litestar]) -> None:
    assert "API key" not in client.get("/submit").text
