"""Which module binds a scenario: the answer pytest-bdd's own lookup gives, without its cost."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_bdd.utils import get_caller_module_path

from hq_spec.caller_path import caller_module_path

pytest_plugins = ["pytester"]


def ask_both(depth: int) -> tuple[str, str]:
    """Both lookups, asked from the same frame in the same way pytest-bdd's binders ask."""
    return get_caller_module_path(depth), caller_module_path(depth)


def test_the_binding_module_is_the_file_pytest_bdd_names(tmp_path: Path) -> None:
    ours, theirs = ask_both(2)
    assert ours == theirs == __file__
    # Code compiled under a file name that is not Python's (a feature file binding itself).
    feature = tmp_path / "roster.feature"
    feature.write_text("Feature: Roster\n")
    namespace: dict[str, object] = {"ask_both": ask_both}
    exec(compile("found = ask_both(2)", str(feature), "exec"), namespace)  # noqa: S102
    assert namespace["found"] == (str(feature), str(feature))
    # And under a name that is no file at all.
    exec(compile("found = ask_both(2)", "<generated>", "exec"), namespace)  # noqa: S102
    assert namespace["found"] == ("<generated>", "<generated>")


def test_a_test_module_binding_its_feature_finds_it_beside_itself(
    pytester: pytest.Pytester,
) -> None:
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "roster.feature").write_text(
        "Feature: Roster\n  Scenario: Volt enlists\n    Given Volt enlists\n"
    )
    pytester.makepyfile(
        test_roster="""
from pytest_bdd import given, scenario, scenarios

scenarios("features/roster.feature")

@scenario("features/roster.feature", "Volt enlists")
def test_by_name():
    pass

@given("Volt enlists")
def _():
    pass
"""
    )
    pytester.makeconftest(
        """
import sys
from hq_spec.caller_path import caller_module_path

def pytest_collection_finish(session):
    binder = sys.modules["pytest_bdd.scenario"]  # the module (pytest_bdd.scenario is a function)
    print("BINDING MODULE FOUND BY HQ_SPEC:", binder.get_caller_module_path is caller_module_path)
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-s")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["BINDING MODULE FOUND BY HQ_SPEC: True"])
