"""claimex gives the same claims on every run, whatever ``PYTHONHASHSEED`` is.

quantulum3 keeps its unit candidates in sets, so its answer for an ambiguous symbol ("B": byte or
bel?) can change with the hash seed; ``extractors.units`` only takes unambiguous, sorted lookups
and refuses the lone letters that are magnitudes in ML text. These tests run the extractor in
fresh interpreters with different seeds and compare the JSON byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimex.extractors import extract
from claimex.extractors.dimensions import measurement_dimension

# Slow, left out of the fast loop (scripts/test -m "not slow"):
# extracts the same texts under several hash seeds, in processes.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SEEDS = ("0", "1", "2", "3", "random")

# Texts whose numbers carry measurement units or magnitude letters that quantulum3 also knows.
TEXTS: tuple[str, ...] = (
    "Inference takes 15 ms latency per query.",
    "We train on a 4TB corpus.",
    "The cluster sustains 417 petaFLOP/s.",
    "We collect 212k hours of speech.",
    "We pretrain on 555B tokens.",
    "It supports an 8K context window.",
    "Trained on 2T tokens.",
    "Training used 100 kWh of energy.",
    "Each run takes 3 min on one GPU.",
    "The index needs 20 GB of memory.",
    "Latency drops to 15 ms while memory stays at 20 GB over 3 min with an 8K context.",
    # quantulum3's first candidate for "Mb" (megabit, mega base pair, megabarn) varies by seed.
    "The vocabulary file is 6 Mb and the genome 3 Mb.",
    "Zeta-7B reaches 91.4% with 3M parameters, 4 MB, 2 GiB, 7 Hz, 5 mph, 3 kg and 300 K.",
)

# The snippet each interpreter runs: texts as JSON on stdin, claims as JSON on stdout, and the
# hash of a fixed string on stderr so the test can check that the seed really took effect.
SNIPPET = """
import json, sys
import msgspec
from claimex.extractors import extract
texts = json.load(sys.stdin)
sys.stdout.buffer.write(msgspec.json.encode([extract(t) for t in texts]))
sys.stderr.write(str(hash("claimex")))
"""


def _start(seed: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", SNIPPET],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )


@pytest.fixture(scope="module")
def runs() -> dict[str, tuple[bytes, str]]:
    """(claims JSON, hash of "claimex") from one fresh interpreter per seed.

    All interpreters start at once (importing spaCy is the slow part and happens before the
    snippet reads stdin), then each is given the texts in turn.
    """
    processes = {seed: _start(seed) for seed in SEEDS}
    results: dict[str, tuple[bytes, str]] = {}
    for seed, process in processes.items():
        out, err = process.communicate(json.dumps(TEXTS).encode(), timeout=120)
        assert process.returncode == 0, f"PYTHONHASHSEED={seed}: {err.decode()}"
        # Anything else on stderr (a warning) would come before the hash, on earlier lines.
        results[seed] = (out, err.decode().rsplit("\n", 1)[-1])
    return results


def test_determinism_seeds_really_change_string_hashes(runs: dict[str, tuple[bytes, str]]) -> None:
    """Without this the byte-identical check below would pass even if the seed were ignored."""
    hashes = {seed: h for seed, (_, h) in runs.items() if seed != "random"}
    assert len(set(hashes.values())) == len(hashes), hashes


def test_determinism_claims_are_byte_identical_across_hash_seeds(
    runs: dict[str, tuple[bytes, str]],
) -> None:
    reference = runs["0"][0]
    decoded = json.loads(reference)
    assert len(decoded) == len(TEXTS)
    assert all(decoded), "every text should yield at least one claim"
    for seed, (out, _) in runs.items():
        assert out == reference, f"PYTHONHASHSEED={seed} differs from PYTHONHASHSEED=0"


def test_determinism_subprocess_matches_this_process(runs: dict[str, tuple[bytes, str]]) -> None:
    import msgspec  # noqa: PLC0415 - only this test needs the encoder

    assert runs["0"][0] == msgspec.json.encode([extract(t) for t in TEXTS])


# (word, dimension) pairs: quantulum3's dimension for real measurement units.
ACCEPTED_UNITS: list[tuple[str, str]] = [
    ("ms", "time"),
    ("TB", "data storage"),
    ("hours", "time"),
    ("GB", "data storage"),
    ("kWh", "energy"),
]
# Lone letters that quantulum3 reads as units (byte, tesla, kelvin, …) but that are magnitudes.
REFUSED_UNITS: list[tuple[str, str]] = [
    ("B is billions, not byte", "B"),
    ("T is trillions, not tesla", "T"),
    ("K is thousands, not kelvin", "K"),
    ("k is thousands, not kelvin", "k"),
    ("M is millions, not metre", "M"),
    ("Mb is ambiguous: megabit, mega base pair or megabarn", "Mb"),
    ("empty", ""),
]


@pytest.mark.parametrize(("word", "dimension"), ACCEPTED_UNITS, ids=[c[0] for c in ACCEPTED_UNITS])
def test_units_measurement_dimension_accepts_measurement_units(word: str, dimension: str) -> None:
    assert measurement_dimension(word) == dimension


@pytest.mark.parametrize("word", [c[1] for c in REFUSED_UNITS], ids=[c[0] for c in REFUSED_UNITS])
def test_units_measurement_dimension_refuses_magnitude_letters(word: str) -> None:
    assert measurement_dimension(word) is None


# (id, text, span, unit): magnitude letters count the noun after them and never become a unit.
MAGNITUDES: list[tuple[str, str, str, str]] = [
    ("B tokens", "We pretrain on 555B tokens.", "555B", "tokens"),
    ("T tokens", "Trained on 2T tokens.", "2T", "tokens"),
    ("k hours", "We collect 212k hours of speech.", "212k hours", "hours"),
    ("TB is a unit", "We train on a 4TB corpus.", "4TB", "TB"),
    ("ms is a unit", "Inference takes 15 ms latency per query.", "15 ms", "ms"),
]


@pytest.mark.parametrize(
    ("text", "span", "unit"), [c[1:] for c in MAGNITUDES], ids=[c[0] for c in MAGNITUDES]
)
def test_determinism_magnitude_letters_are_not_physical_units(
    text: str, span: str, unit: str
) -> None:
    assert [(c.span, c.unit) for c in extract(text)] == [(span, unit)]
