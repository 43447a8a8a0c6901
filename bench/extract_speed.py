"""Extraction speed on one core: claimex ``extract`` against quantulum3's ``parser.parse``.

    .venv/bin/python -m bench.extract_speed [PATH ...] [--runs N] [--quantulum-runs N]

Reads the distinct abstracts of PATH (default: ``../shared/corpus/*.txt`` next to the
repository) with ``workers.readers``, pins the process to one CPU so that the figure means
"per core", runs each extractor once untimed (model loading and lazy tables are start-up cost,
not throughput), then times whole passes over all abstracts and reports the median pass.
quantulum3 is about 30 abstracts/s, so it gets fewer passes by default. Peak RSS is the
process's high-water mark (``getrusage``), read after the claimex passes and again at the end.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from claimex.extractors import EXTRACTOR_VERSION, extract
from claimex.extractors.pipeline import Models, default_models
from claimex.workers.readers import distinct_abstracts

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from claimex.extractors.mentions.find import TagFn
    from claimex.extractors.mentions.mention import Mention
    from claimex.workers.sources import Problem

with warnings.catch_warnings():
    # quantulum3 warns at import that its optional scikit-learn classifier is not installed.
    warnings.simplefilter("ignore", UserWarning)
    from quantulum3 import parser as quantulum

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: corpus paths, passes of each extractor, and the CPU to pin to."""
    parser = argparse.ArgumentParser(prog="python -m bench.extract_speed", description=__doc__)
    parser.add_argument("paths", nargs="*", metavar="PATH", help="corpus files (any reader format)")
    parser.add_argument("--runs", type=int, default=5, help="timed claimex passes (median)")
    parser.add_argument("--quantulum-runs", type=int, default=2, help="timed quantulum3 passes")
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: first)")
    return parser.parse_args(argv)


def pin_to_one_cpu(cpu: int | None) -> str:
    """Pin this process to one CPU; returns what was done, for the report."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    allowed = sorted(os.sched_getaffinity(0))
    chosen = allowed[0] if cpu is None else cpu
    os.sched_setaffinity(0, {chosen})
    return f"pinned to CPU {chosen} (of {len(allowed)} allowed)"


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def timed_passes(work: Callable[[], int], runs: int) -> tuple[list[float], int]:
    """Seconds of each of ``runs`` passes of ``work``, and what the last pass returned.

    Garbage is collected between passes; a pass returns the number of claims or quantities it
    found.
    """
    times, found = [], 0
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        found = work()
        times.append(time.perf_counter() - start)
    return times, found


class TimedTagger:
    """The shipped tagger, counting the seconds spent in it: its share of extraction time."""

    def __init__(self, tag: TagFn) -> None:
        self.tag = tag
        self.seconds = 0.0

    def __call__(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Mention]:
        """The shipped tagger's mentions, its seconds added to ``seconds``."""
        start = time.perf_counter()
        found = self.tag(text, spans)
        self.seconds += time.perf_counter() - start
        return found


def claimex_pass(texts: list[str], models: Models | None = None) -> int:
    """Extract every text once with ``models``; how many claims were found."""
    return sum(len(extract(text, models=models)) for text in texts)


def quantulum_pass(texts: list[str]) -> int:
    """Parse every text once with quantulum3; how many quantities were found."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the same classifier notice, at parse time
        return sum(len(quantulum.parse(text)) for text in texts)


def main(argv: Sequence[str] | None = None) -> int:
    """Time both extractors over the corpus on one core and print their rates and memory."""
    args = parse_args(argv)
    if args.runs < 1 or args.quantulum_runs < 1:
        sys.exit("bench.extract_speed: --runs and --quantulum-runs need at least 1")
    paths = args.paths or sorted(str(p) for p in DEFAULT_CORPUS.glob("*.txt"))
    if not paths:
        sys.exit(f"bench.extract_speed: no corpus files (looked in {DEFAULT_CORPUS})")
    pinning = pin_to_one_cpu(args.cpu)

    def report(problem: Problem) -> None:
        print(f"warning: {problem}", file=sys.stderr)

    texts = [record.text for record in distinct_abstracts(paths, on_problem=report)]
    if not texts:
        sys.exit("bench.extract_speed: no abstracts in the given files")

    claimex_pass(texts)  # warm-up: spaCy, lexicons and the tagger load lazily
    shipped = default_models()
    timed = TimedTagger(shipped.tag) if shipped.tag else None
    models = Models(tag=timed, weights=shipped.weights)
    claimex_times, claims = timed_passes(lambda: claimex_pass(texts, models), args.runs)
    rss_claimex = peak_rss_mb()
    tagger_share = (timed.seconds / sum(claimex_times)) if timed else 0.0
    quantulum_pass(texts[:5])  # warm-up: quantulum3 builds its tables on first use
    q_times, quantities = timed_passes(lambda: quantulum_pass(texts), args.quantulum_runs)

    n = len(texts)
    claimex_rate = n / statistics.median(claimex_times)
    quantulum_rate = n / statistics.median(q_times)
    rows = [
        ("corpus", f"{len(paths)} files, {n} distinct abstracts"),
        ("cpu", pinning),
        ("claimex extract", f"{claimex_rate:,.1f} abstracts/s (median of {args.runs} passes)"),
        ("  passes (s)", ", ".join(f"{t:.3f}" for t in claimex_times)),
        ("  claims/abstract", f"{claims / n:.2f} (extractor {EXTRACTOR_VERSION})"),
        ("  tagger share", f"{tagger_share:.0%} of extraction time"),
        ("  peak RSS", f"{rss_claimex:,.0f} MB"),
        ("quantulum3 parse", f"{quantulum_rate:,.1f} abstracts/s (median of {len(q_times)})"),
        ("  passes (s)", ", ".join(f"{t:.3f}" for t in q_times)),
        ("  quantities/abstract", f"{quantities / n:.2f}"),
        ("  peak RSS (whole run)", f"{peak_rss_mb():,.0f} MB"),
        ("ratio claimex/quantulum3", f"{claimex_rate / quantulum_rate:,.1f}x"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
