"""The engine tools call in-process: check a feature given as text, match a step, complete one."""

from __future__ import annotations

from pathlib import Path

from vocabulary_fixture import FEATURE, load


def test_a_feature_given_as_text_gets_hq_spec_check_s_problems_at_their_lines(
    tmp_path: Path,
) -> None:
    vocabulary = load(tmp_path)
    text = FEATURE.replace("When Volt logs in", "Given Volt logs in") + (
        "\n  Scenario: Logging out\n    When Volt logs outt\n"
    )
    problems = vocabulary.check_text(text, "features/draft.feature")
    assert [(p.file, p.line) for p in problems] == [
        ("features/draft.feature", 4),
        ("features/draft.feature", 5),  # And continues the Given above it
        ("features/draft.feature", 9),
        ("features/draft.feature", 10),
    ]
    assert problems[0].message.startswith('"Given Volt logs in" is defined as a When step')
    assert problems[2].message.startswith('two scenarios are named "Logging out" (lines 2 and 9)')
    assert problems[3].message.splitlines()[:3] == [
        '"When Volt logs outt" is not a known step.',
        "Did you mean:",
        f"    When Volt logs out    ({vocabulary.definitions[0].file}:15)",
    ]


def test_unreadable_text_is_one_problem_at_its_line(tmp_path: Path) -> None:
    vocabulary = load(tmp_path)
    problems = vocabulary.check_text(
        "Feature: F\n  Scenario: S\n    Given x\n  Givn y\n", "f.feature"
    )
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (4, "the feature cannot be read")
    ]


def test_matching_binds_as_pytest_bdd_does(tmp_path: Path) -> None:
    vocabulary = load(tmp_path)
    defined = vocabulary.match("when", "an anonymous visitor logs out")
    assert defined.status == "defined"
    assert defined.arguments == {"who": "an anonymous visitor"}
    assert vocabulary.match("then", "Volt logs out").status == "wrong keyword"
    undefined = vocabulary.match("when", "Volt logs outt")
    assert undefined.status == "undefined"
    assert undefined.explanation is not None
    assert undefined.explanation.startswith('"When Volt logs outt" is not a known step.')


def test_completion_offers_the_phrases_a_partial_step_begins_with_their_slots(
    tmp_path: Path,
) -> None:
    vocabulary = load(tmp_path)
    offered = vocabulary.complete("then", "the roster li")
    assert [c.phrase for c in offered] == [
        "the roster lists <names> in that order",
        "the roster lists nobody",
    ]
    first = offered[0]
    assert first.meaning == "The roster shows exactly these heroes, in order."
    assert first.example == "Then the roster lists Volt and Tide in that order"
    assert [slot.name for slot in first.slots] == ["names"]
    assert vocabulary.complete("then", "Volt lo") == []  # When phrases are not offered to a Then
    assert [c.phrase for c in vocabulary.complete("when", "Volt lo")] == [
        "<who> logs out",
        "<who> logs in",
    ]
