"""`hq-spec check` finds each kind of authoring mistake, at file:line, before anything runs."""

from __future__ import annotations

import sys

import pytest

from tests.toy_project import FEATURE, STEPS, make_project

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
            '    When <hero> recruits "<name>"    (steps/toy.py:*)',
            "*@when(phrase('Tide recruts \"{text:Text}\"'))*",
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
            'features/toy.feature:5: "Given Volt has joined the roster" is ambiguous: it matches steps/toy.py:* and steps/toy.py:*'
        ]
    )


def test_a_duplicate_scenario_name_is_caught(pytester: pytest.Pytester) -> None:
    second = "\n  Scenario: Recruiting Volt\n    Given Volt has joined the roster\n"
    make_project(pytester, FEATURE + second)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            'features/toy.feature:9: a second scenario is named "Recruiting Volt" (the first is at line 4)*'
        ]
    )


def test_an_unknown_tag_is_caught(pytester: pytest.Pytester) -> None:
    make_project(pytester, "@wip\n" + FEATURE)
    result = check(pytester)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "features/toy.feature:1: @wip is not a known tag*add a line '- @wip: what it means' to features/TAGS.md*"
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
        ['steps/toy.py:*: the step "HQ says no" is defined but no scenario uses it']
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
        ['steps/toy.py:*: the step "the roster lists Volt" is an async function*']
    )
