"""The engine `hq-spec check`, the glossary and the studio share: one project's vocabulary.

    vocabulary = Vocabulary.load(Path("."))            # imports the configured step modules
    vocabulary.check_text(text, "features/x.feature")  # -> [Problem(file, line, message)]
    vocabulary.complete("then", "the roster li")       # -> [Completion(...)]
    vocabulary.match("then", "the roster lists Volt")  # -> StepMatch(...)

Matching is pytest-bdd's own (each definition's parser, and its given/when/then binding), so a
step the engine accepts is a step that runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hq_spec.catalog import Definition, Slot, UsedStep, all_used_steps, load_definitions
from hq_spec.check import (
    Problem,
    check,
    check_document,
    check_steps,
    examples_by_definition,
    explain_step,
    matching,
    uses_by_definition,
)
from hq_spec.feature_sources import FeatureSources
from hq_spec.gherkin_reading import FeatureUnreadable, read_feature
from hq_spec.glossary import entries
from hq_spec.partial import compile_beginnings, is_start_of
from hq_spec.settings import Settings
from hq_spec.suggest import readable

MatchStatus = Literal["defined", "undefined", "ambiguous", "wrong keyword"]


@dataclass(frozen=True)
class StepMatch:
    """How pytest-bdd would bind one step: to which definition, with which fill-ins, or why not."""

    status: MatchStatus
    definitions: list[Definition]  # the one bound, the competing ones, or those of another kind
    arguments: dict[str, Any]  # the fill-ins as the step function receives them (when defined)
    explanation: str | None  # the words `hq-spec check` uses, when the step cannot run


@dataclass(frozen=True)
class Completion:
    """A phrase that can continue what the author has typed."""

    keyword: str  # Given, When, Then (or Step for a phrase any keyword may use)
    phrase: str  # with <fill-ins>
    meaning: str
    example: str | None  # a real line of the features that uses it
    slots: list[Slot]
    location: str  # the definition's file:line


@dataclass
class Vocabulary:
    """A project's step definitions, and how its features use them."""

    settings: Settings
    definitions: list[Definition]
    steps: list[UsedStep] = field(default_factory=list)
    # The feature files as read for `steps`: `check` reads them from here, not a second time.
    sources: FeatureSources | None = field(default=None, repr=False)

    @classmethod
    def load(cls, root: Path, settings: Settings | None = None) -> Vocabulary:
        """Import the configured step modules and read the features (once; reuse the result)."""
        settings = settings or Settings.from_project(root)
        definitions = load_definitions(settings.step_modules, root)
        sources = FeatureSources.of_project(settings.root)
        steps = all_used_steps(settings.features, sources)
        return cls(settings, definitions, steps, sources)

    _examples: dict[Definition, list[str]] | None = field(default=None, repr=False)

    @property
    def examples(self) -> dict[Definition, list[str]]:
        """Real lines using each definition (found once: matching every step takes a while)."""
        if self._examples is None:
            self._examples = examples_by_definition(self.steps, self.definitions)
        return self._examples

    def prepare(self) -> None:
        """Do now what the first did-you-mean would otherwise do: find the examples (kept with
        this vocabulary), and compile each phrase's beginnings (kept in partial's cache of
        compiled beginnings, by the phrase itself, so they cannot go stale either)."""
        for definition in self.definitions:
            compile_beginnings(definition)
        self.examples  # noqa: B018 - found once and kept

    def check(self) -> list[Problem]:
        """Every problem in the whole project: what `hq-spec check` prints."""
        return check(self.settings, self.definitions, self.sources)

    def check_text(self, text: str, path: str) -> list[Problem]:
        """The problems of one feature given as text (unsaved), located at `path`."""
        try:
            document = read_feature(text, path)
        except FeatureUnreadable as error:
            return [Problem(path, error.line, f"the feature cannot be read: {error}")]
        steps = list(document.steps())
        problems = list(check_document(document, self.settings))
        problems += check_steps(steps, self.definitions, self.examples, self.settings)
        return sorted(problems, key=lambda p: p.line or 0)

    def match(self, step_type: str, text: str, keyword: str | None = None) -> StepMatch:
        """Bind one step (`step_type` is given, when or then; And/But continue the one before)."""
        said = f"{keyword or step_type.title()} {text}"
        candidates = matching(text, self.definitions)
        bound = [d for d in candidates if d.binds_as(step_type)]
        if len(bound) == 1:
            return StepMatch("defined", bound, bound[0].arguments(text), None)
        explanation = explain_step(
            step_type, said, text, self.definitions, self.examples, self.settings
        )
        if len(bound) > 1:
            return StepMatch("ambiguous", bound, {}, explanation)
        if candidates:
            return StepMatch("wrong keyword", candidates, {}, explanation)
        return StepMatch("undefined", [], {}, explanation)

    def complete(self, step_type: str, partial: str, *, limit: int = 20) -> list[Completion]:
        """Phrases of this kind that the partial text begins (all of them for empty text)."""
        uses = uses_by_definition(self.steps, self.definitions)
        found = []
        for definition in self.definitions:
            if not definition.binds_as(step_type):
                continue
            if partial.strip() and not (
                is_start_of(definition, partial) or definition.matches(partial)
            ):
                continue
            example = uses.get(definition, [])
            found.append(
                Completion(
                    keyword=definition.keyword_title,
                    phrase=readable(definition.phrase),
                    meaning=definition.description,
                    example=f"{example[0].keyword} {example[0].text}" if example else None,
                    slots=definition.slots,
                    location=definition.location,
                )
            )
        return found[:limit]

    def glossary(self) -> list[dict[str, Any]]:
        """The glossary entries (phrase, meaning, example, uses, capability folder...)."""
        return entries(self.definitions, self.steps, self.settings.features, self.settings.root)
