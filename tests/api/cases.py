"""The shape of an HTTP case table row: request in, status, content type and body fields out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.testing import TestClient

JSON = "application/json"
PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class Case:
    """One request and what the response must be; ``fields`` are checked for equality."""

    method: str
    path: str
    status: int
    content_type: str = JSON
    json: Any = None
    content: bytes | None = None
    fields: dict[str, Any] = field(default_factory=dict)


def check(client: TestClient[Litestar], case: Case) -> dict[str, Any]:
    """Send ``case``'s request and assert its expectations; return the decoded body."""
    response = client.request(
        case.method,
        case.path,
        json=case.json,
        content=case.content,
        headers={"content-type": JSON} if case.content is not None else None,
    )
    assert response.status_code == case.status, response.text
    assert response.headers["content-type"].split(";")[0] == case.content_type
    body: dict[str, Any] = response.json()
    for name, expected in case.fields.items():
        assert body[name] == expected, (name, body)
    if case.content_type == PROBLEM:
        assert body["status"] == case.status
        assert "Traceback" not in response.text
    return body
