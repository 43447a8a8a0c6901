"""Cue words around a number, from the lexicons: what makes it a change, which way, a hedge.

Every cue word is data (``lexicons/directions.tsv``, ``comparatives.tsv``, ``change_nouns.tsv``,
``change_verbs.txt``, ``bounds.tsv``, ``bounds_after.tsv``, ``measured_heads.tsv``,
``achievement_verbs.txt``; settings and shares are in ``extractors.setting_cues``); this module only
composes them into patterns, each anchored at the number: ``…_BEFORE`` patterns match at the
end of the text before it, ``…_AFTER`` patterns at the start of the text after it. The longer
``…_BEFORE`` patterns are ``REVERSE``: searched from the number backwards, they are tried at one
position instead of every one (about a fifth of the time), and the cue nearest the number wins
("reduces the loss by 3%" is a change "by", not a "loss").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from claimex.extractors import lexicons
from claimex.extractors.units import COUNTED

if TYPE_CHECKING:
    from collections.abc import Iterable

    from claimex.extractors.model import Bound, Direction

# How far from the number a cue may stand, in words or characters.
WORDS_IN_CHANGE_PHRASE = 3  # "an improvement [in top-1 accuracy] of 3%"
WORDS_BEFORE_PARENTHESIS = 8  # "lifts [the rate-distortion score of our codec by far] (up to 2 dB)"
MEASURED_CHARS = 30  # "latency [on a single A100 GPU] of 12 ms"
WORDS_IN_MEASURED_PHRASE = 2  # "31 seconds of [annotation] time"


def _columns(name: str) -> list[tuple[str, list[str]]]:
    return [(key, rest.split("\t")) for key, rest in lexicons.pairs(name)]


def _direction(word: str) -> Direction | None:
    return "up" if word == "up" else "down" if word == "down" else None  # "none", "-"


# Direction stems of verbs and nouns; "none" marks words that only start like a cue.
_STEM_ROWS = _columns("directions.tsv")
STEM_DIRECTION = {stem: _direction(cols[0]) for stem, cols in _STEM_ROWS}


def _flagged(rows: list[tuple[str, list[str]]], column: int, flag: str) -> frozenset[str]:
    """The entries whose ``column`` (comma-separated flags) holds ``flag``."""
    return frozenset(
        word.lower()
        for word, cols in rows
        if len(cols) > column and flag in cols[column].split(",")
    )


COMPARISON_STEMS = _flagged(_STEM_ROWS, 1, "comparison")
COMPARATIVE_DIRECTION = {w: _direction(cols[0]) for w, cols in _columns("comparatives.tsv")}
# Nouns of change: their direction (None: the words around decide) and whether only a relative
# number (%, pp, points) changes with them ("a loss of 1.5%", not "a loss of 2.31").
_NOUN_ROWS = _columns("change_nouns.tsv")
NOUN_DIRECTION = {noun.lower(): _direction(cols[0]) for noun, cols in _NOUN_ROWS}
RELATIVE_ONLY_NOUNS = frozenset(n.lower() for n, cols in _NOUN_ROWS if cols[1:] == ["relative"])
RELATIVE_UNITS = frozenset({"%", "pp", "points"})
# Words of merit: they say a measure got better or worse; the number went the other way when the
# measure is better lower ("improves perplexity by 2.1" is a fall).
MERIT_STEMS = _flagged(_STEM_ROWS, 1, "merit")
MERIT_WORDS = _flagged(_columns("comparatives.tsv"), 1, "merit") | _flagged(_NOUN_ROWS, 2, "merit")


def cased(entries: Iterable[str]) -> str:
    """An alternation of lower-case cue words that match with a capital first letter too.

    A cue word may start with a capital ("Drop" opens a sentence) but is not written in capitals:
    "DROP" is a dataset, not a fall.
    """
    ordered = sorted(set(entries), key=lambda s: (-len(s), s))
    words = (f"[{w[0]}{w[0].upper()}]{regex.escape(w[1:])}" for w in ordered)
    return "(?-i:" + "|".join(words) + ")"


# Words between a number and its cue that modify the cue ("relative WER"), not function words:
# in "by 40% and increases", "increases" is the next statement's.
_FUNCTION_WORDS = lexicons.alternation(lexicons.words("function_words.txt"))
_MODIFIER = rf"(?!(?i:{_FUNCTION_WORDS})(?![\p{{L}}]))[\p{{L}}\-]+"
_STEMS = cased(STEM_DIRECTION)
_COMPARATIVES = cased(COMPARATIVE_DIRECTION)
_NOUNS = cased(NOUN_DIRECTION)
_VERBS = cased(lexicons.words("change_verbs.txt"))
_BOUNDS: dict[str, Bound] = {"at_most": "at_most", "at_least": "at_least"}
BOUND_OF = {p.lower(): _BOUNDS.get(b, "approximate") for p, b in lexicons.pairs("bounds.tsv")}
BOUND_AFTER_OF = {p.lower(): _BOUNDS[b] for p, b in lexicons.pairs("bounds_after.tsv")}
_HEDGE = r"(?:" + lexicons.alternation(BOUND_OF) + r"|an?\s+average\s+of|on\s+average)"
_FILLERS = lexicons.alternation(lexicons.words("number_fillers.txt"))
# What may stand between a cue and its number: "by up to", "a drop of only", "of about".
LEAD = rf"(?:(?:{_HEDGE}|{_FILLERS})\s*){{0,2}}"

STEM_WORD = regex.compile(
    rf"""
    (?<![\p{{L}}]) (?P<stem> {_STEMS} ) \p{{L}}*   # "reduces", "improvement", "cutting-edge" (none)
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
COMPARATIVE_WORD = regex.compile(
    rf"""
    (?<![\p{{L}}\-]) (?P<word> {_COMPARATIVES} ) (?![\p{{L}}])   # "higher", not "lower-bound"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
CHANGE_BEFORE = regex.compile(
    rf"""
    (?: (?<![\p{{L}}]) (?P<verb> {_VERBS} )                 # a verb of change: "saves 45%"
      | (?<![\p{{L}}]) (?<!followed\s) by                   # any change "by": "wins by 6%"
      | (?<![\p{{L}}]) (?P<noun> {_NOUNS} )                 # a noun of change: "a gain of"
        (?: \s+ (?:in|on|for) (?: \s+ [\p{{L}}\-]+ ){{1,{WORDS_IN_CHANGE_PHRASE}}} )?  # "in recall"
        (?: \s+ (?:of|by|in|is|was|are|were|amounts\s+to|reaches) )?   # "of", "is"
    )
    \s+ {LEAD}                                  # "by up to", "a gain of about"
    (?: \(\s* )?                                             # "a gain of (up to"
    $
    """,
    regex.VERBOSE | regex.IGNORECASE | regex.REVERSE,
)
CHANGE_AFTER = regex.compile(
    rf"""
    ^ \s* (?: {_MODIFIER} \s+ ){{0,2}}                       # "3% relative gain", "2.1 absolute
                                                             # point improvement"
    (?: (?P<noun> {_NOUNS} ) | (?P<comparative> {_COMPARATIVES} )
      | absolute | relative )                                # "3% absolute"
    (?![\p{{L}}])
    | ^ \s+ over \s+ (?! \d | (?:the\s+)? (?:course|years?|period|runs?|seeds?|trials?)\b )
                                                             # "5% over its BERT counterpart"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# A cue word just after the number, for its direction: "16 times fewer", "5% relative drop".
DIRECTION_AFTER = regex.compile(
    rf"""
    ^ \s* (?: {_MODIFIER} \s+ ){{0,2}}                       # "12% relative WER reduction"
    (?: (?P<comparative> {_COMPARATIVES} ) (?![\p{{L}}])
      | (?P<stem> {_STEMS} ) \p{{L}}* )
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
BOUND_BEFORE = regex.compile(
    rf"""
    (?: ^ | (?<![\p{{L}}]) )
    (?P<hedge> {lexicons.alternation(BOUND_OF)} ) \s* $   # "up to ", "over ", "~"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
BOUND_AFTER = regex.compile(
    rf"""
    ^ \s+ (?P<hedge> {lexicons.alternation(BOUND_AFTER_OF)} ) (?![\p{{L}}])   # " or more"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
# "by a factor of 4", "a 3-fold": the number is a multiplicative factor.
FACTOR_BEFORE = regex.compile(
    rf"""
    (?<![\p{{L}}]) (?:by\s+)? an? \s+ factor \s+ of       # "(by) a factor of"
    \s+ {LEAD} $                            # "a factor of about"
    """,
    regex.VERBOSE | regex.IGNORECASE | regex.REVERSE,
)
# A number in parentheses after a verb or noun of change and its object: "improves grounding
# (up to 14%)", "outperforms it by a large margin (up to 0.9 dB)".
PARENTHESIS_AFTER_CHANGE = regex.compile(
    rf"""
    (?<![\p{{L}}]) (?P<stem> {_STEMS} ) [\p{{L}}\-]*        # "improves", "reduction"
    (?: \s+ [^\s(),;]+ ){{0,{WORDS_BEFORE_PARENTHESIS}}}     # its object, no clause break
    \s* \( \s* (?P<lead> {LEAD} ) $                       # "(", "(up to"
    """,
    regex.VERBOSE | regex.IGNORECASE | regex.REVERSE,
)
# After the number: it is compared or followed, so it is a level, not the change itself.
COMPARED_AFTER = regex.compile(
    r"""^\s*(?: (?i:vs\.?|versus|to|→|->|against) (?![\p{L}]) | → | -> )""", regex.VERBOSE
)
# Heads of a measure next to an amount in a measurement unit ("latency of 12 ms").
_MEASURED = _columns("measured_heads.tsv")
_HEADS_BEFORE = lexicons.alternation(w for w, cols in _MEASURED if cols[0] in {"any", "before"})
_HEADS_AFTER = lexicons.alternation(w for w, cols in _MEASURED if cols[0] in {"any", "after"})
MEASURED_BEFORE = regex.compile(
    rf"""
    (?<![\p{{L}}]) (?: {_HEADS_BEFORE} ) (?![\p{{L}}])   # "latency", "throughput"
    [^,;.]{{0,{MEASURED_CHARS}}} $                       # "of", "on a single GPU is"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
MEASURED_AFTER = regex.compile(
    rf"""
    ^ \s* (?: of \s+ (?: the \s+ )? )?                        # "31 seconds of (the)"
    (?: {_MODIFIER} \s+ ){{0,{WORDS_IN_MEASURED_PHRASE}}}    # "annotation", not "without"
    (?: {_HEADS_AFTER} ) (?![\p{{L}}])                        # "time", "latency"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
ACHIEVED_BEFORE = regex.compile(
    rf"""
    (?<![\p{{L}}]) (?: {lexicons.alternation(lexicons.words("achievement_verbs.txt"))} )
    \s+ {LEAD} $                                        # "sustains over", "reaches"
    """,
    regex.VERBOSE | regex.IGNORECASE | regex.REVERSE,
)
# What a metric's value follows: "score of", "Elo rating =", "perplexity:".
VALUE_LINK = regex.compile(
    rf"""
    (?: \s+ (?:of|is|was|reaching|at) | \s* [=:] )?   # "score of", "Elo =", "perplexity:"
    \s* {LEAD} $                          # "score of about"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)


def stem_direction(stem: str) -> Direction | None:
    """The direction of a stem matched by a pattern here (the alternation takes the longest)."""
    return STEM_DIRECTION.get(stem.lower())


# Words that contrast two statements: a change after one does not take the cue before it.
CONTRAST = regex.compile(
    rf"""
      (?<![\p{{L}}]) (?: {lexicons.alternation(lexicons.words("contrast_words.txt"))} )
      (?![\p{{L}}])                  # "trails by 3 points but leads by 5"
    | ;                             # a new statement
    """,
    regex.VERBOSE | regex.IGNORECASE,
)


# Patterns of the kind rules: shares, rates, factors and the values of named metrics.
SHARE_OF_NOUN = regex.compile(
    r"""
    \s+ (?: (?! (?:across|on|in|of|for|with|over|at|to|from|by|and|or)\b ) [\p{Ll}\-]+ \s+ )?
                                                # one modifier: "0.3% trainable parameters"
    (?: """
    + "|".join(sorted((regex.escape(w) for w in COUNTED), key=len, reverse=True))
    + r""" | data | compute | budget | resources ) \b   # a counted thing or a resource
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
SHARE_AFTER = regex.compile(
    r"""^\s+ of \s+ (?! \d | the\s+(?:time|cases)\b )   # "40% of X", not "of 5" or "of the time"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
VALUE_OF_BEFORE = regex.compile(
    r"""\p{L} \s+ of \s+ (?:\S+\s+)? $   # "a utilization of (about) 48% of peak": a metric's value
    """,
    regex.VERBOSE,
)
RATE_UNIT = regex.compile(
    r"""
      /                      # a quotient: "tokens/s", "petaFLOP/s"
    | \bper\b                # "frames per second"
    | ^(?:fps|FPS|QPS)$      # rates written as one symbol
    """,
    regex.VERBOSE,
)
BY_WORD = regex.compile(r"(?<![\p{L}])by(?![\p{L}])", regex.IGNORECASE)
SCORE_HEADS = frozenset(w.lower() for w in lexicons.words("score_heads.txt"))
LAST_WORD = regex.compile(r"(?<![\p{L}\d@\-])[\p{L}][\p{L}\d@\-]*$")
RATIO_AFTER = regex.compile(
    r"""^\s+(?:the|as|that|over|than|more|less|higher|lower)\b   # "3 times the cost", "as much"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
RATIO_BEFORE = regex.compile(
    r"""
      \b(?:by|up\s+to|about|around|nearly|roughly|approximately|over|than|is|are|was|were
         |be|being|becomes?) \s+ (?:\S+\s+)? $   # "is 3 times", "by about 4 times"
    | [~≈]\s*$                                   # "~3 times"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
