"""Language pairs in the names of translation benchmarks.

"WMT'14 English-German", "English-to-German WMT 2014" and "WMT'14 En-De" name one benchmark in
one direction; a dataset name is given its pair, languages spelled out from
``lexicons/languages.tsv``, so that each direction gets its own comparison table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from claimex.extractors import lexicons

if TYPE_CHECKING:
    from claimex.extractors.sentences import Sentence

LANGUAGE_NAMES = {
    key.casefold(): name for name, code in lexicons.pairs("languages.tsv") for key in (name, code)
}
LANGUAGE_CODES = {
    key.casefold(): code for name, code in lexicons.pairs("languages.tsv") for key in (name, code)
}
_LANGUAGE = (
    r"(?:"
    + lexicons.alternation(n for n, _ in lexicons.pairs("languages.tsv"))
    + r"|(?i:"
    + lexicons.alternation(c for _, c in lexicons.pairs("languages.tsv"))
    + r"))"
)
_PAIR = (
    r"(?P<a>" + _LANGUAGE + r")(?:\s*[-–→]\s*|\s*->\s*|-to-|\s+to\s+)"
    r"(?P<b>" + _LANGUAGE + r")(?![\p{L}])"
)
LANGUAGE_PAIR = regex.compile(_PAIR)
PAIR_AFTER = regex.compile(r"\s*\(?\s*" + _PAIR)
PAIR_BEFORE = regex.compile(_PAIR + r"\s+\Z")
PAIR_AT_START = regex.compile(_PAIR + r"\s+(?=\S)")
PAIR_AT_END = regex.compile(_PAIR + r"\s*\)?\Z")


def _language(word: str) -> str:
    return LANGUAGE_NAMES.get(word.casefold(), word)


def with_language_pair(text: str, s: Sentence, name: str) -> str:
    """A benchmark written with its language pair is named with the pair, languages spelled out.

    "WMT'14" written with its pair ("WMT'14 English-German", "English-to-German WMT 2014",
    "WMT'14 En-De") is named that way: one table per direction.
    """
    lead = PAIR_AT_START.match(name)
    if lead:  # "En-De WMT 2014": the pair goes after the benchmark's name
        return f"{name[lead.end() :]} {_language(lead['a'])}-{_language(lead['b'])}"
    at = text.find(name, s.start, s.end)
    if at < 0 or PAIR_AT_END.search(name):
        return name
    m = PAIR_AFTER.match(text, at + len(name), s.end)
    if m is None:
        before = text[max(s.start, at - 40) : at]
        m = PAIR_BEFORE.search(before)
    if m is None:
        return name
    return f"{name} {_language(m['a'])}-{_language(m['b'])}"
