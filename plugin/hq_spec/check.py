"""`hq-spec check`: a static check of the feature files against the step vocabulary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hq_spec.catalog import Definition, UsedStep
from hq_spec.feature_sources import FeatureSources, ParsedFeature
from hq_spec.gherkin_reading import (
    PLACEHOLDER,
    FeatureDocument,
    FeatureUnreadable,
    Values,
    feature_files,
    relative,
)
from hq_spec.settings import DEFAULT_SNIPPET, Settings
from hq_spec.suggest import Outline, did_you_mean, readable
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


def explain_binding(step_type: str, said: str, candidates: Sequence[Definition]) -> str | None:
    """Why a step that phrases match cannot run: it matches several, or only another kind's."""
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
    return None


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
    if candidates:
        return explain_binding(step_type, said, candidates)
    suggestion = did_you_mean(step_type, text, definitions, examples, **_snippet_options(settings))
    return f'"{said}" is not a known step.\n{suggestion}'


def _snippet_options(settings: Settings | None) -> dict[str, Any]:
    """Where, and in what shape, did-you-mean offers a definition for a new phrase."""
    if settings is None:
        return {"template": DEFAULT_SNIPPET, "step_modules": ()}
    return {"template": settings.snippet_template, "step_modules": settings.step_modules}


def _row_values(step: UsedStep) -> Values:
    return step.row.values if step.row is not None else ()


def _rows_named(steps: Sequence[UsedStep], columns: Sequence[str]) -> str:
    """'line 20 (<wattage> = "9001") and line 25 (<wattage> = lots)': rows, by what they fill."""
    named = []
    for step in steps:
        filled = ", ".join(
            f"<{column}> = {value or '(empty)'}"
            for column, value in _row_values(step)
            if column in columns
        )
        line = step.row.line if step.row is not None else step.line
        named.append(f"line {line} ({filled})" if filled else f"line {line}")
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"


def explain_outline_step(
    rows: Sequence[UsedStep],
    unknown: Sequence[UsedStep],
    running: Sequence[Definition],
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]],
    settings: Settings | None = None,
) -> str:
    """Why an outline's step is not a known step in some or all of its Examples rows: once for the
    step as written, naming the rows when only some fail; did-you-mean searched once."""
    step = rows[0]
    outline = Outline(step.written, tuple(_row_values(row) for row in rows))
    said = f'"{step.keyword} {step.written}" is not a known step'
    if len(unknown) == len(rows):
        where = (
            "in its only Examples row"
            if len(rows) == 1
            else f"in any of its {len(rows)} Examples rows"
        )
        first = f"{said} {where}."
    else:
        named = _rows_named(unknown, outline.columns)
        first = f"{said} in {len(unknown)} of its {len(rows)} Examples rows: {named}."
        if running:
            uses = " and ".join(
                f'"{d.keyword_title} {readable(d.phrase)}" ({d.location})' for d in running
            )
            first += f" The rows that work use {uses}."
    suggestion = did_you_mean(
        step.type,
        unknown[0].text,
        definitions,
        examples,
        outline=outline,
        values=_row_values(unknown[0]),
        new_phrase=not running,  # rows that run it would become ambiguous
        **_snippet_options(settings),
    )
    return f"{first}\n{suggestion}"


def check_outline_step(
    rows: Sequence[UsedStep],
    definitions: Sequence[Definition],
    examples: dict[Definition, list[str]],
    settings: Settings | None = None,
) -> Iterator[Problem]:
    """One step of a Scenario Outline, given in each of its rows: the rows no phrase matches are
    one problem; a row that is ambiguous or of the wrong keyword is its own, as anywhere else."""
    unknown, running, problems = sort_outline_rows(rows, definitions)
    yield from problems
    if unknown:
        message = explain_outline_step(rows, unknown, running, definitions, examples, settings)
        yield Problem(rows[0].file, rows[0].line, message)


def sort_outline_rows(
    rows: Sequence[UsedStep], definitions: Sequence[Definition]
) -> tuple[list[UsedStep], list[Definition], list[Problem]]:
    """An outline step's rows by fate: those no phrase matches, the phrases the working rows run,
    and the problem of each wording that is ambiguous or of the wrong keyword."""
    by_text: dict[str, list[UsedStep]] = {}
    for row in rows:
        by_text.setdefault(row.text, []).append(row)
    unknown: list[UsedStep] = []
    running: list[Definition] = []
    problems: list[Problem] = []
    for text, same in by_text.items():
        candidates = matching(text, definitions)
        if not candidates:
            unknown += same
            continue
        step = same[0]
        message = explain_binding(step.type, f"{step.keyword} {text}", candidates)
        if message is not None:
            problems.append(Problem(step.file, step.line, message))
        else:  # the one phrase these rows run
            bound = next(d for d in candidates if d.binds_as(step.type))
            running += [bound] if bound not in running else []
    return unknown, running, problems


def of_an_outline(steps: Sequence[UsedStep]) -> bool:
    """Whether a line's steps were filled in from Examples rows (not one wording for all)."""
    return any(step.row is not None and step.text != step.written for step in steps)


def check_steps(
    steps: list[UsedStep],
    definitions: list[Definition],
    examples: dict[Definition, list[str]],
    settings: Settings | None = None,
) -> Iterator[Problem]:
    """Each step line once: once per wording, or once for an outline's rows it fails in."""
    by_line: dict[str, list[UsedStep]] = {}
    for step in steps:
        by_line.setdefault(step.location, []).append(step)
    for uses in by_line.values():
        if of_an_outline(uses):
            yield from check_outline_step(uses, definitions, examples, settings)
            continue
        wordings: set[str] = set()
        for step in uses:
            if step.text in wordings:
                continue
            wordings.add(step.text)
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
    document: FeatureDocument,
    settings: Settings | None = None,
    tag_meanings: Mapping[str, str] | None = None,
) -> Iterator[Problem]:
    """Scenario names used twice, unfilled placeholders, and tags the tags file does not list
    (`tag_meanings`, when the caller has read the tags file already for all its features)."""
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
        known = known_tags(settings.tags_file) if tag_meanings is None else tag_meanings
        for tag in document.tags():
            if tag.name not in known:
                message = unknown_tag_message(tag.name, known, settings.tags_file, settings.root)
                yield Problem(file, tag.line, message)


def parsed_or_problem(path: Path, sources: FeatureSources) -> ParsedFeature | Problem:
    """A feature file's parse, or why it cannot be read."""
    try:
        return sources.read(path)
    except FeatureUnreadable as error:
        where = relative(path, sources.root)
        return Problem(where, error.line, f"the feature cannot be read: {error}")


def read_or_problem(path: Path, sources: FeatureSources) -> FeatureDocument | Problem:
    parsed = parsed_or_problem(path, sources)
    return parsed if isinstance(parsed, Problem) else parsed.as_document()


def check(
    settings: Settings, definitions: list[Definition], sources: FeatureSources | None = None
) -> list[Problem]:
    """Every problem in the project's features and step definitions, in file and line order."""
    sources = sources or FeatureSources.of_project(settings.root)
    problems: list[Problem] = []
    steps: list[UsedStep] = []
    meanings = known_tags(settings.tags_file)  # every feature is checked against one reading
    for path in feature_files(settings.features):
        document = read_or_problem(path, sources)
        if isinstance(document, Problem):
            problems.append(document)
            continue
        problems += check_document(document, settings, tag_meanings=meanings)
        steps += document.steps()
    examples = examples_by_definition(steps, definitions)
    problems += check_steps(steps, definitions, examples, settings)
    problems += check_definitions(definitions, steps, settings)
    return sorted(problems, key=lambda p: (p.file, p.line or 0))
