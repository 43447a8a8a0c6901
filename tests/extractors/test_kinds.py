"""kinds.py and agreement.py: kind, direction and bound of each quantity, by error class.

Each list holds (id, sentence, expected) with expected the (span, kind, direction) of every
quantity in order. Only the steps up to ``classify`` run, so names linked later do not matter.
All sentences were written for these tests.
"""

from __future__ import annotations

import pytest

from claimex.extractors.context import Context
from claimex.extractors.draft import Doc
from claimex.extractors.groups import join_groups
from claimex.extractors.kinds import KIND_RULES, classify, kind_of
from claimex.extractors.names import drop_names
from claimex.extractors.numbers import find_numbers
from claimex.extractors.sentences import split_sentences
from claimex.extractors.units import attach_units

Row = tuple[str, str | None, str | None]
Case = tuple[str, str, list[Row]]


def _classified_doc(text: str) -> Doc:
    doc = Doc(text=text, title=None, sentences=split_sentences(text))
    for step in (find_numbers, drop_names, attach_units, join_groups, classify):
        doc = step(doc)
    return doc


def _classified(text: str) -> list[Row]:
    doc = _classified_doc(text)
    return [(text[d.start : d.end], d.kind, d.direction) for d in doc.drafts]


CARRIED_CHANGES: list[Case] = [
    (
        "change verb carried through a list with names between",
        "Our method lifts accuracy by 3% for ResNet, 7% for ViT and 2% for Swin.",
        [("3%", "delta", "up"), ("7%", "delta", "up"), ("2%", "delta", "up")],
    ),
    (
        "change noun carried to the next member",
        "It yields a 4% gain on SQuAD and 6% on DROP.",
        [("4%", "delta", "up"), ("6%", "delta", "up")],
    ),
    (
        "points carried to bare numbers",
        "Recall rises by 2.1 points on NQ, 3.4 on TQA, and 1.2 on WebQ.",
        [("2.1", "delta", "up"), ("3.4", "delta", "up"), ("1.2", "delta", "up")],
    ),
    (
        "a reduction carried with a filler word",
        "Under noise, accuracy drops by 8.1% for the CNN and only 2.3% for our model.",
        [("8.1%", "delta", "down"), ("2.3%", "delta", "down")],
    ),
    (
        "a second 'by' takes the direction of the first",
        "It cuts optimizer memory by up to 70% and activation memory by 45%.",
        [("70%", "delta", "down"), ("45%", "delta", "down")],
    ),
    (
        "a verb of reaching ends the list",
        "It improves accuracy by 3% on the easy split, reaching 85% on the hard one.",
        [("3%", "delta", "up"), ("85%", "score", None)],
    ),
    (
        "a contrast stops the direction",
        "Ours trails the teacher by 3 points on MMLU but leads by 5 points on GSM8K.",
        [("3", "delta", "down"), ("5", "delta", "up")],
    ),
    (
        "a verb of the next statement is no cue of the first number",
        "It lowers errors by 40% and increases coverage by 15%.",
        [("40%", "delta", "down"), ("15%", "delta", "up")],
    ),
    (
        "a restatement after a comma and 'or'",
        "Memory use falls by 4.2 GB, or 30%.",
        [("4.2 GB", "delta", "down"), ("30%", "delta", "down")],
    ),
    (
        "a factor range said once",
        "It shortens prompts by 3 to 5 times.",
        [("3", "ratio", "down"), ("5 times", "ratio", "down")],
    ),
    (
        "a range of repetitions",
        "The agent calls the tool 3 to 5 times per task.",
        [("3", "count", None), ("5 times", "count", None)],
    ),
    (
        "levels from one value to another are scores",
        "The error rate goes from 12.1% to 8.4% on the noisy split.",
        [("12.1%", "score", None), ("8.4%", "score", None)],
    ),
]

PARENTHESES: list[Case] = [
    (
        "a hedged value after a change verb and its object",
        "The approach improves grounding (up to 14%) without extra data.",
        [("14%", "delta", "up")],
    ),
    (
        "a restatement with 'or'",
        "It beats the baseline by up to 3pp (or 4.2%) in SSIM.",
        [("3pp", "delta", "up"), ("4.2%", "delta", "up")],
    ),
    (
        "a restatement in another relative unit",
        "Fine-tuning improves BLEU by 2.1 points (3.5%).",
        [("2.1", "delta", "up"), ("3.5%", "delta", "up")],
    ),
    (
        "an average and its maximum",
        "Accuracy improves by 3% on average (up to 7%).",
        [("3%", "delta", "up"), ("7%", "delta", "up")],
    ),
    (
        "a rival's value in parentheses after a verb of comparison",
        "It reaches 0.912 AUROC, outperforming the best baseline (0.887).",
        [("0.912", "score", None), ("0.887", "score", None)],
    ),
    (
        "a hedged value after a verb of comparison is a change",
        "It outperforms GPT-4 by a wide margin (up to 14%).",
        [("14%", "delta", "up")],
    ),
    (
        "values compared in parentheses stay scores",
        "It raises accuracy by 3% (85.1% vs. 82.1%).",
        [("3%", "delta", "up"), ("85.1%", "score", None), ("82.1%", "score", None)],
    ),
    (
        "a measured change in parentheses after a margin",
        "The codec improves quality by a wide margin (up to 1.2 dB).",
        [("1.2 dB", "delta", "up")],
    ),
]

DIRECTIONS: list[Case] = [
    ("a share above a rival is a rise", "Zeta is 2.1% above Beta.", [("2.1%", "delta", "up")]),
    (
        "points of a metric below a rival",
        "It lands 0.8 BLEU below Beta.",
        [("0.8", "delta", "down")],
    ),
    ("ahead of a rival", "Zeta stays 1.5% ahead of Beta.", [("1.5%", "delta", "up")]),
    ("behind a rival", "Zeta ends 4% behind the teacher.", [("4%", "delta", "down")]),
    ("above before the number is a bound", "Accuracy stays above 90%.", [("90%", "score", None)]),
    ("degradation is down", "We see a degradation of 3% in recall.", [("3%", "delta", "down")]),
    (
        "arrows are signs",
        "It lifts F1 (↑2.1) but costs recall (↓0.4).",
        [("↑2.1", "delta", "up"), ("↓0.4", "delta", "down")],
    ),
    (
        "a range keeps the change its first end is given",
        "Accuracy rises by 30-40% on the hard splits.",
        [("30", "delta", "up"), ("40%", "delta", "up")],
    ),
    (
        "a factor range agrees on its direction",
        "It trains on 1.5-2x larger batches.",
        [("1.5", "ratio", "up"), ("2x", "ratio", "up")],
    ),
    (
        "orders of magnitude are a factor",
        "It is 3 orders of magnitude faster.",
        [("3", "ratio", "up")],
    ),
    (
        "two modifiers between a number and its noun of change",
        "It brings a 9.5% relative WER reduction and a 1.4 absolute point improvement.",
        [("9.5%", "delta", "down"), ("1.4", "delta", "up")],
    ),
    ("a drop after the number", "Pruning causes a 2.1% drop in F1.", [("2.1%", "delta", "down")]),
    ("a drop of a bare score", "Pruning costs a 0.4 drop in BLEU.", [("0.4", "delta", "down")]),
    (
        "a bare integer with a metric named right after it",
        "Zeta sets a record of 35 BLEU on FooMT.",
        [("35", "score", None)],
    ),
    (
        "a setting word that opens a metric's name is the metric",
        "Zeta reaches 44.1% box AP and 39.5% mask AP on FooSeg.",
        [("44.1%", "score", None), ("39.5%", "score", None)],
    ),
    ("a decline of points", "It leads to a decline of 4 points.", [("4", "delta", "down")]),
    ("a loss of a percentage", "There is a loss of 1.5% in F1.", [("1.5%", "delta", "down")]),
    ("a loss value is a score", "The final loss of 2.31 is stable.", [("2.31", "score", None)]),
    (
        "lower after the number follows the number, not the merit",
        "The method gives 2.26 lower perplexity.",
        [("2.26", "delta", "down")],
    ),
    (
        "fewer and less after numbers",
        "It needs 30% fewer parameters and 12% less memory.",
        [("30%", "delta", "down"), ("12%", "delta", "down")],
    ),
    (
        "a verb of change before a bare percentage",
        "Caching saves 45% of memory.",
        [("45%", "delta", "down")],
    ),
    (
        "the verb wins over an adjective of its object",
        "It reduces the gap with larger models by 30%.",
        [("30%", "delta", "down")],
    ),
    (
        "a passive 'added' names no direction",
        "Accuracy degrades by 5% when noise is added, and by 12% with blur.",
        [("5%", "delta", "down"), ("12%", "delta", "down")],
    ),
    (
        "a noun of change linked by 'is'",
        "The mean improvement is 4.5% over the base model.",
        [("4.5%", "delta", "up")],
    ),
    ("a gap that narrows", "The gap narrows by 1.2 points.", [("1.2", "delta", "down")]),
    (
        "an overhead in percent is a change",
        "It adds a small overhead of 0.5% in bits per pixel.",
        [("0.5%", "delta", "up")],
    ),
    (
        "a word of merit turns for a measure better lower",
        "It improves perplexity by 2.1 and accuracy by 3%.",
        [("2.1", "delta", "down"), ("3%", "delta", "up")],
    ),
    (
        "a noun of merit before the measure it is in",
        "We see a 10% improvement in WER and a 2% improvement in recall.",
        [("10%", "delta", "down"), ("2%", "delta", "up")],
    ),
    (
        "a measure named right after the number",
        "It outperforms the baseline by 2.1 FID.",
        [("2.1", "delta", "down")],
    ),
    (
        "a comparative of merit",
        "It is 3 points better in WER.",
        [("3", "delta", "down")],
    ),
    (
        "a verb of plain change does not turn",
        "It reduces the error rate by 12%.",
        [("12%", "delta", "down")],
    ),
    (
        "a dataset written in capitals is no cue",
        "It scores 71.5% on DROP.",
        [("71.5%", "score", None)],
    ),
    (
        "a factor of",
        "It shrinks the index by a factor of 4.",
        [("4", "ratio", "down")],
    ),
    (
        "comparative before 'by' when no verb says more",
        "The kernel is faster by 2.5x.",
        [("2.5x", "ratio", "up")],
    ),
    (
        "or more is a bound, not a change",
        "It handles 500 or more documents.",
        [("500", "other", None)],
    ),
]

MEASURES: list[Case] = [
    (
        "a measured time range takes the unit and kind of its end",
        "Labelling takes from 9 to 31 minutes of annotation time per image.",
        [("9", "score", None), ("31 minutes", "score", None)],
    ),
    (
        "a duration of training is an amount",
        "The detector trains in 6 minutes.",
        [("6 minutes", "count", None)],
    ),
    (
        "a measure named after a preposition is not what the amount measures",
        "The detector trains in 6 minutes without losing accuracy.",
        [("6 minutes", "count", None)],
    ),
    (
        "a modifier of the measured noun",
        "Decoding costs 12 ms end-to-end latency.",
        [("12 ms", "score", None)],
    ),
    ("a latency value", "Its latency of 12 ms suits phones.", [("12 ms", "score", None)]),
    (
        "both ends of a measured range",
        "Latency goes from 120 ms to 45 ms per token.",
        [("120 ms", "score", None), ("45 ms per token", "score", None)],
    ),
    (
        "an achieved throughput and a share of peak",
        "The cluster sustains over 25 petaflops (40% of peak).",
        [("25 petaflops", "score", None), ("40%", "score", None)],
    ),
    (
        "rates are scores",
        "The engine decodes 1200 tokens/s and renders 30 FPS.",
        [("1200 tokens/s", "score", None), ("30 FPS", "score", None)],
    ),
    ("a gain in decibels", "It yields a gain of 1.2 dB in PSNR.", [("1.2 dB", "delta", "up")]),
]

SCORES_AND_SETTINGS: list[Case] = [
    (
        "an integer score after its metric",
        "Our agent obtains an overall score of 271 on the suite.",
        [("271", "score", None)],
    ),
    ("an Elo", "The model reaches an Elo of 1250 in the arena.", [("1250", "score", None)]),
    (
        "a bare integer stated as achieved",
        "It achieves 271 on the leaderboard.",
        [("271", "score", None)],
    ),
    (
        "integer values of named metrics",
        "It achieves an F1 of 91 and a recall of 88 on the test set.",
        [("91", "score", None), ("88", "score", None)],
    ),
    (
        "points stated as achieved",
        "Our model achieves 45.2 points on the exam.",
        [("45.2", "score", None)],
    ),
    (
        "settings named before their values",
        "We use batch size 512 and temperature 0.7.",
        [("512", "other", None), ("0.7", "other", None)],
    ),
    ("a symbol glued to its value by '='", "We use k=5 neighbours.", [("5", "other", None)]),
    (
        "a learning rate",
        "We train with a learning rate of 1e-4.",
        [("1e-4", "other", None)],
    ),
    ("a Greek symbol set to a value", "We set λ = 0.25 throughout.", [("0.25", "other", None)]),
    ("a significance level", "The gain is significant (p<0.01).", [("0.01", "other", None)]),
    (
        "an evaluation protocol is no factor",
        "We report 10-fold cross-validation results.",
        [("10-fold", "other", None)],
    ),
    (
        "a spread written apart",
        "Accuracy is 71.2 ± 0.4 over seeds.",
        [("71.2", "score", None), ("± 0.4", "other", None)],
    ),
    (
        "a share of a counted thing",
        "It tunes only 0.5% trainable parameters.",
        [("0.5%", "other", None)],
    ),
    ("a share of a budget", "It uses 30% of the compute budget.", [("30%", "other", None)]),
    (
        "a share compared with another takes its kind",
        "Ours solves 47% of the puzzles, compared to 31% for the baseline.",
        [("47%", "other", None), ("31%", "other", None)],
    ),
    (
        "a change compared in parentheses",
        "It lifts recall by 3% (vs. 1.5% for the prior method).",
        [("3%", "delta", "up"), ("1.5%", "delta", "up")],
    ),
    (
        "a value compared after a change's cue is a level",
        "It reaches 9.1 (0.7 lower vs 9.8 for the base model).",
        [("9.1", "score", None), ("0.7", "delta", "down"), ("9.8", "score", None)],
    ),
    (
        "a setting named after a percentage",
        "It keeps 96% of its accuracy at 60% sparsity and with 20% label noise.",
        [("96%", "other", None), ("60%", "other", None), ("20%", "other", None)],
    ),
]

GROUPS = CARRIED_CHANGES + PARENTHESES + DIRECTIONS + MEASURES + SCORES_AND_SETTINGS


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in GROUPS], ids=[c[0] for c in GROUPS])
def test_kinds_and_directions(text: str, expected: list[Row]) -> None:
    assert _classified(text) == expected


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        pytest.param("It keeps up to 73% of the signal.", "at_most", id="up-to"),
        pytest.param("It keeps over 90% of the signal.", "at_least", id="over"),
        pytest.param("It takes ~400 GPU hours.", "approximate", id="tilde"),
        pytest.param("It handles 500 or more documents.", "at_least", id="or-more"),
        pytest.param("It handles 500 or fewer documents.", "at_most", id="or-fewer"),
        pytest.param("It gains 15+% in recall.", "at_least", id="open-ended"),
        pytest.param("It holds 10M+ rows.", "at_least", id="open-ended-after-a-magnitude"),
        pytest.param("It saves $\\sim$10\\% memory.", "approximate", id="latex-sim"),
    ],
)
def test_kinds_bounds(text: str, bound: str) -> None:
    (d,) = _classified_doc(text).drafts
    assert d.bound == bound


def test_kinds_reasons_name_the_rule() -> None:
    text = "It cuts latency by 3% with batch size 64."
    doc = _classified_doc(text)
    reasons = [kind_of(Context(doc, i)).reason for i in range(len(doc.drafts))]
    assert reasons == [
        "change cue: 'by 3%', 'a 3% gain', '2.26 lower'",
        "setting value: 'batch size 512', 'k=5'",
    ]
    assert len({rule.reason for rule in KIND_RULES}) == len(KIND_RULES)
