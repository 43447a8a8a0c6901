"""workers/store.py: abstracts and claims round-trip; indexes answer filters and stay clean."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from claimex.workers import keys, store
from claimex.workers.errors import AbstractNotFound
from tests.workers.claims_factory import make_claim, put_abstract, put_claims

if TYPE_CHECKING:
    import redis

    from claimex.extractors.model import Abstract

TEXT_A = "Foo reaches 88.5% accuracy on ImageNet and 71.2% F1 on SQuAD."
TEXT_B = "Bar reaches 90.1% accuracy on imagenet."


def _two_abstracts(db: redis.Redis) -> tuple[Abstract, Abstract]:
    a = put_abstract(db, TEXT_A, received_at=1000.0)
    b = put_abstract(db, TEXT_B, received_at=2000.0)
    put_claims(
        db,
        a,
        (
            make_claim(TEXT_A, "88.5%", metric="accuracy", dataset="ImageNet", subject="Foo"),
            make_claim(TEXT_A, "71.2%", metric="F1", dataset="SQuAD", subject="Foo"),
        ),
    )
    put_claims(
        db, b, (make_claim(TEXT_B, "90.1%", metric="Accuracy", dataset="imagenet", subject="Bar"),)
    )
    return a, b


def test_store_get_abstract_unknown_raises_not_found(db: redis.Redis) -> None:
    with pytest.raises(AbstractNotFound):
        store.get_abstract(db, "0123456789abcdef")


def test_store_get_abstract_before_extraction_has_no_claims(db: redis.Redis) -> None:
    abstract = put_abstract(db, TEXT_A)
    assert store.get_abstract(db, abstract.id) == abstract
    assert store.get_abstract(db, abstract.id).claims is None


def test_store_get_abstract_returns_written_claims(db: redis.Redis) -> None:
    abstract = put_abstract(db, TEXT_A)
    claims = (make_claim(TEXT_A, "88.5%", metric="accuracy"),)
    put_claims(db, abstract, claims)
    assert store.get_abstract(db, abstract.id).claims == claims


def test_store_get_abstract_with_no_claims_found_is_empty_not_none(db: redis.Redis) -> None:
    abstract = put_abstract(db, TEXT_A)
    put_claims(db, abstract, ())
    assert store.get_abstract(db, abstract.id).claims == ()


@pytest.mark.parametrize(
    ("where", "expected_spans"),
    [
        pytest.param(
            store.ClaimFilter(), ["88.5%", "71.2%", "90.1%"], id="no-filter-all-oldest-first"
        ),
        pytest.param(
            store.ClaimFilter(metric="ACCURACY"), ["88.5%", "90.1%"], id="metric-casefolded"
        ),
        pytest.param(store.ClaimFilter(dataset="squad"), ["71.2%"], id="dataset"),
        pytest.param(store.ClaimFilter(subject="bar"), ["90.1%"], id="subject"),
        pytest.param(store.ClaimFilter(kind="score"), ["88.5%", "71.2%", "90.1%"], id="kind"),
        pytest.param(store.ClaimFilter(kind="delta"), [], id="kind-none-match"),
        pytest.param(
            store.ClaimFilter(metric="accuracy", subject="foo"),
            ["88.5%"],
            id="two-filters-intersect",
        ),
        pytest.param(
            store.ClaimFilter(metric="f1", dataset="imagenet"), [], id="two-filters-disjoint"
        ),
        pytest.param(store.ClaimFilter(metric="BLEU"), [], id="unknown-metric"),
    ],
)
def test_store_find_claims_filters(
    db: redis.Redis, where: store.ClaimFilter, expected_spans: list[str]
) -> None:
    _two_abstracts(db)
    page = store.find_claims(db, where, limit=50, offset=0)
    assert [hit.claim.span for hit in page.items] == expected_spans
    assert page.total == len(expected_spans)


@pytest.mark.parametrize(
    ("where", "offset", "limit", "expected_spans"),
    [
        pytest.param(store.ClaimFilter(), 0, 2, ["88.5%", "71.2%"], id="first-page"),
        pytest.param(store.ClaimFilter(), 2, 2, ["90.1%"], id="last-page"),
        pytest.param(store.ClaimFilter(), 3, 2, [], id="past-the-end"),
        pytest.param(
            store.ClaimFilter(metric="accuracy", kind="score"),
            1,
            1,
            ["90.1%"],
            id="intersection-page",
        ),
    ],
)
def test_store_find_claims_pages(
    db: redis.Redis, where: store.ClaimFilter, offset: int, limit: int, expected_spans: list[str]
) -> None:
    _two_abstracts(db)
    page = store.find_claims(db, where, limit=limit, offset=offset)
    assert [hit.claim.span for hit in page.items] == expected_spans


def test_store_find_claims_names_abstract_and_index(db: redis.Redis) -> None:
    a, _ = _two_abstracts(db)
    page = store.find_claims(db, store.ClaimFilter(dataset="squad"), limit=5, offset=0)
    assert [(hit.abstract_id, hit.index) for hit in page.items] == [(a.id, 1)]


def test_store_write_claims_twice_adds_no_duplicate_index_entries(db: redis.Redis) -> None:
    a, _ = _two_abstracts(db)
    before = {k: db.zcard(k) for k in db.scan_iter(match=keys.claim_index("*"))}
    sizes = db.hgetall(keys.index_sizes())
    claims = store.get_abstract(db, a.id).claims
    assert claims is not None
    put_claims(db, a, claims, old=claims)
    after = {k: db.zcard(k) for k in db.scan_iter(match=keys.claim_index("*"))}
    assert after == before
    assert db.hgetall(keys.index_sizes()) == sizes


def test_store_write_claims_replacing_removes_stale_index_entries(db: redis.Redis) -> None:
    a, _ = _two_abstracts(db)
    old = store.get_abstract(db, a.id).claims
    assert old is not None
    put_claims(db, a, (), old=old)
    assert store.find_claims(db, store.ClaimFilter(subject="foo"), limit=5, offset=0).total == 0
    assert store.find_claims(db, store.ClaimFilter(), limit=5, offset=0).total == 1
