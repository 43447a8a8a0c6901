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

import hashlib
import unicodedata
from collections.abc import Callable
from typing import Literal

import msgspec
import regex

from claimex.extractors import lexicons

Better = Literal["higher", "lower"]

_WORD = regex.compile(r"[\p{L}\p{N}]+")


def fold(name: str) -> str:
    """The merge key of a name: NFKC, casefolded, letters and digits only."""
    return "".join(_WORD.findall(unicodedata.normalize("NFKC", name).casefold()))


def _words(name: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", name).casefold())


class _Aliases(msgspec.Struct, frozen=True):
    """Folded alias → folded canonical key, and folded canonical key → its display name."""

    key_of: dict[str, str]
    display: dict[str, str]


# A year written with an apostrophe: "WMT'14", "THUMOS’14", "Hub5'00".
_SHORT_YEAR = regex.compile(r"(?<=[\p{L}\d\s])['’](?P<yy>\d{2})(?!\d)")


def _full_years(name: str) -> str:
    """ "WMT'14" → "WMT2014": the apostrophe year spelled out, so both spellings merge."""
    return _SHORT_YEAR.sub(lambda m: ("19" if int(m["yy"]) >= 50 else "20") + m["yy"], name)


def _dataset_fold(name: str) -> str:
    return fold(_full_years(name))


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


def metric_key(name: str) -> str:
    """The key under which a metric name is merged (empty for a name with no letter or digit)."""
    folded = fold(name)
    if folded in _METRICS.key_of:
        return _METRICS.key_of[folded]
    singular = folded[:-1] if folded.endswith("s") else ""
    if singular in _METRICS.key_of:
        return _METRICS.key_of[singular]  # "F-scores" is "F-score"'s metric
    if singular and (singular in _DIRECTIONS or singular in _METRICS.display):
        return singular
    return folded


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
            for candidate in (run, [*run[:-1], run[-1][:-1]] if run[-1].endswith("s") else None):
                if candidate is None:
                    continue
                key = "".join(candidate)
                key = _METRICS.key_of.get(key, key)
                if key in _DIRECTIONS:
                    return _DIRECTIONS[key]
    return MetricFacts()


def table_id(dataset: str, metric: str) -> str:
    """The stable id of the table for a (dataset key, metric key) pair: 16 hex digits."""
    data = f"{dataset}\x1f{metric}".encode("utf-8", errors="surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]
