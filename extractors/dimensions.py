"""The physical dimension of a unit word, from quantulum3's unit lexicon, deterministically.

Looked up once per distinct string (``functools.cache``): quantulum3's parser is far too slow
for the hot path, and its answers for ambiguous symbols depend on set order, so claimex only
takes the dimension of an unambiguous, sorted lookup — the same on every run whatever
``PYTHONHASHSEED`` is. Its known misreadings on ML text are refused outright (``not_units.txt``):
``B`` (byte), ``T`` (tesla), ``K``/``k`` (kelvin), ``M`` and other lone letters are magnitudes.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

from claimex.extractors import lexicons

NOT_UNITS = frozenset(lexicons.words("not_units.txt"))


@functools.cache
def _quantulum_units() -> Any:
    with warnings.catch_warnings():
        # quantulum3 warns at import that its optional classifier is missing; we use its lexicon
        warnings.simplefilter("ignore")
        from quantulum3 import load  # noqa: PLC0415 - imported on first use, warning muted

        return load.units()


@functools.cache
def measurement_dimension(word: str) -> str | None:
    """The physical dimension quantulum3 gives ``word`` ("time" for "ms"), or ``None``.

    Deterministic: candidates are sorted, and a word whose candidates disagree is refused.
    """
    if len(word) < 2 or word.lower() in NOT_UNITS:
        return None
    units = _quantulum_units()
    found: set[object] = set()
    for table in ("symbols", "surfaces"):
        found |= set(getattr(units, table).get(word, ()))
    if not found and word.islower():
        found |= set(units.surfaces_lower.get(word, ()))
    dimensions = sorted({unit.entity.name for unit in found})  # type: ignore[attr-defined]
    if len(dimensions) != 1 or dimensions[0] in {"dimensionless", "typographical element"}:
        return None
    return str(dimensions[0])
