"""Model sizes: a magnitude that counts a model's parameters though the text does not say so.

"the 70B Chinchilla", "Llama-3 (8B)", "at the 7B scale", "model sizes from 125M to 6B": a size
next to a model name, in parentheses after one, before a noun of model size, or after words
that name sizes is a count of parameters. A size written right after a model name is part of
the name ("UL2 20B"); ``names`` drops it before this step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors import lexicons
from claimex.extractors.vocabulary import MODEL_FAMILIES

if TYPE_CHECKING:
    from claimex.extractors.draft import Draft

MODEL_SIZE_NOUNS = frozenset(w.lower() for w in lexicons.words("model_size_nouns.txt"))
# Magnitudes that make a number before a model noun its size ("a 7B model", "7b checkpoints").
SIZE_MULTIPLIERS = frozenset({"B", "b", "M", "T", "K", "billion", "million", "trillion"})
SIZE_LETTERS = frozenset({"B", "b", "M", "T"})  # glued sizes that may stand for a model
MODEL_AFTER_CHARS = 40  # " the Zeta-Large model": how far after the size its model may end
SIZES_BEFORE_CHARS = 60  # "model sizes ranging from 125M, 350M, 1.3B and": words before it

SIZE_NEXT_TO_MODEL = regex.compile(
    r"""
      ^\s+ (?:the\s+|a\s+)? [\p{Lu}][\p{L}\d.\-]*\s+(?:model|LLM|LM|network)s?\b   # 13B Zeta model
    | ^\s+ (?:the\s+|a\s+)? (?:"""
    + MODEL_FAMILIES
    + r""")(?![\p{L}])        # 70B Chinchilla
    | ^\)                                                                  # Llama-3 (8B)
    | ^[\s\-]+ (?i: """
    + lexicons.alternation(MODEL_SIZE_NOUNS)
    + r""" ) (?![\p{L}])                                                    # 7B scale
    """,
    regex.VERBOSE,
)
SIZE_CONTEXT_BEFORE = regex.compile(
    r"""
    \b (?: sizes? | parameters? (?:\s+counts?)? | scales? | scaling ) \b   # "model sizes"
    (?: \s+ (?: of | from | between | ranging | in | up\s+to ) )*           # "ranging from"
    (?: \s+ from )? \s+
    (?: [\d.]+ [BMTb]? \s* (?:,|and|to|-) \s* (?:and\s+)? )* $            # "70M to", "1B, 3B and"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)


def infer_parameters(text: str, d: Draft) -> Draft:
    """A size with no unit written that stands for a model counts its parameters."""
    if d.unit is not None or d.multiplier not in SIZE_LETTERS:
        return d
    after = text[d.end : d.end + MODEL_AFTER_CHARS]
    lo = max(d.sentence.start, d.start - SIZES_BEFORE_CHARS)
    if SIZE_NEXT_TO_MODEL.match(after) or SIZE_CONTEXT_BEFORE.search(text, lo, d.start):
        return msgspec.structs.replace(d, unit="parameters", unit_source="inferred")
    return d
