"""bench.mentions without the shared data: skipped rows, figures and the speed loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.accuracy import results_table
from bench.mentions import BENCHMARKS, bench_mentions, tagging_speed, type_figures
from claimex.extractors.mentions.tagger import Tagger
from training.tagger_cv import Counts

if TYPE_CHECKING:
    from pathlib import Path


def test_missing_data_gives_skipped_rows(tmp_path: Path) -> None:
    results = bench_mentions(tmp_path / "nowhere")
    assert [r.benchmark for r in results] == list(BENCHMARKS)
    assert {r.status for r in results} == {"skipped"}
    assert results_table(results).row_count == len(BENCHMARKS)


def test_type_figures_per_label_and_micro() -> None:
    counts = {"TASK": Counts(gold=4, predicted=2, exact=1, partial=2)}
    figures = {f.name: f.value for f in type_figures(counts, ("TASK", "METRIC"))}
    assert figures["task exact P"] == 0.5
    assert figures["task partial R"] == 0.5
    assert figures["metric exact F1"] == 0.0
    assert figures["micro partial P"] == 1.0


def test_tagging_speed_counts_tokens_and_passes() -> None:
    n, seconds = tagging_speed(Tagger.default(), ["We report F1 on FooSet. It is good."], passes=2)
    assert n == 10
    assert len(seconds) == 2
