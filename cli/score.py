"""``claimex score GOLD PRED``: how well predicted claims agree with a gold file.

Both files are JSONL, one abstract per line (``shared/eval/GUIDELINES.md``); PRED is typically
the output of ``claimex extract``. The definitions live in ``extractors.scoring``; this module
only reads the files and prints. A line that cannot be scored stops the run with one line naming
file and line: a score over silently skipped lines would look better or worse than it is.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import msgspec
from rich.console import Console
from rich.table import Table

from claimex.cli.errors import CommandError
from claimex.extractors.scoring import Accuracy, Rates, ScoredDocument, ScoreError, Scores, score

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

NAME = "score"
HELP = "score predicted claims (JSONL) against a gold JSONL"

DOCUMENT = msgspec.json.Decoder(ScoredDocument)
ENCODER = msgspec.json.Encoder()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The gold and predicted files, ``--json`` and ``--show-errors``."""
    parser.add_argument("gold", metavar="GOLD", help="gold JSONL (shared/eval format)")
    parser.add_argument("pred", metavar="PRED", help="predicted JSONL, e.g. from claimex extract")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    parser.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help="also list up to N missed and N spurious claims",
    )


def read_documents(path: str) -> Iterator[ScoredDocument]:
    """The documents of a JSONL file, streamed; a bad line raises ``CommandError``."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                doc = DOCUMENT.decode(line)
            except msgspec.DecodeError as exc:
                raise CommandError(f"{path}:{number}: {exc}") from None
            if doc.key is None:
                raise CommandError(f"{path}:{number}: a record needs an 'id' or a 'text'")
            yield doc


def limit_errors(errors: tuple[ScoreError, ...], n: int) -> tuple[ScoreError, ...]:
    """The first ``n`` missed and the first ``n`` spurious claims."""
    missed = [e for e in errors if e.type == "missed"][:n]
    spurious = [e for e in errors if e.type == "spurious"][:n]
    return (*missed, *spurious)


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.4f}"


def scores_table(scores: Scores) -> Table:
    """The scores as a table: precision, recall and F1 per measure, then each accuracy."""
    table = Table(title=f"{scores.abstracts} abstracts scored", title_justify="left")
    for header in ("measure", "precision", "recall", "F1 / accuracy", "counts"):
        table.add_column(header, justify="left" if header == "measure" else "right")
    rows: list[tuple[str, Rates]] = [("quantity", scores.quantity), ("triple", scores.triple)]
    for name, r in rows:
        counts = f"tp {r.tp} · pred {r.predicted} · gold {r.gold}"
        table.add_row(name, _fmt(r.precision), _fmt(r.recall), _fmt(r.f1), counts)
    table.add_section()
    accuracies: list[tuple[str, Accuracy]] = [
        ("kind", scores.kind),
        ("direction", scores.direction),
        ("metric", scores.metric),
        ("dataset", scores.dataset),
        ("subject", scores.subject),
        ("confidence ≥ 0.8: right", scores.confident),
    ]
    for name, a in accuracies:
        table.add_row(name, "", "", _fmt(a.accuracy), f"{a.correct} / {a.total}")
    return table


def errors_table(errors: tuple[ScoreError, ...]) -> Table:
    """The missed and spurious claims as a table, one row each: abstract, span, offsets, value."""
    table = Table(title="errors", title_justify="left")
    for header in ("type", "abstract", "span", "offsets", "value", "note"):
        table.add_column(header, no_wrap=header != "span")
    for e in errors:
        # The other side has a claim on these characters, but its value differs.
        note = "value differs" if e.value_mismatch else ""
        table.add_row(
            e.type, e.document[:16], e.span or "", f"{e.start}–{e.end}", f"{e.value:g}", note
        )
    return table


def run(args: argparse.Namespace) -> int:
    """Score PRED against GOLD and print the scores, as tables or as one JSON object."""
    if args.show_errors < 0:
        raise CommandError("--show-errors needs a count of 0 or more")
    gold = list(read_documents(args.gold))
    result = score(gold, read_documents(args.pred))
    if result.abstracts and result.abstracts_missing_in_pred == result.abstracts:
        # Scoring nothing is not a score of zero: the files do not belong together.
        raise CommandError(
            f"none of the {result.abstracts} gold abstracts has a prediction (no id or text in "
            f"common with {args.pred}): are these the predictions for this gold file?"
        )
    shown = limit_errors(result.errors, args.show_errors)
    if args.json:
        body = msgspec.structs.replace(result, errors=shown)
        sys.stdout.write(ENCODER.encode(body).decode() + "\n")
        return 0
    console = Console(highlight=False)
    console.print(scores_table(result))
    if result.abstracts_missing_in_pred:
        console.print(f"{result.abstracts_missing_in_pred} gold abstracts have no prediction")
    if shown:
        console.print(errors_table(shown))
    return 0
