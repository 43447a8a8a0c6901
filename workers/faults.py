"""Fault injection for the test suite only: nothing here acts unless its variable is set.

``CLAIMEX_FAULT_RAISE=<marker>``: extracting a text that contains ``marker`` raises
``InjectedFault``. ``CLAIMEX_FAULT_HANG=<marker>``: extracting a text that contains ``marker``
spins on the CPU forever, as a pathological input would (the per-abstract budget of
``workers.sandbox`` is what ends it). ``CLAIMEX_FAULT_SLEEP=<seconds>``: every extraction
sleeps that long first (so a test can kill a worker in the middle of a batch). Never set them
in production.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

RAISE_VARIABLE = "CLAIMEX_FAULT_RAISE"
HANG_VARIABLE = "CLAIMEX_FAULT_HANG"
SLEEP_VARIABLE = "CLAIMEX_FAULT_SLEEP"
VARIABLES = (RAISE_VARIABLE, HANG_VARIABLE, SLEEP_VARIABLE)


class InjectedFault(RuntimeError):
    """The failure ``CLAIMEX_FAULT_RAISE`` asks for."""


def settings(env: Mapping[str, str]) -> dict[str, str]:
    """The fault variables set in ``env`` (usually empty), to hand to an extraction process."""
    return {name: env[name] for name in VARIABLES if env.get(name)}


def before_extract(text: str, env: Mapping[str, str]) -> None:
    """Called before each extraction; a no-op unless a fault variable is set in ``env``."""
    delay = env.get(SLEEP_VARIABLE)
    if delay:
        time.sleep(float(delay))
    marker = env.get(RAISE_VARIABLE)
    if marker and marker in text:
        raise InjectedFault("injected extraction failure")
    marker = env.get(HANG_VARIABLE)
    if marker and marker in text:
        while True:  # a busy loop, as a slow path in pure Python or C would be
            pass
