"""addresses.py: the spans of web and e-mail addresses, arXiv ids and DOIs."""

from __future__ import annotations

import pytest

from claimex.extractors.addresses import inside_addresses

CASES = [
    pytest.param("Mail us at team@example.org today.", ["team@example.org"], id="e-mail"),
    pytest.param("Code: https://example.com/x1 and more.", ["https://example.com/x1"], id="url"),
    pytest.param(
        "See a@b.com arXiv: 2101.00027 for 5%.",
        ["a@b.com", "arXiv: 2101.00027"],
        id="an id right after another address's word",
    ),
    pytest.param("@" * 50 + " reaches 5%.", [], id="a run of hints is no address"),
    pytest.param("It gains 5% on 10.5 points.", [], id="no hint, no address"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_addresses_spans(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in inside_addresses(text)] == expected
