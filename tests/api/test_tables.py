"""/v1/tables: a small store filled through the real API and a real RQ worker, then read back.

EXTRACTOR-DEPENDENT: the abstracts are short, plain sentences whose claims the extractor finds
today (value, metric, dataset, subject, setting); if it changes, check these first.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any, cast

import pytest

from claimex.workers import jobs, keys
from claimex.workers.worker import make_worker, warm_up
from tests.api.cases import PROBLEM, Case, check

if TYPE_CHECKING:
    import redis
    from litestar import Litestar
    from litestar.testing import TestClient

# (title, text), posted one request each, in this order (receipt order is extraction order).
ABSTRACTS = (
    ("AlphaNet", "AlphaNet reaches 88.5% top-1 accuracy on ImageNet-1K."),
    ("BetaNet", "BetaNet achieves a top-1 accuracy of 0.912 on ImageNet-1k."),
    ("GammaNet", "GammaNet obtains 85.1% top-1 on ImageNet-1k."),
    ("EpsNet", "EpsNet improves top-1 accuracy on ImageNet-1k by 2.3% over ResNet-50."),
    ("ZetaLM", "ZetaLM reaches a perplexity of 18.3 on PTB."),
    ("EtaLM", "EtaLM reaches a perplexity of 21.7 on Penn Treebank."),
    (
        "DeltaLM",
        "DeltaLM reaches 71.2% accuracy on GSM8K zero-shot. "
        "Fine-tuned, DeltaLM reaches 84.0% accuracy on GSM8K.",
    ),
    ("KappaNet", "KappaNet reaches a backward transfer of 4.1 on Split-CIFAR-100."),
    ("LambdaNet", "LambdaNet reaches a backward transfer of 3.2 on Split-CIFAR-100."),
)


def fill(client: TestClient[Litestar], db: redis.Redis) -> list[str]:
    """Post every abstract, run a worker until the queue is empty; the abstract ids."""
    ids = []
    for title, text in ABSTRACTS:
        accepted = client.post("/v1/abstracts", json={"title": title, "text": text})
        assert accepted.status_code == 202, accepted.text
        ids.extend(accepted.json()["abstract_ids"])
    warm_up()
    assert make_worker(db).work(burst=True) is True
    return ids


@pytest.fixture
def filled(client: TestClient[Litestar], db: redis.Redis) -> list[str]:
    return fill(client, db)


def table_named(client: TestClient[Litestar], q: str) -> dict[str, Any]:
    """The one table whose dataset or metric contains ``q``."""
    page = client.get("/v1/tables", params={"q": q}).json()
    assert page["total"] == 1, page
    table: dict[str, Any] = client.get(page["items"][0]["url"]).json()
    return table


def section(table: dict[str, Any], kind: str) -> dict[str, Any]:
    found = [s for s in table["sections"] if s["kind"] == kind]
    assert len(found) == 1, table["sections"]
    result: dict[str, Any] = found[0]
    return result


def values(table: dict[str, Any], kind: str = "score") -> list[tuple[str, float]]:
    return [(r["claim"]["subject"], r["value"]) for r in section(table, kind)["rows"]]


@pytest.mark.slow
def test_tables_list_is_largest_first_and_filterable(
    client: TestClient[Litestar], filled: list[str]
) -> None:
    page = client.get("/v1/tables").json()
    first = page["items"][0]
    assert (first["dataset"], first["metric"], first["papers"]) == (
        "ImageNet-1k",
        "top-1 accuracy",
        4,
    )
    sizes = [(t["papers"], t["claims"]) for t in page["items"]]
    assert sizes == sorted(sizes, reverse=True)
    assert page["total"] == len(page["items"]) == 4
    by_metric = client.get("/v1/tables", params={"metric": "PERPLEX"}).json()
    assert [t["dataset"] for t in by_metric["items"]] == ["Penn Treebank"]
    alias = client.get("/v1/tables", params={"dataset": "ptb"}).json()
    assert [t["metric"] for t in alias["items"]] == ["perplexity"]
    paged = client.get("/v1/tables", params={"limit": 1, "offset": 1}).json()
    assert paged["total"] == 4
    assert paged["items"] == [page["items"][1]]
    assert paged["next"] == "/v1/tables?limit=1&offset=2"


@pytest.mark.slow
def test_tables_merge_names_and_put_values_on_one_scale(
    client: TestClient[Litestar], filled: list[str]
) -> None:
    table = table_named(client, "ImageNet")
    assert {v["name"] for v in table["dataset_variants"]} == {"ImageNet-1K", "ImageNet-1k"}
    assert {v["name"] for v in table["metric_variants"]} == {"top-1 accuracy", "top-1"}
    assert table["scale"] == "%"
    assert values(table) == [("BetaNet", 91.2), ("AlphaNet", 88.5), ("GammaNet", 85.1)]
    beta = section(table, "score")["rows"][0]
    written = beta["claim"]
    assert (written["span"], written["value"], written["unit"], beta["scaled"]) == (
        "0.912",
        0.912,
        None,
        True,
    )
    assert [r["rank"] for r in section(table, "score")["rows"]] == [1, 2, 3]


@pytest.mark.slow
def test_tables_keep_deltas_apart_from_scores(
    client: TestClient[Litestar], filled: list[str]
) -> None:
    table = table_named(client, "ImageNet")
    deltas = section(table, "delta")
    assert deltas["order"] == "largest first"
    rows = [(r["claim"]["subject"], r["value"], r["claim"]["baseline"]) for r in deltas["rows"]]
    assert rows == [("EpsNet", 2.3, "ResNet-50")]
    assert "EpsNet" not in [s for s, _ in values(table)]


@pytest.mark.slow
def test_tables_rank_lower_is_better_metrics(
    client: TestClient[Litestar], filled: list[str]
) -> None:
    table = table_named(client, "treebank")
    assert (table["dataset"], table["better"]) == ("Penn Treebank", "lower")
    assert {v["name"] for v in table["dataset_variants"]} == {"PTB", "Penn Treebank"}
    assert values(table) == [("ZetaLM", 18.3), ("EtaLM", 21.7)]
    assert section(table, "score")["order"] == "lower is better"


@pytest.mark.slow
def test_tables_unknown_direction_keeps_extraction_order(
    client: TestClient[Litestar], filled: list[str]
) -> None:
    table = table_named(client, "backward transfer")
    scores = section(table, "score")
    assert (table["better"], table["direction_known"], scores["order"]) == (
        None,
        False,
        "extraction order",
    )
    assert "unknown" in scores["note"]
    assert values(table) == [("KappaNet", 4.1), ("LambdaNet", 3.2)]
    assert [r["rank"] for r in scores["rows"]] == [None, None]


@pytest.mark.slow
def test_tables_settings_are_separate_rows(client: TestClient[Litestar], filled: list[str]) -> None:
    table = table_named(client, "GSM8K")
    rows = section(table, "score")["rows"]
    assert [(r["claim"]["subject"], r["claim"]["setting"], r["value"]) for r in rows] == [
        ("DeltaLM", "fine-tuned", 84.0),
        ("DeltaLM", "zero-shot", 71.2),
    ]
    assert len({r["abstract_id"] for r in rows}) == 1


@pytest.mark.slow
def test_tables_rows_point_at_their_sentence(
    client: TestClient[Litestar], filled: list[str]
) -> None:
    table = table_named(client, "GSM8K")
    for row in section(table, "score")["rows"]:
        abstract = client.get(row["abstract_url"]).json()
        text, claim = abstract["text"], row["claim"]
        assert text[claim["start"] : claim["end"]] == claim["span"]
        assert text[claim["sentence_start"] : claim["sentence_end"]] == claim["sentence"]
        assert abstract["claims"][row["claim_index"]] == claim  # the claim as stored
        assert row["title"] == "DeltaLM"
        assert row["page_url"] == f"/abstracts/{row['abstract_id']}#claim-{row['claim_index']}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("params", "headers"),
    [
        pytest.param({"format": "csv"}, {}, id="query"),
        pytest.param({}, {"accept": "text/csv"}, id="accept"),
    ],
)
def test_tables_csv(
    client: TestClient[Litestar],
    filled: list[str],
    params: dict[str, str],
    headers: dict[str, str],
) -> None:
    url = client.get("/v1/tables", params={"q": "imagenet"}).json()["items"][0]["url"]
    response = client.get(url, params=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-type"].lower().count("charset=") == 1
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["section"], r["subject"], r["value"], r["span"]) for r in rows] == [
        ("score", "BetaNet", "91.2", "0.912"),
        ("score", "AlphaNet", "88.5", "88.5%"),
        ("score", "GammaNet", "85.1", "85.1%"),
        ("delta", "EpsNet", "2.3", "2.3%"),
    ]


@pytest.mark.slow
def test_tables_json_is_the_default(client: TestClient[Litestar], filled: list[str]) -> None:
    url = client.get("/v1/tables").json()["items"][0]["url"]
    response = client.get(url, headers={"accept": "text/html,*/*"})
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.slow
def test_tables_rerunning_the_job_adds_no_rows(
    client: TestClient[Litestar], db: redis.Redis, filled: list[str]
) -> None:
    before = client.get("/v1/tables").json()
    tables_before = [client.get(t["url"]).json() for t in before["items"]]
    jobs.process_batch(db, filled, job_id="again")
    jobs.process_batch(db, filled, job_id="and-again")
    assert client.get("/v1/tables").json() == before
    assert [client.get(t["url"]).json() for t in before["items"]] == tables_before
    rows = db.hvals(keys.table_rows(before["items"][0]["id"]))
    assert sum(int.from_bytes(cast("bytes", r), "little").bit_count() for r in rows) == 4


ERRORS = [
    Case("GET", "/v1/tables/0123456789abcdef", 404, PROBLEM, fields={"title": "Not found"}),
    Case("GET", "/v1/tables/not-an-id", 404, PROBLEM),
    Case("GET", "/v1/tables/0123456789abcdef?format=xml", 400, PROBLEM),
    Case("GET", "/v1/tables?limit=0", 400, PROBLEM),
    Case("GET", "/v1/tables?offset=-1", 400, PROBLEM),
    Case("GET", "/v1/tables", 200, fields={"total": 0, "items": [], "next": None}),
]


@pytest.mark.parametrize("case", ERRORS, ids=lambda c: c.path)
def test_tables_errors_are_problems(client: TestClient[Litestar], case: Case) -> None:
    check(client, case)


# Three spellings of one benchmark, none of them the one a reader searches for.
SPELLINGS = (
    ("IotaLM", "IotaLM reaches a perplexity of 30.2 on Penn Treebank."),
    ("MuLM", "MuLM reaches a perplexity of 28.4 on Penn Tree Bank."),
    ("NuLM", "NuLM reaches an accuracy of 61.0% on Penn Treebank."),
)


@pytest.mark.slow
def test_tables_and_claims_are_found_by_any_alias(
    client: TestClient[Litestar], db: redis.Redis
) -> None:
    for title, text in SPELLINGS:
        accepted = client.post("/v1/abstracts", json={"title": title, "text": text})
        assert accepted.status_code == 202, accepted.text
    warm_up()
    assert make_worker(db).work(burst=True) is True
    for dataset in ("ptb", "PTB", "Penn Treebank", "penn tree bank"):
        page = client.get("/v1/tables", params={"dataset": dataset, "metric": "perplexity"})
        items = page.json()["items"]
        assert [(t["dataset"], t["papers"]) for t in items] == [("Penn Treebank", 2)], dataset
        claims = client.get("/v1/claims", params={"dataset": dataset}).json()
        assert sorted(c["claim"]["span"] for c in claims["items"]) == ["28.4", "30.2", "61.0%"], (
            dataset
        )
        both = client.get("/v1/claims", params={"dataset": dataset, "metric": "perplexity"})
        assert sorted(c["claim"]["span"] for c in both.json()["items"]) == ["28.4", "30.2"], dataset
    assert client.get("/v1/tables", params={"q": "ptb"}).json()["total"] == 2
    assert client.get("/v1/claims", params={"dataset": "wikitext"}).json()["total"] == 0
