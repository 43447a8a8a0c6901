"""Mentions of names claimex knows: benchmark, metric and model-family lexicons.

A known metric keeps the words right before it that say which metric is meant ("top-1
accuracy", "box AP", "macro F1"; ``lexicons/metric_modifiers.txt``). A model family's name
("GPT-4", "Llama-2-7B") is a method mention, never a dataset.
"""

from __future__ import annotations

import regex

from claimex.extractors import lexicons
from claimex.extractors.mentions.mention import Mention, MentionType
from claimex.extractors.vocabulary import DATASET, METRIC, MODEL_FAMILIES, NAME, NOT_NAMES

METRIC_MODIFIERS = frozenset(w.casefold() for w in lexicons.words("metric_modifiers.txt"))
# The word right before a metric, read back one at a time ("macro | F1").
WORD_BEFORE = regex.compile(r"(?P<word>[\p{L}\d][\p{L}\d\-]*)\s+$")
# How far back the modifiers of one metric may reach, in characters.
MODIFIER_REACH = 40
# A year or version written right after a known benchmark's name: "TREC 2019", "DAVIS 2017".
EDITION = regex.compile(r"\s+(?:(?:19|20)\d{2}|v\d+(?:\.\d+)*)(?![\p{L}\d])")
# "FooBench dataset", "the Bar-10 benchmark": a name written as a collection's.
# Singular only: "NLP benchmarks" is a family of them, no name of one.
COLLECTION_AFTER = regex.compile(
    r"\s+(?:"
    + lexicons.alternation(lexicons.words("collection_heads.txt")).replace(r"\ ", r"\s+")
    + r")\b(?!s)",
    regex.IGNORECASE,
)
UNITS = frozenset(lexicons.words("units.txt"))  # "petaFLOP", "GFLOPs": units, not names
# A model family's name with what it is written with: "GPT-4o", "Llama-2-7B", "T5-XXL".
FAMILY_NAME = regex.compile(
    r"(?<![\p{L}\d\-])(?:" + MODEL_FAMILIES + r")(?:[\-.\d][\p{L}\d\-.]*[\p{L}\d])?(?![\p{L}\d])"
)


def _metric_start(text: str, start: int) -> int:
    """Where a known metric starts once the modifiers written before it are included."""
    while True:
        word = WORD_BEFORE.search(text, max(0, start - MODIFIER_REACH), start)
        if word is None or word["word"].casefold() not in METRIC_MODIFIERS:
            return start
        start = word.start()


# "Zeta scores 45.1": the bare word before a number is the verb, not the name of a metric.
VERB_FORMS = frozenset({"score", "scores", "scored"})
NUMBER_NEXT = regex.compile(r"\s+(?:(?:up\s+to|over|about|nearly|only|just)\s+)?[+\-−]?\d")


def _a_verb(text: str, start: int, end: int) -> bool:
    """Whether a metric's name at ``text[start:end]`` is a verb with its number after it."""
    return text[start:end].casefold() in VERB_FORMS and NUMBER_NEXT.match(text, end) is not None


def known_mentions(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every lexicon name in ``text[start:end]``, typed by its lexicon."""
    stop = len(text) if end is None else end
    found = []
    for s, e in DATASET.spans(text, start, stop):
        edition = EDITION.match(text, e, stop)
        found.append(
            Mention(start=s, end=edition.end() if edition else e, type="dataset", source="lexicon")
        )
    found += [
        Mention(start=_metric_start(text, s), end=e, type="metric", source="lexicon")
        for s, e in METRIC.spans(text, start, stop)
        if not _a_verb(text, s, e)
    ]
    found += [
        Mention(start=m.start(), end=m.end(), type="method", source="lexicon")
        for m in FAMILY_NAME.finditer(text, start, stop)
    ]
    return found + _names(text, start, stop, found)


def _names(text: str, start: int, stop: int, known: list[Mention]) -> list[Mention]:
    """Name-shaped words no lexicon types ("AffineQuant", "UL2", "G-Eval"), as phrase mentions.

    They are who a claim may be about, for the linking models to weigh. A benchmark's name looks
    the same: one followed by "dataset" or "benchmark" is taken for one.
    """
    taken = {(m.start, m.end) for m in known}
    out = []
    for m in NAME.finditer(text, start, stop):
        if (m.start(), m.end()) in taken or m.group() in NOT_NAMES or m.group() in UNITS:
            continue
        if DATASET.fullmatch(m.group()) or METRIC.fullmatch(m.group()):
            continue
        type_: MentionType = "dataset" if COLLECTION_AFTER.match(text, m.end()) else "method"
        out.append(Mention(start=m.start(), end=m.end(), type=type_, source="phrase", via="name"))
    return out
