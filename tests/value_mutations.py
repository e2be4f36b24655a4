"""Every value a Then step takes, changed to another plausible value: one scenario per change.

Driven by the step vocabulary, not by a list of steps: each Then step of each scenario is matched
to its definition, the definition's parser says where its parameters are and of what kind, and
each parameter (and each cell of a Then step's table) gets a different value of the same kind.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler

from hq_spec.catalog import Definition, feature_files, load_definitions, step_modules
from steps.support.cast import PERSONAS
from steps.support.vocabulary import FIELDS

KEYWORDS = {"Context": "Given", "Action": "When", "Outcome": "Then"}
# Names to put in place of a name the scenario uses: the first of the cast it does not mention.
FRESH_NAMES = tuple(sorted(PERSONAS))
NUMBER = re.compile(r"-?\d+")


@dataclass
class Step:
    keyword: str
    text: str
    table: list[list[str]] | None = None


@dataclass
class Scenario:
    name: str
    uri: str
    line: int
    tags: list[str]
    steps: list[Step]
    template: str  # the scenario (or outline) it comes from: outline rows share one

    def mentions(self, word: str) -> bool:
        cells = [c for s in self.steps for row in (s.table or []) for c in row]
        return any(word in text for text in [s.text for s in self.steps] + cells)


@dataclass
class Mutation:
    """One scenario with one value of one Then step changed."""

    scenario: Scenario
    index: int  # which step changed
    step: Step  # the changed step
    what: str  # which value, from what to what

    def feature(self, number: int) -> str:
        """The changed scenario as a feature file of its own."""
        lines = [f"Feature: value mutation {number}", ""]
        if self.scenario.tags:
            lines.append("  " + " ".join(self.scenario.tags))
        lines.append(f"  Scenario: {self.scenario.name} (mutation {number})")
        for index, step in enumerate(self.scenario.steps):
            shown = self.step if index == self.index else step
            lines.append(f"    {shown.keyword} {shown.text}")
            for row in shown.table or []:
                cells = " | ".join(c.replace("\\", "\\\\").replace("|", "\\|") for c in row)
                lines.append(f"      | {cells} |")
        return "\n".join(lines) + "\n"


def scenarios(features: Path, root: Path) -> Iterator[Scenario]:
    """Every scenario as it runs (outlines once per Examples row, Background included)."""
    for path in feature_files(features):
        document = Parser().parse(path.read_text(encoding="utf-8"))
        document["uri"] = str(path.relative_to(root))
        for pickle in Compiler().compile(document):
            steps = []
            for step in pickle["steps"]:
                rows = step.get("argument", {}).get("dataTable", {}).get("rows")
                table = [[c["value"] for c in row["cells"]] for row in rows] if rows else None
                steps.append(Step(KEYWORDS[step["type"]], step["text"], table))
            line = pickle["location"]["line"]
            tags = [tag["name"] for tag in pickle["tags"]]
            template = f"{pickle['uri']}#{pickle['astNodeIds'][0]}"
            yield Scenario(pickle["name"], pickle["uri"], line, tags, steps, template)


def then_definitions(root: Path) -> list[Definition]:
    definitions = load_definitions(step_modules(root), root)
    return [d for d in definitions if d.keyword in {"then", None}]


def matching(definitions: list[Definition], text: str) -> list[Definition]:
    return [d for d in definitions if d.matches(text)]


def fields_of(definition: Definition) -> dict[str, str]:
    """The phrase's parameters and their kinds: {'hero': 'Hero', 'number': 'd', 'power': ''}."""
    return {
        name: spec
        for _, name, spec, _ in string.Formatter().parse(definition.phrase)
        if name is not None
    }


def parsed(definition: Definition, text: str) -> Any:
    """parse's Result for this text: `.named` values as written, `.spans` their positions."""
    compiled: Any = definition.context.parser.parser  # type: ignore[attr-defined]
    return compiled.parse(text)


@dataclass
class Vocabulary:
    """What the features write in each slot, so a replacement can be another real value."""

    definitions: list[Definition]
    seen: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def learn(self, all_scenarios: list[Scenario]) -> None:
        for scenario in all_scenarios:
            for step in scenario.steps:
                if step.keyword != "Then":
                    continue
                for definition in matching(self.definitions, step.text):
                    names = fields_of(definition)
                    result = parsed(definition, step.text) if names else None
                    for name in names:
                        self.seen[(definition.location, name)].add(self._raw(result, name, step))
                for row in (step.table or [])[1:]:
                    for column, cell in enumerate(row):
                        self.seen[(step.text, str(column))].add(cell)

    @staticmethod
    def _raw(result: Any, name: str, step: Step) -> str:
        start, end = result.spans[name]
        return step.text[start:end]

    def other(self, slot: tuple[str, str], value: str) -> str:
        """Another value seen in this slot, else a number one higher, else the text 'again'."""
        others = sorted(v for v in self.seen.get(slot, set()) if v != value)
        if others:
            return others[0]
        return _plus_one(value) or (f"{value} again" if value else "again")


def _plus_one(value: str) -> str | None:
    """The last number in the text, one higher ('sector 1' -> 'sector 2'), or None if none."""
    numbers = list(NUMBER.finditer(value))
    if not numbers:
        return None
    last = numbers[-1]
    return value[: last.start()] + str(int(last.group()) + 1) + value[last.end() :]


def replacement(
    kind: str, raw: str, definition: Definition, name: str, scenario: Scenario, words: Vocabulary
) -> str:
    """Another plausible value of the same kind as `raw`."""
    choices = definition.choices.get(name)
    if choices:
        return choices[(choices.index(raw) + 1) % len(choices)]
    fresh = next((n for n in FRESH_NAMES if not scenario.mentions(n)), "Nobody-Else")
    if kind in {"Actor", "Hero"}:
        return fresh
    if kind == "Names":
        return re.sub(r"[^\s,]+$", fresh, raw)
    if kind == "Quoted":
        last = list(re.finditer(r'"([^"]*)"', raw))[-1]
        return raw[: last.start()] + f'"{last.group(1)} again"' + raw[last.end() :]
    if kind == "Field":
        fields = list(FIELDS)
        return fields[(fields.index(raw) + 1) % len(fields)]
    if kind in {"d", "Size"}:
        changed = _plus_one(raw)
        assert changed is not None, f"{raw!r} holds no number"
        return changed
    return words.other((definition.location, name), raw)


def mutations(features: Path, root: Path) -> Iterator[Mutation]:
    """Each value of each Then step of each scenario, changed once."""
    definitions = then_definitions(root)
    all_scenarios = list(scenarios(features, root))
    words = Vocabulary(definitions)
    words.learn(all_scenarios)
    done: set[tuple[str, int, str, str]] = set()
    for scenario in all_scenarios:
        for index, step in enumerate(scenario.steps):
            if step.keyword != "Then":
                continue
            for mutation in _step_mutations(scenario, index, step, definitions, words):
                # An outline's rows share their Then steps: each changed text runs once.
                key = (scenario.template, index, mutation.step.text, mutation.what)
                if key not in done:
                    done.add(key)
                    yield mutation


def _step_mutations(
    scenario: Scenario, index: int, step: Step, definitions: list[Definition], words: Vocabulary
) -> Iterator[Mutation]:
    found = matching(definitions, step.text)
    if len(found) != 1:
        raise LookupError(f"{scenario.uri}: Then {step.text} matches {len(found)} definitions")
    definition = found[0]
    names = fields_of(definition)
    result = parsed(definition, step.text) if names else None
    for name, kind in names.items():
        start, end = result.spans[name]
        raw = step.text[start:end]
        new = replacement(kind.split(":")[-1], raw, definition, name, scenario, words)
        text = step.text[:start] + new + step.text[end:]
        if matching(definitions, text) != [definition]:
            raise LookupError(f"changing {raw!r} to {new!r} in 'Then {step.text}' left the step")
        yield Mutation(scenario, index, Step("Then", text, step.table), f"{name}: {raw} -> {new}")
    for row_index, row in enumerate((step.table or [])[1:], start=1):
        for column, cell in enumerate(row):
            new = words.other((step.text, str(column)), cell)
            table = [list(r) for r in step.table or []]
            table[row_index][column] = new
            what = f"row {row_index}, column {column + 1}: {cell} -> {new}"
            yield Mutation(scenario, index, Step("Then", step.text, table), what)
