"""A scenario that is no outline's row shares one empty example, set up once a session; an
outline's rows still reach their own tests."""

from __future__ import annotations

import pytest

from toy_project import WITH_OUTLINE, make_project

COUNTING = """

SETUPS = []


def pytest_fixture_setup(fixturedef, request):
    if fixturedef.argname == "_pytest_bdd_example":
        SETUPS.append(request.node.name or "the session")


def pytest_sessionfinish(session):
    print(f"examples set up for {', '.join(SETUPS)}")
"""
MORE = """
  Scenario: Recruiting Gale
    Given Volt has joined the roster
    When Tide recruits "Gale"
    Then the roster lists Volt
"""


def test_scenarios_that_are_no_outline_s_rows_share_one_example_set_up_once(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester, feature=WITH_OUTLINE + MORE)
    (pytester.path / "conftest.py").write_text(
        (pytester.path / "conftest.py").read_text() + COUNTING
    )
    result = pytester.runpytest_inprocess("-p", "no:xdist", "-s", "-v")
    # Two plain scenarios sharing one example, set up for the session, and an outline's two
    # rows, each set up with its own.
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines([
        "*examples set up for the session, test_hero_recruits_volt[[]Tide[]], "
        "test_hero_recruits_volt[[]Gale[]]"
    ])  # fmt: skip


def test_the_shared_example_cannot_be_changed_by_one_scenario_for_the_next(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester)
    pytester.makepyfile(
        test_change="""
        import pytest

        def test_change(_pytest_bdd_example):
            with pytest.raises(TypeError):
                _pytest_bdd_example["hero"] = "Volt"
            assert dict(_pytest_bdd_example) == {}
        """
    )
    pytester.runpytest_inprocess("-p", "no:xdist").assert_outcomes(passed=2)
