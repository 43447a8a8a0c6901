"""Comparison-table indexes, read by table requests (``workers.table_writes`` keeps them).

Which table a claim belongs to is ``workers.placement``'s answer (a result claim with a real
dataset and metric goes to the table of their canonical pair: "ImageNet-1K top-1" and
"imagenet 1k Top-1 accuracy" are one table). Per table (every key from ``workers.keys``):

- ``tbl:{id}:rows`` — hash of abstract id → bitmap of which of its claims the table holds
  (``workers.postings``); the claims themselves are read from the abstract's stored claims,
  so a table costs a few bytes per paper, never a copy of a claim, title or sentence;
- ``tbl:{id}:datasets`` / ``:metrics`` — each name as written → how many claims use it, so the
  merged variants stay visible;

and across tables ``tbl:catalog`` (ids scored by size), ``tbl:claims`` (id → claims held) and
``tbl:summary`` (id → counts and names as JSON), which answer the table list without opening
any table.

The writes go in the MULTI that stores the claims (``workers.table_writes``), so claims and
tables never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from claimex.extractors import canonical
from claimex.extractors.model import Abstract, Claim
from claimex.workers import keys, postings, records
from claimex.workers.errors import TableNotFound

if TYPE_CHECKING:
    from collections.abc import Sequence

    import redis


class Cell(msgspec.Struct, frozen=True, kw_only=True):
    """One claim as a table holds it: the claim, the paper it comes from, and its split.

    The split is the one its dataset was written with ("test-dev"), which the table's key leaves
    out.
    """

    abstract_id: str
    index: int
    title: str | None
    received_at: float
    claim: Claim
    qualifier: str | None = None
    date: str | None = None  # the paper's publication date, ISO 8601, when known


class Variant(msgspec.Struct, frozen=True, kw_only=True):
    """A name as written in the abstracts, and how many of the table's claims use it."""

    name: str
    claims: int


class TableInfo(msgspec.Struct, frozen=True, kw_only=True):
    """A table's identity and size, as the catalog knows it."""

    id: str
    dataset: str
    metric: str
    papers: int
    claims: int
    dataset_variants: tuple[Variant, ...]
    metric_variants: tuple[Variant, ...]


class _Summary(msgspec.Struct, frozen=True):
    """The JSON the summary script writes (``datasets``/``metrics``: flat name, count pairs)."""

    dk: str
    mk: str
    papers: int
    claims: int
    datasets: list[str] | dict[str, str]
    metrics: list[str] | dict[str, str]


_abstract_decoder = msgspec.msgpack.Decoder(Abstract)
_summary_decoder = msgspec.json.Decoder(_Summary)


def _variants(flat: list[str] | dict[str, str]) -> tuple[Variant, ...]:
    """Names with their counts, most used first (cjson writes an empty list as ``{}``)."""
    if isinstance(flat, dict):
        return ()
    pairs = [Variant(name=flat[i], claims=int(float(flat[i + 1]))) for i in range(0, len(flat), 2)]
    return tuple(sorted(pairs, key=lambda v: (-v.claims, v.name)))


def _info(table_id: str, blob: bytes) -> TableInfo:
    return _info_of(table_id, _summary_decoder.decode(blob))


def _info_of(table_id: str, summary: _Summary) -> TableInfo:
    datasets, metrics = _variants(summary.datasets), _variants(summary.metrics)
    dataset = canonical.dataset_display(summary.dk) or (datasets[0].name if datasets else "")
    metric = canonical.metric_display(summary.mk) or (metrics[0].name if metrics else "")
    return TableInfo(
        id=table_id,
        dataset=dataset,
        metric=metric,
        papers=summary.papers,
        claims=summary.claims,
        dataset_variants=datasets,
        metric_variants=metrics,
    )


class TableList(msgspec.Struct, frozen=True, kw_only=True):
    """One page of the catalog and how many tables matched."""

    total: int
    items: tuple[TableInfo, ...]


def _matches(
    needle: str | None, variants: Sequence[Variant], display: str, same_key: bool = False
) -> bool:
    """``needle`` is a substring of one of a table's names, or (``same_key``) merges with them.

    "ptb" finds the table of "Penn Treebank" through the alias lexicon.
    """
    if not needle or same_key:
        return True
    wanted = needle.casefold()
    folded = canonical.fold(needle)
    names = [display, *(v.name for v in variants)]
    return any(
        wanted in name.casefold() or (folded and folded in canonical.fold(name)) for name in names
    )


def list_tables(
    connection: redis.Redis,
    *,
    dataset: str | None = None,
    metric: str | None = None,
    text: str | None = None,
    limit: int,
    offset: int,
) -> TableList:
    """One page of the tables that pass the filters, largest first (papers, then claims).

    A filter is a substring of any merged name, or a name that merges with them (the same
    canonical key: "ptb" for "Penn Treebank").

    ``text`` matches the dataset or the metric. Without filters one page is read from the
    catalog; with filters the summaries (one per table, never per abstract) are scanned.
    """
    if not (dataset or metric or text):
        pipe = connection.pipeline(transaction=False)
        pipe.zcard(keys.table_catalog())
        pipe.zrange(keys.table_catalog(), offset, offset + limit - 1, desc=True)
        total, ids = pipe.execute()
        if not ids:
            return TableList(total=total, items=())
        blobs: list[bytes | None] = connection.hmget(keys.table_summaries(), ids)  # type: ignore[assignment]
        items = tuple(
            _info(i.decode(), blob) for i, blob in zip(ids, blobs, strict=True) if blob is not None
        )
        return TableList(total=total, items=items)
    everything: dict[bytes, bytes]
    everything = connection.hgetall(keys.table_summaries())  # type: ignore[assignment]
    found = []
    wanted_dk = canonical.dataset_key(dataset) if dataset else None
    wanted_mk = canonical.metric_key(metric) if metric else None
    text_dk = canonical.dataset_key(text) if text else None
    text_mk = canonical.metric_key(text) if text else None
    for raw_id, blob in everything.items():
        summary = _summary_decoder.decode(blob)
        info = _info_of(raw_id.decode(), summary)
        if (
            _matches(dataset, info.dataset_variants, info.dataset, wanted_dk == summary.dk)
            and _matches(metric, info.metric_variants, info.metric, wanted_mk == summary.mk)
            and (
                _matches(text, info.dataset_variants, info.dataset, text_dk == summary.dk)
                or _matches(text, info.metric_variants, info.metric, text_mk == summary.mk)
            )
        ):
            found.append(info)
    found.sort(key=lambda t: (-t.papers, -t.claims, t.id))
    return TableList(total=len(found), items=tuple(found[offset : offset + limit]))


def table_version(connection: redis.Redis, table_id: str) -> int:
    """The table's write counter: equal counters mean equal contents (``TableNotFound`` if none)."""
    pipe = connection.pipeline(transaction=False)
    pipe.hexists(keys.table_summaries(), table_id)
    pipe.hget(keys.table_versions(), table_id)
    exists, version = pipe.execute()
    if not exists:
        raise TableNotFound(table_id)
    return int(version or 0)


def read_table(connection: redis.Redis, table_id: str) -> tuple[TableInfo, list[Cell]]:
    """A table's summary and all its cells, in two round trips.

    One for the table, one MGET for the records and claims of its papers (rows only say which
    claims).
    """
    pipe = connection.pipeline(transaction=False)
    pipe.hget(keys.table_summaries(), table_id)
    pipe.hgetall(keys.table_rows(table_id))
    blob, stored = pipe.execute()
    if blob is None:
        raise TableNotFound(table_id)
    papers = [(a.decode(), postings.numbers(postings.from_bitmap(m))) for a, m in stored.items()]
    blobs: list[bytes | None] = (
        connection.mget([k for a, _ in papers for k in (keys.abstract(a), keys.claims(a))])  # type: ignore[assignment]
        if papers
        else []
    )
    cells = []
    for (abstract_id, chosen), record, claims_blob in zip(
        papers, blobs[::2], blobs[1::2], strict=True
    ):
        if record is None or claims_blob is None:
            continue
        abstract = _abstract_decoder.decode(record)
        # A row written before a re-extraction that found fewer claims names some no more.
        for n, claim in records.unpack_some(claims_blob, abstract.text, chosen).items():
            cells.append(
                Cell(
                    abstract_id=abstract_id,
                    index=n,
                    title=abstract.title,
                    received_at=abstract.received_at or 0.0,
                    claim=claim,
                    qualifier=canonical.dataset_qualifier(claim.dataset or "", claim.sentence),
                    date=abstract.date,
                )
            )
    return _info(table_id, blob), cells
