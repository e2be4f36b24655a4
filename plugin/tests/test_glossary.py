"""The step glossary: phrases, meanings and examples, grouped by capability folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hq_spec.glossary import as_markdown, committed_fingerprint, fingerprint
from toy_project import make_project
from vocabulary_fixture import load


def test_the_toy_glossary_lists_each_definition(pytester: pytest.Pytester) -> None:
    make_project(pytester)
    result = pytester.run(sys.executable, "-m", "hq_spec.cli", "steps", "--format", "json")
    glossary = json.loads(result.stdout.str())
    assert [(e["keyword"], e["phrase"], e["uses"]) for e in glossary] == [
        ("Given", "Volt has joined the roster", 1),
        ("When", '{hero} recruits "{name}"', 1),
        ("Then", "the roster lists Volt", 1),
        ("Then", "HQ says no", 0),
    ]
    recruit = glossary[1]
    assert recruit["description"] == "Someone recruits a hero by name."
    assert recruit["example"] == 'When Tide recruits "Volt"'
    assert recruit["example_location"] == "features/toy.feature:6"


def test_the_markdown_groups_phrases_by_capability_folder_without_counts(
    tmp_path: Path,
) -> None:
    vocabulary = load(tmp_path)
    (tmp_path / "features" / "identity" / "README.md").write_text("# Who is who\n\nIntro.\n")
    markdown = as_markdown(
        vocabulary.glossary(), vocabulary.definitions, vocabulary.settings.features
    )
    assert "\n## Who is who\n" in markdown
    assert "- **When** <who> logs out  \n  Someone logs out.  \n  Example: `And Volt logs out`" in (
        markdown
    )
    assert "used" not in markdown.replace("is used", "")
    assert committed_fingerprint(markdown) == fingerprint(vocabulary.definitions)


def test_the_fingerprint_changes_with_a_definition_not_with_a_new_scenario(
    tmp_path: Path,
) -> None:
    first = load(tmp_path / "a")
    more_scenarios = load(
        tmp_path / "b",
        feature=(tmp_path / "a" / "features" / "identity" / "identity.feature").read_text()
        + "\n  Scenario: Twice\n    When Volt logs in\n    And Volt logs in\n",
    )
    assert fingerprint(first.definitions) == fingerprint(more_scenarios.definitions)
    reworded = load(
        tmp_path / "c",
        steps=(next((tmp_path / "a").glob("*.py")))
        .read_text()
        .replace("Someone logs out.", "Someone leaves."),
    )
    assert fingerprint(first.definitions) != fingerprint(reworded.definitions)
