"""Deadlines for everything a scenario waits on: a missing message fails fast, never hangs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

# How long a scenario waits for a message, an event or background work before it fails.
WAIT_SECONDS = 2.0
# How long "hears nothing" listens before concluding that nothing is coming. A stray frame
# is sent in the same breath as the one the scenario waited for, so it is already on its way
# (loopback delivers in about a millisecond); tests/test_hero_hq.py listens just as long.
# In-process, a listener concludes sooner when HQ has nothing left to do before the window
# ends (event_loop.take_or_quiet): what waiting it out would show, without the wait.
QUIET_SECONDS = 0.1
# Inside a shared listening window, the least time given to each listener to pick up what
# has already arrived.
MIN_LISTEN_SECONDS = 0.005

T = TypeVar("T")


def eventually(
    check: Callable[[], T], accept: Callable[[T], bool], *, within: float = WAIT_SECONDS
) -> T:
    """Poll `check` until `accept` holds or the deadline passes; return the last observation.

    Work HQ does in the background (recording a dispatch) may not be visible yet when a live
    server answers the next request, so Then steps look again rather than assume ordering.
    """
    deadline = time.monotonic() + within
    pause = 0.005
    while True:
        observed = check()
        if accept(observed) or time.monotonic() >= deadline:
            return observed
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
