"""Steps run by hq_spec's runner give every hook the same calls, in the same order, with the same
arguments, and end the same way, as under pytest-bdd's own; pluggy is used where it must be."""

from __future__ import annotations

import json
from typing import Any

import pluggy
import pytest

from hq_spec import step_runner

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
    from hq_spec import bdd_internals, step_runner

    runner = getattr(bdd_internals.SCENARIO_MODULE, bdd_internals.EXECUTE_STEP_FUNCTION)
    direct = step_runner.direct_calls(session.config.pluginmanager, "pytest_bdd_after_step")
    ran = {"runner": runner.__module__, "directly": direct is not None}
    Path("calls.json").write_text(json.dumps({"ran": ran, "calls": CALLS}))
"""
PYTEST_BDD_S_OWN = """


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    from hq_spec import bdd_internals

    setattr(
        bdd_internals.SCENARIO_MODULE,
        bdd_internals.EXECUTE_STEP_FUNCTION,
        bdd_internals.PYTEST_BDD_EXECUTE_STEP_FUNCTION,
    )
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


def run(pytester: pytest.Pytester, conftest: str) -> tuple[dict[str, Any], Any, dict[str, int]]:
    """A run in a process of its own (pytester's in-process runs watch every hook call, which
    leaves them to pluggy): what ran the steps, what the hooks saw, and the outcomes."""
    pytester.makeconftest(conftest)
    pytester.makefile(".feature", badges=FEATURE)
    pytester.makepyfile(test_badges=STEPS)
    result = pytester.runpytest_subprocess("-p", "no:xdist", "-p", "no:cacheprovider")
    found = json.loads((pytester.path / "calls.json").read_text())
    return found["ran"], found["calls"], result.parseoutcomes()


@pytest.mark.parametrize(("conftest", "directly"), [
    (RECORDING_CONFTEST, True), (RECORDING_CONFTEST + WRAPPER, False),
], ids=["hooks called directly", "a wrapper: through pluggy"])  # fmt: skip
def test_every_hook_sees_what_pytest_bdd_s_own_runner_shows_it(
    pytester: pytest.Pytester, conftest: str, directly: bool
) -> None:
    ran, ours, our_outcomes = run(pytester, conftest)
    assert ran == {"runner": "hq_spec.step_runner", "directly": directly}
    ran, theirs, their_outcomes = run(pytester, conftest + PYTEST_BDD_S_OWN)
    assert ran["runner"] == "pytest_bdd.scenario"
    assert our_outcomes == their_outcomes == {"passed": 2, "failed": 2}
    assert ours == theirs
    # What the runs were held to: errors, a yielding step's teardown, converted arguments.
    assert ["lent"] in ours
    assert ours.index(["returned"]) > ours.index(["lent"])
    assert [
        "step_error", "HQ refuses Volt", {}, "ValueError('no badge for Volt')"
    ] in ours  # fmt: skip
    assert ["before_step_call", "3 heroes wait", {"count": "3", "hq": {"open": True}}] in ours
    if not directly:
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


LATE_FEATURE = """Feature: Late
  Scenario: One
    Given the listener joins
  Scenario: Two
    Given the listener leaves
  Scenario: Three
    Given nothing happens
"""
LATE_STEPS = """
from pytest_bdd import given, scenarios

HEARD = []


class Listener:
    def pytest_bdd_after_step(self, step):
        HEARD.append(step.name)


LISTENER = Listener()
scenarios("late.feature")


@given("the listener joins")
def _(pytestconfig):
    pytestconfig.pluginmanager.register(LISTENER, "listener")


@given("the listener leaves")
def _(pytestconfig):
    pytestconfig.pluginmanager.unregister(LISTENER)


@given("nothing happens")
def _():
    # Heard after the step that registered it, as pluggy would; not after the one that left.
    assert HEARD == ["the listener joins"], HEARD
"""


def test_a_listener_registered_or_unregistered_by_a_step_is_heard_or_not_at_once(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".feature", late=LATE_FEATURE)
    pytester.makepyfile(test_late=LATE_STEPS)
    pytester.runpytest_subprocess("-p", "no:xdist").assert_outcomes(passed=3)


def test_a_hook_whose_calls_pluggy_shapes_is_left_to_pluggy() -> None:
    """A first result that stops the calls, a spec's defaults, a historic hook: pluggy's own."""
    marker = pluggy.HookspecMarker("pytest")

    class Specs:
        @marker(firstresult=True)
        def pytest_first(self, step: Any) -> Any: ...

        @marker
        def pytest_defaulted(self, step: Any, extra: Any = None) -> None: ...

        @marker(historic=True)
        def pytest_historic(self, step: Any) -> None: ...

        @marker
        def pytest_plain(self, step: Any) -> None: ...

    class Implements:
        @pluggy.HookimplMarker("pytest")
        def pytest_first(self, step: Any) -> Any: ...

        @pluggy.HookimplMarker("pytest")
        def pytest_plain(self, step: Any) -> None: ...

    manager = pluggy.PluginManager("pytest")
    manager.add_hookspecs(Specs)
    manager.register(Implements())
    for name in ("pytest_first", "pytest_defaulted", "pytest_historic"):
        assert step_runner.direct_calls(manager, name) is None, name
    assert step_runner.direct_calls(manager, "pytest_plain") is not None
