"""Properties ``extract`` promises for every ``str``: it never raises, and its claims are sound.

Every claim it returns has exact offsets, a finite value, a confidence in [0, 1] and a
consistent kind and direction.

Hypothesis feeds it arbitrary text and abstract-like text built from the things that trip number
parsers (units, magnitudes, ranges, signs, LaTeX, URLs, unicode dashes, control characters); the
named edge cases below pin the inputs that must always be tried.
"""

from __future__ import annotations

import itertools
import math
from typing import Literal, get_args

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimex.extractors import Claim, extract
from claimex.extractors.model import Bound, Direction, Kind

# Slow, left out of the fast loop (scripts/test -m "not slow"):
# hypothesis: hundreds of generated texts per property.
pytestmark = pytest.mark.slow

KINDS = frozenset(get_args(Kind))
DIRECTIONS = frozenset(get_args(Direction))
BOUNDS = frozenset(get_args(Bound))
DIRECTED_KINDS = frozenset({"delta", "ratio"})

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def check_claims(text: str, claims: tuple[Claim, ...]) -> None:
    """Every promise a claim makes about the text it came from."""
    assert isinstance(claims, tuple)
    for c in claims:
        assert text[c.start : c.end] == c.span, c
        assert text[c.sentence_start : c.sentence_end] == c.sentence, c
        assert c.sentence_start <= c.start < c.end <= c.sentence_end, c
        assert math.isfinite(c.value), c
        assert 0.0 <= c.confidence <= 1.0, c
        assert c.kind in KINDS, c
        assert c.direction is None or c.direction in DIRECTIONS, c
        assert c.bound is None or c.bound in BOUNDS, c
        if c.kind not in DIRECTED_KINDS:
            assert c.direction is None, c
        # The msgspec constraints of the model (offsets >= 0, confidence in [0, 1]) hold too.
        # (``convert``, not a JSON round trip: text with lone surrogates cannot be UTF-8 encoded.)
        assert msgspec.convert(msgspec.to_builtins(c), type=Claim) == c
    for before, after in itertools.pairwise(claims):
        assert before.start < after.start, (before, after)
        assert before.end <= after.start, (before, after)


# --- strategies -----------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "We", "propose", "Zeta", "model", "achieves", "accuracy", "on", "ImageNet", "top-1",
        "improving", "over", "the", "baseline", "by", "tokens", "parameters", "GPUs", "hours",
        "faster", "fewer", "FLOPs", "than", "ViT-B", "GPT-4", "BLEU", "WMT14", "F1", "et al.",
        "Fig.", "vs.", "e.g.", "respectively", "latency", "up to", "over", "about", "~",
        "CIFAR-100", "Llama-3", "trained", "reduces", "error", "rate", "points", "times",
        "中文", "准确率", "مرحبا", "דגם", "Ünïcödé", "naïve", "µs",
    ]
)  # fmt: skip
UNITS = st.sampled_from(
    [
        "", "%", "\\%", " %", "x", "×", " ×", " times", "-fold", "fold", "pp", " pp", "B", "M",
        "k", "K", "T", " billion", " million", " thousand", " trillion", " ms", "ms", "TB",
        " GB", " hours", " h", "s", " tokens", " kWh", " min", " petaFLOP/s", "+", "+%", "e5",
        "e-4", "E+3", "e999", "-bit", "-shot", "-layer", "-parameter", " percent",
        " percentage points", "th", "st",
    ]
)  # fmt: skip
SIGNS = st.sampled_from(["", "", "", "+", "-", "−", "–", "±", "~", "$"])
DIGITS = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(str),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda f: f"{f:.{len(str(f))}g}"),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}"),
    st.from_regex(r"\A\.?[0-9]{1,40}(\.[0-9]{1,12})?\Z"),
    st.sampled_from(["9" * 400, "1e999", "1e308", "10^999", "0", "00", "007", "1,000,00"]),
)


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """One number as abstracts write it: signed, with a magnitude or unit, maybe in a range."""
    number = draw(SIGNS) + draw(DIGITS) + draw(UNITS)
    shape = draw(st.integers(min_value=0, max_value=6))
    if shape == 0:  # range: "3-5", "3–5%", "3 to 5"
        joiner = draw(st.sampled_from(["-", "–", "—", " to ", "~", " - ", "/"]))
        return number + joiner + draw(DIGITS) + draw(UNITS)
    if shape == 1:  # parentheses: "(3.2)", "(±0.4)", "[12]"
        left, right = draw(st.sampled_from([("(", ")"), ("[", "]"), ("{", "}")]))
        return left + number + right
    if shape == 2:  # error bar: "3.2 ± 0.4"
        return number + draw(st.sampled_from([" ± ", "±", " +/- "])) + draw(DIGITS)
    return number


URLS = st.sampled_from(
    [
        "https://arxiv.org/abs/2301.12345",
        "https://github.com/org/repo-3.5/tree/v1.2",
        "http://x.io/a?b=3%&c=4x",
        "www.example.com/99%",
        "doi:10.1000/182",
    ]
)
SEPARATORS = st.sampled_from(
    [" ", " ", " ", ", ", ". ", ".\n", "\n\n", "; ", " - ", " — ", " – ", " ‐ ", "\t", "\u00a0",
     "\u2028", "\u200b", "\x00", "\x0b", "\x0c", "\x1c", "\x85", "\r\n", ": ", " (", ") "]
)  # fmt: skip
TOKENS = st.one_of(WORDS, WORDS, numbers(), numbers(), URLS)


@st.composite
def abstracts(draw: st.DrawFn) -> str:
    """Abstract-like text: words, numbers and links joined by all kinds of separators."""
    parts = draw(st.lists(st.tuples(TOKENS, SEPARATORS), max_size=40))
    return "".join(token + sep for token, sep in parts)


# Any text at all (Hypothesis leaves lone surrogates out; they get a strategy of their own).
ANY_TEXT = st.text(max_size=300)
# Every code point, lone surrogates included (``st.characters()`` leaves them out by default).
SURROGATE_CATEGORY: tuple[Literal["Cs"]] = ("Cs",)  # the Unicode category of surrogates
SURROGATES = st.characters(categories=SURROGATE_CATEGORY)
ALL_CHARACTERS = st.one_of(st.characters(), SURROGATES)
TEXT_WITH_SURROGATE = st.tuples(
    st.text(alphabet=ALL_CHARACTERS, max_size=100),
    SURROGATES,
    st.text(alphabet=ALL_CHARACTERS, max_size=100),
).map("".join)


# --- properties -----------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(text=ANY_TEXT)
def test_extract_never_raises_on_any_text(text: str) -> None:
    check_claims(text, extract(text))


@PROPERTY_SETTINGS
@given(text=abstracts())
def test_extract_offsets_and_values_hold_on_abstract_like_text(text: str) -> None:
    check_claims(text, extract(text))


@PROPERTY_SETTINGS
@given(text=st.tuples(ANY_TEXT, abstracts(), ANY_TEXT).map("".join))
def test_extract_offsets_hold_on_abstract_text_inside_noise(text: str) -> None:
    check_claims(text, extract(text))


@PROPERTY_SETTINGS
@given(text=TEXT_WITH_SURROGATE)
def test_extract_never_raises_on_text_with_lone_surrogates(text: str) -> None:
    check_claims(text, extract(text))


# --- named edge cases -----------------------------------------------------------------------

REALISTIC_ABSTRACT = (
    "We introduce Zeta, a 7B-parameter language model pretrained on 2T tokens. "
    "Zeta reaches 91.4% top-1 accuracy on ImageNet, improving over ViT-B by +2.4 points, "
    "and is 3.5x faster at inference with 15 ms latency.\n\n"
)

EDGE_CASES: list[tuple[str, str]] = [
    ("empty", ""),
    ("spaces only", "   "),
    ("mixed whitespace only", " \t\n\r\x0b\x0c\u00a0\u2028\u3000"),
    ("control characters", "\x00\x01\x02 We gain 3% \x7f\x1b[0m on \x85 SQuAD.\x00"),
    ("control characters inside a number", "accuracy of 9\x001.4% and 2\x0b5x"),
    ("RTL text", "النموذج يحقق 91.4% دقة على ImageNet."),
    ("RTL marks around a number", "\u202e91.4%\u202c accuracy \u200f3x\u200e faster"),
    ("CJK text", "我们的模型在ImageNet上达到91.4%的准确率，速度提升3倍。"),
    ("fullwidth digits", "精度は９１．４％に達した。"),
    ("Arabic-Indic digits", "الدقة ٩١٫٤٪ على ٣ مجموعات"),
    ("number at the very start", "91.4% top-1 accuracy is what Zeta reaches"),
    ("number at the very end", "Zeta reaches a top-1 accuracy of 91.4"),
    ("number alone", "7"),
    ("percent alone", "%"),
    ("number at start and end", "3 tasks and 5"),
    ("long digit run", "9" * 5000),
    ("long digit run with a unit", "9" * 5000 + "% of 9" + "9" * 5000 + " tokens"),
    ("long digit run after a decimal point", "0." + "9" * 5000 + "% accuracy"),
    ("overflowing exponent", "1e999"),
    ("overflowing exponent with units", "1e999% and 1e999 tokens and 1e999x faster"),
    ("overflow by magnitude", "1e300B tokens and 9e307T parameters"),
    ("largest float times a magnitude", "1.7e308k tokens"),
    ("underflowing exponent", "1e-999% error"),
    ("power notation", "10^999 tokens"),
    ("LaTeX percent", "accuracy of 91.4\\% and $3\\times$ speedup"),
    ("unicode dashes in ranges", "3–5% and 3—5 and 3‐5 and 3−5 and −2.1 points"),
    ("plus-minus", "91.4 ± 0.3% and ±2 points"),
    ("URL with numbers", "Code: https://github.com/org/repo-3.5/tree/v1.2?x=91.4%"),
    ("unbalanced brackets", "((((3.2) [12 {5%"),
    ("only punctuation", ".,;:!?()[]{}-–—%×±"),
    ("dots between numbers", "1.2.3.4.5.6 and 1..2 and 3...%"),
    ("many sentences with no spaces", "3%." * 200),
]


@pytest.mark.parametrize("text", [c[1] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES])
def test_extract_edge_cases_keep_every_promise(text: str) -> None:
    check_claims(text, extract(text))


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t\x0b\x0c\r", "\u00a0\u2028\u3000"],
    ids=["empty", "spaces", "ascii", "unicode"],
)
def test_extract_finds_nothing_in_empty_or_blank_text(text: str) -> None:
    assert extract(text) == ()


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("91.4% top-1 accuracy on ImageNet.", "91.4%"),
        ("The top-1 accuracy on ImageNet is 91.4%", "91.4%"),
        ("3.5x", "3.5x"),
    ],
    ids=["at start", "at end", "whole text"],
)
def test_extract_finds_numbers_at_the_edges_of_the_text(text: str, span: str) -> None:
    claims = extract(text)
    check_claims(text, claims)
    assert [c.span for c in claims] == [span]


@pytest.mark.parametrize(
    "text",
    ["1e999", "1e999%", "1e999 tokens", "9" * 400 + "%", "1e300B tokens", "2e308x faster"],
    ids=["bare", "percent", "counted", "400 digits", "overflow by magnitude", "ratio"],
)
def test_extract_never_returns_infinite_values(text: str) -> None:
    claims = extract(text)
    check_claims(text, claims)
    assert all(math.isfinite(c.value) for c in claims)


LONE_SURROGATES: list[tuple[str, str]] = [
    ("high surrogate alone", "\ud800"),
    ("low surrogate alone", "\udc80"),
    ("surrogate next to a claim", "accuracy of 91.4%\ud800 on ImageNet"),
    ("surrogate escaped from bad utf-8", "b'\udcff\udcfe' 3x faster"),
]


@pytest.mark.parametrize(
    "text", [c[1] for c in LONE_SURROGATES], ids=[c[0] for c in LONE_SURROGATES]
)
def test_extract_never_raises_on_lone_surrogates(text: str) -> None:
    check_claims(text, extract(text))


def test_extract_on_a_megabyte_of_abstracts_keeps_offsets_exact() -> None:
    copies = 1_000_000 // len(REALISTIC_ABSTRACT) + 1
    text = REALISTIC_ABSTRACT * copies
    assert len(text) >= 1_000_000
    claims = extract(text)
    check_claims(text, claims)
    assert len(claims) == copies * len(extract(REALISTIC_ABSTRACT))
    assert claims[-1].end > len(text) - len(REALISTIC_ABSTRACT)


@pytest.mark.parametrize("k", [1, 2, 7, 50])
def test_extract_claims_grow_linearly_with_repeated_text(k: int) -> None:
    """``k`` copies of an abstract give ``k`` times its claims, shifted (none crosses a join)."""
    one = extract(REALISTIC_ABSTRACT)
    assert len(one) == 6  # a copy with no claims would make this test vacuous
    many = extract(REALISTIC_ABSTRACT * k)
    assert len(many) == k * len(one)
    for i, c in enumerate(many):
        base = one[i % len(one)]
        shift = (i // len(one)) * len(REALISTIC_ABSTRACT)
        assert (c.span, c.start, c.end, c.value, c.unit, c.kind) == (
            base.span,
            base.start + shift,
            base.end + shift,
            base.value,
            base.unit,
            base.kind,
        )
