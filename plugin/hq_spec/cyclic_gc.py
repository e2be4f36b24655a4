"""Python's cyclic garbage collector held off for a burst of allocations that are not garbage."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off for a burst of allocations none of which is
    garbage yet (each burst would otherwise have it walk every object of the session); whoever
    had turned it off keeps it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
