"""A tiny specification project for testing the authoring tools with pytester."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = """
pytest_plugins = ["hq_spec.authoring_plugin", "steps.toy"]
"""

STEPS = '''
"""Toy steps: a roster of one."""
from pytest_bdd import given, parsers, then, when

from hq_spec.mismatch import Mismatch


@given("Volt has joined the roster")
def _():
    """Volt is on the roster."""


@when(parsers.parse('{hero} recruits "{name}"'))
def _(hero, name):
    """Someone recruits a hero by name."""


@then("the roster lists Volt")
def _():
    """The roster shows Volt."""


@then("HQ says no")
def _():
    """HQ refuses, which this toy HQ never does."""
    raise Mismatch("HQ to refuse", "HQ agreed")
'''

FEATURE = """
@smoke
Feature: Toy roster
  Scenario: Recruiting Volt
    Given Volt has joined the roster
    When Tide recruits "Volt"
    Then the roster lists Volt
"""

TEST_MODULE = """
from pytest_bdd import scenarios

scenarios("features")
"""

TAGS = "# Tags\n\n- @smoke: the core\n"


def make_project(pytester: pytest.Pytester, feature: str = FEATURE, steps: str = STEPS) -> Path:
    """Lay out conftest, steps package, features and a test module binding them."""
    pytester.makeconftest(CONFTEST)
    (pytester.path / "steps").mkdir()
    (pytester.path / "steps" / "__init__.py").write_text('"""Toy steps."""\n')
    (pytester.path / "steps" / "toy.py").write_text(steps)
    features = pytester.path / "features"
    features.mkdir()
    (features / "toy.feature").write_text(feature)
    (features / "TAGS.md").write_text(TAGS)
    pytester.makepyfile(test_toy=TEST_MODULE)
    pytester.makeini("[pytest]\n")
    return features
