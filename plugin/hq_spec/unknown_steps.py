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


def outline_rows(config: pytest.Config, feature_file: Path, line: int) -> list[UsedStep]:
    """The runs of the step at this line, one per Examples row, if it is a Scenario Outline's
    own step (not a Background's, which every scenario runs); otherwise none."""
    try:
        document = sources_of(config).document(feature_file)
    except (FeatureUnreadable, OSError):
        return []
    outline_lines = {
        step["location"]["line"]
        for scenario in document.scenarios()
        if scenario.get("examples")
        for step in scenario["steps"]
    }
    if line not in outline_lines:
        return []
    return [step for step in document.steps() if step.line == line and step.row is not None]


def why_it_cannot_run(
    config: pytest.Config,
    step_type: str,
    said: str,
    text: str,
    where: tuple[Path, int, str],
    definitions: list[Definition],
    examples: dict[Definition, list[str]],
) -> str | None:
    """Why this step cannot run, as `hq-spec check` says it. A step of a Scenario Outline that no
    phrase matches is explained in full once a run (with the first of its rows to fail: check
    explains it once, at the outline's line); its other failing rows refer back to that.

    `where` is the feature file, the step's line in it and its `file:line` as shown to authors.
    """
    feature_file, line, location = where
    settings = Settings.from_pytest(config)
    rows = [] if matching(text, definitions) else outline_rows(config, feature_file, line)
    if not rows:
        return explain_step(step_type, said, text, definitions, examples, settings)
    explained = config.stash.setdefault(EXPLAINED, {})
    if location in explained:
        return (
            f'"{said}" is not a known step. The outline\'s step at {location} fails in other rows '
            f"too; it is explained once, in the failure of its row at line {explained[location]}."
        )
    explained[location] = next((r.row.line for r in rows if r.text == text and r.row), line)
    if not of_an_outline(rows):  # one wording for every row: explained as any other step
        return explain_step(step_type, said, text, definitions, examples, settings)
    unknown, running, _ = sort_outline_rows(rows, definitions)
    return explain_outline_step(rows, unknown, running, definitions, examples, settings)
