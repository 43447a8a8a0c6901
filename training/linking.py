"""Fit the linking models on dev-gold: ``python -m training.linking``.

    .venv/bin/python -m training.linking [--shared DIR] [--out PATH]

Runs the pipeline on every dev-gold abstract up to linking, pairs its claims with the gold
claims (``extractors.matching.match_claims``), and turns each decision into a ``training.fit``
group: for the paper's own method, the abstract's name candidates against the subject the gold
names most often; for each matched claim and each of metric, dataset and subject, its
candidates against the gold field (a candidate is right when it names the same thing,
``extractors.matching.same_name``). The own model is fitted first, because the field candidates
depend on the own method it chooses. The output is ``extractors/models/linking.json``.
Everything is deterministic: same data, same file.

The mention tagger never saw dev-gold (``training.tagger`` trains on public data only), so the
mentions the models are fitted on are found exactly as they will be in a new abstract.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from claimex.extractors import weights as fitted
from claimex.extractors.linking.assign import none_features, scored_candidates
from claimex.extractors.linking.candidates import FIELDS, context
from claimex.extractors.matching import match_claims, same_name
from claimex.extractors.mentions.defined import definitions
from claimex.extractors.mentions.find import TagFn, find_mentions
from claimex.extractors.mentions.own import own_candidates
from claimex.extractors.pipeline import BEFORE_LINKING, Models, default_models, run_steps
from claimex.extractors.scoring import ScoredClaim
from training.fit import Group, decision_accuracy, fit_model

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from claimex.extractors.draft import Doc

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
DEFAULT_OUT = REPO / "extractors" / "models" / "linking.json"
GENERIC_SUBJECT = ("our ", "the ", "this ", "these ")


class GoldClaim(ScoredClaim, frozen=True, kw_only=True):
    """A dev-gold claim: the fields that scoring reads, ``optional`` among them."""

    pass


class GoldAbstract(msgspec.Struct, frozen=True, kw_only=True):
    """A dev-gold abstract: its id, text, title if any, and gold claims."""

    id: str
    text: str
    title: str | None = None
    claims: tuple[GoldClaim, ...] = ()


def read_gold(path: Path) -> list[GoldAbstract]:
    """The abstracts of a dev-gold JSONL file, one per non-blank line, in file order."""
    decoder = msgspec.json.Decoder(GoldAbstract)
    with path.open("rb") as handle:
        return [decoder.decode(line) for line in handle if line.strip()]


def gold_own(gold: GoldAbstract) -> str | None:
    """The paper's own method as the gold names it: its most frequent specific subject."""
    names = Counter(
        c.subject
        for c in gold.claims
        if c.subject
        and not c.subject.lower().startswith(GENERIC_SUBJECT)
        and c.subject in gold.text
    )
    return names.most_common(1)[0][0] if names else None


def own_groups(golds: Sequence[GoldAbstract]) -> list[Group]:
    """One decision per abstract whose gold says who its claims are about.

    An abstract whose most frequent specific subject is no candidate (a description such as
    "training strategy", or a name only in the title) says nothing about which candidate is
    the own method, so it is left out rather than taught as "none".
    """
    groups = []
    for g in golds:
        if not any(c.subject for c in g.claims):
            continue  # no claim says who it is about: no evidence either way
        target = gold_own(g)
        found = list(own_candidates(g.text, g.title, definitions(g.text)))
        labels = tuple(bool(target) and same_name(target, c.name) for c in found)
        if target and not any(labels):
            continue
        groups.append(
            Group(
                doc=g.id,
                features=tuple(c.features for c in found),
                labels=labels,
                has_gold=target is not None,
            )
        )
    return groups


def _matched(doc: Doc, gold: GoldAbstract) -> Iterable[tuple[GoldClaim, int]]:
    required = [c for c in gold.claims if not c.optional]
    pred = [ScoredClaim(start=d.start, end=d.end, value=d.value) for d in doc.drafts]
    for g, p in match_claims(required, pred).items():
        yield required[g], p


def field_groups(docs: Sequence[tuple[Doc, GoldAbstract]]) -> dict[str, list[Group]]:
    """Per field, one decision for each claim matched to a gold claim: candidates against gold."""
    groups: dict[str, list[Group]] = {f: [] for f in FIELDS}
    for doc, gold in docs:
        ctx = context(doc)
        for claim, i in _matched(doc, gold):
            d = doc.drafts[i]
            for field in FIELDS:
                target = getattr(claim, field)
                scored = scored_candidates(ctx, d, field)
                groups[field].append(
                    Group(
                        doc=gold.id,
                        features=tuple(tuple(f) for _, f in scored),
                        labels=tuple(bool(target) and same_name(target, c.text) for c, _ in scored),
                        has_gold=bool(target),
                        none=none_features(d),
                    )
                )
    return groups


def fit(golds: Sequence[GoldAbstract], tag: TagFn | None) -> fitted.Weights:
    """Every linking model, fitted on ``golds`` with mentions from ``tag``."""
    own = fit_model(own_groups(golds))
    blank = Models(tag=tag, weights=fitted.Weights(models={}))
    docs = []
    for g in golds:
        doc = run_steps(g.text, g.title, blank, until=BEFORE_LINKING - 1)
        docs.append((find_mentions(doc, tag, own), g))
    models = {"own": own}
    for field, groups in field_groups(docs).items():
        models[field] = fit_model(groups, decision_accuracy)
    return fitted.Weights(models=models, fitted_on=f"{len(golds)} dev-gold abstracts")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: where the shared data is, and the models file to write."""
    parser = argparse.ArgumentParser(prog="python -m training.linking", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit the linking models on dev-gold and write them; 2 if there is no dev-gold file."""
    args = parse_args(argv)
    path = args.shared / "eval" / "dev-gold.jsonl"
    if not path.is_file():
        print(f"training.linking: no dev-gold at {path}", file=sys.stderr)
        return 2
    weights = fit(read_gold(path), default_models().tag)
    args.out.write_bytes(fitted.encode(weights))
    sizes = ", ".join(f"{k} {len(m.weights)}" for k, m in weights.models.items())
    print(f"wrote {args.out} ({sizes} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
