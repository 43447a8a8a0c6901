"""Cross-validated dev-gold predictions: every fitted part refitted without the scored fold.

    .venv/bin/python -m training.crossval [--shared DIR] [--folds 5] [--tagger fixed|refit]

Folds are fixed by abstract id (``training.fit.fold_of``). For each fold the linking models are
fitted on the other folds. With ``--tagger refit`` (the honest figure) the mention tagger is
retrained too, on its public data plus the other folds' dev-gold names, and the linking models
are fitted on cross-fitted mentions of those folds, as ``training.linking`` does (slow: six CRF
trainings per fold). With ``--tagger fixed`` the shipped tagger, which has seen every
dev-gold name, tags everything: quick, but flattering. The
predictions of all folds are scored together with ``extractors.scoring``.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import msgspec

from extractors.mentions.find import TagFn
from extractors.mentions.tagger import Tagger
from extractors.model import Claim
from extractors.pipeline import Models, default_models, extract
from extractors.scoring import ScoredClaim, ScoredDocument, Scores, score
from training.fit import fold_of
from training.linking import DEFAULT_SHARED, GoldAbstract, cross_fitted_tags, fit, read_gold
from training.tagger import train as train_tagger

FOLDS = 5


def as_scored(claims: Sequence[Claim]) -> tuple[ScoredClaim, ...]:
    return tuple(
        ScoredClaim(
            start=c.start,
            end=c.end,
            value=c.value,
            span=c.span,
            kind=c.kind,
            direction=c.direction,
            metric=c.metric,
            dataset=c.dataset,
            subject=c.subject,
            confidence=c.confidence,
        )
        for c in claims
    )


def predictions(
    golds: Sequence[GoldAbstract], shared: Path, folds: int = FOLDS, refit_tagger: bool = False
) -> list[ScoredDocument]:
    """Each abstract's claims, extracted with models fitted on the other folds."""
    out: dict[str, ScoredDocument] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            train = [g for g in golds if fold_of(g.id, folds) != k]
            test = [g for g in golds if fold_of(g.id, folds) == k]
            tag = default_models().tag
            tags: Mapping[str, TagFn | None] = dict.fromkeys((g.id for g in train), tag)
            if refit_tagger:
                held_out = frozenset(g.id for g in test)
                work = Path(tmp) / f"fold-{k}"
                path = train_tagger(shared, work / "tagger.crfsuite", exclude_ids=held_out)
                tag = Tagger.load(path).tag
                tags = cross_fitted_tags(train, shared, work, exclude=held_out)
            models = Models(tag=tag, weights=fit(train, tags))
            for g in test:
                claims = as_scored(extract(g.text, g.title, models))
                out[g.id] = ScoredDocument(id=g.id, text=g.text, claims=claims)
    return [out[g.id] for g in golds]


def as_gold(golds: Sequence[GoldAbstract]) -> list[ScoredDocument]:
    return [ScoredDocument(id=g.id, text=g.text, claims=g.claims) for g in golds]


def cross_validated(shared: Path, folds: int = FOLDS, refit_tagger: bool = False) -> Scores:
    golds = read_gold(shared / "eval" / "dev-gold.jsonl")
    return score(as_gold(golds), predictions(golds, shared, folds, refit_tagger))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.crossval", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--tagger", choices=("fixed", "refit"), default="fixed")
    parser.add_argument("--out", type=Path, help="also write the predictions here (JSONL)")
    args = parser.parse_args(argv)
    golds = read_gold(args.shared / "eval" / "dev-gold.jsonl")
    pred = predictions(golds, args.shared, args.folds, args.tagger == "refit")
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
