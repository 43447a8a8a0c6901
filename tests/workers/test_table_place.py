"""workers/placement.py: which claims key a comparison table, which stay on their abstract."""

from __future__ import annotations

import pytest

from claimex.workers.placement import abbreviations, place, placed
from tests.workers.claims_factory import make_claim

TEXT = "It reaches 71.2% on the set."


@pytest.mark.parametrize(
    ("dataset", "metric", "tabled"),
    [
        ("ImageNet", "top-1 accuracy", True),
        ("entity typing", "F1", True),
        ("FooBench", "accuracy", True),
        ("Llama-2-7B", "accuracy", False),  # a model, not what it is measured on
        ("1B", "accuracy", False),  # an amount
        ("FLOPs", "speedup", False),  # a unit
        ("BLEU", "accuracy", False),  # a metric
        ("8 H100 GPUs", "throughput", False),  # hardware
        ("example", "accuracy", False),  # "for example"
        ("same amount", "accuracy", False),  # lower-case words that name no task
        ("optimizer states", "memory", False),
        ("sentiment analysis", "accuracy", True),  # a task, by the head's ending
        ("code search", "MRR", True),
        ("summarization tasks", "ROUGE-L", True),  # a collection word after the head
        ("ImageNet", "ms", False),  # a unit is no metric of a table
        ("ImageNet", None, False),
        (None, "accuracy", False),
    ],
)
def test_only_a_real_dataset_and_metric_key_a_table(
    dataset: str | None, metric: str | None, tabled: bool
) -> None:
    claim = make_claim(TEXT, "71.2%", dataset=dataset, metric=metric)
    assert (place(claim) is not None) is tabled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We test on the Quux Reading Test (QRT) and more.", {"qrt": "Quux Reading Test"}),
        ("Word error rate (WER) falls.", {"wer": "Word error rate"}),
        ("We use GPT (GPT) here.", {}),  # a word is not its own definition
        ("No brackets at all.", {}),
    ],
)
def test_abbreviations_the_abstract_defines(text: str, expected: dict[str, str]) -> None:
    assert abbreviations(text) == expected


def test_a_defined_abbreviation_goes_to_the_long_forms_table() -> None:
    claim = make_claim(TEXT, "71.2%", dataset="QRT", metric="accuracy")
    long_form = make_claim(TEXT, "71.2%", dataset="Quux Reading Test", metric="accuracy")
    defined = {"qrt": "Quux Reading Test"}
    assert place(claim, defined) == place(long_form)
    assert place(claim) != place(long_form)


def test_a_name_the_lexicons_know_keeps_its_table_whatever_the_abstract_spells_out() -> None:
    text = "We report average precision (AP). FooDet reaches 41.2 AP on COCO."
    written = make_claim(text, "41.2", dataset="COCO", metric="AP")
    other_paper = make_claim(text, "41.2", dataset="COCO", metric="mAP")
    assert place(written, {"ap": "average precision"}) == place(other_paper)


def test_a_name_the_abstract_measures_keys_no_table() -> None:
    text = "FooNet reaches 41.2 AP on BarDet, where it beats QuuxNet."
    measured = make_claim(text, "41.2", dataset="BarDet", metric="AP", subject="FooNet")
    misread = make_claim(text, "41.2", dataset="FooNet", metric="AP", subject=None)
    rows = [n for n, _, _ in placed([measured, misread], text)]
    assert rows == [0]


@pytest.mark.parametrize(
    ("dataset", "tabled"),
    [
        ("FooNet-1.3B", False),  # the measured FooNet at a size
        ("FooNet 7B", False),
        ("FooNetBench", True),  # a name that only starts like it
        ("BarDet-2B", True),  # sized, but of nothing the abstract measures
    ],
)
def test_a_measured_name_at_a_size_keys_no_table(dataset: str, tabled: bool) -> None:
    text = "FooNet reaches 41.2 AP on the set."
    measured = make_claim(text, "41.2", dataset="BarDet", metric="AP", subject="FooNet")
    other = make_claim(text, "41.2", dataset=dataset, metric="AP", subject=None)
    rows = [n for n, _, _ in placed([measured, other], text)]
    assert (1 in rows) is tabled


def test_the_family_of_a_measured_model_keys_no_table() -> None:
    text = "FooCoder-1.3B reaches 41.2 pass@1 on the set."
    measured = make_claim(text, "41.2", dataset="BarEval", metric="pass@1", subject="FooCoder-1.3B")
    family = make_claim(text, "41.2", dataset="FooCoder", metric="pass@1", subject=None)
    assert [n for n, _, _ in placed([measured, family], text)] == [0]


def test_a_metric_that_repeats_its_dataset_loses_it() -> None:
    repeated = make_claim(TEXT, "71.2%", dataset="FooImages", metric="FooImages top-1 accuracy")
    plain = make_claim(TEXT, "71.2%", dataset="FooImages", metric="top-1 accuracy")
    assert place(repeated) == place(plain)
