"""pytest plugin: records each Gherkin step's outcome from pytest-bdd's hooks on the test report."""

from __future__ import annotations

import functools
import os
import time
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cucumber_messages as cm
import pytest
from pytest_bdd.parser import Feature, Scenario, ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry
from pytest_bdd.utils import registry_get_safe

from hq_spec import (
    caller_path,
    no_example,
    step_arguments,
    step_lookup,
    step_runner,
    step_signatures,
)
from hq_spec.bdd_internals import EXAMPLE_PARAMETER
from hq_spec.evidence import EVIDENCE_KEY, EVIDENCE_MEDIA_TYPE, EvidenceLog, evidence_log
from hq_spec.pending import Pending
from hq_spec.step_ambiguity import ambiguity_of, competing_definitions
from hq_spec.step_definitions import StepDefinitions
from hq_spec.step_results import (
    REPORT_ATTRIBUTE,
    SCENARIO_FLAG,
    HookRun,
    Phase,
    ScenarioRun,
    Status,
    StepRun,
    duration,
    relative_uri,
    timestamp,
)

# A failure here is the step's own doing, so no extra hook failure is reported for it.
STEP_FAILURES = frozenset({Status.failed, Status.undefined, Status.ambiguous, Status.pending})
TOOLING_PACKAGES = frozenset({"_pytest", "pytest_bdd", "pluggy"})


@dataclass
class Recording:
    """The scenario run being filled in while one test item runs."""

    run: ScenarioRun
    log: EvidenceLog
    current: int | None = None  # the step under way
    clock_ns: int = 0  # perf counter when the current step started
    ambiguity: str | None = None  # why the current step is ambiguous, if it is
    failed_phases: int = 0
    # Each step's place among those pytest-bdd runs, by the step object itself (pytest-bdd's
    # steps compare by identity): the very objects it hands to its hooks.
    positions: dict[Step, int] = field(default_factory=dict)

    def track(self, steps: list[Step]) -> None:
        """The steps pytest-bdd is about to run."""
        self.positions = {step: position for position, step in enumerate(steps)}
        self.run.steps = [StepRun(line=step.line_number) for step in steps]

    def start(self, step: Step) -> StepRun:
        self.current = self.positions[step]
        self.clock_ns = time.perf_counter_ns()
        running = self.run.steps[self.current]
        running.started = time.time_ns()
        return running

    def finish(self, status: Status, error: BaseException | None) -> None:
        if self.current is None:
            return
        finished = self.run.steps[self.current]
        finished.result = step_result(
            status, time.perf_counter_ns() - self.clock_ns, error, self.log
        )
        finished.attachments.extend(self.attachments())
        self.current = None
        self.ambiguity = None

    def attachments(self) -> list[cm.Attachment]:
        observed = self.log.drain()
        if not observed:  # most steps, and every scenario's edges: no moment to take
            return []
        now = timestamp(time.time_ns())
        return [
            cm.Attachment(
                body=evidence.body(),
                content_encoding=cm.AttachmentContentEncoding.identity,
                media_type=EVIDENCE_MEDIA_TYPE,
                file_name=evidence.summary,
                timestamp=now,
            )
            for evidence in observed
        ]


RECORDING = pytest.StashKey[Recording]()
DEFINITIONS = pytest.StashKey[StepDefinitions]()


def is_tooling_frame(frame: traceback.FrameSummary) -> bool:
    return any(part in TOOLING_PACKAGES for part in Path(frame.filename).parts)


def exception_of(error: BaseException, log: EvidenceLog) -> Any:
    """The exception without pytest's and pytest-bdd's frames (readers want their step's), and
    without any secret the scenario's evidence masked."""
    summary = traceback.TracebackException.from_exception(error)
    summary.stack = traceback.StackSummary.from_list(
        [frame for frame in summary.stack if not is_tooling_frame(frame)]
    )
    return cm.Exception(
        type=type(error).__name__,
        message=log.masking.scrub(str(error)),
        stack_trace=log.masking.scrub("".join(summary.format())),
    )


def step_result(
    status: Status, nanoseconds: int, error: BaseException | None, log: EvidenceLog
) -> Any:
    exception = exception_of(error, log) if error is not None else None
    return cm.TestStepResult(
        duration=duration(nanoseconds),
        status=status,
        message=(exception.stack_trace or exception.message) if exception else None,
        exception=exception,
    )


def scenario_template(item: pytest.Item) -> ScenarioTemplate | None:
    template = registry_get_safe(scenario_wrapper_template_registry, getattr(item, "obj", None))
    return template if isinstance(template, ScenarioTemplate) else None


@functools.cache
def feature_uri(filename: str, rootpath: Path) -> str:
    """A feature file's uri (worked out once per file, not once per scenario)."""
    return relative_uri(Path(filename), rootpath)


WORKER = pytest.StashKey[str | None]()


def worker_of(config: pytest.Config) -> str | None:
    """The pytest-xdist worker this process is (None outside one), read once a session."""
    if WORKER not in config.stash:
        config.stash[WORKER] = os.environ.get("PYTEST_XDIST_WORKER")
    return config.stash[WORKER]


def new_recording(item: pytest.Item, template: ScenarioTemplate) -> Recording:
    callspec = getattr(item, "callspec", None)
    example_index: int | None = None
    if callspec is not None and EXAMPLE_PARAMETER in callspec.params:
        example_index = callspec.indices[EXAMPLE_PARAMETER]
    now = time.time_ns()
    run = ScenarioRun(
        nodeid=item.nodeid,
        uri=feature_uri(template.feature.filename, item.config.rootpath),
        line=template.line_number,
        example_index=example_index,
        started=now,
        finished=now,
        worker=worker_of(item.config),
    )
    # The steps arrive with pytest-bdd's before-scenario hook; a scenario stopped before it
    # (a fixture failing) reports every step as not run.
    return Recording(run=run, log=evidence_log(item))


class Latest:
    """The test item whose recording was last asked for, and that recording: the hooks ask for it
    a dozen times a scenario, and each time the item's stash costs three calls."""

    item: pytest.Item | None = None
    recording: Recording | None = None


def recording_of(item: pytest.Item) -> Recording | None:
    if item is Latest.item:
        return Latest.recording
    recording = item.stash.get(RECORDING, None)
    if recording is None:
        template = scenario_template(item)
        if template is None:
            return None
        recording = item.stash[RECORDING] = new_recording(item, template)
    Latest.item, Latest.recording = item, recording
    return recording


def definitions_of(config: pytest.Config) -> StepDefinitions:
    definitions = config.stash.get(DEFINITIONS, None)
    if definitions is None:
        definitions = config.stash[DEFINITIONS] = StepDefinitions(config.rootpath)
    return definitions


def pytest_configure(config: pytest.Config) -> None:
    # Step definitions are looked up once per feature file and wording, step functions'
    # signatures read once per function, and wordings parsed once per definition, by pytest-bdd
    # too; each step's hooks are called without pluggy's dispatch where it adds nothing; a
    # scenario that is no outline's row shares one empty example; binding a scenario no longer
    # works out where in its caller's code the call is.
    step_lookup.install(config)
    step_signatures.install(config)
    step_runner.install(config)
    no_example.install(config)
    step_arguments.install(config)
    caller_path.install(config)


@pytest.hookimpl
def pytest_bdd_before_scenario(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario
) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    recording.track(scenario.steps)
    recording.run.attachments.extend(recording.attachments())


@pytest.hookimpl
def pytest_bdd_before_step(
    request: pytest.FixtureRequest, step: Step, step_func: Callable[..., object]
) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    running = recording.start(step)
    definitions = definitions_of(request.config)
    running.definition, running.arguments = definitions.match(step_func, step)
    recording.ambiguity = ambiguity_of(request, step)
    if recording.ambiguity is not None:  # Cucumber names every definition an ambiguous step matches
        running.rivals = definitions.rivals(competing_definitions(request, step), step_func, step)


@pytest.hookimpl
def pytest_bdd_after_step(request: pytest.FixtureRequest) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    if recording.ambiguity is not None:
        recording.finish(Status.ambiguous, AmbiguousStep(recording.ambiguity))
    else:
        recording.finish(Status.passed, None)


class AmbiguousStep(Exception):
    """Several step definitions match one step at the same level."""


@pytest.hookimpl
def pytest_bdd_step_error(request: pytest.FixtureRequest, exception: Exception) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    status = Status.failed
    if isinstance(exception, Pending):
        status = Status.pending
    elif recording.ambiguity is not None:
        status = Status.ambiguous
    recording.finish(status, exception)


@pytest.hookimpl
def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, step: Step, exception: Exception
) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    recording.start(step)
    recording.finish(Status.undefined, exception)


@pytest.hookimpl
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    recording = recording_of(request.node)
    if recording is not None and recording.current is None:
        recording.run.attachments.extend(recording.attachments())


def settle_interrupted_step(recording: Recording, call: pytest.CallInfo[None]) -> None:
    """A step that never reported back was stopped by pytest.skip, pytest.exit or the like."""
    if recording.current is None:
        return
    if call.excinfo is not None and call.excinfo.errisinstance(pytest.skip.Exception):
        recording.finish(Status.skipped, call.excinfo.value)
    elif call.excinfo is not None:
        recording.finish(Status.failed, call.excinfo.value)
    else:
        recording.finish(Status.passed, None)


def failing_code(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Where the failure outside the steps happened: the innermost frame of the project's own code,
    else the scenario's test function."""
    rootpath = item.config.rootpath
    if call.excinfo is not None:
        for entry in reversed(call.excinfo.traceback):
            path = Path(entry.path)
            if not any(part in TOOLING_PACKAGES for part in path.parts):
                return cm.SourceReference(
                    uri=relative_uri(path, rootpath), location=cm.Location(line=entry.lineno + 1)
                )
    file, line, _ = item.location
    return cm.SourceReference(uri=Path(file).as_posix(), location=cm.Location(line=(line or 0) + 1))


def hook_run(
    item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport, log: EvidenceLog
) -> HookRun:
    if call.excinfo is not None:
        exception = cm.Exception(
            type=call.excinfo.typename,
            message=log.masking.scrub(str(call.excinfo.value)),
            stack_trace=log.masking.scrub(report.longreprtext),
        )
    else:  # e.g. a strict xfail that passed: pytest fails the test without an exception
        exception = cm.Exception(type="Failed", message=log.masking.scrub(report.longreprtext))
    phase: Phase = report.when if report.when in ("setup", "call", "teardown") else "call"
    result = cm.TestStepResult(
        duration=duration(int((call.stop - call.start) * 1e9)),
        status=Status.failed,
        message=exception.stack_trace or exception.message,
        exception=exception,
    )
    return HookRun(phase=phase, result=result, source=failing_code(item, call))


def scrub_report(report: pytest.TestReport, log: EvidenceLog) -> None:
    """pytest's own account of a failure (and captured output) loses the secrets evidence masked."""
    if not log.masking.secrets:
        return
    if report.longrepr is not None:
        text = report.longreprtext
        scrubbed = log.masking.scrub(text)
        if scrubbed != text:
            report.longrepr = scrubbed
    report.sections = [(title, log.masking.scrub(content)) for title, content in report.sections]


def forget_working_state(item: pytest.Item) -> None:
    Latest.item = Latest.recording = None
    if RECORDING in item.stash:
        del item.stash[RECORDING]
    if EVIDENCE_KEY in item.stash:
        del item.stash[EVIDENCE_KEY]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    recording = recording_of(item)
    if call.when == "teardown":
        # The test is over and what it observed is in its report: the item, which pytest keeps
        # until the session ends, keeps none of it (thousands would slow every garbage collection).
        forget_working_state(item)
    if recording is None:
        return report
    setattr(report, SCENARIO_FLAG, True)
    scrub_report(report, recording.log)
    run = recording.run
    if call.when == "setup":
        run.started = int(call.start * 1e9)
    if call.when == "call":
        settle_interrupted_step(recording, call)
    if report.failed and not (
        call.when == "call" and any(step.result.status in STEP_FAILURES for step in run.steps)
    ):
        run.hooks.append(hook_run(item, call, report, recording.log))
    if report.skipped and isinstance(report.longrepr, tuple):
        run.skip_reason = str(report.longrepr[2])  # pytest's (path, line, reason) of a skip
    if call.when == "teardown":
        run.finished = int(call.stop * 1e9)
        run.attachments.extend(recording.attachments())
        setattr(report, REPORT_ATTRIBUTE, run)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_report_to_serializable(report: object) -> Generator[None, Any, Any]:
    """pytest-xdist ships reports as plain data: the run goes as the protocol's JSON."""
    data = yield
    run = getattr(report, REPORT_ATTRIBUTE, None)
    if isinstance(data, dict) and isinstance(run, ScenarioRun):
        data[REPORT_ATTRIBUTE] = run.as_json()
    return data


@pytest.hookimpl(wrapper=True)
def pytest_report_from_serializable(data: object) -> Generator[None, Any, Any]:
    report = yield
    shipped = getattr(report, REPORT_ATTRIBUTE, None)
    if isinstance(shipped, dict):
        setattr(report, REPORT_ATTRIBUTE, ScenarioRun.from_json(shipped))
    return report
