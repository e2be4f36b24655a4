"""Each step's wording parsed once per step definition, for pytest-bdd too."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any

import pytest
from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext

from hq_spec.bdd_internals import PARSE_STEP_ARGUMENTS

# pytest-bdd parses a step's wording with its definition's parser at every step it runs, though a
# wording always parses to the same values: in a simple scenario, as dear as the step's lookup
# was. The values are parsed once per definition and wording; the definition's converters
# (`converters=`) still run at every step, so each step gets objects of its own from them.
# pytest_bdd.scenario, as an attribute, is pytest-bdd's scenario() function, not its module.
SCENARIO_MODULE = importlib.import_module("pytest_bdd.scenario")
ORIGINAL = pytest.StashKey[Callable[[Step, StepFunctionContext], dict[str, Any]]]()
# Parsed values no step can change in place, so one parse can serve every step of that wording.
# A parser type that makes anything else (a list of names) is parsed afresh at every step.
SHAREABLE = frozenset({str, int, float, bool, bytes, type(None)})

Parse = Callable[[Step, StepFunctionContext], dict[str, Any]]


def _shareable(value: object) -> bool:
    if type(value) is tuple:
        return all(_shareable(item) for item in value)
    return type(value) in SHAREABLE


class ArgumentCache:
    """pytest-bdd's parse_step_arguments, its parsing remembered per parser and wording."""

    def __init__(self, parse: Parse) -> None:
        self._parse = parse
        self.parsed: dict[tuple[object, str], dict[str, Any]] = {}

    def _parsed(self, step: Step, context: StepFunctionContext) -> dict[str, Any]:
        key = (context.parser, step.name)
        try:
            return self.parsed[key]
        except KeyError:
            pass
        except TypeError:  # a parser that cannot be a key: parsed every time, as pytest-bdd does
            return self._parse(step, dataclasses.replace(context, converters={}))
        # pytest-bdd's own parse (its checks included), without converters: they run per step.
        values = self._parse(step, dataclasses.replace(context, converters={}))
        if all(_shareable(value) for value in values.values()):
            self.parsed[key] = values
        return values

    def parse_step_arguments(self, step: Step, context: StepFunctionContext) -> dict[str, Any]:
        converters = context.converters
        return {
            name: converters[name](value) if name in converters else value
            for name, value in self._parsed(step, context).items()
        }


def install(config: pytest.Config) -> ArgumentCache:
    """Have pytest-bdd parse each wording once per step definition, for this session."""
    original: Parse = getattr(SCENARIO_MODULE, PARSE_STEP_ARGUMENTS)
    config.stash[ORIGINAL] = original
    cache = ArgumentCache(original)
    setattr(SCENARIO_MODULE, PARSE_STEP_ARGUMENTS, cache.parse_step_arguments)
    return cache


def uninstall(config: pytest.Config) -> None:
    original = config.stash.get(ORIGINAL, None)
    if original is not None:
        setattr(SCENARIO_MODULE, PARSE_STEP_ARGUMENTS, original)
