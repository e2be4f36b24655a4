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
    """The runs of the step at this line, one per Examples row, if it is a Scenario Outline's own
    step; otherwise none (a Background's step is not rendered for a row, even in an outline)."""
    try:
        document = sources_of(config).document(feature_file)
    except (FeatureUnreadable, OSError):
        return []
    return [step for step in document.steps() if step.line == line and step.row is not None]


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
    if matching(text, definitions):  # of the wrong keyword: each wording its own explanation
        return explain_step(
            step_type, said, text, definitions, examples, Settings.from_pytest(config)
        )
    explained = config.stash.setdefault(EXPLAINED, {})
    if location in explained:
        return (
            f'"{said}" is not a known step. The outline\'s step at {location} fails in other rows '
            f"too; it is explained once, in the failure of its row at line {explained[location]}."
        )
    settings = Settings.from_pytest(config)
    rows = outline_rows(config, feature_file, line)
    if not rows:
        return explain_step(step_type, said, text, definitions, examples, settings)
    explained[location] = next((r.row.line for r in rows if r.text == text and r.row), line)
    if not of_an_outline(rows):  # one wording for every row: explained as any other step
        return explain_step(step_type, said, text, definitions, examples, settings)
    unknown, running, _ = sort_outline_rows(rows, definitions)
    return explain_outline_step(rows, unknown, running, definitions, examples, settings)
