"""Cross-validated dev-gold predictions: every fitted part refitted without the scored fold.

    .venv/bin/python -m training.crossval [--shared DIR] [--folds 5] [--out PATH]

Folds are fixed by abstract id (``training.folds``). For each fold the linking models are
fitted on the other folds and the fold is extracted with them. The mention tagger needs no
refit: it was trained on public data only and has never seen dev-gold. The predictions of all
folds are scored together with ``extractors.scoring``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from claimex.extractors.pipeline import Models, default_models, extract
from claimex.extractors.scoring import ScoredDocument, Scores, as_scored, score
from training.folds import fold_of
from training.linking import DEFAULT_SHARED, GoldAbstract, fit, read_gold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from claimex.extractors.mentions.find import TagFn

FOLDS = 5


def predictions(
    golds: Sequence[GoldAbstract], folds: int = FOLDS, tag: TagFn | None = None
) -> list[ScoredDocument]:
    """Each abstract's claims, extracted with models fitted on the other folds.

    Mentions come from ``tag``, the shipped tagger by default.
    """
    tag = tag or default_models().tag
    out: dict[str, ScoredDocument] = {}
    for k in range(folds):
        train = [g for g in golds if fold_of(g.id, folds) != k]
        test = [g for g in golds if fold_of(g.id, folds) == k]
        models = Models(tag=tag, weights=fit(train, tag))
        for g in test:
            claims = as_scored(extract(g.text, g.title, models))
            out[g.id] = ScoredDocument(id=g.id, text=g.text, claims=claims)
    return [out[g.id] for g in golds]


def as_gold(golds: Sequence[GoldAbstract]) -> list[ScoredDocument]:
    """The gold abstracts as scored documents, with the claims the gold gives them."""
    return [ScoredDocument(id=g.id, text=g.text, claims=g.claims) for g in golds]


def cross_validated(golds: Sequence[GoldAbstract], folds: int = FOLDS) -> Scores:
    """The scores of the cross-validated predictions of ``golds`` against their gold claims."""
    return score(as_gold(golds), predictions(golds, folds))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the cross-validated scores of dev-gold; with ``--out``, write the predictions too."""
    parser = argparse.ArgumentParser(prog="python -m training.crossval", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--out", type=Path, help="also write the predictions here (JSONL)")
    args = parser.parse_args(argv)
    golds = read_gold(args.shared / "eval" / "dev-gold.jsonl")
    pred = predictions(golds, args.folds)
    if args.out:
        args.out.write_bytes(b"".join(msgspec.json.encode(p) + b"\n" for p in pred))
    s = score(as_gold(golds), pred)
    print(f"quantity F1 {s.quantity.f1:.4f}  triple F1 {s.triple.f1:.4f}")
    for name in ("kind", "direction", "metric", "dataset", "subject"):
        acc = getattr(s, name)
        print(f"{name:10} {acc.accuracy:.4f} ({acc.correct}/{acc.total})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
