"""`hq-spec check` finds each kind of authoring mistake, at file:line, before anything runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hq_spec import check as check_module
from hq_spec.settings import Settings
from hq_spec.tags import known_tags
from toy_project import FEATURE, INI, STEPS, make_project

pytest_plugins = ["pytester"]


def check(pytester: pytest.Pytester) -> pytest.RunResult:
    return pytester.run(sys.executable, "-m", "hq_spec.cli", "check")


def test_a_consistent_project_passes(pytester: pytest.Pytester) -> None:
    make_project(
        pytester,
        FEATURE.replace(
            "    Then the roster lists Volt\n",
            "    Then the roster lists Volt\n    And HQ says no\n",
        ),
    )
    result = check(pytester)
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*consistent with the step vocabulary*"])


def test_a_typo_is_named_with_the_intended_phrase(pytester: pytest.Pytester) -> None:
    make_project(pytester, FEATURE.replace("When Tide recruits", "When Tide recruts"))
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:6: "When Tide recruts "Volt"" is not a known step.',
            "Did you mean:",
            '    When <hero> recruits "<name>"    (toy_steps/toy.py:*)',
        ]
    )


def test_a_new_phrase_is_offered_a_definition_in_a_step_module(pytester: pytest.Pytester) -> None:
    make_project(pytester, FEATURE.replace("When Tide recruits", "When Tide dismisses"))
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:6: "When Tide dismisses "Volt"" is not a known step.',
            "Or, if this is a new phrase, an engineer can define it in toy_steps/toy.py:",
            "    @when(parsers.parse('Tide dismisses \"{text}\"'))",
            "    def _(text: str) -> None:",
        ]
    )


def test_a_keyword_mismatch_is_named_as_such(pytester: pytest.Pytester) -> None:
    make_project(pytester, FEATURE.replace("Given Volt has joined", "When Volt has joined"))
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:5: "When Volt has joined the roster" is defined as a Given step*not as a When step*'
        ]
    )


def test_and_inherits_the_keyword_before_it(pytester: pytest.Pytester) -> None:
    feature = FEATURE.replace("    Then the roster lists Volt\n", "    And the roster lists Volt\n")
    make_project(pytester, feature)
    result = check(pytester)
    result.stdout.fnmatch_lines(
        ['*"And the roster lists Volt" is defined as a Then step*not as a When step*']
    )


def test_an_ambiguous_pair_is_named_with_both_places(pytester: pytest.Pytester) -> None:
    steps = (
        STEPS
        + '\n\n@given(parsers.parse("Volt has joined the {place}"))\ndef _(place):\n    """Volt joins somewhere."""\n'
    )
    make_project(pytester, steps=steps)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:5: "Given Volt has joined the roster" is ambiguous: it matches toy_steps/toy.py:* and toy_steps/toy.py:*'
        ]
    )


def test_a_duplicate_scenario_name_is_caught(pytester: pytest.Pytester) -> None:
    second = "\n  Scenario: Recruiting Volt\n    Given Volt has joined the roster\n"
    make_project(pytester, FEATURE + second)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:9: two scenarios are named "Recruiting Volt" (lines 4 and 9); only one of them would run*'
        ]
    )


def test_an_unknown_tag_is_caught(pytester: pytest.Pytester) -> None:
    make_project(pytester, "@wip\n" + FEATURE)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "features/toy.feature:1: @wip is not a known tag; known tags: @slow, @smoke. To introduce it, add a line '- @wip: what it means' to features/TAGS.md."
        ]
    )


def test_a_misspelt_tag_names_the_nearest_known_tag(pytester: pytest.Pytester) -> None:
    make_project(pytester, FEATURE.replace("@smoke", "@smoak"))
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["features/toy.feature:2: @smoak is not a known tag; did you mean @smoke? known tags:*"]
    )


def test_without_a_tags_file_any_tag_is_welcome(pytester: pytest.Pytester) -> None:
    make_project(
        pytester,
        "@wip\n" + FEATURE + "    And HQ says no\n",
        ini="[pytest]\nhq_spec_step_modules = toy_steps.toy\n",
    )
    result = check(pytester)
    assert result.ret == 0, result.stdout.str()


def test_a_step_that_ignores_a_fill_in_is_named_at_its_line(pytester: pytest.Pytester) -> None:
    steps = STEPS.replace(
        '    assert hero != name, "nobody recruits themselves"\n', "    assert hero\n"
    )
    make_project(pytester, FEATURE + "    And HQ says no\n", steps)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'toy_steps/toy.py:13: the step "<hero> recruits "<name>"" never uses <name>: whatever a scenario writes there is not checked.*'
        ]
    )
    result.stdout.no_fnmatch_line("*never uses <hero>*")


def test_a_fill_in_the_function_does_not_even_take_is_named(pytester: pytest.Pytester) -> None:
    steps = STEPS.replace(
        'def _(hero, name):\n    """Someone recruits a hero by name."""\n    assert hero != name, "nobody recruits themselves"\n',
        'def _(name):\n    """Someone recruits a hero by name."""\n    assert name\n',
    )
    make_project(pytester, FEATURE + "    And HQ says no\n", steps)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["toy_steps/toy.py:13: the step * never uses <hero>:*"])


def test_an_unreadable_feature_is_named_at_its_line_in_plain_words(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester, FEATURE + "  Recruiting Gale\n")
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "features/toy.feature:8: the feature cannot be read: 'Recruiting Gale' cannot stand here; expected * a step*"
        ]
    )


def test_an_unfilled_placeholder_is_caught(pytester: pytest.Pytester) -> None:
    outline = (
        FEATURE.replace("Scenario: Recruiting Volt", "Scenario Outline: Recruiting Volt").replace(
            'When Tide recruits "Volt"', 'When <who> recruits "<name>"'
        )
        + "\n    Examples:\n      | who  |\n      | Tide |\n"
    )
    make_project(pytester, outline)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ["features/toy.feature:6: <name> is not filled by any Examples column (columns: who)"]
    )


def test_an_unused_definition_is_reported(pytester: pytest.Pytester) -> None:
    make_project(pytester)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ['toy_steps/toy.py:*: the step "HQ says no" is defined but no scenario uses it']
    )


def test_an_async_step_is_refused(pytester: pytest.Pytester) -> None:
    steps = STEPS.replace(
        'def _():\n    """The roster shows Volt."""',
        'async def _():\n    """The roster shows Volt."""',
    )
    make_project(
        pytester,
        FEATURE.replace(
            "    Then the roster lists Volt\n",
            "    Then the roster lists Volt\n    And HQ says no\n",
        ),
        steps,
    )
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ['toy_steps/toy.py:*: the step "the roster lists Volt" is an async function*']
    )


AVOIDING = INI + "hq_spec_words_to_avoid =\n    cookies?\n    roster => list of heroes\n"


def test_a_word_the_project_avoids_is_named_at_its_line(pytester: pytest.Pytester) -> None:
    make_project(
        pytester, FEATURE.replace("Recruiting Volt", "Recruiting Volt by cookie"), ini=AVOIDING
    )
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:4: "cookie" is a word this specification avoids',
            'features/toy.feature:5: "roster" is a word this specification avoids; say "list of heroes" instead',
            'toy_steps/toy.py:*: the step "Volt has joined the roster" or its meaning: "roster" is a word *',
        ]
    )


def test_avoided_words_match_whole_words_in_any_case(pytester: pytest.Pytester) -> None:
    make_project(
        pytester,
        FEATURE.replace("Recruiting Volt", "Recruiting COOKIES but not cookiejars")
        + "    And HQ says no\n",
        ini=INI + "hq_spec_words_to_avoid = cookies?\n",
    )
    result = check(pytester)
    assert result.ret == 1
    assert result.stdout.str().count("is a word this specification avoids") == 1, (
        result.stdout.str()
    )
    result.stdout.fnmatch_lines(['features/toy.feature:4: "COOKIES" is a word *'])


OUTLINE = """
@smoke
Feature: Toy roster
  Scenario: Recruiting Volt
    When Tide recruits "Volt"

  Scenario Outline: Recruiting a hero
    Given Volt has joined the roster
    When <recruiter> {verb} "<name>"
    Then the roster lists Volt

    Examples:
      | recruiter | name |
      | Tide      | Volt |
      | Gale      | Tide |
      | Tide      | Sol  |
"""


def test_a_misspelt_outline_step_is_explained_once_for_all_its_rows(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester, OUTLINE.format(verb="recruts"))
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:9: "When <recruiter> recruts "<name>"" is not a known step in '
            "any of its 3 Examples rows.",
            "Did you mean:",
            # In the outline's own terms, with its placeholders: a line that runs with every row.
            '    When <recruiter> recruits "<name>"    (toy_steps/toy.py:*)',
        ]
    )
    assert result.stdout.str().count("is not a known step") == 1
    result.stdout.no_fnmatch_line('*recruts "Sol"*')  # no row's own wording


def test_an_outline_step_that_fails_in_some_rows_names_exactly_those_rows(
    pytester: pytest.Pytester,
) -> None:
    outline = OUTLINE.replace('When <recruiter> {verb} "<name>"', 'When Tide <verb> "Volt"')
    examples = "      | verb     |\n      | recruits |\n      | recruts  |\n      | recruits |\n"
    examples += "      | hires    |\n"
    make_project(pytester, outline.split("      | recruiter")[0] + examples)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:9: "When Tide <verb> "Volt"" is not a known step in 2 of its '
            "4 Examples rows: line 15 (<verb> = recruts) and line 17 (<verb> = hires). "
            'The rows that work use "When <hero> recruits "<name>"" (toy_steps/toy.py:*).',
            "Did you mean:",
        ]
    )
    assert result.stdout.str().count("is not a known step") == 1
    # Other rows run this step: a new definition for it would only make them ambiguous.
    result.stdout.no_fnmatch_line("*an engineer can define it*")


def test_a_new_outline_phrase_is_offered_a_definition_taking_its_placeholders(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester, OUTLINE.format(verb="dismisses"))
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:9: "When <recruiter> dismisses "<name>"" is not a known step '
            "in any of its 3 Examples rows.",
            "Or, if this is a new phrase, an engineer can define it in toy_steps/toy.py:",
            "    @when(parsers.parse('{recruiter} dismisses \"{name}\"'))",
            "    def _(recruiter: str, name: str) -> None:",
        ]
    )


def test_an_outline_step_of_the_wrong_keyword_is_still_named_for_its_row(
    pytester: pytest.Pytester,
) -> None:
    make_project(
        pytester,
        OUTLINE.format(verb="recruits").replace(
            "    Then the roster lists Volt", "    When the roster lists <name>"
        ),
    )
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            '*:10: "When the roster lists Volt" is defined as a Then step*not as a When step*',
            '*:10: "When the roster lists <name>" is not a known step in 2 of its 3 Examples rows: '
            "line 15 (<name> = Tide) and line 16 (<name> = Sol).",
        ]
    )


def test_a_misspelt_step_without_placeholders_in_an_outline_reads_as_anywhere_else(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester, OUTLINE.format(verb="recruits").replace("lists Volt", "lists Voltt"))
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        ['features/toy.feature:10: "Then the roster lists Voltt" is not a known step.']
    )
    assert result.stdout.str().count("is not a known step") == 1


def test_the_tags_file_is_read_once_for_every_feature_checked(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    features = make_project(pytester)  # toy.feature brings @smoke
    for name, tag in [("gale", "@slow"), ("ember", "@unlisted")]:
        (features / f"{name}.feature").write_text(FEATURE.replace("@smoke", tag))
    reads: list[Path | None] = []

    def counted(tags_file: Path | None) -> dict[str, str]:
        reads.append(tags_file)
        return known_tags(tags_file)

    monkeypatch.setattr(check_module, "known_tags", counted)
    problems = check_module.check(Settings.from_project(pytester.path), [])
    assert reads == [features / "TAGS.md"]
    unknown = [p for p in problems if "is not a known tag" in p.message]
    assert [(p.file, p.line) for p in unknown] == [("features/ember.feature", 2)]
