"""names.py: the reason a number is not a quantity, one rule per case."""

from __future__ import annotations

import pytest

from claimex.extractors import extract
from claimex.extractors.draft import Doc
from claimex.extractors.names import why_not_a_quantity
from claimex.extractors.numbers import find_numbers
from claimex.extractors.sentences import split_sentences


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
        ("We test Qwen 2.5 72B today.", "72B", "version or size in a name"),
        ("We test Llama 3 8B today.", "8B", "version or size in a name"),
        ("The run (2024.03.15) is kept.", "2024.03", "date in digits"),
        ("The run on 2024-03-15 is kept.", "-03", "date in digits"),
        ("Scores on the hard subset (split 2) drop.", "2", "label in parentheses"),
        ("It fits on one RTX 4090 card.", "4090", "hardware model number"),
        ("See option 3b below.", "3b", "lower-case b that sizes nothing"),
        ("We measure it by the F_{1} score.", "1", "glued to a name before"),
        ("The loss sums over sum_{i=1} terms.", "1", "glued to a name before"),
        ("We fix a=2×5 here.", "2", "glued to a name before"),
        ("It is 1) fast (see below) and 2) small.", "2", "enumerator or citation"),
        ("We use k=5 neighbours.", "5", None),
        ("It runs with (about 5) restarts.", "5", None),
        ("We tune 7b and 13b checkpoints.", "7b", None),
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
        pytest.param("It keeps sub-4-bit weights.", ["4"], id="prefix-sub-is-no-minus"),
        pytest.param("It reaches near-100% recall.", ["100%"], id="prefix-near"),
        pytest.param("We use best-of-16 sampling.", ["16"], id="best-of-n"),
        pytest.param("It runs on RTX 3090 and 4090 cards.", [], id="hardware-list"),
        pytest.param("Checkpoints are named 7b-chat.", [], id="lower-b-glued-to-a-name"),
    ],
)
def test_names_lists_and_dashes_after_dropped_numbers(text: str, spans: list[str]) -> None:
    assert [c.span for c in extract(text)] == spans
