"""`hq-spec check`: a static check of the feature files against the step vocabulary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from hq_spec.catalog import Definition, UsedStep
from hq_spec.feature_sources import FeatureSources
from hq_spec.gherkin_reading import (
    PLACEHOLDER,
    FeatureDocument,
    FeatureUnreadable,
    feature_files,
    relative,
)
from hq_spec.settings import DEFAULT_SNIPPET, Settings
from hq_spec.suggest import did_you_mean, readable
from hq_spec.tags import known_tags, unknown_tag_message
from hq_spec.words import any_of, found_in, parse_all, written_text


@dataclass(frozen=True)
class Problem:
    """One thing an author must fix, in plain words, at file:line."""

    file: str
    line: int | None
    message: str

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def matching(text: str, definitions: Iterable[Definition]) -> list[Definition]:
    return [d for d in definitions if d.matches(text)]


def uses_by_definition(
    steps: Iterable[UsedStep], definitions: list[Definition]
) -> dict[Definition, list[UsedStep]]:
    """The steps that use each definition, in feature order: one pass, each step matched once."""
    found: dict[Definition, list[UsedStep]] = {}
    for step in steps:
        for definition in matching(step.text, definitions):
            if definition.binds_as(step.type):
                found.setdefault(definition, []).append(step)
    return found


def examples_by_definition(
    steps: Iterable[UsedStep], definitions: list[Definition]
) -> dict[Definition, list[str]]:
    """Real lines that use each definition: did-you-mean's clues."""
    return {
        definition: [step.text for step in uses]
        for definition, uses in uses_by_definition(steps, definitions).items()
    }


def explain_step(
    step_type: str,
    said: str,
    text: str,
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]],
    settings: Settings | None = None,
) -> str | None:
    """Why a step cannot run, in the words `hq-spec check` and a failing run both use."""
    candidates = matching(text, definitions)
    bound = [d for d in candidates if d.binds_as(step_type)]
    if len(bound) > 1:
        where = " and ".join(f"{d.location} ({readable(d.phrase)})" for d in bound)
        return f'"{said}" is ambiguous: it matches {where}'
    if candidates and not bound:
        kinds = ", ".join(f"a {d.keyword_title} step ({d.location})" for d in candidates)
        return (
            f'"{said}" is defined as {kinds}, not as a {step_type.title()} step. '
            f"Reword it, or use it where a {candidates[0].keyword_title} belongs."
        )
    if not candidates:
        suggestion = did_you_mean(
            step_type,
            text,
            definitions,
            examples,
            template=settings.snippet_template if settings else DEFAULT_SNIPPET,
            step_modules=settings.step_modules if settings else (),
        )
        return f'"{said}" is not a known step.\n{suggestion}'
    return None


def check_steps(
    steps: list[UsedStep],
    definitions: list[Definition],
    examples: dict[Definition, list[str]],
    settings: Settings | None = None,
) -> Iterator[Problem]:
    seen: set[tuple[str, str]] = set()
    for step in steps:
        if (step.location, step.text) in seen:
            continue
        seen.add((step.location, step.text))
        said = f"{step.keyword} {step.text}"
        message = explain_step(step.type, said, step.text, definitions, examples, settings)
        if message is not None:
            yield Problem(step.file, step.line, message)


def check_definitions(
    definitions: list[Definition], steps: list[UsedStep], settings: Settings | None = None
) -> Iterator[Problem]:
    """Definitions that cannot work as written, never used, or that ignore a fill-in."""
    used = {d for step in steps for d in matching(step.text, definitions)}
    avoided = parse_all(settings.words_to_avoid) if settings is not None else ()
    for definition in definitions:
        file, line, phrase = definition.file, definition.line, readable(definition.phrase)
        for advice in found_in(f"{phrase}\n{definition.description}", avoided):
            yield Problem(file, line, f'the step "{phrase}" or its meaning: {advice}')
        if definition.is_async:
            yield Problem(
                file,
                line,
                f'the step "{phrase}" is an async function; steps must be plain (synchronous) '
                "functions",
            )
        for name in definition.unused_fields():
            yield Problem(
                file,
                line,
                f'the step "{phrase}" never uses <{name}>: whatever a scenario writes there is '
                f"not checked. Compare it with what happened, or make it fixed wording.",
            )
        if definition not in used:
            yield Problem(file, line, f'the step "{phrase}" is defined but no scenario uses it')


def check_document(
    document: FeatureDocument, settings: Settings | None = None
) -> Iterator[Problem]:
    """Scenario names used twice, unfilled placeholders, and tags the tags file does not list."""
    file = document.file
    first_seen: dict[str, int] = {}
    for scenario in document.scenarios():
        line, name = scenario["location"]["line"], scenario["name"]
        if name in first_seen:
            yield Problem(
                file,
                line,
                f'two scenarios are named "{name}" (lines {first_seen[name]} and {line}); only '
                "one of them would run: name each uniquely.",
            )
        else:
            first_seen[name] = line
        columns = {
            cell["value"]
            for examples in scenario.get("examples", [])
            if examples.get("tableHeader")
            for cell in examples["tableHeader"]["cells"]
        }
        if not scenario.get("examples"):
            continue
        for step in scenario["steps"]:
            texts = [step["text"], step.get("docString", {}).get("content", "")]
            texts += [
                c["value"]
                for row in step.get("dataTable", {}).get("rows", [])
                for c in row["cells"]
            ]
            for placeholder in sorted({p for t in texts for p in PLACEHOLDER.findall(t)}):
                if placeholder not in columns:
                    listed = f" (columns: {', '.join(sorted(columns))})" if columns else ""
                    yield Problem(
                        file,
                        step["location"]["line"],
                        f"<{placeholder}> is not filled by any Examples column{listed}",
                    )
    if settings is not None and settings.words_to_avoid:
        avoided = parse_all(settings.words_to_avoid)
        screen = any_of(avoided)
        for line, text in written_text(document.feature):
            if screen is not None and screen.search(text) is None:
                continue  # none of the words: no need to try each
            for advice in found_in(text, avoided):
                yield Problem(file, line, advice)
    if settings is not None and settings.tags_file is not None:
        known = known_tags(settings.tags_file)
        for tag in document.tags():
            if tag.name not in known:
                message = unknown_tag_message(tag.name, known, settings.tags_file, settings.root)
                yield Problem(file, tag.line, message)


def read_or_problem(path: Path, sources: FeatureSources) -> FeatureDocument | Problem:
    try:
        return sources.document(path)
    except FeatureUnreadable as error:
        where = relative(path, sources.root)
        return Problem(where, error.line, f"the feature cannot be read: {error}")


def check(
    settings: Settings, definitions: list[Definition], sources: FeatureSources | None = None
) -> list[Problem]:
    """Every problem in the project's features and step definitions, in file and line order."""
    sources = sources or FeatureSources.of_project(settings.root)
    problems: list[Problem] = []
    steps: list[UsedStep] = []
    for path in feature_files(settings.features):
        document = read_or_problem(path, sources)
        if isinstance(document, Problem):
            problems.append(document)
            continue
        problems += check_document(document, settings)
        steps += document.steps()
    examples = examples_by_definition(steps, definitions)
    problems += check_steps(steps, definitions, examples, settings)
    problems += check_definitions(definitions, steps, settings)
    return sorted(problems, key=lambda p: (p.file, p.line or 0))
