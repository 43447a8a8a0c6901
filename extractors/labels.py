"""Numbers that label rather than measure, for the rules of ``names.NOT_A_QUANTITY``.

Enumerators ("(1)", "2) robust"), citations ("[12]"), references into the paper ("Table 2"),
dates written in digits ("2023.11.02", "2023-11-02"), labels in parentheses ("(split 2)",
"(Setting 3)"), hardware model numbers ("RTX 4090"), and a lower-case "b" that sizes nothing
("Figure 3b", "step 2b"; "7b and 33b checkpoints" are sizes). Each is one small predicate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from claimex.extractors import lexicons
from claimex.extractors.vocabulary import METRIC

if TYPE_CHECKING:
    from claimex.extractors.draft import Draft

REFERENCE_BEFORE = regex.compile(
    rf"""
    (?: ^ | (?<=[\s(\[]) )                                    # a word of its own
    (?: {lexicons.alternation(lexicons.words("reference_words.txt"))} )   # "Table", "Eq."
    \s* $
    """,
    regex.VERBOSE | regex.IGNORECASE,  # "section 23" as well as "Section 3"
)
ENUMERATOR_CHARS = 12  # "(" or "[3, " before the number, ")" or ", 4]" after it
PARENTHESIS_CHARS = 40  # "which is 1) effective": how far back an opening "(" is looked for
REFERENCE_CHARS = 16  # "Figures 3" before the number
DATE_CHARS = 11  # how far a date written in digits reaches on each side of one of its numbers
LABEL_CHARS = 24  # "(Setting 3)": the parenthesis and the label word before the number
SIZE_CHARS = 60  # "model checkpoints (7b, 13b and": sizes named before a lower-case size

NUMERIC_DATE = regex.compile(
    r"""
    (?<! [\d.] )
    (?: 19|20 ) \d{2}                          # the year
    (?P<sep> [./\-] ) (?: 0?[1-9] | 1[0-2] )   # the month, after ".", "/" or "-"
    (?P=sep) (?: 0?[1-9] | [12]\d | 3[01] )    # the day, after the same separator
    (?! \d )
    """,
    regex.VERBOSE,
)
LABEL_BEFORE = regex.compile(
    r"""\( \s* (?P<word> \p{L}[\p{L}\-]+ ) \s+ $   # "(split ", "(Setting "
    """,
    regex.VERBOSE,
)
LABEL_AFTER = regex.compile(r"\s*\)")
CITATION_BEFORE = regex.compile(r"\[[\d,\s\-–]*$")  # "[3, " before the number of "[3, 4]"
CITATION_AFTER = regex.compile(r"[\d,\s\-–]*\]")  # ", 4]" after it
# Words before a number in parentheses that hedge or count it, so that it is a quantity.
NOT_LABEL_WORDS = frozenset(
    w.lower()
    for w in (
        *(phrase for phrase, _ in lexicons.pairs("bounds.tsv")),
        *lexicons.words("number_fillers.txt"),
        *lexicons.words("quantifiers.txt"),
        "top",
        "total",
        "avg",
        "average",
        "mean",
        "median",
    )
)
HARDWARE_BEFORE = regex.compile(
    r"(?<![\p{L}\d])(?:"
    + lexicons.alternation(lexicons.words("hardware_series.txt"))
    + r")\s$"  # "RTX 4090": the line, one space, its model number
)
_SIZE_NOUNS = lexicons.alternation(lexicons.words("model_size_nouns.txt"))
_LOWER_SIZE = r"\d+(?:\.\d+)?b(?![\p{L}\d])"
# After a lower-case size: more sizes, then what they size ("7b, 13b and 33b models").
SIZE_AFTER = regex.compile(
    rf"""
    (?: \s* (?:,|and|or|to|/|-|–) \s* (?:and\s+)? {_LOWER_SIZE} )*   # ", 13b and 33b"
    (?: \s | - )? \s*
    (?: (?i: {_SIZE_NOUNS} | param\p{{L}}* ) | \p{{Lu}}{{2,}}s? ) (?![\p{{L}}])   # "models", "LLMs"
    """,
    regex.VERBOSE,
)
# Before it: what is sized, and the sizes before it ("snapshots (3b to", "sizes of 1b, ").
SIZE_BEFORE = regex.compile(
    rf"""
    (?i: {_SIZE_NOUNS} | sizes? | scales? ) (?:\s+(?:of|from|between|in))?   # "sizes of"
    \s* \(? \s*                                                             # "checkpoints ("
    (?: {_LOWER_SIZE} \s* (?:,|and|or|to|-|–) \s* (?:and\s+)? )* $          # "7b to "
    """,
    regex.VERBOSE,
)


def _integer(digits: str, most: int) -> bool:
    return digits.isascii() and digits.isdigit() and len(digits) <= most


def is_numeric_date(text: str, d: Draft) -> bool:
    """'(2023.11.02)', '2023-11-02': every number of a date written in digits."""
    lo, hi = max(d.sentence.start, d.start - DATE_CHARS), min(d.sentence.end, d.end + DATE_CHARS)
    return any(
        m.start() <= d.start and d.end <= m.end() for m in NUMERIC_DATE.finditer(text, lo, hi)
    )


def is_parenthesised_label(text: str, d: Draft) -> bool:
    """'(split 2)', '(Setting 3)': a small number that names one of several, in parentheses."""
    if d.unit or d.multiplier or d.sign or not _integer(text[d.start : d.end], 2):
        return False
    m = LABEL_BEFORE.search(text, max(d.sentence.start, d.start - LABEL_CHARS), d.start)
    if m is None or not LABEL_AFTER.match(text, d.end):
        return False
    return m["word"].lower() not in NOT_LABEL_WORDS and METRIC.fullmatch(m["word"]) is None


def is_hardware_model(text: str, d: Draft) -> bool:
    """'RTX 4090', 'Xeon 8380': the model number of a hardware product line."""
    digits = text[d.start : d.end]
    if d.unit or d.multiplier or d.sign or len(digits) < 3 or not _integer(digits, 5):
        return False
    return (
        HARDWARE_BEFORE.search(text, max(d.sentence.start, d.start - LABEL_CHARS), d.start)
        is not None
    )


def is_unsized_lower_b(text: str, d: Draft) -> bool:
    """'Figure 3b', 'step 2b': a lower-case 'b' that sizes no model is a letter, not billions."""
    if d.multiplier != "b":
        return False
    sized = SIZE_AFTER.match(text, d.end, d.sentence.end) or SIZE_BEFORE.search(
        text, max(d.sentence.start, d.start - SIZE_CHARS), d.start
    )
    return sized is None


def is_enumerator_or_citation(text: str, d: Draft) -> bool:
    """'(1)', '2) robust', '[12]', '[3, 4]': enumerators and citations."""
    before = text[max(0, d.start - ENUMERATOR_CHARS) : d.start]
    after = text[d.end : d.end + ENUMERATOR_CHARS]
    if d.unit or d.multiplier or d.sign or not text[d.start : d.end].isdigit():
        return False  # "(1/8)" is a fraction
    if before.endswith("(") and after.startswith(")"):
        return True  # (1), (2)
    if after.startswith(")") and not _open_parenthesis(
        text[max(0, d.start - PARENTHESIS_CHARS) : d.start]
    ):
        return True  # "which is 1) effective … 2) robust": an enumerator without its "("
    # citations: [12], [3, 4], [5-7]
    return bool(CITATION_BEFORE.search(before) and CITATION_AFTER.match(after))


def _open_parenthesis(before: str) -> bool:
    """A "(" before that is not closed yet: "(5 runs)" closes its own, "(see 2)" does not."""
    return before.rfind("(") > before.rfind(")")


def is_reference(text: str, d: Draft) -> bool:
    """'Table 2', 'Section 4', 'Eq. 3': a reference into the paper."""
    return bool(REFERENCE_BEFORE.search(text[max(0, d.start - REFERENCE_CHARS) : d.start]))
