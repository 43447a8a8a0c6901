"""Sentence boundaries of an abstract.

spaCy's rule-based sentencizer on a blank English pipeline (no model weights) does the splitting;
it is loaded once per process. Its rule is applied to the tokenizer's output here
(``_sentence_spans``), reading only the punctuation tokens: the same sentences, a sixth of the
time the component takes. Two repairs follow, because abstracts are full of abbreviations
that the sentencizer cuts after ("et al.", "Fig. 3", "vs."): a piece that starts in lower case,
with a digit or a bracket, or that follows a known abbreviation, is joined to the one before.

Two bounds keep every text linear, whatever it holds:

- spaCy's tokenizer peels prefixes and suffixes off a whitespace-free chunk one at a time,
  searching the rest each time: quadratic in the chunk's length, so that 20,000 "$" took 73 s
  (4,000 of them 2.6 s). So runs of over ``SYMBOL_RUN`` symbols become a token per character,
  and chunks of over ``RUN_LIMIT`` characters are cut into short pieces tokenized one by one,
  all put back together into one ``Doc`` with exact offsets (``_segments``). A cut is never
  made next to a sentence-final character nor inside a word, so it cannot make or hide a
  boundary in real text, where no chunk is that long (URLs included).
- No sentence is longer than ``MAX_SENTENCE`` characters: a longer piece (only ever a
  generated or garbled text) is cut at white space, so that the steps after this one, which
  look at a claim's whole sentence, work on bounded sentences.

spaCy interns every new word in its string store, which would grow with every abstract a
worker sees. A memory zone per text bounds it but costs tenfold (each text's words are made
afresh: 3.1 against 0.31 ms per corpus abstract), so the pipeline is instead built anew once
its store holds ``MAX_STRINGS`` strings: memory stays bounded, the rebuild (~0.1 s) is rare.
"""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING, Any

import msgspec
import numpy as np
import regex
import spacy
from spacy.attrs import IS_PUNCT
from spacy.tokens import Doc

if TYPE_CHECKING:
    from collections.abc import Iterator

# spaCy refuses texts over nlp.max_length; longer texts are cut into windows at whitespace.
WINDOW = 100_000

RUN_LIMIT = 100
"""Longest whitespace-free chunk spaCy's tokenizer sees whole (the corpus's longest is 89)."""
RUN_PIECE = 40
"""Longer chunks are cut into pieces of at most this many characters."""
SYMBOL_RUN = 8
"""Longest run of symbols (neither letters, digits nor white space) left to the tokenizer;
longer ones become a token per character, as spaCy would split them, only without the cost."""
MAX_SENTENCE = 2000
"""Longest sentence, in characters (abstracts' longest are under 800)."""

_LONG_CHUNK = regex.compile(rf"\S{{{RUN_LIMIT + 1},}}")
_SYMBOL_RUN = regex.compile(rf"[^\w\s]{{{SYMBOL_RUN + 1},}}")

_ABBREVIATION_END = regex.compile(
    r"""
    (?<![^\s(])
    (?: et | al | e\.g | i\.e | cf | vs | approx | resp | etc | Fig | Figs | Eq | Eqs
      | Sec | Tab | No | Nos | Ref | Refs | Dr | Mr | Ms | Prof | St | Inc | Ltd | Co )
    \.$
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
ABBREVIATION_TAIL = 16
"""Characters before a piece's end that hold any abbreviation of ``_ABBREVIATION_END``."""
# A full stop that spaCy keeps inside its token: after a name with digits ("GSM8K.", "C4.") or
# one that ends in a capital after a small letter ("DenseViT.").
MISSED_STOP = regex.compile(r"(?<=[\p{L}\d]\d[\p{L}]*|\d[\p{Lu}]|\p{Ll}\p{Lu})\.\s+(?=[\p{Lu}])")
SURROGATE = regex.compile(r"[\ud800-\udfff]")
_CONTINUATION_START = regex.compile(r"^[\p{Ll}\d(\[{,;:%]")


class Sentence(msgspec.Struct, frozen=True):
    """A sentence as offsets into the abstract text: ``text[start:end]``."""

    start: int
    end: int


MAX_STRINGS = 200_000
"""Strings spaCy may intern before the pipeline is rebuilt (a few tens of MB at most)."""


def _pipeline() -> Any:
    """The sentencizer, rebuilt once its string store is full."""
    nlp = _sentencizer()
    if len(nlp.vocab.strings) > MAX_STRINGS:
        _sentencizer.cache_clear()
        nlp = _sentencizer()
    return nlp


@functools.cache
def _sentencizer() -> Any:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = WINDOW + 1
    return nlp


@functools.cache
def _terminals() -> frozenset[str]:
    """The characters after which the sentencizer may start a sentence."""
    return frozenset(_sentencizer().get_pipe("sentencizer").punct_chars)


def _sentence_spans(doc: Any) -> list[tuple[int, int]]:
    """The sentencizer's sentences of ``doc``, as character offsets.

    As spaCy's own: a sentence starts at the first token and at the first token after each
    sentence-final character that is no punctuation. Only the punctuation tokens are read one
    by one, which makes it several times faster than the sentencizer.
    """
    n = len(doc)
    if not n:
        return []
    punct = np.flatnonzero(doc.to_array(IS_PUNCT)).tolist()
    is_punct = set(punct)
    terminals = _terminals()
    starts = [0]
    reached = 0  # where the last sentence starts, or the run after a terminal ends: read once
    for i in punct:
        if i >= reached and doc[i].text in terminals:
            after = i + 1
            while after in is_punct:
                after += 1
            reached = after
            if after < n:
                starts.append(after)
    spans = []
    for first, nxt in itertools.pairwise([*starts, n]):
        last = doc[nxt - 1]
        spans.append((doc[first].idx, last.idx + len(last.text)))
    return spans


def _cuttable(text: str, at: int) -> bool:
    """Whether cutting ``text`` before ``at`` can change no sentence boundary."""
    before, after = text[at - 1], text[at]
    terminals = _terminals()
    return (
        before not in terminals
        and after not in terminals
        and not (before.isalnum() and after.isalnum())
    )


def _pieces(text: str, start: int, end: int, size: int) -> Iterator[int]:
    """Cut points that split ``text[start:end]`` into pieces of at most ``size`` characters.

    Each is the last harmless position (``_cuttable``) in the second half of its piece, else
    the piece's end; no piece is left a single character, so a lone full stop never appears.
    """
    at = start
    while end - at > size:
        limit = at + size if end - (at + size) > 1 else at + size - 1
        cut = next((p for p in range(limit, at + size // 2, -1) if _cuttable(text, p)), limit)
        yield cut
        at = cut


def _symbol_words(run: str) -> Iterator[str]:
    """A run of symbols as spaCy splits one: a character per token, full stops kept together."""
    for char, group in itertools.groupby(run):
        if char == ".":
            yield "".join(group)
        else:
            yield from group


def _segments(text: str) -> Iterator[tuple[int, int, bool]]:
    """``text`` as consecutive (start, end, is_symbol_run) segments, none of them long."""
    runs = [m.span() for m in _SYMBOL_RUN.finditer(text)]
    inside = {p for a, b in runs for p in range(a + 1, b)}
    cuts = {
        p
        for m in _LONG_CHUNK.finditer(text)
        for p in _pieces(text, *m.span(), RUN_PIECE)
        if p not in inside
    }
    edges = sorted(cuts | {p for span in runs for p in span} | {0, len(text)})
    starts = {a for a, _ in runs}
    for a, b in itertools.pairwise(edges):
        if a < b:
            yield a, b, a in starts


def _doc(nlp: Any, text: str) -> Any:
    """``nlp.tokenizer(text)``, long chunks and symbol runs tokenized apart (see the module doc)."""
    # str.split finds a long chunk five times faster than the regex's scan from every position
    long_chunk = any(len(chunk) > RUN_LIMIT for chunk in text.split())
    if not (long_chunk or _SYMBOL_RUN.search(text)):
        return nlp.tokenizer(text)
    words: list[str] = []
    spaces: list[bool] = []
    skip = 0
    for start, end, symbols in _segments(text):
        if symbols:
            run = list(_symbol_words(text[start:end]))
            # One space after a token is its trailing white space, as spaCy has it.
            skip = 1 if text[end : end + 1] == " " else 0
            words += run
            spaces += [False] * (len(run) - 1) + [bool(skip)]
            continue
        begin, skip = start + skip, 0
        if begin == end:
            continue
        for token in nlp.tokenizer(text[begin:end]):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
    return Doc(nlp.vocab, words=words, spaces=spaces)


def _windows(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    while start < len(text):
        end = min(len(text), start + WINDOW)
        if end < len(text):
            cut = text.rfind(" ", start + WINDOW // 2, end)
            end = cut + 1 if cut != -1 else end
        yield start, text[start:end]
        start = end


def _raw_pieces(text: str) -> Iterator[tuple[int, int]]:
    nlp = _pipeline()
    for offset, window in _windows(text):
        # spaCy cannot encode lone surrogates; one placeholder per code point keeps offsets exact
        doc = _doc(nlp, SURROGATE.sub("\ufffd", window))
        for start, end in _sentence_spans(doc):
            yield from _missed_stops(text, offset + start, offset + end)


def _missed_stops(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A piece cut again where spaCy keeps a stop inside one token ("GSM8K. DeltaLM").

    Abbreviations cut this way are rejoined.
    """
    for m in MISSED_STOP.finditer(text, start, end):
        yield start, m.start() + 1
        start = m.end()
    yield start, end


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of ``text``, in order, trimmed of surrounding white space."""
    merged: list[list[int]] = []
    for start, end in _raw_pieces(text):
        piece = text[start:end]
        if not piece.strip():
            continue
        if merged and (
            _CONTINUATION_START.match(piece) or _ends_in_abbreviation(text, *merged[-1])
        ):
            merged[-1][1] = end
            continue
        merged.append([start, end])
    out = []
    for start, end in (bounded for s, e in merged for bounded in _bounded(text, s, e)):
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if lead < len(piece):
            out.append(Sentence(start + lead, end - trail))
    return tuple(out)


def _ends_in_abbreviation(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` ends with "et al.", "Fig." and the like (trailing space aside).

    Only its tail is searched: a sentence grown by many merges is not read again.
    """
    while end > start and text[end - 1].isspace():
        end -= 1
    return _ABBREVIATION_END.search(text, max(start, end - ABBREVIATION_TAIL), end) is not None


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most ``MAX_SENTENCE`` characters.

    Each is cut after the last white space of its second half (else at the limit).
    """
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        half = start + MAX_SENTENCE // 2
        cut = next((p + 1 for p in range(limit - 1, half, -1) if text[p].isspace()), limit)
        yield start, cut
        start = cut
    yield start, end
