"""workers/postings.py: abstract-level claim indexes answer exactly what a scan would.

Page by page they answer what a scan of every claim would, and they cost per abstract rather
than per claim.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimex.workers import keys, limits, postings, store
from tests.workers.claims_factory import make_claim, put_abstract, put_claims

if TYPE_CHECKING:
    import redis

    from claimex.extractors.model import Claim


@given(st.sets(st.integers(min_value=0, max_value=limits.MAX_CLAIMS - 1)))
def test_bitmap_round_trip(numbers: set[int]) -> None:
    blob = postings.to_bitmap(numbers)
    assert postings.numbers(postings.from_bitmap(blob)) == sorted(numbers)
    assert len(blob) <= (limits.MAX_CLAIMS + 7) // 8


def test_empty_bitmap_is_no_bytes_and_absent_is_empty() -> None:
    assert postings.to_bitmap([]) == b""
    assert postings.from_bitmap(None) == 0


@given(
    st.lists(st.sets(st.integers(min_value=0, max_value=12)), max_size=6),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=15),
)
def test_page_of_slices_the_concatenated_claims(
    per_abstract: list[set[int]], offset: int, limit: int
) -> None:
    ordered = [(f"a{i}", sum(1 << n for n in ns)) for i, ns in enumerate(per_abstract)]
    flat = [(a, n) for a, mask in ordered for n in postings.numbers(mask)]
    page = postings._page_of(ordered, offset, limit)
    assert [(a, n) for a, ns in page for n in ns] == flat[offset : offset + limit]


# Small vocabularies so that random claims share names often.
METRICS = ("accuracy", "Accuracy", "F1", "BLEU")
DATASETS = ("ImageNet", "SQuAD", "ptb", "Penn Treebank")
SUBJECTS = ("Foo", "Bar", None)
KINDS = ("score", "delta", "ratio")

claim_fields = st.fixed_dictionaries(
    {
        "metric": st.sampled_from((*METRICS, None)),
        "dataset": st.sampled_from((*DATASETS, None)),
        "subject": st.sampled_from(SUBJECTS),
        "kind": st.sampled_from(KINDS),
    }
)


def _matches(claim: Claim, where: store.ClaimFilter, spellings: dict[str, set[str]]) -> bool:
    for field in store.INDEXED_FIELDS:
        wanted = getattr(where, field)
        if wanted is None:
            continue
        value = getattr(claim, field)
        if value is None:
            return False
        accepted = {keys.normalise(wanted)} | spellings.get(field, set())
        if keys.normalise(value) not in accepted:
            return False
    return True


def _text(i: int, claims: int) -> str:
    return f"Abstract {i}: " + " ".join(f"{n + 1}.5% here." for n in range(claims))


def _spellings(db: redis.Redis, where: store.ClaimFilter) -> dict[str, set[str]]:
    """The spellings the store recorded under the filter's canonical keys."""
    return {
        field: {
            cast("bytes", v).decode()
            for v in db.smembers(keys.spellings(field, store.CANONICAL_KEY[field](wanted)))
        }
        for field in store.CANONICAL_KEY
        if (wanted := getattr(where, field)) is not None
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    abstracts=st.lists(st.lists(claim_fields, max_size=6), min_size=1, max_size=5),
    where=st.builds(
        store.ClaimFilter,
        metric=st.sampled_from((*METRICS, None)),
        dataset=st.sampled_from((*DATASETS, None)),
        subject=st.sampled_from(SUBJECTS),
        kind=st.sampled_from((*KINDS, None)),
    ),
    offset=st.integers(min_value=0, max_value=8),
    limit=st.integers(min_value=1, max_value=8),
)
def test_find_claims_equals_a_scan_of_every_claim(
    db: redis.Redis,
    abstracts: list[list[dict[str, str | None]]],
    where: store.ClaimFilter,
    offset: int,
    limit: int,
) -> None:
    db.flushdb()
    written = []
    for i, fields in enumerate(abstracts):
        text = _text(i, len(fields))
        abstract = put_abstract(db, text, received_at=1000.0 + i)
        claims = tuple(make_claim(text, f"{n + 1}.5%", **f) for n, f in enumerate(fields))
        put_claims(db, abstract, claims)
        written.append((abstract.id, claims))
    spellings = _spellings(db, where)
    expected = [
        (abstract_id, n)
        for abstract_id, claims in written
        for n, claim in enumerate(claims)
        if _matches(claim, where, spellings)
    ]
    page = store.find_claims(db, where, limit=limit, offset=offset)
    assert page.total == len(expected)
    assert [(h.abstract_id, h.index) for h in page.items] == expected[offset : offset + limit]


def test_index_cost_is_per_abstract_not_per_claim(db: redis.Redis) -> None:
    text = _text(0, limits.MAX_CLAIMS)
    abstract = put_abstract(db, text)
    claims = tuple(
        make_claim(text, f"{n + 1}.5%", metric="accuracy", dataset="ImageNet")
        for n in range(limits.MAX_CLAIMS)
    )
    put_claims(db, abstract, claims)
    index_keys = list(db.scan_iter(match=keys.claim_index("*")))
    assert len(index_keys) == 4  # all, kind:score, metric:accuracy, dataset:imagenet
    assert {db.zcard(k) for k in index_keys} == {1}  # one member per abstract, not per claim
    stored = sum(int(db.memory_usage(k, samples=0) or 0) for k in index_keys)
    stored += int(db.memory_usage(keys.postings(abstract.id), samples=0) or 0)
    assert stored < 5 * len(claims)  # per-claim entries cost about 100 bytes each
