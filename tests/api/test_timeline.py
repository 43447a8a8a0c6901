"""Publication dates and a table's scores over time, through the real API and a real worker.

EXTRACTOR-DEPENDENT: plain sentences of our own whose claims the extractor finds today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from claimex.workers.worker import make_worker, warm_up

if TYPE_CHECKING:
    import redis
    from litestar import Litestar
    from litestar.testing import TestClient

# (date, text): posted in this order, which is not the order of their dates.
PAPERS = (
    ("2023-06-01", "GammaNet reaches 83.0% accuracy on BarSet."),
    ("2021", "AlphaNet reaches 80.0% accuracy on BarSet."),
    ("2022-02-10", "BetaNet reaches 79.0% accuracy on BarSet."),
    ("2024-01-05", "DeltaNet reaches 85.5% accuracy on BarSet."),
    (None, "EpsNet reaches 90.0% accuracy on BarSet."),
)


def _post_and_work(client: TestClient[Litestar], db: redis.Redis) -> list[str]:
    ids = []
    for date, text in PAPERS:
        body: dict[str, Any] = {"text": text, **({"date": date} if date else {})}
        accepted = client.post("/v1/abstracts", json=body)
        assert accepted.status_code == 202, accepted.text
        ids += accepted.json()["abstract_ids"]
    warm_up()
    assert make_worker(db).work(burst=True) is True
    return ids


@pytest.mark.slow
def test_timeline_is_oldest_first_with_best_so_far_steps(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    ids = _post_and_work(client, db)
    assert client.get(f"/v1/abstracts/{ids[0]}").json()["date"] == "2023-06-01"
    (listed,) = client.get("/v1/tables").json()["items"]
    line = client.get(listed["url"], params={"view": "timeline"}).json()
    assert [(p["date"], p["subject"], p["best"]) for p in line["points"]] == [
        ("2021", "AlphaNet", True),
        ("2022-02-10", "BetaNet", False),  # below AlphaNet's 80.0
        ("2023-06-01", "GammaNet", True),
        ("2024-01-05", "DeltaNet", True),
    ]
    assert [s["value"] for s in line["steps"]] == [80.0, 83.0, 85.5]
    assert line["undated"] == 1  # EpsNet has no date
    table = client.get(listed["url"]).json()
    dates = {r["claim"]["subject"]: r["date"] for s in table["sections"] for r in s["rows"]}
    assert dates["EpsNet"] is None


@pytest.mark.parametrize("date", ["2024-02-30", "March 2024", "24-01-01", ""])
def test_a_date_that_is_not_iso_is_a_problem(client: TestClient[Litestar], date: str) -> None:
    answer = client.post("/v1/abstracts", json={"text": "FooNet reaches 1.0% on X.", "date": date})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "ISO 8601" in answer.json()["detail"]
