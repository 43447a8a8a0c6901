"""sentences.py: spaCy's sentencizer plus the repairs abstracts need."""

from __future__ import annotations

import pytest

from extractors.sentences import WINDOW, split_sentences


def _texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("One. Two!", ["One.", "Two!"], id="plain"),
        pytest.param(
            "As Smith et al. (2020) show, it works. Next.",
            ["As Smith et al. (2020) show, it works.", "Next."],
            id="et-al",
        ),
        pytest.param("See Fig. 3 for more. Next.", ["See Fig. 3 for more.", "Next."], id="fig"),
        pytest.param("A (90% vs. 80%). B.", ["A (90% vs. 80%).", "B."], id="vs"),
        pytest.param("  padded.  ", ["padded."], id="trimmed"),
        pytest.param("", [], id="empty"),
        pytest.param(
            "It wins on GSM8K. It also wins on C4.",
            ["It wins on GSM8K.", "It also wins on C4."],
            id="stop-after-a-name-with-digits",
        ),
    ],
)
def test_sentences_split(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_sentences_long_text_is_split_in_windows_with_exact_offsets() -> None:
    text = "We reach 91.5% accuracy on the task. " * (2 * WINDOW // 37 + 5)
    sentences = split_sentences(text)
    assert len(sentences) == text.count("task.")
    assert all(text[s.start : s.end].startswith("We reach") for s in sentences)
