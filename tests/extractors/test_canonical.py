"""extractors/canonical.py: which names merge into one table, and which way a metric ranks."""

from __future__ import annotations

import pytest

from claimex.extractors import canonical


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("ImageNet-1K", "ImageNet-1k", id="case"),
        pytest.param("ImageNet 1k", "imagenet-1k", id="spacing-punctuation"),
        pytest.param("PTB", "Penn Treebank", id="alias"),
        pytest.param("En-De", "English-German", id="language-pair"),
        pytest.param("WMT14 En-De", "WMT'14 English-German", id="alias-with-year"),
        pytest.param("GSM-8K", "GSM8K", id="hyphen"),
        pytest.param("THUMOS'14", "THUMOS 2014", id="apostrophe-year"),
        pytest.param("WMT’16 German-English", "WMT 2016 German-English", id="year-and-pair"),
        pytest.param("Hub5'00", "Hub5 2000", id="year-2000"),
        pytest.param("fr-en WMT 2015", "WMT 2015 French-English", id="pair-first-codes"),
        pytest.param("WMT15 French→English", "WMT15 fr-en", id="pair-arrow-vs-codes"),
        pytest.param("COCO test-dev", "COCO", id="split-test-dev"),
        pytest.param("SQuAD v1.1 dev set", "SQuAD 1.1", id="split-dev-set"),
        pytest.param("CelebA (val)", "CelebA", id="split-in-brackets"),
        pytest.param("the GLUE benchmark", "GLUE", id="article-and-collection-head"),
        pytest.param("Foo Speech Corpus", "Foo Speech", id="collection-head"),
        pytest.param("QuuxSet test-dev detection", "QuuxSet", id="split-before-task-words"),
    ],
)
def test_canonical_datasets_merge(a: str, b: str) -> None:
    assert canonical.dataset_key(a) == canonical.dataset_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("top-1", "Top-1 Accuracy", id="alias-and-case"),
        pytest.param("PPL", "perplexity", id="acronym"),
        pytest.param("F1 score", "F1", id="score-suffix"),
        pytest.param("word error rate", "WER", id="spelled-out"),
        pytest.param("F-scores", "F1", id="plural-of-alias"),
        pytest.param("WERs", "word error rate", id="plural-acronym"),
        pytest.param("mean IoU", "mIoU", id="mean-spelled-out"),
        pytest.param("perplexities", "perplexity", id="irregular-plural"),
        pytest.param("top-5 accuracies", "top-5 accuracy", id="plural-of-last-word"),
        pytest.param("IoUs", "IoU", id="plural-of-mixed-case-acronym"),
        pytest.param("reconstruction losses", "reconstruction loss", id="plural-sses"),
        pytest.param("hit rates", "hit rate", id="plural-s"),
        pytest.param("AP", "mAP", id="coco-ap-is-map"),
        pytest.param("box AP", "AP", id="a-detectors-ap-is-its-box-ap"),
        pytest.param("bbox AP", "mAP", id="bbox-ap"),
        pytest.param("perplexity points", "perplexity", id="in-its-own-points"),
        pytest.param("BLEU pts.", "BLEU", id="points-abbreviated"),
        pytest.param("test F-scores", "F1", id="protocol-word"),
        pytest.param("single-model single-scale AP", "mAP", id="protocol-words"),
        pytest.param("Overall accuracy", "accuracy", id="protocol-word-capital"),
    ],
)
def test_canonical_metrics_merge(a: str, b: str) -> None:
    assert canonical.metric_key(a) == canonical.metric_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("ImageNet", "ImageNet-1k", id="family-vs-member"),
        pytest.param("CIFAR-10", "CIFAR-100", id="digits-count"),
        pytest.param("WMT 2015 French-English", "WMT 2015 English-French", id="pair-direction"),
        pytest.param("accuracy", "top-5 accuracy", id="metric-variant"),
    ],
)
def test_canonical_different_names_stay_apart(a: str, b: str) -> None:
    assert canonical.fold(a) != canonical.fold(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("zero-shot accuracy", "accuracy", id="a-setting-is-no-protocol-word"),
        pytest.param("test", "validation", id="nothing-left-after-the-words"),
        pytest.param("mask AP", "box AP", id="what-is-measured-stays"),
        pytest.param("mask AP", "AP", id="mask-ap-is-not-the-default-ap"),
    ],
)
def test_canonical_metrics_stay_apart(a: str, b: str) -> None:
    assert canonical.metric_key(a) != canonical.metric_key(b)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("accuracies", "accuracy"),
        ("losses", "loss"),
        ("rates", "rate"),
        ("loss", "loss"),
        ("bonus", "bonus"),
        ("analysis", "analysis"),
        ("ms", "ms"),
        ("fps", "fps"),
        ("recall", "recall"),
    ],
)
def test_canonical_singular(word: str, expected: str) -> None:
    assert canonical.singular(word) == expected


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("COCO test-dev", "test-dev"),
        ("SQuAD dev set", "dev"),
        ("ImageNet (val)", "val"),
        ("ImageNet", None),
        ("the test set", None),  # nothing but a split: no dataset to qualify
        ("DevBench", None),
    ],
)
def test_canonical_dataset_qualifier(name: str, split: str | None) -> None:
    assert canonical.dataset_qualifier(name) == split


@pytest.mark.parametrize(
    ("name", "sentence", "split"),
    [
        ("COCO", "It reaches 51.0 AP on COCO test-dev.", "test-dev"),
        ("MNLI", "On MNLI dev, accuracy rises to 90.1%.", "dev"),
        ("CelebA", "FID on CelebA (val) falls to 4.2.", "val"),
        ("COCO", "It reaches 51.0 AP on COCO test images.", None),  # "test" describes images
        ("COCO", "It reaches 51.0 AP on COCO.", None),
        ("COCO", "A sentence that names no dataset.", None),
    ],
)
def test_canonical_split_written_after_the_name(
    name: str, sentence: str, split: str | None
) -> None:
    assert canonical.dataset_qualifier(name, sentence) == split


@pytest.mark.parametrize(
    ("metric", "better", "percent"),
    [
        pytest.param("accuracy", "higher", True, id="accuracy"),
        pytest.param("average accuracy", "higher", True, id="head-word"),
        pytest.param("top-1 error", "lower", True, id="error"),
        pytest.param("BLEU score", "higher", False, id="bleu"),
        pytest.param("perplexity score", "lower", False, id="longest-run-wins"),
        pytest.param("task completion rates", "higher", True, id="plural"),
        pytest.param("FID", "lower", False, id="fid"),
        pytest.param("latency", "lower", False, id="latency"),
        pytest.param("backward transfer", None, False, id="unknown"),
        pytest.param("", None, False, id="empty"),
    ],
)
def test_canonical_metric_facts(metric: str, better: str | None, percent: bool) -> None:
    facts = canonical.metric_facts(metric)
    assert (facts.better, facts.percent) == (better, percent)


def test_canonical_table_id_is_stable_hex() -> None:
    first = canonical.table_id("imagenet1k", "top1accuracy")
    assert first == canonical.table_id("imagenet1k", "top1accuracy")
    assert len(first) == 16
    assert int(first, 16) >= 0
