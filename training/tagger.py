r"""Train the mention tagger's CRF: ``extractors/models/mentions.crfsuite``.

    .venv/bin/python -m training.tagger [--shared DIR] [--out PATH]
                                        [--sources tdmsci,scirex]

Data come from the shared folder (default ``../shared`` next to the repository), read by
``training.tagger_data``: TDMSci train (never its test file), SciREX abstract mentions and the
names of our dev-gold claims. Features are ``extractors.mentions.tagger_features``, the ones
the tagger computes at run time.

Reproducible: the examples are read in a fixed order and L-BFGS is deterministic, so the same
data give a byte-identical model file (``tests/training`` checks it on a small corpus).

Regularisation, chosen by 3-fold cross-validation on TDMSci *train* only, folds by a hash of
the sentence's index (``python -m training.tagger_cv``; micro F1 of exact spans over task,
dataset and metric, the three folds' counts pooled; the test file is never read):

    c1 \ c2    0.01    0.1     1.0
    0.05      0.568   0.570   0.562
    0.2       0.574   0.571   0.555
    0.5       0.567   0.564   0.549
    1.0       0.543   0.542   0.537

c1 = 0.2, c2 = 0.01 is the best cell. Its neighbours are within half a point, so the choice is
not fragile; a larger c1 costs F1, a smaller one keeps more (near-zero) features and so a
larger file (CRFsuite stores only non-zero weights). F1 of that cell is flat in the number of
L-BFGS iterations (0.575, 0.572, 0.574, 0.572 at 50, 100, 150, 250): 150 is past convergence
and costs ~15 s on all the data.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pycrfsuite

from claimex.extractors.mentions.tagger_features import features
from training.tagger_data import Example, bio, read

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
DEFAULT_OUT = REPO / "extractors" / "models" / "mentions.crfsuite"
# The shipped tagger learns from public data only. With dev-gold's names added, the linking
# models must be fitted on mentions from taggers that never saw each abstract (a tagger finds
# the names it was trained on far more surely than new ones); measured that way, 5-fold on
# dev-gold, the names did not help: triple F1 0.628 with them, 0.611 without; metric 0.767 /
# 0.771, dataset 0.493 / 0.493, subject 0.535 / 0.530. A public-only tagger keeps training and
# cross-validation simple and honest: dev-gold is never seen by it.
SOURCES = frozenset({"tdmsci", "scirex"})
C1 = 0.2
C2 = 0.01
MAX_ITERATIONS = 150


def fit(
    examples: Iterable[Example],
    out: Path,
    *,
    c1: float = C1,
    c2: float = C2,
    max_iterations: int = MAX_ITERATIONS,
) -> Path:
    """Train a CRF on ``examples`` (in the order given) and write it to ``out``."""
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            # Transitions never seen (O → I-METRIC) get weights too, so they can be ruled out.
            "feature.possible_transitions": True,
        }
    )
    for example in examples:
        toks, labels = bio(example)
        if toks:
            trainer.append(features(example.text, toks), labels)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


def train(
    shared: Path,
    out: Path,
    *,
    sources: frozenset[str] = SOURCES,
    exclude_ids: frozenset[str] = frozenset(),
) -> Path:
    """Train on ``sources`` of the shared folder, leaving out the abstracts ``exclude_ids``."""
    return fit(read(shared, sorted(sources), exclude_ids), out)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: the shared folder, the model file to write and the sources to use."""
    parser = argparse.ArgumentParser(prog="python -m training.tagger", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    parser.add_argument(
        "--sources",
        default=",".join(sorted(SOURCES)),
        help="comma-separated: tdmsci, scirex, dev-gold (default tdmsci,scirex)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Train the tagger on the chosen sources, write it, and print its size and the time taken."""
    args = parse_args(argv)
    sources = frozenset(s.strip() for s in args.sources.split(",") if s.strip())
    started = time.perf_counter()
    out = train(args.shared, args.out, sources=sources)
    seconds = time.perf_counter() - started
    print(f"{out}: {out.stat().st_size:,} bytes in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
