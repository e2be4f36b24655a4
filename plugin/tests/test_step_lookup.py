"""Which definition runs a step: the one pytest-bdd would choose, found once per file and wording."""

from __future__ import annotations

import pytest

STEPS = """
from pytest_bdd import given, parsers, then

RAN = []

@given("the hero is briefed")
def _():
    RAN.append("{where}")
"""
CHECK = """
from pytest_bdd import parsers, then
from {module} import RAN

@then(parsers.parse("the {{where}} briefing was given"))
def _(where):
    assert RAN[-1] == where, f"the {{RAN[-1]}} briefing was given"
"""


def lay_out(pytester: pytest.Pytester) -> None:
    """A root conftest and a deeper one both define a step; a test module defines it a third time."""
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    pytester.makepyfile(root_steps=STEPS.format(where="root"))
    pytester.makeconftest("pytest_plugins = ['root_steps']\n" + CHECK.format(module="root_steps"))
    for folder, where in (("", "root"), ("deeper/", "deeper"), ("module/", "module")):
        (pytester.path / folder).mkdir(exist_ok=True)
        (pytester.path / folder / "briefing.feature").write_text(
            "Feature: Briefing\n  Scenario: A briefing\n    Given the hero is briefed\n"
            f"    Then the {where} briefing was given\n"
            "  Scenario: Another briefing\n    Given the hero is briefed\n"
            f"    Then the {where} briefing was given\n"
        )
    (pytester.path / "deeper" / "conftest.py").write_text(
        STEPS.format(where="deeper").replace("RAN = []", "from root_steps import RAN")
    )
    (pytester.path / "test_root.py").write_text(
        "from pytest_bdd import scenarios\nscenarios('briefing.feature')\n"
    )
    (pytester.path / "deeper" / "test_deeper.py").write_text(
        "from pytest_bdd import scenarios\nscenarios('briefing.feature')\n"
    )
    (pytester.path / "module" / "test_module.py").write_text(
        "from pytest_bdd import scenarios\nscenarios('briefing.feature')\n"
        + STEPS.format(where="module").replace("RAN = []", "from root_steps import RAN")
    )


@pytest.mark.parametrize("plugin", ["hq_spec", "no:hq_spec"])
def test_the_closest_definition_runs_a_step_with_or_without_the_plugin(
    pytester: pytest.Pytester, plugin: str
) -> None:
    lay_out(pytester)
    enabled = [] if plugin == "hq_spec" else ["-p", plugin]
    pytester.runpytest_subprocess(*enabled).assert_outcomes(passed=6)


def test_steps_are_chosen_without_asking_pytest_for_a_fixture_at_every_step(
    pytester: pytest.Pytester,
) -> None:
    lay_out(pytester)
    pytester.makeconftest(
        "pytest_plugins = ['root_steps']\n"
        + CHECK.format(module="root_steps")
        + """
import pytest
from _pytest.fixtures import FixtureRequest

ASKED = []
_original = FixtureRequest.getfixturevalue

def _counting(self, argname):
    ASKED.append(argname)
    return _original(self, argname)

FixtureRequest.getfixturevalue = _counting

def pytest_sessionfinish(session):
    steps = [name for name in ASKED if name.startswith("pytestbdd_stepimpl_")]
    print(f"\\nstep fixtures asked for: {len(steps)}")
"""
    )
    # In processes of their own: the counting patch and the step modules must not carry over.
    with_plugin = pytester.runpytest_subprocess("-s")
    with_plugin.assert_outcomes(passed=6)
    with_plugin.stdout.fnmatch_lines(["step fixtures asked for: 0"])
    without = pytester.runpytest_subprocess("-s", "-p", "no:hq_spec")
    without.assert_outcomes(passed=6)
    without.stdout.fnmatch_lines(["step fixtures asked for: 12"])  # two steps, six scenarios
