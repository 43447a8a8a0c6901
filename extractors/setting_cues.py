"""Cue words that make a number a setting or a share, not a result, from the lexicons.

"batch size 512", "k=5", "at 70% sparsity", "5-fold cross-validation", "40% of the peak": each
pattern is anchored at the number as in ``extractors.cues`` (``…_BEFORE`` at the end of the
text before it, ``REVERSE``; ``…_AFTER`` at the start of the text after it). The words are data:
``setting_names.txt``, ``fold_protocols.txt``, ``peak_shares.txt``.
"""

from __future__ import annotations

import regex

from claimex.extractors import lexicons
from claimex.extractors.cues import LEAD

PEAK_SHARE_AFTER = regex.compile(
    rf"""
    ^ \s+ of \s+ (?: the \s+ )?                          # "40% of (the)"
    (?: {lexicons.alternation(lexicons.words("peak_shares.txt"))} ) (?![\p{{L}}])   # "peak"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
_SETTINGS = lexicons.alternation(lexicons.words("setting_names.txt"))
# The value of a setting: "batch size 512", "a learning rate of 1e-4", "k=5", "λ = 0.1".
SETTING_BEFORE = regex.compile(
    rf"""
    (?<![\p{{L}}\-]) (?: {_SETTINGS} )                      # "batch size", "temperature"
    \s* (?: = | : | \s (?:of|is|was|set\s+to|to|as|equal\s+to) )? \s*  # "of", "=", "set to"
    {LEAD} $
    | (?<![\p{{L}}\d]) [\p{{L}}] \s* [=<>≤≥] \s* $         # a symbol: "k=5", "λ = 0.1", "p<0.05"
    """,
    regex.VERBOSE | regex.IGNORECASE | regex.REVERSE,
)
# A setting named right after a percentage: "at 70% sparsity", "with 20% label noise".
SETTING_AFTER = regex.compile(
    rf"""
    ^ \s+ (?: {_SETTINGS} ) (?![\p{{L}}\-])               # "sparsity", "dropout"
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
FOLD_PROTOCOL_AFTER = regex.compile(
    rf"""
    ^ [\s\-]+ (?: {lexicons.alternation(lexicons.words("fold_protocols.txt"))} ) (?![\p{{L}}])
    """,  # "5-fold cross-validation"
    regex.VERBOSE | regex.IGNORECASE,
)
