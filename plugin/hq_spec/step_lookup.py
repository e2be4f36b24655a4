"""Each step's matching definitions, found once per feature file and wording, for pytest-bdd too."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

import pytest
from _pytest.fixtures import FixtureDef, FixtureManager
from pytest_bdd.compat import get_fixture_names, getfixturedefs
from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

Definition = tuple[FixtureDef[object], StepFunctionContext]
# pytest-bdd looks for a step's definitions by asking pytest, for every fixture name, which of its
# definitions the scenario can see, and matching every step definition's parser against the step,
# for every step of every scenario: most of a simple scenario's cost. What a scenario can see is
# the same throughout its feature file, and a wording always matches the same definitions, so
# both are found once per file (and per wording) and kept for the session.
VISIBLE = pytest.StashKey[dict[str, list[Definition]]]()
MATCHING = pytest.StashKey[dict[tuple[str, str, str], list[Definition]]]()
# pytest_bdd.scenario, as an attribute, is pytest-bdd's scenario() function, not its module.
SCENARIO_MODULE = importlib.import_module("pytest_bdd.scenario")
ORIGINAL = pytest.StashKey[Callable[..., Iterable[FixtureDef[object]]]]()


def _file_of(node: pytest.Item | pytest.Collector) -> str:
    return node.nodeid.partition("::")[0]


def visible_definitions(manager: FixtureManager, node: pytest.Item) -> list[Definition]:
    """Every step definition visible to this scenario (the same in its whole file)."""
    by_file = node.session.stash.setdefault(VISIBLE, {})
    file = _file_of(node)
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
    """The visible definitions whose type and parser match this step, as pytest-bdd finds them."""
    by_wording = node.session.stash.setdefault(MATCHING, {})
    key = (_file_of(node), step.type, step.name)
    if key not in by_wording:
        by_wording[key] = [
            (definition, context)
            for definition, context in visible_definitions(manager, node)
            if context.type in (None, step.type) and context.parser.is_matching(step.name)
        ]
    return by_wording[key]


def _find_fixturedefs_for_step(
    step: Step, fixturemanager: FixtureManager, node: pytest.Item
) -> Iterable[FixtureDef[object]]:
    return [definition for definition, _ in matching_definitions(fixturemanager, node, step)]


def install(config: pytest.Config) -> None:
    """Have pytest-bdd find step definitions through the cache for this session."""
    config.stash[ORIGINAL] = SCENARIO_MODULE.find_fixturedefs_for_step
    setattr(SCENARIO_MODULE, "find_fixturedefs_for_step", _find_fixturedefs_for_step)  # noqa: B010


def uninstall(config: pytest.Config) -> None:
    original = config.stash.get(ORIGINAL, None)
    if original is not None:
        setattr(SCENARIO_MODULE, "find_fixturedefs_for_step", original)  # noqa: B010
