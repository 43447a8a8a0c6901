"""spans.py: claims grown to the quantity as written (hedge, range, list, tolerance)."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.spans import quantity_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("It takes ~400 GPU hours.", ["~400 GPU hours"], id="hedge-symbol"),
        pytest.param("It holds between 5 and 10 mm of ice.", ["between 5 and 10 mm"], id="between"),
        pytest.param("The sample was heated to 440 ± 50 K.", ["440 ± 50 K"], id="tolerance"),
        pytest.param("Scores were 81.2% and 79.9%.", ["81.2% and 79.9%"], id="list"),
        pytest.param("It reached 92.7-98.1% of the target.", ["92.7-98.1%"], id="range"),
        pytest.param("We count 15 mice.", ["15"], id="count-is-its-number"),
        pytest.param("It reaches up to 3 mbar.", ["up to 3 mbar"], id="hedge-words"),
        pytest.param("An 8-year record was kept.", ["8-year"], id="hyphen-unit"),
        pytest.param("A density of 1 g cm−3 was used.", ["1 g cm−3"], id="unit-product"),
    ],
)
def test_spans_quantity_spans(text: str, expected: list[str]) -> None:
    spans = quantity_spans(text, extract(text))
    assert [text[s:e] for s, e in spans] == expected
