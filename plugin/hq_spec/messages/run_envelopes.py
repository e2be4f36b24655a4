"""The run as Cucumber Messages: step definitions, test cases, results and evidence, in order."""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import cucumber_messages as cm

from hq_spec.evidence import EVIDENCE_MEDIA_TYPE
from hq_spec.messages.gherkin_sources import FeatureCatalog, FeatureMessages, Message
from hq_spec.step_results import (
    HookRun,
    ScenarioRun,
    StepRun,
    duration_ns,
    epoch_ns,
    json_name,
    message_json,
    not_run,
    timestamp,
)

__all__ = ["EVIDENCE_MEDIA_TYPE", "run_envelopes"]

HOOK_NAMES = {
    "setup": "pytest fixture setup",
    "call": "pytest test body",
    "teardown": "pytest fixture teardown",
}


def envelope(**message: Any) -> Message:
    """One line of the stream, shaped by the official models (camelCase, enums as strings)."""
    [(kind, body)] = message.items()
    return {json_name(kind): message_json(body)}


@dataclass
class PlannedStep:
    """A test step of a test case: a pickle step with its run, or a pytest phase that failed."""

    id: str
    pickle_step_id: str | None = None
    run: StepRun | None = None
    hook: HookRun | None = None
    definition_id: str | None = None


@dataclass
class PlannedCase:
    id: str
    started_id: str
    pickle_id: str
    run: ScenarioRun
    steps: list[PlannedStep]


class RunStream:
    """Numbers every message of a run from the id generator the Gherkin parser used."""

    def __init__(self, catalog: FeatureCatalog) -> None:
        self.catalog = catalog
        self.ids = catalog.ids
        self.run_id = self.ids.get_next_id()
        self.definitions: dict[tuple[str, int, str, str], Any] = {}  # where, pattern -> message
        self.hooks: dict[tuple[str, str, int], Any] = {}  # phase, where -> message

    def definition_id(self, definition: Any) -> str | None:
        if definition is None:
            return None
        reference = definition.source_reference
        key = (
            str(reference.uri),
            int(reference.location.line if reference.location else 0),
            str(definition.pattern.source),
            str(definition.pattern.type.value),
        )
        if key not in self.definitions:
            self.definitions[key] = dataclasses.replace(definition, id=self.ids.get_next_id())
        return str(self.definitions[key].id)

    def hook_id(self, hook: HookRun) -> str:
        location = hook.source.location
        key = (hook.phase, str(hook.source.uri), int(location.line if location else 0))
        if key not in self.hooks:
            kind = "before_test_case" if hook.phase == "setup" else "after_test_case"
            self.hooks[key] = cm.Hook(
                id=self.ids.get_next_id(),
                name=HOOK_NAMES[hook.phase],
                source_reference=hook.source,
                type=cm.HookType[kind],
            )
        return str(self.hooks[key].id)

    def plan(self, run: ScenarioRun) -> PlannedCase | None:
        feature = self.catalog.feature(run.uri)
        pickle = feature.pickle_for(run.line, run.example_index) if feature else None
        if feature is None or pickle is None:
            return None
        by_line = {step.line: step for step in run.steps}
        before = [hook for hook in run.hooks if hook.phase == "setup"]
        after = [hook for hook in run.hooks if hook.phase != "setup"]
        steps = [PlannedStep(self.ids.get_next_id(), hook=hook) for hook in before]
        for pickle_step in pickle["steps"]:
            step_run = by_line.get(feature.line_of(pickle_step))
            steps.append(
                PlannedStep(
                    self.ids.get_next_id(),
                    pickle_step_id=pickle_step["id"],
                    run=step_run,
                    definition_id=self.definition_id(step_run.definition) if step_run else None,
                )
            )
        steps += [PlannedStep(self.ids.get_next_id(), hook=hook) for hook in after]
        for step in steps:  # every definition and hook is numbered before any is written
            if step.hook is not None:
                self.hook_id(step.hook)
            for definition, _ in step.run.rivals if step.run else []:
                self.definition_id(definition)
        return PlannedCase(
            id=self.ids.get_next_id(),
            started_id=self.ids.get_next_id(),
            pickle_id=pickle["id"],
            run=run,
            steps=steps,
        )

    def test_case(self, case: PlannedCase) -> Message:
        test_steps = []
        for step in case.steps:
            if step.hook is not None:
                test_steps.append(cm.TestStep(id=step.id, hook_id=self.hook_id(step.hook)))
                continue
            # No definition means undefined (or never reached): no ids, and no arguments either;
            # an ambiguous step names every definition it matches, each with its arguments.
            ids: list[str | None] = []
            arguments: list[Any] = []
            if step.definition_id is not None and step.run is not None:
                ids = [step.definition_id]
                arguments = [step.run.arguments]
                for definition, rival_arguments in step.run.rivals:
                    ids.append(self.definition_id(definition))
                    arguments.append(rival_arguments)
            no_arguments = cm.StepMatchArgumentsList(step_match_arguments=[])
            test_steps.append(
                cm.TestStep(
                    id=step.id,
                    pickle_step_id=step.pickle_step_id,
                    step_definition_ids=ids,
                    step_match_arguments_lists=[each or no_arguments for each in arguments],
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

    def execution(self, case: PlannedCase) -> list[tuple[int, Message]]:
        """The case's envelopes, each with its moment (never earlier than the one before)."""
        run = case.run
        timed: list[tuple[int, Message]] = []
        clock = epoch_ns(run.started)

        def at(moment: int, message: Message) -> None:
            nonlocal clock
            clock = max(clock, moment)
            message_stamp = next(iter(message.values()))
            if "timestamp" in message_stamp:
                message_stamp["timestamp"] = message_json(timestamp(clock))
            timed.append((clock, message))

        at(
            clock,
            envelope(
                test_case_started=cm.TestCaseStarted(
                    attempt=0,
                    id=case.started_id,
                    test_case_id=case.id,
                    timestamp=timestamp(clock),
                    worker_id=run.worker,
                )
            ),
        )
        for attachment in run.attachments:
            at(clock, self.attachment(attachment, case, None))
        for step in case.steps:
            started = clock
            if step.run is not None and step.run.started is not None:
                started = epoch_ns(step.run.started)
            at(
                started,
                envelope(
                    test_step_started=cm.TestStepStarted(
                        test_case_started_id=case.started_id,
                        test_step_id=step.id,
                        timestamp=timestamp(started),
                    )
                ),
            )
            result = step.hook.result if step.hook else (step.run.result if step.run else None)
            result = result or not_run()
            for attachment in step.run.attachments if step.run else []:
                at(clock, self.attachment(attachment, case, step.id))
            finished = started + duration_ns(result.duration)
            at(
                finished,
                envelope(
                    test_step_finished=cm.TestStepFinished(
                        test_case_started_id=case.started_id,
                        test_step_id=step.id,
                        test_step_result=result,
                        timestamp=timestamp(finished),
                    )
                ),
            )
        at(
            epoch_ns(run.finished),
            envelope(
                test_case_finished=cm.TestCaseFinished(
                    test_case_started_id=case.started_id,
                    timestamp=timestamp(epoch_ns(run.finished)),
                    will_be_retried=False,
                )
            ),
        )
        return timed

    def attachment(self, attachment: Any, case: PlannedCase, step_id: str | None) -> Message:
        return envelope(
            attachment=dataclasses.replace(
                attachment, test_case_started_id=case.started_id, test_step_id=step_id
            )
        )


def run_envelopes(
    meta: Any,
    catalog: FeatureCatalog,
    runs: list[ScenarioRun],
    *,
    started_ns: int,
    finished_ns: int,
    success: bool,
) -> Iterator[Message]:
    """Every message of the run: definitions first, then what happened in the order it happened
    (under pytest-xdist, the workers' scenarios interleave as they ran)."""
    yield envelope(meta=meta)
    stream = RunStream(catalog)
    ordered = sorted(runs, key=lambda run: (epoch_ns(run.started), run.nodeid))
    cases = [case for run in ordered if (case := stream.plan(run)) is not None]
    features: dict[str, FeatureMessages] = catalog.features
    for uri in sorted(features):
        yield from features[uri].envelopes()
    for parse_error in catalog.parse_errors.values():  # no pickles, so no test cases either
        yield {"parseError": parse_error}
    for definition in stream.definitions.values():
        yield envelope(step_definition=definition)
    for hook in stream.hooks.values():
        yield envelope(hook=hook)
    first = min([epoch_ns(run.started) for run in runs], default=started_ns)
    started = cm.TestRunStarted(id=stream.run_id, timestamp=timestamp(min(started_ns, first)))
    yield envelope(test_run_started=started)
    for case in cases:
        yield stream.test_case(case)
    executions = [stream.execution(case) for case in cases]
    last = started_ns
    for moment, message in heapq.merge(*executions, key=lambda timed: timed[0]):
        last = max(last, moment)
        yield message
    yield envelope(
        test_run_finished=cm.TestRunFinished(
            success=success,
            timestamp=timestamp(max(finished_ns, last)),
            test_run_started_id=stream.run_id,
        )
    )
