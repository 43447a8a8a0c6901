"""Read the lexicon data files under ``extractors/lexicons/`` (format in its README).

Files are read once, at import of the module that needs them, and turned into immutable values.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from collections.abc import Iterable


def _rows(name: str) -> list[str]:
    text = resources.files("claimex.extractors").joinpath("lexicons", name).read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def words(name: str) -> tuple[str, ...]:
    """The entries of a one-column lexicon, in file order, without duplicates."""
    return tuple(dict.fromkeys(row.strip() for row in _rows(name)))


def pairs(name: str) -> tuple[tuple[str, str], ...]:
    """The rows of a two-column (tab-separated) lexicon."""
    out = []
    for row in _rows(name):
        key, _, value = row.partition("\t")
        out.append((key.strip(), value.strip()))
    return tuple(out)


def alternation(entries: Iterable[str]) -> str:
    """A regex alternation of literal entries, longest first so that the longest name wins."""
    ordered = sorted(set(entries), key=lambda s: (-len(s), s))
    return "|".join(regex.escape(e) for e in ordered)
