"""Canonical names for comparison tables: which dataset and metric names mean the same thing.

Two names are merged when they *fold* to the same key — case, punctuation and spacing removed,
so "ImageNet-1K", "ImageNet 1k" and "imagenet1k" are one — or when the alias lexicons map them
to one ("PTB" is "Penn Treebank"). A metric's direction (is higher better?) and whether its
scores are percentages come from ``metric_directions.tsv``, looked up whole and then by its
words, longest run first, so "average accuracy" inherits "accuracy".

Pure and total: every function accepts any string and answers with a value (``None`` or an
empty key for "nothing to say"), never an exception.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from typing import TYPE_CHECKING, Literal

import msgspec
import regex

from claimex.extractors import languages, lexicons
from claimex.extractors.vocabulary import TASK_HEADS

if TYPE_CHECKING:
    from collections.abc import Callable

Better = Literal["higher", "lower"]

_WORD = regex.compile(r"[\p{L}\p{N}]+")
CACHED_NAMES = 8192
"""Names whose fold is remembered: a table folds each row's subject and split several times."""


def _words(name: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", name).casefold())


@functools.lru_cache(maxsize=CACHED_NAMES)
def fold(name: str) -> str:
    """The merge key of a name: NFKC, casefolded, letters and digits only."""
    return "".join(_words(name))


class _Aliases(msgspec.Struct, frozen=True):
    """Folded alias → folded canonical key, and folded canonical key → its display name."""

    key_of: dict[str, str]
    display: dict[str, str]


# A year written with an apostrophe: "WMT'14", "THUMOS’14", "Hub5'00".
_SHORT_YEAR = regex.compile(r"(?<=[\p{L}\d\s])['’](?P<yy>\d{2})(?!\d)")


def _full_years(name: str) -> str:
    """The apostrophe year spelled out, so both spellings merge: "WMT'14" → "WMT2014"."""
    return _SHORT_YEAR.sub(lambda m: ("19" if int(m["yy"]) >= 50 else "20") + m["yy"], name)


def _pair_last(name: str) -> str:
    """The name with its language pair as two codes at the end, so all its spellings merge.

    "En-De WMT14", "WMT14 English→German", "WMT 2014 en-de": however the pair was spelled and
    wherever it stood, all of them merge (and the two directions of a pair stay apart).
    """
    m = languages.LANGUAGE_PAIR.search(name)
    if m is None:
        return name
    codes = languages.LANGUAGE_CODES.get(m["a"].casefold(), m["a"])
    codes += languages.LANGUAGE_CODES.get(m["b"].casefold(), m["b"])
    return f"{name[: m.start()]} {name[m.end() :]} {codes}"


_SPLIT = regex.compile(
    r"(?:^|[\s(,]+)(?P<split>"
    + lexicons.alternation(lexicons.words("split_qualifiers.txt"))
    + r")(?:\s+(?:set|split))?\s*\)?\s*\Z",
    regex.IGNORECASE,
)
_FUNCTION_WORDS = frozenset(lexicons.words("function_words.txt"))


@functools.lru_cache(maxsize=CACHED_NAMES)
def _split_off(name: str) -> tuple[str, str | None]:
    """The name without a trailing split, and the split ("COCO test-dev" → "COCO", "test-dev").

    A name that is nothing but a split ("the test set") is kept whole.
    """
    m = _SPLIT.search(name)
    if m is None or all(w in _FUNCTION_WORDS for w in _words(name[: m.start()])):
        return name, None
    return name[: m.start()], m["split"]


_SPLIT_AFTER = regex.compile(
    r"\s*\(?\s*(?P<split>"
    + lexicons.alternation(lexicons.words("split_qualifiers.txt"))
    + r")(?=\s*(?:[,.;:)]|\Z|\s+(?:set|split|and|with|for|of|in|on|at|by|to)\b))",
    regex.IGNORECASE,
)


def dataset_qualifier(name: str, sentence: str = "") -> str | None:
    """The split a dataset was measured on, as written, if any.

    It is the one its name ends with ("test-dev" of "COCO test-dev"), or the one written right
    after the name in its sentence ("on COCO val, …"). Shown on a table's row, left out of the
    table's key.
    """
    split = _split_off(name)[1]
    if split is not None or not name:
        return split
    at = sentence.find(name)
    m = _SPLIT_AFTER.match(sentence, at + len(name)) if at >= 0 else None
    return m["split"] if m else None


# "the GLUE benchmark", "Foo Speech Corpus": a collection's head word after the name.
_COLLECTION_HEAD = regex.compile(
    r"(?<=\S)\s+(?:"
    + lexicons.alternation(lexicons.words("collection_heads.txt")).replace(r"\ ", r"\s+")
    + r")\s*\Z",
    regex.IGNORECASE,
)


_ARTICLE = regex.compile(r"\A\s*(?:the|a|an)\s+(?=\S)", regex.IGNORECASE)
_TASK_AFTER = regex.compile(
    r"(?<=\S)\s+(?:"
    + lexicons.alternation(lexicons.words("task_heads.txt")).replace(r"\ ", r"\s+")
    + r")\s*\Z",
    regex.IGNORECASE,
)
_NAMED = regex.compile(r"[\p{Lu}\d]")


def _without_task(name: str) -> str:
    """Task words after a named benchmark come off: "ImageNet classification" → "ImageNet".

    A named benchmark is one with a capital or a digit; "document classification" stays as it is.
    """
    while (m := _TASK_AFTER.search(name)) and _NAMED.search(name[: m.start()]):
        name = name[: m.start()]
    return name


def _dataset_fold(name: str) -> str:
    """A dataset name folded, with its years and language pair spelled one way.

    It is also without an article, a trailing split or collection head: "the COCO test-dev",
    "WMT'14 En-De", "WMT 2014 English-German".
    """
    name = _COLLECTION_HEAD.sub("", _split_off(_ARTICLE.sub("", name))[0])
    # a split before the task words comes off after them: "COCO test-dev detection"
    name = _COLLECTION_HEAD.sub("", _split_off(_without_task(name))[0])
    return fold(_pair_last(_full_years(name)))


def _load_aliases(name: str, folding: Callable[[str], str]) -> _Aliases:
    key_of: dict[str, str] = {}
    display: dict[str, str] = {}
    for alias, canonical in lexicons.pairs(name):
        key_of[folding(alias)] = folding(canonical)
        display[folding(canonical)] = canonical
    return _Aliases(key_of=key_of, display=display)


class MetricFacts(msgspec.Struct, frozen=True):
    """What the lexicon says about a metric: which way is better, and if scores are percents."""

    better: Better | None = None
    percent: bool = False


def _load_directions() -> dict[str, MetricFacts]:
    facts: dict[str, MetricFacts] = {}
    for name, rest in lexicons.pairs("metric_directions.tsv"):
        better, _, percent = rest.partition("\t")
        assert better in ("higher", "lower"), f"metric_directions.tsv: {name!r} has {better!r}"
        facts[fold(name)] = MetricFacts(
            better="higher" if better == "higher" else "lower", percent=percent.strip() == "percent"
        )
    return facts


_DATASETS = _load_aliases("dataset_aliases.tsv", _dataset_fold)
_METRICS = _load_aliases("metric_aliases.tsv", fold)
_DIRECTIONS = _load_directions()


def dataset_key(name: str) -> str:
    """The key under which a dataset name is merged (empty for a name with no letter or digit)."""
    folded = _dataset_fold(name)
    return _DATASETS.key_of.get(folded, folded)


# The English plural of a metric's last word, as (ending, singular ending), first match wins;
# words ending in "ss", "us" or "is" are not plurals ("loss", "bonus", "analysis").
_PLURALS = (("sses", "ss"), ("ies", "y"), ("ss", "ss"), ("us", "us"), ("is", "is"), ("s", ""))


def singular(word: str) -> str:
    """A plural word in the singular; other words unchanged.

    "accuracies" → "accuracy", "losses" → "loss", "rates" → "rate". Words of up to three letters
    are left as they are ("ms", "FPS" are units, not plurals).
    """
    if len(word) <= 3 or not word[-1:].isalpha():
        return word
    for ending, replacement in _PLURALS:
        if word.endswith(ending):
            return word[: len(word) - len(ending)] + replacement
    return word


# "BLEU points", "perplexity pts": the metric counted in its own points is the metric.
_POINTS_AFTER = regex.compile(r"(?<=\S)\s+(?:points?|pts\.?)\s*\Z", regex.IGNORECASE)


_PROTOCOL = lexicons.alternation(lexicons.words("metric_protocol_words.txt"))
_PROTOCOL_BEFORE = regex.compile(rf"\A(?:(?:{_PROTOCOL})\s+)+(?=\S)", regex.IGNORECASE)


def metric_key(name: str) -> str:
    """The key under which a metric name is merged (empty for a name with no letter or digit).

    It is its alias's if the lexicon has one, and its last word in the singular, so "top-1
    accuracies" and "top-1 accuracy", "F-scores" and "F-score" are one metric; words before it
    that say how the score was taken come off ("test F1" is F1).
    """
    name = _PROTOCOL_BEFORE.sub("", _POINTS_AFTER.sub("", name) or name)
    folded = fold(name)
    if folded in _METRICS.key_of:
        return _METRICS.key_of[folded]
    if folded in _METRICS.display:
        return folded  # a canonical name itself: "translation edit rate"
    last = _singular_last(name)
    return _METRICS.key_of.get(last, last)


def _singular_last(name: str) -> str:
    """The folded name with its last word in the singular.

    "WERs", "IoUs" (an acronym with a plural "s") lose the "s"; other words go through
    ``singular``.
    """
    written = _WORD.findall(unicodedata.normalize("NFKC", name))
    if not written:
        return ""
    words = [w.casefold() for w in written]
    # "top-1 classification accuracy" is a top-1 accuracy: task words before the last go.
    words = [w for w in words[:-1] if w not in TASK_HEADS] + words[-1:]
    last = written[-1]
    if len(last) >= 3 and last.endswith("s") and last[-2].isupper():
        words[-1] = words[-1][:-1]
    else:
        words[-1] = singular(words[-1])
    return "".join(words)


def dataset_display(key: str) -> str | None:
    """The lexicon's spelling of a dataset key, if the lexicon names it."""
    return _DATASETS.display.get(key)


def metric_display(key: str) -> str | None:
    """The lexicon's spelling of a metric key, if the lexicon names it."""
    return _METRICS.display.get(key)


def metric_facts(name: str) -> MetricFacts:
    """Direction and percent-ness of a metric; ``MetricFacts()`` (unknown) when not in the lexicon.

    The whole name is tried first, then runs of its words from the longest down, the rightmost
    run first among runs of one length (the head of an English noun phrase is on the right):
    "top-1 error" is an error, "average accuracy" an accuracy. A last word in plural is also
    tried in the singular ("task completion rates").
    """
    whole = metric_key(name)
    if whole in _DIRECTIONS:
        return _DIRECTIONS[whole]
    words = _words(name)
    for size in range(len(words), 0, -1):
        for first in range(len(words) - size, -1, -1):
            run = words[first : first + size]
            for candidate in dict.fromkeys((tuple(run), (*run[:-1], singular(run[-1])))):
                key = "".join(candidate)
                key = _METRICS.key_of.get(key, key)
                if key in _DIRECTIONS:
                    return _DIRECTIONS[key]
    return MetricFacts()


def table_id(dataset: str, metric: str) -> str:
    """The stable id of the table for a (dataset key, metric key) pair: 16 hex digits."""
    data = f"{dataset}\x1f{metric}".encode("utf-8", errors="surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]
