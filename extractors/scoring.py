"""Scores of predicted claims against gold claims, as defined by ``shared/eval/score.py``.

Written from that file's definitions, not its code, so ``claimex score`` needs nothing outside
the package. Pure: documents in, one frozen ``Scores`` out; reading files is ``cli/score.py``'s job.

Two choices where the definitions leave room, both of which agree with the reference on
ordinary input:

- Quantity matching is a maximum one-to-one matching (augmenting paths, gold claims in order,
  predictions in order), so a wide predicted span that overlaps two equal-valued gold claims
  cannot steal the only partner of another. When no such conflict exists it is the same as
  taking, for each gold claim, the first free prediction that matches it.
- A rate whose denominator is zero is ``None`` (nothing was measured), except F1, which is
  ``2·tp / (predicted + gold)`` and so is 0.0 as soon as either side has a claim.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import msgspec

from claimex.extractors.matching import match_claims, overlaps, same_name
from claimex.extractors.model import RESULT_KINDS, Claim

if TYPE_CHECKING:
    from collections.abc import Iterable

NAME_FIELDS = ("metric", "dataset", "subject")
CONFIDENT = 0.8


class ScoredClaim(msgspec.Struct, frozen=True, kw_only=True):
    """The part of a claim that scoring reads; other fields of the input are ignored."""

    start: int
    end: int
    value: float
    span: str | None = None
    kind: str | None = None
    direction: str | None = None
    metric: str | None = None
    dataset: str | None = None
    subject: str | None = None
    confidence: float | None = None
    optional: bool = False


class ScoredDocument(msgspec.Struct, frozen=True, kw_only=True):
    """One abstract of a gold or prediction file; ``id`` or ``text`` identifies it."""

    id: str | None = None
    text: str | None = None
    claims: tuple[ScoredClaim, ...] | None = None

    @property
    def key(self) -> str | None:
        """What identifies the document: its id, else its text."""
        return self.id or self.text


class Rates(msgspec.Struct, frozen=True, kw_only=True):
    """Precision, recall and F1 with the counts they come from."""

    precision: float | None
    recall: float | None
    f1: float | None
    tp: int
    predicted: int
    gold: int


class Accuracy(msgspec.Struct, frozen=True, kw_only=True):
    """Share of matched quantities (whose gold field is set) where the prediction agrees."""

    accuracy: float | None
    correct: int
    total: int


class ScoreError(msgspec.Struct, frozen=True, kw_only=True):
    """A gold claim no prediction found (``missed``) or a prediction matching nothing."""

    type: Literal["missed", "spurious"]
    document: str
    span: str | None
    start: int
    end: int
    value: float
    # A prediction overlaps the missed claim but with another value (or the reverse).
    value_mismatch: bool = False


class Scores(msgspec.Struct, frozen=True, kw_only=True):
    """The scores of predictions against gold: rates, per-field accuracies and the errors seen."""

    abstracts: int
    abstracts_missing_in_pred: int
    quantity: Rates
    triple: Rates
    kind: Accuracy
    direction: Accuracy
    metric: Accuracy
    dataset: Accuracy
    subject: Accuracy
    # Share of predictions with confidence >= CONFIDENT that are right: matched, kind equal, and
    # metric and dataset the same where the gold names them (optional-only hits excluded).
    confident: Accuracy = Accuracy(accuracy=None, correct=0, total=0)
    errors: tuple[ScoreError, ...] = ()


def as_scored(claims: Iterable[Claim]) -> tuple[ScoredClaim, ...]:
    """Extracted claims as the scorer reads them."""
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


def is_result(claim: ScoredClaim) -> bool:
    """A result claim: a score, delta or ratio that says what it measures or where."""
    return claim.kind in RESULT_KINDS and bool(claim.metric or claim.dataset)


def triple_found(gold: ScoredClaim, pred: ScoredClaim) -> bool:
    """Whether a matched prediction also states the gold result: kind and named fields agree."""
    if not (is_result(gold) and is_result(pred)):
        return False
    named = [(gold.metric, pred.metric), (gold.dataset, pred.dataset)]
    return all(same_name(g, p) for g, p in named if g)


def rates(tp: int, predicted: int, gold: int) -> Rates:
    """Precision, recall and F1 of the counts, each None where there is nothing to divide by."""
    total = predicted + gold
    return Rates(
        precision=tp / predicted if predicted else None,
        recall=tp / gold if gold else None,
        f1=2 * tp / total if total else None,
        tp=tp,
        predicted=predicted,
        gold=gold,
    )


class _Tally:
    """Running counts over documents; turned into ``Scores`` once at the end."""

    def __init__(self) -> None:
        self.abstracts = self.missing = 0
        self.q_tp = self.q_pred = self.q_gold = 0
        self.t_tp = self.t_pred = self.t_gold = 0
        fields = ("kind", "direction", *NAME_FIELDS, "confident")
        self.fields: dict[str, list[int]] = {f: [0, 0] for f in fields}
        self.errors: list[ScoreError] = []

    def hit(self, field: str, correct: bool) -> None:
        self.fields[field][0] += correct
        self.fields[field][1] += 1

    def accuracy(self, field: str) -> Accuracy:
        correct, total = self.fields[field]
        return Accuracy(accuracy=correct / total if total else None, correct=correct, total=total)


def _score_document(tally: _Tally, gold: ScoredDocument, pred: ScoredDocument | None) -> None:
    key = gold.id or gold.text or ""
    claims = gold.claims or ()
    required = [c for c in claims if not c.optional]
    optional = [c for c in claims if c.optional]
    predicted = list(pred.claims or ()) if pred else []

    pairs = match_claims(required, predicted)
    free = [j for j in range(len(predicted)) if j not in pairs.values()]
    # Predictions that only found an optional gold claim are neither right nor wrong.
    excused = {free[j] for j in match_claims(optional, [predicted[i] for i in free]).values()}
    counted = [j for j in range(len(predicted)) if j not in excused]

    tally.q_tp += len(pairs)
    tally.q_gold += len(required)
    tally.q_pred += len(counted)
    tally.t_gold += sum(is_result(g) for g in required)
    tally.t_pred += sum(is_result(predicted[j]) for j in counted)
    for g_index, p_index in pairs.items():
        g, p = required[g_index], predicted[p_index]
        if g.kind:
            tally.hit("kind", g.kind == p.kind)
        if g.direction:
            tally.hit("direction", g.direction == p.direction)
        for field in NAME_FIELDS:
            if getattr(g, field):
                tally.hit(field, same_name(getattr(g, field), getattr(p, field)))
        tally.t_tp += triple_found(g, p)

    gold_of = {p: g for g, p in pairs.items()}
    for p_index in counted:
        p = predicted[p_index]
        if p.confidence is not None and p.confidence >= CONFIDENT:
            matched = gold_of.get(p_index)
            tally.hit("confident", matched is not None and _right(required[matched], p))

    matched_pred = set(pairs.values()) | excused
    for g_index, g in enumerate(required):
        if g_index not in pairs:
            clash = any(overlaps(g, p) for p in predicted)
            tally.errors.append(_error("missed", key, g, gold.text, clash))
    for p_index in counted:
        if p_index not in matched_pred:
            p = predicted[p_index]
            clash = any(overlaps(g, p) for g in claims)
            tally.errors.append(_error("spurious", key, p, gold.text, clash))


def _right(gold: ScoredClaim, pred: ScoredClaim) -> bool:
    named = [(gold.metric, pred.metric), (gold.dataset, pred.dataset)]
    return gold.kind == pred.kind and all(same_name(g, p) for g, p in named if g)


def _error(
    kind: Literal["missed", "spurious"],
    document: str,
    claim: ScoredClaim,
    text: str | None,
    value_mismatch: bool,
) -> ScoreError:
    span = claim.span
    if span is None and text is not None and 0 <= claim.start <= claim.end <= len(text):
        span = text[claim.start : claim.end]
    return ScoreError(
        type=kind,
        document=document,
        span=span,
        start=claim.start,
        end=claim.end,
        value=claim.value,
        value_mismatch=value_mismatch,
    )


def score(gold: Iterable[ScoredDocument], pred: Iterable[ScoredDocument]) -> Scores:
    """Micro-averaged scores of ``pred`` over every abstract of ``gold``.

    A prediction is found by the gold abstract's ``id``, else by its exact ``text``. A gold
    abstract listed twice (same id or text) is scored once, as its last listing.
    """
    by_id: dict[str, ScoredDocument] = {}
    by_text: dict[str, ScoredDocument] = {}
    for doc in pred:
        if doc.id is not None:
            by_id[doc.id] = doc
        if doc.text is not None:
            by_text[doc.text] = doc
    golds: dict[str, ScoredDocument] = {}
    for doc in gold:
        golds[doc.key or ""] = doc

    tally = _Tally()
    for doc in golds.values():
        found = (by_id.get(doc.id) if doc.id else None) or (
            by_text.get(doc.text) if doc.text else None
        )
        tally.abstracts += 1
        tally.missing += found is None
        _score_document(tally, doc, found)

    return Scores(
        abstracts=tally.abstracts,
        abstracts_missing_in_pred=tally.missing,
        quantity=rates(tally.q_tp, tally.q_pred, tally.q_gold),
        triple=rates(tally.t_tp, tally.t_pred, tally.t_gold),
        kind=tally.accuracy("kind"),
        direction=tally.accuracy("direction"),
        metric=tally.accuracy("metric"),
        dataset=tally.accuracy("dataset"),
        subject=tally.accuracy("subject"),
        confident=tally.accuracy("confident"),
        errors=tuple(tally.errors),
    )
