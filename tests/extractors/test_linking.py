"""Linking cases: which metric and dataset each number is linked to.

Each case is a sentence written for these tests and the (span, metric, dataset) of every claim
found in it, in order. They cover the ways leaderboard results are written in abstracts: names
spelled in another case, plural metrics, values in parentheses after their dataset, lists paired
"respectively", slash-joined values and names, and metrics written after the number.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from claimex.extractors import extract
from claimex.extractors.linking.assign import scored_candidates
from claimex.extractors.linking.beside import change_from_a_model
from claimex.extractors.linking.candidates import candidates, context
from claimex.extractors.linking.features import candidate_features
from claimex.extractors.linking.structure import PICKED
from claimex.extractors.mentions.phrases import phrase_mentions
from claimex.extractors.pipeline import BEFORE_LINKING, run_steps

Linked = tuple[str, str | None, str | None]
Case = tuple[str, str, list[Linked]]

CASES: list[Case] = [
    (
        "a benchmark written as a name, referred back to",
        "We evaluate on GlintBench. On this benchmark, our model reaches 71.2% accuracy.",
        [("71.2%", "accuracy", "GlintBench")],
    ),
    (
        "a phrase referred back to names nothing",
        "We look at the other hand. On this benchmark, our model reaches 71.2% accuracy.",
        [("71.2%", "accuracy", None)],
    ),
    (
        "a change of an amount is of that amount",
        "Sift gains 6.2% F1 on FooQA while reading 45% fewer tokens.",
        [("6.2%", "F1", "FooQA"), ("45%", "tokens", "FooQA")],
    ),
    (
        "factors of amounts",
        "It uses 86% fewer parameters and 4x fewer training epochs.",
        [("86%", "parameters", None), ("4x", "training epochs", None)],
    ),
    (
        "more with an adjective compares no amount",
        "Zeta is 3.2% more accurate than Beta.",
        [("3.2%", None, None)],
    ),
    (
        "the last value with its own place, a known name before it",
        "It attains a perplexity of 48.2 on the Penn Treebank and 57.9 on the FrobText corpus.",
        [("48.2", "perplexity", "Penn Treebank"), ("57.9", "perplexity", "FrobText")],
    ),
    (
        "'scores' before its number is the verb",
        "Zeta-7B scores 45.1 on HellaSwag.",
        [("45.1", None, "HellaSwag")],
    ),
    (
        "'scores' before a comparison is the verb",
        "Our system scores 12% higher than Beta on BarQA.",
        [("12%", None, "BarQA")],
    ),
    (
        "what a gain is in: a task",
        "We observe a 12% gain in citation recommendation.",
        [("12%", None, "citation recommendation")],
    ),
    (
        "what a gain is in: a measure",
        "Hard negatives bring a 5% gain in recall.",
        [("5%", "recall", None)],
    ),
    (
        "what a gain is in: a measure that ends like a task",
        "Hard negatives bring a 4% gain in retrieval precision.",
        [("4%", "retrieval precision", None)],
    ),
    (
        "each value with its own place, an unknown name before a known one",
        "We obtain 88.1 F1 on WidgetNER and 90.3 F1 on CoNLL-2003.",
        [("88.1", "F1", "WidgetNER"), ("90.3", "F1", "CoNLL-2003")],
    ),
    (
        "each value with its own place, the second found by more finders",
        "Zorro reaches 3.1 points on FooEval and 2.2 on BarQA.",
        [("3.1", None, "FooEval"), ("2.2", None, "BarQA")],
    ),
    (
        "three values each with its place",
        "Accuracy rises by 4.0% on the KiloSet corpus, 2.5% on MMLU and 1.1% on PlumQA.",
        [
            ("4.0%", "Accuracy", "KiloSet"),
            ("2.5%", "Accuracy", "MMLU"),
            ("1.1%", "Accuracy", "PlumQA"),
        ],
    ),
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
    (
        "value in parentheses after its dataset",
        "Our network transfers well, reaching 92.4% accuracy on CIFAR-100 (90.4%), Flowers (97.1%) "
        "and two other datasets.",
        [
            ("92.4%", "accuracy", "CIFAR-100"),
            ("90.4%", "accuracy", "CIFAR-100"),
            ("97.1%", "accuracy", "Flowers"),
        ],
    ),
    (
        "metric and dataset around a parenthesised value",
        "It leads on both Cityscapes (81.5% mean IoU) and ADE20K (49.1% mean IoU).",
        [("81.5%", "mean IoU", "Cityscapes"), ("49.1%", "mean IoU", "ADE20K")],
    ),
    (
        "value headed by a colon",
        "Both corpora improve (Sleep-EDF: 84.0%, SHHS: 80.5%).",
        [("84.0%", None, "Sleep-EDF"), ("80.5%", None, "SHHS")],
    ),
    (
        "a colon that heads a clause does not name the dataset",
        "Two results stand out: our model reaches 81.0% top-1 accuracy on ImageNet-1k.",
        [("81.0%", "top-1 accuracy", "ImageNet-1k")],
    ),
    (
        "metric in parentheses after the value",
        "The corrector scores 61.9 (GLEU) on JFLEG.",
        [("61.9", "GLEU", "JFLEG")],
    ),
    (
        "LaTeX tie after a dataset name",
        "The detector reaches 33.1% mAP on the Charades~ benchmark.",
        [("33.1%", "mAP", "Charades")],
    ),
    (
        "unknown dataset named among adjectives and a description",
        "The classifier attains 91.0% accuracy on the popular QRX-DOC document image dataset.",
        [("91.0%", "accuracy", "QRX-DOC")],
    ),
    (
        "lower-case dataset name with digits",
        "It compresses the data to 1.02 BPC on enwik9.",
        [("1.02", "BPC", "enwik9")],
    ),
    (
        "slash-joined values and metrics",
        "Our fused detector gets 61.2/70.4% mean AP/AR on nuScenes.",
        [("61.2", "AP", "nuScenes"), ("70.4%", "AR", "nuScenes")],
    ),
    (
        "slash-joined values and metric modifiers",
        "Our segmenter obtains 44.1/39.0 box/mask AP on COCO.",
        [("44.1", "box AP", "COCO"), ("39.0", "mask AP", "COCO")],
    ),
    (
        "metrics paired respectively",
        "On the English Penn treebank, the parser reaches UAS and LAS scores of 95.1% and 93.4%, "
        "respectively.",
        [("95.1%", "UAS", "English Penn treebank"), ("93.4%", "LAS", "English Penn treebank")],
    ),
    (
        "datasets listed after 'benchmarks of', paired respectively",
        "Results on the benchmarks of ICDAR 2013 and Total-Text show F-scores of 90.2 and 84.7 "
        "respectively.",
        [("90.2", "F-scores", "ICDAR 2013"), ("84.7", "F-scores", "Total-Text")],
    ),
    (
        "a name before 'dataset' is not the subject",
        "Faces from the extended Cohn-Kanade dataset get labelled with 90.1% accuracy.",
        [("90.1%", "accuracy", "Cohn-Kanade")],
    ),
    (
        "language pair after the benchmark, paired respectively",
        "Across WMT'15 English-Czech and WMT'17 Chinese-English our system gets 29.2 and 24.7 "
        "BLEU points, respectively.",
        [("29.2", "BLEU", "WMT'15 English-Czech"), ("24.7", "BLEU", "WMT'17 Chinese-English")],
    ),
    (
        "language pair before the benchmark, codes spelled out",
        "We reach 27.3 BLEU on En-De WMT 2014.",
        [("27.3", "BLEU", "WMT 2014 English-German")],
    ),
    (
        "a score in metric points is a score, a change in them a delta",
        "It scores 31.0 BLEU points on IWSLT'14 and gains 1.4 BLEU points over the baseline.",
        [("31.0", "BLEU", "IWSLT'14"), ("1.4", "BLEU", "IWSLT'14")],
    ),
    (
        "a range names its dataset after the second value",
        "We lower bits per character from 1.21 to 1.12 on text8.",
        [("1.21", "bits per character", "text8"), ("1.12", "bits per character", "text8")],
    ),
    (
        "each range under its own name",
        "It lowers the best result on enwik8 from 1.04 to 0.97 bpc, and text8 from 1.12 to "
        "1.05 bpc.",
        [
            ("1.04", "bpc", "enwik8"),
            ("0.97", "bpc", "enwik8"),
            ("1.12", "bpc", "text8"),
            ("1.05", "bpc", "text8"),
        ],
    ),
    (
        "praise before a metric is dropped, its specifiers kept",
        "Zeta now holds a new state-of-the-art macro F1 score of 88.1 on OntoNotes 5.0.",
        [("88.1", "macro F1 score", "OntoNotes 5.0")],
    ),
    (
        "a metric naming the score is kept",
        "The generator achieves an FID score of 12.4 on the CIFAR-10 dataset.",
        [("12.4", "FID score", "CIFAR-10")],
    ),
    (
        "an anaphoric collection is no dataset name",
        "Careful systems obtain accuracies of 70.2% and 74.9% on these two datasets.",
        [("70.2%", "accuracies", None), ("74.9%", "accuracies", None)],
    ),
    (
        "a benchmark's name that holds a number is not a quantity",
        "The model reaches a perplexity of 23.5 on One Billion Word.",
        [("23.5", "perplexity", "One Billion Word")],
    ),
    (
        "known benchmarks listed before values paired respectively",
        "We test on two corpora, WikiText-103 and Hutter Prize Wikipedia, where the model reaches "
        "1.21 and 1.30 BPC, respectively.",
        [("1.21", "BPC", "WikiText-103"), ("1.30", "BPC", "Hutter Prize")],
    ),
    (
        "values with a unit each, paired respectively with the nearest list",
        "It lowers perplexities on WikiText-2 and Penn Treebank to 43.9 and 50.2 respectively, and "
        "cross-entropies on text8 and enwik8 to 1.20 bpc and 1.07 bpc respectively.",
        [
            ("43.9", "perplexities", "WikiText-2"),
            ("50.2", "perplexities", "Penn Treebank"),
            ("1.20", "bpc", "text8"),
            ("1.07", "bpc", "enwik8"),
        ],
    ),
    (
        "metrics paired in order right before their values",
        "On Penn Treebank, UAS and LAS are 96.0% and 94.3%.",
        [("96.0%", "UAS", "Penn Treebank"), ("94.3%", "LAS", "Penn Treebank")],
    ),
    (
        "an abbreviation in parentheses names the metric",
        "On MUSDB18 it attains a mean signal to distortion ratio (SDR) near 6.3 dB.",
        [("6.3 dB", "SDR", "MUSDB18")],
    ),
    (
        "a metric found on its own keeps its specifiers",
        "The tagger gets a POS tagging accuracy at 97.8% on Penn Treebank.",
        [("97.8%", "POS tagging accuracy", "Penn Treebank")],
    ),
    (
        "a split before the metric is not part of its name",
        "It obtains test F-scores of 86.1 and 71.9 on ICDAR 2015 and Total-Text respectively.",
        [("86.1", "F-scores", "ICDAR 2015"), ("71.9", "F-scores", "Total-Text")],
    ),
    (
        "a model name before parentheses is not taken for the dataset",
        "Our detector beats the popular YOLOv3 (33.0% AP) on COCO.",
        [("33.0%", "AP", "COCO")],
    ),
    (
        "a known benchmark with its edition; the year is no quantity",
        "MAP improves by 21% on the TREC 2019 topics and 9% on the TREC 2020 topics.",
        [("21%", None, "TREC 2019"), ("9%", None, "TREC 2020")],
    ),
    (
        "changes paired respectively with the results before them",
        "It reaches 88.0% on ImageNet and 79.5% on ImageNet-CN, beating prior work by 2.1% and "
        "20.4%, respectively.",
        [
            ("88.0%", None, "ImageNet"),
            ("79.5%", None, "ImageNet-CN"),
            ("2.1%", None, "ImageNet"),
            ("20.4%", None, "ImageNet-CN"),
        ],
    ),
    (
        "sizes listed before values are not dataset names",
        "For 13 Billion, 70 Billion, and 2 Trillion parameters we reach 38%, 36% and 32% "
        "utilization, respectively.",
        [
            ("13 Billion", "parameters", None),
            ("70 Billion", "parameters", None),
            ("2 Trillion", "parameters", None),
            ("38%", "utilization", None),
            ("36%", "utilization", None),
            ("32%", "utilization", None),
        ],
    ),
    (
        "a function word after a measure is not what it measures",
        "It trains the detector in 4 minutes without losing accuracy.",
        [("4 minutes", "minutes", None)],
    ),
    (
        "a known benchmark named sentences before sets the context",
        "We evaluate on GSM8K. The method needs no labels. It also trains fast. On this "
        "benchmark it reaches 81.2% accuracy.",
        [("81.2%", "accuracy", "GSM8K")],
    ),
    (
        "a sentence naming several benchmarks ends the search for context",
        "We evaluate on GSM8K. We also report MATH and SVAMP. It is cheap. It reaches 81.2% "
        "accuracy.",
        [("81.2%", "accuracy", None)],
    ),
    (
        "a benchmark's name may start with its split count",
        "This baseline achieved 88.1% on 10-Split-CIFAR-100.",
        [("88.1%", None, "10-Split-CIFAR-100")],
    ),
    (
        "each value in a list is written under the task before its bracket",
        "It helps most on hard inputs, including entity typing (+4%), tool use (+9%) "
        "and table lookup (+2%).",
        [("+4%", None, "entity typing"), ("+9%", None, "tool use"), ("+2%", None, "table lookup")],
    ),
    (
        "a bracket that names its own benchmark is no list of tasks",
        "It lifts reasoning skills (+7.0 on MATH and +1.4 on SciQ).",
        [("+7.0", None, "MATH"), ("+1.4", None, "SciQ")],
    ),
    (
        "the system a compared value belongs to is not its dataset",
        "We reach a C4 perplexity of 11.2 (1.3 lower vs 12.5 in QuantX).",
        [
            ("11.2", "C4 perplexity", "C4"),
            ("1.3", "C4 perplexity", "C4"),
            ("12.5", "C4 perplexity", "C4"),
        ],
    ),
    (
        "a listed acronym written in another case is still the metric",
        "Lexical cues help most (nDCG 61.2% vs. 55.0%).",
        [("61.2%", "nDCG", None), ("55.0%", "nDCG", None)],
    ),
    (
        "what a number of things counts is the things",
        "The number of proofs in the library grows from 110k to 6M.",
        [("110k", "proofs", None), ("6M", "proofs", None)],
    ),
    (
        "an aggregate word before the value is no metric of its own",
        "It reaches an average of 58.6 accuracy on FooQA.",
        [("58.6", "accuracy", "FooQA")],
    ),
    (
        "an idiom after a preposition names no dataset",
        "For example, in particular cases it reaches 80.1% accuracy on average.",
        [("80.1%", "accuracy", None)],
    ),
    (
        "a model after 'on' is what is tuned, not what it is measured on",
        "It cuts latency by 30% on Llama-2-7B.",
        [("30%", "latency", None)],
    ),
    (
        "a phrase that ends in a unit is a measure, not a dataset",
        "It saves 12% in pre-training FLOPs.",
        [("12%", "pre-training FLOPs", None)],
    ),
    (
        "an amount glued to its noun by a hyphen counts the plural",
        "We release a 3.5B-token corpus of lecture notes.",
        [("3.5B", "tokens", None)],
    ),
    (
        "a metric written against the number beats one named clauses before",
        "Trained on ZetaText, it first matches the accuracy of older systems and then "
        "later sets the state of the art of 33.1 BLEU in one day.",
        [("33.1", "BLEU", "ZetaText")],
    ),
    (
        "'respectively' before the values pairs them with the names listed before",
        "Across the two popular FooText Spanish-Italian and BarText Dutch-Polish suites, our "
        "systems respectively reach 31.4 and 27.9 BLEU.",
        [
            ("31.4", "BLEU", "FooText Spanish-Italian"),
            ("27.9", "BLEU", "BarText Dutch-Polish"),
        ],
    ),
    (
        "a list of values without 'respectively' shares the one place named",
        "Zeta and Beta reach 71.2% and 64.0% on FooQA.",
        [("71.2%", None, "FooQA"), ("64.0%", None, "FooQA")],
    ),
    (
        "a range takes the metric written after its end",
        "Our sampler cuts the error on QuuxText from 0.97 to 0.91 bits/char "
        "and on ZorbText from 19.5 to 17.2 perplexity points.",
        [
            ("0.97", "bits/char", "QuuxText"),
            ("0.91", "bits/char", "QuuxText"),
            ("19.5", "perplexity", "ZorbText"),
            ("17.2", "perplexity", "ZorbText"),
        ],
    ),
    (
        "language pair right after the benchmark",
        "On WMT'14 English-German our model reaches 29.1 BLEU.",
        [("29.1", "BLEU", "WMT'14 English-German")],
    ),
    (
        "the paper's own method is never what a result is measured on",
        "We propose KFN, a fusion network. On KFN, the mean IoU of FooSeg reaches 80.3%.",
        [("80.3%", "mean IoU", None)],
    ),
    (
        "the one benchmark an abstract names, sentences before the result",
        "We evaluate recurrent models on the One Billion Word corpus. Our largest model lowers "
        "perplexity from 45.2 to 27.9 while using fewer parameters.",
        [("45.2", "perplexity", "One Billion Word"), ("27.9", "perplexity", "One Billion Word")],
    ),
    (
        "two benchmarks named before: which one is not said",
        "We study parsers on the Penn Treebank and on CoNLL-2003. Our best one reaches 95.1 F1.",
        [("95.1", "F1", None)],
    ),
    (
        "a benchmark named only after the result is not the abstract's so far",
        "Our best parser reaches 95.1 F1. We release code for the Penn Treebank.",
        [("95.1", "F1", None)],
    ),
]


# Cases the fitted linking models get wrong today; strict, so that a refit that mends one says so.
KNOWN_MISSES = {
    "unknown dataset named among adjectives and a description": "the phrase loses to 'none'",
    "a known benchmark with its edition; the year is no quantity": "the split after the name",
    "a function word after a measure is not what it measures": "a metric after the clause",
    "language pair before the benchmark": "the edition is dropped with the pair",
}


def _cases(cases: list[Case]) -> list[Any]:
    return [
        pytest.param(
            *case[1:],
            id=case[0],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[case[0]])]
            if case[0] in KNOWN_MISSES
            else [],
        )
        for case in cases
    ]


@pytest.mark.parametrize(("text", "expected"), _cases(CASES))
def test_linking_names_metric_and_dataset(text: str, expected: list[Linked]) -> None:
    assert [(c.span, c.metric, c.dataset) for c in extract(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "We obtain 88.1 F1 on WidgetNER and 90.3 F1 on CoNLL-2003.",
        "We reach 77.0% on GizmoQA and 81.5% on SQuAD.",
    ],
)
def test_linking_a_values_place_is_no_subject(text: str) -> None:
    claims = extract(text)
    assert len(claims) == 2
    assert all(c.dataset for c in claims)
    assert not {c.subject for c in claims} & {c.dataset for c in claims}


def test_linking_a_range_takes_the_place_of_its_end() -> None:
    text = "Zeta lowers perplexity from 1.2 to 1.1 on FooWeb, and from 14.2 to 12.9 on BarText."
    claims = extract(text)
    assert [(c.span, c.dataset) for c in claims] == [
        ("1.2", "FooWeb"),
        ("1.1", "FooWeb"),
        ("14.2", "BarText"),
        ("12.9", "BarText"),
    ]


def test_linking_one_name_is_never_both_subject_and_dataset() -> None:
    claims = extract("Zorro gains +3.1 on FooEval and +2.2 on BarQA.")
    assert [c.dataset for c in claims] == ["FooEval", "BarQA"]
    assert all(c.subject != c.dataset for c in claims)


def test_linking_a_language_pair_is_not_the_subject() -> None:
    (claim,) = extract("On WMT'14 English-German our model reaches 29.1 BLEU.")
    assert claim.subject == "our model"


def test_linking_hardware_names_are_no_candidates() -> None:
    doc = run_steps("ZetaNet trains in 4 minutes on 64 NVIDIA A100 GPUs.", until=BEFORE_LINKING)
    ctx = context(doc)
    names = {
        c.text for by_field in ctx.by_sentence.values() for cs in by_field.values() for c in cs
    }
    assert "ZetaNet" in names
    assert not names & {"NVIDIA", "A100", "NVIDIA A100"}  # what it ran on names no one


@pytest.mark.parametrize(
    "text",
    [
        "Scaling efficiency stays at 91% on 1,024 GPUs.",
        "The TPUs sustain 57% of peak throughput.",
        "On FooQA, our accelerators reach 2.1x the speed of prior chips.",
    ],
)
def test_linking_hardware_is_never_a_subject(text: str) -> None:
    doc = run_steps(text, until=BEFORE_LINKING)
    subjects = {
        c.text for by_field in context(doc).by_sentence.values() for c in by_field["subject"]
    }
    assert not subjects & {"GPUs", "TPUs", "accelerators", "our accelerators", "chips"}


# A model the method runs on ("on the Foo-7B model", "upon a Bar backbone") is where a result
# was measured, not whose it is; the same model written as the actor stays a candidate.
@pytest.mark.parametrize(
    ("text", "name", "candidate"),
    [
        ("We present Lumo. It gains 2.1% on the Quill-7B model.", "Quill-7B model", False),
        ("We present Lumo. Upon a Quill backbone, it gains 2.1%.", "Quill", False),
        ("We present Lumo. Applied on Quill-7B, it gains 2.1%.", "Quill-7B", False),
        ("We present Lumo. On top of Quill-7B, it gains 2.1%.", "Quill-7B", False),
        ("We present Lumo. Built atop Quill-7B, it gains 2.1%.", "Quill-7B", False),
        ("We present Lumo. Quill-7B gains 2.1% with it.", "Quill-7B", True),
        ("We present Lumo. It beats Quill-7B by 2.1%.", "Quill-7B", True),
    ],
)
def test_linking_a_model_run_on_is_no_subject(text: str, name: str, candidate: bool) -> None:
    doc = run_steps(text, until=BEFORE_LINKING)
    ctx = context(doc)
    (draft,) = doc.drafts
    assert (name in {c.text for c in candidates(ctx, draft, "subject")}) is candidate


# What a candidate's own features say of where it is written (``linking.features``).
@pytest.mark.parametrize(
    ("text", "name", "feature", "present"),
    [
        ("Mistral reaches 41% accuracy on FooQA.", "Mistral", "hardware", False),
        ("It beats the strong Mistral by 4%.", "Mistral", "compared_near", True),
        ("It beats Mistral by 4%.", "Mistral", "compared_near", False),  # that is prev=
        ("Mistral beats it by 4%.", "Mistral", "compared_near", False),
    ],
)
def test_linking_candidate_features(text: str, name: str, feature: str, present: bool) -> None:
    doc = run_steps(text, until=BEFORE_LINKING)
    ctx = context(doc)
    found = {
        c.text: candidate_features(ctx, c)
        for by_field in ctx.by_sentence.values()
        for cs in by_field.values()
        for c in cs
    }
    assert (feature in found[name]) is present


@pytest.mark.parametrize(
    ("text", "number", "picked"),
    [
        ("Zeta reaches 64.5 F1 on FooQA.", "64.5", "FooQA"),
        ("On FooQA, Zeta reaches 64.5 F1.", "64.5", "FooQA"),
        # a place after the number that another number stands nearer to is that number's
        ("On FooQA, Zeta reaches 64.5 F1, and 70.2 F1 on BarQA.", "64.5", "FooQA"),
        ("On FooQA, Zeta reaches 64.5 F1, and 70.2 F1 on BarQA.", "70.2", "BarQA"),
    ],
)
def test_linking_structure_picks_the_place_of_a_result(text: str, number: str, picked: str) -> None:
    doc = run_steps(text, until=BEFORE_LINKING)
    (d,) = [d for d in doc.drafts if text[d.start : d.end] == number]
    scored = scored_candidates(context(doc), d, "dataset")
    assert [c.text for c, f in scored if PICKED in f] == [picked]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("We release QuuxBench, a new benchmark of 9,000 questions.", "QuuxBench"),
        ("We build OrbitQA, an open-domain dataset with 3,100 questions.", "OrbitQA"),
    ],
)
def test_linking_a_name_described_as_a_collection_names_data(text: str, name: str) -> None:
    mentions = phrase_mentions(text, 0, len(text))
    assert any(text[m.start : m.end] == name and m.type == "dataset" for m in mentions)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("We report on the test split of QuuxQA. It scores 55.0 EM.", ["QuuxQA"]),
        ("On two benchmarks (QuuxSum and BarSum), it gains 1.1 and 0.9.", ["QuuxSum", "BarSum"]),
    ],
)
def test_linking_names_presented_as_data_are_no_methods(text: str, names: list[str]) -> None:
    doc = run_steps(text, until=BEFORE_LINKING)
    for name in names:
        typed = {m.type for m in doc.mentions if text[m.start : m.end] == name}
        assert typed, name
        assert typed <= {"dataset", "task"}, name


def test_linking_a_bracketed_list_of_benchmarks_pairs_respectively() -> None:
    text = (
        "On three benchmarks (QuuxSum, BarSum and BazSum), Zeta improves ROUGE-L by 1.1, 0.9 "
        "and 1.4 points respectively."
    )
    assert [c.dataset for c in extract(text)] == ["QuuxSum", "BarSum", "BazSum"]


def test_linking_the_split_of_a_benchmark_gives_the_later_results_their_dataset() -> None:
    text = "We report on the test split of QuuxQA. Zeta scores 55.0 EM, while Beta scores 49.7 EM."
    claims = extract(text)
    assert [(c.span, c.dataset, c.subject) for c in claims] == [
        ("55.0", "QuuxQA", None),
        ("49.7", "QuuxQA", None),
    ]


def test_linking_a_split_named_beside_a_benchmark_leaves_the_benchmark_the_place() -> None:
    text = "With prompts sampled from a private training set, Zeta scores 61.2 F1 on QuuxQA."
    assert [c.dataset for c in extract(text)] == ["QuuxQA"]


@pytest.mark.parametrize(
    ("text", "dataset"),
    [
        ("We also release a new 3 billion pair dataset QuuxPairs-3B for this.", "QuuxPairs-3B"),
        # the collection that holds the count is its dataset, and so not also its subject
        ("We share a unified dataset Q7D which contains over two million scans.", "Q7D"),
    ],
)
def test_linking_a_count_of_a_named_collection_is_on_it(text: str, dataset: str) -> None:
    (claim,) = extract(text)
    assert (claim.kind, claim.dataset, claim.subject) == ("count", dataset, None)


def test_linking_a_benchmark_introduced_as_one_is_referred_back_to() -> None:
    text = (
        "We release QuuxBench, a benchmark of 9,000 questions. On this benchmark, Zeta scores 41%."
    )
    (claim,) = [c for c in extract(text) if c.span == "41%"]
    assert claim.dataset == "QuuxBench"


@pytest.mark.parametrize(
    ("text", "phrase", "found"),
    [
        ("It keeps an error rate of 3.1% on FooQA.", "error rate", True),
        ("Zeta moves the state of the art of 33.1 BLEU up.", "art", False),
        ("Zeta moves the state-of-the-art of 33.1 BLEU up.", "art", False),
        ("Our strategies lift recall by 3%.", "Our strategies", True),  # a plural in -ies
        ("It wins by reaching one-pass F-scores of 71.3.", "one-pass F-scores", True),
        ("It wins by reaching one-pass F-scores of 71.3.", "reaching one-pass F-scores", False),
        ("It keeps an F1 score of 88.5.", "F1 score", True),
        ("The proposed approaches lift recall by 3%.", "The proposed approaches", True),
        # a place ends at its collection's head, whatever the sentence says next
        ("Accuracy on qux8k dataset fell sharply from 28.8% to 2%.", "qux8k dataset", True),
        (
            "Accuracy on qux8k dataset fell sharply from 28.8% to 2%.",
            "qux8k dataset fell sharply",
            False,
        ),
        ("It matches best-of-16 sampling at 1/8 of the compute.", "1/8", False),  # a fraction
        # a bound is no place: "at least", like "at most"
        ("Errors show up in at least 31.5% of the replies.", "least", False),
        ("Errors show up in at most 31.5% of the replies.", "most", False),
        # a split of data named elsewhere is no place; a named one is
        ("Trained on a private training set, Zeta scores 61.2 F1.", "private training set", False),
        ("It keeps 72.5 F1 on a held-out validation split.", "held-out validation split", False),
        ("It keeps 72.5 F1 on the QuuxQA test set.", "QuuxQA test set", True),
    ],
)
def test_linking_phrases_before_a_value(text: str, phrase: str, found: bool) -> None:
    mentions = phrase_mentions(text, 0, len(text))
    assert any(text[m.start : m.end] == phrase for m in mentions) is found


def test_linking_a_change_of_a_model_measures_the_metric_named_before_it() -> None:
    text = "Our recipe raises the answer accuracy of the BarLM-7B model from 52.0% to 58.5%."
    doc = run_steps(text, until=BEFORE_LINKING + 1)  # through the scored pass
    misread = tuple(msgspec.structs.replace(d, metric="budget") for d in doc.drafts)
    changed = change_from_a_model(msgspec.structs.replace(doc, drafts=misread))
    assert [(text[d.start : d.end], d.subject, d.metric) for d in changed.drafts] == [
        ("52.0%", "BarLM-7B", "accuracy"),
        ("58.5%", misread[1].subject, "accuracy"),
    ]
