"""The test run as Cucumber Messages: test cases, their steps' results and their evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import cucumber_messages as cm
from gherkin.stream.id_generator import IdGenerator

from hq_spec.messages.gherkin_sources import FeatureMessages, Message
from hq_spec.step_results import HookFailure, ScenarioResult, StepError, StepResult

EVIDENCE_MEDIA_TYPE = "application/vnd.hq.evidence+json"
HOOK_NAMES = {
    "setup": "pytest fixture setup",
    "call": "pytest test body",
    "teardown": "pytest fixture teardown",
}


def envelope(**message: Any) -> Message:
    """One line of the stream, shaped by the official models (camelCase, enums as strings)."""
    converted: Message = cm.message_converter.to_dict(cm.Envelope(**message))
    return converted


def timestamp(epoch_ns: int) -> Any:
    return cm.Timestamp(seconds=epoch_ns // 1_000_000_000, nanos=epoch_ns % 1_000_000_000)


def duration(nanoseconds: int) -> Any:
    return cm.Duration(seconds=nanoseconds // 1_000_000_000, nanos=nanoseconds % 1_000_000_000)


def exception(error: StepError | None) -> Any:
    if error is None:
        return None
    return cm.Exception(type=error.type, message=error.message, stack_trace=error.trace or None)


@dataclass
class PlannedStep:
    """A test step of a test case: a pickle step with its result, or a pytest phase that failed."""

    id: str
    pickle_step_id: str | None = None
    result: StepResult | None = None
    hook_failure: HookFailure | None = None


@dataclass
class PlannedCase:
    id: str
    started_id: str
    pickle_id: str
    result: ScenarioResult
    steps: list[PlannedStep]


class RunStream:
    """Numbers every message of a run from one id counter shared with the Gherkin parser."""

    def __init__(self, ids: IdGenerator, features: dict[str, FeatureMessages]) -> None:
        self.ids = ids
        self.features = features
        self.run_id = ids.get_next_id()
        self.hook_ids = {phase: ids.get_next_id() for phase in HOOK_NAMES}

    def hooks(self) -> Iterator[Message]:
        for phase, hook_id in self.hook_ids.items():
            hook_type = "before_test_case" if phase == "setup" else "after_test_case"
            yield envelope(
                hook=cm.Hook(
                    id=hook_id,
                    name=HOOK_NAMES[phase],
                    source_reference=cm.SourceReference(),
                    type=cm.HookType[hook_type],
                )
            )

    def plan(self, result: ScenarioResult) -> PlannedCase | None:
        feature = self.features.get(result.uri)
        pickle = feature.pickle_for(result.line, result.example_index) if feature else None
        if feature is None or pickle is None:
            return None
        by_line = {step.line: step for step in result.steps}
        before = [failure for failure in result.hook_failures if failure.phase == "setup"]
        after = [failure for failure in result.hook_failures if failure.phase != "setup"]
        steps = [PlannedStep(self.ids.get_next_id(), hook_failure=failure) for failure in before]
        steps += [
            PlannedStep(
                self.ids.get_next_id(),
                pickle_step_id=pickle_step["id"],
                result=by_line.get(feature.line_of(pickle_step)),
            )
            for pickle_step in pickle["steps"]
        ]
        steps += [PlannedStep(self.ids.get_next_id(), hook_failure=failure) for failure in after]
        return PlannedCase(
            id=self.ids.get_next_id(),
            started_id=self.ids.get_next_id(),
            pickle_id=pickle["id"],
            result=result,
            steps=steps,
        )

    def test_case(self, case: PlannedCase) -> Message:
        test_steps = []
        for step in case.steps:
            if step.hook_failure is not None:
                hook_id = self.hook_ids[step.hook_failure.phase]
                test_steps.append(cm.TestStep(id=step.id, hook_id=hook_id))
            else:
                test_steps.append(
                    cm.TestStep(
                        id=step.id,
                        pickle_step_id=step.pickle_step_id,
                        step_definition_ids=[],
                        step_match_arguments_lists=[],
                    )
                )
        return envelope(
            test_case=cm.TestCase(
                id=case.id,
                pickle_id=case.pickle_id,
                test_steps=test_steps,
                test_run_started_id=self.run_id,
            )
        )

    def execution(self, case: PlannedCase) -> Iterator[Message]:
        result = case.result
        clock = result.started_ns
        yield envelope(
            test_case_started=cm.TestCaseStarted(
                attempt=0,
                id=case.started_id,
                test_case_id=case.id,
                timestamp=timestamp(clock),
                worker_id=result.worker,
            )
        )
        yield from self.attachments(result.evidence, case, None, clock)
        for step in case.steps:
            started = step.result.started_ns if step.result and step.result.started_ns else clock
            yield envelope(
                test_step_started=cm.TestStepStarted(
                    test_case_started_id=case.started_id,
                    test_step_id=step.id,
                    timestamp=timestamp(started),
                )
            )
            if step.result is not None:
                yield from self.attachments(step.result.evidence, case, step.id, started)
            clock = started + (step.result.duration_ns if step.result else 0)
            yield envelope(
                test_step_finished=cm.TestStepFinished(
                    test_case_started_id=case.started_id,
                    test_step_id=step.id,
                    test_step_result=step_result(step),
                    timestamp=timestamp(clock),
                )
            )
        yield envelope(
            test_case_finished=cm.TestCaseFinished(
                test_case_started_id=case.started_id,
                timestamp=timestamp(max(clock, result.finished_ns)),
                will_be_retried=False,
            )
        )

    def attachments(
        self, evidence: list[dict[str, Any]], case: PlannedCase, step_id: str | None, at_ns: int
    ) -> Iterator[Message]:
        for observed in evidence:
            yield envelope(
                attachment=cm.Attachment(
                    body=json.dumps(observed, ensure_ascii=False),
                    content_encoding=cm.AttachmentContentEncoding.identity,
                    media_type=EVIDENCE_MEDIA_TYPE,
                    test_case_started_id=case.started_id,
                    test_step_id=step_id,
                    timestamp=timestamp(at_ns),
                )
            )


def step_result(step: PlannedStep) -> Any:
    if step.hook_failure is not None:
        return test_step_result("failed", 0, step.hook_failure.error)
    if step.result is None:  # a pickle step pytest-bdd never saw: it cannot have run
        return test_step_result("skipped", 0, None)
    return test_step_result(step.result.status, step.result.duration_ns, step.result.error)


def test_step_result(status: str, duration_ns: int, error: StepError | None) -> Any:
    return cm.TestStepResult(
        duration=duration(duration_ns),
        status=cm.TestStepResultStatus[status],
        message=(error.trace or error.message) if error else None,
        exception=exception(error),
    )


def run_envelopes(
    meta: Any,
    features: dict[str, FeatureMessages],
    results: list[ScenarioResult],
    ids: IdGenerator,
    *,
    started_ns: int,
    finished_ns: int,
    success: bool,
    parse_errors: list[Message],
) -> Iterator[Message]:
    """Every message of the run, in the order Cucumber's own runners write them."""
    yield envelope(meta=meta)
    for uri in sorted(features):
        yield from features[uri].envelopes()
    yield from parse_errors  # their scenarios have no pickle, so no test case either
    stream = RunStream(ids, features)
    yield from stream.hooks()
    started = cm.TestRunStarted(id=stream.run_id, timestamp=timestamp(started_ns))
    yield envelope(test_run_started=started)
    ordered = sorted(results, key=lambda result: (result.started_ns, result.nodeid))
    cases = [case for result in ordered if (case := stream.plan(result)) is not None]
    for case in cases:
        yield stream.test_case(case)
    for case in cases:
        yield from stream.execution(case)
    yield envelope(
        test_run_finished=cm.TestRunFinished(
            success=success, timestamp=timestamp(finished_ns), test_run_started_id=stream.run_id
        )
    )
