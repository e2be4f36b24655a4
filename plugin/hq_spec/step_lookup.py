"""Each step's matching definitions, found once per test file and wording, for pytest-bdd too."""

from __future__ import annotations

from pathlib import Path

import pytest
from _pytest.fixtures import FixtureDef, FixtureManager, FixtureRequest
from pytest_bdd.compat import get_fixture_names, getfixturedefs
from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

from hq_spec.bdd_internals import (
    GET_STEP_FUNCTION,
    PARENT_NODE_IDS,
    SCENARIO_MODULE,
    replace_for_session,
)
from hq_spec.step_matching import matches

Definition = tuple[FixtureDef[object], StepFunctionContext]
# pytest-bdd looks for a step's definitions by asking pytest, for every fixture name, which of its
# definitions the scenario can see, and matching every step definition's parser against the step,
# for every step of every scenario: most of a simple scenario's cost. What a scenario can see is
# the same throughout its test file, and a wording always matches the same definitions, so
# both are found once per test file (and per wording) and kept for the session, by the file's path
# (not the start of the node's id, which pytest builds anew at each reading).
VISIBLE = pytest.StashKey[dict[Path, list[Definition]]]()
MATCHING = pytest.StashKey[dict[tuple[Path, str, str], list[Definition]]]()


def visible_definitions(manager: FixtureManager, node: pytest.Item) -> list[Definition]:
    """Every step definition visible to this scenario (the same in its whole test file)."""
    by_file = node.session.stash.setdefault(VISIBLE, {})
    file = node.path
    if file not in by_file:
        by_file[file] = [
            (definition, context)
            for name in get_fixture_names(fixturemanager=manager)
            for definition in getfixturedefs(manager, name, node) or []
            if (context := step_function_context_registry.get(definition.func)) is not None
        ]
    return by_file[file]


def matching_definitions(
    manager: FixtureManager, node: pytest.Item, step: Step
) -> list[Definition]:
    """The visible definitions whose type and parser match this step, as pytest-bdd finds them,
    ranked as it ranks them: by where they are defined (a conftest, a deeper conftest, the test
    module), the closest to the test last."""
    by_wording = node.session.stash.setdefault(MATCHING, {})
    key = (node.path, step.type, step.name)
    if key not in by_wording:
        parents = getattr(SCENARIO_MODULE, PARENT_NODE_IDS)
        by_wording[key] = sorted(
            (
                (definition, context)
                for definition, context in visible_definitions(manager, node)
                if context.type in (None, step.type) and matches(context.parser, step.name)
            ),
            key=lambda found: list(parents(found[0].baseid)),
        )
    return by_wording[key]


def closest_definition(
    manager: FixtureManager, node: pytest.Item, step: Step
) -> StepFunctionContext | None:
    """The definition pytest-bdd runs for this step: of those matching, the closest to the test.

    pytest-bdd ranks the matching definitions and asks pytest for the last, as a fixture, at
    every step. Which one that is depends only on the file and the wording, so it is found once
    per both.
    """
    ranked = matching_definitions(manager, node, step)
    return ranked[-1][1] if ranked else None


def _get_step_function(request: FixtureRequest, step: Step) -> StepFunctionContext | None:
    # pytest-bdd injects the matching definitions as a temporary fixture and has pytest set it
    # up (hooks, caching, a finalizer) to learn which one to run: a third of a step's own cost.
    return closest_definition(request._fixturemanager, request.node, step)


def install(config: pytest.Config) -> None:
    """Have pytest-bdd find which definition runs a step through the cache, for this session."""
    replace_for_session(config, SCENARIO_MODULE, GET_STEP_FUNCTION, _get_step_function)
