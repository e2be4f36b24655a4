"""Ambiguous steps: several step definitions at the same level match one Gherkin step."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext

from hq_spec.step_lookup import matching_definitions
from hq_spec.step_results import relative_uri


def definition_location(function: Callable[..., object], rootpath: Path) -> str:
    source = relative_uri(Path(inspect.getsourcefile(function) or "?"), rootpath)
    code = getattr(function, "__code__", None)
    return f"{source}:{code.co_firstlineno}" if code is not None else source


def competing_definitions(request: pytest.FixtureRequest, step: Step) -> list[StepFunctionContext]:
    """The definitions that compete for a step: several matching it at the closest level.

    pytest-bdd silently picks one of them; a definition closer to the test (a test module's
    own step) legitimately overrides a shared one, so only the closest level counts.
    """
    definitions = matching_definitions(request.session._fixturemanager, request.node, step)
    if len(definitions) < 2:
        return []
    closest = max(len(definition.baseid) for definition, _ in definitions)
    competing: list[StepFunctionContext] = []
    for definition, context in definitions:
        functions = [each.step_func for each in competing]
        if len(definition.baseid) == closest and context.step_func not in functions:
            competing.append(context)
    return competing if len(competing) > 1 else []


def ambiguity_of(request: pytest.FixtureRequest, step: Step) -> str | None:
    """Say which definitions compete for a step, when several match it at the same level."""
    functions = [context.step_func for context in competing_definitions(request, step)]
    if not functions:
        return None
    places = ", ".join(definition_location(f, request.config.rootpath) for f in functions)
    return f"{len(functions)} step definitions match this step: {places}"
