"""The cyclic garbage collector is kept off the collected tree while tests run, and let back in."""

from __future__ import annotations

import gc

import pytest

pytest_plugins = ["pytester"]


def test_tests_run_with_the_collected_tree_frozen_and_the_session_ends_unfrozen(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        """
        import gc
        seen = {}

        def pytest_collectstart(collector):
            seen.setdefault("collector on while collecting", gc.isenabled())

        def pytest_runtest_call(item):
            seen["collector on while testing"] = gc.isenabled()
            seen["frozen while testing"] = gc.get_freeze_count() > 0

        def pytest_unconfigure(config):
            # hq_spec's own unconfigure runs after this conftest's: see it through atexit.
            import atexit
            atexit.register(lambda: print("SEEN", seen, "FROZEN AT EXIT", gc.get_freeze_count()))
        """
    )
    pytester.makepyfile("def test_something():\n    assert [1] * 2 == [1, 1]\n")
    result = pytester.runpytest_subprocess("-p", "hq_spec.garbage_collection")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "SEEN {'collector on while collecting': False, 'collector on while testing': True,"
            " 'frozen while testing': True} FROZEN AT EXIT 0"
        ]
    )


def test_a_session_inside_another_leaves_the_outer_ones_frozen_tree_alone(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile("def test_something():\n    assert True\n")
    outer_froze = gc.get_freeze_count() > 0  # the session running this test, if hq_spec is on
    if not outer_froze:
        gc.freeze()
    try:
        pytester.inline_run("-p", "hq_spec.garbage_collection").assertoutcome(passed=1)
        assert gc.get_freeze_count() > 0  # the outer tree was not let back in by the inner run
    finally:
        if not outer_froze:
            gc.unfreeze()
