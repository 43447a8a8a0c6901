"""workers/aliases.py: the store's abbreviations, registered once and read for a batch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimex.workers import aliases, keys, limits, store
from tests.workers.claims_factory import make_claim, put_abstract

if TYPE_CHECKING:
    import redis

DEFINES = "We build the Walrus Image Set (WIS). Foo reaches 71.2% accuracy on WIS."
USES = "Bar reaches 64.0% accuracy on WIS."


def _entry(db: redis.Redis, text: str, dataset: str) -> store.Extracted:
    abstract = put_abstract(db, text)
    span = next(s for s in ("71.2%", "64.0%") if s in text)
    return store.Extracted(abstract, (make_claim(text, span, metric="accuracy", dataset=dataset),))


def test_aliases_a_definition_is_registered_and_read_by_another_abstract(db: redis.Redis) -> None:
    first, taught = aliases.resolve(db, [_entry(db, DEFINES, "WIS")])
    assert taught == ["wis"]
    # registered before the batch's names are read: abstracts of one batch teach each other
    assert first[0].known == {"wis": "Walrus Image Set"}
    later, taught_again = aliases.resolve(db, [_entry(db, USES, "WIS")])
    assert taught_again == []
    assert later[0].known == {"wis": "Walrus Image Set"}


def test_aliases_the_first_long_form_is_kept(db: redis.Redis) -> None:
    aliases.resolve(db, [_entry(db, DEFINES, "WIS")])
    other = "We study the Wide Input Search (WIS). Baz reaches 64.0% accuracy on WIS."
    _, taught = aliases.resolve(db, [_entry(db, other, "WIS")])
    assert taught == []
    assert db.hget(keys.aliases(), "wis") == b"Walrus Image Set"


def test_aliases_one_abstract_registers_a_bounded_number(db: redis.Redis) -> None:
    many = " ".join(f"Item Number{i} Kind (IN{i}K)." for i in range(40))
    text = many + " Foo reaches 71.2% accuracy on IN1K."
    _, taught = aliases.resolve(db, [_entry(db, text, "IN1K")])
    assert len(taught) == limits.MAX_ALIASES_PER_ABSTRACT
    assert db.hlen(keys.aliases()) == limits.MAX_ALIASES_PER_ABSTRACT


def test_aliases_a_batch_without_definitions_or_results_costs_no_round_trip(
    db: redis.Redis,
) -> None:
    text = "Nothing here is measured."
    entry = store.Extracted(put_abstract(db, text), ())
    assert aliases.resolve(db, [entry]) == ([entry], [])
    assert not db.exists(keys.aliases())
