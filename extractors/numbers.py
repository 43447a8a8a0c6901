"""Number candidates: every number written with digits, its value and what is glued to it.

One verbose pattern finds them; it runs once over each sentence and is linear in its length.
Whether a number is a quantity at all (``GPT-4`` is not) is decided later, in ``names``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors.draft import Doc, Draft
from claimex.extractors.units import counted_noun

if TYPE_CHECKING:
    from collections.abc import Iterator

    from claimex.extractors.sentences import Sentence

NUMBER = regex.compile(
    r"""
    (?P<times> (?<! \d\s? ) × (?=\d) )?             # a factor written first: "×2.5"
    (?P<sign> ±\s? | \+ | [-−–](?=\.?\d) | [↑↓] )?  # a sign: "+0.8%", "−2.1", "± 0.4", "↑2.1"
    (?P<digits>
        \d{1,3} (?:,\d{3})+ (?![\d,]\d) (?:\.\d+)?   # grouped thousands: 600,000
      | \d{1,3} (?:[\u2009\u202f]\d{3})+ (?!\d)       # thin spaces: 600 000
      | \d{1,3} (?:\ \d{3}){2,} (?!\d)                # spaces, two groups at least: 1 000 000
      | \d+ (?:\.\d+)?                               # plain: 88.53
      | (?<!\d) \.\d+                                # bare fraction: .85, not ".3" of "3.1.3"
    )
    (?P<caret> \^ \{? (?P<caret_exp> [-−]?\d{1,3} ) \}? (?![\p{L}\d]) )?   # a power: 10^6, 2^{16}
    (?P<exponent> [eE][-+−]?\d+ (?![\p{L}\d]) )?     # scientific: 1e-4
    (?P<power>                                       # 2×10^-4, 1 × 10−5, 3x10⁵
        \s?[×x·]\s?10 (?: \^\{?[-+−]?\d+\}? | [-−–]\s?\d+ | ⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+ ) (?![\p{L}\d])
    )?
    (?P<plus> \+ (?![\d]) )?                         # open-ended: "10+%"
    (?:
        (?P<letter> [kKMBTb] ) (?![\p{L}\d])         # glued magnitude: 555B, 212k, 7.4M, 7b
      | \s? (?P<word> (?i: thousand | million | billion | trillion ) ) (?![\p{L}])
    )?
    (?P<plus_after> \+ (?![\d]) )?                   # open-ended after a magnitude: "10M+"
    (?P<suffix>
        \s? (?: \\?% | (?i: per\s?cent ) (?![\p{L}]) )          # percent, LaTeX "\%" too
      | \s? (?: pp (?![\p{L}]) | p\.p\. | (?i: percentage\s+points? ) (?![\p{L}]) )
      | [x×X] (?![\p{L}\d])                                     # glued ratio: 2.5x
      | \s? \$? \\times \$? (?![\p{L}])                          # LaTeX: 3.5$\times$
      | \s × (?![\p{L}\d]) (?!\s*\d)                           # 3 ×, not "3 × 4"
      | \s (?i: times ) (?![\p{L}]) (?!\s+\d)                  # 3 times, not "8 times 40"
      | -? (?i: fold ) (?![\p{L}])                              # 3-fold, 10fold
    )?
    """,
    regex.VERBOSE,
)

# Spelled-out magnitudes with a spelled or bare count: "one trillion", "a million".
SPELLED = regex.compile(
    r"""
    (?<![\p{L}\d-])
    (?P<count> (?i: a | one | two | three | four | five | six | seven | eight | nine | ten
                  | twelve | twenty | fifty | hundred | several ) \s )?
    (?P<word> (?i: thousand | million | billion | trillion ) )
    (?![\p{L}-])
    """,
    regex.VERBOSE,
)

MAGNITUDES = {
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "B": 1e9,
    "b": 1e9,  # "7b": a model size; ``names`` drops it where it sizes nothing ("Figure 3b")
    "T": 1e12,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
SPELLED_COUNTS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "twenty": 20,
    "fifty": 50,
    "hundred": 100,
}
MINUS = "-−–"

# Cardinals written as words, which readers count with as they do with digits ("three cores",
# "twenty-two sites"). Claims keep to digits; ``spans`` marks these as quantities as written.
ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
SPELLED_CARDINAL = regex.compile(
    r"(?<![\p{L}\d\-])(?:(?:"
    + "|".join(TENS)
    + r")(?:[\-\s](?:"
    + "|".join(ONES[1:10])
    + r"))?|"
    + "|".join(sorted(ONES, key=len, reverse=True))
    + r")(?![\p{L}\d])",
    regex.IGNORECASE,
)


def _suffix_unit(suffix: str) -> str | None:
    s = suffix.strip().lower()
    if not s:
        return None
    if s.endswith("%") or s.startswith("per"):
        return "%"
    if s in {"pp", "p.p."} or s.startswith("percentage"):
        return "pp"
    return "x"  # x, ×, times, fold


SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
POWER_OF_TEN = regex.compile(r"10\^?\{?(?P<exp>[-+−–]?\s?\d+)")


def _exponent(match: regex.Match[str]) -> str:
    """The exponent as Python writes it ("e-4"), or an empty string when there is none.

    It is read from "1e-4", or from a power of ten written after a multiplication sign, with a
    caret, a minus sign or superscript digits.
    """
    if match["power"]:
        power = POWER_OF_TEN.search(match["power"].translate(SUPERSCRIPTS))
        return "e" + power["exp"].replace(" ", "") if power else ""
    return match["exponent"] or ""


def _value(match: regex.Match[str]) -> float | None:
    digits = match["digits"].replace(",", "").replace(" ", "").replace("\u2009", "")
    digits = digits.replace("\u202f", "")
    exponent = _exponent(match).replace("−", "-").replace("–", "-")
    try:
        value = float(digits + exponent)
        if match["caret"]:
            value **= int(match["caret_exp"].replace("−", "-"))
    except (ValueError, OverflowError, ZeroDivisionError):  # "10^999", "0^-1"
        return None
    magnitude = match["letter"] or (match["word"] or "").lower()
    value *= MAGNITUDES.get(magnitude, 1.0)
    if match["sign"] and match["sign"] in MINUS:
        value = -value
    if not math.isfinite(value):
        return None
    return value


def _numbers(text: str, sentence: Sentence) -> Iterator[Draft]:
    for m in NUMBER.finditer(text, sentence.start, sentence.end):
        value = _value(m)
        if value is None:
            continue
        suffix = m["suffix"] or ("×" if m["times"] else "")
        yield Draft(
            start=m.start(),
            end=m.end(),
            value=value,
            sentence=sentence,
            number_start=m.start("digits"),
            unit=_suffix_unit(suffix),
            unit_source="suffix" if suffix.strip() else None,
            sign=m["sign"].strip() if m["sign"] else None,
            multiplier=m["letter"] or m["word"],
            open_ended=bool(m["plus"] or m["plus_after"]),
        )


def _spelled(text: str, sentence: Sentence) -> Iterator[Draft]:
    chunk = text[sentence.start : sentence.end].lower()
    if "illion" not in chunk and "thousand" not in chunk:
        return  # most sentences spell no magnitude, and the full pattern is slow to scan
    for m in SPELLED.finditer(text, sentence.start, sentence.end):
        count = SPELLED_COUNTS.get((m["count"] or "a").strip().lower())
        if count is None:  # "several million": a magnitude, but no value to give
            continue
        start = m.start("word") if m["count"] and m["count"].lower().startswith("a") else m.start()
        yield Draft(
            start=start,
            end=m.end(),
            value=count * MAGNITUDES[m["word"].lower()],
            sentence=sentence,
            number_start=start,
            multiplier=m["word"],
        )


# A proper fraction written with a slash: "1/8 of the compute" is one value, 0.125.
FRACTION = regex.compile(
    r"""
    (?<! [\p{L}\d/.,_@^\-] )              # not glued to a name or a longer number: "W4/8"
    (?P<num> [1-9]\d{0,2} ) / (?P<den> [1-9]\d{0,3} )
    (?! [\d/] | [.,]\d                     # not "1/2/4", "1/2.5"
      | \s?\\?% | [-–]?\p{L} )             # nor "1/2%", "4/8-bit", "1/4x"
    """,
    regex.VERBOSE,
)


def _fractions(text: str, sentence: Sentence) -> Iterator[Draft]:
    for m in FRACTION.finditer(text, sentence.start, sentence.end):
        num, den = int(m["num"]), int(m["den"])
        if num >= den or counted_noun(text, m.end(), sentence.end) is not None:
            continue  # "4/2", "on 8/16 GPUs": a list written with a slash
        yield Draft(
            start=m.start(), end=m.end(), value=num / den, sentence=sentence, number_start=m.start()
        )


def _apart(extra: Draft, taken: list[tuple[int, int]]) -> bool:
    return not any(s < extra.end and extra.start < e for s, e in taken)


def find_numbers(doc: Doc) -> Doc:
    """Draft one claim per number written in each sentence (names are weeded out later)."""
    drafts: list[Draft] = []
    for sentence in doc.sentences:
        if doc.max_numbers is not None and len(drafts) >= doc.max_numbers:
            break
        found = list(_fractions(doc.text, sentence))
        taken = [(d.start, d.end) for d in found]
        found += [d for d in _numbers(doc.text, sentence) if _apart(d, taken)]
        taken = [(d.start, d.end) for d in found]
        found += [d for d in _spelled(doc.text, sentence) if _apart(d, taken)]
        drafts.extend(sorted(found, key=lambda d: d.start))
    return msgspec.structs.replace(doc, drafts=tuple(drafts[: doc.max_numbers]))
