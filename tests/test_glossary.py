"""The step glossary lists every definition, and the committed features/GLOSSARY.md is current."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hq_spec.cli import glossary_for
from hq_spec.glossary import as_markdown
from tests.toy_project import make_project

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_glossary_is_current() -> None:
    current = as_markdown(glossary_for(ROOT, ROOT / "features"))
    committed = (ROOT / "features" / "GLOSSARY.md").read_text(encoding="utf-8")
    assert committed == current, "features/GLOSSARY.md is stale: run `make glossary`"


def test_every_real_definition_is_in_the_glossary_with_a_description() -> None:
    glossary = glossary_for(ROOT, ROOT / "features")
    step_files = sorted((ROOT / "steps").glob("*.py"))
    decorators = sum(
        line.lstrip().startswith(("@given(", "@when(", "@then(", "@step("))
        for path in step_files
        for line in path.read_text(encoding="utf-8").splitlines()
    )
    assert len(glossary) == decorators
    assert all(entry["description"] for entry in glossary)
    assert all(entry["uses"] > 0 and entry["example"] for entry in glossary)


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
