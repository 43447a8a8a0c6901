"""units.py: measurement units (quantulum3's lexicon, guarded) and counted nouns."""

from __future__ import annotations

import pytest

from extractors.units import counted_noun, glued_unit, measurement_dimension


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
