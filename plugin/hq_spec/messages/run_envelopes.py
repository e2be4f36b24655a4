"""The run as Cucumber Messages, a line of JSON each: step definitions, test cases, results and
evidence, in order."""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import cucumber_messages as cm

from hq_spec.messages import lines
from hq_spec.messages.gherkin_sources import FeatureCatalog, FeatureMessages, Message
from hq_spec.messages.lines import ENCODE
from hq_spec.remembered import remembered_by_identity
from hq_spec.step_results import (
    HookRun,
    ScenarioRun,
    StepRun,
    duration_ns,
    json_name,
    message_json,
    not_run,
    timestamp,
)

__all__ = ["run_lines"]

NO_ARGUMENTS = ENCODE({"stepMatchArguments": []})

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
        self.arguments: dict[int, tuple[object, str]] = {}
        self.definition_ids: dict[int, tuple[object, str]] = {}

    def definition_id(self, definition: Any) -> str | None:
        return None if definition is None else self.known_definition_id(definition)

    def known_definition_id(self, definition: Any) -> str:
        # The recorder hands every run of one wording the same definition object: its id is
        # found once for the object.
        return remembered_by_identity(self.definition_ids, definition, self.definition_id_by_place)

    def definition_id_by_place(self, definition: Any) -> str:
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
        by_line = run.steps_by_line()
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

    def test_case(self, case: PlannedCase) -> str:
        test_steps: list[str] = []
        for step in case.steps:
            if step.hook is not None:
                test_steps.append(lines.hook_step(step.id, self.hook_id(step.hook)))
                continue
            # No definition means undefined (or never reached): no ids, and no arguments either;
            # an ambiguous step names every definition it matches, each with its arguments.
            ids: list[str] = []
            arguments: list[str] = []
            if step.definition_id is not None and step.run is not None:
                ids = [step.definition_id]
                arguments = [self.arguments_json(step.run.arguments)]
                for definition, rival_arguments in step.run.rivals:
                    ids.append(self.known_definition_id(definition))
                    arguments.append(self.arguments_json(rival_arguments))
            test_steps.append(lines.pickle_step(step.id, step.pickle_step_id, ids, arguments))
        return lines.test_case(case.id, case.pickle_id, test_steps, self.run_id)

    def arguments_json(self, arguments: Any) -> str:
        if arguments is None:
            return NO_ARGUMENTS
        return remembered_by_identity(self.arguments, arguments, self._encoded)

    @staticmethod
    def _encoded(message: Any) -> str:
        return ENCODE(message_json(message))

    def execution(self, case: PlannedCase) -> list[tuple[int, str]]:
        """The case's lines, each with its moment (never earlier than the one before)."""
        run = case.run
        started_id = case.started_id
        clock = run.started
        timed = [(clock, lines.test_case_started(started_id, case.id, clock, run.worker))]
        for observed in run.attachments:
            timed.append((clock, lines.attachment(observed, started_id, None, clock)))
        for step in case.steps:
            started = clock
            if step.run is not None and step.run.started is not None:
                started = step.run.started
            clock = max(clock, started)
            timed.append((clock, lines.test_step_started(started_id, step.id, clock)))
            result = step.hook.result if step.hook else (step.run.result if step.run else None)
            result = result or not_run()
            for observed in step.run.attachments if step.run else []:
                timed.append((clock, lines.attachment(observed, started_id, step.id, clock)))
            clock = max(clock, started + duration_ns(result.duration))
            timed.append((clock, lines.test_step_finished(started_id, step.id, result, clock)))
        clock = max(clock, run.finished)
        timed.append((clock, lines.test_case_finished(started_id, clock)))
        return timed


def in_time_order(executions: list[list[tuple[int, str]]]) -> Iterable[tuple[int, str]]:
    """The cases' lines merged in the order they happened. Cases that ran one after another (every
    run without pytest-xdist) are already in order, and are taken as they are: the same order a
    merge gives, without comparing every line's moment with every other case's."""
    one_after_another = all(
        earlier[-1][0] <= later[0][0] for earlier, later in itertools.pairwise(executions)
    )
    if one_after_another:
        return itertools.chain.from_iterable(executions)
    return heapq.merge(*executions, key=lambda timed: timed[0])


def run_lines(
    meta: Any,
    catalog: FeatureCatalog,
    runs: list[ScenarioRun],
    *,
    started_ns: int,
    finished_ns: int,
    success: bool,
) -> Iterator[str]:
    """Every message of the run, a line of JSON each: definitions first, then what happened in the
    order it happened (under pytest-xdist, the workers' scenarios interleave as they ran)."""
    yield ENCODE(envelope(meta=meta))
    stream = RunStream(catalog)
    ordered = sorted(runs, key=lambda run: (run.started, run.nodeid))
    cases = [case for run in ordered if (case := stream.plan(run)) is not None]
    features: dict[str, FeatureMessages] = catalog.features
    for uri in sorted(features):
        for message in features[uri].envelopes():
            yield ENCODE(message)
    for parse_error in catalog.parse_errors.values():  # no pickles, so no test cases either
        yield ENCODE({"parseError": parse_error})
    for definition in stream.definitions.values():
        yield ENCODE(envelope(step_definition=definition))
    for hook in stream.hooks.values():
        yield ENCODE(envelope(hook=hook))
    first = min([run.started for run in runs], default=started_ns)
    started = cm.TestRunStarted(id=stream.run_id, timestamp=timestamp(min(started_ns, first)))
    yield ENCODE(envelope(test_run_started=started))
    for case in cases:
        yield stream.test_case(case)
    executions = [stream.execution(case) for case in cases]
    for _, line in in_time_order(executions):
        yield line
    # Never before the run's start, even where the wall clock stepped back while it ran.
    last = max([started_ns, finished_ns, *(execution[-1][0] for execution in executions)])
    finished = cm.TestRunFinished(
        success=success,
        timestamp=timestamp(last),
        test_run_started_id=stream.run_id,
    )
    yield ENCODE(envelope(test_run_finished=finished))
