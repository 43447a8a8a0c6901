"""api/docs.py: /docs renders from assets the app serves itself — no CDN, no internet."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.testing import TestClient


def test_docs_page_loads_only_local_assets(client: TestClient[Litestar]) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert len(assets) >= 4  # favicon, css, bundle, preset
    for url in assets:
        assert url.startswith("/docs/assets/"), url
        assert client.get(url).status_code == 200, url


def test_docs_openapi_json_describes_the_routes(client: TestClient[Litestar]) -> None:
    document = client.get("/docs/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/v1/abstracts",
        "/v1/abstracts/{abstract_id}",
        "/v1/jobs/{job_id}",
        "/v1/jobs/{job_id}/events",
        "/v1/events",
        "/v1/claims",
        "/v1/tables",
        "/v1/tables/{table_id}",
        "/health",
    }
    body = document["paths"]["/v1/abstracts"]["post"]["requestBody"]["content"]["application/json"]
    assert [s["title"] for s in body["schema"]["oneOf"]] == ["AbstractIn", "BatchIn"]
