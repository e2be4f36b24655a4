"""Python's cyclic garbage collector held off for a burst of allocations that are not garbage."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No collection during the burst: a pytest session's heap is large, and a burst of thousands
    of new dicts and lists (a parse read back, a stream's messages, none in a cycle) would have the
    collector walk all of it several times over, at more cost than the burst itself. Whoever had
    turned the collector off keeps it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
