"""Which comparison table a claim belongs to, if any (``workers.tables`` keeps the tables).

A result claim (kind ``score``, ``delta`` or ``ratio``) with a real dataset and metric goes to
the table of their canonical pair (``extractors.canonical``); a dataset that names no data (a
model, an amount, a unit) or a metric that is only a unit keys none. An abbreviation the
abstract defines is read as its long form, and one abstract feeds at most
``limits.MAX_TABLES_PER_ABSTRACT`` tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors import canonical
from claimex.extractors.dimensions import measurement_dimension
from claimex.extractors.mentions.defined import definitions
from claimex.extractors.mentions.find import names_a_dataset
from claimex.extractors.mentions.known import UNITS
from claimex.extractors.model import RESULT_KINDS, Claim
from claimex.workers import limits, postings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

# The canonical forms tables are keyed, ranked and compared by, for whoever reads tables
# (``api.ranking``, ``api.consistency``): the HTTP layer reaches the extractor's naming rules
# only through this module, the tables' one boundary with them.
fold = canonical.fold
metric_facts = canonical.metric_facts
MetricFacts = canonical.MetricFacts

TABLE_KINDS = frozenset(RESULT_KINDS)
"""Kinds of claim that are results and so belong in tables (counts and "other" do not)."""


class Place(msgspec.Struct, frozen=True, array_like=True):
    """Which table a claim goes to."""

    id: str
    dataset_key: str
    metric_key: str


def _is_unit(metric: str) -> bool:
    """True for a unit ("ms", "GB", "FLOPs"): what a value is written in, not what it measures."""
    return metric in UNITS or measurement_dimension(metric) is not None


# What a folded name adds to a model's to name it at a size: "foocoder" + "13b" (FooCoder-1.3B).
SIZE_SUFFIX = regex.compile(r"\d+[kmbt]")


def _is_measured(dataset: str, methods: frozenset[str]) -> bool:
    """The name is one the abstract measures, one of those at a size, or the family of one.

    "FooCoder-1.3B" is one when the abstract measures "FooCoder"; "FooCoder" is one when it
    measures "FooCoder-1.3B".
    """
    return dataset in methods or any(
        _sized(dataset, m) or _sized(m, dataset) for m in methods if m and dataset
    )


def _sized(name: str, family: str) -> bool:
    """``name`` is ``family`` at a size (folded names: "foocoder13b", "foocoder")."""
    return name.startswith(family) and SIZE_SUFFIX.fullmatch(name, len(family)) is not None


def place(
    claim: Claim,
    defined: Mapping[str, str] | None = None,
    methods: frozenset[str] = frozenset(),
) -> Place | None:
    """The table of a claim, or ``None`` for claims that are not results of a named pair.

    ``defined`` holds the abbreviations its abstract defines (``abbreviations``):
    "PTB" in an abstract that wrote "Penn Treebank (PTB)" goes to Penn Treebank's table.
    ``methods`` holds the folded subjects of its abstract's claims: a name the abstract
    measures ("FooNet reaches 41 AP"), or one of those at a size, is a method, not what a
    result is measured on.
    """
    if claim.kind not in TABLE_KINDS or not claim.dataset or not claim.metric:
        return None
    if not names_a_dataset(claim.dataset) or _is_unit(claim.metric):
        return None  # "Llama-2-7B", "1B", "ms": a claim readable on its abstract, no table
    if _is_measured(canonical.fold(claim.dataset), methods):
        return None
    defined = defined or {}
    dataset_name = _spelled_out(
        claim.dataset, defined, canonical.dataset_key, canonical.dataset_display
    )
    metric_name = _spelled_out(
        claim.metric, defined, canonical.metric_key, canonical.metric_display
    )
    if metric_name.casefold().startswith(claim.dataset.casefold() + " "):
        metric_name = metric_name[len(claim.dataset) + 1 :]  # "ImageNet top-1 accuracy"
    dataset, metric = canonical.dataset_key(dataset_name), canonical.metric_key(metric_name)
    if not dataset or not metric:
        return None
    return Place(canonical.table_id(dataset, metric), dataset, metric)


def _spelled_out(
    name: str,
    defined: Mapping[str, str],
    key_of: Callable[[str], str],
    display: Callable[[str], str | None],
) -> str:
    """``name``'s defined long form, unless the lexicons know ``name`` itself.

    A name the lexicons know keeps its key: "AP" spelled out as "average precision" is mAP.
    """
    long_form = defined.get(canonical.fold(name))
    return long_form if long_form and display(key_of(name)) is None else name


def abbreviations(text: str) -> dict[str, str]:
    """Folded short form → long form, for each abbreviation ``text`` defines.

    A definition is one ``extractors.mentions.defined`` finds ("Penn Treebank (PTB)"); the first
    definition of a short form wins.
    """
    out: dict[str, str] = {}
    for d in definitions(text):
        short = canonical.fold(text[d.short_start : d.short_end])
        out.setdefault(short, text[d.long_start : d.long_end])
    return out


def placed(
    claims: Sequence[Claim], text: str = "", known: Mapping[str, str] | None = None
) -> Iterable[tuple[int, Claim, Place]]:
    """The claims of an abstract (its ``text``) that go to tables, with their place.

    ``known`` holds abbreviations other abstracts of the store define (``workers.aliases``);
    the abstract's own definitions come first. No more than
    ``limits.MAX_TABLES_PER_ABSTRACT`` distinct tables for one abstract: the first it names.
    """
    chosen: set[str] = set()
    aliases = {**(known or {}), **(abbreviations(text) if claims and text else {})}
    methods = frozenset(canonical.fold(c.subject) for c in claims if c.subject)
    for n, claim in enumerate(claims):
        if (where := place(claim, aliases, methods)) is None:
            continue
        if where.id not in chosen:
            if len(chosen) >= limits.MAX_TABLES_PER_ABSTRACT:
                continue
            chosen.add(where.id)
        yield n, claim, where


Placed = list[tuple[int, Place]]
"""Where an abstract's claims went: (claim number, its table), as a write recorded it."""
# Stored as each table once with the bitmap of its claim numbers: a text of a thousand
# results in one table records one place, not a thousand.
_Stored = list[tuple[Place, bytes]]
_places_encoder = msgspec.msgpack.Encoder()
_places_decoder = msgspec.msgpack.Decoder(_Stored)


def encode_places(places: Placed) -> bytes:
    """The stored form of an abstract's placements (``keys.table_places``)."""
    numbers: dict[Place, list[int]] = {}
    for n, where in places:
        numbers.setdefault(where, []).append(n)
    return _places_encoder.encode([(w, postings.to_bitmap(ns)) for w, ns in numbers.items()])


def decode_places(blob: bytes) -> Placed:
    """Placements as ``encode_places`` stored them, in claim order."""
    stored = _places_decoder.decode(blob)
    found = [(n, w) for w, bits in stored for n in postings.numbers(postings.from_bitmap(bits))]
    return sorted(found, key=lambda pair: pair[0])
