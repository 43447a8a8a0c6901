"""How well the mention tagger finds metric, dataset, task and method names, and how fast.

    .venv/bin/python -m bench.mentions [--shared DIR] [--json] [--folds 5]

All data are read from the shared folder at run time (default ``../shared``):

- ``tdmsci-test``: TDMSci's test sentences, per type precision / recall / F1 with exact spans
  and with partial overlap (same type, a shared character, one-to-one). Three rows: a tagger
  trained here on TDMSci train only, on all 487 sentences (the published setting; 10 of them
  are also in TDMSci's own train file), then it and the shipped model on the *unseen* test
  sentences, those in no training source of either (9 TDMSci test sentences are in SciREX
  abstracts, on which the shipped model is trained).
- ``scirex-cv``: SciREX abstract mentions, 5-fold cross-validation by abstract id (folds fixed
  by a hash of the id): each fold's tagger is trained on TDMSci train, the other folds and
  dev-gold, and tested on the held-out abstracts' sentences, recall and precision with any
  overlap of the same type (dataset = SciREX Material).
- ``tagger-speed``: tokens per second of ``Tagger.tag`` (shipped model) over every sentence of
  the dev-gold abstracts, after a warm-up sentence of ours; the first pass (word-feature cache
  cold) and the best of three.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
import regex
from rich.console import Console

from bench.accuracy import (
    DEFAULT_SHARED,
    BenchmarkResult,
    Figure,
    SystemResult,
    results_table,
    skipped,
)
from claimex.extractors.mentions.tagger import Tagger
from claimex.extractors.mentions.tokens import tokens
from claimex.extractors.sentences import split_sentences
from training.folds import fold_of
from training.tagger import train
from training.tagger_cv import Counts, evaluate, micro, refit
from training.tagger_data import DEV_GOLD, SCIREX, TDMSCI_TEST, TDMSCI_TRAIN, Example, read, tdmsci

if TYPE_CHECKING:
    from collections.abc import Sequence

TDMSCI_LABELS = ("DATASET", "METRIC", "TASK")
SCIREX_LABELS = ("DATASET", "METRIC", "METHOD", "TASK")
BENCHMARKS = ("tdmsci-test", "scirex-cv", "tagger-speed")
WARM_UP = "Our tagger reaches 71.3 macro-F1 on the new ZorbLex benchmark for entity typing."
_NOT_WORD = regex.compile(r"[\W_]+")


def _rate_figures(name: str, counts: Counts, partial: bool) -> list[Figure]:
    tp = counts.partial if partial else counts.exact
    detail = f"tp {tp} · pred {counts.predicted} · gold {counts.gold}"
    p, r, f = counts.rates(partial)
    how = "partial" if partial else "exact"
    return [
        Figure(name=f"{name} {how} P", value=p, detail=detail),
        Figure(name=f"{name} {how} R", value=r),
        Figure(name=f"{name} {how} F1", value=f),
    ]


def type_figures(counts: dict[str, Counts], labels: Sequence[str]) -> tuple[Figure, ...]:
    """Exact and partial P / R / F1 per label, then micro-averaged over ``labels``."""
    out: list[Figure] = []
    rows = [(label.lower(), counts.get(label, Counts())) for label in labels]
    for name, c in [*rows, ("micro", micro(counts, labels))]:
        out += _rate_figures(name, c, partial=False) + _rate_figures(name, c, partial=True)
    return tuple(out)


def _norm(text: str) -> str:
    return _NOT_WORD.sub("", text.lower())


class _Text(msgspec.Struct):
    text: str | None = None


def texts(path: Path) -> list[str]:
    """The ``text`` of each record of a JSONL file (SciREX abstracts, dev-gold)."""
    decoder = msgspec.json.Decoder(_Text)
    lines = path.read_bytes().splitlines()
    return [decoder.decode(line).text or "" for line in lines if line.strip()]


def unseen(shared: Path, test: Sequence[Example]) -> list[Example]:
    """The test sentences that no training source holds (compared without case and spaces)."""
    train = {_norm(e.text) for e in tdmsci(shared / TDMSCI_TRAIN)}
    abstracts = [_norm(t) for path in (shared / SCIREX, shared / DEV_GOLD) for t in texts(path)]
    return [
        e
        for e in test
        if _norm(e.text) not in train and not any(_norm(e.text) in a for a in abstracts)
    ]


def bench_tdmsci(shared: Path, shipped: Tagger) -> BenchmarkResult:
    """TDMSci test: a TDMSci-train tagger on all and unseen sentences, the shipped one on unseen."""
    test = tdmsci(shared / TDMSCI_TEST)
    clean = unseen(shared, test)
    own = refit(tdmsci(shared / TDMSCI_TRAIN))
    runs = (
        ("TDMSci-train tagger, all test", own, test),
        ("TDMSci-train tagger, unseen test", own, clean),
        ("shipped tagger, unseen test", shipped, clean),
    )
    systems = []
    for name, tagger, examples in runs:
        started = time.perf_counter()
        counts = evaluate(tagger, examples)
        seconds = time.perf_counter() - started
        figures = type_figures(counts, TDMSCI_LABELS)
        systems.append(SystemResult(system=name, seconds=seconds, figures=figures))
    note = f"{len(test)} test sentences, {len(clean)} in no training source; wall time = tagging"
    return BenchmarkResult(benchmark="tdmsci-test", status="ok", note=note, systems=tuple(systems))


def scirex_cv(shared: Path, folds: int = 5) -> dict[str, Counts]:
    """Pooled counts of ``folds`` refits, each tested on the SciREX abstracts it never saw."""
    scirex = read(shared, ["scirex"])
    ids = sorted({e.doc for e in scirex})
    total: dict[str, Counts] = {}
    for k in range(folds):
        held = frozenset(i for i in ids if fold_of(i, folds) == k)
        with tempfile.TemporaryDirectory() as tmp:
            path = train(shared, Path(tmp) / "fold.crfsuite", exclude_ids=held)
            tagger = Tagger.from_bytes(path.read_bytes())
        for label, counts in evaluate(tagger, [e for e in scirex if e.doc in held]).items():
            total.setdefault(label, Counts()).add(counts)
    return total


def bench_scirex(shared: Path, folds: int) -> BenchmarkResult:
    """SciREX cross-validation: overlap recall and precision, and exact recall, per label."""
    started = time.perf_counter()
    counts = scirex_cv(shared, folds)
    seconds = time.perf_counter() - started
    figures = []
    for label in SCIREX_LABELS:
        c = counts.get(label, Counts())
        p, r, _ = c.rates(partial=True)
        detail = f"tp {c.partial} · pred {c.predicted} · gold {c.gold}"
        figures += [
            Figure(name=f"{label.lower()} overlap R", value=r, detail=detail),
            Figure(name=f"{label.lower()} overlap P", value=p),
            Figure(name=f"{label.lower()} exact R", value=c.rates()[1]),
        ]
    system = SystemResult(
        system=f"tagger, {folds}-fold CV", seconds=seconds, figures=tuple(figures)
    )
    note = f"{folds} folds by a hash of the abstract id; wall time = {folds} trainings + tagging"
    return BenchmarkResult(benchmark="scirex-cv", status="ok", note=note, systems=(system,))


def tagging_speed(
    tagger: Tagger, abstracts: Sequence[str], passes: int = 3
) -> tuple[int, list[float]]:
    """Tokens in all sentences of ``abstracts`` and the seconds of each pass of ``Tagger.tag``."""
    spans = [[(s.start, s.end) for s in split_sentences(t)] for t in abstracts]
    n = sum(len(tokens(t, s, e)) for t, sp in zip(abstracts, spans, strict=True) for s, e in sp)
    tagger.tag(WARM_UP, [(0, len(WARM_UP))])
    seconds = []
    for _ in range(passes):
        started = time.perf_counter()
        for text, sp in zip(abstracts, spans, strict=True):
            tagger.tag(text, sp)
        seconds.append(time.perf_counter() - started)
    return n, seconds


def bench_speed(shared: Path, tagger: Tagger) -> BenchmarkResult:
    """The shipped tagger's speed over the dev-gold abstracts, first pass and best of three."""
    abstracts = texts(shared / DEV_GOLD)
    n, seconds = tagging_speed(tagger, abstracts)
    first, best = seconds[0], min(seconds)
    figures = (
        Figure(name="tokens/s, first pass", value=n / first, detail=f"{n} tokens"),
        Figure(name="tokens/s, best of 3", value=n / best),
        Figure(name="abstracts/s, first pass", value=len(abstracts) / first),
    )
    system = SystemResult(system="shipped tagger", seconds=sum(seconds), figures=figures)
    note = "one core; sentences split beforehand (not timed)"
    return BenchmarkResult(benchmark="tagger-speed", status="ok", note=note, systems=(system,))


def bench_mentions(shared: Path, folds: int = 5) -> list[BenchmarkResult]:
    """Every mention benchmark; missing data give skipped rows, not an error.

    Each benchmark needs all four files: the unseen test sentences are those in no training
    source, and every refit trains on TDMSci train and dev-gold.
    """
    missing = [
        p for p in (TDMSCI_TRAIN, TDMSCI_TEST, SCIREX, DEV_GOLD) if not (shared / p).exists()
    ]
    if missing:
        return [skipped(name, shared / missing[0]) for name in BENCHMARKS]
    shipped = Tagger.default()
    return [
        bench_tdmsci(shared, shipped),
        bench_scirex(shared, folds),
        bench_speed(shared, shipped),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the mention benchmarks and print their table (or one JSON object)."""
    parser = argparse.ArgumentParser(prog="python -m bench.mentions", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data folder")
    parser.add_argument("--folds", type=int, default=5, help="SciREX cross-validation folds")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args(argv)
    results = bench_mentions(args.shared, args.folds)
    if args.json:
        sys.stdout.write(msgspec.json.encode({"benchmarks": results}).decode() + "\n")
    else:
        console = Console(highlight=False, width=160)
        console.print(results_table(results, title="claimex mention tagger"))
        console.print("\n".join(f"{r.benchmark}: {r.note}" for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
