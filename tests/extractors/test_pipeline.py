"""Extraction cases: text in, the claims expected out (only the fields a case names are checked).

Grouped by purpose, as named lists: what must be found (``CORE``), what is a name and not a
quantity (``NOT_QUANTITIES``), texts with no claim at all (``NO_CLAIMS``), and known misses kept
as strict xfails (``KNOWN_MISSES``) so that fixing one is noticed. All sentences were written for
these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from claimex.extractors import extract
from claimex.extractors.mentions.find import may_be_named
from claimex.extractors.mentions.mention import Mention, MentionType

Case = tuple[str, str, list[dict[str, Any]]]

CORE: list[Case] = [
    (
        "percent score on a dataset",
        "Our model, Zeta, reaches 91.4% top-1 accuracy on ImageNet.",
        [
            {
                "span": "91.4%",
                "value": 91.4,
                "unit": "%",
                "kind": "score",
                "metric": "top-1 accuracy",
                "dataset": "ImageNet",
                "subject": "Zeta",
            }
        ],
    ),
    (
        "ratio with a reduction and a baseline",
        "Zeta needs 3.5x fewer FLOPs than ViT-B.",
        [{"span": "3.5x", "value": 3.5, "kind": "ratio", "direction": "down", "baseline": "ViT-B"}],
    ),
    (
        "times as a ratio",
        "Decoding is 4 times faster than beam search.",
        [{"span": "4 times", "value": 4.0, "unit": "x", "kind": "ratio", "direction": "up"}],
    ),
    (
        "glued magnitude on a counted noun",
        "We pretrain on 555B tokens of web text.",
        [{"span": "555B", "value": 555e9, "unit": "tokens", "kind": "count", "metric": "tokens"}],
    ),
    (
        "spelled magnitude",
        "The corpus holds 2.3 billion words.",
        [{"span": "2.3 billion", "value": 2.3e9, "unit": "words", "kind": "count"}],
    ),
    (
        "thousands separator",
        "We release 1,250,000 question-answer pairs.",
        [{"span": "1,250,000", "value": 1250000.0, "unit": "pairs", "kind": "count"}],
    ),
    (
        "signed delta",
        "Fine-tuning adds +2.4 BLEU on WMT14.",
        [{"span": "+2.4", "value": 2.4, "kind": "delta", "direction": "up", "dataset": "WMT14"}],
    ),
    (
        "delta by a verb",
        "The method lowers the word error rate by 12% on LibriSpeech.",
        [
            {
                "span": "12%",
                "kind": "delta",
                "direction": "down",
                "metric": "word error rate",
                "dataset": "LibriSpeech",
            }
        ],
    ),
    (
        "percentage points",
        "It gains 3.1 pp over the baseline.",
        [{"span": "3.1 pp", "unit": "pp", "kind": "delta", "direction": "up"}],
    ),
    (
        "hedge up to",
        "Pruning saves up to 73% of memory.",
        [{"span": "73%", "bound": "at_most"}],
    ),
    (
        "hedge over",
        "The filter keeps over 90% of the signal.",
        [{"span": "90%", "bound": "at_least", "kind": "other"}],
    ),
    (
        "hedge approximately",
        "Training takes ~400 GPU hours.",
        [{"span": "400 GPU hours", "value": 400.0, "unit": "GPU hours", "bound": "approximate"}],
    ),
    (
        "open-ended plus",
        "Throughput improves by 15+% with the new kernel.",
        [{"span": "15+%", "value": 15.0, "bound": "at_least", "kind": "delta"}],
    ),
    (
        "range as two claims sharing the unit",
        "Pretraining recovers 85.5-97.2% of the supervised accuracy.",
        [
            {"span": "85.5", "value": 85.5, "unit": "%", "kind": "other"},
            {"span": "97.2%", "value": 97.2, "unit": "%", "kind": "other"},
        ],
    ),
    (
        "range with 'to' keeps the change for both ends",
        "Recall rises by 1.5% to 4.0% across tasks.",
        [
            {"span": "1.5%", "kind": "delta", "direction": "up"},
            {"span": "4.0%", "kind": "delta", "direction": "up"},
        ],
    ),
    (
        "list shares the counted noun",
        "We train on 256 and 512 TPU chips.",
        [
            {"span": "256", "unit": "chips", "kind": "count"},
            {"span": "512", "unit": "chips", "kind": "count"},
        ],
    ),
    (
        "list of scores",
        "The F1 scores are 71.2, 68.9, and 80.4, respectively.",
        [{"span": "71.2", "kind": "score"}, {"span": "68.9"}, {"span": "80.4"}],
    ),
    (
        "measurement units stay in the span",
        "Latency drops to 12 ms on a 4TB index.",
        [{"span": "12 ms", "unit": "ms", "kind": "score"}, {"span": "4TB", "unit": "TB"}],
    ),
    (
        "rate unit is a score",
        "The cluster sustains 310 petaFLOP/s.",
        [{"span": "310 petaFLOP/s", "unit": "petaFLOP/s", "kind": "score"}],
    ),
    (
        "model size before a name counts parameters",
        "It matches the 70B Chinchilla on reading comprehension.",
        [{"span": "70B", "value": 70e9, "unit": "parameters", "kind": "count"}],
    ),
    (
        "model size in parentheses",
        "We adapt Mistral (7B) to legal text.",
        [{"span": "7B", "unit": "parameters", "kind": "count"}],
    ),
    (
        "a 7B model",
        "Even a 13B model follows the instructions.",
        [{"span": "13B", "unit": "parameters", "kind": "count"}],
    ),
    (
        "compound adjective as a setting",
        "We use 8-bit weights throughout.",
        [{"span": "8", "unit": "bit", "kind": "other"}],
    ),
    (
        "LaTeX percent",
        "Accuracy improves by 2.2\\% on CIFAR-10.",
        [{"span": "2.2\\%", "value": 2.2, "unit": "%", "kind": "delta", "dataset": "CIFAR-10"}],
    ),
    (
        "share of a budget is other",
        "It uses only 30% of the original compute budget.",
        [{"span": "30%", "kind": "other"}],
    ),
    (
        "value of a named metric is a score",
        "We reach a per-GPU utilization of 48% of peak.",
        [{"span": "48%", "kind": "score"}],
    ),
    (
        "score versus a baseline in the same parentheses",
        "Kappa reaches a perplexity of 9.12 (0.8 lower vs 9.92 in Lambda) on WikiText-103.",
        [
            {"span": "9.12", "kind": "score", "metric": "perplexity", "dataset": "WikiText-103"},
            {"span": "0.8", "kind": "delta", "direction": "down", "baseline": "Lambda"},
            {"span": "9.92", "kind": "score", "subject": "Lambda"},
        ],
    ),
    (
        "respectively pairs datasets with values",
        "It improves accuracy by 1.1% and 2.3% on RTE and BoolQ, respectively.",
        [{"span": "1.1%", "dataset": "RTE"}, {"span": "2.3%", "dataset": "BoolQ"}],
    ),
    (
        "open-vocabulary dataset after on",
        "The agent scores +5.2 on Harbor Bench while staying safe.",
        [{"span": "+5.2", "dataset": "Harbor Bench"}],
    ),
    (
        "scientific notation",
        "We train with a learning rate of 3e-4.",
        [{"span": "3e-4", "value": 3e-4}],
    ),
    (
        "list with a serial comma after 'and'",
        "We release models of 1B, 3B, and, 13B parameters.",
        [
            {"span": "1B", "unit": "parameters"},
            {"span": "3B", "unit": "parameters"},
            {"span": "13B", "unit": "parameters"},
        ],
    ),
    (
        "sizes named before a range",
        "Experiments span model sizes from 125M to 6B.",
        [{"span": "125M", "unit": "parameters"}, {"span": "6B", "unit": "parameters"}],
    ),
    (
        "size before an acronym",
        "Even a 3B VLM benefits from the data.",
        [{"span": "3B", "unit": "parameters", "kind": "count"}],
    ),
    (
        "size as a compound adjective is still a count",
        "They curate a 40B-token corpus.",
        [{"span": "40B", "value": 40e9, "kind": "count"}],
    ),
    (
        "possessive counted noun",
        "It holds 12.5M videos' captions.",
        [{"span": "12.5M", "unit": "videos", "kind": "count"}],
    ),
    (
        "a rival a value stands above is its baseline",
        "Zeta is 2.1 points above Beta-7B on FooQA.",
        [{"span": "2.1", "kind": "delta", "direction": "up", "baseline": "Beta-7B"}],
    ),
    (
        "a rival ahead of which a value stands is its baseline",
        "Zeta finishes 3% ahead of the distilled student.",
        [{"span": "3%", "kind": "delta", "direction": "up", "baseline": "distilled student"}],
    ),
    (
        "'or below' is a bound, no rival",
        "Scores of 2.0 or below are rare.",
        [{"span": "2.0", "bound": "at_most", "baseline": None}],
    ),
    (
        "a model's size is on no benchmark",
        "With only 7B parameters, ZetaNet matches a 70B model on FooQA.",
        [
            {"span": "7B", "metric": "parameters", "dataset": None},
            {"span": "70B", "metric": "parameters", "dataset": None},
        ],
    ),
    (
        "what a value improves over is its baseline, not its dataset",
        "Zeta improves over Beta-2 by 3%.",
        [{"span": "3%", "kind": "delta", "baseline": "Beta-2", "dataset": None}],
    ),
    (
        "what a value improves upon is its baseline",
        "Zeta improves upon Beta-2 by 3% on FooQA.",
        [{"span": "3%", "baseline": "Beta-2", "dataset": "FooQA"}],
    ),
    (
        "what a value improves is a rival only when it is a model",
        "It improves grounding (up to 14%) and beats Quill by 2%.",
        [{"span": "14%", "kind": "delta", "baseline": None}, {"span": "2%", "baseline": "Quill"}],
    ),
    (
        "improving the state of the art names it as the rival",
        "Zeta improves the former state of the art by 4 BLEU.",
        [{"span": "4", "baseline": "former state of the art"}],
    ),
    (
        "a rival named after the value's unit and metric",
        "Quill gains 4.2 points of macro F1 over the previous best system on FooNER.",
        [{"span": "4.2", "kind": "delta", "baseline": "previous best system"}],
    ),
    (
        "a cue that names what is improved gives way to the rival after the value",
        "On FooVid, it improves accuracy by 2.3 points over BetaNet.",
        [{"span": "2.3", "kind": "delta", "baseline": "BetaNet"}],
    ),
    (
        "a size before a model's noun sizes the model, whatever the verb after it",
        "A 1.3B encoder gains 5.1% on FooQA.",
        [{"span": "1.3B", "unit": "parameters", "metric": "parameters"}, {"span": "5.1%"}],
    ),
    (
        "a fronted comparison names the rival of the sentence's changes",
        "Compared with Quill, Zeta improves throughput by 2.4x and cuts latency by 38%.",
        [{"span": "2.4x", "baseline": "Quill"}, {"span": "38%", "baseline": "Quill"}],
    ),
    (
        "what a value is had without is no measure of it",
        "Zeta trains FooNet in 4 minutes without losing accuracy, and is 3x faster.",
        [{"span": "4 minutes", "metric": None}, {"span": "3x", "metric": None}],
    ),
    (
        "a rival's name keeps the dot of its version",
        "Zeta beats Quill-3.5 by 4% on FooQA.",
        [{"span": "4%", "baseline": "Quill-3.5", "dataset": "FooQA"}],
    ),
    (
        "where a change starts from is no rival",
        "Recall improves from 47.1% to 52.6% on FooQA.",
        [{"span": "47.1%", "baseline": None}, {"span": "52.6%", "baseline": None}],
    ),
    (
        "an amount in a unit of measure is no percentage metric",
        "On FooNet-1k, Vireo-B reaches 84.1% top-1 accuracy at 15.4 GFLOPs.",
        [
            {"span": "84.1%", "metric": "top-1 accuracy"},
            {"span": "15.4 GFLOPs", "kind": "count", "metric": None},
        ],
    ),
    (
        "the state of the art is one rival, its 'of' inside the name",
        "Zeta beats the prior state of the art by 2.6 points on FooQA.",
        [{"span": "2.6", "kind": "delta", "baseline": "prior state of the art"}],
    ),
    (
        "a method the abstract defines is no dataset where a phrase would make it one",
        "We tag relations with a ranking network (RK-NET). Using RK-NET, we reach 84.1 F1 on "
        "FooRel.",
        [{"span": "84.1", "subject": "RK-NET", "dataset": "FooRel"}],
    ),
    (
        "improved by a value names no rival",
        "Recall can be improved by up to 26% on FooSet.",
        [{"span": "26%", "kind": "delta", "baseline": None, "dataset": "FooSet"}],
    ),
    (
        "a part of a metric's name is no subject",
        "We lift PASS@100 from 31.0% to 47.5% on FooMath.",
        [
            {"span": "31.0%", "subject": None, "metric": "PASS@100"},
            {"span": "47.5%", "subject": None},
        ],
    ),
    (
        "what a preposition governs does not act",
        "Fine-tuning a 7B model on our held-out split raises its success rate from 12% to 27%.",
        [
            {"span": "7B"},
            {"span": "12%", "subject": "7B model"},
            {"span": "27%", "subject": "7B model"},
        ],
    ),
    (
        "a part of a benchmark's name is no subject",
        "It adds +3.1 on MMLU and +1.3 on the AI2 Reasoning Challenge.",
        [{"span": "+3.1", "subject": None}, {"span": "+1.3", "subject": None}],
    ),
    (
        "the subject after a fronted phrase",
        "With BetaCoder as the encoder, Quillon achieves an MRR of 0.792 on FooSearch.",
        [{"span": "0.792", "subject": "Quillon"}],
    ),
    (
        "the subject after a fronted benchmark",
        "On ImageNet, Quillon reaches 83.1% top-1 accuracy.",
        [{"span": "83.1%", "subject": "Quillon", "dataset": "ImageNet"}],
    ),
    (
        "bound 'over' is not a baseline",
        "The set has over 900 annotated dialogues.",
        [{"span": "900", "bound": "at_least", "baseline": None}],
    ),
    (
        "generic benchmark words are not datasets",
        "It scores 77.1% on many NLP benchmarks.",
        [{"span": "77.1%", "dataset": None}],
    ),
    (
        "an improvement in a multi-word metric",
        "It gives a 9% improvement in retrieval recall.",
        [{"span": "9%", "kind": "delta", "metric": "retrieval recall"}],
    ),
    (
        "outperforming names the baseline, not the metric",
        "Zeta outperforms prior systems by 6% on DROP.",
        [{"span": "6%", "kind": "delta", "baseline": "prior systems", "dataset": "DROP"}],
    ),
    (
        "times after a verb counts repetitions",
        "The agent calls the tool 12 times per episode.",
        [{"span": "12 times", "unit": "times", "kind": "count", "direction": None}],
    ),
    (
        "a verb of change right before the number",
        "Pruning saves about 25% inference FLOPs.",
        [{"span": "25%", "kind": "delta", "direction": "down", "bound": "approximate"}],
    ),
    (
        "percent of a counted thing is a share",
        "It tunes only 0.5% trainable parameters.",
        [{"span": "0.5%", "kind": "other"}],
    ),
    (
        "plural nouns ending in -ies",
        "The images come from 9 industries.",
        [{"span": "9", "unit": "industries", "kind": "count"}],
    ),
    (
        "singular compute unit",
        "Unlearning takes about 1 GPU hour.",
        [{"span": "1 GPU hour", "unit": "GPU hour"}],
    ),
    (
        "a pronoun is not a subject",
        "It gains 2.5 BLEU on WMT16.",
        [{"span": "2.5", "kind": "delta", "subject": None, "metric": "BLEU"}],
    ),
    (
        "slash list of percentages",
        "Word error rates are 2.1%/4.8% on the clean/other sets.",
        [{"span": "2.1%", "value": 2.1}, {"span": "4.8%", "value": 4.8}],
    ),
    (
        "a count describes a named collection",
        "We build OrbitQA, a new benchmark of 12,000 questions.",
        [{"span": "12,000", "kind": "count", "dataset": "OrbitQA", "unit": "questions"}],
    ),
    (
        "a collection, then which contains what is counted",
        "We build a benchmark dataset TrioBench which contains 40,000 questions from 12 domains.",
        [{"span": "40,000", "dataset": "TrioBench"}, {"span": "12", "dataset": "TrioBench"}],
    ),
    (
        "a named collection with a which-clause of contents",
        "We train on ZetaLogs, which contains 3.1 million sessions.",
        [{"span": "3.1 million", "kind": "count", "dataset": "ZetaLogs"}],
    ),
    (
        "it goes on describing the collection introduced before",
        "We introduce the ZetaLogs dataset for ranking. It involves 3.1 million search sessions "
        "and 4,100 annotated queries.",
        [{"span": "3.1 million", "dataset": "ZetaLogs"}, {"span": "4,100", "dataset": "ZetaLogs"}],
    ),
    (
        "a counted corpus named after it by which we name",
        "Mixing both sources gives a 7.5B-token corpus, which we name PileMix.",
        [{"span": "7.5B", "kind": "count", "dataset": "PileMix"}],
    ),
    (
        "footnote mark glued after a metric",
        "It scores 59.0 nDCG@10,2 on the leaderboard.",
        [{"span": "59.0", "kind": "score", "metric": "nDCG@10"}],
    ),
    (
        "points as a change",
        "Reranking improves quality by up to 11.4 points.",
        [{"span": "11.4", "unit": "points", "kind": "delta", "bound": "at_most"}],
    ),
    (
        "or more is a bound, not a change",
        "It handles inputs of 5000 or more steps.",
        [{"span": "5000", "bound": "at_least", "kind": "other"}],
    ),
    (
        "range of magnitudes",
        "A small set (10k-30k images) suffices.",
        [{"span": "10k", "unit": "images"}, {"span": "30k", "value": 30000.0, "unit": "images"}],
    ),
    (
        "respectively pairs values with datasets named before them",
        "We lead on both HMDB51 and UCF101 with 85.1% and 98.7% accuracy, respectively.",
        [{"span": "85.1%", "dataset": "HMDB51"}, {"span": "98.7%", "dataset": "UCF101"}],
    ),
    (
        "an adjective before a dataset name is not part of it",
        "It scores 91.7 F1 on the much-used CoNLL-2003 dataset.",
        [{"span": "91.7", "metric": "F1", "dataset": "CoNLL-2003"}],
    ),
    (
        "bits per character",
        "The model reaches 1.27 bits/char on enwik8.",
        [{"span": "1.27", "metric": "bits/char", "dataset": "enwik8"}],
    ),
    (
        "acronym plurals are counted nouns; a lost \\pm is not picometres",
        "It gains 11.0 pm 1.3 points across 16 recurrent LMs.",
        [{"span": "11.0", "unit": None}, {"span": "1.3"}, {"span": "16", "unit": "LMs"}],
    ),
    (
        "a change carried through a list with names between",
        "Recall rises by 2% on Alpha, 5% on Beta and 1% on Gamma.",
        [
            {"span": "2%", "kind": "delta", "direction": "up"},
            {"span": "5%", "kind": "delta", "direction": "up"},
            {"span": "1%", "kind": "delta", "direction": "up"},
        ],
    ),
    (
        "a fraction is one value",
        "It needs only 1/8 of the compute.",
        [{"span": "1/8", "value": 0.125, "kind": "other"}],
    ),
    (
        "a setting and an integer score",
        "With temperature 0.2 it earns a score of 412.",
        [{"span": "0.2", "kind": "other"}, {"span": "412", "kind": "score"}],
    ),
    (
        "negative change",
        "Calibration error changes by −1.7 points.",
        [{"span": "−1.7", "value": -1.7, "kind": "delta", "direction": "down"}],
    ),
]

NOT_QUANTITIES: list[tuple[str, str]] = [
    ("model name with a hyphen", "GPT-4 and ResNet-50 are strong baselines."),
    ("dataset names", "We evaluate on CIFAR-100 and ImageNet-1K."),
    ("size inside a name", "We compare with Llama-2-7B and Qwen2.5."),
    ("glued digits", "T5 and BERT_BASE use 3D convolutions."),
    ("metric names with digits", "We report F_0.5 and PASS@100 and ROUGE-L."),
    ("year in a citation", "This extends Smith et al. (2020) to video."),
    ("date", "It topped the leaderboard on July 3, 2021."),
    ("enumerators", "Our method is (1) fast and (2) simple."),
    ("enumerators without an opening bracket", "It is 1) fast, 2) simple."),
    ("citations", "Prior work [12, 15] studied this."),
    ("reference into the paper", "As Table 2 and Section 4 show, it works."),
    ("version after a name", "ERNIE 3.0 and SQuAD 2.0 are used."),
    ("size after a name", "We release Delta 20B under a permissive license."),
    ("urls", "Code is at https://github.com/org/repo-2024 and www.site3.org/x1."),
    ("arxiv id", "See arXiv:2101.00027 for details."),
    ("ordinal", "It ranked 1st on the leaderboard."),
    ("k-shot setting", "We evaluate in the 5-shot setting."),
    ("lower-case reference", "Results on section 23 of the treebank."),
    ("capitalised compound name", "It reaches the top on 10-Split-CIFAR-100 today."),
    ("slash in a model name", "Data generated by GPT-3.5/4 is contaminated."),
    ("compound word", "We learn a 1-to-1 mapping."),
    ("abbreviated year after an apostrophe", "We translate on WMT'14 En-De."),
    ("versions listed after a name", "We test Llama 3, 3.1 and 3.2 and Qwen 2, 2.5."),
    ("version after a LaTeX accent", 'We release T\\"ULU 3 openly.'),
    ("date in digits", "The dump (2022.07.14) was used."),
    ("label in parentheses", "We keep the hard part (split 3) aside."),
    ("hardware model number", "It runs on an RTX 4090."),
]

NO_CLAIMS: list[tuple[str, str]] = [
    ("empty", ""),
    ("prose without numbers", "We propose a simple method and show that it works well."),
    ("spelled small numbers are not claims", "We study two settings and three tasks."),
]

KNOWN_MISSES: list[Case] = [
    (
        "spelled multiplier word",
        "The model is three times smaller.",
        [{"span": "three times", "value": 3.0, "kind": "ratio"}],
    ),
    (
        "order of magnitude",
        "It is an order of magnitude faster.",
        [{"span": "an order of magnitude", "value": 10.0, "kind": "ratio"}],
    ),
]


def _check(text: str, expected: list[dict[str, Any]]) -> None:
    claims = extract(text)
    got = [
        {field: getattr(c, field) for field in want}
        for c, want in zip(claims, expected, strict=False)
    ]
    assert got == expected, [c.span for c in claims]
    assert len(claims) == len(expected), [c.span for c in claims]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CORE], ids=[c[0] for c in CORE])
def test_pipeline_finds_core_claims(text: str, expected: list[dict[str, Any]]) -> None:
    _check(text, expected)


@pytest.mark.parametrize("text", [c[1] for c in NOT_QUANTITIES], ids=[c[0] for c in NOT_QUANTITIES])
def test_pipeline_skips_names_that_are_not_quantities(text: str) -> None:
    assert [c.span for c in extract(text)] == []


@pytest.mark.parametrize("text", [c[1] for c in NO_CLAIMS], ids=[c[0] for c in NO_CLAIMS])
def test_pipeline_finds_nothing_in_texts_without_claims(text: str) -> None:
    assert extract(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(*c[1:], marks=pytest.mark.xfail(strict=True, reason=c[0])) for c in KNOWN_MISSES],
    ids=[c[0] for c in KNOWN_MISSES],
)
def test_pipeline_known_misses(text: str, expected: list[dict[str, Any]]) -> None:
    _check(text, expected)


def test_pipeline_claims_carry_sentence_and_offsets() -> None:
    text = "We study pruning. It removes 60% of the weights. Nothing else changes."
    (claim,) = extract(text)
    assert text[claim.start : claim.end] == claim.span == "60%"
    assert claim.sentence == "It removes 60% of the weights."
    assert text[claim.sentence_start : claim.sentence_end] == claim.sentence


def test_pipeline_uses_the_paper_name_for_self_references() -> None:
    text = (
        "We present Orca-Lite, a small model. Orca-Lite is distilled from a larger one. Our "
        "model improves accuracy by 4.5% on GSM8K."
    )
    (claim,) = extract(text)
    assert claim.subject == "Orca-Lite"


def test_pipeline_keeps_the_abstracts_words_when_the_name_is_only_in_the_title() -> None:
    (claim,) = extract("Our method improves recall by 2%.", title="Foobar: Fast Retrieval")
    assert claim.subject == "Our method"


def test_pipeline_sets_the_setting_from_the_sentence() -> None:
    (claim,) = extract("In the zero-shot setting, it reaches 61.2% accuracy on MMLU.")
    assert (claim.setting, claim.dataset, claim.metric) == ("zero-shot", "MMLU", "accuracy")


def test_pipeline_claims_say_how_they_are_joined_and_where_the_noun_is() -> None:
    text = "We use 256 and 512 TPU chips and reach 92.7-98.1% (vs. 90.2%)."
    claims = extract(text)
    assert [(c.span, c.joined) for c in claims] == [
        ("256", None),
        ("512", "list"),
        ("92.7", None),
        ("98.1%", "range"),
        ("90.2%", "versus"),
    ]
    nouns = [text[c.unit_start : c.unit_end] for c in claims if c.unit_start is not None]
    assert nouns == ["TPU chips", "TPU chips"]


def test_pipeline_takes_the_dataset_set_by_the_sentence_before() -> None:
    text = (
        "We evaluate on GSM8K. On this benchmark our model reaches 71.3% accuracy, a gain of 4.2%."
    )
    assert [(c.span, c.dataset) for c in extract(text)] == [("71.3%", "GSM8K"), ("4.2%", "GSM8K")]


def test_pipeline_does_not_guess_between_two_datasets_of_the_sentence_before() -> None:
    text = "We evaluate on GSM8K and MATH. Our model reaches 71.3% accuracy."
    assert [(c.span, c.dataset) for c in extract(text)] == [("71.3%", None)]


def test_pipeline_max_claims_keeps_the_first_claims_only() -> None:
    text = "We reach 71.2% on A, 65.0% on B and 12.5% on C. It uses 8 GPUs and 3 days."
    every = extract(text)
    assert len(every) == 5
    assert extract(text, max_claims=2) == every[:2]
    assert extract(text, max_claims=0) == ()


@pytest.mark.parametrize(
    ("text", "type_", "named"),
    [
        ("1B", "dataset", False),  # an amount
        ("7.5 M", "task", False),
        ("FLOPs", "dataset", False),  # a unit
        ("FLOPs", "method", False),
        ("BLEU", "dataset", False),  # a known metric
        ("Llama-2-7B", "dataset", False),  # a known model
        ("Llama-2-7B", "method", True),
        ("English-German", "method", False),  # a language pair
        ("example", "task", False),  # "for example"
        ("last three years", "task", False),
        ("entity typing", "task", True),
        ("NVIDIA H100 GPUs", "dataset", False),  # hardware
        ("NVIDIA H100 GPUs", "method", False),  # what it ran on is no one measured
        ("TPUs", "method", False),
        ("other LLMs", "dataset", False),  # a class of models
        ("fine-tuning", "task", False),  # a phase, not a task
        ("semi-supervised learning", "task", False),
        ("supervised fine-tuning data", "dataset", True),
        ("FooBench", "dataset", True),
        ("the Foo-7B model", "dataset", False),  # a model, evaluated
        ("the strongest baseline", "dataset", False),  # "over the strongest baseline": compared
        ("the few-shot setting", "dataset", False),  # how it was evaluated
        ("low-data regime", "task", False),
        ("scratch", "dataset", False),  # "trained from scratch"
        ("fewer parameters", "dataset", False),  # "using fewer parameters": an amount
        ("two backbone networks", "task", True),
        ("Foo checkpoints", "dataset", False),
        ("the Foo-7B model", "method", True),
    ],
)
def test_pipeline_mentions_that_name_nothing_are_dropped(
    text: str, type_: MentionType, named: bool
) -> None:
    mention = Mention(start=0, end=len(text), type=type_, source="phrase")
    assert may_be_named(text, mention) is named


@pytest.mark.parametrize(("text", "named"), [("inference", False), ("dialogue generation", True)])
def test_pipeline_a_phase_the_tagger_finds_is_no_dataset(text: str, named: bool) -> None:
    mention = Mention(start=0, end=len(text), type="task", source="tagger")
    assert may_be_named(text, mention) is named


@pytest.mark.parametrize(
    ("text", "name", "named"),
    [
        ("It scales on 512 Quux-X9 GPUs.", "Quux-X9", False),  # what it ran on
        ("It scales on 512 QuuxCorp X9 accelerators.", "QuuxCorp", False),  # one name between
        ("Zeta scales well on many GPUs.", "Zeta", True),
        ("Zeta beats Quux-X9 on FooQA.", "Quux-X9", True),
    ],
)
def test_pipeline_a_method_named_before_hardware_is_hardware(
    text: str, name: str, named: bool
) -> None:
    start = text.index(name)
    mention = Mention(start=start, end=start + len(name), type="method", source="phrase")
    assert may_be_named(text, mention) is named
