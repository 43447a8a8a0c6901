"""Mentions read off the shape of a phrase, for names no lexicon holds and the tagger missed.

A noun phrase after "on"/"in"/"for"/"across" may be what a result is measured on ("on entity
typing", "in citation recommendation"); the phrase before "of <number>" or between a change
verb and "by" is what is measured ("a forgetting rate of 3%", "reduces the memory footprint
by"); "our method" and a described subject ("curriculum sampling lifts …") are methods. Each
phrase is a mention with ``source="phrase"`` and ``via`` naming its construction; whether it
is the claim's field is for the fitted linking models to say.
"""

from __future__ import annotations

import regex

from claimex.extractors import lexicons
from claimex.extractors.mentions.acting import method_phrases
from claimex.extractors.mentions.known import METRIC_MODIFIERS, UNITS
from claimex.extractors.mentions.mention import Mention, MentionType
from claimex.extractors.mentions.own import COLLECTION_WORD
from claimex.extractors.mentions.phrase_words import NAME_SHAPED, OPENERS, STOPS, WORD
from claimex.extractors.vocabulary import (
    AMOUNT_COMPARATIVES,
    METRIC,
    METRIC_HEADS,
)

MAX_WORDS = 6  # the longest phrase read as one name
NUMBER_WORD = regex.compile(r"[\d.,/]+[%x]?|\d[\d.,]*[kKMBT]")  # "3.5", "12%", "1/8", "110k"
SPACES = regex.compile(r"[ \t]+")
# Nouns that name no particular thing on their own ("this benchmark", "several tasks").
GENERIC_NOUNS = frozenset(
    {"benchmark", "benchmarks", "dataset", "datasets", "task", "tasks", "corpus", "corpora"}
    | {"setting", "settings", "domain", "domains", "data", "model", "models", "method"}
    | {"methods", "baseline", "baselines", "test", "set", "sets", "split", "splits"}
)
QUANTIFIERS = frozenset(w.casefold() for w in lexicons.words("quantifiers.txt"))
COLLECTION_HEADS = frozenset(w.casefold() for w in lexicons.words("collection_heads.txt"))
PLURAL_COLLECTIONS = frozenset({"benchmarks", "datasets", "corpora", "suites", "testbeds"})
SPLIT_HEADS = frozenset({"set", "sets", "split", "splits"})
# Words that open a noun phrase and so end the one before them.
POINTERS = frozenset(
    {"the", "a", "an", "this", "these", "that", "those", "our", "their", "its", "it", "we"}
)
BY = regex.compile(r"\s+by\b")
# Fixed phrases whose words name nothing: "set the state of the art of 41.7" measures no "art".
IDIOM = regex.compile(r"\bstate[\s\-]+of[\s\-]+the[\s\-]+art\b", regex.IGNORECASE)
LAST_WORD = regex.compile(r"(?:^|(?<=[ \t]))(?P<w>[\p{L}\d][^\s]*)$")
LONGEST_WORD = 64  # characters: a longer run is no word of a phrase
EDITION = regex.compile(r"(?:19|20)\d{2}")
GAP = regex.compile(r"[ \t\n]+|\s*(?=[^\p{L}\d\s])")  # what may stand between two words
# The constructions, each a cue that a phrase follows (``forward``) or precedes it.
AFTER_PREPOSITION = regex.compile(
    r"""(?<![\p{L}\d])
        (?P<cue>on|in|for|across|over|from|using|within|at|including|such\s+as|like)\s+""",
    regex.IGNORECASE | regex.VERBOSE,
)
IN_TERMS_OF = regex.compile(r"\bin\s+terms\s+of\s+", regex.IGNORECASE)
# "the task of synthesizing programs", "the problem of entity typing": a task by its name.
TASK_OF = regex.compile(r"\b(?:task|problem|challenge)s?\s+of\s+", regex.IGNORECASE)
# "a 6x increase in model size", "a 5% gain in recall": what a change is in is a measure.
CHANGE_IN = regex.compile(
    r"\b(?:increase|improvement|gain|reduction|decrease|drop|boost|speedup|rise)s?\s+in\s+",
    regex.IGNORECASE,
)
OF_VALUE = regex.compile(
    r"""\s+of\s+                                   # "… rate | of | up to 3%"
        (?:(?:up\s+to|about|around|over|nearly|only|just|approximately|roughly|~|≈)\s*)?
        [+\-−]?\d""",
    regex.VERBOSE | regex.IGNORECASE,
)
CHANGE_VERB = regex.compile(
    r"""(?<![\p{L}])(?:improv|increas|reduc|decreas|boost|lower|rais|cut|enhanc|lift
        |accelerat|mitigat|shrink|drop|decreas|degrad|hurt)\p{L}*\s+""",
    regex.VERBOSE | regex.IGNORECASE,
)
# "entity typing (+6%)": a bracket right after a phrase that holds only a value.
BRACKETED_VALUE = regex.compile(
    r"""[ \t]*\([ \t]*(?:up\s+to\s+)?[+\-−~≈]?       # "(", "(up to", a sign
        \d[\d.,]*[ \t]*(?:\\?%|pp|points?|x|×)?[ \t]*   # the value and its unit
        [),;]""",  # then the bracket ends or a list goes on
    regex.VERBOSE | regex.IGNORECASE,
)
# "45% fewer tokens", "3x more GPU hours": what a comparison of amounts compares.
AMOUNT_COMPARED = regex.compile(
    r"""\d[\d.,]*\s*(?:%|x|×|times|-fold)?\s+(?:"""
    + lexicons.alternation(AMOUNT_COMPARATIVES)
    + r""")\s+""",
    regex.VERBOSE | regex.IGNORECASE,
)
# Endings of adjectives ("accurate", "efficient", "robust", "stable", "effective", "scalable"):
# after "more" or "less" they make a comparative, not an amount.
ADJECTIVE = regex.compile(r"\p{L}+(?:ate|ent|ant|ive|ous|ful|able|ible|ic|al|ust|less|ly)", regex.I)
# "the number of theorems grows from 110k to 6M": what a count counts.
NUMBER_OF = regex.compile(r"\b(?:number|amount|count)\s+of\s+", regex.IGNORECASE)
# "the test split of FooQA", "the validation set of BarQA": what a split is of is data.
SPLIT_OF = regex.compile(
    r"""\b(?:"""
    + lexicons.alternation(lexicons.words("split_words.txt"))
    + r""")\s+
        (?:set|split|portion|subset|partition)s?\s+of\s+(?:the\s+)?   # "test split of (the)"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# "three benchmarks (FooSum, BarSum and BazSum)": the names a plural collection lists. The
# search starts at the bracket (a fast scan), the collection noun is looked for behind it.
COLLECTION_LIST = regex.compile(
    r"""(?<=\b"""
    + COLLECTION_WORD
    + r"""s\s{0,2})\(    # "benchmarks ("
        (?P<items>[^()]{1,200})\)                      # "FooSum, BarSum and BazSum)"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# One item of a written list, without the space and "and" before it.
LIST_ITEM = regex.compile(r"\s*(?:and\s+)?(?P<item>[^,;\s][^,;]*?)(?=\s*(?:,|;|\band\b|\Z))")
# "FooBench, a new benchmark of …": a name described as a collection names data. The search
# starts at the comma (a fast scan); the name before it is checked after (``NAME_SHAPED``).
NAMED_COLLECTION = regex.compile(
    r""",\s+(?:a|an)\s+(?:[\p{L}\-]+\s+){0,4}?   # ", a new large-scale "
        """
    + COLLECTION_WORD
    + r"""\b             # "benchmark"
    """,
    regex.VERBOSE,
)
NAME_BEFORE = regex.compile(r"(?:^|(?<=\s))(?P<name>\S+)$")
SHARE_OF = regex.compile(r"\d\s?(?:\\?%|percent)\s+of\s+", regex.IGNORECASE)


def _words_forward(text: str, pos: int, end: int, *, place: bool = False) -> tuple[int, int] | None:
    """The phrase that starts at ``pos``: words up to a stop word, a number or punctuation.

    A ``place`` (a phrase after "on", "in" …) also ends at a collection's head noun.
    """
    words: list[regex.Match[str]] = []
    at = pos
    while len(words) < MAX_WORDS + 2:
        m = WORD.match(text, at, end)
        if m is None or m.group().casefold() in STOPS:
            break
        if words and m.group().casefold() in POINTERS:
            break  # "on this benchmark | our model reaches": a new phrase starts
        if NUMBER_WORD.fullmatch(m.group()) and not (words and EDITION.fullmatch(m.group())):
            break  # a number ends the phrase, but for a name's edition ("WMT 2014")
        words.append(m)
        if place and len(words) > 1 and m.group().casefold() in COLLECTION_HEADS:
            break  # "on FooBench dataset | declined": the collection's name ends at its head
        gap = SPACES.match(text, m.end(), end)
        if gap is None:
            break
        at = gap.end()
    quantified = False
    while words and words[0].group().casefold() in OPENERS:
        quantified |= words.pop(0).group().casefold() in QUANTIFIERS
    if not words or len(words) > MAX_WORDS:
        return None
    if all(w.group().casefold() in GENERIC_NOUNS for w in words):
        return None  # "on this benchmark", "across tasks": a pointer, not a name
    if words[-1].group().casefold() in SPLIT_HEADS and all(w.group().islower() for w in words):
        return None  # "from the held-out validation set": a split of data named elsewhere
    if quantified and words[-1].group().casefold() in PLURAL_COLLECTIONS:
        return None  # "on many NLP benchmarks": several, none named
    return words[0].start(), words[-1].end()


def _words_backward(text: str, pos: int, start: int) -> tuple[int, int] | None:
    """The phrase that ends at ``pos``: words back to a stop word, a number or punctuation."""
    words: list[tuple[int, int]] = []
    at = pos
    while len(words) < MAX_WORDS:
        # only the last characters before ``at`` can hold the word: a bounded read
        m = LAST_WORD.search(text, max(start, at - LONGEST_WORD), at)
        if m is None:
            break
        w0, w1 = m.start("w"), m.end("w")
        word = text[w0:w1]
        if (
            word.casefold() in STOPS
            or word.casefold() in OPENERS
            or WORD.fullmatch(word) is None
            or NUMBER_WORD.fullmatch(word)
        ):
            break
        words.insert(0, (w0, w1))
        at = w0
        while at > start and text[at - 1] in " \t":
            at -= 1
        if at == w0:
            break
    return (words[0][0], words[-1][1]) if words else None


def _tails(text: str, span: tuple[int, int] | None) -> list[tuple[int, int]]:
    """The phrase ``span`` and each shorter run of its last words."""
    if span is None:
        return []
    starts = [m.start() for m in WORD.finditer(text, span[0], span[1])]
    return [(s, span[1]) for s in starts if not text[s : span[1]].startswith(("-", "."))]


def _listed_names(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names of a bracketed list ("FooSum, BarSum and BazSum"): items written as names."""
    out = []
    for m in LIST_ITEM.finditer(text, start, end):
        item = m["item"]
        if len(item.split()) <= MAX_WORDS and NAME_SHAPED.match(item):
            out.append(m.span("item"))
    return out


def _generic(text: str, span: tuple[int, int]) -> bool:
    """Words that name no particular thing, as in "the baselines (…)"."""
    return all(w.group().casefold() in GENERIC_NOUNS for w in WORD.finditer(text, *span))


def _only_modifiers(text: str, span: tuple[int, int]) -> bool:
    """Words that say which metric is meant, none on their own: "average", "mean"."""
    return all(w.group().casefold() in METRIC_MODIFIERS for w in WORD.finditer(text, *span))


def _typed(text: str, span: tuple[int, int]) -> MentionType:
    """What a phrase after a preposition names: a metric, a task or a dataset.

    A metric when its head is a measure ("in the perceptual quality index"), a task when in lower
    case, else a dataset's name.
    """
    phrase = text[span[0] : span[1]]
    last = phrase.rsplit(None, 1)[-1]
    if last.casefold() in METRIC_HEADS or last in UNITS or METRIC.fullmatch(last):
        return "metric"  # "in the perceptual quality index", "in pre-training FLOPs"
    lower = phrase == phrase.lower() and not any(c.isdigit() for c in phrase)
    return "task" if lower else "dataset"


def phrase_mentions(text: str, start: int, end: int) -> list[Mention]:
    """The phrase mentions of the sentence ``text[start:end]``."""
    found: list[Mention] = []
    idioms = [m.span() for m in IDIOM.finditer(text, start, end)]

    def add(span: tuple[int, int] | None, type_: MentionType, via: str) -> None:
        if span is None or any(s < span[1] and span[0] < e for s, e in idioms):
            return
        if span[1] > span[0]:
            found.append(Mention(start=span[0], end=span[1], type=type_, source="phrase", via=via))

    for m in IN_TERMS_OF.finditer(text, start, end):
        add(_words_forward(text, m.end(), end), "metric", "terms_of")
    for m in TASK_OF.finditer(text, start, end):
        add(_words_forward(text, m.end(), end), "task", "task_of")
    for m in CHANGE_IN.finditer(text, start, end):
        add(_words_forward(text, m.end(), end), "metric", "change_in")
    for m in AFTER_PREPOSITION.finditer(text, start, end):
        span = _words_forward(text, m.end(), end, place=True)
        if span is not None and not IN_TERMS_OF.match(text, m.start()):
            add(span, _typed(text, span), m["cue"].casefold().split()[0])
    for m in OF_VALUE.finditer(text, start, end):
        # "all data gives WERs of 2%": each tail of the words before is a candidate, shortest
        # first; the linking models weigh their length
        span = _words_backward(text, m.start(), start)
        for tail in _tails(text, span):
            if not _only_modifiers(text, tail):  # "an average of 58.6 accuracy"
                add(tail, "metric", "of_value")
    for m in CHANGE_VERB.finditer(text, start, end):
        span = _words_forward(text, m.end(), end)
        if span is not None and BY.match(text, span[1], end):
            add(span, "metric", "verb_by")
    for m in BRACKETED_VALUE.finditer(text, start, end):
        span = _words_backward(text, m.start(), start)
        if span is not None and not _generic(text, span):
            add(span, _typed(text, span), "bracketed")
    for m in SPLIT_OF.finditer(text, start, end):
        add(_words_forward(text, m.end(), end, place=True), "dataset", "split_of")
    for m in COLLECTION_LIST.finditer(text, start, end):
        for item in _listed_names(text, m.start("items"), m.end("items")):
            add(item, "dataset", "listed")
    for m in NAMED_COLLECTION.finditer(text, start, end):
        before = NAME_BEFORE.search(text, max(start, m.start() - LONGEST_WORD), m.start())
        if before and NAME_SHAPED.fullmatch(before["name"]):
            add(before.span("name"), "dataset", "name")  # a name, as the method phrases' names
    for m in SHARE_OF.finditer(text, start, end):
        add(_words_forward(text, m.end(), end), "metric", "share_of")
    for m in NUMBER_OF.finditer(text, start, end):
        add(_words_forward(text, m.end(), end), "metric", "number_of")
    for m in AMOUNT_COMPARED.finditer(text, start, end):
        span = _words_forward(text, m.end(), end)
        if span is not None and not ADJECTIVE.fullmatch(WORD.findall(text, *span)[0]):
            add(span, "metric", "compared_amount")  # not "3% more accurate": a comparative
    for span, via in method_phrases(text, start, end):
        add(span, "method", via)
    return found
