"""sentences.py: spaCy's sentencizer plus the repairs abstracts need."""

from __future__ import annotations

import itertools

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from claimex.extractors import sentences
from claimex.extractors.sentences import (
    MAX_SENTENCE,
    RUN_LIMIT,
    SYMBOL_RUN,
    WINDOW,
    _doc,
    _sentence_spans,
    _sentencizer,
    split_sentences,
)


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
        pytest.param(
            "It beats SparseViT. The 7B variant runs.",
            ["It beats SparseViT.", "The 7B variant runs."],
            id="stop-after-a-name-ending-in-a-capital",
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


# Hostile inputs (issue 13): spaCy's tokenizer is quadratic on long whitespace-free chunks;
# these never reach it whole, and sentences stay bounded, offsets exact.
HOSTILE = [
    pytest.param("$" * 20_000, id="dollar-run"),
    pytest.param("%" * 20_000, id="percent-run"),
    pytest.param("(" * 19_998 + "5%", id="open-paren-run-then-5%"),
    pytest.param("!?" * 10_000, id="terminal-run"),
    pytest.param("-1" * 10_000, id="glued-minus-one"),
    pytest.param("1 on " * 4_000, id="1-on-run"),
    pytest.param("a" * 20_000, id="one-long-word"),
    pytest.param("et al. " * 3_000, id="abbreviations-merged-again-and-again"),
    pytest.param("🚀" * 5_000 + " 88.5% " + "\u0301" * 5_000, id="emoji-and-combining-marks"),
    pytest.param(" " * 19_998 + "5%", id="white-space-run"),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_sentences_hostile_text_has_exact_bounded_sentences(text: str) -> None:
    sentences = split_sentences(text)
    assert sentences
    assert all(0 <= s.start < s.end <= len(text) for s in sentences)
    assert all(s.end - s.start <= MAX_SENTENCE for s in sentences)
    assert all(a.end <= b.start for a, b in itertools.pairwise(sentences))
    covered = "".join(text[s.start : s.end] for s in sentences)
    assert covered.replace(" ", "") == text.strip().replace(" ", "")


@pytest.mark.parametrize("text", HOSTILE)
def test_sentences_tokenizer_never_sees_a_long_chunk(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    nlp = _sentencizer()
    seen: list[str] = []
    real = nlp.tokenizer

    class Spy:
        def __call__(self, piece: str) -> object:
            seen.append(piece)
            return real(piece)

    monkeypatch.setattr(nlp, "tokenizer", Spy())
    split_sentences(text)
    longest = max((len(run) for piece in seen for run in piece.split()), default=0)
    symbols = max((len(m) for piece in seen for m in regex.findall(r"[^\w\s]+", piece)), default=0)
    assert longest <= RUN_LIMIT
    assert symbols <= SYMBOL_RUN


LONG_REAL_CHUNKS = [
    pytest.param(
        "Code: https://github.com/some-organisation/a-project-with-a-long-name/tree/main/"
        "experiments/configs/ablation?variant=large&seed=3. It reaches 88.5% accuracy. Next.",
        id="long-url-with-query",
    ),
    pytest.param(
        "We use 2-(4-(2-hydroxyethyl)piperazin-1-yl)ethane-1-sulfonic-acid-buffered-saline-"
        "with-sodium-dodecyl-sulfate-and-Tris-HCl. Yields rise 5%. Done!",
        id="long-chemical-name",
    ),
    pytest.param(
        "Accuracy is 88.5%.................... (see Table 2). Then it drops to 70%!!!!!!!!! "
        "Really? Yes.",
        id="dotted-leader-and-exclamations",
    ),
    pytest.param(
        "Separators ===================== and ------------------------- aside, it works. Next.",
        id="separator-lines",
    ),
]


@pytest.mark.parametrize("text", LONG_REAL_CHUNKS)
def test_sentences_cutting_long_chunks_changes_no_boundary(text: str) -> None:
    nlp = _sentencizer()
    plain = [(s.start_char, s.end_char) for s in nlp(text).sents]
    cut = _sentence_spans(_doc(nlp, text))
    assert cut == plain


def test_sentences_over_long_sentence_is_cut_after_white_space() -> None:
    text = "word " * 1_000  # 5,000 characters, no sentence end
    sentences = split_sentences(text)
    assert [s.end - s.start for s in sentences][:2] == [MAX_SENTENCE - 1, MAX_SENTENCE - 1]
    assert all(text[s.end - 4 : s.end] == "word" for s in sentences)


def test_sentences_string_store_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = len(sentences._sentencizer().vocab.strings)  # a blank pipeline's own strings
    monkeypatch.setattr(sentences, "MAX_STRINGS", fresh + 100)
    for n in range(5):  # 5 texts of 300 new words: ~3,000 new strings without the bound
        words = " ".join(f"w{n}x{i}" for i in range(300))
        assert sentences.split_sentences(f"First {words}. Second one.")
    # at most the bound plus what one text interns (a word, its lower case, its shape …)
    assert len(sentences._sentencizer().vocab.strings) <= fresh + 100 + 1000


# Letters, digits, white space spaCy treats in three ways, and the punctuation sentences hinge on.
SENTENCE_ALPHABET = "abXY19 \n\t\u00a0.!?…。,;:()'\"%-"


@given(st.text(alphabet=SENTENCE_ALPHABET, max_size=80))
def test_sentences_spans_are_the_sentencizers(text: str) -> None:
    nlp = _sentencizer()
    expected = [(s.start_char, s.end_char) for s in nlp(text).sents]
    assert _sentence_spans(nlp.tokenizer(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("!?" * 300, id="terminals-only"),
        pytest.param("!?" * 300 + " then words", id="terminal-run-then-words"),
        pytest.param("One. " + "?!" * 50 + " Two. Three!", id="run-between-sentences"),
        pytest.param("Wait ... what ?! ( yes . ) no", id="punctuation-after-terminals"),
    ],
)
def test_sentences_terminal_runs_split_as_the_sentencizer_does(text: str) -> None:
    nlp = _sentencizer()
    expected = [(s.start_char, s.end_char) for s in nlp(text).sents]
    assert _sentence_spans(nlp.tokenizer(text)) == expected
