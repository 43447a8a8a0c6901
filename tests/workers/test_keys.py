"""workers/keys.py: one prefix, and index values normalised in one place."""

from __future__ import annotations

import pytest

from claimex.workers import keys


@pytest.mark.parametrize(
    "key",
    [
        keys.abstract("0123456789abcdef"),
        keys.claims("0123456789abcdef"),
        keys.pending("0123456789abcdef"),
        keys.error("0123456789abcdef"),
        keys.job("f" * 32),
        keys.claim_index(keys.ALL_CLAIMS),
        keys.claim_index(keys.index_name("metric", "accuracy")),
        keys.postings("0123456789abcdef"),
        keys.index_sizes(),
        keys.table_rows("0123456789abcdef"),
        keys.table_claims(),
        keys.table_places("0123456789abcdef"),
        keys.aliases(),
        keys.aliases_by_long(),
    ],
)
def test_keys_share_the_prefix(key: str) -> None:
    assert key.startswith("claimex:")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("ImageNet", "imagenet", id="case"),
        pytest.param("Top-1  Accuracy", "top-1 accuracy", id="inner-whitespace"),
        pytest.param(" BLEU ", "bleu", id="outer-whitespace"),
        pytest.param("STRASSE", "straße", id="casefold-not-lower"),
    ],
)
def test_keys_index_name_normalises_values(a: str, b: str) -> None:
    assert keys.index_name("dataset", a) == keys.index_name("dataset", b)


def test_keys_index_name_keeps_distinct_values_apart() -> None:
    assert keys.index_name("dataset", "CIFAR-10") != keys.index_name("dataset", "CIFAR-100")
