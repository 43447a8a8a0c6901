"""spans.py: claims grown to the quantity as written (hedge, range, list, tolerance)."""

from __future__ import annotations

import pytest

from bench.spans import quantity_spans
from claimex.extractors import extract


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("It takes ~400 GPU hours.", ["~400 GPU hours"], id="hedge-symbol"),
        pytest.param("It holds between 5 and 10 mm of ice.", ["between 5 and 10 mm"], id="between"),
        pytest.param("The sample was heated to 440 ± 50 K.", ["440 ± 50 K"], id="tolerance"),
        pytest.param("Sizes were 3, 5 and 8 mm.", ["3, 5 and 8 mm"], id="list-sharing-a-unit"),
        # listed quantities that each carry their unit are whole quantities each
        pytest.param("Scores were 81.2% and 79.9%.", ["81.2%", "79.9%"], id="list-of-wholes"),
        pytest.param("It lies between 5% and 9%.", ["between 5% and 9%"], id="between-wholes"),
        # hedges stack, and a range may be named as one
        pytest.param("It stays below ~460 K.", ["below ~460 K"], id="stacked-hedges"),
        pytest.param("Values range from 3 to 9 mm.", ["range from 3 to 9 mm"], id="range-from"),
        pytest.param("It reached 92.7-98.1% of the target.", ["92.7-98.1%"], id="range"),
        pytest.param("We count 15 mice.", ["15"], id="count-is-its-number"),
        pytest.param("It reaches up to 3 mbar.", ["up to 3 mbar"], id="hedge-words"),
        pytest.param("An 8-year record was kept.", ["8-year"], id="hyphen-unit"),
        pytest.param("A density of 1 g cm−3 was used.", ["1 g cm−3"], id="unit-product"),
        # counts written as words, with a unit when one follows
        pytest.param("We drilled three cores.", ["three"], id="spelled-count"),
        pytest.param("Twenty-two plots were sown.", ["Twenty-two"], id="spelled-compound"),
        pytest.param("It dried for two days.", ["two days"], id="spelled-with-unit"),
        pytest.param("A ten-day trial ran.", ["ten-day"], id="spelled-hyphen-unit"),
        pytest.param("A two-dimensional grid.", [], id="spelled-adjective-is-no-count"),
        pytest.param("One of them failed.", [], id="one-alone-is-a-pronoun"),
        pytest.param("Wait one week.", ["one week"], id="one-with-unit"),
        pytest.param("We need at least one site.", ["at least one"], id="one-with-bound"),
        pytest.param("It rose by thirty percent.", ["thirty percent"], id="spelled-percent"),
        # years and dates, which claims leave out as names; citations stay out
        pytest.param("The survey began in 1987.", ["1987"], id="year"),
        pytest.param("It ran from 1990 to 1994.", ["1990 to 1994"], id="year-range"),
        pytest.param("Visits in 2001, 2004, and 2009.", ["2001, 2004, and 2009"], id="year-list"),
        pytest.param(
            "It was sampled between 2012 and 2015.", ["between 2012 and 2015"], id="years"
        ),
        pytest.param("It was seen on 3 March 2016.", ["3 March 2016"], id="date"),
        pytest.param("This was shown before (Smith et al., 2003).", [], id="citation"),
        pytest.param("This was shown by Brown (2003).", [], id="author-year"),
        pytest.param("As seen (Hale and Moss 1998; Ito, 2002).", [], id="citation-list"),
        pytest.param(
            "Between May 2003 and June 2005 it grew.",
            ["Between May 2003 and June 2005"],
            id="date-range",
        ),
        pytest.param("Probe 3 (1977) was launched.", ["3", "1977"], id="year-after-a-name"),
        # conditions counted as quantities without a number
        pytest.param("It was dried at room temperature.", ["room temperature"], id="named"),
        pytest.param("The arm turned 45 degrees.", ["45 degrees"], id="degrees"),
        # "from … to …" ranges, also with a hedge on the second end
        pytest.param("It rose from 2 to 4 kV.", ["from 2 to 4 kV"], id="from-to"),
        pytest.param("It fell from ~30 ppm to ~9 ppm.", ["from ~30 ppm to ~9 ppm"], id="hedged-to"),
        pytest.param("It came from 12 wells.", ["12"], id="from-without-to"),
        # ratios, clock times, powers of ten with a flattened superscript
        pytest.param("Mix them 1:4 by volume.", ["1:4"], id="ratio"),
        pytest.param("It began at 14:05 UT.", ["14:05"], id="clock"),
        pytest.param("A flux of 2 × 107 kg s−1 is needed.", ["2 × 107 kg s−1"], id="flat-power"),
        pytest.param("A limit of ≲ 10−6 holds.", ["≲ 10−6"], id="bare-power"),
        pytest.param("Cut a 3 × 3 × 8 mm bar.", ["3 × 3 × 8 mm"], id="dimensions"),
        pytest.param("A 200 m × 150 m plot.", ["200 m × 150 m"], id="dimensions-with-units"),
        # a range whose other end was not a claim
        pytest.param("The odds were higher (CI 1.20–3.45).", ["1.20–3.45"], id="range-start"),
        pytest.param("Cells gave Jsc∼4–6 mA/cm2 today.", ["∼4–6 mA/cm2"], id="range-end"),
        # bounds and rates written after the number; "over" is no hedge
        pytest.param("Sites with 4 or more wells.", ["4 or more"], id="or-more"),
        pytest.param("It grows 3% per year.", ["3% per year"], id="per-unit"),
        pytest.param("Add 20 µg/ml of serum.", ["20 µg/ml"], id="quotient-unit"),
        pytest.param("It lasted over 9 hours.", ["over 9 hours"], id="over"),
        pytest.param("It has grown since 1996.", ["since 1996"], id="since-year"),
        pytest.param("It holds not more than 5% water.", ["not more than 5%"], id="not-more-than"),
        pytest.param("It takes on the order of 2 days.", ["on the order of 2 days"], id="order-of"),
        # a product sign far before a quantity does not tie it to the one before
        pytest.param("We saw 4 mm in a=2×5 mm.", ["4 mm", "5 mm"], id="product-gap"),
    ],
)
def test_spans_quantity_spans(text: str, expected: list[str]) -> None:
    spans = quantity_spans(text, extract(text))
    assert [text[s:e] for s, e in spans] == expected
