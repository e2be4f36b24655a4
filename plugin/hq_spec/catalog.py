"""What a specification is made of: step definitions, and the steps its features use."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hq_spec.bdd_internals import (
    StepFunctionContext,
    extra_types_of,
    field_names_of,
    phrase_of,
    registered_step_contexts,
)
from hq_spec.feature_sources import FeatureSources
from hq_spec.gherkin_reading import FeatureUnreadable, UsedStep, feature_files, relative
from hq_spec.step_matching import matches

__all__ = [
    "Definition",
    "Slot",
    "UsedStep",
    "feature_files",
    "load_definitions",
    "registered_definitions",
    "step_modules",
    "used_steps",
]

_TYPED_FIELD = re.compile(r"\{(\w+):(\w+)\}")


@dataclass(frozen=True)
class Slot:
    """A fill-in of a phrase: its name, its kind, and the phrases it takes if it is a choice."""

    name: str
    kind: str | None
    description: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Definition:
    """One step definition: its keyword, phrase, plain-language description and where it lives."""

    keyword: str | None  # "given", "when", "then", or None for @step (any keyword)
    phrase: str
    description: str
    module: str
    file: str
    line: int
    context: StepFunctionContext = field(compare=False, repr=False)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def keyword_title(self) -> str:
        return (self.keyword or "step").title()

    @property
    def function(self) -> Any:
        return inspect.unwrap(self.context.step_func)

    @property
    def is_async(self) -> bool:
        func = self.context.step_func
        return inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func)

    def binds_as(self, step_type: str) -> bool:
        """Whether a step of this kind (given, when, then) can use this definition."""
        return self.keyword in (None, step_type)

    @property
    def slots(self) -> list[Slot]:
        """The phrase's fill-ins, in order."""
        types = extra_types_of(self.context.parser)
        kinds = dict(_TYPED_FIELD.findall(self.phrase))
        found = []
        for name in field_names_of(self.context.parser):
            converter = types.get(kinds.get(name, ""))
            choices = tuple(getattr(converter, "choices", ()) or ())
            description = (inspect.getdoc(converter) or "") if converter and not choices else ""
            found.append(Slot(name, kinds.get(name), description, choices))
        return found

    @property
    def choices(self) -> dict[str, list[str]]:
        """Fields that take one of a fixed set of phrases (a converter with `.choices`)."""
        return {slot.name: list(slot.choices) for slot in self.slots if slot.choices}

    def literal_alternatives(self, slot: str) -> list[str]:
        """The fixed phrases a fill-in may be (its choices, or its pattern's plain alternatives)."""
        kinds = dict(_TYPED_FIELD.findall(self.phrase))
        converter = extra_types_of(self.context.parser).get(kinds.get(slot, ""))
        if converter is None:
            return []
        choices = getattr(converter, "choices", None)
        if choices:
            return list(choices)
        pattern = getattr(converter, "pattern", "")
        if pattern.startswith("(?:") and pattern.endswith(")"):
            pattern = pattern[3:-1]
        return [alt for alt in pattern.split("|") if re.fullmatch(r"[\w' -]+", alt)]

    def matches(self, text: str) -> bool:
        return matches(self.context.parser, text)

    def arguments(self, text: str) -> dict[str, Any]:
        """The fill-ins of a matching step text, converted as the step function receives them."""
        found: dict[str, Any] = self.context.parser.parse_arguments(text) or {}
        return found

    def unused_fields(self) -> list[str]:
        """Fill-ins of the phrase that the step function never reads."""
        return [name for name in field_names_of(self.context.parser) if not _reads(self, name)]


def _reads(definition: Definition, name: str) -> bool:
    """Whether the step function takes this argument and reads it somewhere in its body."""
    func = definition.function
    if name not in inspect.signature(func).parameters:
        return False
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, SyntaxError):
        return True  # no source to read: assume the best rather than report a false finding
    function = next(
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    )
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        for statement in function.body
        for node in ast.walk(statement)
    )


def step_modules(root: Path) -> tuple[str, ...]:
    """The step modules the project at root configures (`hq_spec_step_modules`)."""
    from hq_spec.settings import Settings

    return Settings.from_project(root).step_modules


def load_definitions(modules: list[str] | tuple[str, ...], root: Path) -> list[Definition]:
    """Import the step modules and read the definitions pytest-bdd registered from them."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    for module in modules:
        importlib.import_module(module)
    return registered_definitions(root, set(modules))


def registered_definitions(root: Path, modules: set[str] | None = None) -> list[Definition]:
    """Every definition pytest-bdd has registered so far (from these modules, if given)."""
    definitions = []
    for context in registered_step_contexts():
        func = inspect.unwrap(context.step_func)
        if modules is not None and func.__module__ not in modules:
            continue
        source = Path(inspect.getsourcefile(func) or "?")
        definitions.append(
            Definition(
                keyword=context.type,
                phrase=phrase_of(context.parser),
                description=inspect.getdoc(func) or "",
                module=func.__module__,
                file=relative(source, root),
                line=_decorator_line(func, phrase_of(context.parser)),
                context=context,
            )
        )
    unique = {(d.module, d.line, d.keyword, d.phrase): d for d in definitions}
    return sorted(unique.values(), key=lambda d: (d.file, d.line, d.phrase))


def _decorator_line(func: Any, phrase: str) -> int:
    """The line of the decorator naming this phrase (a function may carry several)."""
    lines, first = inspect.getsourcelines(func)
    for offset, text in enumerate(lines):
        if phrase[:40] in text or repr(phrase)[1:41] in text:
            return first + offset
    return first


def used_steps(path: Path, sources: FeatureSources) -> Iterator[UsedStep]:
    """The steps of one feature file, as they will run; nothing for a file Gherkin cannot read."""
    try:
        document = sources.document(path)
    except FeatureUnreadable:
        return
    yield from document.steps()


def all_used_steps(features_dir: Path, sources: FeatureSources) -> list[UsedStep]:
    return [step for path in feature_files(features_dir) for step in used_steps(path, sources)]
