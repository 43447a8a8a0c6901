"""workers/dates.py: publication dates read as ISO 8601, or left out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimex.workers.dates import iso_date, read_date


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024-03-14", "2024-03-14"),
        ("2024-03", "2024-03"),
        ("2024", "2024"),
        ("March 14, 2024", "2024-03-14"),
        ("Mar 14 2024", "2024-03-14"),
        ("14 March 2024", "2024-03-14"),
        ("Sept. 3, 2023", None),  # not an abbreviation the calendar writes
        ("Sep. 3, 2023", "2023-09-03"),
        ("March 2024", "2024-03"),
        ("Mar 14", None),  # no year: no place on a timeline
        ("2024-02-30", None),
        ("2024-13", None),
        ("14/03/2024", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_read_date(written: str, iso: str | None) -> None:
    assert read_date(written) == iso


@pytest.mark.parametrize(
    ("value", "valid"),
    [("2024-03-14", True), ("2024-3-14", False), ("March 14, 2024", False), ("2023-02-29", False)],
)
def test_iso_date_is_strict(value: str, valid: bool) -> None:
    assert (iso_date(value) == value) is valid


@given(st.dates())
def test_every_calendar_date_round_trips(day: object) -> None:
    text = str(day)
    assert iso_date(text) == text
    assert read_date(text) == text
