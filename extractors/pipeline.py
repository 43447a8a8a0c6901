"""Placeholder: replaced by the real pipeline."""

from extractors.model import Claim


def extract(text: str) -> tuple[Claim, ...]:
    return ()
