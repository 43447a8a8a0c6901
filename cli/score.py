"""Placeholder for `claimex score` (being written)."""

import argparse

NAME = "score"
HELP = "score predicted claims against a gold JSONL"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*")


def run(args: argparse.Namespace) -> int:
    return 0
