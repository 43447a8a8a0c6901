"""workers/records.py and the storage limits: claims and table cells hold offsets, not copies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import pytest

from claimex.extractors import extract
from claimex.extractors.model import Claim, abstract_id
from claimex.workers import keys, limits, metrics, queue, records, store, tables
from claimex.workers.jobs import process
from claimex.workers.placement import place

if TYPE_CHECKING:
    import redis

TEXTS = [
    pytest.param("Our model reaches 88.5% accuracy on ImageNet.", id="one-claim"),
    pytest.param(
        "We train a 7B model on 555B tokens; it improves BLEU by 2.1 points on WMT14 En-De and "
        "runs 2.5x faster than ResNet-50 with 12 ms latency.",
        id="several-claims-one-sentence",
    ),
    pytest.param("Ünïcödé: 模型 reaches 91.2% on CLUE (up 3.4 points) 🚀.", id="non-ascii"),
    pytest.param("No numbers here.", id="no-claims"),
]


@pytest.mark.parametrize("text", TEXTS)
def test_records_round_trip_gives_the_claims_back(text: str) -> None:
    claims = extract(text)
    assert records.unpack(records.pack(claims), text) == claims


@pytest.mark.parametrize("text", TEXTS)
def test_records_hold_no_copy_of_the_sentence(text: str) -> None:
    claims = extract(text)
    blob = records.pack(claims)
    for claim in claims:
        assert claim.sentence.encode() not in blob
    assert len(blob) < 100 * max(1, len(claims))


def test_records_of_the_earlier_format_are_still_read() -> None:
    text = TEXTS[1].values[0]
    claims = extract(str(text))
    legacy = msgspec.msgpack.encode(claims)
    assert records.unpack(legacy, str(text)) == claims
    assert records.unpack(msgspec.msgpack.encode(()), "") == ()


def _submit(db: redis.Redis, text: str, title: str | None = None) -> str:
    submission = queue.submit(
        db, [queue.NewAbstract(text=text, title=title)], source="t", job_ttl=600
    )
    process(db, submission.enqueued, job_id=submission.job_id)
    return submission.abstract_ids[0]


def test_table_rows_hold_neither_claim_title_nor_sentence(db: redis.Redis) -> None:
    title = "A Distinctive Title Nobody Else Has"
    text = "LongTitleNet reaches 88.5% top-1 accuracy on ImageNet, a sentence of some length."
    abstract_id = _submit(db, text, title)
    found = tables.list_tables(db, limit=10, offset=0)
    assert found.total == 1
    table_id = found.items[0].id
    raw = db.hgetall(keys.table_rows(table_id))
    assert raw == {abstract_id.encode(): b"\x01"}  # its claim number 0, as a bitmap
    _, cells = tables.read_table(db, table_id)
    (cell,) = cells
    assert (cell.abstract_id, cell.title) == (abstract_id, title)
    assert cell.claim.sentence == text
    assert cell.claim == store.get_abstract(db, abstract_id).claims[cell.index]  # type: ignore[index]


def test_one_abstract_feeds_at_most_so_many_tables(db: redis.Redis) -> None:
    pairs = limits.MAX_TABLES_PER_ABSTRACT + 10
    text = " ".join(f"Model reaches {10 + n}.5% accuracy on Bench{n}Set." for n in range(pairs))
    _submit(db, text)
    claims = store.get_abstract(db, abstract_id(text)).claims or ()
    tabled = {w.id for c in claims if (w := place(c)) is not None}
    assert len(tabled) > limits.MAX_TABLES_PER_ABSTRACT, "the text must name more pairs"
    assert tables.list_tables(db, limit=100, offset=0).total == limits.MAX_TABLES_PER_ABSTRACT
    # Extracting it again moves no count: the same tables, the same sizes.
    before = [(t.id, t.papers, t.claims) for t in tables.list_tables(db, limit=100, offset=0).items]
    submission_ids = [abstract_id(text)]
    db.set(keys.pending(submission_ids[0]), "queued:again")
    process(db, submission_ids, job_id="again")
    after = [(t.id, t.papers, t.claims) for t in tables.list_tables(db, limit=100, offset=0).items]
    assert after == before


@pytest.mark.parametrize(
    ("chars", "allowed"),
    [
        (10, limits.MIN_CLAIMS),
        (1_200, 100),
        (20_000, limits.MAX_CLAIMS),
    ],
)
def test_claims_allowed(chars: int, allowed: int) -> None:
    assert limits.claims_allowed(chars) == allowed


def test_an_abstract_stores_at_most_its_allowed_claims(db: redis.Redis) -> None:
    text = "1% " * 400  # 1,200 characters, 400 numbers
    abstract_id = _submit(db, text)
    stored = store.get_abstract(db, abstract_id).claims or ()
    found = extract(text)
    allowed = limits.claims_allowed(len(text))
    assert len(found) > allowed
    assert stored == found[:allowed]
    assert metrics.read(db)["abstracts_truncated"] == 1


def test_claims_query_rebuilds_span_and_sentence(db: redis.Redis) -> None:
    text = "Our model reaches 88.5% accuracy on ImageNet. It also gets 41.2 BLEU on WMT14."
    abstract_id = _submit(db, text)
    page = store.find_claims(db, store.ClaimFilter(), limit=10, offset=0)
    claims: list[Claim] = [hit.claim for hit in page.items]
    assert claims == list(store.get_abstract(db, abstract_id).claims or ())
    assert all(text[c.sentence_start : c.sentence_end] == c.sentence for c in claims)


def test_one_abstract_creates_at_most_so_many_index_keys(db: redis.Redis) -> None:
    names = limits.MAX_INDEX_VALUES_PER_ABSTRACT + 20
    text = " ".join(f"Model{n} reaches {10 + n}.5% accuracy on Bench{n}Set." for n in range(names))
    abstract_id = _submit(db, text)
    claims = store.get_abstract(db, abstract_id).claims or ()
    assert len(claims) == names
    field_keys = [
        k
        for k in db.scan_iter(match=keys.claim_index("*:*"))
        if not k.startswith(keys.claim_index("kind:").encode())
    ]
    assert len(field_keys) == limits.MAX_INDEX_VALUES_PER_ABSTRACT
    # Every claim is still stored and listed.
    assert store.find_claims(db, store.ClaimFilter(), limit=500, offset=0).total == names
    # Claims replaced by none (an extractor that now finds nothing) leave no member behind.
    abstract = store.get_abstract(db, abstract_id)
    pipe = db.pipeline(transaction=True)
    store.write_claims(pipe, [store.Extracted(abstract, (), claims)])
    pipe.execute()
    assert list(db.scan_iter(match=keys.claim_index("*"))) == []
    assert list(db.scan_iter(match=keys.postings("*"))) == []
    assert set(db.hvals(keys.index_sizes())) == {b"0"}
