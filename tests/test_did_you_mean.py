"""Did-you-mean on HQ's own vocabulary: the concrete phrase, the unfinished one, the right kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from hq_spec.engine import Vocabulary
from hq_spec.suggest import ranked, suggestions

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.load(ROOT)


def explanation(vocabulary: Vocabulary, step_type: str, text: str) -> str:
    found = vocabulary.match(step_type, text).explanation
    assert found is not None
    return found


def test_a_typo_in_a_cast_name_suggests_the_concrete_phrase(vocabulary: Vocabulary) -> None:
    said = explanation(vocabulary, "when", "an annoymous visitor logs out")
    assert said.splitlines()[2].strip().startswith("When an anonymous visitor logs out    (")
    assert "define it" not in said


def test_an_unfinished_step_points_to_the_phrase_it_begins(vocabulary: Vocabulary) -> None:
    said = explanation(vocabulary, "then", "the roster lists Volt")
    assert said.splitlines()[2].strip().startswith("Then the roster lists <names> in that order")


def test_a_then_is_offered_then_phrases_only(vocabulary: Vocabulary) -> None:
    said = explanation(vocabulary, "then", "the roster is emptyy")
    offered = [line.strip() for line in said.split("Or, if")[0].splitlines()[2:]]
    assert offered
    assert all(line.startswith("Then ") for line in offered)


def test_a_new_phrase_gets_hq_s_snippet_in_the_module_of_its_nearest_phrase(
    vocabulary: Vocabulary,
) -> None:
    said = explanation(vocabulary, "then", "the roster is emptyy")
    assert "an engineer can define it in steps/roster.py:" in said
    assert '    @then(phrase("the roster is emptyy"))' in said
    assert "    def _(agency: Agency) -> None:" in said


def test_did_you_mean_scores_exactly_every_phrase_it_shows(vocabulary: Vocabulary) -> None:
    """Phrases that can be neither shown nor the nearest are not compared in full: what an
    author sees is what comparing every phrase in full shows, over a spread of HQ's steps."""
    steps = list({step.text: step for step in vocabulary.steps}.values())[::25]
    assert len(steps) >= 8
    texts = [(s.type, s.text.replace("e", "ee", 1)) for s in steps]
    texts += [(s.type, s.text.partition(" ")[2]) for s in steps]
    texts += [  # each with two or three close phrases
        ("when", "the the quartermaster files Volt's paperwork without a name"),
        ("when", "Tide dispatches control mission"),
        ("given", "the Sneaky carries no badge"),
    ]
    for step_type, text in texts:
        exact = ranked(step_type, text, vocabulary.definitions, vocabulary.examples)
        close = [s for s in exact[:3] if s.score >= max(0.5, exact[0].score - 0.15)]
        # Nearest first is the hardest order: every other phrase meets the highest bar.
        for definitions in (vocabulary.definitions, [s.definition for s in exact]):
            nearest = ranked(step_type, text, definitions, vocabulary.examples, nearest_only=True)
            assert nearest[0] == exact[0], text
            assert suggestions(step_type, text, definitions, vocabulary.examples) == close, text
