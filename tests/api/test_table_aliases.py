"""Abbreviations across the store: one abstract defines "QRB", another only writes it.

Through the real API and a real RQ worker, in both orders of arrival: the results share the
long form's table, the claims filter finds them by either form, and a re-extraction or a
re-sent abstract moves no row out of place (``workers.aliases``, ``workers.table_writes``).

EXTRACTOR-DEPENDENT: the sentences are plain ones whose claims the extractor finds today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from claimex.workers import keys, queue
from claimex.workers.worker import make_worker, warm_up

if TYPE_CHECKING:
    import redis
    from litestar import Litestar
    from litestar.testing import TestClient

DEFINES = (
    "We introduce the Quokka Reading Benchmark (QRB) for long documents. "
    "OmegaLM reaches 71.2% accuracy on QRB."
)
USES = "PsiLM reaches 64.0% accuracy on QRB."
USES_TOO = "ChiLM reaches 58.5% accuracy on the QRB benchmark."


def post_and_work(client: TestClient[Litestar], db: redis.Redis, *texts: str) -> list[str]:
    """Post each text in its own request, then run a worker until the queue is empty."""
    ids = []
    for text in texts:
        accepted = client.post("/v1/abstracts", json={"text": text})
        assert accepted.status_code == 202, accepted.text
        ids += accepted.json()["abstract_ids"]
    warm_up()
    assert make_worker(db).work(burst=True) is True
    return ids


def tables(client: TestClient[Litestar]) -> list[tuple[int, int]]:
    """(papers, claims) of every table."""
    items: list[dict[str, Any]] = client.get("/v1/tables").json()["items"]
    return sorted((t["papers"], t["claims"]) for t in items)


def spans(client: TestClient[Litestar], dataset: str) -> list[str]:
    found = client.get("/v1/claims", params={"dataset": dataset}).json()["items"]
    return sorted(c["claim"]["span"] for c in found)


ORDERS = {
    "definition first": [(DEFINES, USES, USES_TOO)],
    "definition last": [(USES, USES_TOO), (DEFINES,)],
    "definition between": [(USES,), (DEFINES,), (USES_TOO,)],
}


@pytest.mark.slow
@pytest.mark.parametrize("batches", ORDERS.values(), ids=ORDERS.keys())
def test_a_short_form_defined_anywhere_gathers_every_abstract_that_writes_it(
    client: TestClient[Litestar], db: redis.Redis, batches: list[tuple[str, ...]]
) -> None:
    for texts in batches:
        post_and_work(client, db, *texts)
    assert tables(client) == [(3, 3)]
    for dataset in ("QRB", "qrb", "Quokka Reading Benchmark"):
        assert spans(client, dataset) == ["58.5%", "64.0%", "71.2%"], dataset


def test_placing_again_moves_rows_out_of_the_table_that_held_them(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    (uses,) = post_and_work(client, db, USES)
    before = client.get("/v1/tables").json()["items"]
    assert [(t["dataset"], t["papers"]) for t in before] == [("QRB", 1)]
    post_and_work(client, db, DEFINES)
    assert tables(client) == [(2, 2)]
    assert client.get(f"/v1/tables/{before[0]['id']}").status_code == 404
    # The abstract's page links its claim to the table that holds it.
    page = client.get(f"/abstracts/{uses}")
    table_id = client.get("/v1/tables").json()["items"][0]["id"]
    assert f"/tables/{table_id}" in page.text
    # Extracting it again (same claims) leaves every count where it is: no orphan row.
    queue.submit(db, [queue.NewAbstract(text=USES)], source="test", job_ttl=60, reextract=True)
    assert make_worker(db).work(burst=True) is True
    assert tables(client) == [(2, 2)]
    assert db.hlen(keys.table_claims()) == 1


def test_a_short_form_keeps_its_first_meaning(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    other = "The Quantile Ranking Board (QRB) holds tables. PhiLM reaches 81.5% accuracy on QRB."
    post_and_work(client, db, DEFINES)
    post_and_work(client, db, other, USES)
    # The second definition places its own abstract's claims only; PsiLM joins the first.
    assert tables(client) == [(1, 1), (2, 2)]
    for dataset, papers in (("Quokka Reading Benchmark", 2), ("Quantile Ranking Board", 1)):
        found = client.get("/v1/tables", params={"dataset": dataset}).json()["items"]
        assert [t["papers"] for t in found] == [papers], dataset
