"""Steps run by hq_spec's runner give every hook the same calls, in the same order, with the same
arguments, and end the same way, as under pytest-bdd's own; pluggy is used where it must be."""

from __future__ import annotations

import json
from typing import Any

import pluggy
import pytest

from hq_spec import bdd_internals, step_runner

RECORDING_CONFTEST = """
import json
from pathlib import Path

import pytest

CALLS = []


def shown(arguments):
    return {name: value if isinstance(value, (str, int, list, dict)) else type(value).__name__
            for name, value in arguments.items()}


def pytest_bdd_before_step(request, feature, scenario, step, step_func):
    CALLS.append(["before_step", scenario.name, step.name, step_func.__doc__])


def pytest_bdd_before_step_call(step, step_func_args):
    CALLS.append(["before_step_call", step.name, shown(step_func_args)])


def pytest_bdd_after_step(step, step_func_args):
    CALLS.append(["after_step", step.name, shown(step_func_args)])


def pytest_bdd_step_error(step, step_func_args, exception):
    CALLS.append(["step_error", step.name, shown(step_func_args), repr(exception)])


def pytest_sessionfinish(session):
    Path("calls.json").write_text(json.dumps(CALLS))
"""
WRAPPER = """

@pytest.hookimpl(wrapper=True)
def pytest_bdd_after_step(step):
    CALLS.append(["around after_step", step.name])
    return (yield)
"""
FEATURE = '''Feature: Badges
  Scenario: Volt enlists
    Given HQ is open
    And 3 heroes wait
    When Volt enlists with
      | name | power |
      | Volt | 7     |
    Then the gate says
      """
      welcome
      """

  Scenario: A badge on loan
    Given a badge on loan
    Then the badge is lent

  Scenario: A broken gate
    Given HQ is open
    Then the gate is broken

  Scenario: A refusal
    Given HQ is open
    Then HQ refuses Volt
'''
STEPS = '''
from pytest_bdd import given, parsers, scenarios, then, when

from conftest import CALLS

scenarios("badges.feature")


@given("HQ is open", target_fixture="hq")
def _():
    """Opens HQ."""
    return {"open": True}


@given(parsers.parse("{count:d} heroes wait"), converters={"count": str})
def _(count, hq):
    """Counts heroes."""
    assert count == "3" and hq == {"open": True}


@when("Volt enlists with")
def _(hq, datatable):
    """Enlists."""
    assert datatable == [["name", "power"], ["Volt", "7"]]


@then("the gate says")
def _(docstring):
    """Reads the gate."""
    assert docstring == "welcome"


@given("a badge on loan", target_fixture="badge")
def _():
    """Lends a badge."""
    CALLS.append(["lent"])
    yield "badge 7"
    CALLS.append(["returned"])


@then("the badge is lent")
def _(badge):
    """Checks the loan."""
    assert badge == "badge 7"


@then("the gate is broken")
def _(hq):
    """Fails."""
    assert not hq["open"], "the gate is open"


@then("HQ refuses Volt")
def _():
    """Raises."""
    raise ValueError("no badge for Volt")
'''


def run(pytester: pytest.Pytester, conftest: str) -> tuple[Any, dict[str, int]]:
    pytester.makeconftest(conftest)
    pytester.makefile(".feature", badges=FEATURE)
    pytester.makepyfile(test_badges=STEPS)
    result = pytester.runpytest_inprocess("-p", "no:xdist", "-p", "no:cacheprovider")
    return json.loads((pytester.path / "calls.json").read_text()), result.parseoutcomes()


def under_pytest_bdd_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's steps run by pytest-bdd's own `_execute_step_function`."""
    monkeypatch.setattr(step_runner, "install", lambda config: None)
    monkeypatch.setattr(
        bdd_internals.SCENARIO_MODULE,
        bdd_internals.EXECUTE_STEP_FUNCTION,
        bdd_internals.PYTEST_BDD_EXECUTE_STEP_FUNCTION,
    )


@pytest.mark.parametrize("conftest", [RECORDING_CONFTEST, RECORDING_CONFTEST + WRAPPER],
                         ids=["hooks called directly", "a wrapper: through pluggy"])  # fmt: skip
def test_every_hook_sees_what_pytest_bdd_s_own_runner_shows_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, conftest: str
) -> None:
    ours, our_outcomes = run(pytester, conftest)
    with monkeypatch.context() as patched:
        under_pytest_bdd_s_own(patched)
        theirs, their_outcomes = run(pytester, conftest)
    assert our_outcomes == their_outcomes == {"passed": 2, "failed": 2}
    assert ours == theirs
    # What the runs were held to: errors, a yielding step's teardown, converted arguments.
    assert ["lent"] in ours
    assert ours.index(["returned"]) > ours.index(["lent"])
    assert [
        "step_error", "HQ refuses Volt", {}, "ValueError('no badge for Volt')"
    ] in ours  # fmt: skip
    assert ["before_step_call", "3 heroes wait", {"count": "3", "hq": {"open": True}}] in ours
    if conftest.endswith(WRAPPER):
        assert ["around after_step", "HQ is open"] in ours


def test_only_pluggy_calls_a_hook_that_a_wrapper_or_tracing_watches() -> None:
    manager = pluggy.PluginManager("pytest")

    class Spec:
        @pluggy.HookspecMarker("pytest")
        def pytest_bdd_after_step(self, step: Any) -> None: ...

    class Plain:
        @pluggy.HookimplMarker("pytest")
        def pytest_bdd_after_step(self, step: Any) -> None: ...

    class Wrapping:
        @pluggy.HookimplMarker("pytest")(wrapper=True)
        def pytest_bdd_after_step(self, step: Any) -> Any:
            return (yield)

    manager.add_hookspecs(Spec)
    first, second = Plain(), Plain()
    manager.register(first)
    manager.register(second)
    calls = step_runner.direct_calls(manager, "pytest_bdd_after_step")
    # pluggy calls the last registered first.
    assert calls == [
        (second.pytest_bdd_after_step, ("step",)),
        (first.pytest_bdd_after_step, ("step",)),
    ]
    undo = manager.enable_tracing()
    assert step_runner.direct_calls(manager, "pytest_bdd_after_step") is None
    undo()
    manager.register(Wrapping())
    assert step_runner.direct_calls(manager, "pytest_bdd_after_step") is None
