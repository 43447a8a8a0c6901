"""Fault injection for the test suite only: nothing here acts unless its variable is set.

``CLAIMEX_FAULT_RAISE=<marker>``: extracting a text that contains ``marker`` raises
``InjectedFault``. ``CLAIMEX_FAULT_SLEEP=<seconds>``: every extraction sleeps that long first
(so a test can kill a worker in the middle of a batch). Never set them in production.
"""

from __future__ import annotations

import os
import time

RAISE_VARIABLE = "CLAIMEX_FAULT_RAISE"
SLEEP_VARIABLE = "CLAIMEX_FAULT_SLEEP"


class InjectedFault(RuntimeError):
    """The failure ``CLAIMEX_FAULT_RAISE`` asks for."""


def before_extract(text: str) -> None:
    """Called before each extraction; a no-op unless a fault variable is set."""
    delay = os.environ.get(SLEEP_VARIABLE)
    if delay:
        time.sleep(float(delay))
    marker = os.environ.get(RAISE_VARIABLE)
    if marker and marker in text:
        raise InjectedFault("injected extraction failure")
