"""Names claimex knows (metrics, datasets, model families) and how it recognises a name.

The lexicons under ``extractors/lexicons`` become compiled patterns here, once. ``is_name``
and ``clean_phrase`` are shared by the linking steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from claimex.extractors import lexicons

if TYPE_CHECKING:
    from collections.abc import Iterator

_WORD = regex.compile(r"[\p{L}\d]+")
_WORD_START = regex.compile(r"(?<![\p{L}\d\-])[\p{L}\d]+")
_BEFORE = r"(?<![\p{L}\d\-])"
_AFTER = r"(?![\p{L}\d]|-\p{L})"
MIXED_CASE_CAPITALS = 2  # capitals a listed name written in another case must still have


class NameLexicon:
    """Known names (a lexicon file), found as whole words; the longest name wins.

    Lower-case entries match in any case; entries with capitals match as written, or in
    another case while still written with two capitals or more ("nDCG" for "NDCG": an acronym
    spelled otherwise, never the word "Math" for the benchmark "MATH"). With ``plural``, a
    written plural "s" is part of the match ("F-scores", "WERs").

    One regex over hundreds of names tries every alternative at every word: slow on long text.
    Here the entries are grouped by their first word (casefolded), and only the few entries
    that start with a word of the text are tried there. ``pattern`` is the whole lexicon as one
    regex source, for composing rarer patterns ("A, B and C").
    """

    def __init__(self, entries: tuple[str, ...], plural: bool = False) -> None:
        tail = r"(?:s|es)?" if plural else ""
        ordered = sorted(set(entries), key=lambda e: (-len(e), e))  # longest first
        by_first: dict[str, list[str]] = {}
        for entry in ordered:
            first = _WORD.match(entry)
            assert first is not None, f"lexicon entry {entry!r} must start with a letter or digit"
            by_first.setdefault(first.group().casefold(), []).append(_literal(entry))
        self._by_first = {
            key: regex.compile(_BEFORE + "(?i:" + "|".join(parts) + ")" + tail + _AFTER)
            for key, parts in by_first.items()
        }
        self.pattern = _BEFORE + "(?:" + "|".join(map(_literal, ordered)) + ")" + tail + _AFTER
        self._plural = plural
        self._exact = frozenset(e for e in entries if e != e.lower())
        self._any_case = frozenset(e for e in entries if e == e.lower())
        self._spans: dict[tuple[str, int, int], tuple[tuple[int, int], ...]] = {}
        self._spans_of: str | None = None  # the text ``_spans`` holds the sentences of

    def spans(self, text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """Where ``finditer`` finds names in ``text[start:end]``, read once per sentence.

        The mentions step and the tagger's features read the same sentences of one abstract.
        Only the latest text's are kept (memory stays one abstract's); keyed by the text too, so
        two threads extracting at once can only miss, never mix their answers.
        """
        key = (text, start, end)
        found = self._spans.get(key)
        if found is None:
            if self._spans_of is not text:
                self._spans, self._spans_of = {}, text
            found = tuple(m.span() for m in self.finditer(text, start, end))
            self._spans[key] = found
        return found

    def _written_as_listed(self, found: regex.Match[str]) -> bool:
        """Whether a case-blind match is a name of the lexicon as the class docstring says."""
        written = found.group()
        if sum(ch.isupper() for ch in written) >= MIXED_CASE_CAPITALS:
            return True
        bases = (written, written[:-1], written[:-2]) if self._plural else (written,)
        return any(b in self._exact or b.casefold() in self._any_case for b in bases)

    def _at(self, text: str, word: regex.Match[str], end: int) -> regex.Match[str] | None:
        """The longest name starting at ``word``; its first word may be written in the plural."""
        key = word.group().casefold()
        names = self._by_first.get(key)
        best = names.match(text, word.start(), end) if names else None
        if self._plural and key[-1:] == "s":
            for singular in (key[:-1], key[:-2]):
                names = self._by_first.get(singular)
                found = names.match(text, word.start(), end) if names else None
                if found and (best is None or found.end() > best.end()):
                    best = found
        return best if best is not None and self._written_as_listed(best) else None

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        """A name starting exactly at ``pos``."""
        end = len(text) if endpos is None else endpos
        word = _WORD.match(text, pos, end)
        return self._at(text, word, end) if word else None

    def fullmatch(self, text: str) -> regex.Match[str] | None:
        """The whole of ``text`` is one name."""
        found = self.match(text)
        return found if found and found.end() == len(text) else None

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[regex.Match[str]]:
        """The names in ``text[pos:endpos]``, left to right, not overlapping."""
        end = len(text) if endpos is None else endpos
        after = pos
        for word in _WORD_START.finditer(text, pos, end):
            if word.start() < after:
                continue
            found = self._at(text, word, end)
            if found:
                after = found.end()
                yield found

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        """The first name in ``text[pos:endpos]``."""
        return next(self.finditer(text, pos, endpos), None)


def _literal(entry: str) -> str:
    return f"(?i:{regex.escape(entry)})" if entry == entry.lower() else regex.escape(entry)


METRIC = NameLexicon(lexicons.words("metrics.txt"), plural=True)
DATASET = NameLexicon(lexicons.words("datasets.txt"))
MODEL_FAMILIES = lexicons.alternation(lexicons.words("models.txt"))
MODEL = regex.compile(r"^(?:" + MODEL_FAMILIES + r")(?:[\-\d.\s]|$)")
METRIC_HEADS = frozenset(lexicons.words("metric_heads.txt"))
TASK_HEADS = frozenset(w.casefold() for w in lexicons.words("task_heads.txt"))
# "45% fewer tokens", "using fewer parameters": the words that compare an amount.
AMOUNT_COMPARATIVES = frozenset(w.casefold() for w in lexicons.words("amount_comparatives.txt"))


def plural(noun: str) -> str:
    """The plural of an English noun, by its ending.

    "strategy" → "strategies", "approach" → "approaches", "model" → "models".
    """
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("ch", "sh", "s", "x")) else "s")


SETTINGS = tuple(
    (regex.compile(pattern, regex.IGNORECASE), setting)
    for pattern, setting in lexicons.pairs("settings.tsv")
)

# A name: a token with a capital letter after its first character, a digit, or all capitals
# ("AffineQuant", "C-Eval", "UL2", "MTRB", "Llama-3-SynE", "ImageNet-1K").
NAME = regex.compile(
    r"""
    (?<![\p{L}\d\-@])
    (?: [\p{L}\d]*\p{Lu}[\p{L}\d]*\p{Lu}[\p{L}\d]* | \p{Lu}[\p{L}]*\d[\p{L}\d.]* | \p{Lu}{2,}
      | \p{Lu}\p{Ll}+(?=-[\p{Lu}\d]) )
    (?: [\-.][\p{L}\d]+ )*
    (?: \s\d+(?:\.\d)? (?![\d%]|[.,]\d) )?      # "ERNIE 3.0", "SQuAD 2.0"; not "nDCG 78.4"
    (?![\p{L}\d])
    """,
    regex.VERBOSE,
)
# Capitalised words that look like names but are the language of abstracts.
NOT_NAMES = frozenset(lexicons.words("common_acronyms.txt"))
QUANTIFIERS = frozenset(lexicons.words("quantifiers.txt"))
# Where a noun phrase read up to a clause ends: a preposition, a conjunction, a number. The
# "of" inside "state of the art" belongs to it.
NP_END = regex.compile(
    r"\s+(?:on|in|by|across|at|for|with|while|and|or|when|using|which|that|(?<!\bstate\s{1,3})of|to|"
    r"from|respectively|without|under|\d)\b.*$",
    regex.IGNORECASE | regex.DOTALL,
)
DETERMINER = regex.compile(r"^(?:the|a|an|its|their|our|this|these|those)\s+", regex.IGNORECASE)
PARENTHETICAL = regex.compile(r"\s--\s.*?\s--\s|\s—.*?—\s|\([^()]*\)")


def clean_phrase(np: str | None) -> str | None:
    """``np`` without asides, a trailing clause or its article; None if empty, long or digits."""
    if np is None:
        return None
    np = PARENTHETICAL.sub(" ", np)
    np = NP_END.sub("", np.strip())
    np = DETERMINER.sub("", np.strip()).strip(" -'\"“”")
    if not np or len(np.split()) > 6 or any(c.isdigit() for c in np if np.isdigit()):
        return None
    return np


def is_name(token: str) -> bool:
    """Whether ``token`` is shaped like a name and is not a capitalised word of abstracts."""
    return token not in NOT_NAMES and NAME.fullmatch(token) is not None
