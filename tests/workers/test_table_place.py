"""workers/tables.place: which claims key a comparison table, and which stay on their abstract."""

from __future__ import annotations

import pytest

from claimex.workers.tables import place
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
