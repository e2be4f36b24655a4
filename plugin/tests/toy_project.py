"""A tiny specification project for testing the authoring tools with pytester."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = """
pytest_plugins = ["toy_steps.toy"]
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
    assert hero != name, "nobody recruits themselves"


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

# The toy feature with an outline besides: its scenarios run once, and once per Examples row.
WITH_OUTLINE = (
    FEATURE
    + """
  Scenario Outline: <hero> recruits Volt
    Given Volt has joined the roster
    When <hero> recruits "Volt"

    Examples:
      | hero |
      | Tide |
      | Gale |
"""
)

TAGS = "# Tags\n\n- @smoke: the core\n- @slow: takes a while\n"
INI = """[pytest]
hq_spec_collect_features = true
hq_spec_step_modules = toy_steps.toy
hq_spec_tags_file = features/TAGS.md
"""


def make_project(
    pytester: pytest.Pytester, feature: str = FEATURE, steps: str = STEPS, ini: str = INI
) -> Path:
    """Lay out conftest, a step package, features and the plugin's settings; pytest collects
    the .feature files itself (the plugin's collector)."""
    pytester.makeconftest(CONFTEST)
    (pytester.path / "toy_steps").mkdir()
    (pytester.path / "toy_steps" / "__init__.py").write_text('"""Toy steps."""\n')
    (pytester.path / "toy_steps" / "toy.py").write_text(steps)
    features = pytester.path / "features"
    features.mkdir()
    (features / "toy.feature").write_text(feature)
    (features / "TAGS.md").write_text(TAGS)
    pytester.makeini(ini)
    return features
