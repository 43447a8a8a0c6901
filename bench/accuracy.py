"""Accuracy of claimex ``extract`` and, in the same run, quantulum3 on gold nobody here wrote.

    .venv/bin/python -m bench.accuracy [--only NAME ...] [--json] [--shared DIR]

Benchmarks, all read from the shared folder at run time (default ``../shared`` next to the
repository) so that none of their text or annotations ever enters this repository:

- ``dev-gold``: our own gold, scored with ``extractors.scoring`` (what ``claimex score`` prints).
  The linking models were fitted on it, so this figure flatters them.
- ``dev-gold-cv``: the honest one: 5-fold cross-validation by abstract (``training.crossval``),
  every fitted part refitted on four folds and scored on the fifth.
- ``mentions``: the mention tagger on data it never saw (``bench.mentions``): TDMSci test
  (dataset, metric, task; exact and partial overlap), SciREX abstracts 5-fold, tagging speed.
- ``measeval``: MeasEval paragraphs (``benchmarks/measeval/quantities.jsonl``, internal
  evaluation only). On train+trial, one-to-one quantity P/R/F1 with strict offsets and with
  any character overlap; on eval, the shared task's overlap score (see ``official_overlap``).
  Our claim spans are compared as they are, although MeasEval spans include the unit.
- ``sota-clef24``, ``nlp-tdms``, ``scirex``: leaderboard scores whose number occurs in the
  abstract; recall, and how often the found claim names the gold metric and dataset.

quantulum3 runs on every MeasEval paragraph but only on the leaderboard abstracts that hold a
gold score (it parses ~25 abstracts/s), and so does claimex, so that wall times compare. Each
system gets one untimed warm-up call per benchmark: loading models and tables is start-up cost.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

import msgspec
from rich import box
from rich.console import Console
from rich.table import Table

from bench.spans import quantity_spans
from claimex.extractors import canonical, extract
from claimex.extractors.matching import match_claims, overlaps, same_name, same_value
from claimex.extractors.scoring import ScoredClaim, ScoredDocument, Scores, as_scored, score

with warnings.catch_warnings():
    # quantulum3 warns at import that its optional scikit-learn classifier is not installed.
    warnings.simplefilter("ignore", UserWarning)
    from quantulum3 import parser as quantulum

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"
LEADERBOARDS = ("sota-clef24", "nlp-tdms", "scirex")
BENCHMARKS = ("dev-gold", "dev-gold-cv", "mentions", "measeval", *LEADERBOARDS)
# Published anchor: grobid-quantities on MeasEval train+trial, one-to-one string matching.
GROBID_ANCHOR = {"strict F1": 0.5428, "overlap F1": 0.6726}

# Ours, for the untimed first call: a unit, a ratio and a count, so that claimex's lazily loaded
# unit lexicon and quantulum3's tables are built before the clock starts, whatever comes first.
WARM_UP = (
    "Our model reaches 88.5% accuracy on ImageNet with 15 ms latency per image, 2.5x faster "
    "than the baseline, after training on 4TB of text with 7B parameters."
)

T = TypeVar("T")
Predictions = tuple[ScoredClaim, ...]
Extractor = Callable[[str, str | None], Predictions]


# --- result records -----------------------------------------------------------------------


class Figure(msgspec.Struct, frozen=True, kw_only=True):
    """One number of the table; ``value`` is ``None`` when the system cannot produce it."""

    name: str
    value: float | None
    detail: str = ""


class SystemResult(msgspec.Struct, frozen=True, kw_only=True):
    """One system's figures on one benchmark, with the wall seconds it took."""

    system: str
    seconds: float | None  # None for a published reference, which we did not run
    figures: tuple[Figure, ...]


class BenchmarkResult(msgspec.Struct, frozen=True, kw_only=True):
    """One benchmark's results: every system's figures, or why it was skipped."""

    benchmark: str
    status: Literal["ok", "skipped"]
    note: str
    systems: tuple[SystemResult, ...] = ()


def skipped(benchmark: str, path: Path) -> BenchmarkResult:
    """A row instead of a crash: a checkout without the shared data still runs the rest."""
    return BenchmarkResult(benchmark=benchmark, status="skipped", note=f"not found: {path}")


def ratio(part: float, whole: int) -> float | None:
    """``part / whole``, or ``None`` when there is no whole."""
    return part / whole if whole else None


def counts(tp: int, predicted: int, gold: int) -> str:
    """The counts behind a precision and a recall, as the table's detail column shows them."""
    return f"tp {tp} · pred {predicted} · gold {gold}"


# --- systems ------------------------------------------------------------------------------


def claimex_system(text: str, title: str | None) -> Predictions:
    """The claims claimex extracts from ``text``, as the scorer compares them."""
    return as_scored(extract(text, title=title))


def quantulum_system(text: str, title: str | None) -> Predictions:
    """quantulum3's quantities as claims: offsets and value only, it names nothing else.

    The span is cut from ``text`` rather than taken from its ``surface``, which quantulum3 may
    have normalised; the title is ignored, quantulum3 reads no context.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the classifier notice, again at parse
        found = quantulum.parse(text)
    claims = []
    for q in found:
        start, end = int(q.span[0]), int(q.span[1])
        claims.append(ScoredClaim(start=start, end=end, value=float(q.value), span=text[start:end]))
    return tuple(claims)


@dataclass(frozen=True)
class System:
    """An extractor under test, and whether it labels its claims at all.

    ``labels`` says whether it fills kind, direction, metric, dataset and subject; where it does
    not, those figures are shown as absent, not zero, and a labelling system that stops labelling
    still shows up as 0.
    """

    name: str
    extract: Extractor
    labels: bool


def claimex_quantity_system(text: str, title: str | None) -> Predictions:
    """Claims as whole written quantities (``extractors.spans``), the way MeasEval marks them.

    MeasEval's spans include the unit, hedges and both ends of a range, where a claim's span is
    one number.
    """
    spans = quantity_spans(text, extract(text, title=title))
    return tuple(ScoredClaim(start=s, end=e, value=0.0, span=text[s:e]) for s, e in spans)


SYSTEMS = (
    System("claimex", claimex_system, labels=True),
    System("quantulum3", quantulum_system, labels=False),
)
# MeasEval marks quantities as written; claimex is also scored there with its quantity spans.
MEASEVAL_SYSTEMS = (
    SYSTEMS[0],
    System("claimex (quantity spans)", claimex_quantity_system, labels=False),
    SYSTEMS[1],
)


def run_system(
    system: Extractor, docs: Sequence[tuple[str, str | None]]
) -> tuple[list[Predictions], float]:
    """Predictions for each (text, title), and the wall seconds they took after a warm-up."""
    system(WARM_UP, None)
    start = time.perf_counter()
    predictions = [system(text, title) for text, title in docs]
    return predictions, time.perf_counter() - start


def read_jsonl(path: Path, decoder: msgspec.json.Decoder[T]) -> Iterator[T]:
    """Each non-blank line of a JSONL file, decoded with ``decoder``, read lazily."""
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield decoder.decode(line)


# --- dev-gold -----------------------------------------------------------------------------


class GoldAbstract(ScoredDocument, frozen=True, kw_only=True):
    """A dev-gold line: the scored document plus its title, which ``extract`` also reads."""

    title: str | None = None


def dev_gold_figures(scores: Scores, labels: bool) -> tuple[Figure, ...]:
    """The figures of ``claimex score``; the labelled ones only for a system that labels."""
    q, t = scores.quantity, scores.triple
    figures = rate_figures("quantity", q.tp, q.predicted, q.gold)
    for name in ("kind", "direction", "metric", "dataset", "subject", "confident"):
        acc = getattr(scores, name)
        value = acc.accuracy if labels else None
        figures.append(Figure(name=name, value=value, detail=f"{acc.correct}/{acc.total}"))
    value = t.f1 if labels else None
    figures.append(Figure(name="triple F1", value=value, detail=counts(t.tp, t.predicted, t.gold)))
    return tuple(figures)


def bench_dev_gold(shared: Path) -> list[BenchmarkResult]:
    """Every system on our own dev gold, scored as ``claimex score`` scores it."""
    path = shared / "eval" / "dev-gold.jsonl"
    if not path.is_file():
        return [skipped("dev-gold", path)]
    gold = list(read_jsonl(path, msgspec.json.Decoder(GoldAbstract)))
    docs = [(g.text or "", g.title) for g in gold]
    systems = []
    for system in SYSTEMS:
        predictions, seconds = run_system(system.extract, docs)
        pred = [
            ScoredDocument(id=g.id, text=g.text, claims=p)
            for g, p in zip(gold, predictions, strict=True)
        ]
        figures = dev_gold_figures(score(gold, pred), system.labels)
        systems.append(SystemResult(system=system.name, seconds=seconds, figures=figures))
    return [
        BenchmarkResult(
            benchmark="dev-gold", status="ok", note=f"{len(gold)} abstracts", systems=tuple(systems)
        )
    ]


# --- MeasEval -----------------------------------------------------------------------------


class MeasQuantity(msgspec.Struct, frozen=True):
    """One gold quantity of a MeasEval paragraph: its character offsets."""

    start: int
    end: int


class MeasParagraph(msgspec.Struct, frozen=True):
    """A MeasEval paragraph: its split, its text and its gold quantities, if annotated."""

    split: str
    text: str
    annotated: bool
    quantities: tuple[MeasQuantity, ...]


Span = tuple[int, int]


def strict_matches(gold: Sequence[Span], pred: Sequence[Span]) -> int:
    """One-to-one pairs with identical offsets (a span predicted twice counts once)."""
    return sum((Counter(gold) & Counter(pred)).values())


def overlap_matches(gold: Sequence[Span], pred: Sequence[Span]) -> int:
    """Size of a maximum one-to-one matching of spans that share at least one character.

    The scorer's matcher also requires equal values; MeasEval gold has no values, so every
    span gets the same one and only the overlap decides.
    """

    def as_claims(spans: Sequence[Span]) -> list[ScoredClaim]:
        return [ScoredClaim(start=s, end=e, value=0.0) for s, e in spans]

    return len(match_claims(as_claims(gold), as_claims(pred)))


def rate_figures(prefix: str, tp: int, predicted: int, gold: int) -> list[Figure]:
    """Precision, recall and F1 from the counts, each named after ``prefix``."""
    return [
        Figure(
            name=f"{prefix} precision",
            value=ratio(tp, predicted),
            detail=counts(tp, predicted, gold),
        ),
        Figure(name=f"{prefix} recall", value=ratio(tp, gold)),
        Figure(name=f"{prefix} F1", value=ratio(2 * tp, predicted + gold)),
    ]


def one_to_one_figures(
    paragraphs: Sequence[MeasParagraph], predictions: Sequence[Predictions]
) -> tuple[Figure, ...]:
    """Quantity precision, recall and F1 over the paragraphs, strict and with any overlap."""
    strict = overlap = n_pred = n_gold = 0
    for paragraph, claims in zip(paragraphs, predictions, strict=True):
        gold = [(q.start, q.end) for q in paragraph.quantities]
        pred = [(c.start, c.end) for c in claims]
        strict += strict_matches(gold, pred)
        overlap += overlap_matches(gold, pred)
        n_pred += len(pred)
        n_gold += len(gold)
    return (
        *rate_figures("strict", strict, n_pred, n_gold),
        *rate_figures("overlap", overlap, n_pred, n_gold),
    )


def token_f1(text: str, pred: Span, gold: Span) -> float:
    """Whitespace-token overlap of two overlapping spans, as the shared task scores a pair.

    The tokens of the shared characters count as the common tokens, so "5.3" against
    "5.3 mm" has precision 1 and recall 1/2.
    """
    common = len(text[max(pred[0], gold[0]) : min(pred[1], gold[1])].split())
    n_pred, n_gold = len(text[pred[0] : pred[1]].split()), len(text[gold[0] : gold[1]].split())
    if not (common and n_pred and n_gold):
        return 0.0
    precision, recall = common / n_pred, common / n_gold
    return 2 * precision * recall / (precision + recall)


def official_rows(text: str, gold: Sequence[Span], pred: Sequence[Span]) -> list[tuple[int, float]]:
    """The shared task's scored rows for one paragraph: (exact match, overlap score) each.

    Matching is not one-to-one: every (prediction, gold) pair that shares characters is a row,
    scored with the best token F1 of that prediction against any gold it overlaps; each
    prediction and each gold without partner is a row scoring 0, so misses and spurious
    quantities both pull the mean down. The task's script also pairs spans that merely touch
    (its offset comparisons are inclusive); here a pair must share a character.
    """
    rows: list[tuple[int, float]] = []
    touched: set[Span] = set()
    for p in pred:
        partners = [g for g in gold if p[0] < g[1] and g[0] < p[1]]
        if not partners:
            rows.append((0, 0.0))
            continue
        best = max(token_f1(text, p, g) for g in partners)
        rows.extend((int(p == g), best) for g in partners)
        touched.update(partners)
    rows.extend((0, 0.0) for g in gold if g not in touched)
    return rows


def official_overlap(
    paragraphs: Sequence[MeasParagraph], predictions: Sequence[Predictions]
) -> tuple[Figure, ...]:
    """The shared task's overlap score and exact-match share: means over every paragraph's rows."""
    rows: list[tuple[int, float]] = []
    for paragraph, claims in zip(paragraphs, predictions, strict=True):
        gold = [(q.start, q.end) for q in paragraph.quantities]
        pred = [(c.start, c.end) for c in claims]
        rows.extend(official_rows(paragraph.text, gold, pred))
    n = len(rows)
    detail = f"mean over {n} rows (pairs + unmatched)"
    return (
        Figure(name="official overlap F1", value=ratio(sum(f for _, f in rows), n), detail=detail),
        Figure(name="official exact match", value=ratio(sum(e for e, _ in rows), n)),
    )


def split_note(paragraphs: Sequence[MeasParagraph]) -> str:
    """What a split holds: its paragraphs, how many lack annotation, and its quantities."""
    quantities = sum(len(p.quantities) for p in paragraphs)
    unannotated = sum(not p.annotated for p in paragraphs)
    return (
        f"{len(paragraphs)} paragraphs ({unannotated} without annotation), {quantities} quantities"
    )


def bench_measeval(shared: Path) -> list[BenchmarkResult]:
    """Every MeasEval system: one-to-one figures on train+trial, the official score on eval."""
    path = shared / "benchmarks" / "measeval" / "quantities.jsonl"
    if not path.is_file():
        return [skipped("measeval", path)]
    paragraphs = list(read_jsonl(path, msgspec.json.Decoder(MeasParagraph)))
    dev = [p for p in paragraphs if p.split in {"train", "trial"}]
    test = [p for p in paragraphs if p.split == "eval"]
    docs = [(p.text, None) for p in (*dev, *test)]
    dev_systems, test_systems = [], []
    for system in MEASEVAL_SYSTEMS:
        name = system.name
        predictions, seconds = run_system(system.extract, docs)
        dev_pred, test_pred = predictions[: len(dev)], predictions[len(dev) :]
        dev_systems.append(
            SystemResult(system=name, seconds=seconds, figures=one_to_one_figures(dev, dev_pred))
        )
        test_systems.append(
            SystemResult(system=name, seconds=None, figures=official_overlap(test, test_pred))
        )
    anchor = tuple(Figure(name=k, value=v, detail="published") for k, v in GROBID_ANCHOR.items())
    dev_systems.append(SystemResult(system="grobid-quantities", seconds=None, figures=anchor))
    return [
        BenchmarkResult(
            benchmark="measeval train+trial",
            status="ok",
            note=split_note(dev) + "; wall time covers train+trial+eval",
            systems=tuple(dev_systems),
        ),
        BenchmarkResult(
            benchmark="measeval eval",
            status="ok",
            note=split_note(test),
            systems=tuple(test_systems),
        ),
    ]


# --- leaderboard abstracts ----------------------------------------------------------------


class GoldScore(msgspec.Struct, frozen=True):
    """A leaderboard's score of one paper: metric, dataset, value and where the abstract says it."""

    metric: str | None = None
    dataset: str | None = None
    score_value: float | None = None
    in_abstract: bool = False
    spans: tuple[tuple[int, int], ...] = ()


class Paper(msgspec.Struct, frozen=True):
    """A leaderboard paper: its abstract and the scores the leaderboard gives it."""

    text: str
    results: tuple[GoldScore, ...] = ()

    @property
    def in_abstract(self) -> tuple[GoldScore, ...]:
        """The scores whose number the abstract itself writes, with their spans."""
        return tuple(r for r in self.results if r.in_abstract and r.spans)


# Percent vs fraction, and the magnitude suffixes k, M, B, T written on a number.
AGREED_FACTORS = (1.0, 100.0, 1e3, 1e6, 1e9, 1e12)


def written_number(text: str) -> float | None:
    """The number as the abstract writes it ("1,024" → 1024), if it is a plain number."""
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        return None


def value_agrees(value: float, gold: GoldScore, text: str) -> bool:
    """Same number as the gold score or as written at its span, up to an agreed factor.

    Leaderboards and abstracts disagree on percent against fraction (88.5 vs 0.885), and a
    leaderboard keeps the digits of "1.3B parameters" as 1.3 where claims apply the multiplier;
    any other difference, even rounding, is a different number.
    """
    targets = [gold.score_value] + [written_number(text[s:e]) for s, e in gold.spans]
    return any(
        same_value(value, t * factor) or same_value(value * factor, t)
        for t in targets
        if t is not None
        for factor in AGREED_FACTORS
    )


def candidates(gold: GoldScore, claims: Predictions, text: str) -> list[ScoredClaim]:
    """Predicted claims on one of the gold score's spans that state its value."""
    spans = [ScoredClaim(start=s, end=e, value=0.0) for s, e in gold.spans]
    return [
        c
        for c in claims
        if any(overlaps(c, s) for s in spans) and value_agrees(c.value, gold, text)
    ]


def _canonical_same(
    gold: str | None,
    pred: str | None,
    key: Callable[[str], str],
    display: Callable[[str], str | None],
) -> bool:
    """Lenient name match, also after both names go through the alias lexicon of the tables.

    That lexicon merges comparison tables; the leaderboards use canonical names ("WMT 2014 EN-DE"
    for "WMT'14").
    """
    if same_name(gold, pred):
        return True
    if not gold or not pred:
        return False
    gold_key, pred_key = key(gold), key(pred)
    return gold_key == pred_key or same_name(display(gold_key) or gold, display(pred_key) or pred)


def same_metric(gold: str | None, pred: str | None) -> bool:
    """Whether the two name the same metric, leniently or through the alias lexicon."""
    return _canonical_same(gold, pred, canonical.metric_key, canonical.metric_display)


def same_dataset(gold: str | None, pred: str | None) -> bool:
    """Whether the two name the same dataset, leniently or through the alias lexicon."""
    return _canonical_same(gold, pred, canonical.dataset_key, canonical.dataset_display)


def leaderboard_figures(
    papers: Sequence[Paper], predictions: Sequence[Predictions], labels: bool
) -> tuple[Figure, ...]:
    """Recall of the in-abstract scores, and how often a claim that found one names it right."""
    total = found = metric = dataset = both = 0
    for paper, claims in zip(papers, predictions, strict=True):
        for gold in paper.in_abstract:
            total += 1
            hits = candidates(gold, claims, paper.text)
            found += bool(hits)
            # Credit the names if any claim that found the score names them.
            m = any(same_metric(gold.metric, c.metric) for c in hits)
            d = any(same_dataset(gold.dataset, c.dataset) for c in hits)
            md = any(
                same_metric(gold.metric, c.metric) and same_dataset(gold.dataset, c.dataset)
                for c in hits
            )
            metric, dataset, both = metric + m, dataset + d, both + md

    def share(n: int) -> float | None:
        return ratio(n, found) if labels else None

    return (
        Figure(
            name="in-abstract score recall", value=ratio(found, total), detail=f"{found}/{total}"
        ),
        Figure(name="metric+dataset match", value=share(both), detail=f"{both}/{found} found"),
        Figure(name="metric match", value=share(metric), detail=f"{metric}/{found}"),
        Figure(name="dataset match", value=share(dataset), detail=f"{dataset}/{found}"),
    )


def bench_leaderboard(shared: Path, name: str) -> list[BenchmarkResult]:
    """Every system on the abstracts of leaderboard ``name`` that write a gold score."""
    path = shared / "benchmarks" / name / "abstracts.jsonl"
    if not path.is_file():
        return [skipped(name, path)]
    papers = [p for p in read_jsonl(path, msgspec.json.Decoder(Paper)) if p.in_abstract]
    docs = [(p.text, None) for p in papers]
    systems = []
    for system in SYSTEMS:
        predictions, seconds = run_system(system.extract, docs)
        figures = leaderboard_figures(papers, predictions, system.labels)
        systems.append(SystemResult(system=system.name, seconds=seconds, figures=figures))
    gold = sum(len(p.in_abstract) for p in papers)
    note = f"{len(papers)} abstracts with {gold} in-abstract gold scores"
    return [BenchmarkResult(benchmark=name, status="ok", note=note, systems=tuple(systems))]


# --- running and printing -----------------------------------------------------------------


def bench_dev_gold_cv(shared: Path) -> list[BenchmarkResult]:
    """Dev gold by 5-fold cross-validation: each fold scored after a refit on the other four."""
    from training.crossval import as_gold, predictions  # noqa: PLC0415 - training is dev-only
    from training.linking import read_gold  # noqa: PLC0415

    path = shared / "eval" / "dev-gold.jsonl"
    if not path.is_file():
        return [skipped("dev-gold-cv", path)]
    golds = read_gold(path)
    start = time.perf_counter()
    pred = predictions(golds)
    seconds = time.perf_counter() - start
    figures = dev_gold_figures(score(as_gold(golds), pred), labels=True)
    system = SystemResult(system="claimex", seconds=seconds, figures=figures)
    note = f"{len(golds)} abstracts, 5 folds by id; wall time includes the five refits"
    return [BenchmarkResult(benchmark="dev-gold-cv", status="ok", note=note, systems=(system,))]


def run_benchmark(name: str, shared: Path) -> list[BenchmarkResult]:
    """The results of benchmark ``name``, one or more rows of the table."""
    if name == "dev-gold":
        return bench_dev_gold(shared)
    if name == "dev-gold-cv":
        return bench_dev_gold_cv(shared)
    if name == "mentions":
        from bench.mentions import bench_mentions  # noqa: PLC0415 - it imports this module

        return bench_mentions(shared)
    if name == "measeval":
        return bench_measeval(shared)
    return bench_leaderboard(shared, name)


def fmt(value: float | None) -> str:
    """A figure with four decimals, or a dash when the system cannot produce it."""
    return "–" if value is None else f"{value:.4f}"


def results_table(results: Sequence[BenchmarkResult], title: str = "claimex accuracy") -> Table:
    """One table, benchmark by system by figure; each name only on its first row, to scan."""
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left")
    for header in ("benchmark", "system", "figure", "value", "counts"):
        table.add_column(header, justify="right" if header == "value" else "left")
    for result in results:
        if result.status == "skipped":
            table.add_row(result.benchmark, "", "skipped (not found)", "", "")
        for i, system in enumerate(result.systems):
            rows = [(f.name, fmt(f.value), f.detail) for f in system.figures]
            if system.seconds is not None:
                rows.append(("wall time", f"{system.seconds:.1f} s", ""))
            for j, row in enumerate(rows):
                bench = result.benchmark if i == j == 0 else ""
                table.add_row(bench, system.system if j == 0 else "", *row)
        table.add_section()
    for name, seconds in total_seconds(results).items():
        table.add_row("all", name, "wall time", f"{seconds:.1f} s", "")
    return table


def notes(results: Sequence[BenchmarkResult]) -> str:
    """One line per benchmark result: what it was run on, or why it was skipped."""
    return "\n".join(f"{r.benchmark}: {r.note}" for r in results)


def total_seconds(results: Sequence[BenchmarkResult]) -> dict[str, float]:
    """Each system's wall seconds, summed over the benchmarks it ran."""
    totals: dict[str, float] = {}
    for result in results:
        for system in result.systems:
            if system.seconds is not None:
                totals[system.system] = totals.get(system.system, 0.0) + system.seconds
    return totals


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: which benchmarks, ``--json``, and where the shared data is."""
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__)
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data folder")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks and print one table (or JSON object) of their results."""
    args = parse_args(argv)
    results: list[BenchmarkResult] = []
    for name in args.only or BENCHMARKS:
        print(f"bench.accuracy: {name} …", file=sys.stderr)
        results.extend(run_benchmark(name, args.shared))
    if args.json:
        body = {"benchmarks": results, "wall_seconds": total_seconds(results)}
        sys.stdout.write(msgspec.json.encode(body).decode() + "\n")
    else:
        # Wide enough never to wrap a row: the table is read in logs and notes, not only ttys.
        console = Console(highlight=False, width=160)
        console.print(results_table(results))
        console.print(notes(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
