"""names.py: the reason a number is not a quantity, one rule per case."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.draft import Doc
from extractors.names import why_not_a_quantity
from extractors.numbers import find_numbers
from extractors.sentences import split_sentences


def _reasons(text: str) -> dict[str, str | None]:
    doc = find_numbers(Doc(text=text, title=None, sentences=split_sentences(text)))
    return {text[d.start : d.end]: why_not_a_quantity(text, d) for d in doc.drafts}


@pytest.mark.parametrize(
    ("text", "span", "reason"),
    [
        ("We beat GPT-4 here.", "-4", "glued to a name before"),
        ("Scores on CIFAR-100 rise.", "-100", "glued to a name before"),
        ("We use F_0.5 here.", "0.5", "glued to a name before"),
        ("It uses 3D data.", "3", "glued to letters after"),
        ("It came 2nd overall.", "2", "glued to letters after"),
        ("We study 5-shot prompts.", "5", "glued to letters after"),
        ("Work from 2019 shows this.", "2019", "year"),
        ("Released on March 3 this year.", "3", "date"),
        ("Two goals: (1) speed.", "1", "enumerator or citation"),
        ("Known results [7] hold.", "7", "enumerator or citation"),
        ("As Table 4 shows, it helps.", "4", "reference into the paper"),
        ("We use ERNIE 3.0 here.", "3.0", "version or size in a name"),
        ("We release Delta 20B today.", "20B", "version or size in a name"),
        ("It reaches 92.1% on the task.", "92.1%", None),
        ("It uses 2048 tokens of context.", "2048", None),
        ("A 7B model suffices.", "7B", None),
    ],
)
def test_names_reason(text: str, span: str, reason: str | None) -> None:
    assert _reasons(text)[span] == reason


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        pytest.param("As Tables 2 and 3 show, accuracy rises by 4%.", ["4%"], id="reference-list"),
        pytest.param("See Figs. 5, 6 and 9 for 12 cases.", ["12"], id="reference-list-of-three"),
        pytest.param("The interval is CI 1.6–4.9 here.", ["1.6", "4.9"], id="range-after-name"),
        pytest.param("We evaluate Llama 2-7B on GSM8K.", ["7B"], id="dash-after-version"),
        pytest.param("Data from 2019-2021 was used.", [], id="year-range-no-minus"),
        pytest.param("We use Llama-2-7B and GPT-4.", [], id="glued-name-stays-a-name"),
        pytest.param("The score fell by -2.1 points.", ["-2.1"], id="real-minus"),
    ],
)
def test_names_lists_and_dashes_after_dropped_numbers(text: str, spans: list[str]) -> None:
    assert [c.span for c in extract(text)] == spans
