"""The scoring rules of ``bench.accuracy``, on small texts written for these tests.

No benchmark data appears here (MeasEval's license allows internal evaluation only); the
extractors are not run, so the cases pin the bench's arithmetic, not extraction quality.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from bench.accuracy import (
    BENCHMARKS,
    GoldScore,
    MeasParagraph,
    MeasQuantity,
    Paper,
    Span,
    dev_gold_figures,
    leaderboard_figures,
    main,
    official_rows,
    one_to_one_figures,
    overlap_matches,
    results_table,
    run_benchmark,
    strict_matches,
    token_f1,
    value_agrees,
)
from claimex.extractors.scoring import ScoredClaim, ScoredDocument, score

if TYPE_CHECKING:
    from pathlib import Path

SPAN_MATCHES = [
    # (gold spans, predicted spans, strict pairs, overlap pairs)
    pytest.param([(0, 6)], [(0, 6)], 1, 1, id="same-span"),
    pytest.param([(0, 6)], [(0, 3)], 0, 1, id="number-without-unit"),
    pytest.param([(0, 6)], [(6, 9)], 0, 0, id="touching-is-not-overlap"),
    pytest.param([(0, 6)], [(0, 6), (0, 6)], 1, 1, id="predicted-twice-counts-once"),
    pytest.param([(0, 3), (8, 11)], [(0, 11)], 0, 1, id="wide-prediction-takes-one-gold"),
    pytest.param([(0, 3), (8, 11)], [(0, 3), (0, 11)], 1, 2, id="one-to-one-finds-best-pairing"),
    pytest.param([], [(0, 3)], 0, 0, id="no-gold"),
]


@pytest.mark.parametrize(("gold", "pred", "strict", "overlap"), SPAN_MATCHES)
def test_accuracy_span_matching(
    gold: list[Span], pred: list[Span], strict: int, overlap: int
) -> None:
    assert strict_matches(gold, pred) == strict
    assert overlap_matches(gold, pred) == overlap


def test_accuracy_one_to_one_figures_pool_paragraphs() -> None:
    text = "It weighs 17 lb and is 3 m long."
    paragraph = MeasParagraph("train", text, True, (MeasQuantity(10, 15), MeasQuantity(23, 26)))
    claims = (ScoredClaim(start=10, end=12, value=17), ScoredClaim(start=23, end=26, value=3))
    figures = {f.name: f.value for f in one_to_one_figures([paragraph], [claims])}
    assert figures["strict F1"] == pytest.approx(0.5)
    assert figures["overlap F1"] == pytest.approx(1.0)


TOKEN_F1 = [
    # text, predicted span, gold span, score
    pytest.param("a 5.3 mm rod", (2, 8), (2, 8), 1.0, id="identical"),
    pytest.param("a 5.3 mm rod", (2, 5), (2, 8), 2 / 3, id="number-of-number-and-unit"),
    pytest.param("from 3 to 5 kg", (0, 14), (5, 6), 1 / 3, id="wide-prediction"),
]


@pytest.mark.parametrize(("text", "pred", "gold", "expected"), TOKEN_F1)
def test_accuracy_token_f1(text: str, pred: Span, gold: Span, expected: float) -> None:
    assert token_f1(text, pred, gold) == pytest.approx(expected)


def test_accuracy_official_rows_penalise_misses_and_spurious() -> None:
    text = "a 5.3 mm rod, 7 pins and 2 caps"
    gold = [(2, 8), (14, 15)]  # "5.3 mm", "7"
    pred = [(2, 5), (25, 26)]  # "5.3" (partial), "2" (spurious)
    rows = official_rows(text, gold, pred)
    assert [exact for exact, _ in rows] == [0, 0, 0]
    assert sorted(overlap for _, overlap in rows) == pytest.approx([0.0, 0.0, 2 / 3])


def test_accuracy_official_rows_one_row_per_overlapping_pair() -> None:
    text = "between 3 and 5 kg"
    rows = official_rows(text, gold=[(8, 9), (14, 18)], pred=[(0, 18)])
    assert len(rows) == 2  # the wide prediction overlaps both gold spans
    assert all(score == pytest.approx(rows[0][1]) for _, score in rows)


VALUES = [
    # claim value, gold score value, text at the gold span, agrees
    pytest.param(88.5, 88.5, "88.5", True, id="same"),
    pytest.param(88.5, 0.885, "88.5", True, id="percent-vs-fraction"),
    pytest.param(0.885, 88.5, "0.885", True, id="fraction-vs-percent"),
    pytest.param(1024.0, None, "1,024", True, id="written-with-comma"),
    pytest.param(2.0e9, 2.0, "2", True, id="billions-kept-as-digits"),
    pytest.param(88.6, 88.5, "88.5", False, id="other-number"),
    pytest.param(885.0, 88.5, "88.5", False, id="factor-ten"),
]


@pytest.mark.parametrize(("value", "gold_value", "written", "agrees"), VALUES)
def test_accuracy_value_agrees(
    value: float, gold_value: float | None, written: str, agrees: bool
) -> None:
    text = f"It gets {written} here."
    gold = GoldScore(score_value=gold_value, in_abstract=True, spans=((8, 8 + len(written)),))
    assert value_agrees(value, gold, text) is agrees


def _paper() -> Paper:
    text = "Our parser reaches 91.2 F1 on Toy Treebank and 80.0 on Toy Web."
    first = GoldScore("F1", "ToyTreebank", 91.2, True, ((19, 23),))
    second = GoldScore("F1", "Toy Web", 80.0, True, ((47, 51),))
    unseen = GoldScore("F1", "Toy Web", 79.0, False, ())
    return Paper(text, (first, second, unseen))


def test_accuracy_leaderboard_recall_and_names() -> None:
    paper = _paper()
    claims = (
        ScoredClaim(start=19, end=23, value=91.2, metric="F1", dataset="Toy Treebank"),
        ScoredClaim(start=47, end=51, value=80.0, metric="F1"),
    )
    figures = {f.name: f.value for f in leaderboard_figures([paper], [claims], labels=True)}
    assert figures["in-abstract score recall"] == 1.0
    assert figures["metric+dataset match"] == 0.5
    assert figures["metric match"] == 1.0


def test_accuracy_leaderboard_wrong_value_is_not_found() -> None:
    paper = _paper()
    claims = (ScoredClaim(start=19, end=23, value=9.12),)
    figures = {f.name: f.value for f in leaderboard_figures([paper], [claims], labels=True)}
    assert figures["in-abstract score recall"] == 0.0


def test_accuracy_unlabelled_system_has_no_label_figures() -> None:
    paper = _paper()
    claims = (ScoredClaim(start=19, end=23, value=91.2),)
    figures = {f.name: f.value for f in leaderboard_figures([paper], [claims], labels=False)}
    assert figures["in-abstract score recall"] == 0.5
    assert figures["metric+dataset match"] is None


def test_accuracy_dev_gold_figures_without_labels() -> None:
    gold = ScoredDocument(
        id="a", claims=(ScoredClaim(start=0, end=3, value=1.0, kind="score", metric="F1"),)
    )
    pred = ScoredDocument(id="a", claims=(ScoredClaim(start=0, end=3, value=1.0),))
    figures = {f.name: f.value for f in dev_gold_figures(score([gold], [pred]), labels=False)}
    assert figures["quantity F1"] == 1.0
    assert figures["kind"] is None
    assert figures["triple F1"] is None


@pytest.mark.parametrize("name", BENCHMARKS)
def test_accuracy_missing_data_is_skipped(tmp_path: Path, name: str) -> None:
    results = run_benchmark(name, tmp_path)
    assert results
    assert {r.status for r in results} == {"skipped"}
    out = io.StringIO()
    Console(file=out, width=160).print(results_table(results))
    assert "skipped (not found)" in out.getvalue()


def test_accuracy_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--shared", str(tmp_path), "--json", "--only", "scirex"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["benchmarks"][0]["status"] == "skipped"
    assert body["wall_seconds"] == {}
