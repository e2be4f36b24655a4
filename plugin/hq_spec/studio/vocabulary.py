"""The studio's one door to the plugin's engine (hq_spec.engine): load, check, complete, match."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from hq_spec.catalog import Definition, UsedStep, all_used_steps, load_definitions
from hq_spec.check import uses_by_definition
from hq_spec.engine import Vocabulary as Engine
from hq_spec.feature_sources import FeatureSources
from hq_spec.settings import Settings
from hq_spec.studio.completion import Completer, Suggestion

_STEP_KEYWORDS = {"Given": "given", "When": "when", "Then": "then"}
_CONTINUATIONS = ("And", "But", "*")


@dataclass(frozen=True)
class Finding:
    """A problem at a line of the feature being edited, in `hq-spec check`'s words."""

    line: int
    message: str


def effective_keyword(lines: list[str], index: int) -> tuple[str, str | None]:
    """The keyword written on a line, and what it binds as (And/But inherit from above)."""
    words = lines[index].strip().split(" ", 1)
    written = words[0] if words else ""
    if written in _STEP_KEYWORDS:
        return written, _STEP_KEYWORDS[written]
    if written not in _CONTINUATIONS:
        return written, None
    for above in range(index - 1, -1, -1):
        first = lines[above].strip().split(" ", 1)[0]
        if first in _STEP_KEYWORDS:
            return written, _STEP_KEYWORDS[first]
        if first.endswith(":") or first.startswith("@"):
            break  # a new scenario, background or examples: nothing to continue
    return written, None


class Vocabulary:
    """A project's step vocabulary, loaded once, with the checks and suggestions built on it."""

    def __init__(self, root: Path, features_dir: Path) -> None:
        self.root = root.resolve()
        self.features_dir = features_dir.resolve()
        if str(self.root) not in sys.path:
            sys.path.insert(0, str(self.root))
        self.settings = Settings.from_project(self.root)
        self.definitions = load_definitions(self.settings.step_modules, self.root)
        steps = self._all_steps()
        self.engine = Engine(self.settings, self.definitions, steps)
        # Did-you-mean's clues and each phrase's beginnings, made now, not at the first check.
        self.engine.prepare()
        uses = uses_by_definition(steps, self.definitions)
        files = {
            d: Counter(self._inside_features(use.file) for use in uses.get(d, []))
            for d in self.definitions
        }
        self.completer = Completer(self.definitions, uses, files)

    def _inside_features(self, file: str) -> str:
        """A used step's file as the page names it: inside features/ (`comms/comms.feature`)."""
        path = (self.root / file).resolve()
        try:
            return path.relative_to(self.features_dir).as_posix()
        except ValueError:
            return file

    def _all_steps(self) -> list[UsedStep]:
        try:
            return all_used_steps(self.features_dir, FeatureSources.of_project(self.root))
        except Exception:  # a malformed feature on disk must not keep the studio from starting
            return []

    def close(self) -> None:
        """Nothing to release: checks run in memory (kept for callers that close a vocabulary)."""

    def suggest(
        self, step_type: str | None, typed: str, *, near: str | None = None, limit: int = 10
    ) -> list[Suggestion]:
        """Phrases that continue what was typed (see `Completer.suggest`)."""
        return self.completer.suggest(step_type, typed, near=near, limit=limit)

    def matching(self, step_type: str, text: str) -> list[Definition]:
        """The definitions pytest-bdd would bind this step to."""
        return self.engine.match(step_type, text).definitions

    def check(self, relative: str, text: str) -> list[Finding]:
        """Every problem `hq-spec check` reports in this feature, by line (the engine's check)."""
        problems = self.engine.check_text(text, relative)
        return sorted(
            {Finding(problem.line or 1, problem.message) for problem in problems},
            key=lambda finding: (finding.line, finding.message),
        )
