"""Leaderboard reconstruction: does one claimex table gather each gold leaderboard?

    .venv/bin/python -m bench.leaderboards [--shared ../shared]

Every abstract of the three leaderboard benchmarks in ``shared/benchmarks`` (sota-clef24,
nlp-tdms, scirex) is admitted with ``workers.queue.submit`` and extracted and stored by the
workers' own job (``workers.jobs.process``) into an embedded Redis of the benchmark's own; the
tables are then read back through ``workers.tables`` and ranked as the API ranks them.

A gold leaderboard is a (dataset, metric) of one benchmark whose score appears in the
abstracts (``in_abstract`` with a span) of at least two papers; each such score is an entry.
An entry lands in a table when a claim on its span states its value (``bench.accuracy``'s
match: same number, up to percent/fraction and written multipliers) and that claim is a row
of the table. Per leaderboard:

- its *home table*: the table most of its entries land in, among tables holding entries of at
  least two of its papers; it is *reconstructed* when it has one;
- *entry recall*: entries in the home table / all entries;
- *tables per leaderboard*: distinct tables its entries land in (leaderboards with any);
- *wrong headline*: the home table's top-ranked row is not one of the leaderboard's entries.

Per benchmark, sota-clef24's ``test2-zero-shot`` split on its own, and pooled. No leaderboard
has two papers inside that split, so the split's row counts its entries on the leaderboards of
the whole benchmark: the entries of its papers, and whether they reach the home table.
Targets (issue 14, pooled): entry recall >= 0.80, leaderboards reconstructed >= 24 of 29,
tables per leaderboard <= 1.15.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
import redis

from bench.accuracy import GoldScore, value_agrees
from bench.storage import drain
from claimex.api import ranking
from claimex.workers import queue, store, tables
from claimex.workers.redis_server import EmbeddedRedis

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from claimex.api.schemas import Table
    from claimex.extractors.model import Claim

BENCHMARKS = ("sota-clef24", "nlp-tdms", "scirex")
ZERO_SHOT = "test2-zero-shot"
TARGETS = {"recall": 0.80, "reconstructed": 24, "tables": 1.15}
CHUNK = 200


class Paper(msgspec.Struct, frozen=True):
    """A benchmark paper: its id, abstract, split and the gold scores the leaderboards give it."""

    id: str
    text: str
    split: str | None = None
    results: tuple[GoldScore, ...] = ()


class Entry(msgspec.Struct, frozen=True):
    """One gold score of one paper, and the claims (by index) that state it."""

    abstract_id: str
    gold: GoldScore
    claims: tuple[int, ...]


Location = dict[tuple[str, int], str]
"""(abstract id, claim index) → the id of the table the claim is a row of."""


def read_papers(shared: Path, benchmark: str) -> list[Paper]:
    """The papers of ``benchmark`` that have an abstract, in file order."""
    path = shared / "benchmarks" / benchmark / "abstracts.jsonl"
    decoder = msgspec.json.Decoder(Paper)
    with path.open("rb") as lines:
        return [p for line in lines if (p := decoder.decode(line)).text.strip()]


def store_all(db: redis.Redis, papers: Iterable[Paper]) -> dict[str, str]:
    """Admit and extract every paper the way the service does; paper id → abstract id."""
    ids: dict[str, str] = {}
    batch: list[Paper] = []

    def flush() -> None:
        news = [queue.NewAbstract(text=p.text) for p in batch]
        submission = queue.submit(db, news, source="bench.leaderboards", job_ttl=3600)
        ids.update(zip((p.id for p in batch), submission.abstract_ids, strict=True))
        drain(db)
        batch.clear()

    for paper in papers:
        batch.append(paper)
        if len(batch) == CHUNK:
            flush()
    if batch:
        flush()
    return ids


def read_tables(db: redis.Redis) -> tuple[Location, dict[str, Table]]:
    """Where every tabled claim is, and every table ranked as ``GET /v1/tables/{id}`` ranks."""
    located: Location = {}
    ranked: dict[str, Table] = {}
    listed = tables.list_tables(db, limit=10**6, offset=0)
    for listed_info in listed.items:
        info, cells = tables.read_table(db, listed_info.id)
        for cell in cells:
            located[(cell.abstract_id, cell.index)] = info.id
        ranked[info.id] = ranking.build_table(info, cells, limit=None)
    return located, ranked


def stating(claims: Sequence[Claim], gold: GoldScore, text: str) -> tuple[int, ...]:
    """Indexes of the claims on one of the gold score's spans that state its value."""
    return tuple(
        n
        for n, c in enumerate(claims)
        if any(c.start < e and s < c.end for s, e in gold.spans)
        and value_agrees(c.value, gold, text)
    )


def leaderboards(
    db: redis.Redis, papers: Sequence[Paper], ids: dict[str, str]
) -> dict[tuple[str, str], list[Entry]]:
    """Gold (dataset, metric) → its in-abstract entries, for those of two or more papers."""
    boards: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for paper in papers:
        golds = [g for g in paper.results if g.in_abstract and g.spans and g.dataset and g.metric]
        if not golds:
            continue
        abstract = store.get_abstract(db, ids[paper.id])
        claims = abstract.claims or ()
        for gold in golds:
            entry = Entry(abstract.id, gold, stating(claims, gold, paper.text))
            boards[(gold.dataset or "", gold.metric or "")].append(entry)
    return {k: v for k, v in boards.items() if len({e.abstract_id for e in v}) >= 2}


class Figures(msgspec.Struct):
    """The counts of a benchmark's leaderboards, from which the printed shares are made."""

    boards: int = 0
    entries: int = 0
    found: int = 0
    tabled: int = 0
    in_home: int = 0
    reconstructed: int = 0
    tables_seen: int = 0
    boards_tabled: int = 0
    headlines_wrong: int = 0


def _tables_of(entry: Entry, located: Location) -> set[str]:
    return {t for n in entry.claims if (t := located.get((entry.abstract_id, n)))}


def _top_row(table: Table) -> tuple[str, int] | None:
    sections = sorted(table.sections, key=lambda s: s.kind != "score")
    for section in sections:
        if section.rows:
            return section.rows[0].abstract_id, section.rows[0].claim_index
    return None


def measure(
    boards: dict[tuple[str, str], list[Entry]],
    located: Location,
    ranked: dict[str, Table],
    only: set[str] | None = None,
) -> Figures:
    """The figures of ``boards``; with ``only``, of the entries of those abstracts alone.

    With ``only``, the leaderboards counted are those that have such an entry, and each
    leaderboard's home table is still found from all its entries.
    """
    out = Figures()
    for entries in boards.values():
        counted = [e for e in entries if only is None or e.abstract_id in only]
        if not counted:
            continue
        out.boards += 1
        out.entries += len(counted)
        out.found += sum(1 for e in counted if e.claims)
        places = [_tables_of(e, located) for e in entries]
        out.tabled += sum(1 for e in counted if _tables_of(e, located))
        entries_in: Counter[str] = Counter(t for p in places for t in p)
        papers_in: dict[str, set[str]] = defaultdict(set)
        for entry, place in zip(entries, places, strict=True):
            for table in place:
                papers_in[table].add(entry.abstract_id)
        seen = set(entries_in)
        if seen:
            out.boards_tabled += 1
            out.tables_seen += len(seen)
        shared = [t for t in seen if len(papers_in[t]) >= 2]
        if not shared:
            continue
        home = max(shared, key=lambda t: (entries_in[t], len(papers_in[t]), t))
        out.reconstructed += 1
        out.in_home += sum(1 for e in counted if home in _tables_of(e, located))
        gold_rows = {(e.abstract_id, n) for e in entries for n in e.claims}
        if _top_row(ranked[home]) not in gold_rows:
            out.headlines_wrong += 1
    return out


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "-"


def print_figures(rows: Sequence[tuple[str, Figures]]) -> None:
    """Print one line of figures per row, under a header naming the columns."""
    print(
        f"{'benchmark':<28} {'boards':>6} {'entries':>7} {'found':>6} {'tabled':>6}"
        f" {'recall':>6} {'rebuilt':>8} {'tbl/lb':>6} {'wrong top':>9}"
    )
    for name, f in rows:
        per_board = f"{f.tables_seen / f.boards_tabled:.2f}" if f.boards_tabled else "-"
        print(
            f"{name:<28} {f.boards:>6} {f.entries:>7} {f.found:>6} {f.tabled:>6}"
            f" {_share(f.in_home, f.entries):>6} {f.reconstructed:>3} of {f.boards:<3}"
            f" {per_board:>6} {_share(f.headlines_wrong, f.reconstructed):>9}"
        )


def pooled(figures: Iterable[Figures]) -> Figures:
    """The figures added up, count by count."""
    total = Figures()
    for f in figures:
        for field in Figures.__struct_fields__:
            setattr(total, field, getattr(total, field) + getattr(f, field))
    return total


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: where the shared data is."""
    parser = argparse.ArgumentParser(prog="python -m bench.leaderboards", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Store every benchmark's abstracts, rebuild the leaderboards and print the figures."""
    args = parse_args(argv)
    for benchmark in BENCHMARKS:
        path = args.shared / "benchmarks" / benchmark / "abstracts.jsonl"
        if not path.is_file():
            print(f"bench.leaderboards: {path} not found (pass --shared DIR)", file=sys.stderr)
            return 2
    corpora = {b: read_papers(args.shared, b) for b in BENCHMARKS}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claimex-bench-") as tmp:
        server = EmbeddedRedis(Path(tmp) / "redis", persist=False)
        server.start()
        try:
            db = redis.Redis.from_url(server.url)
            ids: dict[str, str] = {}
            for papers in corpora.values():
                ids |= store_all(db, papers)
            located, ranked = read_tables(db)
            rows = []
            for name, papers in corpora.items():
                rows.append((name, measure(leaderboards(db, papers, ids), located, ranked)))
            total = pooled(f for _, f in rows)
            zero_shot = {ids[p.id] for p in corpora["sota-clef24"] if p.split == ZERO_SHOT}
            boards = leaderboards(db, corpora["sota-clef24"], ids)
            split = measure(boards, located, ranked, only=zero_shot)
            rows.append((f"sota-clef24 {ZERO_SHOT}", split))
            rows.append(("pooled (the three)", total))
        finally:
            server.stop()
    seconds = time.perf_counter() - started
    print(f"{len(ids)} abstracts stored and extracted by the workers' job in {seconds:.0f} s;")
    print(f"{len(ranked)} tables.\n")
    print_figures(rows)
    recall = total.in_home / total.entries if total.entries else 0.0
    per_board = total.tables_seen / total.boards_tabled if total.boards_tabled else 0.0
    met = (
        recall >= TARGETS["recall"]
        and total.reconstructed >= TARGETS["reconstructed"]
        and per_board <= TARGETS["tables"]
    )
    print(
        f"\ntargets (pooled): recall >= {TARGETS['recall']:.2f}, rebuilt >= "
        f"{TARGETS['reconstructed']}, tables per leaderboard <= {TARGETS['tables']}: "
        + ("met" if met else "not met")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
