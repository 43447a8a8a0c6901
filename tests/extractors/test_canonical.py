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
        pytest.param("AP", "mAP", id="coco-ap-is-map"),
    ],
)
def test_canonical_metrics_merge(a: str, b: str) -> None:
    assert canonical.metric_key(a) == canonical.metric_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("ImageNet", "ImageNet-1k", id="family-vs-member"),
        pytest.param("CIFAR-10", "CIFAR-100", id="digits-count"),
        pytest.param("accuracy", "top-5 accuracy", id="metric-variant"),
    ],
)
def test_canonical_different_names_stay_apart(a: str, b: str) -> None:
    assert canonical.fold(a) != canonical.fold(b)


def test_canonical_metric_plural_is_only_taken_off_known_metrics() -> None:
    assert canonical.metric_key("losses") == "losses"  # "losse" is no metric
    assert canonical.metric_key("BLEUs") == canonical.metric_key("BLEU")


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
