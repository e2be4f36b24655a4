"""Why a step cannot run, told at run time in `hq-spec check`'s words: an outline's step once."""

from __future__ import annotations

from pathlib import Path

import pytest

from hq_spec.catalog import Definition, UsedStep
from hq_spec.check import (
    explain_outline_step,
    explain_step,
    matching,
    of_an_outline,
    sort_outline_rows,
)
from hq_spec.feature_sources import sources_of
from hq_spec.gherkin_reading import FeatureUnreadable
from hq_spec.settings import Settings

# An outline step's location -> the line of the Examples row whose failure explained it in full.
EXPLAINED = pytest.StashKey[dict[str, int]]()
# A feature file's outline steps, by line: each with its runs, one per Examples row.
OUTLINE_STEPS = pytest.StashKey[dict[Path, dict[int, list[UsedStep]]]]()


def outline_rows(config: pytest.Config, feature_file: Path, line: int) -> list[UsedStep]:
    """The runs of the step at this line, one per Examples row, if it is a Scenario Outline's own
    step; otherwise none (a Background's step is not rendered for a row, even in an outline).
    Each file is walked once a run, however many of its steps fail."""
    by_file = config.stash.setdefault(OUTLINE_STEPS, {})
    if feature_file not in by_file:
        by_line: dict[int, list[UsedStep]] = {}
        try:
            steps = list(sources_of(config).document(feature_file).steps())
        except (FeatureUnreadable, OSError):
            steps = []
        for step in steps:
            if step.row is not None:
                by_line.setdefault(step.line, []).append(step)
        by_file[feature_file] = by_line
    return by_file[feature_file].get(line, [])


def why_it_cannot_run(
    config: pytest.Config,
    step_type: str,
    said: str,
    text: str,
    *,
    feature_file: Path,
    line: int,
    location: str,
    definitions: list[Definition],
    examples: dict[Definition, list[str]],
) -> str | None:
    """Why the step `said` at `line` of `feature_file` (`location`, as authors see it) cannot run,
    as `hq-spec check` says it. A Scenario Outline's step that no phrase matches is explained in
    full once a run, with the first of its rows to fail (check explains it once, at the outline's
    line); its other failing rows refer back to that."""
    settings = Settings.from_pytest(config)
    # Of the wrong keyword, each wording has its own explanation; a plain step has its own too.
    rows = [] if matching(text, definitions) else outline_rows(config, feature_file, line)
    if rows:
        explained = config.stash.setdefault(EXPLAINED, {})
        if location in explained:
            return (
                f'"{said}" is not a known step. The outline\'s step at {location} fails in other '
                f"rows too; it is explained once, in the failure of its row at line "
                f"{explained[location]}."
            )
        explained[location] = next((r.row.line for r in rows if r.text == text and r.row), line)
        if of_an_outline(rows):  # not one wording for every row
            unknown, running, _ = sort_outline_rows(rows, definitions)
            return explain_outline_step(rows, unknown, running, definitions, examples, settings)
    return explain_step(step_type, said, text, definitions, examples, settings)
