"""The words phrase mentions are read with: what a word is, and the words that open or end one.

Shared by the phrase finders (``phrases.py``, ``acting.py``) and the tagger's features.
"""

from __future__ import annotations

import regex

from claimex.extractors import lexicons

STOPS = frozenset(w.casefold() for w in lexicons.words("phrase_stops.txt")) | frozenset(
    w for w in lexicons.words("achievement_verbs.txt") if w.endswith("ing")
)  # "by reaching one-pass F-scores of 71.3": reaching is no part of what is measured ("score",
# "record" of the same list are nouns too, and stay)
OPENERS = (
    frozenset(w.casefold() for w in lexicons.words("quantifiers.txt"))
    | frozenset(w.casefold() for w in lexicons.words("praise_words.txt"))
    | frozenset(w.casefold() for w in lexicons.words("split_words.txt"))
    | {"the", "a", "an", "this", "these", "that", "those", "our", "their", "its", "his", "her"}
    | {"it", "we", "they", "he", "she"}
)
# A word written as a name: two capitals ("FooNet", "BERT") or a capital and a digit ("T5-3B").
NAME_SHAPED = regex.compile(r"(?=[\p{L}\d\-]*\p{Lu}[\p{L}\d\-]*[\p{Lu}\d])[\p{L}\d][\p{L}\d\-]*")
# One word of a phrase: letters or digits, with inner hyphens, dots, slashes, apostrophes.
WORD = regex.compile(r"[\p{L}\d][\p{L}\d'’@+]*(?:[\-./][\p{L}\d'’@+]+)*")
