"""`hq-spec check`: a static check of the feature files against the step vocabulary."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_bdd.gherkin_parser import get_gherkin_document
from pytest_bdd.parser import PARAM_RE

from hq_spec.catalog import (
    Definition,
    UsedStep,
    feature_files,
    load_feature,
    rendered_scenarios,
    used_steps,
)
from hq_spec.suggest import did_you_mean, readable
from hq_spec.tags import TAGS_FILE, known_tags, used_tags


@dataclass(frozen=True)
class Problem:
    """One thing an author must fix, in plain words, at file:line."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def matching(step: UsedStep, definitions: list[Definition]) -> list[Definition]:
    return [d for d in definitions if d.matches(step.text)]


def uses_by_definition(
    steps: list[UsedStep], definitions: list[Definition]
) -> dict[Definition, list[UsedStep]]:
    """The steps that use each definition, in feature order: one pass, each step matched once."""
    found: dict[Definition, list[UsedStep]] = {}
    for step in steps:
        for definition in matching(step, definitions):
            if definition.keyword in (None, step.type):
                found.setdefault(definition, []).append(step)
    return found


def examples_by_definition(
    steps: list[UsedStep], definitions: list[Definition]
) -> dict[Definition, list[str]]:
    """Real lines that use each definition: did-you-mean's clues."""
    return {
        definition: [step.text for step in uses]
        for definition, uses in uses_by_definition(steps, definitions).items()
    }


def check_steps(steps: list[UsedStep], definitions: list[Definition]) -> Iterator[Problem]:
    examples = examples_by_definition(steps, definitions)
    seen: set[tuple[str, str]] = set()
    for step in steps:
        if (step.location, step.text) in seen:
            continue
        seen.add((step.location, step.text))
        candidates = matching(step, definitions)
        bound = [d for d in candidates if d.keyword in (None, step.type)]
        said = f"{step.keyword} {step.text}"
        if len(bound) > 1:
            where = " and ".join(f"{d.location} ({readable(d.phrase)})" for d in bound)
            yield Problem(step.location, f'"{said}" is ambiguous: it matches {where}')
        elif candidates and not bound:
            kinds = ", ".join(f"a {d.keyword_title} step ({d.location})" for d in candidates)
            yield Problem(
                step.location,
                f'"{said}" is defined as {kinds}, not as a {step.type.title()} step. '
                f"Reword it, or use it where a {candidates[0].keyword_title} belongs.",
            )
        elif not candidates:
            suggestion = did_you_mean(step.type, step.text, definitions, examples)
            yield Problem(step.location, f'"{said}" is not a known step.\n{suggestion}')
    used = set(examples) | {d for s in steps for d in matching(s, definitions)}
    for definition in definitions:
        if definition.is_async:
            yield Problem(
                definition.location,
                f'the step "{readable(definition.phrase)}" is an async function; steps must be '
                "plain (synchronous) functions",
            )
        if definition not in used:
            yield Problem(
                definition.location,
                f'the step "{readable(definition.phrase)}" is defined but no scenario uses it',
            )


def _scenario_nodes(children: list[Any]) -> Iterator[Any]:
    for child in children:
        if getattr(child, "scenario", None) is not None:
            yield child.scenario
        if getattr(child, "rule", None) is not None:
            yield from _scenario_nodes(child.rule.children)


def check_feature_structure(path: Path, file: str) -> Iterator[Problem]:
    """Duplicate scenario names and Outline placeholders that no Examples column fills."""
    try:
        document = get_gherkin_document(str(path))
    except Exception as error:  # Gherkin's own parse errors name the line
        yield Problem(file, f"the feature cannot be read: {error}")
        return
    if document.feature is None:
        return
    first_seen: dict[str, int] = {}
    for scenario in _scenario_nodes(document.feature.children):
        line = scenario.location.line
        if scenario.name in first_seen:
            yield Problem(
                f"{file}:{line}",
                f'a second scenario is named "{scenario.name}" (the first is at line '
                f"{first_seen[scenario.name]}); only one of them would run: name each uniquely.",
            )
        else:
            first_seen[scenario.name] = line
    feature = load_feature(path)
    for template in feature.scenarios.values():
        columns = {c for examples in template.examples for c in examples.example_params}
        for _, steps in rendered_scenarios(template):
            for step in steps:
                texts = [step.name, step.docstring or ""]
                if step.datatable is not None:
                    texts += [cell.value for row in step.datatable.rows for cell in row.cells]
                for placeholder in sorted({p for t in texts for p in PARAM_RE.findall(t)}):
                    if placeholder not in columns:
                        yield Problem(
                            f"{file}:{step.line_number}",
                            f"<{placeholder}> is not filled by any Examples column"
                            + (f" (columns: {', '.join(sorted(columns))})" if columns else ""),
                        )
            break  # placeholders left unrendered are the same in every row


def check_tags(features_dir: Path, root: Path) -> Iterator[Problem]:
    known = known_tags(features_dir)
    for tag, places in sorted(used_tags(features_dir).items()):
        if tag not in known:
            place = Path(places[0].rsplit(":", 1)[0])
            location = f"{_relative(place, root)}:{places[0].rsplit(':', 1)[1]}"
            yield Problem(
                location,
                f"@{tag} is not a known tag; known tags: "
                f"{', '.join('@' + k for k in sorted(known)) or 'none'}. "
                f"To introduce it, add a line '- @{tag}: what it means' to features/{TAGS_FILE}.",
            )


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def check(features_dir: Path, definitions: list[Definition], root: Path) -> list[Problem]:
    """Every problem in the features, in file and line order."""
    problems: list[Problem] = []
    steps: list[UsedStep] = []
    for path in feature_files(features_dir):
        structural = list(check_feature_structure(path, _relative(path, root)))
        problems += structural
        if not any("cannot be read" in p.message for p in structural):
            steps += list(used_steps(path, root))
    problems += check_steps(steps, definitions)
    problems += check_tags(features_dir, root)

    def order(problem: Problem) -> tuple[str, int]:
        file, _, line = problem.location.partition(":")
        return file, int(line) if re.fullmatch(r"\d+", line) else 0

    return sorted(problems, key=order)
