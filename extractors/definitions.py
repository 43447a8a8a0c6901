"""Abbreviations an abstract defines: "Penn Treebank (PTB)", "word error rate (WER)".

A short form in brackets right after a phrase abbreviates the end of that phrase when its
letters and digits can be found there in order, reading both from the right, the first of them
at the start of a word: the test of Schwartz and Hearst (2003), written here from its
description. The pairs let a comparison table merge "PTB" with "Penn Treebank" in an abstract
that says so, whether or not the alias lexicon knows the name.
"""

from __future__ import annotations

import regex

from claimex.extractors.canonical import fold

_DEFINED = regex.compile(
    r"""
    (?P<before>[^()\n;:.!?]{1,200}?)  # the phrase before the bracket, within one clause
    \s*\(\s*
    (?P<short>\p{L}[\p{L}\p{N}\-]{1,9})  # the short form: a letter, then 1-9 letters, digits or "-"
    \s*\)
    """,
    regex.VERBOSE,
)

MAX_EXTRA_WORDS = 5
"""A long form has at most this many more words than its short form has characters, and no
more than twice as many (Schwartz and Hearst's window)."""


def _looks_short(short: str) -> bool:
    """An abbreviation has two or more capitals ("PTB", "mIoU"), or is a capitalised word of
    up to three letters ("Nq")."""
    capitals = sum(1 for c in short if c.isupper())
    return capitals >= 2 or (capitals == 1 and short[0].isupper() and len(short) <= 3)


def long_form(short: str, before: str) -> str | None:
    """The end of ``before`` that ``short`` abbreviates, or ``None``."""
    letters = [c.casefold() for c in short if c.isalnum()]
    words = before.split()
    window = min(len(letters) + MAX_EXTRA_WORDS, 2 * len(letters))
    text = " ".join(words[-window:])
    at = len(text) - 1
    for i in range(len(letters) - 1, -1, -1):
        first = i == 0
        while at >= 0 and (
            text[at].casefold() != letters[i] or (first and at > 0 and text[at - 1].isalnum())
        ):
            at -= 1
        if at < 0:
            return None
        at -= 1
    start = text.rfind(" ", 0, at + 1) + 1
    found = text[start:]
    return found if len(found.split()) >= 2 or len(found) > len(short) else None


def defined(text: str) -> dict[str, str]:
    """Folded short form → the long form it abbreviates, for each definition in ``text``."""
    out: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        short = m["short"]
        if not _looks_short(short):
            continue
        found = long_form(short, m["before"])
        if found is not None and fold(found) != fold(short):
            out.setdefault(fold(short), found)
    return out
