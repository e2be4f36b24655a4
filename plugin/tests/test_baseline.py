"""`hq-spec check` with a baseline: the baseline tag is on exactly the scenarios it fails."""

from __future__ import annotations

import sys

import pytest

from toy_project import INI, make_project

pytest_plugins = ["pytester"]

STEPS = '''
"""Toy steps: a hero who learns to fly after the first version."""
from pytest_bdd import given, then

from hq_spec.mismatch import Mismatch


@given("Volt has joined the roster")
def _():
    """Volt is on the roster."""


@then("the roster lists Volt")
def _():
    """The roster shows Volt."""


@then("Volt can fly")
def _(pytestconfig):
    """Volt flies, which the first version could not do."""
    if pytestconfig.getoption("first_version"):
        raise Mismatch("Volt to fly", "Volt stayed on the ground")
'''
CONFTEST = """
pytest_plugins = ["toy_steps.toy"]


def pytest_addoption(parser):
    parser.addoption("--first-version", action="store_true", dest="first_version")
"""
FEATURE = """Feature: Toy roster
  Scenario: Volt joins
    Given Volt has joined the roster
    Then the roster lists Volt

  @slow
  Scenario: Volt flies
    Given Volt has joined the roster
    Then Volt can fly
"""
BASELINE = INI + "hq_spec_baseline_args = --first-version\nhq_spec_baseline_tag = slow\n"


def check(pytester: pytest.Pytester, feature: str, *args: str) -> pytest.RunResult:
    make_project(pytester, feature, STEPS, BASELINE)
    pytester.makeconftest(CONFTEST)
    return pytester.run(sys.executable, "-m", "hq_spec.cli", "check", *args)


def test_an_untagged_scenario_the_baseline_fails_is_named(pytester: pytest.Pytester) -> None:
    result = check(pytester, FEATURE.replace("  @slow\n", ""))
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:6: "Volt flies" is something the baseline does not do: '
            "tag it @slow."
        ]
    )


def test_a_tagged_scenario_the_baseline_passes_is_named(pytester: pytest.Pytester) -> None:
    result = check(
        pytester, FEATURE.replace("  Scenario: Volt joins", "  @slow\n  Scenario: Volt joins")
    )
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:3: "Volt joins" carries @slow, but the baseline already does it: '
            "remove the tag."
        ]
    )
    assert "Volt flies" not in result.stdout.str()


def test_tags_that_tell_the_truth_pass(pytester: pytest.Pytester) -> None:
    result = check(pytester, FEATURE)
    assert result.ret == 0, result.stdout.str()


def test_the_baseline_run_can_be_left_out(pytester: pytest.Pytester) -> None:
    result = check(pytester, FEATURE.replace("  @slow\n", ""), "--no-baseline")
    assert result.ret == 0, result.stdout.str()


def test_an_examples_row_the_baseline_fails_is_named_at_its_row(pytester: pytest.Pytester) -> None:
    outline = FEATURE.replace("  @slow\n", "") + (
        "\n  Scenario Outline: <hero> joins\n    Given Volt has joined the roster\n"
        "    Then <check>\n\n    Examples:\n      | hero | check |\n"
        "      | Tide | the roster lists Volt |\n      | Gale | Volt can fly |\n"
    )
    result = check(pytester, outline)
    assert result.ret == 1
    result.stdout.fnmatch_lines(['features/toy.feature:17: "Gale joins" is something *'])
    assert "Tide joins" not in result.stdout.str()
