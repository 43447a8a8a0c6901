"""Whole written quantities: claims grown to the hedge, range partner and tolerance around them.

A claim's ``span`` is one number with what is glued to it ("88.53%", "555B", "12 ms"). Readers,
and annotation schemes such as MeasEval's, mark a quantity as written: "~400 GPU hours",
"between 5 and 10 mm", "440 ± 50 K". ``quantity_spans`` gives those extents from the claims,
with no second pass over the text. A count stays its number: the counted noun is what is
counted, not part of the quantity ("five samples").
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from extractors.model import Claim

Span = tuple[int, int]

# Hedges and range openers written right before a quantity.
LEAD = regex.compile(
    r"(?:(?<![\p{L}])(?:between|about|around|approximately|roughly|nearly|almost|over|"
    r"under|up\s+to|at\s+least|at\s+most|(?:more|less|fewer|greater|lower|higher)\s+than|"
    r"as\s+(?:low|high|much|many|little|few)\s+as|below|above|within|near|before|after)\s+"
    r"|[~≈∼<>≤≥]\s?)$",
    regex.IGNORECASE,
)


TOLERANCE = regex.compile(r"\s*(?:±|\+/-|\+-)\s*")


def _groups(text: str, claims: Sequence[Claim]) -> list[list[Claim]]:
    """Claims joined as a range or a list ("9 and 21 kg"), or a value and its tolerance
    ("440 ± 50 K")."""
    groups: list[list[Claim]] = []
    for claim in claims:
        between = text[groups[-1][-1].end : claim.start] if groups else ""
        tolerance = TOLERANCE.fullmatch(between) or (claim.span[:1] == "±" and len(between) <= 1)
        if groups and (claim.joined in {"range", "list"} or tolerance):
            groups[-1].append(claim)
        else:
            groups.append([claim])
    return groups


def quantity_spans(text: str, claims: Sequence[Claim]) -> list[Span]:
    """One (start, end) per written quantity: ranges, lists, tolerances and hedges included."""
    spans = []
    for group in _groups(text, claims):
        start, end = group[0].start, group[-1].end
        last = group[-1]
        if last.unit_start == end + 1 and text[end : end + 1] in "-–":
            end = last.unit_end or end  # "an 8-year record": the unit is written with a hyphen
        lead = LEAD.search(text, max(0, start - 20), start)
        spans.append((lead.start() if lead else start, end))
    return spans
