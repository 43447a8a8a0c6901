"""workers/keys.py: one prefix, and index values normalised in one place."""

from __future__ import annotations

import pytest

from workers import keys


@pytest.mark.parametrize(
    "key",
    [
        keys.abstract("0123456789abcdef"),
        keys.claims("0123456789abcdef"),
        keys.pending("0123456789abcdef"),
        keys.error("0123456789abcdef"),
        keys.job("f" * 32),
        keys.all_claims(),
        keys.claim_index("metric", "accuracy"),
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
def test_keys_claim_index_normalises_values(a: str, b: str) -> None:
    assert keys.claim_index("dataset", a) == keys.claim_index("dataset", b)


def test_keys_claim_index_keeps_distinct_values_apart() -> None:
    assert keys.claim_index("dataset", "CIFAR-10") != keys.claim_index("dataset", "CIFAR-100")
