"""Ambiguous steps: several step definitions at the same level match one Gherkin step."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_bdd.parser import Step
from pytest_bdd.scenario import find_fixturedefs_for_step
from pytest_bdd.steps import step_function_context_registry

from hq_spec.step_results import relative_uri


def definition_location(function: Callable[..., object], rootpath: Path) -> str:
    source = relative_uri(Path(inspect.getsourcefile(function) or "?"), rootpath)
    code = getattr(function, "__code__", None)
    return f"{source}:{code.co_firstlineno}" if code is not None else source


def ambiguity_of(request: pytest.FixtureRequest, step: Step) -> str | None:
    """Say which definitions compete for a step, when several match it at the same level.

    pytest-bdd silently picks one of them; a definition closer to the test (a test module's
    own step) legitimately overrides a shared one, so only the closest level counts.
    """
    definitions = list(
        find_fixturedefs_for_step(step, request.session._fixturemanager, request.node)
    )
    if len(definitions) < 2:
        return None
    closest = max(len(definition.baseid) for definition in definitions)
    functions: list[Callable[..., object]] = []
    for definition in definitions:
        context = step_function_context_registry.get(definition.func)
        if (
            len(definition.baseid) == closest
            and context is not None
            and context.step_func not in functions
        ):
            functions.append(context.step_func)
    if len(functions) < 2:
        return None
    places = ", ".join(definition_location(f, request.config.rootpath) for f in functions)
    return f"{len(functions)} step definitions match this step: {places}"
