"""Cucumber's own tools read the stream: the official schema, @cucumber/query, and the official
HTML report in Chromium; and no secret reaches the stream, the console or either page."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cucumber_tools import (
    install_tools,
    official_report,
    open_in_chromium,
    passed_steps_and_definitions,
    schema_errors,
)
from hq_spec.report import write_report

FEATURE = '''\
Feature: Gate
  Heroes show badges and passes at the gate.

  Background:
    Given the gate is open

  Scenario: Volt counts badges
    When Volt shows 3 badges
    Then the gate logs
      | hero | badges |
      | Volt | 3      |

  Scenario: Passes in every spelling
    When the heroes show their badges and passes
    Then the gate says
      """
      welcome
      """

  Scenario: A pass is read back to its owner
    When the heroes show their badges and passes
    Then the gate reads the last pass aloud

  Scenario: Nobody wrote this step
    When Volt whistles

  Scenario: The gate jams before anyone arrives
    Given the gate jams

  Rule: Regulars are waved through

    Scenario Outline: <hero> is a regular
      When <hero> arrives at gate 7
      Then <hero> is waved through

      Examples:
        | hero |
        | Tide |
        | Gale |
'''

# One raw value per spelling; none may appear in any output.
BADGES = {"X-HQ-Badge": "badge-alpha-4711", "x-hq-badge": "badge-bravo-4712",
          "X-Hq-BADGE": "badge-charlie-4713"}  # fmt: skip
PASSES = {"lauren_session": "pass-delta-9001", "LAUREN_SESSION": "pass-echo-9002",
          "Lauren_Session": "pass-foxtrot-9003"}  # fmt: skip
SET_COOKIE = ("LAUREN_SESSION", "pass-golf-9004")
SECRETS = [*BADGES.values(), *PASSES.values(), SET_COOKIE[1]]

STEPS = f'''\
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from hq_spec.evidence import Evidence, evidence_log
from hq_spec.pending import pending

scenarios("features/gate.feature")
BADGES = {BADGES!r}
PASSES = {PASSES!r}
SET_COOKIE = {SET_COOKIE!r}


@given("the gate is open")
def _():
    """The gate opens."""


@given("the gate jams")
def _():
    """Nothing to do: the jam is a fixture's."""


@pytest.fixture
def jammed_gate(request):
    if "jams" in request.node.name:
        raise RuntimeError("the gate is jammed")


@pytest.fixture(autouse=True)
def gate(jammed_gate):
    return "gate"


@when(parsers.parse("{{hero}} shows {{count:d}} badges"))
def _(hero, count):
    """A hero shows some badges."""
    assert count == 3


@then("the gate logs")
def _(datatable):
    """The gate writes down who came."""


@when("the heroes show their badges and passes")
def _(request):
    """Every spelling of the badge header and of the pass cookie, sent and answered."""
    for name, value in BADGES.items():
        headers = [(name, value), ("Cookie", "; ".join(f"{{k}}={{v}}" for k, v in PASSES.items()))]
        answer = {{"status": 200, "headers": [("Set-Cookie", "=".join(SET_COOKIE) + "; Path=/")],
                  "body": "you showed " + value}}
        evidence_log(request.node).record(
            Evidence("http", "Volt", f"GET /gate -> 200", {{"request": {{"headers": headers}},
                                                         "response": answer}})
        )


@then("the gate says")
def _(docstring):
    """The gate speaks."""
    pending("the gate cannot speak yet")


@then("the gate reads the last pass aloud")
def _():
    """A careless check that quotes a secret in its failure."""
    raise AssertionError("the gate read " + SET_COOKIE[1] + " aloud")


@when(parsers.re(r"(?P<hero>\\w+) arrives at gate (?P<gate>\\d+)"))
def _(hero, gate):
    """A hero arrives."""


@then(parsers.parse("{{hero}} is waved through"))
def _(hero):
    """Regulars pass, except Gale today."""
    assert hero != "Gale", "Gale forgot the pass"
'''

INI = """\
[pytest]
hq_spec_mask_headers = X-HQ-Badge
hq_spec_mask_cookies = lauren_session
"""

# pytest's verdicts, and the test cases Cucumber should count, for the project above.
CASES = 7
PASSED_CASES = 2  # "Volt counts badges" and "Tide is a regular"
STEP_COUNT = 3 + 3 + 3 + 2 + 2 + 3 + 3  # every pickle step, backgrounds included


@dataclass
class GateRun:
    folder: Path
    messages: Path
    console: str

    def envelopes(self) -> list[dict[str, Any]]:
        lines = self.messages.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def gate_run(tmp_path_factory: pytest.TempPathFactory) -> GateRun:
    """The project run once, on two xdist workers, with the stream and the console on."""
    install_tools()
    folder = tmp_path_factory.mktemp("gate")
    (folder / "features").mkdir()
    (folder / "features" / "gate.feature").write_text(FEATURE, encoding="utf-8")
    (folder / "test_gate.py").write_text(STEPS, encoding="utf-8")
    (folder / "pytest.ini").write_text(INI, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "hq_spec.messages_plugin", "-p", "hq_spec.console",
         "-p", "no:cacheprovider", "--gherkin-terminal-reporter", "-v", "-n", "2",
         "--cucumber-messages=messages.ndjson", "-W", "error"],
        cwd=folder, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert completed.returncode == 1, completed.stdout[-3000:] + completed.stderr[-3000:]
    return GateRun(folder, folder / "messages.ndjson", completed.stdout + completed.stderr)


def test_the_stream_passes_the_official_messages_schema(gate_run: GateRun) -> None:
    assert schema_errors(gate_run.messages) == []


def test_the_schema_check_would_catch_a_malformed_message(gate_run: GateRun) -> None:
    broken = gate_run.folder / "broken.ndjson"
    lines = gate_run.messages.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([*lines, '{"testStepFinished": {"testStepId": 7}}']) + "\n")
    assert len(schema_errors(broken)) >= 1


def test_cucumber_query_finds_the_step_definition_of_every_passed_step(gate_run: GateRun) -> None:
    steps = passed_steps_and_definitions(gate_run.messages)
    assert [step for step in steps if step["hook"]] == []
    assert all(len(step["definitions"]) == 1 for step in steps), steps
    found = {step["text"]: step["definitions"][0] for step in steps}
    assert found["Volt shows 3 badges"].startswith("test_gate.py:")
    assert found["Volt shows 3 badges"].endswith(" {hero} shows {count:d} badges")
    assert found["Tide arrives at gate 7"].endswith(r" (?P<hero>\w+) arrives at gate (?P<gate>\d+)")
    line = int(found["the gate is open"].split(":")[1].split()[0])
    source = (gate_run.folder / "test_gate.py").read_text(encoding="utf-8").splitlines()
    assert source[line - 1] == '@given("the gate is open")'


def test_parameters_are_located_in_the_step_text(gate_run: GateRun) -> None:
    test_steps = [
        step for e in gate_run.envelopes() if "testCase" in e for step in e["testCase"]["testSteps"]
    ]
    pickle_steps = {
        step["id"]: step["text"] for e in gate_run.envelopes() if "pickle" in e
        for step in e["pickle"]["steps"]
    }  # fmt: skip
    located = {
        pickle_steps[step["pickleStepId"]]: [
            (argument["group"]["value"], argument["group"]["start"], argument["parameterTypeName"])
            for argument in step["stepMatchArgumentsLists"][0]["stepMatchArguments"]
        ]
        for step in test_steps
        if step.get("stepDefinitionIds")
    }
    assert located["Volt shows 3 badges"] == [("Volt", 0, "string"), ("3", 11, "d")]
    assert located["Gale arrives at gate 7"] == [("Gale", 0, "hero"), ("7", 21, "gate")]
    assert located["the gate is open"] == []


def test_an_undefined_step_names_no_definition(gate_run: GateRun) -> None:
    envelopes = gate_run.envelopes()
    whistle = next(
        step["id"] for e in envelopes if "pickle" in e for step in e["pickle"]["steps"]
        if step["text"] == "Volt whistles"
    )  # fmt: skip
    [test_step] = [
        step for e in envelopes if "testCase" in e for step in e["testCase"]["testSteps"]
        if step.get("pickleStepId") == whistle
    ]  # fmt: skip
    assert test_step["stepDefinitionIds"] == []


def test_a_failing_fixture_is_a_hook_pointing_at_its_code(gate_run: GateRun) -> None:
    [hook] = [e["hook"] for e in gate_run.envelopes() if "hook" in e]
    assert hook["type"] == "BEFORE_TEST_CASE"
    reference = hook["sourceReference"]
    source = (gate_run.folder / "test_gate.py").read_text(encoding="utf-8").splitlines()
    assert reference["uri"] == "test_gate.py"
    assert source[reference["location"]["line"] - 1].strip() == (
        'raise RuntimeError("the gate is jammed")'
    )


def test_envelopes_come_in_time_order_across_workers(gate_run: GateRun) -> None:
    envelopes = gate_run.envelopes()
    moments = [
        (stamp["seconds"], stamp["nanos"])
        for envelope in envelopes
        for message in envelope.values()
        if isinstance(message, dict) and (stamp := message.get("timestamp"))
    ]
    assert moments == sorted(moments)
    workers = {e["testCaseStarted"].get("workerId") for e in envelopes if "testCaseStarted" in e}
    assert workers == {"gw0", "gw1"}


def test_meta_names_the_plugin_not_pytest_bdd(gate_run: GateRun) -> None:
    [meta] = [e["meta"] for e in gate_run.envelopes() if "meta" in e]
    assert meta["implementation"]["name"] == "hq-spec"


def test_the_official_report_shows_the_right_counts_without_errors(gate_run: GateRun) -> None:
    html = official_report(gate_run.messages, gate_run.folder / "cucumber.html")
    shown = open_in_chromium(html)
    assert shown.console_errors == []
    assert f"({PASSED_CASES} / {CASES}) passed" in shown.status_line
    assert len(shown.step_lines) == STEP_COUNT
    assert any(line.startswith("Then the gate logs") for line in shown.step_lines)  # + duration
    assert "GET /gate -> 200" in shown.text  # evidence, titled by its summary
    # Parameters are highlighted: the report styles each located argument on its own.
    assert {"3", "7", "Gale", "Tide"} <= set(shown.styled_spans)


def all_outputs(gate_run: GateRun) -> dict[str, str]:
    official = official_report(gate_run.messages, gate_run.folder / "official.html")
    ours = write_report(
        gate_run.messages, gate_run.folder / "site", features_dir=gate_run.folder / "features",
        glossary=[], openapi=None,
    )  # fmt: skip
    return {
        "stream": gate_run.messages.read_text(encoding="utf-8"),
        "console": gate_run.console,
        "official report": official.read_text(encoding="utf-8"),
        "living documentation": ours.read_text(encoding="utf-8"),
    }


def test_no_secret_in_any_output_whatever_its_spelling(gate_run: GateRun) -> None:
    outputs = all_outputs(gate_run)
    leaks = [
        (name, secret) for name, text in outputs.items() for secret in SECRETS if secret in text
    ]
    assert leaks == []
    # The evidence is there, masked: the search above looked where the secrets would have been.
    assert "…(masked)" in outputs["stream"]
    assert "…(masked)" in outputs["console"] or "GET /gate -> 200" in outputs["console"]
    assert "the gate read …(masked) aloud" in outputs["stream"]
