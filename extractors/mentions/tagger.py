"""Open-vocabulary mentions: a linear-chain CRF that labels tokens B-/I-<TYPE> or O.

The lexicons know a few hundred metric and dataset names; abstracts keep writing new ones
("attack success rate", "citation recommendation", a benchmark introduced last month). The
tagger reads them from context instead: it was trained on TDMSci (tasks, datasets, metrics in
NLP papers), SciREX abstract mentions and the names in our dev gold (``training.tagger``,
``extractors/models/README.md``), and ships as ``extractors/models/mentions.crfsuite``.
Nothing is downloaded: the model is package data, loaded once per process on first use.

A mention's confidence is the mean marginal probability of its tokens' labels, so a caller
can weigh a tagger mention against a lexicon one.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pycrfsuite

from claimex.extractors.mentions.mention import MENTION_TYPES, Mention, MentionType
from claimex.extractors.mentions.phrase_words import STOPS
from claimex.extractors.mentions.tagger_features import WordFeatures, features
from claimex.extractors.mentions.tokens import tokens

if TYPE_CHECKING:
    from collections.abc import Sequence

MODEL_NAME = "mentions.crfsuite"
_TYPES: dict[str, MentionType] = {t.upper(): t for t in MENTION_TYPES}


def default_model_path() -> Path:
    """The committed model, inside the installed package."""
    return Path(str(resources.files("claimex.extractors").joinpath("models", MODEL_NAME)))


def decode(labels: Sequence[str]) -> list[tuple[int, int, MentionType]]:
    """BIO labels to ``(first, last + 1, type)`` token ranges.

    Lenient like conlleval: an I- whose type differs from the open mention, or with none open,
    starts a mention; labels of unknown types are O.
    """
    out: list[tuple[int, int, MentionType]] = []
    open_at, open_type = -1, ""
    for i, label in enumerate([*labels, "O"]):
        prefix, _, name = label.partition("-")
        continues = prefix == "I" and name == open_type
        if open_type and not continues:
            out.append((open_at, i, _TYPES[open_type]))
            open_type = ""
        if prefix in ("B", "I") and name in _TYPES and not continues:
            open_at, open_type = i, name
    return out


class Tagger:
    """One CRFsuite model; ``tag`` finds the mentions in sentences of a text.

    Not thread-safe (CRFsuite keeps the current sequence in the tagger): one per process, or
    per thread.
    """

    def __init__(self, crf: pycrfsuite.Tagger, *, weighed_only: bool = True) -> None:
        self._crf = crf
        self._buffer: bytes | None = None
        # only the attributes the model has a weight for are handed to it: the same labels
        weighed = frozenset(a for a, _ in crf.info().state_features) if weighed_only else None
        self._words = WordFeatures(weighed)

    @classmethod
    def load(cls, path: Path | str, *, weighed_only: bool = True) -> Tagger:
        """A tagger over the model file at ``path`` (e.g. one just trained to a temp file).

        Without ``weighed_only`` it hands the model every feature, weighed or not.
        """
        crf = pycrfsuite.Tagger()
        crf.open(str(path))
        return cls(crf, weighed_only=weighed_only)

    @classmethod
    def from_bytes(cls, model: bytes) -> Tagger:
        """A tagger over a model held in memory (the bytes of a model file)."""
        crf = pycrfsuite.Tagger()
        crf.open_inmemory(model)
        tagger = cls(crf)
        tagger._buffer = model  # CRFsuite reads the buffer in place and does not copy it
        return tagger

    @staticmethod
    def default() -> Tagger:
        """The committed model, loaded once per process, on first use."""
        return _default()

    def labels(self) -> list[str]:
        """The labels the model can give a token (``B-METRIC``, ``I-TASK``, ``O`` …)."""
        return cast("list[str]", self._crf.labels())

    def tag(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Mention]:
        """The mentions in each ``(start, end)`` span of ``text`` (sentences), in order."""
        out: list[Mention] = []
        for start, end in spans:
            sentence = (max(0, start), min(len(text), end))
            toks = tokens(text, *sentence)
            if toks:
                out.extend(self._sentence(text, toks, sentence))
        return out

    def _sentence(
        self, text: str, toks: list[tuple[int, int]], sentence: tuple[int, int]
    ) -> list[Mention]:
        crf = self._crf
        crf.set(features(text, toks, sentence, self._words))
        labels: list[str] = crf.tag()
        found = decode(labels)
        out = []
        for tagged, stop, kind in found:
            first = _name_start(text, toks, tagged, stop)
            if first == stop:
                continue
            probability = sum(crf.marginal(labels[i], i) for i in range(first, stop))
            out.append(
                Mention(
                    start=toks[first][0],
                    end=toks[stop - 1][1],
                    type=kind,
                    source="tagger",
                    confidence=round(probability / (stop - first), 3),
                )
            )
        return out


def _name_start(text: str, toks: list[tuple[int, int]], first: int, stop: int) -> int:
    """The first token of a tagged span that may start a name.

    A verb or a preposition never starts one: "by obtaining test F-scores" names "test F-scores".
    """
    while first < stop and text[toks[first][0] : toks[first][1]].casefold() in STOPS:
        first += 1
    return first


@functools.cache
def _default() -> Tagger:
    return Tagger.load(default_model_path())
