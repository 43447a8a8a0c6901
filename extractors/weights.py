"""Fitted linear models that choose among candidates.

They choose which mention is a claim's metric, dataset or subject, and which name is the paper's
own method.

Each model is a conditional logit over binary feature strings, fitted by
``python -m training.linking`` on dev-gold and written to ``models/linking.json``; nothing here
is set by hand. A candidate scores the sum of its features' weights; choosing no candidate
scores the weights of its own features (``NONE`` and what the caller adds, such as the claim's
kind) plus a fitted ``none_offset``. The best-scoring choice wins.
"""

from __future__ import annotations

import functools
import itertools
from importlib import resources
from typing import TYPE_CHECKING, TypeVar

import msgspec

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

T = TypeVar("T")

NONE = "none"  # the feature every "no candidate" choice has
ZEROS = itertools.repeat(0.0)  # the weight of a feature no model has


class LinearModel(msgspec.Struct, frozen=True, kw_only=True):
    """One fitted model: a weight per feature, and the offset that choosing none must beat."""

    weights: dict[str, float] = {}
    none_offset: float = 0.0

    def score(self, features: Iterable[str]) -> float:
        """The sum of the weights of ``features``; a feature the model lacks weighs nothing."""
        return sum(map(self.weights.get, features, ZEROS))

    def best(
        self, candidates: Sequence[tuple[T, Sequence[str]]], none: Sequence[str] = (NONE,)
    ) -> tuple[T, float] | None:
        """The best candidate and its margin over choosing none, if it beats none."""
        ranked = self.ranked(candidates, none)
        return ranked[0] if ranked else None

    def log_odds(
        self, candidates: Sequence[Sequence[str]], none: Sequence[str] = (NONE,)
    ) -> list[float]:
        """Each candidate's fitted score over choosing none (no offset): its log-odds against none.

        The candidate is chosen where it exceeds ``none_offset``.
        """
        none_score = self.score(none)
        return [self.score(f) - none_score for f in candidates]

    def ranked(
        self, candidates: Sequence[tuple[T, Sequence[str]]], none: Sequence[str] = (NONE,)
    ) -> list[tuple[T, float]]:
        """The candidates that beat choosing none with their margins, best first.

        Of tied candidates, the first given comes first.
        """
        bar = self.score(none) + self.none_offset
        scored = [(c, self.score(features) - bar) for c, features in candidates]
        order = sorted(range(len(scored)), key=lambda i: -scored[i][1])
        return [scored[i] for i in order if scored[i][1] > 0]


class Weights(msgspec.Struct, frozen=True, kw_only=True):
    """Every fitted model, with what it was fitted on (for the record, not used)."""

    models: dict[str, LinearModel]
    fitted_on: str = ""

    def model(self, name: str) -> LinearModel:
        """The model ``name``, or an empty one (which always chooses none) if it was not fitted."""
        return self.models.get(name) or LinearModel()


_DECODER = msgspec.json.Decoder(Weights)
_ENCODER = msgspec.json.Encoder(order="sorted")


def decode(data: bytes) -> Weights:
    """The weights held in the bytes of a models file."""
    return _DECODER.decode(data)


def encode(weights: Weights) -> bytes:
    """The bytes of a models file: JSON, keys sorted, indented, with a final newline."""
    return msgspec.json.format(_ENCODER.encode(weights), indent=1) + b"\n"


def load(path: Path) -> Weights:
    """The weights in the models file at ``path``."""
    return decode(path.read_bytes())


@functools.cache
def default() -> Weights:
    """The committed weights, read once per process."""
    data = resources.files("claimex.extractors").joinpath("models", "linking.json").read_bytes()
    return decode(data)
