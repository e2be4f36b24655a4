"""What the specification is made of: step definitions, and scenarios from feature files."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_bdd.parser import Feature, FeatureParser, ScenarioTemplate, Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

STEPS_PACKAGE = "steps."


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
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.context.step_func) or inspect.isasyncgenfunction(
            self.context.step_func
        )

    @property
    def choices(self) -> dict[str, list[str]]:
        """Fields that take one of a fixed set of phrases (a converter with `.choices`)."""
        compiled = getattr(self.context.parser, "parser", None)
        types: dict[str, Any] = getattr(compiled, "_extra_types", {}) or {}
        found = {}
        for name, kind in re.findall(r"\{(\w+):(\w+)\}", self.phrase):
            options = getattr(types.get(kind), "choices", None)
            if options:
                found[name] = list(options)
        return found

    def matches(self, text: str) -> bool:
        return bool(self.context.parser.is_matching(text))


@dataclass(frozen=True)
class UsedStep:
    """A step as it will run: rendered for one Examples row, with its feature and line."""

    keyword: str  # the Gherkin keyword as written: Given, When, Then, And, But, *
    type: str  # what it binds as: given, when or then (And/But inherit)
    text: str
    file: str
    line: int
    scenario: str

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


def step_modules(root: Path) -> list[str]:
    """The step modules named in the root conftest's `pytest_plugins` (read, not imported)."""
    conftest = root / "conftest.py"
    if not conftest.exists():
        return []
    for node in ast.walk(ast.parse(conftest.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytest_plugins" for t in node.targets
        ):
            plugins: Any = ast.literal_eval(node.value)
            return [name for name in plugins if name.startswith(STEPS_PACKAGE)]
    return []


def load_definitions(modules: list[str], root: Path) -> list[Definition]:
    """Import the step modules and read the definitions pytest-bdd registered from them."""
    for module in modules:
        importlib.import_module(module)
    return registered_definitions(root, set(modules))


def registered_definitions(root: Path, modules: set[str] | None = None) -> list[Definition]:
    """Every definition pytest-bdd has registered so far (from these modules, if given)."""
    definitions = []
    for context in list(step_function_context_registry.values()):
        func = inspect.unwrap(context.step_func)
        if modules is not None and func.__module__ not in modules:
            continue
        source = Path(inspect.getsourcefile(func) or "?")
        line = _decorator_line(func, context)
        definitions.append(
            Definition(
                keyword=context.type,
                phrase=_phrase(context),
                description=inspect.getdoc(func) or "",
                module=func.__module__,
                file=_relative(source, root),
                line=line,
                context=context,
            )
        )
    unique = {(d.module, d.line, d.keyword, d.phrase): d for d in definitions}
    return sorted(unique.values(), key=lambda d: (d.file, d.line, d.phrase))


def _phrase(context: StepFunctionContext) -> str:
    parser: Any = context.parser
    return str(getattr(parser, "name", parser))


def _decorator_line(func: Any, context: StepFunctionContext) -> int:
    """The line of the decorator naming this phrase (a function may carry several)."""
    lines, first = inspect.getsourcelines(func)
    phrase = _phrase(context)
    for offset, text in enumerate(lines):
        if phrase[:40] in text or repr(phrase)[1:41] in text:
            return first + offset
    return first


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def feature_files(features_dir: Path) -> list[Path]:
    return sorted(features_dir.rglob("*.feature"))


def load_feature(path: Path) -> Feature:
    return FeatureParser(str(path.parent), path.name).parse()


def rendered_scenarios(template: ScenarioTemplate) -> Iterator[tuple[dict[str, str], list[Step]]]:
    """Each way the scenario will run: once, or once per Examples row, with its steps rendered."""
    contexts = [ctx for examples in template.examples for ctx in examples.as_contexts()]
    for context in contexts or [{}]:
        yield context, template.render(context).steps


def used_steps(path: Path, root: Path) -> Iterator[UsedStep]:
    feature = load_feature(path)
    file = _relative(path, root)
    for template in feature.scenarios.values():
        for _, steps in rendered_scenarios(template):
            for step in steps:
                yield UsedStep(
                    step.keyword, step.type, step.name, file, step.line_number, template.name
                )
