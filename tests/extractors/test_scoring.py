"""Scoring definitions on hand-made gold/prediction pairs (all written for these tests).

Each case names what it shows; only the figures a case lists are checked. The last test runs
``shared/eval/score.py`` on a few of these pairs and checks that both scorers agree.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest

from claimex.extractors.matching import match_claims, same_name
from claimex.extractors.scoring import ScoredClaim, ScoredDocument, Scores, score

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "eval" / "score.py"

TEXT = "Zeta reaches 88.5% accuracy on GSM8K, 2.5x faster than Eta, using 7B tokens."


def claim(span: str, value: float, occurrence: int = 0, **fields: Any) -> ScoredClaim:
    """A claim on ``TEXT`` located by its span (the n-th occurrence)."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(span, start + 1)
    return ScoredClaim(start=start, end=start + len(span), value=value, span=span, **fields)


SCORE = claim("88.5%", 88.5, kind="score", metric="accuracy", dataset="GSM8K", subject="Zeta")
RATIO = claim("2.5x", 2.5, kind="ratio", direction="up", metric="speed")
COUNT = claim("7B tokens", 7e9, kind="count", metric="tokens")


def run(gold: list[ScoredClaim], pred: list[ScoredClaim] | None) -> Scores:
    gold_doc = ScoredDocument(id="a", text=TEXT, claims=tuple(gold))
    preds = [] if pred is None else [ScoredDocument(id="a", claims=tuple(pred))]
    return score([gold_doc], preds)


def figures(scores: Scores) -> dict[str, Any]:
    """The scores flattened to ``quantity.f1``-style keys, for compact expectations."""
    flat: dict[str, Any] = {}
    for name, part in msgspec.structs.asdict(scores).items():
        if isinstance(part, msgspec.Struct):
            for field, value in msgspec.structs.asdict(part).items():
                flat[f"{name}.{field}"] = value
        else:
            flat[name] = part
    return flat


QUANTITY_CASES: list[tuple[str, list[ScoredClaim], list[ScoredClaim] | None, dict[str, Any]]] = [
    (
        "perfect match",
        [SCORE, RATIO, COUNT],
        [SCORE, RATIO, COUNT],
        {"quantity.precision": 1.0, "quantity.recall": 1.0, "quantity.f1": 1.0},
    ),
    (
        "miss",
        [SCORE, RATIO],
        [SCORE],
        {"quantity.tp": 1, "quantity.precision": 1.0, "quantity.recall": 0.5},
    ),
    (
        "spurious",
        [SCORE],
        [SCORE, COUNT],
        {"quantity.tp": 1, "quantity.precision": 0.5, "quantity.recall": 1.0},
    ),
    (
        "nothing predicted: precision undefined, F1 zero",
        [SCORE],
        [],
        {"quantity.precision": None, "quantity.recall": 0.0, "quantity.f1": 0.0},
    ),
    (
        "abstract missing from the predictions",
        [SCORE],
        None,
        {"abstracts_missing_in_pred": 1, "quantity.gold": 1, "quantity.predicted": 0},
    ),
    (
        "optional gold claim found: neither required nor a false positive",
        [SCORE, msgspec.structs.replace(RATIO, optional=True)],
        [SCORE, RATIO],
        {"quantity.tp": 1, "quantity.predicted": 1, "quantity.gold": 1},
    ),
    (
        "optional gold claim not found: not required",
        [SCORE, msgspec.structs.replace(RATIO, optional=True)],
        [SCORE],
        {"quantity.recall": 1.0, "quantity.gold": 1},
    ),
    (
        "value mismatch with overlap is a miss and a spurious claim",
        [SCORE],
        [claim("88.5", 88.0)],
        {"quantity.tp": 0, "quantity.predicted": 1, "quantity.gold": 1},
    ),
    (
        "value within relative tolerance matches",
        [COUNT],
        [claim("7B", 7e9 * (1 + 1e-7))],
        {"quantity.tp": 1},
    ),
    (
        "shorter span overlapping the gold span matches",
        [COUNT],
        [claim("7B", 7e9)],
        {"quantity.tp": 1},
    ),
    (
        "touching but not overlapping spans do not match",
        [claim("88.5", 88.5)],
        [claim("%", 88.5)],
        {"quantity.tp": 0},
    ),
    (
        "one prediction per gold claim",
        [SCORE],
        [SCORE, claim("88.5", 88.5)],
        {"quantity.tp": 1, "quantity.predicted": 2},
    ),
    (
        "one gold claim per prediction",
        [claim("88", 88.0), claim("5%", 88.0)],
        [claim("88.5%", 88.0)],
        {"quantity.tp": 1, "quantity.gold": 2},
    ),
]


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [pytest.param(g, p, e, id=name) for name, g, p, e in QUANTITY_CASES],
)
def test_scoring_quantity(
    gold: list[ScoredClaim], pred: list[ScoredClaim] | None, expected: dict[str, Any]
) -> None:
    got = figures(run(gold, pred))
    assert {key: got[key] for key in expected} == expected


def test_scoring_matching_is_maximum_not_greedy() -> None:
    # The wide prediction overlaps both gold claims; taking it for the first would leave the
    # second gold claim without a partner although a perfect matching exists.
    first, second = claim("88", 5.0), claim("5%", 5.0)
    wide, narrow = claim("88.5%", 5.0), claim("88", 5.0)
    assert match_claims([first, second], [wide, narrow]) == {0: 1, 1: 0}


FIELD_CASES: list[tuple[str, ScoredClaim, dict[str, Any]]] = [
    (
        "all fields agree",
        SCORE,
        {"kind.accuracy": 1.0, "metric.accuracy": 1.0, "dataset.accuracy": 1.0},
    ),
    (
        "wrong kind",
        msgspec.structs.replace(SCORE, kind="delta"),
        {"kind.correct": 0, "kind.total": 1},
    ),
    (
        "name written differently still agrees",
        msgspec.structs.replace(SCORE, metric="Accuracy", dataset="gsm-8k", subject="zeta"),
        {"metric.accuracy": 1.0, "dataset.accuracy": 1.0, "subject.accuracy": 1.0},
    ),
    (
        "missing predicted name is wrong",
        msgspec.structs.replace(SCORE, dataset=None),
        {"dataset.correct": 0, "dataset.total": 1},
    ),
    (
        "gold field unset is not counted",
        SCORE,
        {"direction.total": 0, "direction.accuracy": None},
    ),
]


@pytest.mark.parametrize(
    ("pred", "expected"), [pytest.param(p, e, id=name) for name, p, e in FIELD_CASES]
)
def test_scoring_field_accuracy(pred: ScoredClaim, expected: dict[str, Any]) -> None:
    got = figures(run([SCORE], [pred]))
    assert {key: got[key] for key in expected} == expected


def test_scoring_direction_accuracy() -> None:
    got = figures(run([RATIO], [msgspec.structs.replace(RATIO, direction="down")]))
    assert (got["direction.correct"], got["direction.total"]) == (0, 1)


NAME_CASES: list[tuple[str, str | None, str | None, bool]] = [
    ("identical", "accuracy", "accuracy", True),
    ("case", "BLEU", "bleu", True),
    ("punctuation", "Split-CIFAR-100", "split cifar 100", True),
    ("punctuation joins words", "SplitCIFAR100", "Split-CIFAR-100", True),
    ("word order", "word error rate", "rate word error", True),
    ("subset", "top-1 accuracy", "accuracy", True),
    ("superset", "accuracy", "zero-shot accuracy", True),
    ("jaccard at one half", "exact match score", "exact match rate", True),
    ("jaccard below one half", "mean average precision", "mean reciprocal rank", False),
    ("different names", "GSM8K", "MATH", False),
    ("no prediction", "accuracy", None, False),
    ("punctuation only", "accuracy", "--", False),
    ("other scripts", "TÜLU 3", "tülu-3", True),
]


@pytest.mark.parametrize(
    ("gold", "pred", "same"), [pytest.param(g, p, s, id=name) for name, g, p, s in NAME_CASES]
)
def test_scoring_same_name(gold: str | None, pred: str | None, same: bool) -> None:
    assert same_name(gold, pred) is same


TRIPLE_CASES: list[tuple[str, list[ScoredClaim], list[ScoredClaim], dict[str, Any]]] = [
    (
        "result claims found",
        [SCORE, RATIO, COUNT],
        [SCORE, RATIO, COUNT],
        {"triple.tp": 2, "triple.predicted": 2, "triple.gold": 2, "triple.f1": 1.0},
    ),
    (
        "lenient metric still found",
        [SCORE],
        [msgspec.structs.replace(SCORE, metric="Accuracy (%)", dataset="GSM-8K")],
        {"triple.tp": 1},
    ),
    (
        "wrong metric: quantity found, triple missed",
        [SCORE],
        [msgspec.structs.replace(SCORE, metric="F1")],
        {"quantity.tp": 1, "triple.tp": 0, "triple.predicted": 1},
    ),
    (
        "prediction not a result claim: missed and not counted",
        [SCORE],
        [msgspec.structs.replace(SCORE, kind="count")],
        {"triple.tp": 0, "triple.predicted": 0, "triple.gold": 1},
    ),
    (
        "gold dataset only: predicted metric does not matter",
        [msgspec.structs.replace(SCORE, metric=None)],
        [msgspec.structs.replace(SCORE, metric="speed")],
        {"triple.tp": 1},
    ),
    (
        "spurious result claim lowers triple precision",
        [SCORE],
        [SCORE, claim("2.5x", 3.0, kind="ratio", metric="speed")],
        {"triple.tp": 1, "triple.predicted": 2, "triple.precision": 0.5},
    ),
    (
        "result claim matching an optional gold claim is not counted",
        [SCORE, msgspec.structs.replace(RATIO, optional=True)],
        [SCORE, RATIO],
        {"triple.predicted": 1, "triple.gold": 1},
    ),
]


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [pytest.param(g, p, e, id=name) for name, g, p, e in TRIPLE_CASES],
)
def test_scoring_triple(
    gold: list[ScoredClaim], pred: list[ScoredClaim], expected: dict[str, Any]
) -> None:
    got = figures(run(gold, pred))
    assert {key: got[key] for key in expected} == expected


def test_scoring_empty_inputs() -> None:
    got = figures(score([], []))
    assert got["abstracts"] == 0
    assert got["quantity.f1"] is None
    assert got["kind.accuracy"] is None


def test_scoring_prediction_found_by_text() -> None:
    gold = ScoredDocument(id="gold-id", text=TEXT, claims=(SCORE,))
    pred = ScoredDocument(id="other-id", text=TEXT, claims=(SCORE,))
    assert score([gold], [pred]).quantity.tp == 1


def test_scoring_errors_name_missed_and_spurious_spans() -> None:
    errors = run([SCORE, COUNT], [claim("88.5", 88.0)]).errors
    assert [(e.type, e.span, e.value_mismatch) for e in errors] == [
        ("missed", "88.5%", True),
        ("missed", "7B tokens", False),
        ("spurious", "88.5", True),
    ]


AGREEMENT_CASES: list[tuple[str, list[ScoredClaim], list[ScoredClaim]]] = [
    ("mixed hits and misses", [SCORE, RATIO, COUNT], [SCORE, claim("2.5x", 2.0), COUNT]),
    (
        "optional and names",
        [SCORE, msgspec.structs.replace(RATIO, optional=True)],
        [
            msgspec.structs.replace(
                SCORE, metric="top-1 accuracy", dataset="gsm 8k", subject="Eta"
            ),
            RATIO,
        ],
    ),
    ("triples", [SCORE, RATIO], [msgspec.structs.replace(SCORE, kind="delta"), RATIO, COUNT]),
]


def _reference_figures(scores: Scores) -> dict[str, Any]:
    """Our scores in the reference's JSON shape and rounding."""

    def r4(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    out: dict[str, Any] = {
        "abstracts": scores.abstracts,
        "abstracts_missing_in_pred": scores.abstracts_missing_in_pred,
    }
    for name in ("quantity", "triple"):
        part = getattr(scores, name)
        out[name] = {
            "precision": r4(part.precision) or 0.0,
            "recall": r4(part.recall) or 0.0,
            "f1": r4(part.f1) or 0.0,
            "tp": part.tp,
            "pred": part.predicted,
            "gold": part.gold,
        }
    for name in ("kind", "metric", "dataset", "subject", "direction"):
        out[f"{name}_accuracy"] = r4(getattr(scores, name).accuracy)
    return out


@pytest.mark.skipif(not REFERENCE.is_file(), reason="shared/eval/score.py is not available")
@pytest.mark.parametrize(
    "cases",
    [pytest.param([case], id=case[0]) for case in AGREEMENT_CASES]
    + [pytest.param(AGREEMENT_CASES, id="all in one file")],
)
def test_scoring_agrees_with_reference_scorer(
    tmp_path: Path, cases: list[tuple[str, list[ScoredClaim], list[ScoredClaim]]]
) -> None:
    gold_docs, pred_docs = [], []
    for number, (_, gold, pred) in enumerate(cases):
        text = TEXT + " " * number  # distinct texts, same offsets
        gold_docs.append(ScoredDocument(id=f"doc{number}", text=text, claims=tuple(gold)))
        pred_docs.append(ScoredDocument(text=text, claims=tuple(pred)))
    gold_path, pred_path = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    gold_path.write_bytes(b"\n".join(msgspec.json.encode(d) for d in gold_docs))
    pred_path.write_bytes(b"\n".join(msgspec.json.encode(d) for d in pred_docs))

    done = subprocess.run(
        [sys.executable, str(REFERENCE), str(gold_path), str(pred_path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == _reference_figures(score(gold_docs, pred_docs))


def test_scoring_confident_counts_only_confident_predictions_and_their_rightness() -> None:
    gold = [
        ScoredDocument(
            id="a",
            claims=(
                ScoredClaim(start=0, end=3, value=1.0, kind="score", metric="accuracy"),
                ScoredClaim(start=10, end=13, value=2.0, kind="count"),
            ),
        )
    ]
    pred = [
        ScoredDocument(
            id="a",
            claims=(
                ScoredClaim(start=0, end=3, value=1.0, kind="score", metric="F1", confidence=0.9),
                ScoredClaim(start=10, end=13, value=2.0, kind="count", confidence=0.95),
                ScoredClaim(start=20, end=22, value=5.0, kind="other", confidence=0.3),
            ),
        )
    ]
    confident = score(gold, pred).confident
    assert (confident.correct, confident.total) == (1, 2)
