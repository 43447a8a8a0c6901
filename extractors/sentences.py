"""Sentence boundaries of an abstract.

spaCy's rule-based sentencizer on a blank English pipeline (no model weights) does the splitting;
it is loaded once per process. Two repairs follow, because abstracts are full of abbreviations
that the sentencizer cuts after ("et al.", "Fig. 3", "vs."): a piece that starts in lower case,
with a digit or a bracket, or that follows a known abbreviation, is joined to the one before.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import msgspec
import regex
import spacy

# spaCy refuses texts over nlp.max_length; longer texts are cut into windows at whitespace.
WINDOW = 100_000

_ABBREVIATION_END = regex.compile(
    r"""
    (?:^|[\s(])
    (?: et | al | e\.g | i\.e | cf | vs | approx | resp | etc | Fig | Figs | Eq | Eqs
      | Sec | Tab | No | Nos | Ref | Refs | Dr | Mr | Ms | Prof | St | Inc | Ltd | Co )
    \.\s*$
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# A full stop after a name with digits ("GSM8K.", "C4.") that spaCy keeps inside its token.
MISSED_STOP = regex.compile(r"(?<=[\p{L}\d]\d[\p{L}]*|\d[\p{Lu}])\.\s+(?=[\p{Lu}])")
SURROGATE = regex.compile(r"[\ud800-\udfff]")
_CONTINUATION_START = regex.compile(r"^[\p{Ll}\d(\[{,;:%]")


class Sentence(msgspec.Struct, frozen=True):
    """A sentence as offsets into the abstract text: ``text[start:end]``."""

    start: int
    end: int


@functools.cache
def _sentencizer() -> Any:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = WINDOW + 1
    return nlp


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
    nlp = _sentencizer()
    for offset, window in _windows(text):
        # spaCy cannot encode lone surrogates; one placeholder per code point keeps offsets exact
        for sent in nlp(SURROGATE.sub("\ufffd", window)).sents:
            yield from _missed_stops(text, offset + sent.start_char, offset + sent.end_char)


def _missed_stops(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """spaCy keeps "GSM8K. DeltaLM" as one token; cut there too (abbreviations are rejoined)."""
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
        if merged:
            previous = text[merged[-1][0] : merged[-1][1]]
            if _CONTINUATION_START.match(piece) or _ABBREVIATION_END.search(previous):
                merged[-1][1] = end
                continue
        merged.append([start, end])
    out = []
    for start, end in merged:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        out.append(Sentence(start + lead, end - trail))
    return tuple(out)
