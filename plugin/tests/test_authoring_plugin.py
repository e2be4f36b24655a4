"""The authoring plugin at run time: plain failures, did-you-mean, --tags, tags as markers."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from hq_spec.tags import tag_meanings
from toy_project import FEATURE, STEPS, TAGS, WITH_OUTLINE, make_project

pytest_plugins = ["pytester"]

EVIDENCE_STEPS = (
    STEPS
    + '''

from hq_spec.evidence import Evidence, evidence_log


@then("HQ says no after being asked")
def _(request):
    """HQ is asked, then found to agree when it should refuse."""
    evidence_log(request.node).record(Evidence(
        kind="http", actor="Volt", summary="POST /heroes/ -> 201",
        payload={"request": {"method": "POST", "path": "/heroes/", "headers": {}, "body": "{}"},
                 "response": {"status": 201, "headers": {}, "body": '{"id":1}'}},
    ))
    raise Mismatch("HQ to refuse", "HQ agreed")
'''
)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error", *args)


# Where a test counts how often something is said: no short summary at the end, which on CI (where
# the CI variable is set) repeats each failure's whole message, and elsewhere only its first line.
ONLY_THE_FAILURES = "-rN"


def test_a_failure_names_the_step_the_reason_and_the_evidence(pytester: pytest.Pytester) -> None:
    feature = FEATURE.replace(
        "    Then the roster lists Volt\n", "    Then HQ says no after being asked\n"
    )
    make_project(pytester, feature, EVIDENCE_STEPS)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "Step failed: Then HQ says no after being asked",
            "  at features/toy.feature:7",
            "Expected: HQ to refuse",
            "Observed: HQ agreed",
            "Last exchange with HQ:",
            "  POST /heroes/ (by Volt)",
            '  -> 201: {"id": 1}',
            "*--tb=long*",
        ]
    )
    result.stdout.no_fnmatch_line("*def _(request)*")


def test_tb_long_still_shows_the_python_frames(pytester: pytest.Pytester) -> None:
    make_project(pytester, FEATURE.replace("Then the roster lists Volt", "Then HQ says no"))
    result = run(pytester, "--tb=long")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*raise Mismatch*"])
    result.stdout.no_fnmatch_line("Step failed:*")


def test_an_undefined_step_suggests_the_intended_phrase_at_run_time(
    pytester: pytest.Pytester,
) -> None:
    make_project(
        pytester, FEATURE.replace("Then the roster lists Volt", "Then the roster list Volt")
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "Step failed: Then the roster list Volt",
            "  at features/toy.feature:7",
            "Did you mean:",
            "    Then the roster lists Volt    (*toy.py:*)",
        ]
    )
    result.stdout.no_fnmatch_line("*define it*")


MISSPELT_OUTLINE = (
    FEATURE
    + """
  Scenario Outline: <hero> recruits <name>
    Given Volt has joined the roster
    When <hero> <verb> "<name>"

    Examples:
      | hero  | verb     | name |
      | Tide  | recruit  | Volt |
      | Gale  | recruits | Volt |
      | Ember | recrut   | Volt |
      | Storm | recruit  | Volt |
"""
)


def test_a_misspelt_outline_step_is_explained_once_and_its_other_rows_refer_to_it(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester, MISSPELT_OUTLINE)
    explanation = (
        '"When <hero> <verb> "<name>"" is not a known step in 3 of its 4 Examples rows: '
        "line 15 (<hero> = Tide, <verb> = recruit, <name> = Volt), "
        "line 17 (<hero> = Ember, <verb> = recrut, <name> = Volt) and "
        "line 18 (<hero> = Storm, <verb> = recruit, <name> = Volt). "
        'The rows that work use "When <hero> recruits "<name>"" (toy_steps/toy.py:13).'
    )
    result = run(pytester, ONLY_THE_FAILURES)
    result.assert_outcomes(passed=2, failed=3)  # every failing row still fails
    assert result.stdout.lines.count(explanation) == 1
    assert result.stdout.str().count("Did you mean:") == 1
    result.stdout.fnmatch_lines(
        [
            "*test_hero_recruits_name?Tide-recruit-Volt?*",
            'Step failed: When Tide recruit "Volt"',
            "  at features/toy.feature:11",
            "Reason: this step is not in the vocabulary.",
            explanation,
            "Did you mean:",
            '    When <hero> recruits "<name>"    (toy_steps/toy.py:13)',
            "*test_hero_recruits_name?Ember-recrut-Volt?*",
            'Step failed: When Ember recrut "Volt"',
            "  at features/toy.feature:11",
            "Reason: this step is not in the vocabulary.",
            '"When Ember recrut "Volt"" is not a known step. The outline\'s step at '
            "features/toy.feature:11 fails in other rows too; it is explained once, in the "
            "failure of its row at line 15.",
            "",
            "(Python frames are folded away*",
            "*test_hero_recruits_name?Storm-recruit-Volt?*",
            'Step failed: When Storm recruit "Volt"',
            "*it is explained once, in the failure of its row at line 15.",
        ]
    )
    # Word for word what `hq-spec check` says, at the outline's line.
    check = pytester.run(sys.executable, "-m", "hq_spec.cli", "check")
    check.stdout.fnmatch_lines([f"features/toy.feature:11: {explanation}"])


def test_a_misspelt_background_step_is_not_taken_for_an_outline_step(
    pytester: pytest.Pytester,
) -> None:
    background = "  Background:\n    Given Volt has joined the rooster\n\n  Scenario: Recruiting"
    make_project(pytester, WITH_OUTLINE.replace("  Scenario: Recruiting", background))
    result = run(pytester, ONLY_THE_FAILURES)
    result.assert_outcomes(failed=3)  # the scenario and both rows of the outline
    assert (
        result.stdout.str().count('"Given Volt has joined the rooster" is not a known step.') == 3
    )
    result.stdout.no_fnmatch_line("*The outline's step*")


def test_a_phrase_under_the_wrong_keyword_is_explained_as_hq_spec_check_does(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester, FEATURE.replace("Given Volt has joined", "When Volt has joined"))
    explanation = (
        '"When Volt has joined the roster" is defined as a Given step (toy_steps/toy.py:8), '
        "not as a When step. Reword it, or use it where a Given belongs."
    )
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["  at features/toy.feature:5", "*", explanation])
    check = pytester.run(sys.executable, "-m", "hq_spec.cli", "check")
    check.stdout.fnmatch_lines([f"features/toy.feature:5: {explanation}"])


def test_two_scenarios_with_one_name_stop_collection_naming_both_lines(
    pytester: pytest.Pytester,
) -> None:
    make_project(
        pytester, FEATURE + "\n  Scenario: Recruiting Volt\n    Given Volt has joined the roster\n"
    )
    result = run(pytester)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        [
            "*ERROR collecting features/toy.feature*",
            'features/toy.feature:9: two scenarios are named "Recruiting Volt" (lines 4 and 9)*',
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")


def test_an_unlisted_tag_stops_collection_naming_the_nearest_known_tag(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester, FEATURE.replace("@smoke", "@smoak"))
    result = run(pytester, "--strict-markers")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        ["features/toy.feature:2: @smoak is not a known tag; did you mean @smoke?*"]
    )


def test_tags_select_scenarios_by_expression(pytester: pytest.Pytester) -> None:
    second = '\n  @slow\n  Scenario: Recruiting Tide\n    When Volt recruits "Tide"\n'
    make_project(pytester, FEATURE + second)
    run(pytester, "--tags=@smoke and not @slow").assert_outcomes(passed=1, deselected=1)
    run(pytester, "--tags", "slow").assert_outcomes(passed=1, deselected=1)


def test_a_malformed_tag_expression_is_a_clear_usage_error(pytester: pytest.Pytester) -> None:
    make_project(pytester)
    result = run(pytester, "--tags=@smoke and")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--tags '@smoke and' is not a valid tag expression*"])


def test_without_a_tags_file_a_new_tag_never_breaks_strict_markers(
    pytester: pytest.Pytester,
) -> None:
    make_project(
        pytester, "@brand-new\n" + FEATURE, ini="[pytest]\nhq_spec_collect_features = true\n"
    )
    run(pytester, "--strict-markers", "-m", "brand-new").assert_outcomes(passed=1)


# Counts every read of the tags file, whoever reads it, and shows the markers the run registered.
COUNTING_CONFTEST = """
import pathlib

pytest_plugins = ["toy_steps.toy"]
READS = []
_read_text = pathlib.Path.read_text


def _counted(self, *args, **kwargs):
    if self.name == "TAGS.md":
        READS.append(self)
    return _read_text(self, *args, **kwargs)


pathlib.Path.read_text = _counted


def pytest_terminal_summary(terminalreporter, config):
    terminalreporter.write_line(f"tags file read {len(READS)} time(s)")
    for line in config.getini("markers"):
        terminalreporter.write_line(f"marker {line}")
"""


def test_the_tags_file_is_read_once_a_run_however_many_features_bring_new_tags(
    pytester: pytest.Pytester,
) -> None:
    features = make_project(pytester)  # toy.feature brings @smoke
    pytester.makeconftest(COUNTING_CONFTEST)
    (features / "TAGS.md").write_text(TAGS + "- @wip: still being written\n")
    for name, tag in [("gale", "@slow"), ("tide", "@wip"), ("ember", "@unlisted")]:
        tagged = FEATURE.replace("@smoke", tag).replace("Toy roster", f"Toy roster of {name}")
        (features / f"{name}.feature").write_text(tagged)
    result = run(pytester, "--strict-markers", "--continue-on-collection-errors")
    # The unlisted tag stops its feature, as it should; each of the others brings a new tag.
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            "features/ember.feature:2: @unlisted is not a known tag; known tags: @slow, @smoke,*",
            "tags file read 1 time(s)",
        ]
    )
    for meaning in ["slow: takes a while", "wip: still being written", "smoke: the core"]:
        result.stdout.fnmatch_lines([f"marker {meaning}"])


def test_each_tags_file_is_read_for_its_own_meanings(tmp_path: Path) -> None:
    config = cast(pytest.Config, SimpleNamespace(stash=pytest.Stash()))
    fast, slow = tmp_path / "fast.md", tmp_path / "slow.md"
    fast.write_text("- @smoke: the core\n")
    slow.write_text("- @slow: takes a while\n")
    assert tag_meanings(config, fast) == {"smoke": "the core"}
    assert tag_meanings(config, slow) == {"slow": "takes a while"}
    assert tag_meanings(config, None) == {}
    fast.write_text("- @smoke: changed\n")  # read once a run: the first reading stands
    assert tag_meanings(config, fast) == {"smoke": "the core"}


def test_an_async_step_is_refused_with_a_clear_message(pytester: pytest.Pytester) -> None:
    steps = STEPS.replace(
        'def _():\n    """The roster shows Volt."""',
        'async def _():\n    """The roster shows Volt."""',
    )
    # Every scenario using it is refused, not only the first (plain ones are looked at once).
    make_project(pytester, steps=steps, feature=WITH_OUTLINE.replace(
        'When <hero> recruits "Volt"', 'When <hero> recruits "Volt"\n    Then the roster lists Volt'
    ))  # fmt: skip
    result = run(pytester)
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        ['*the step "the roster lists Volt" is defined by an async function (*toy.py:*)*']
    )
    assert sum("is defined by an async function" in line for line in result.stdout.lines) >= 3


def test_a_step_module_missing_from_the_settings_stops_the_run(
    pytester: pytest.Pytester,
) -> None:
    make_project(pytester)
    (pytester.path / "toy_steps" / "extra.py").write_text(
        'from pytest_bdd import given\n\n\n@given("an extra step")\ndef _():\n    """Extra."""\n'
    )
    pytester.makeconftest('pytest_plugins = ["toy_steps.toy", "toy_steps.extra"]\n')
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*toy_steps.extra defines steps but hq_spec_step_modules does not list it*"]
    )


def test_features_bound_by_scenarios_get_the_same_refusals(pytester: pytest.Pytester) -> None:
    make_project(
        pytester,
        FEATURE.replace("@smoke", "@smoak")
        + "\n  Scenario: Recruiting Volt\n    Given Volt has joined the roster\n",
        ini="[pytest]\nhq_spec_step_modules = toy_steps.toy\nhq_spec_tags_file = features/TAGS.md\n",
    )
    pytester.makepyfile(test_toy='from pytest_bdd import scenarios\n\nscenarios("features")\n')
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*features/toy.feature:2: @smoak is not a known tag; did you mean @smoke?*",
            'features/toy.feature:9: two scenarios are named "Recruiting Volt" (lines 4 and 9)*',
        ]
    )
