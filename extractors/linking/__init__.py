"""Linking: each quantity's metric, dataset, subject, baseline and setting.

That is, what each quantity measures (metric), on what (dataset), for whom (subject), against
what (baseline), and in which setting.

Linking never reads names off the text itself: the mentions step found them. It runs the named
passes of ``passes`` in order: first the scored choice of metric, dataset and subject among each
claim's candidate mentions (fitted models, ``assign.py``), then rules of sentence structure
that no per-claim score can see — ranges and lists that share or pair names, values written
against a baseline — and the baseline and setting cues.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from claimex.extractors.draft import Doc
from claimex.extractors.linking.assign import assign_fields
from claimex.extractors.linking.baseline import assign_baselines, language_pairs
from claimex.extractors.linking.beside import (
    change_from_a_model,
    said_of_a_model,
    versus,
    written_under,
)
from claimex.extractors.linking.context import (
    abstract_dataset,
    referred_datasets,
    sentence_datasets,
)
from claimex.extractors.linking.counts import collection_counts, sized_models
from claimex.extractors.linking.lists import pair_unit_lists, pair_with_earlier, share_in_groups
from claimex.extractors.linking.slots import placed_datasets

if TYPE_CHECKING:
    from claimex.extractors.weights import Weights

Pass = Callable[[Doc], Doc]


def passes(weights: Weights) -> tuple[Pass, ...]:
    """The linking passes in the order they run, first the scored choice by ``weights``."""

    def scored(doc: Doc) -> Doc:
        return assign_fields(doc, weights)

    return (
        scored,  # assign.py: metric, dataset, subject by the fitted models
        written_under,  # beside.py: "CIFAR-100 (90.4%)", "Sleep-EDF: 84.0%"
        collection_counts,  # counts.py: "OrbitQA, a new benchmark of 12,000 questions"
        sized_models,  # counts.py: "the 70B Chinchilla", "Llama-3 (8B)"
        assign_baselines,  # baseline.py: comparison cues, settings lexicon
        change_from_a_model,  # beside.py: "the F1 of Orca-2 from 61.0 to 66.5"
        said_of_a_model,  # beside.py: "BetaNet (trained with 30x more data)"
        versus,  # beside.py: the value after "vs." is the baseline's
        share_in_groups,  # lists.py: ranges and lists share or pair their names
        pair_unit_lists,  # lists.py: "1.19 bpc and 1.08 bpc … respectively"
        pair_with_earlier,  # lists.py: respectively lists paired with earlier values
        placed_datasets,  # slots.py: "3.1 on FooEval and 2.2 on BarQA"
        referred_datasets,  # context.py: "On this benchmark, …" after a sentence naming one
        sentence_datasets,  # context.py: a sentence that names one dataset for its results
        abstract_dataset,  # context.py: the one benchmark an abstract names so far
        language_pairs,  # baseline.py: "WMT'14 English-German"
    )


def link(doc: Doc, weights: Weights) -> Doc:
    """The claims of ``doc`` linked: each of ``passes(weights)`` run on it in turn."""
    for step in passes(weights):
        doc = step(doc)
    return doc
