"""Which step definition ran a step, as Cucumber states it: pattern, source, parameters' places."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cucumber_messages as cm
from pytest_bdd import parsers
from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

from hq_spec.step_matching import matches
from hq_spec.step_results import relative_uri

Match = tuple[Any, Any]  # (cm.StepDefinition | None, cm.StepMatchArgumentsList | None)


def pattern_of(parser: parsers.StepParser) -> Any:
    # A regular expression says so; pytest-bdd's other parsers (exact text, parse's "{name}"
    # fields) read as Cucumber expressions do: literal text with parameters in braces.
    kind = (
        cm.StepDefinitionPatternType.regular_expression
        if isinstance(parser, parsers.re)
        else cm.StepDefinitionPatternType.cucumber_expression
    )
    return cm.StepDefinitionPattern(source=parser.name, type=kind)


# A field of a parse pattern: "{name}", "{count:d}", "{actor:Actor}" (name and type both optional).
PARSE_FIELD = re.compile(r"\{(?P<name>[^{}:]*)(?::(?P<type>[^{}]*))?\}")

Span = tuple[int, int, str]  # start, end, and the parameter's type as the pattern names it


def parse_types(pattern: str) -> dict[str | int, str]:
    """Each field's type ("d", "Actor"; "string" when it names none), by name or by position."""
    types: dict[str | int, str] = {}
    position = 0
    for found in PARSE_FIELD.finditer(pattern.replace("{{", "  ").replace("}}", "  ")):
        key: str | int = found["name"] or position
        if not found["name"]:
            position += 1
        types[key] = found["type"] or "string"
    return types


def spans_of(parser: parsers.StepParser, text: str) -> list[Span]:
    """Where each parameter's text sits in the step, in order; none for exact text."""
    if isinstance(parser, parsers.re):
        found = parser.regex.fullmatch(text)
        if found is None:
            return []
        names = {index: name for name, index in found.re.groupindex.items()}
        return sorted(
            (*found.span(index), names.get(index, "anonymous"))
            for index in range(1, found.re.groups + 1)
        )
    if isinstance(parser, parsers.parse):  # cfparse is a parse too
        result = parser.parser.parse(text)
        spans: dict[str | int, tuple[int, int]] = getattr(result, "spans", None) or {}
        types = parse_types(parser.name)
        return sorted((*span, types.get(key, "string")) for key, span in spans.items())
    return []


def arguments_of(parser: parsers.StepParser, text: str) -> Any:
    # The protocol's groups are the parameters' text as written; a type name lets Cucumber's
    # report highlight them.
    return cm.StepMatchArgumentsList(
        step_match_arguments=[
            cm.StepMatchArgument(
                group=cm.Group(start=start, value=text[start:end], children=[]),
                parameter_type_name=type_name,
            )
            for start, end, type_name in spans_of(parser, text)
            if start >= 0
        ]
    )


class StepDefinitions:
    """Step definitions as messages, found once per function, and matched against step texts."""

    def __init__(self, rootpath: Path) -> None:
        self.rootpath = rootpath
        self.contexts: dict[Callable[..., object], list[StepFunctionContext]] = {}
        self.definitions: dict[int, Any] = {}  # id(context) -> cm.StepDefinition
        self.arguments: dict[tuple[int, str], Any] = {}  # (id(context), text) -> arguments
        # (function, keyword, text) -> its match: a wording always binds the same way, and most
        # steps of a run repeat a wording already seen.
        self.matches: dict[tuple[Callable[..., object], str, str], Match] = {}

    def contexts_of(self, function: Callable[..., object]) -> list[StepFunctionContext]:
        if function not in self.contexts:  # a module imported since: look again
            self.contexts = {}
            self.matches = {}
            for context in list(step_function_context_registry.values()):
                self.contexts.setdefault(context.step_func, []).append(context)
            self.contexts.setdefault(function, [])  # unknown to pytest-bdd: not looked up again
        return self.contexts[function]

    def definition(self, context: StepFunctionContext) -> Any:
        key = id(context)
        if key not in self.definitions:
            function = inspect.unwrap(context.step_func)
            source = inspect.getsourcefile(function) or "<unknown>"
            code = getattr(function, "__code__", None)
            self.definitions[key] = cm.StepDefinition(
                id="",  # the stream numbers each definition once
                pattern=pattern_of(context.parser),
                source_reference=cm.SourceReference(
                    uri=relative_uri(Path(source), self.rootpath),
                    location=cm.Location(line=code.co_firstlineno if code else 1),
                ),
            )
        return self.definitions[key]

    def arguments_for(self, context: StepFunctionContext, text: str) -> Any:
        key = (id(context), text)
        if key not in self.arguments:
            try:
                self.arguments[key] = arguments_of(context.parser, text)
            except (ValueError, re.error):  # a parser of the project's own making: no positions
                self.arguments[key] = cm.StepMatchArgumentsList(step_match_arguments=[])
        return self.arguments[key]

    def match(self, function: Callable[..., object], step: Step) -> Match:
        """The definition pytest-bdd runs for this step, and the step's parameters in its text."""
        key = (function, step.type, step.name)
        found = self.matches.get(key)
        if found is None:
            found = self.matches[key] = self._match(function, step)
        return found

    def _match(self, function: Callable[..., object], step: Step) -> Match:
        contexts = self.contexts_of(function)
        if len(contexts) > 1:  # one function under several patterns: the one that matches
            contexts = [
                context
                for context in contexts
                if context.type in (None, step.type) and matches(context.parser, step.name)
            ]
        if not contexts:
            return None, None
        return self.definition(contexts[0]), self.arguments_for(contexts[0], step.name)

    def rivals(
        self, contexts: list[StepFunctionContext], chosen: Callable[..., object], step: Step
    ) -> list[tuple[Any, Any]]:
        """The other definitions an ambiguous step matches, as messages with their arguments."""
        return [
            (self.definition(context), self.arguments_for(context, step.name))
            for context in contexts
            if context.step_func is not chosen
        ]
