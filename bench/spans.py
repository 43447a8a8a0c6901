"""Whole written quantities: claims grown to the hedge, range partner and tolerance around them.

A claim's ``span`` is one number with what is glued to it ("88.53%", "555B", "12 ms"). Readers,
and annotation schemes such as MeasEval's, mark a quantity as written: "~400 GPU hours",
"between 5 and 10 mm", "440 ± 50 K", "from 2 to 4 kV", "1:10", "three cores". ``quantity_spans``
gives those extents from the claims, plus the counts written as words, which claims leave out.
A count stays its number: the counted noun is what is counted, not part of the quantity
("five samples").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from claimex.extractors import lexicons
from claimex.extractors.numbers import SPELLED_CARDINAL
from claimex.extractors.units import glued_unit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from claimex.extractors.model import Claim

Span = tuple[int, int]

# Hedges and range openers written right before a quantity.
LEAD = regex.compile(
    r"(?:(?<![\p{L}])(?:between|about|around|approximately|roughly|nearly|almost|over|"
    r"under|up\s?to|at\s+least|at\s+most|"
    r"(?:not\s+)?(?:more|less|fewer|greater|lower|higher|better)\s+than|"
    r"as\s+(?:low|high|much|many|little|few)\s+as|below|above|within|beyond|before|after|"
    r"since|until|towards?|close\s+to|down\s+to|(?:of|in|on)\s+the\s+order\s+of|on\s+average|"
    r"circa|ca\.)\s+"
    r"|[~≈∼<>≤≥⩽⩾≲≳]\s?)$",
    regex.IGNORECASE,
)
# "from" opens a quantity only when a "to" closes it: "from 2 to 4 kV", not "from 4 samples".
RANGE_LEAD = regex.compile(
    r"(?<![\p{L}])(?:(?:a\s+)?(?:range|ranging)\s+(?:(?:of|from)\s+)?|from\s+)$",
    regex.IGNORECASE,
)
# "between 5% and 9%": two quantities with their units, written as one range.
BETWEEN = regex.compile(r"(?<![\p{L}])between\s+[~≈∼]?\s?$", regex.IGNORECASE)

TOLERANCE = regex.compile(r"\s*(?:±|\+/-|\+-)\s*")
# "from ~20 ppm to ~180 ppm", "5 to around 8 K": a range whose second end carries its own hedge.
HEDGED_TO = regex.compile(r"\s+to\s+(?:[~≈∼]\s?|(?:about|around|approximately|roughly)\s+)")
# Bounds and rates written after a quantity: "5 or more", "12% per year", "3 mm per side" is not.
OPEN_BOUND = regex.compile(
    r"\s+or\s+(?:more|less|fewer|greater|higher|lower|above|below)(?![\p{L}])"
)
PER = regex.compile(r"\s+per\s+")
# The second end of a range written with a dash, when it was not taken as a claim: "∼2–3 mA".
DASHED_END = regex.compile(r"[-–]\d+(?:\.\d+)?")
# Counts in words with the unit words that only follow numbers: "thirty percent", "six times".
SPELLED_UNIT = regex.compile(
    r"\s+(?:per\s?cent|times|orders?\s+of\s+magnitude|fold)(?![\p{L}])", regex.IGNORECASE
)
# Calendar years and dates, which claims leave out as names: "in 1991", "1997 to 1999",
# "between 2005 and 2010", "6 November 2011". A year right after an author or inside a
# bracketed reference is a citation ("Smith et al., 2001", "[Lee 2019]").
MONTH = lexicons.alternation(lexicons.words("months.txt"))
YEAR = r"(?:1[6-9]|20)\d\d(?![\p{L}\d]|[.,]\d)"
DATE = r"(?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:" + MONTH + r")\.?\s+(?:\d{1,2},?\s+)?)?" + YEAR
YEARS = regex.compile(
    r"(?<![\p{L}\d.,/\-–])"
    + DATE
    + r"(?:(?:\s?[-–]\s?|\s+to\s+|\s+and\s+|,\s*(?:and\s+)?)"
    + DATE
    + r")*"
)
CITATION_BEFORE = regex.compile(
    r"""
      al\.[,;]?\s*\(?$                      # Smith et al., 2001 / Smith et al. (2001)
    | \p{Lu}[\p{Ll}'’\-]+ (?:,\s*|\s*\() $  # Smith, 2001 / Smith (2001)
    | \( [^)]* \p{Lu}[\p{Ll}'’\-]+ \s+ $    # (Smith 2001 / (see Lee and Smith 2001
    | \)[,;]?\s*\(?$                         # Smith (2001), 2004
    | \[[^\]]*$                              # [Smith 2001
    | \([^)]*\p{L}[^)]*[,;]\s*$              # (see Smith and Lee, 2001
    """,
    regex.VERBOSE,
)
# A claim span that carries its unit: a letter or symbol after the digits.
WITH_UNIT = regex.compile(r"\d\s?[^\d\s.,]")
# Conditions that annotation schemes count as quantities although no number is written.
NAMED_QUANTITY = regex.compile(
    r"(?<![\p{L}])(?:room\s+temperature|standard\s+temperature\s+and\s+pressure)(?![\p{L}])",
    regex.IGNORECASE,
)
# Digits joined by a colon are one ratio or clock time: "1:10", "3:1", "05:28".
RATIO = regex.compile(r":")
# Factors of a product written apart: dimensions ("2 × 3 mm", "640 m × 320 m") and a mantissa
# with its power of ten whose superscript was flattened ("6 × 106 kg" for 6 × 10^6 kg).
TIMES = regex.compile(r"\d\s?(?:\p{L}{1,3}\d?\s)?×\s?$")
FACTOR_GAP = regex.compile(r"\s?(?:×\s?)?")


def _joins(text: str, group: Sequence[Claim], claim: Claim) -> bool:
    """Whether ``claim`` continues the quantity that the claims of ``group`` begin."""
    prev = group[-1]
    between = text[prev.end : claim.start]
    if claim.joined == "range":
        return True
    if claim.joined == "list":
        opened = BETWEEN.search(text, max(0, group[0].start - 12), group[0].start)
        return bool(opened) or not _both_whole(prev, claim)
    if TOLERANCE.fullmatch(between) or (claim.span[:1] == "±" and len(between) <= 1):
        return True  # "440 ± 50 K"
    if HEDGED_TO.fullmatch(between):
        return True
    if between == ":" and prev.span[-1:].isdigit() and claim.span[:1].isdigit():
        return True
    if TIMES.search(prev.span + between) and FACTOR_GAP.fullmatch(between):
        return True  # dimensions "2 × 3 mm", "640 m × 320 m"; "6 × 106 kg": a flattened power
    # "10" + "−4": a power of ten with its superscript flattened
    return prev.span == "10" and between == "" and claim.span[:1] == "−"


def _both_whole(prev: Claim, claim: Claim) -> bool:
    """Whether two listed claims each carry their own unit ("80% and 81%", "3 K and 5 K").

    Each is then a whole quantity, where in "3 and 5 K" the first needs the unit of the last.
    """
    return bool(WITH_UNIT.search(prev.span) and WITH_UNIT.search(claim.span))


def _groups(text: str, claims: Sequence[Claim]) -> list[list[Claim]]:
    """The claims in groups, each group written as one quantity.

    A group is a range or a list ("9 and 21 kg"), a value and its tolerance ("440 ± 50 K"), a
    ratio ("1:10") or a mantissa and its power of ten.
    """
    groups: list[list[Claim]] = []
    for claim in claims:
        if groups and _joins(text, groups[-1], claim):
            groups[-1].append(claim)
        else:
            groups.append([claim])
    return groups


def _range_start(text: str, start: int) -> int:
    """Where a quantity starts whose claim begins at the dash of a range: at its first number.

    That first number was not taken as a quantity: "CI 1.66-4.88", written with an en dash, has
    the one claim "-4.88".
    """
    if start == 0 or text[start] not in "-–" or not text[start - 1].isdigit():
        return start
    m = regex.search(r"\d[\d.,]*$", text[max(0, start - 24) : start])
    return start - len(m.group()) if m else start


def _lead_start(text: str, start: int, is_range: bool) -> int:
    """Where the hedge or range opener written before ``start`` begins, if there is one."""
    for _ in range(2):  # hedges stack: "up to around 650 K", "below ~460 K"
        lead = LEAD.search(text, max(0, start - 24), start)
        if lead is None:
            break
        start = lead.start()
    if is_range:
        opener = RANGE_LEAD.search(text, max(0, start - 24), start)
        if opener:
            start = opener.start()
    return start


def _range_end(text: str, end: int) -> int:
    """Where a quantity ends whose dashed range's second end was not taken as a claim.

    The quantity then takes the dash, the number and its unit: "Jsc~2-3 mA/cm2", written with an
    en dash, has the one claim "2".
    """
    m = DASHED_END.match(text, end)
    if m is None or (end > 0 and not text[end - 1].isdigit()):
        return end
    unit = glued_unit(text[m.end() : m.end() + 40], spaced=False)
    if unit is None and text[m.end() : m.end() + 1] == " ":
        unit = glued_unit(text[m.end() + 1 : m.end() + 40], spaced=True)
        return m.end() + 1 + len(unit) if unit else m.end()
    return m.end() + len(unit or "")


def _tail_end(text: str, end: int) -> int:
    """Where a quantity ends with the bound or rate written after it ("5 or more", "3% per year").

    "12 pairs per mm" keeps only its number: the counted noun stands before "per".
    """
    bound = OPEN_BOUND.match(text, end)
    if bound:
        return bound.end()
    per = PER.match(text, end)
    if per and end > 0 and not text[end - 1].isdigit():
        unit = glued_unit(text[per.end() : per.end() + 40], spaced=True)
        if unit is not None:
            return per.end() + len(unit)
    return end


def _claim_spans(text: str, claims: Sequence[Claim]) -> list[Span]:
    spans = []
    for group in _groups(text, claims):
        start, end = _range_start(text, group[0].start), group[-1].end
        last = group[-1]
        if last.unit_start == end + 1 and text[end : end + 1] in "-–":
            end = last.unit_end or end  # "an 8-year record": the unit is written with a hyphen
        end = _tail_end(text, _range_end(text, end) if len(group) == 1 else end)
        is_range = len(group) > 1 and " to " in text[group[0].end : group[-1].start]
        spans.append((_lead_start(text, start, is_range), end))
    return spans


def _spelled_span(text: str, m: regex.Match[str]) -> Span | None:
    """A count written as a word, with the unit written after it ("three metre", "ten-day").

    A compound adjective that is not a unit ("two-dimensional") is no count, and "one" is a
    quantity only with a unit or a bound ("one week", "at least one"): alone it is a pronoun.
    """
    end = m.end()
    rest = text[end : end + 40]
    if rest[:1] in "-–":
        unit = glued_unit(rest[1:], spaced=True)
        if unit is None or not unit.isalpha():
            return None
        end += 1 + len(unit)
    elif rest[:1] == " " and (unit := glued_unit(rest[1:], spaced=True)) and len(unit) > 1:
        end += 1 + len(unit)
    elif spelled_unit := SPELLED_UNIT.match(text, end):
        end = spelled_unit.end()
    start = _lead_start(text, m.start(), is_range=False)
    if m.group().lower() == "one" and end == m.end() and start == m.start():
        return None
    return start, end


def _spelled_spans(text: str, taken: Sequence[Span]) -> list[Span]:
    """Counts written as words outside the claims' spans ("three cores", "twenty-two sites")."""
    spans = []
    for m in SPELLED_CARDINAL.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        span = _spelled_span(text, m)
        if span is not None:
            spans.append(span)
    return spans


def _year_spans(text: str, taken: Sequence[Span]) -> list[Span]:
    """Years and dates outside the claims' spans and outside citations.

    Their ranges and lists ("1997, 2003, and 2008") and hedges ("between 2005 and 2010") are
    part of them.
    """
    spans = []
    for m in YEARS.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if CITATION_BEFORE.search(text, max(0, m.start() - 60), m.start()):
            continue
        spans.append((_lead_start(text, m.start(), is_range=False), m.end()))
    return spans


def quantity_spans(text: str, claims: Sequence[Claim]) -> list[Span]:
    """One (start, end) per written quantity, in text order.

    Ranges, lists, tolerances and hedges are included, and so are the counts written as words,
    the years and dates and the named conditions ("room temperature") that claims leave out.
    """
    spans = _claim_spans(text, claims)
    spans += _spelled_spans(text, spans)
    spans += _year_spans(text, spans)
    return sorted(spans + [m.span() for m in NAMED_QUANTITY.finditer(text)])
