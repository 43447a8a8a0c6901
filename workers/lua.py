"""The Lua scripts of ``workers/scripts/``, each read once, with the shared parts it calls.

A script is the text of its shared parts (the functions several scripts call) followed by its
own.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_FOLDER = Path(__file__).parent / "scripts"


@cache
def source(*names: str) -> str:
    """The text of ``workers/scripts/{name}.lua`` for each name, in order, as one script."""
    return "\n".join((_FOLDER / f"{name}.lua").read_text("utf-8") for name in names)
