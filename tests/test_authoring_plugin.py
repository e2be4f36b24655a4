"""The authoring plugin at run time: plain failures, did-you-mean, --tags, tags as markers."""

from __future__ import annotations

import pytest

from tests.toy_project import FEATURE, STEPS, make_project

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
            '    @then(phrase("the roster list Volt"))',
        ]
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


def test_a_new_tag_never_breaks_strict_markers(pytester: pytest.Pytester) -> None:
    make_project(pytester, "@brand-new\n" + FEATURE)
    run(pytester, "--strict-markers", "-m", "brand-new").assert_outcomes(passed=1)


def test_an_async_step_is_refused_with_a_clear_message(pytester: pytest.Pytester) -> None:
    steps = STEPS.replace(
        'def _():\n    """The roster shows Volt."""',
        'async def _():\n    """The roster shows Volt."""',
    )
    make_project(pytester, steps=steps)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ['*the step "the roster lists Volt" is defined by an async function (*toy.py:*)*']
    )
