"""Placeholder for `claimex extract` (being written)."""

import argparse

NAME = "extract"
HELP = "extract claims from JSONL or plain text (files or stdin) and write JSONL"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*")


def run(args: argparse.Namespace) -> int:
    return 0
