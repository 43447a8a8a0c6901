"""How sure the extractor is that a draft is a real claim with the right kind.

A first, rule-based estimate from how the quantity was recognised: a unit written with the
number ("%", "x", "ms") is strong evidence; a bare integer with nothing around it is weak.
Calibration against gold data is tracked in issue 7 (claims ≥ 0.8 must be right ≥ 90%).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from claimex.extractors.model import RESULT_KINDS

if TYPE_CHECKING:
    from claimex.extractors.draft import Doc, Draft

BY_UNIT_SOURCE = {
    "suffix": 0.9,
    "measure": 0.85,
    "noun": 0.8,
    "shared": 0.8,
    "inferred": 0.7,
}


def _confidence(text: str, d: Draft) -> float:
    base = BY_UNIT_SOURCE.get(d.unit_source or "", 0.0)
    if not base:
        has_decimals = "." in text[d.number_start : d.end]
        base = 0.75 if d.sign or d.multiplier else (0.6 if has_decimals else 0.35)
    if d.kind in RESULT_KINDS and not (d.metric or d.dataset):
        base -= 0.1
    return round(max(0.05, min(0.99, base)), 2)


def estimate_confidence(doc: Doc) -> Doc:
    """The confidence of every draft, from how its quantity was recognised."""
    drafts = tuple(
        msgspec.structs.replace(d, confidence=_confidence(doc.text, d)) for d in doc.drafts
    )
    return msgspec.structs.replace(doc, drafts=drafts)
