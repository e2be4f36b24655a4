"""Suggestions as an author types: phrases that continue the text, fill-ins finished, And resolved."""

from __future__ import annotations

import pytest

from hq_spec.studio.vocabulary import Vocabulary, effective_keyword
from tests.spec_run import ROOT


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary(ROOT, ROOT / "features")


def inserts(vocabulary: Vocabulary, step_type: str, typed: str) -> list[str]:
    return [s.insert for s in vocabulary.suggest(step_type, typed, near="comms/comms.feature")]


def test_a_name_being_typed_is_finished_from_the_cast(vocabulary: Vocabulary) -> None:
    assert inserts(vocabulary, "given", "an anon")[0].startswith("an anonymous visitor ")
    assert inserts(vocabulary, "given", "Volt and T")[0] == "Volt and Tide are on comms"


def test_words_after_a_name_continue_the_phrase_not_the_name(vocabulary: Vocabulary) -> None:
    continued = inserts(vocabulary, "when", "Volt say")
    assert continued[0] == 'Volt says "<text>"'  # the most used in the feature at hand
    assert all(insert.startswith("Volt says ") for insert in continued)
    assert inserts(vocabulary, "when", 'Volt says "hi')[0] == 'Volt says "hi"'  # quote closed


def test_nothing_is_suggested_for_words_no_phrase_begins_with(vocabulary: Vocabulary) -> None:
    assert inserts(vocabulary, "when", "Volt dances") == []


def test_only_phrases_of_the_step_kind_are_offered(vocabulary: Vocabulary) -> None:
    kinds = {s.keyword for s in vocabulary.suggest("then", "", limit=200)}
    assert kinds <= {"Then", "Step"}
    assert len(vocabulary.suggest("then", "", limit=200)) > 10


def test_a_whole_step_is_recognised_as_its_phrase_first(vocabulary: Vocabulary) -> None:
    first = vocabulary.suggest("then", 'Volt hears "hi"')[0]
    assert first.exact
    assert first.phrase == '<actor> hears "<text>"'
    assert first.meaning
    assert first.example is not None


def test_fill_ins_list_the_kinds_of_message_and_the_fields(vocabulary: Vocabulary) -> None:
    sends = next(s for s in vocabulary.suggest("when", "Volt sends ") if "<message>" in s.insert)
    assert "binary data" in sends.slots[0].options
    files = next(
        s for s in vocabulary.suggest("when", "the quartermaster files Volt's paperwork with the ")
        if "<field>" in s.insert
    )  # fmt: skip
    field = next(slot for slot in files.slots if slot.name == "field")
    assert {"name", "power", "wattage"} <= set(field.options)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Scenario: x", "  Given Volt is on comms"], ("Given", "given")),
        (["Scenario: x", '  When Volt says "a"', '  And Volt says "b"'], ("And", "when")),
        (["Scenario: x", '  Then Volt hears "a"', "  # a note", "  But Tide hea"], ("But", "then")),
        (["Scenario: x", "  And Volt is on comms"], ("And", None)),  # nothing to continue
        (["Feature: x"], ("Feature:", None)),
    ],
)
def test_and_and_but_bind_as_the_step_above_them(
    lines: list[str], expected: tuple[str, str | None]
) -> None:
    assert effective_keyword(lines, len(lines) - 1) == expected
