"""Each step run as pytest-bdd runs it, its hooks called straight where pluggy would add nothing.

pytest-bdd calls three hooks around every step (before it, before its function is called, after
it). Through pluggy, each call checks its arguments, copies the list of implementations and builds
each one's arguments: for a simple scenario, the hooks' dispatch cost more than the recorder that
implements them. When no implementation wraps the others (a wrapper needs pluggy's machinery) and
nothing traces the hooks (`pytest --debug`), the implementations are called here directly, in
pluggy's order, with the arguments each one names (looked at at every call, as pluggy does, and
worked out again only when they change). Otherwise the hook is called through pluggy.

The step itself runs exactly as pytest-bdd 9 runs it (its `_execute_step_function`): arguments
parsed from the wording and filtered to the function's parameters, a data table and a doc string
when the function asks for them, fixtures for the rest, and a step function that yields treated as
a fixture that yields; a `target_fixture` receives what the step returned.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pluggy
import pytest
from _pytest.fixtures import FixtureRequest, call_fixture_func
from _pytest.outcomes import Failed
from pytest_bdd.compat import inject_fixture
from pytest_bdd.parser import Scenario, Step
from pytest_bdd.steps import StepFunctionContext

from hq_spec.bdd_internals import (
    EXECUTE_STEP_FUNCTION,
    PARSE_STEP_ARGUMENTS,
    SCENARIO_MODULE,
    STEP_ARGUMENT_DATATABLE,
    STEP_ARGUMENT_DOCSTRING,
    STEP_SIGNATURE_READERS,
    replace_for_session,
)
from hq_spec.remembered import remembered

SIGNATURE, REQUIRED_ARGS = STEP_SIGNATURE_READERS
STEP_HOOKS = (
    "pytest_bdd_before_step",
    "pytest_bdd_before_step_call",
    "pytest_bdd_after_step",
    "pytest_bdd_step_error",
)
# pluggy's own way of calling implementations: anything else (pytest --debug's tracing) is watching.
_PLUGGY_CALLS = getattr(pluggy.PluginManager("hq_spec.probe"), "_inner_hookexec", None)


Calls = list[tuple[Callable[..., object], tuple[str, ...]]]


def direct_calls(
    manager: pluggy.PluginManager, name: str, implementations: list[Any] | None = None
) -> Calls | None:
    """Each implementation of a hook and the arguments it takes, in the order pluggy calls them;
    None where only pluggy can call them (a wrapper, keyword-only arguments, tracing)."""
    watched = getattr(manager, "_inner_hookexec", None) is not _PLUGGY_CALLS
    if _PLUGGY_CALLS is None or watched:
        return None
    caller = getattr(manager.hook, name)
    spec = caller.spec
    # What pluggy does at each call beyond calling: stop at a first result, fill in a spec's
    # defaults, keep a historic call. pytest-bdd's step hooks do none of these (pinned in
    # tests/test_bdd_internals.py); a hook that did is left to pluggy.
    if spec is None or spec.kwargdefaults or spec.opts.get("firstresult") or caller.is_historic():
        return None
    if implementations is None:
        implementations = caller.get_hookimpls()
    calls = []
    for implementation in reversed(implementations):
        if implementation.wrapper or implementation.hookwrapper or implementation.kwargnames:
            return None
        calls.append((implementation.function, tuple(implementation.argnames)))
    return calls


class StepHooks:
    """pytest-bdd's per-step hooks for one session. Their implementations are looked at at every
    call, as pluggy does (a plugin registered or unregistered by a step is heard, or no longer, at
    once), and worked out again only when they changed."""

    def __init__(self, config: pytest.Config) -> None:
        self.manager = config.pluginmanager
        self.callers = {name: getattr(self.manager.hook, name) for name in STEP_HOOKS}
        self.seen: dict[str, tuple[list[Any], object, Calls | None]] = {}

    def call(self, name: str, arguments: dict[str, Any]) -> None:
        implementations = self.callers[name].get_hookimpls()
        calling = getattr(self.manager, "_inner_hookexec", None)
        seen = self.seen.get(name)
        if seen is not None and seen[0] == implementations and seen[1] is calling:
            calls = seen[2]
        else:
            calls = direct_calls(self.manager, name, implementations)
            self.seen[name] = (implementations, calling, calls)
        if calls is None:
            self.callers[name](**arguments)
            return
        for function, names in calls:
            function(*map(arguments.__getitem__, names))


HOOKS = pytest.StashKey[StepHooks]()
# Whether a step function yields (a fixture-like step), answered once per function.
YIELDS = pytest.StashKey[dict[Callable[..., object], bool]]()


def _yields(config: pytest.Config, function: Callable[..., object]) -> bool:
    known = config.stash.setdefault(YIELDS, {})
    return remembered(known, function, inspect.isgeneratorfunction)


def run_step(
    request: FixtureRequest, scenario: Scenario, step: Step, context: StepFunctionContext
) -> None:
    """Run one step with its hooks, as pytest-bdd's `_execute_step_function` does."""
    __tracebackhide__ = True
    config = request.config
    hooks = config.stash.get(HOOKS, None)
    if hooks is None:
        hooks = config.stash[HOOKS] = StepHooks(config)
    function = context.step_func
    parameters = getattr(SCENARIO_MODULE, SIGNATURE)(function).parameters
    kw: dict[str, Any] = {
        "request": request,
        "feature": scenario.feature,
        "scenario": scenario,
        "step": step,
        "step_func": function,
        "step_func_args": {},
    }
    hooks.call("pytest_bdd_before_step", kw)
    try:
        parsed = getattr(SCENARIO_MODULE, PARSE_STEP_ARGUMENTS)(step=step, context=context)
        kwargs = {name: value for name, value in parsed.items() if name in parameters}
        if STEP_ARGUMENT_DATATABLE in parameters and step.datatable is not None:
            kwargs[STEP_ARGUMENT_DATATABLE] = step.datatable.raw()
        if STEP_ARGUMENT_DOCSTRING in parameters and step.docstring is not None:
            kwargs[STEP_ARGUMENT_DOCSTRING] = step.docstring
        for name in getattr(SCENARIO_MODULE, REQUIRED_ARGS)(function):
            if name not in kwargs:
                kwargs[name] = request.getfixturevalue(name)
        kw["step_func_args"] = kwargs
        hooks.call("pytest_bdd_before_step_call", kw)
        if _yields(config, function):  # run as a fixture that yields: its rest at teardown
            returned = call_fixture_func(fixturefunc=function, request=request, kwargs=kwargs)
        else:
            returned = function(**kwargs)
    except (Exception, Failed) as exception:
        hooks.call("pytest_bdd_step_error", {**kw, "exception": exception})
        raise
    if context.target_fixture is not None:
        inject_fixture(request, context.target_fixture, returned)
    hooks.call("pytest_bdd_after_step", kw)


def install(config: pytest.Config) -> None:
    """Have pytest-bdd run each step through run_step, for this session."""
    replace_for_session(config, SCENARIO_MODULE, EXECUTE_STEP_FUNCTION, run_step)
