"""extractors/vocabulary.py: NameLexicon finds the same names as one regex over the lexicon."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.extractors.vocabulary import DATASET, METRIC, NameLexicon

SMALL = NameLexicon(
    ("ImageNet", "ImageNet-1k", "penn treebank", "F1", "F1 score", "WER"), plural=True
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param("top on ImageNet-1k today", ["ImageNet-1k"], id="longest-wins"),
        pytest.param("on imagenet", [], id="cased-entry-as-written"),
        pytest.param("IMAGENET and Imagenet", ["IMAGENET"], id="cased-entry-with-two-capitals"),
        pytest.param("wer and Wer", [], id="one-capital-is-not-an-acronym-respelled"),
        pytest.param("nWER and WERs", ["WERs"], id="a-letter-before-is-another-word"),
        pytest.param("the English Penn Treebank", ["Penn Treebank"], id="lower-entry-any-case"),
        pytest.param("F1 score and WERs", ["F1 score", "WERs"], id="plural"),
        pytest.param("SuperImageNet and ImageNets", ["ImageNets"], id="whole-words-only"),
        pytest.param("CIFAR-F1", [], id="not-after-hyphen"),
    ],
)
def test_name_lexicon_finds_whole_names(text: str, found: list[str]) -> None:
    assert [m.group() for m in SMALL.finditer(text)] == found


def test_name_lexicon_match_fullmatch_and_search_respect_bounds() -> None:
    text = "We report F1 score on ImageNet."
    found = SMALL.match(text, 10)
    assert found is not None
    assert found.group() == "F1 score"
    assert SMALL.match(text, 11) is None
    assert SMALL.fullmatch("F1 score") is not None
    assert SMALL.fullmatch("F1 scores") is not None  # plural of the whole name
    assert SMALL.fullmatch("F1 score on") is None
    assert SMALL.search(text, 0, 20) is not None
    assert SMALL.search(text, 20, 28) is None  # "ImageNet" is cut by endpos at "ImageNe"


WORDS = st.sampled_from(
    ["ImageNet", "imagenet", "CIFAR-10", "cifar-100", "Penn", "Treebank", "WERs", "F1", "score",
     "accuracy", "top-1", "BLEU", "on", "and", "-", "the", "x2", "GSM8K", "WikiText-103", "mAP"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=12), st.sampled_from([" ", "  ", ", ", "/"]))
def test_name_lexicon_agrees_with_one_regex(words: list[str], sep: str) -> None:
    text = sep.join(words)
    for lexicon in (DATASET, METRIC):
        whole = regex.compile(lexicon.pattern)
        expected = [(m.start(), m.group()) for m in whole.finditer(text)]
        assert [(m.start(), m.group()) for m in lexicon.finditer(text)] == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=12), st.integers(0, 40), st.integers(0, 80))
def test_name_lexicon_spans_are_finditers_remembered(words: list[str], lo: int, hi: int) -> None:
    text = " ".join(words)
    for lexicon in (DATASET, METRIC):
        expected = tuple(m.span() for m in lexicon.finditer(text, lo, hi))
        assert lexicon.spans(text, lo, hi) == expected
        assert lexicon.spans(text, lo, hi) == expected  # the second answer, from memory
