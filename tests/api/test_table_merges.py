"""Names that merge into one comparison table, through the real API and a real RQ worker.

Each case posts two abstracts of our own that write one benchmark's name, or one metric's,
in two ways, and expects one table holding both papers. EXTRACTOR-DEPENDENT: the sentences
are plain ones whose claims the extractor finds today; if it changes, check these first.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

import pytest

from claimex.workers.worker import make_worker, warm_up

if TYPE_CHECKING:
    import redis
    from litestar import Litestar
    from litestar.testing import TestClient

CASES = [
    pytest.param(
        "OmegaNet reaches 81.5% top-5 accuracy on FooVision.",
        "PsiNet obtains top-5 accuracies of 83.0% and 84.2% on FooVision.",
        ("FooVision", "top-5 accuracy"),
        id="metric-plural",
    ),
    pytest.param(
        "OmegaMT reaches 31.2 BLEU on WMT 2015 French-English.",
        "On fr-en WMT 2015, PsiMT reaches 32.0 BLEU.",
        ("WMT 2015", "BLEU"),
        id="language-pair-spellings",
    ),
    pytest.param(
        "OmegaDet reaches 51.2 AP on COCO test-dev.",
        "PsiDet reaches 49.8 AP on COCO val.",
        ("COCO", "AP"),
        id="splits-are-qualifiers",
    ),
    pytest.param(
        "OmegaCls reaches 91.0% top-1 accuracy on FooImages classification.",
        "PsiCls reaches 92.5% top-1 accuracy on FooImages.",
        ("FooImages", "top-1 accuracy"),
        id="task-after-the-name",
    ),
    pytest.param(
        "We build the Quux Reading Test (QRT). OmegaRC reaches 64.0% accuracy on QRT.",
        "PsiRC reaches 61.5% accuracy on the Quux Reading Test.",
        ("Quux Reading Test", "accuracy"),
        id="abbreviation-defined-in-the-abstract",
    ),
]


def _post_and_work(client: TestClient[Litestar], db: redis.Redis, *texts: str) -> None:
    for n, text in enumerate(texts):
        accepted = client.post("/v1/abstracts", json={"title": f"Paper {n}", "text": text})
        assert accepted.status_code == 202, accepted.text
    warm_up()
    assert make_worker(db).work(burst=True) is True


def _rows(table: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for section in table["sections"] for row in section["rows"]]


@pytest.mark.slow
@pytest.mark.parametrize(("first", "second", "named"), CASES)
def test_two_spellings_make_one_table(
    client: TestClient[Litestar],
    db: redis.Redis,
    first: str,
    second: str,
    named: tuple[str, str],
) -> None:
    _post_and_work(client, db, first, second)
    listed = client.get("/v1/tables").json()
    assert [t["papers"] for t in listed["items"]] == [2], listed
    dataset, metric = named
    found = client.get("/v1/tables", params={"dataset": dataset, "metric": metric}).json()
    assert found["total"] == 1
    table = client.get(found["items"][0]["url"]).json()
    assert len({row["abstract_id"] for row in _rows(table)}) == 2


@pytest.mark.slow
def test_split_is_shown_on_the_row_and_in_csv(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    _post_and_work(
        client,
        db,
        "OmegaDet reaches 51.2 AP on COCO test-dev.",
        "PsiDet reaches 49.8 AP on COCO val.",
    )
    (listed,) = client.get("/v1/tables").json()["items"]
    table = client.get(listed["url"]).json()
    assert sorted((r["claim"]["subject"], r["qualifier"]) for r in _rows(table)) == [
        ("OmegaDet", "test-dev"),
        ("PsiDet", "val"),
    ]
    csv_text = client.get(listed["url"], params={"format": "csv"}).text
    header, *lines = list(csv.reader(io.StringIO(csv_text)))
    assert all(len(line) == len(header) for line in lines)
    at = header.index("qualifier")
    assert sorted(line[at] for line in lines) == ["test-dev", "val"]


@pytest.mark.slow
def test_a_model_name_keys_no_table(client: TestClient[Litestar], db: redis.Redis) -> None:
    _post_and_work(client, db, "OmegaLM reaches 71.0% accuracy on Llama-2-7B.")
    assert client.get("/v1/tables").json()["total"] == 0
    # The claim is still stored and readable on its abstract.
    claims = client.get("/v1/claims", params={"metric": "accuracy"}).json()
    assert [c["claim"]["span"] for c in claims["items"]] == ["71.0%"]
