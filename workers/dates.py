"""Publication dates of abstracts: ISO 8601 calendar dates, as precise as the source is.

An abstract may say when it was published: ``"2024"``, ``"2024-03"`` or ``"2024-03-14"`` in a
POST body or a JSONL/CSV ``date``, or a date header ("March 14, 2024") above a page dump's
entries. A date without a year ("Mar 14", as the daily pages write it) cannot be placed on a
timeline and is left out.
"""

from __future__ import annotations

import calendar
import datetime

import regex

_ISO = regex.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?")
_MONTHS = {
    name.casefold(): n
    for n in range(1, 13)
    for name in (calendar.month_name[n], calendar.month_abbr[n], calendar.month_abbr[n] + ".")
}
# "March 14, 2024", "Mar 14 2024", "14 March 2024", "March 2024"
_WRITTEN = regex.compile(
    r"""\s*(?:
        (?P<month>\p{L}+\.?)\s+(?:(?P<day>\d{1,2}),?\s+)?(?P<year>\d{4})
      | (?P<day2>\d{1,2})\s+(?P<month2>\p{L}+\.?),?\s+(?P<year2>\d{4})
    )\s*""",
    regex.VERBOSE,
)


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def iso_date(value: str) -> str | None:
    """``value`` if it is an ISO 8601 calendar date that exists, else ``None``.

    The forms read are ``YYYY``, ``YYYY-MM`` and ``YYYY-MM-DD``.
    """
    m = _ISO.fullmatch(value)
    if m is None:
        return None
    found = _iso(int(m["y"]), int(m["m"]) if m["m"] else None, int(m["d"]) if m["d"] else None)
    return found if found == value else None


def read_date(value: str) -> str | None:
    """A date as written by people or files, as ISO 8601; ``None`` if it cannot be read.

    ISO itself is read, and "March 14, 2024", "14 Mar 2024", "March 2024"; anything else gives
    ``None``, a date without a year included.
    """
    if (iso := iso_date(value.strip())) is not None:
        return iso
    m = _WRITTEN.fullmatch(value)
    if m is None:
        return None
    month = _MONTHS.get((m["month"] or m["month2"]).casefold())
    if month is None:
        return None
    day = m["day"] or m["day2"]
    return _iso(int(m["year"] or m["year2"]), month, int(day) if day else None)
