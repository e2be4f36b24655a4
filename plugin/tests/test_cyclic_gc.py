"""The cyclic garbage collector held off for a burst, and always let back as it was."""

from __future__ import annotations

import gc

import pytest

from hq_spec.cyclic_gc import cyclic_gc_paused


def test_the_collector_is_held_off_for_a_burst_and_comes_back_after_a_failure() -> None:
    def write_on_a_full_disk() -> None:
        with cyclic_gc_paused():
            assert not gc.isenabled()
            raise OSError("the disk is full")

    assert gc.isenabled()
    with pytest.raises(OSError, match="disk is full"):
        write_on_a_full_disk()
    assert gc.isenabled()  # back on, even when writing failed
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # whoever turned it off keeps it off
    finally:
        gc.enable()
