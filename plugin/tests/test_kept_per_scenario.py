"""What a run keeps of each scenario once it is over: its report, not its working state, and
pytest-bdd's own scenario reports only when one of pytest-bdd's reporters reads them."""

from __future__ import annotations

import json

import pytest

FEATURE = """Feature: Briefing
  Scenario: A briefing
    Given the hero is briefed
    Then the hero knows the plan
"""
STEPS = """
from pytest_bdd import given, scenarios, then
from hq_spec.evidence import Evidence, evidence_log

scenarios("briefing.feature")

@given("the hero is briefed")
def _(request):
    evidence_log(request.node).record(Evidence("note", "Volt", "briefed", {}))

@then("the hero knows the plan")
def _():
    pass

def test_plain(request):
    evidence_log(request.node).record(Evidence("note", "Volt", "a plain test", {}))
"""
# Looks at what the session still holds once every test is over.
INSPECTOR = """
def pytest_sessionfinish(session):
    from pytest_bdd.reporting import scenario_reports_registry
    from hq_spec.authoring_plugin import FAILED_STEP
    from hq_spec.evidence import EVIDENCE_KEY
    from hq_spec.step_recorder import RECORDING

    held = {
        "scenario_reports": len(scenario_reports_registry),
        "working_state": [
            item.name for item in session.items
            if RECORDING in item.stash or EVIDENCE_KEY in item.stash or FAILED_STEP in item.stash
        ],
    }
    print("\\nHELD " + __import__("json").dumps(held))
"""


def held_after(
    pytester: pytest.Pytester, *options: str, steps: str = STEPS, passed: int = 2, failed: int = 0
) -> dict[str, object]:
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    pytester.makefile(".feature", briefing=FEATURE)
    pytester.makepyfile(test_briefing=steps, inspector=INSPECTOR)
    result = pytester.runpytest_subprocess("-p", "inspector", "-s", *options)
    result.assert_outcomes(passed=passed, failed=failed)
    [line] = [line for line in result.outlines if line.startswith("HELD ")]
    held: dict[str, object] = json.loads(line.removeprefix("HELD "))
    return held


def test_pytest_bdd_builds_its_scenario_reports_when_its_cucumber_json_reads_them(
    pytester: pytest.Pytester,
) -> None:
    held = held_after(pytester, "--cucumberjson=cucumber.json")
    assert held["scenario_reports"] == 1
    [feature] = json.loads((pytester.path / "cucumber.json").read_text())
    [scenario] = feature["elements"]
    assert [step["name"] for step in scenario["steps"]] == [
        "the hero is briefed",
        "the hero knows the plan",
    ]
    assert {step["result"]["status"] for step in scenario["steps"]} == {"passed"}


def test_pytest_bdd_builds_its_scenario_reports_for_its_own_terminal_reporter(
    pytester: pytest.Pytester,
) -> None:
    # Without hq_spec's console (which takes the option over), pytest-bdd's reporter is the one on.
    held = held_after(pytester, "-p", "no:hq_spec.console", "--gherkin-terminal-reporter", "-v")
    assert held["scenario_reports"] == 1


@pytest.mark.parametrize("console", [[], ["--gherkin-terminal-reporter"]])
def test_no_scenario_report_is_built_when_none_of_pytest_bdds_reporters_is_on(
    pytester: pytest.Pytester, console: list[str]
) -> None:
    assert held_after(pytester, *console)["scenario_reports"] == 0


def test_an_item_keeps_no_working_state_once_its_test_is_over(pytester: pytest.Pytester) -> None:
    assert held_after(pytester, "--cucumber-messages=run.ndjson")["working_state"] == []
    # What the scenario observed is in the stream all the same.
    lines = (pytester.path / "run.ndjson").read_text().splitlines()
    bodies = [json.loads(line)["attachment"]["body"] for line in lines if '"attachment"' in line]
    assert [json.loads(body)["summary"] for body in bodies] == ["briefed"]


def test_a_failed_scenario_s_item_keeps_no_error_once_its_test_is_over(
    pytester: pytest.Pytester,
) -> None:
    failing = STEPS.replace("def _():\n    pass", "def _():\n    raise AssertionError('no plan')")
    held = held_after(pytester, steps=failing, passed=1, failed=1)
    assert held["working_state"] == []
