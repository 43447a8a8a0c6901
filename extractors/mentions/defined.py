"""Abbreviations an abstract defines: "word error rate (WER)", "Penn Treebank (PTB)".

The long form is found the way Schwartz and Hearst (2003) describe: the short form is a
parenthesised token of 2 to 10 characters with a letter; reading both backwards, every letter and
digit of the short form must occur in order in the words before the parenthesis, and its first
character must start a word. Of those, the shortest long form wins, within ``len(short) + 5``
words. The pair is a fact about the names, not about their type: ``find.py`` gives the long
form and every later use of the short form the type either of them has.
"""

from __future__ import annotations

import msgspec
import regex

# "(WER)", "(PTB)", "(mIoU)", "(GSM8K)": one token in parentheses, closed right after it.
SHORT_FORM = regex.compile(
    r"""\(\s*
        (?P<short> [\p{L}\d][\p{L}\d\-+&.]{0,8}[\p{L}\d+]? )   # 1-10 characters
        \s*[);,]""",
    regex.VERBOSE,
)
# Words before the parenthesis: letters, digits and inner hyphens or apostrophes.
WORD = regex.compile(r"[\p{L}\d][\p{L}\d'’]*(?:-[\p{L}\d'’]+)*")
# A long form never runs back over a clause break.
CLAUSE_BREAK = regex.compile(r"[.;:!?()\[\]]")
EXTRA_WORDS = 5  # how many more words than short-form characters a long form may have


class Definition(msgspec.Struct, frozen=True):
    """``text[long_start:long_end]`` is spelled out as ``text[short_start:short_end]``."""

    long_start: int
    long_end: int
    short_start: int
    short_end: int


def _long_form_start(short: str, words: list[regex.Match[str]]) -> int | None:
    """Index of the first word of the shortest long form ending with ``words``, or None."""
    chars = [c.casefold() for c in short if c.isalnum()]
    if not chars:
        return None
    # the whole run of words, one string, with where each word starts
    text = " ".join(w.group().casefold() for w in words)
    starts = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w.group()) + 1
    i = len(text) - 1
    for n, char in enumerate(reversed(chars)):
        first = n == len(chars) - 1
        while i >= 0 and not (
            text[i] == char and (not first or i == 0 or not text[i - 1].isalnum())
        ):
            i -= 1
        if i < 0:
            return None
        i -= 1
    begin = i + 1
    return max(k for k, s in enumerate(starts) if s <= begin)


def _acronym_like(short: str) -> bool:
    letters = [c for c in short if c.isalpha()]
    return (
        bool(letters)
        and len(short) >= 2
        and (short[0].isupper() or short[0].isdigit() or any(c.isupper() for c in short))
    )


def definitions(text: str) -> list[Definition]:
    """Every abbreviation defined in ``text``, in order."""
    found: list[Definition] = []
    for m in SHORT_FORM.finditer(text):
        short = m["short"].rstrip(".")
        if not _acronym_like(short):
            continue
        open_paren = m.start()
        reach = len(short) + EXTRA_WORDS
        lo = max(0, open_paren - 12 * reach)
        breaks = list(CLAUSE_BREAK.finditer(text, lo, open_paren))
        if breaks:
            lo = breaks[-1].end()
        words = list(WORD.finditer(text, lo, open_paren))[-min(reach, 2 * len(short) + 2) :]
        if not words or text[words[-1].end() : open_paren].strip():
            continue
        first = _long_form_start(short, words)
        if first is None or (first == len(words) - 1 and len(words[first].group()) <= len(short)):
            continue  # "GPT (GPT)": a word is not its own definition
        found.append(
            Definition(
                long_start=words[first].start(),
                long_end=words[-1].end(),
                short_start=m.start("short"),
                short_end=m.start("short") + len(short),
            )
        )
    return found
