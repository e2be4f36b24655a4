"""HQ's committed glossary: current with the step definitions, whatever scenarios are added."""

from __future__ import annotations

from pathlib import Path

from hq_spec.engine import Vocabulary
from hq_spec.glossary import committed_fingerprint, fingerprint

ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_glossary_matches_the_step_definitions() -> None:
    vocabulary = Vocabulary.load(ROOT)
    committed = (ROOT / "features" / "GLOSSARY.md").read_text(encoding="utf-8")
    assert committed_fingerprint(committed) == fingerprint(vocabulary.definitions), (
        "a step definition changed since features/GLOSSARY.md was written: run `make glossary`"
    )


def test_every_real_definition_is_in_the_glossary_with_a_description_and_an_example() -> None:
    glossary = Vocabulary.load(ROOT).glossary()
    step_files = sorted((ROOT / "steps").glob("*.py"))
    decorators = sum(
        line.lstrip().startswith(("@given(", "@when(", "@then(", "@step("))
        for path in step_files
        for line in path.read_text(encoding="utf-8").splitlines()
    )
    assert len(glossary) == decorators
    assert all(entry["description"] for entry in glossary)
    assert all(entry["uses"] > 0 and entry["example"] for entry in glossary)
