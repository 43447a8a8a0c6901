"""Ranges and lists: numbers written together share what only the last one says.

"92.7-98.1%" is two claims, both in %; "3.2% to 6.1%" two deltas; "512 and 2048 H100 GPUs"
two counts of GPUs; "13 Billion, 70 Billion, and 2 Trillion parameters" three. The first
members take the unit (and counted noun) of the last. A minus that joins a range is not a sign.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
import regex

from claimex.extractors.numbers import MAGNITUDES

if TYPE_CHECKING:
    from claimex.extractors.draft import Connector, Doc, Draft

CONNECTOR = regex.compile(
    r"""
      (?P<range> \s?[-–~]\s? | \s+to\s+ | \s+and\s+(?=\S+\s*$) )       # 3-5, 3 to 5
    | (?P<list> \s*,\s*(?:(?:and|or),?\s+)? | \s+(?:and|or|&)\s+ | \s*/\s* | \s*;\s* )
    | (?P<versus> \s*\(?\s*(?i:vs\.?|versus|compared\s+to|compared\s+with)\s+ )   # "(vs. 90.2%)"
    """,
    regex.VERBOSE,
)


def _connector(text: str, left: Draft, right: Draft) -> Connector | None:
    if left.sentence != right.sentence:
        return None
    between = text[left.end : right.start]
    if right.sign and right.sign in "-–" and between == "" and left.unit_source != "noun":
        return "range"
    m = CONNECTOR.fullmatch(between)
    if m is None:
        return None
    if m["range"] is not None:
        return "range" if m["range"].strip() != "and" else "list"
    return "list" if m["list"] is not None else "versus"


def _as_range_end(d: Draft) -> Draft:
    """The second number of "92.7-98.1%": its minus was the dash of the range."""
    if d.sign and d.sign in "-−–":
        return msgspec.structs.replace(d, start=d.number_start, sign=None, value=abs(d.value))
    return d


RELATIVE_UNITS = frozenset({"%", "pp", "x"})
SIZES = frozenset({"B", "b", "M", "T"})


def _share(donor: Draft, d: Draft) -> Draft:
    if d.unit is not None or donor.unit is None:
        return d
    if donor.unit_source == "inferred" and d.multiplier not in SIZES:
        return d  # "(7B to 33B)": an inferred parameter count is shared only between sizes
    if d.multiplier and donor.unit in RELATIVE_UNITS:
        return d  # "3% at 1B, 5% at 7B": a size written with a magnitude is no percentage
    return msgspec.structs.replace(
        d,
        unit=donor.unit,
        unit_source="shared",
        # a measurement unit is written inside the donor's span; only a counted noun is shared
        noun_start=donor.noun_start if donor.unit_source in {"noun", "shared"} else None,
        noun_end=donor.noun_end if donor.unit_source in {"noun", "shared"} else None,
    )


def _written(d: Draft) -> float:
    """The number as written, before its magnitude: 200 for "200k"."""
    return d.value / MAGNITUDES[d.multiplier] if d.multiplier in MAGNITUDES else d.value


def _share_magnitude(donor: Draft, d: Draft) -> Draft:
    """A magnitude written once holds for the smaller numbers before it that have none.

    Only for those with no unit of their own either: '300-400k samples', '7, 13 and 70B'.
    """
    if donor.multiplier not in MAGNITUDES or d.multiplier or d.unit_source not in {None, "shared"}:
        return d
    if d.unit_source == "shared" and d.unit != donor.unit:
        return d
    if not 0 < d.value < _written(donor):
        return d
    return msgspec.structs.replace(
        d, value=d.value * MAGNITUDES[donor.multiplier], multiplier=donor.multiplier
    )


# "9 of 12 tasks", "37 out of 50 tasks": the part counts what the whole counts.
PART_OF = regex.compile(r"\s+(?:out\s+)?of\s+")


def _part_of_whole(text: str, left: Draft, right: Draft) -> Draft:
    if left.unit is not None or left.multiplier or right.unit_source != "noun":
        return left
    if left.sentence != right.sentence or not PART_OF.fullmatch(text, left.end, right.start):
        return left
    return msgspec.structs.replace(
        left,
        unit=right.unit,
        unit_source="shared",
        noun_start=right.noun_start,
        noun_end=right.noun_end,
    )


def join_groups(doc: Doc) -> Doc:
    """Mark how each draft ties to the one before it, and share units backwards in a group."""
    drafts = list(doc.drafts)
    for i in range(1, len(drafts)):
        joined = _connector(doc.text, drafts[i - 1], drafts[i])
        if joined == "range":
            drafts[i] = _as_range_end(drafts[i])
        drafts[i] = msgspec.structs.replace(drafts[i], joined=joined)
    # walk backwards so a unit travels from the last member to all before it
    for i in range(len(drafts) - 1, 0, -1):
        if drafts[i].joined in {"range", "list"}:
            drafts[i - 1] = _share_magnitude(drafts[i], drafts[i - 1])
        if drafts[i].joined is not None:
            drafts[i - 1] = _share(drafts[i], drafts[i - 1])
        else:
            drafts[i - 1] = _part_of_whole(doc.text, drafts[i - 1], drafts[i])
    return msgspec.structs.replace(doc, drafts=tuple(drafts))
