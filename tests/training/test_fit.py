"""training/fit.py: the objectives that choose a model's "none" offset, and a fit on toy data."""

from __future__ import annotations

import pytest

from training.fit import Decision, Group, decision_accuracy, decision_f1, fit_model

# (margin over none, the best candidate is right, the gold sets the field)
DECISIONS: list[Decision] = [
    (2.0, True, True),  # sure and right
    (0.5, False, True),  # unsure and wrong
    (0.2, True, True),  # unsure and right
    (-0.5, False, False),  # below none, and the gold leaves the field empty
]


@pytest.mark.parametrize(
    ("offset", "f1", "accuracy"),
    [
        (-1.0, 2 * 2 / (4 + 3), 2 / 3),  # everything filled
        (0.0, 2 * 2 / (3 + 3), 2 / 3),  # the three that beat none
        (0.3, 2 * 1 / (2 + 3), 1 / 3),  # the sure ones
        (3.0, 0.0, 0.0),  # nothing filled
    ],
)
def test_objectives_count_fills_differently(offset: float, f1: float, accuracy: float) -> None:
    assert decision_f1(DECISIONS, offset) == pytest.approx(f1)
    assert decision_accuracy(DECISIONS, offset) == pytest.approx(accuracy)


def _groups() -> list[Group]:
    """Forty toy decisions: the candidate after "on" is right in most, a third have no gold.

    The features are the same in every decision.
    """
    groups = []
    for i in range(40):
        has_gold = i % 3 != 0
        right = has_gold and i % 5 != 1
        groups.append(
            Group(
                doc=f"doc{i % 10}",
                features=(("after_on",), ("before_number",)),
                labels=(right, False),
                has_gold=has_gold,
            )
        )
    return groups


def test_a_fitted_model_prefers_the_feature_of_right_candidates() -> None:
    model = fit_model(_groups())
    assert model.weights.get("after_on", 0.0) > model.weights.get("before_number", 0.0)


def test_accuracy_fills_at_least_as_readily_as_f1() -> None:
    """Accuracy never pays for a fill the gold leaves empty, so its offset is never higher."""
    by_f1 = fit_model(_groups(), decision_f1)
    by_accuracy = fit_model(_groups(), decision_accuracy)
    assert by_accuracy.none_offset <= by_f1.none_offset
    best = by_accuracy.best([("after_on", ("after_on",))])
    assert best is not None
    assert best[0] == "after_on"
