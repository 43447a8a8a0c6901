"""Linking cases: which metric and dataset each number is linked to.

Each case is a sentence written for these tests and the (span, metric, dataset) of every claim
found in it, in order. They cover the ways leaderboard results are written in abstracts: names
spelled in another case, plural metrics, values in parentheses after their dataset, lists paired
"respectively", slash-joined values and names, and metrics written after the number.
"""

from __future__ import annotations

import pytest

from extractors import extract

Linked = tuple[str, str | None, str | None]
Case = tuple[str, str, list[Linked]]

CASES: list[Case] = [
    (
        "dataset spelled in another case",
        "Our recognizer reaches 2.9% WER on Librispeech.",
        [("2.9%", "WER", "Librispeech")],
    ),
    (
        "plural metric before a list",
        "Training on all data gives WERs of 2.1%/4.0% on Librispeech.",
        [("2.1%", "WERs", "Librispeech"), ("4.0%", "WERs", "Librispeech")],
    ),
    (
        "mean IoU in capitals",
        "The network scores 77.2% mean IOU on Cityscapes.",
        [("77.2%", "mean IOU", "Cityscapes")],
    ),
    (
        "plural metric of irregular form",
        "We lower the perplexities on WikiText-2 to 41.2.",
        [("41.2", "perplexities", "WikiText-2")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_linking_names_metric_and_dataset(text: str, expected: list[Linked]) -> None:
    assert [(c.span, c.metric, c.dataset) for c in extract(text)] == expected
