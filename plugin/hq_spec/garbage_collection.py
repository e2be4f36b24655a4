"""pytest plugin: Python's cyclic garbage collector kept off the session's long-lived objects.

A large specification builds a large, long-lived tree as it is collected (features, scenarios,
test items, fixtures' definitions) and nearly all of it lives until the session ends. Every full
pass of the cyclic collector walks all of it again while the tests run, and such passes come as
the heap grows: in a run of 2,000 scenarios they cost a tenth of the run, finding nothing to free
in the tree. So the collector is held off while pytest collects (nothing it builds is garbage),
the collected tree is then frozen out of its walks, and it is let back in when the session ends.
Memory is still freed as usual: reference counting frees everything that is not in a cycle.
"""

from __future__ import annotations

import gc
from collections.abc import Generator

import pytest

from hq_spec.cyclic_gc import cyclic_gc_paused

FROZEN = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection(session: pytest.Session) -> Generator[None, object, object]:
    with cyclic_gc_paused():
        return (yield)


def pytest_collection_finish(session: pytest.Session) -> None:
    # Everything alive now is the collected tree (and pytest itself): out of the collector's walks.
    # Unless a session around this one (pytester's in-process runs) froze its own already: its
    # tree is out of the walks, and only it may let its tree back in.
    if gc.get_freeze_count() == 0:
        gc.freeze()
        session.config.stash[FROZEN] = True


def pytest_unconfigure(config: pytest.Config) -> None:
    # Back under the collector, so a process that goes on (pytester's in-process runs) frees them.
    if config.stash.get(FROZEN, False):
        gc.unfreeze()
