"""numbers.py: candidates and their values, before any name filtering."""

from __future__ import annotations

import pytest

from claimex.extractors.draft import Doc
from claimex.extractors.numbers import SPELLED_CARDINAL, find_numbers
from claimex.extractors.sentences import split_sentences


def _numbers(text: str) -> list[tuple[str, float, str | None]]:
    doc = find_numbers(Doc(text=text, title=None, sentences=split_sentences(text)))
    return [(text[d.start : d.end], d.value, d.unit) for d in doc.drafts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a 555B corpus", [("555B", 555e9, None)], id="glued-billion"),
        pytest.param("212k clips", [("212k", 212e3, None)], id="glued-thousand"),
        pytest.param("7.4M files", [("7.4M", 7.4e6, None)], id="glued-million"),
        pytest.param("2T tokens", [("2T", 2e12, None)], id="glued-trillion"),
        pytest.param("22 Billion rows", [("22 Billion", 22e9, None)], id="word-billion"),
        pytest.param("600,000 pairs", [("600,000", 6e5, None)], id="thousands-separator"),
        pytest.param("rate 3e-4", [("3e-4", 3e-4, None)], id="scientific"),
        pytest.param("88.53% here", [("88.53%", 88.53, "%")], id="percent"),
        pytest.param("by 3.2\\% now", [("3.2\\%", 3.2, "%")], id="latex-percent"),
        pytest.param("12 percent", [("12 percent", 12.0, "%")], id="percent-word"),
        pytest.param("2.5x less", [("2.5x", 2.5, "x")], id="glued-x"),
        pytest.param("10× more", [("10×", 10.0, "x")], id="times-sign"),
        pytest.param("3 times more", [("3 times", 3.0, "x")], id="times-word"),
        pytest.param("a 4-fold gain", [("4-fold", 4.0, "x")], id="fold"),
        pytest.param("gains 1.5 pp", [("1.5 pp", 1.5, "pp")], id="pp"),
        pytest.param("+0.8% gain", [("+0.8%", 0.8, "%")], id="plus-sign"),
        pytest.param("−2.1 drop", [("−2.1", -2.1, None)], id="minus-sign"),
        pytest.param("a million images", [("million", 1e6, None)], id="spelled-a-million"),
        pytest.param("one trillion weights", [("one trillion", 1e12, None)], id="spelled-count"),
        pytest.param("1e999 is huge", [], id="overflow-is-dropped"),
        # "3.1.3" is no "3.1" and ".3": the last part is a number glued to a dot (a name later)
        pytest.param("in 3.1.3", [("3.1", 3.1, None), ("3", 3.0, None)], id="dotted-number"),
        pytest.param("7b weights", [("7b", 7e9, None)], id="lower-case-billion"),
        # "times" or "×" before another number multiplies, it is no ratio of its own
        pytest.param(
            "on 8 times 40 million rows",
            [("8", 8.0, None), ("40 million", 4e7, None)],
            id="product-with-times",
        ),
        pytest.param("a 3 × 4 grid", [("3", 3.0, None), ("4", 4.0, None)], id="product-sign"),
        pytest.param("10^6 rows", [("10^6", 1e6, None)], id="caret-power"),
        pytest.param("3.5$\\times$ faster", [("3.5$\\times$", 3.5, "x")], id="latex-times"),
        pytest.param("a ×2.5 gain", [("×2.5", 2.5, "x")], id="times-written-first"),
        pytest.param(
            "a 3×4 grid", [("3", 3.0, None), ("4", 4.0, None)], id="no-factor-after-digit"
        ),
        pytest.param("1 000 000 rows", [("1 000 000", 1e6, None)], id="spaced-thousands"),
        pytest.param("12\u2009000 rows", [("12\u2009000", 12e3, None)], id="thin-space-thousands"),
        pytest.param(
            "in 2 300 runs", [("2", 2.0, None), ("300", 300.0, None)], id="one-space-group"
        ),
        pytest.param("2^{16} steps", [("2^{16}", 65536.0, None)], id="caret-power-in-braces"),
        pytest.param("10^999 rows", [], id="caret-overflow-is-dropped"),
    ],
)
def test_numbers_values(text: str, expected: list[tuple[str, float, str | None]]) -> None:
    assert _numbers(text) == expected


def test_numbers_spread_written_apart_keeps_its_sign() -> None:
    text = "71.2 ± 0.4 here"
    doc = find_numbers(Doc(text=text, title=None, sentences=split_sentences(text)))
    assert [(text[d.start : d.end], d.sign) for d in doc.drafts] == [("71.2", None), ("± 0.4", "±")]


def test_numbers_open_ended_plus_is_not_a_sign() -> None:
    doc = find_numbers(Doc(text="by 10+%", title=None, sentences=split_sentences("by 10+%")))
    (d,) = doc.drafts
    assert (d.open_ended, d.sign, d.value, d.unit) == (True, None, 10.0, "%")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("lr 2×10^-4 here", [("2×10^-4", 2e-4, None)], id="caret"),
        pytest.param("lr 3 x 10^{-5} here", [("3 x 10^{-5}", 3e-5, None)], id="latex-braces"),
        pytest.param("at 1.5 × 10−3 bar", [("1.5 × 10−3", 1.5e-3, None)], id="unicode-minus"),
        pytest.param("at 4×10⁻⁶ now", [("4×10⁻⁶", 4e-6, None)], id="superscript"),
        pytest.param("up to 7 × 10^8 rows", [("7 × 10^8", 7e8, None)], id="positive-power"),
        # a product of two plain numbers is not a power of ten
        pytest.param("a 3 x 10 grid", [("3", 3.0, None), ("10", 10.0, None)], id="product"),
    ],
)
def test_numbers_powers_of_ten(text: str, expected: list[tuple[str, float, str | None]]) -> None:
    assert _numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We ran three trials.", ["three"]),
        ("Twenty-two sites and seventeen plots", ["Twenty-two", "seventeen"]),
        ("a two-dimensional grid", ["two"]),  # found here; ``spans`` decides it is no count
        ("someone often tends to nine", ["nine"]),
    ],
)
def test_numbers_spelled_cardinals(text: str, expected: list[str]) -> None:
    assert [m.group() for m in SPELLED_CARDINAL.finditer(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("with 1/8 of the compute", [("1/8", 0.125, None)], id="one-eighth"),
        pytest.param("under 1/40 of the data", [("1/40", 0.025, None)], id="one-fortieth"),
        pytest.param("(3/4 of them)", [("3/4", 0.75, None)], id="in-parentheses"),
        # a slash between numbers that are not a proper fraction lists them
        pytest.param("on 8/16 GPUs", [("8", 8.0, None), ("16", 16.0, None)], id="slash-list-noun"),
        pytest.param("4/8-bit weights", [("4", 4.0, None), ("8", 8.0, None)], id="slash-bits"),
        pytest.param("a 4/2 split", [("4", 4.0, None), ("2", 2.0, None)], id="improper"),
        pytest.param(
            "1/2/4 nodes", [("1", 1.0, None), ("2", 2.0, None), ("4", 4.0, None)], id="three-parts"
        ),
    ],
)
def test_numbers_fractions(text: str, expected: list[tuple[str, float, str | None]]) -> None:
    assert _numbers(text) == expected
