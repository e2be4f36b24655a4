"""Each step's wording parsed once per step definition, for pytest-bdd too."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext

from hq_spec.bdd_internals import PARSE_STEP_ARGUMENTS, SCENARIO_MODULE, replace_for_session

# pytest-bdd parses a step's wording with its definition's parser at every step it runs, though a
# wording always parses to the same values: in a simple scenario, as dear as the step's lookup
# was. The values are parsed once per definition and wording; the definition's converters
# (`converters=`) still run at every step, so each step gets objects of its own from them.
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


def install(config: pytest.Config) -> None:
    """Have pytest-bdd parse each wording once per step definition, for this session."""
    cache = ArgumentCache(getattr(SCENARIO_MODULE, PARSE_STEP_ARGUMENTS))
    replace_for_session(config, SCENARIO_MODULE, PARSE_STEP_ARGUMENTS, cache.parse_step_arguments)
