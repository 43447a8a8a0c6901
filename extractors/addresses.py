"""Web addresses, e-mail addresses, arXiv ids and DOIs: no number inside one is a quantity.

``inside_addresses`` gives their spans. The full pattern is slow on long words, so it runs only
on the words around a hint that every address holds ("://", "@", ".org", "arXiv:", "10.1").
"""

from __future__ import annotations

import regex

URL = regex.compile(
    r"""
      (?i: https?:// | ftp:// | www\. ) \S+          # web addresses
    | [\w.+\-]++@[\w\-]++\.[\w.]+                     # e-mail addresses
    | (?i: arxiv: ) \s? \d{4}\.\d{4,5}               # arXiv ids
    | (?i: doi: ) \s? \S+
    | \b10\.\d{4,9}/\S+                              # bare DOIs
    | \b[\w\-]++\.(?: com | org | io | ai | net | edu )\b(?:/\S*)?   # bare domains
    """,
    regex.VERBOSE,
)
# Something every match of URL contains: a cheap test before the full scan.
URL_HINT = regex.compile(
    r"""
      :// | www\. | @                      # web and e-mail addresses
    | (?i: arxiv | doi ):                  # "arXiv:2101.00027", "doi:10.1/x"
    | \.(?i: com | org | io | ai | net | edu )\b   # bare domains
    | 10\.\d{4}                            # bare DOIs
    """,
    regex.VERBOSE,
)
URL_PREFIX_CHARS = 8  # "arXiv: ", "doi: " written apart from the id after them
WHITE_SPACE = regex.compile(r"\s")


def inside_addresses(text: str) -> list[tuple[int, int]]:
    """The spans of the addresses in ``text``, from the words around each hint."""
    spans = set[tuple[int, int]]()
    scanned = 0  # the hint's word up to here was read whole: a later hint in it adds nothing
    for hint in URL_HINT.finditer(text):
        if hint.start() < scanned:
            continue  # "@" × 20,000 is one word, read once rather than once per "@"
        lo = max(0, text.rfind(" ", 0, hint.start()) + 1 - URL_PREFIX_CHARS)
        word_end = _word_end(text, hint.end())
        hi = _word_end(text, word_end + 1)  # "arXiv: 2101.00027"
        spans.update((m.start(), m.end()) for m in URL.finditer(text, lo, hi))
        scanned = word_end
    return sorted(spans)


def _word_end(text: str, pos: int) -> int:
    """Where the word at ``pos`` ends: the next white space, or the end of the text."""
    m = WHITE_SPACE.search(text, pos)
    return m.start() if m else len(text)
