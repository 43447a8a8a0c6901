"""The features of each token that the mention tagger (a linear-chain CRF) weighs.

Training and tagging call ``features`` alike, so a model only ever sees features built here.

Most features depend on one word only: its lower-cased form, shape, prefixes and suffixes,
casing flags, membership of the model families and metric heads, and, for each neighbour
position (-2, -1, +1, +2), the same word seen from there, with a few cue classes ("on", "of"
before a name; "dataset", "benchmark", "accuracy", "score" after one). Those are computed once
per distinct word and kept in a bounded LRU cache, so that a token costs a few tuple
concatenations; a worker that tags millions of abstracts keeps a fixed amount of memory.

Only the lexicon features depend on the sentence: ``vocabulary.METRIC`` and ``DATASET`` are
run over it, and the tokens inside a match get ``lexM=B``/``lexM=I`` (``lexD=...``), as do
their neighbours' positions (``-1lexD``), so that "accuracy on <unknown name>" is a cue.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import regex

from claimex.extractors.vocabulary import DATASET, METRIC, METRIC_HEADS, MODEL

if TYPE_CHECKING:
    from collections.abc import Sequence

# Lone surrogates cannot be encoded for CRFsuite; one replacement per code point.
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
# Word shape: capitals X, lower case x, digits d, others as they are; runs collapsed.
_SHAPE = (
    (regex.compile(r"\p{Lu}+"), "X"),
    (regex.compile(r"[\p{Ll}\p{Lo}\p{Lt}\p{Lm}\p{M}]+"), "x"),
    (regex.compile(r"\p{N}+"), "d"),
)
_INNER_CAPITAL = regex.compile(r".\p{Lu}")

# Words before a name that say a name of some kind follows ("on ImageNet", "accuracy of").
_PREPOSITIONS = frozenset({"on", "in", "of", "for", "by", "across", "over", "using", "with"})
# Words after a name that say which kind it is ("the FooBank treebank", "NER task").
# fmt: off
_AFTER_CUES = {
    "dataset": frozenset({
        "dataset", "datasets", "benchmark", "benchmarks", "corpus", "corpora", "treebank",
        "treebanks", "suite", "collection", "set", "sets", "split", "splits", "challenge",
        "leaderboard",
    }),
    "task": frozenset({"task", "tasks", "problem", "problems"}),
    "metric": frozenset({
        "score", "scores", "accuracy", "accuracies", "rate", "rates", "error", "errors",
        "metric", "metrics", "points", "measure", "value", "values",
    }),
}
# fmt: on
_OFFSETS = ("-2", "-1", "+1", "+2")
_BOUNDARY = ("-2w=<s>",), ("-1w=<s>",), ("+1w=</s>",), ("+2w=</s>",)

CACHE_SIZE = 50_000  # distinct words kept; an abstract has ~150, a language ~10^5 common ones


def shape(word: str) -> str:
    """The word's shape: "CIFAR-100" → "X-d", "F1-score" → "Xd-x", "Transformer" → "Xx"."""
    for pattern, mark in _SHAPE:
        word = pattern.sub(mark, word)
    return word[:8]


def own(word: str) -> tuple[str, ...]:
    """The features of a token that depend on its own word only."""
    word = _SURROGATE.sub("\ufffd", word)
    low = word.lower()
    out = [
        "bias",
        "w=" + low,
        "sh=" + shape(word),
        "p2=" + low[:2],
        "p3=" + low[:3],
        "s2=" + low[-2:],
        "s3=" + low[-3:],
        "s4=" + low[-4:],
    ]
    if word.isupper() and len(word) > 1:
        out.append("upper")
    elif word[:1].isupper():
        out.append("title")
    if _INNER_CAPITAL.search(word):
        out.append("innercap")
    if any(c.isdigit() for c in word):
        out.append("digit")
    if "-" in word:
        out.append("hyphen")
    if not word[:1].isalnum():
        out.append("punct")
    if MODEL.match(word):
        out.append("model")
    if low in METRIC_HEADS:
        out.append("mhead")
    return tuple(out)


def near(word: str) -> tuple[tuple[str, ...], ...]:
    """The features ``word`` gives the tokens 2 and 1 after it and 1 and 2 before it.

    Entry ``k`` is for the token at offset ``_OFFSETS[k]`` from which ``word`` is seen: entry 1
    ("-1") is what the next token learns about its previous word.
    """
    word = _SURROGATE.sub("\ufffd", word)
    low = word.lower()
    out: list[tuple[str, ...]] = []
    for offset in _OFFSETS:
        feats = [offset + "w=" + low]
        if offset in ("-1", "+1"):
            feats.append(offset + "sh=" + shape(word))
        if offset == "-1" and low in _PREPOSITIONS:
            feats.append("-1cue=prep")
        if offset[0] == "+":
            feats.extend(f"{offset}cue={kind}" for kind, cue in _AFTER_CUES.items() if low in cue)
        out.append(tuple(feats))
    return tuple(out)


class WordFeatures:
    """``own`` and ``near`` of each word, cached, and kept to the features a model weighs.

    With ``weighed`` (a model's attributes), the rest are dropped once per word: a CRF ignores
    an attribute it has no weight for, so the labels and marginals stay the same, and the
    tagger hands CRFsuite fewer strings per token.
    """

    def __init__(self, weighed: frozenset[str] | None = None) -> None:
        def kept(features: tuple[str, ...]) -> tuple[str, ...]:
            return features if weighed is None else tuple(f for f in features if f in weighed)

        @functools.lru_cache(maxsize=CACHE_SIZE)
        def own_kept(word: str) -> tuple[str, ...]:
            return kept(own(word))

        @functools.lru_cache(maxsize=CACHE_SIZE)
        def near_kept(word: str) -> tuple[tuple[str, ...], ...]:
            return tuple(kept(seen) for seen in near(word))

        self.own = own_kept
        self.near = near_kept


_ALL = WordFeatures()


def _lexicon_marks(
    text: str, spans: Sequence[tuple[int, int]], sentence: tuple[int, int] | None
) -> dict[int, list[str]] | None:
    """Lexicon features by token index (own and ±1), or None when no lexicon name is here."""
    if not spans:
        return None
    start, end = sentence or (spans[0][0], spans[-1][1])
    found = [("M", span) for span in METRIC.spans(text, start, end)]
    found += [("D", span) for span in DATASET.spans(text, start, end)]
    if not found:
        return None
    starts = {s: i for i, (s, _) in enumerate(spans)}
    marks: dict[int, list[str]] = {}
    for kind, (s, e) in found:
        first = starts.get(s)
        if first is None:  # the name starts inside a token: no token is the name
            continue
        last = first
        while last + 1 < len(spans) and spans[last + 1][1] <= e:
            last += 1
        for i in range(first, last + 1):
            marks.setdefault(i, []).append(f"lex{kind}={'B' if i == first else 'I'}")
        if first > 0:
            marks.setdefault(first - 1, []).append(f"+1lex{kind}")
        if last + 1 < len(spans):
            marks.setdefault(last + 1, []).append(f"-1lex{kind}")
    return marks


def features(
    text: str,
    spans: Sequence[tuple[int, int]],
    sentence: tuple[int, int] | None = None,
    words: WordFeatures = _ALL,
) -> list[list[str]]:
    """One feature list per token of ``spans``: token offsets into ``text``, in one sentence.

    ``sentence`` gives that sentence's bounds when they are known, so that its lexicon names are
    read once; ``words`` the cache of per-word features (all of them by default, as in
    training).
    """
    tokens = [text[s:e] for s, e in spans]
    owns = [words.own(w) for w in tokens]
    nears = [words.near(w) for w in tokens]
    n = len(tokens)
    out: list[list[str]] = []
    for i in range(n):
        feats = list(owns[i])
        feats += nears[i - 2][0] if i >= 2 else _BOUNDARY[0]
        feats += nears[i - 1][1] if i >= 1 else _BOUNDARY[1]
        feats += nears[i + 1][2] if i + 1 < n else _BOUNDARY[2]
        feats += nears[i + 2][3] if i + 2 < n else _BOUNDARY[3]
        out.append(feats)
    marks = _lexicon_marks(text, spans, sentence)
    if marks:
        for i, extra in marks.items():
            out[i] += extra
    return out
