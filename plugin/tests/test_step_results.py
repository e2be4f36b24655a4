"""The scenario run's record: its JSON is the protocol's own, and it comes back unchanged."""

from __future__ import annotations

import json

import cucumber_messages as cm

from hq_spec.step_results import (
    HookRun,
    ScenarioRun,
    Status,
    StepRun,
    duration,
    message_from_json,
    message_json,
    timestamp,
)

MOMENT_NS = 1_790_000_000_123_456_789  # a run's and a step's moments: nanoseconds
MOMENT = timestamp(MOMENT_NS)  # an attachment's: the protocol's Timestamp


def a_step(line: int) -> StepRun:
    return StepRun(
        line=line,
        result=cm.TestStepResult(
            duration=duration(1_500_000),
            status=Status.failed,
            message="Traceback ...",
            exception=cm.Exception(type="AssertionError", message="Tide is hero number 2"),
        ),
        started=MOMENT_NS,
        definition=cm.StepDefinition(
            id="",
            pattern=cm.StepDefinitionPattern(
                source="{hero} is number {n:d}",
                type=cm.StepDefinitionPatternType.cucumber_expression,
            ),
            source_reference=cm.SourceReference(
                uri="steps/roster.py", location=cm.Location(line=9)
            ),
        ),
        arguments=cm.StepMatchArgumentsList(
            step_match_arguments=[
                cm.StepMatchArgument(
                    group=cm.Group(start=0, value="Tide", children=[]), parameter_type_name="string"
                ),
            ]
        ),
        attachments=[
            cm.Attachment(
                body='{"kind": "http", "summary": "GET / -> 200"}',
                content_encoding=cm.AttachmentContentEncoding.identity,
                media_type="application/json",
                file_name="GET / -> 200",
                timestamp=MOMENT,
            )
        ],
    )


def a_run() -> ScenarioRun:
    return ScenarioRun(
        nodeid="test_roster.py::test_tide",
        uri="features/roster.feature",
        line=12,
        example_index=1,
        started=MOMENT_NS,
        finished=MOMENT_NS + 1,
        steps=[a_step(13), StepRun(line=14)],
        hooks=[
            HookRun(
                phase="teardown",
                result=cm.TestStepResult(duration=duration(0), status=Status.failed),
                source=cm.SourceReference(uri="conftest.py", location=cm.Location(line=3)),
            )
        ],
        skip_reason=None,
        worker="gw1",
    )


def test_a_run_survives_the_trip_between_xdist_processes() -> None:
    run = a_run()
    assert ScenarioRun.from_json(json.loads(json.dumps(run.as_json()))) == run


def test_the_json_is_what_the_official_models_write_and_read() -> None:
    step = a_step(13)
    for message in (step.result, step.definition, step.arguments, step.attachments[0]):
        assert message_json(message) == cm.message_converter.to_dict(message)
        official = cm.message_converter.to_dict(message)
        assert message_from_json(official, type(message)) == message


def test_the_scenario_takes_its_worst_status() -> None:
    run = a_run()
    assert run.status == Status.failed
    run.steps, run.hooks = [StepRun(line=13)], []
    assert run.status == Status.skipped  # a step never reached
    run.steps = []
    assert run.status == Status.skipped  # pytest skipped it before any step
