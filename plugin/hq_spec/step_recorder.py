"""pytest plugin: records each Gherkin step's outcome from pytest-bdd's hooks on the test report."""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytest_bdd.parser import Feature, Scenario, ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry
from pytest_bdd.utils import registry_get_safe

from hq_spec import step_lookup
from hq_spec.evidence import evidence_log
from hq_spec.pending import Pending
from hq_spec.step_ambiguity import ambiguity_of
from hq_spec.step_results import (
    HookFailure,
    Outcome,
    Phase,
    ScenarioResult,
    StepError,
    StepResult,
    StepStatus,
    attach,
    relative_uri,
)

# pytest-bdd passes each Examples row to the scenario function under this parameter name.
EXAMPLE_PARAMETER = "_pytest_bdd_example"
# A failure here is the step's own doing, so no extra hook failure is reported for it.
STEP_FAILURES: frozenset[StepStatus] = frozenset({"failed", "undefined", "ambiguous", "pending"})
TOOLING_PACKAGES = frozenset({"_pytest", "pytest_bdd", "pluggy"})


@dataclass
class Recording:
    """The scenario result being filled in while one test item runs."""

    result: ScenarioResult
    steps: list[Step]  # the step objects pytest-bdd hands to its hooks, in result order
    current: int | None = None  # the step under way
    clock_ns: int = 0  # perf counter when the current step started
    ambiguity: str | None = None  # why the current step is ambiguous, if it is
    phase_outcomes: dict[str, str] = field(default_factory=dict)  # pytest's phase -> outcome

    def index_of(self, step: Step) -> int:
        return next(index for index, candidate in enumerate(self.steps) if candidate is step)

    def start(self, step: Step) -> None:
        self.current = self.index_of(step)
        self.clock_ns = time.perf_counter_ns()
        self.result.steps[self.current].started_ns = time.time_ns()

    def finish(self, item: pytest.Item, status: StepStatus, error: StepError | None) -> None:
        if self.current is None:
            return
        finished = self.result.steps[self.current]
        finished.duration_ns = time.perf_counter_ns() - self.clock_ns
        finished.status = status
        finished.error = error
        finished.evidence.extend(drain_evidence(item))
        self.current = None
        self.ambiguity = None


RECORDING = pytest.StashKey[Recording]()


def drain_evidence(item: pytest.Item) -> list[dict[str, object]]:
    return [evidence.as_json() for evidence in evidence_log(item).drain()]


def is_tooling_frame(frame: traceback.FrameSummary) -> bool:
    return any(part in TOOLING_PACKAGES for part in Path(frame.filename).parts)


def error_from(exception: BaseException) -> StepError:
    """The exception without pytest's and pytest-bdd's frames: readers want their step's."""
    summary = traceback.TracebackException.from_exception(exception)
    summary.stack = traceback.StackSummary.from_list(
        [frame for frame in summary.stack if not is_tooling_frame(frame)]
    )
    return StepError(
        type=type(exception).__name__,
        message=str(exception),
        trace="".join(summary.format()),
    )


def step_results(scenario: Scenario) -> list[StepResult]:
    return [
        StepResult(
            keyword=step.keyword,
            text=step.name,
            line=step.line_number,
            datatable=(
                [[str(cell) for cell in row] for row in step.datatable.raw()]
                if step.datatable is not None
                else None
            ),
            docstring=step.docstring,
        )
        for step in scenario.steps
    ]


def scenario_template(item: pytest.Item) -> ScenarioTemplate | None:
    template = registry_get_safe(scenario_wrapper_template_registry, getattr(item, "obj", None))
    return template if isinstance(template, ScenarioTemplate) else None


def new_recording(item: pytest.Item, template: ScenarioTemplate) -> Recording:
    callspec = getattr(item, "callspec", None)
    example: dict[str, str] = {}
    example_index: int | None = None
    if callspec is not None and EXAMPLE_PARAMETER in callspec.params:
        example = dict(callspec.params[EXAMPLE_PARAMETER])
        example_index = callspec.indices[EXAMPLE_PARAMETER]
    scenario = template.render(example)
    feature, rule = scenario.feature, scenario.rule
    result = ScenarioResult(
        nodeid=item.nodeid,
        uri=relative_uri(Path(feature.filename), item.config.rootpath),
        feature_keyword=feature.keyword,
        feature_name=feature.name,
        keyword=scenario.keyword,
        name=scenario.name,
        line=scenario.line_number,
        rule_keyword=rule.keyword if rule else None,
        rule_name=rule.name if rule else None,
        example_index=example_index,
        example=example,
        tags=sorted(scenario.tags | feature.tags | (rule.tags if rule else set())),
        steps=step_results(scenario),
        worker=os.environ.get("PYTEST_XDIST_WORKER"),
    )
    return Recording(result=result, steps=scenario.steps)


def recording_of(item: pytest.Item) -> Recording | None:
    recording = item.stash.get(RECORDING, None)
    if recording is None:
        template = scenario_template(item)
        if template is None:
            return None
        recording = item.stash[RECORDING] = new_recording(item, template)
    return recording


@pytest.hookimpl
def pytest_configure(config: pytest.Config) -> None:
    # Step definitions are looked up once per feature file and wording, by pytest-bdd too.
    step_lookup.install(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    step_lookup.uninstall(config)


def pytest_bdd_before_scenario(
    request: pytest.FixtureRequest, feature: Feature, scenario: Scenario
) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    # The steps pytest-bdd is about to run are these very objects: track them by identity.
    recording.steps = scenario.steps
    recording.result.steps = step_results(scenario)
    recording.result.evidence.extend(drain_evidence(request.node))


@pytest.hookimpl
def pytest_bdd_before_step(request: pytest.FixtureRequest, step: Step) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    recording.start(step)
    recording.ambiguity = ambiguity_of(request, step)


@pytest.hookimpl
def pytest_bdd_after_step(request: pytest.FixtureRequest) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    if recording.ambiguity is not None:
        error = StepError(type="AmbiguousStep", message=recording.ambiguity)
        recording.finish(request.node, "ambiguous", error)
    else:
        recording.finish(request.node, "passed", None)


@pytest.hookimpl
def pytest_bdd_step_error(request: pytest.FixtureRequest, exception: Exception) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    status: StepStatus = "failed"
    if isinstance(exception, Pending):
        status = "pending"
    elif recording.ambiguity is not None:
        status = "ambiguous"
    recording.finish(request.node, status, error_from(exception))


@pytest.hookimpl
def pytest_bdd_step_func_lookup_error(
    request: pytest.FixtureRequest, step: Step, exception: Exception
) -> None:
    recording = recording_of(request.node)
    if recording is None:
        return
    recording.start(step)
    recording.finish(request.node, "undefined", error_from(exception))


@pytest.hookimpl
def pytest_bdd_after_scenario(request: pytest.FixtureRequest) -> None:
    recording = recording_of(request.node)
    if recording is not None and recording.current is None:
        recording.result.evidence.extend(drain_evidence(request.node))


def settle_interrupted_step(
    recording: Recording, item: pytest.Item, call: pytest.CallInfo[None]
) -> None:
    """A step that never reported back was stopped by pytest.skip, pytest.exit or the like."""
    if recording.current is None:
        return
    if call.excinfo is not None and call.excinfo.errisinstance(pytest.skip.Exception):
        recording.finish(item, "skipped", error_from(call.excinfo.value))
    elif call.excinfo is not None:
        recording.finish(item, "failed", error_from(call.excinfo.value))
    else:
        recording.finish(item, "passed", None)


def hook_failure(call: pytest.CallInfo[None], report: pytest.TestReport) -> HookFailure:
    if call.excinfo is not None:
        error = StepError(
            type=call.excinfo.typename,
            message=str(call.excinfo.value),
            trace=report.longreprtext,
        )
    else:  # e.g. a strict xfail that passed: pytest fails the test without an exception
        error = StepError(type="Failed", message=report.longreprtext)
    phase: Phase = report.when if report.when in ("setup", "call", "teardown") else "call"
    return HookFailure(phase=phase, error=error)


def overall_outcome(outcomes: dict[str, str]) -> Outcome:
    if "failed" in outcomes.values():
        return "failed"
    if "skipped" in outcomes.values():
        return "skipped"
    return "passed"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    recording = recording_of(item)
    if recording is None:
        return report
    result = recording.result
    if call.when == "setup":
        result.started_ns = int(call.start * 1e9)
    if call.when == "call":
        settle_interrupted_step(recording, item, call)
    if report.failed and not (
        call.when == "call" and any(step.status in STEP_FAILURES for step in result.steps)
    ):
        result.hook_failures.append(hook_failure(call, report))
    if report.skipped and isinstance(report.longrepr, tuple):
        result.skip_reason = str(report.longrepr[2])  # pytest's (path, line, reason) of a skip
    recording.phase_outcomes[call.when] = report.outcome
    if call.when == "teardown":
        result.finished_ns = int(call.stop * 1e9)
        result.evidence.extend(drain_evidence(item))
        result.outcome = overall_outcome(recording.phase_outcomes)
        attach(report, result)
    return report
