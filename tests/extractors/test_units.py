"""units.py: measurement units (quantulum3's lexicon, guarded) and counted nouns."""

from __future__ import annotations

import pytest

from claimex.extractors.dimensions import measurement_dimension
from claimex.extractors.draft import Doc
from claimex.extractors.groups import join_groups
from claimex.extractors.names import drop_names
from claimex.extractors.numbers import find_numbers
from claimex.extractors.sentences import split_sentences
from claimex.extractors.units import attach_units, counted_noun, glued_unit


@pytest.mark.parametrize(
    ("word", "dimension"),
    [
        ("ms", "time"),
        ("hours", "time"),
        ("TB", "data storage"),
        ("kWh", "energy"),
        # quantulum3's misreadings on ML text: magnitudes and short words are not units
        ("B", None),
        ("T", None),
        ("K", None),
        ("k", None),
        ("M", None),
        ("in", None),
        ("a", None),
        ("tokens", None),
    ],
)
def test_units_measurement_dimension(word: str, dimension: str | None) -> None:
    assert measurement_dimension(word) == dimension


@pytest.mark.parametrize(
    ("rest", "unit"),
    [
        ("TB corpus", "TB"),
        ("ms latency", "ms"),
        ("petaFLOP/s on", "petaFLOP/s"),
        ("GPU hours of", "GPU hours"),
        ("tokens", None),
        ("B tokens", None),
        ("mbar over", "mbar"),
        ("μm wide", "μm"),
        ("°C for", "°C"),
        ("W/m2 flux", "W/m2"),
        ("cm−1 band", "cm−1"),
        ("K tokens", None),  # one letter glued to a number is a magnitude, not kelvin
        ("bits per character on", "bits per character"),  # a quotient written out
        ("bits-per-character on", "bits-per-character"),  # and hyphenated
        ("bits-per-tokens", "bits"),
        ("ms per image", "ms per image"),
        ("bits per tokens", "bits"),  # "per" takes a singular
        ("GB per the node", "GB"),  # nor a function word
        ("drop in recall", None),  # a change noun, not the unit of volume
        ("drops of accuracy", None),
    ],
)
def test_units_glued_unit(rest: str, unit: str | None) -> None:
    assert glued_unit(rest) == unit


@pytest.mark.parametrize(
    ("rest", "unit"),
    [("K in vacuum", "K"), ("m deep", "m"), ("B tokens", None), ("M rows", None)],
)
def test_units_one_letter_units_need_a_space(rest: str, unit: str | None) -> None:
    assert glued_unit(rest, spaced=True) == unit


@pytest.mark.parametrize(
    ("after", "head", "phrase"),
    [
        (" tasks.", "tasks", "tasks"),
        (" Chinese NLP tasks and", "tasks", "Chinese NLP tasks"),
        (" TPU chips.", "chips", "TPU chips"),
        (" high-quality QA pairs", "pairs", "high-quality QA pairs"),
        # a collection named after what it holds counts what it holds
        (" pair dataset QuuxPairs", "pairs", "pair"),
        (" clean image corpus", "images", "clean image"),
        (" benchmark datasets", "datasets", "benchmark datasets"),
        (" and 3 more", None, None),
        (" of the data", None, None),
        (" outperforms it", None, None),
    ],
)
def test_units_counted_noun(after: str, head: str | None, phrase: str | None) -> None:
    text = "54" + after
    found = counted_noun(text, 2, len(text))
    got = (found[0], text[found[1] : found[2]]) if found else (None, None)
    assert got == (head, phrase)


@pytest.mark.parametrize(
    ("rest", "unit"),
    [
        # a quotient after a lexicon unit: the divisor is part of the unit
        ("µg/ml of serum", "µg/ml"),
        ("μg/mL in buffer", "μg/mL"),
        ("°C/min until", "°C/min"),
        ("Å/s onto", "Å/s"),
        ("mg/l nitrate", "mg/l"),
        ("mmol/L glucose", "mmol/L"),
        # a product of powers, the minus sometimes set apart from its digit
        ("g mol−1 polymer", "g mol−1"),
        ("mA g− 1 rate", "mA g− 1"),
        ("kg m−2 yr−1 flux", "kg m−2 yr−1"),
        # units the general lexicon lacks
        ("nT field", "nT"),
        ("U/ml of enzyme", "U/ml"),
        ("°N latitude", "°N"),
        ("minutes later", "minutes"),
        ("kDa band", "kDa"),
        # a divisor that is not a unit is not taken
        ("µg/sample", "µg"),
    ],
)
def test_units_compound_units(rest: str, unit: str | None) -> None:
    assert glued_unit(rest, spaced=True) == unit


@pytest.mark.parametrize(
    ("rest", "unit"),
    [
        ("ng of toxin", "ng"),
        ("TWh per year", "TWh"),
        ("meV gap", "meV"),
        ("ka BP and", "ka BP"),
        ("cal yr BP in", "cal yr BP"),
        ("mS/cm at", "mS/cm"),
    ],
)
def test_units_science_lexicon(rest: str, unit: str | None) -> None:
    assert glued_unit(rest, spaced=True) == unit


def _units(text: str) -> list[tuple[str, float, str | None]]:
    doc = Doc(text=text, title=None, sentences=split_sentences(text))
    for step in (find_numbers, drop_names, attach_units, join_groups):
        doc = step(doc)
    return [(text[d.start : d.end], d.value, d.unit) for d in doc.drafts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "It holds at 3B and 30B scales.",
            [("3B", 3e9, "parameters"), ("30B", 3e10, "parameters")],
            id="sizes-before-scales",
        ),
        pytest.param("It works at the 7B scale.", [("7B", 7e9, "parameters")], id="scale"),
        pytest.param(
            "We tune 7b and 33b checkpoints.",
            [("7b", 7e9, "parameters"), ("33b", 33e9, "parameters")],
            id="lower-case-sizes",
        ),
        pytest.param(
            "We release checkpoints (7B to 33B).",
            [("7B", 7e9, "parameters"), ("33B", 33e9, "parameters")],
            id="inferred-size-shared-in-a-range",
        ),
        pytest.param("A 360M params variant.", [("360M", 36e7, "parameters")], id="params"),
        pytest.param(
            "It beats 7B baselines with a 1B student.",
            [("7B", 7e9, "parameters"), ("1B", 1e9, "parameters")],
            id="sizes-of-baselines-and-students",
        ),
        pytest.param(
            "It wins on 9 of 12 tasks and 3 out of 4 suites.",
            [
                ("9", 9.0, "tasks"),
                ("12", 12.0, "tasks"),
                ("3", 3.0, "suites"),
                ("4", 4.0, "suites"),
            ],
            id="part-of-a-whole",
        ),
        pytest.param(
            "It diverges in 3 runs at 7B-scale sizes.",
            [("3", 3.0, "runs"), ("7B", 7e9, "parameters")],
            id="a-listed-noun-that-is-also-a-verb-and-a-hyphenated-scale",
        ),
        pytest.param(
            "Pools hold 100-200k samples.",
            [("100", 1e5, "samples"), ("200k", 2e5, "samples")],
            id="range-shares-its-magnitude",
        ),
        pytest.param(
            "We use 300 and 2k images.",
            [("300", 300.0, "images"), ("2k", 2e3, "images")],
            id="no-magnitude-for-a-larger-number",
        ),
        pytest.param(
            "Gains are 3% at 1B and 5% at 7B.",
            [("3%", 3.0, "%"), ("1B", 1e9, None), ("5%", 5.0, "%"), ("7B", 7e9, None)],
            id="a-size-takes-no-percent",
        ),
        pytest.param(
            "It reaches 15 Petaflops in 31 seconds.",
            [("15 Petaflops", 15.0, "Petaflops"), ("31 seconds", 31.0, "seconds")],
            id="capitalised-unit-and-seconds",
        ),
    ],
)
def test_units_in_context(text: str, expected: list[tuple[str, float, str | None]]) -> None:
    assert _units(text) == expected
