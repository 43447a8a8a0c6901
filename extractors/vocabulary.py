"""Names claimex knows (metrics, datasets, model families) and how it recognises a name.

The lexicons under ``extractors/lexicons`` become compiled patterns here, once. ``is_name``
and ``clean_phrase`` are shared by the linking steps.
"""

from __future__ import annotations

import regex

from extractors import lexicons


def _names_pattern(entries: tuple[str, ...], plural: bool = False) -> regex.Pattern[str]:
    """Lower-case entries match in any case; entries with capitals match as written.

    One alternation, longest entry first, so the longest name wins whatever its case rule
    ("Wikitext-103" is not cut to a cased "WikiText"). With ``plural``, a written plural "s" is
    part of the match ("F-scores", "WERs").
    """
    ordered = sorted(set(entries), key=lambda e: (-len(e), e))
    parts = [f"(?i:{regex.escape(e)})" if e == e.lower() else regex.escape(e) for e in ordered]
    tail = r"(?:s|es)?" if plural else ""
    return regex.compile(
        r"(?<![\p{L}\d\-])(?:" + "|".join(parts) + r")" + tail + r"(?![\p{L}\d]|-\p{L})"
    )


METRIC = _names_pattern(lexicons.words("metrics.txt"), plural=True)
DATASET = _names_pattern(lexicons.words("datasets.txt"))
MODEL_FAMILIES = lexicons.alternation(lexicons.words("models.txt"))
MODEL = regex.compile(r"^(?:" + MODEL_FAMILIES + r")(?:[\-\d.\s]|$)")
METRIC_HEADS = frozenset(lexicons.words("metric_heads.txt"))
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
    (?: \s\d+(?:\.\d)? (?![\d%]) )?                # "ERNIE 3.0", "SQuAD 2.0"
    (?![\p{L}\d])
    """,
    regex.VERBOSE,
)
# Capitalised words that look like names but are the language of abstracts.
NOT_NAMES = frozenset(lexicons.words("common_acronyms.txt"))
QUANTIFIERS = frozenset(lexicons.words("quantifiers.txt"))
NP_END = regex.compile(
    r"\s+(?:on|in|by|across|at|for|with|while|and|or|when|using|which|that|of|to|from|"
    r"respectively|without|under|\d)\b.*$",
    regex.IGNORECASE | regex.DOTALL,
)
DETERMINER = regex.compile(r"^(?:the|a|an|its|their|our|this|these|those)\s+", regex.IGNORECASE)
PARENTHETICAL = regex.compile(r"\s--\s.*?\s--\s|\s—.*?—\s|\([^()]*\)")


def clean_phrase(np: str | None) -> str | None:
    if np is None:
        return None
    np = PARENTHETICAL.sub(" ", np)
    np = NP_END.sub("", np.strip())
    np = DETERMINER.sub("", np.strip()).strip(" -'\"“”")
    if not np or len(np.split()) > 6 or any(c.isdigit() for c in np if np.isdigit()):
        return None
    return np


def is_name(token: str) -> bool:
    return token not in NOT_NAMES and NAME.fullmatch(token) is not None
