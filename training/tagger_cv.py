"""Scoring of tagged mentions, and the cross-validation that chose the CRF's c1 and c2.

    .venv/bin/python -m training.tagger_cv [--shared DIR] [--folds 3]

prints exact-span micro F1 on TDMSci *train* for a grid of (c1, c2), each cell the pooled
counts of ``--folds`` refits. The test file is never read here. ``bench.mentions`` reuses the
scoring: exact match (same start, end and type) and partial match (same type and at least one
shared character, each gold and predicted mention used at most once).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from claimex.extractors.mentions.tagger import Tagger
from training.folds import fold_of
from training.tagger import C1, C2, DEFAULT_SHARED, MAX_ITERATIONS, fit
from training.tagger_data import TDMSCI_TRAIN, Entity, Example, tdmsci

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

GRID_C1 = (0.05, 0.2, 0.5, 1.0)
GRID_C2 = (0.01, 0.1, 1.0)


@dataclass
class Counts:
    """Mentions of one type: gold, predicted, and how many matched exactly / by overlap."""

    gold: int = 0
    predicted: int = 0
    exact: int = 0
    partial: int = 0

    def add(self, other: Counts) -> None:
        """Add the counts of ``other`` to these."""
        self.gold += other.gold
        self.predicted += other.predicted
        self.exact += other.exact
        self.partial += other.partial

    def rates(self, partial: bool = False) -> tuple[float, float, float]:
        """Precision, recall and F1 (0 where undefined)."""
        tp = self.partial if partial else self.exact
        p = tp / self.predicted if self.predicted else 0.0
        r = tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def match(gold: Sequence[Entity], predicted: Sequence[Entity]) -> dict[str, Counts]:
    """Per-type counts for one text; both sides are lists of ``(start, end, label)``."""
    out: dict[str, Counts] = {}
    for *_, label in gold:
        out.setdefault(label, Counts()).gold += 1
    for *_, label in predicted:
        out.setdefault(label, Counts()).predicted += 1
    for item in set(gold) & set(predicted):
        out[item[2]].exact += 1
    used: set[int] = set()
    for gs, ge, label in sorted(gold):
        for j, (ps, pe, plabel) in enumerate(predicted):
            if j not in used and plabel == label and ps < ge and gs < pe:
                used.add(j)
                out[label].partial += 1
                break
    return out


def predict(tagger: Tagger, text: str) -> list[Entity]:
    """The tagger's mentions of ``text`` (one sentence) with upper-case labels, as gold has."""
    return [(m.start, m.end, m.type.upper()) for m in tagger.tag(text, [(0, len(text))])]


def evaluate(tagger: Tagger, examples: Iterable[Example]) -> dict[str, Counts]:
    """Counts per label over ``examples``, each tagged as one sentence."""
    total: dict[str, Counts] = {}
    for example in examples:
        for label, counts in match(example.entities, predict(tagger, example.text)).items():
            total.setdefault(label, Counts()).add(counts)
    return total


def micro(counts: dict[str, Counts], labels: Iterable[str]) -> Counts:
    """The counts of ``labels`` summed into one, for micro-averaged rates."""
    out = Counts()
    for label in labels:
        out.add(counts.get(label, Counts()))
    return out


def refit(
    train: Sequence[Example], c1: float = C1, c2: float = C2, max_iterations: int = MAX_ITERATIONS
) -> Tagger:
    """A tagger trained in-process on ``train`` (through a temp file that is then removed)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fold.crfsuite"
        path = fit(train, out, c1=c1, c2=c2, max_iterations=max_iterations)
        return Tagger.from_bytes(path.read_bytes())


def cross_validate(
    examples: Sequence[Example],
    folds: int,
    c1: float = C1,
    c2: float = C2,
    max_iterations: int = MAX_ITERATIONS,
) -> dict[str, Counts]:
    """Pooled counts of ``folds`` refits, each tested on the fold it did not see."""
    total: dict[str, Counts] = {}
    for k in range(folds):
        train = [e for e in examples if fold_of(e.doc, folds) != k]
        test = [e for e in examples if fold_of(e.doc, folds) == k]
        for label, counts in evaluate(refit(train, c1, c2, max_iterations), test).items():
            total.setdefault(label, Counts()).add(counts)
    return total


def main(argv: Sequence[str] | None = None) -> int:
    """Print the exact-span micro F1 of every (c1, c2) of the grid, one row per c1."""
    parser = argparse.ArgumentParser(prog="python -m training.tagger_cv", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data folder")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=MAX_ITERATIONS, help="L-BFGS iterations")
    args = parser.parse_args(argv)
    examples = tdmsci(args.shared / TDMSCI_TRAIN)
    print(f"max_iterations {args.iterations}; exact micro F1 (task, dataset, metric)")
    print("c1 \\ c2  " + "  ".join(f"{c2:6}" for c2 in GRID_C2))
    for c1 in GRID_C1:
        cells = []
        for c2 in GRID_C2:
            counts = cross_validate(examples, args.folds, c1, c2, args.iterations)
            cells.append(micro(counts, ("TASK", "DATASET", "METRIC")).rates()[2])
        print(f"{c1:<8}  " + "  ".join(f"{f:6.3f}" for f in cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
