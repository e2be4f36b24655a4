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
    json_names,
    message_json,
    not_run,
    timestamp,
)

__all__ = ["EVIDENCE_MEDIA_TYPE", "run_envelopes"]

# An attachment's fields in the protocol's order (how cucumber-messages writes them): the model's
# name and the JSON's.
ATTACHMENT_FIELDS = json_names(cm.Attachment)
NO_ARGUMENTS: Message = {"stepMatchArguments": []}

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
        # A step's arguments as JSON, by the identity of the (immutable) arguments: the recorder
        # hands every run of one wording the same object, so each is encoded once, not per run.
        self.arguments: dict[int, tuple[Any, Message]] = {}

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
        test_steps: list[Message] = []
        for step in case.steps:
            if step.hook is not None:
                test_steps.append({"id": step.id, "hookId": self.hook_id(step.hook)})
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
            test_step: Message = {"id": step.id}
            if step.pickle_step_id is not None:
                test_step["pickleStepId"] = step.pickle_step_id
            test_step["stepDefinitionIds"] = ids
            test_step["stepMatchArgumentsLists"] = [self.arguments_json(each) for each in arguments]
            test_steps.append(test_step)
        return {
            "testCase": {
                "id": case.id,
                "pickleId": case.pickle_id,
                "testSteps": test_steps,
                "testRunStartedId": self.run_id,
            }
        }

    def arguments_json(self, arguments: Any) -> Message:
        if arguments is None:
            return NO_ARGUMENTS
        known = self.arguments.get(id(arguments))
        if known is None:  # the object is kept with its JSON, so its id cannot be reused
            known = self.arguments[id(arguments)] = (arguments, message_json(arguments))
        encoded: Message = known[1]
        return encoded

    def execution(self, case: PlannedCase) -> list[tuple[int, Message]]:
        """The case's envelopes, each with its moment (never earlier than the one before), built
        in the protocol's JSON shape directly: thousands of them are written per run."""
        run = case.run
        started_id = case.started_id
        clock = epoch_ns(run.started)
        timed: list[tuple[int, Message]] = []
        case_started: Message = {
            "attempt": 0,
            "id": started_id,
            "testCaseId": case.id,
            "timestamp": stamp_json(clock),
        }
        if run.worker is not None:
            case_started["workerId"] = run.worker
        timed.append((clock, {"testCaseStarted": case_started}))
        for attachment in run.attachments:
            timed.append((clock, attachment_json(attachment, started_id, None, clock)))
        for step in case.steps:
            started = clock
            if step.run is not None and step.run.started is not None:
                started = epoch_ns(step.run.started)
            clock = max(clock, started)
            step_started = {
                "testCaseStartedId": started_id,
                "testStepId": step.id,
                "timestamp": stamp_json(clock),
            }
            timed.append((clock, {"testStepStarted": step_started}))
            result = step.hook.result if step.hook else (step.run.result if step.run else None)
            result = result or not_run()
            for attachment in step.run.attachments if step.run else []:
                timed.append((clock, attachment_json(attachment, started_id, step.id, clock)))
            clock = max(clock, started + duration_ns(result.duration))
            step_finished = {
                "testCaseStartedId": started_id,
                "testStepId": step.id,
                "testStepResult": result_json(result),
                "timestamp": stamp_json(clock),
            }
            timed.append((clock, {"testStepFinished": step_finished}))
        clock = max(clock, epoch_ns(run.finished))
        case_finished = {
            "testCaseStartedId": started_id,
            "timestamp": stamp_json(clock),
            "willBeRetried": False,
        }
        timed.append((clock, {"testCaseFinished": case_finished}))
        return timed


def result_json(result: Any) -> Message:
    """A step's result as the protocol's JSON: what message_json gives, built directly for the
    usual result (a duration and a status, nothing to explain), one for every step of the run."""
    if result.exception is None and result.message is None:
        taken = result.duration
        return {
            "duration": {"nanos": taken.nanos, "seconds": taken.seconds},
            "status": result.status.value,
        }
    encoded: Message = message_json(result)
    return encoded


def stamp_json(epoch_ns: int) -> Message:
    """A moment as the protocol's Timestamp JSON (what message_json(timestamp(...)) gives, built
    directly: several are made for every step)."""
    return {"nanos": epoch_ns % 1_000_000_000, "seconds": epoch_ns // 1_000_000_000}


def attachment_json(attachment: Any, started_id: str, step_id: str | None, moment: int) -> Message:
    """An attachment as observed, placed in its test case (and step), stamped at the moment it
    takes in the stream; its fields in the protocol's order."""
    placed: Message = {}
    for name, json in ATTACHMENT_FIELDS:
        if json == "testCaseStartedId":
            placed[json] = started_id
        elif json == "testStepId":
            if step_id is not None:
                placed[json] = step_id
        elif (value := getattr(attachment, name)) is not None:
            if json == "timestamp":
                placed[json] = stamp_json(moment)
            else:
                placed[json] = value if type(value) is str else message_json(value)
    return {"attachment": placed}


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
