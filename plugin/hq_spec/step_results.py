"""What happened to each Gherkin step of a scenario: the record carried on pytest's test report."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import pytest

StepStatus = Literal["passed", "failed", "undefined", "ambiguous", "pending", "skipped"]
Phase = Literal["setup", "call", "teardown"]
Outcome = Literal["passed", "failed", "skipped"]

# Worst first: a scenario takes the status of its worst step (Cucumber's ordering).
STATUS_SEVERITY: tuple[StepStatus, ...] = (
    "failed",
    "ambiguous",
    "undefined",
    "pending",
    "skipped",
    "passed",
)

# The attribute on pytest's TestReport; any report attribute survives pytest-xdist's transport.
REPORT_ATTRIBUTE = "hq_scenario"


@dataclass
class StepError:
    """Why a step did not pass: the exception's type, its plain message and the Python frames."""

    type: str
    message: str
    trace: str = ""


@dataclass
class StepResult:
    """One Gherkin step as written (after Examples substitution) and how it ended."""

    keyword: str
    text: str
    line: int
    status: StepStatus = "skipped"
    started_ns: int | None = None  # wall clock, epoch nanoseconds; None when never run
    duration_ns: int = 0
    error: StepError | None = None
    datatable: list[list[str]] | None = None
    docstring: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class HookFailure:
    """A failure outside every step: fixture setup or teardown, or the test body after the steps."""

    phase: Phase
    error: StepError


@dataclass
class ScenarioResult:
    """A scenario (or one Examples row of an outline) as run by pytest, step by step."""

    nodeid: str
    uri: str  # the feature file, relative to pytest's rootdir, with forward slashes
    feature_keyword: str
    feature_name: str
    keyword: str
    name: str
    line: int
    rule_keyword: str | None = None
    rule_name: str | None = None
    example_index: int | None = None  # position among all Examples rows of the outline
    example: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    steps: list[StepResult] = field(default_factory=list)
    hook_failures: list[HookFailure] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)  # observed outside any step
    outcome: Outcome = "passed"  # pytest's verdict over all phases
    skip_reason: str | None = None
    started_ns: int = 0
    finished_ns: int = 0
    worker: str | None = None

    @property
    def status(self) -> StepStatus:
        """The scenario's Cucumber status: its worst step, or failed when a hook failed."""
        if self.hook_failures:
            return "failed"
        statuses = {step.status for step in self.steps}
        return next((status for status in STATUS_SEVERITY if status in statuses), "passed")

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScenarioResult:
        fields = dict(data)
        fields["steps"] = [_step_from_json(step) for step in data.get("steps", [])]
        fields["hook_failures"] = [
            HookFailure(phase=failure["phase"], error=StepError(**failure["error"]))
            for failure in data.get("hook_failures", [])
        ]
        return cls(**fields)


def _step_from_json(data: dict[str, Any]) -> StepResult:
    fields = dict(data)
    if data.get("error") is not None:
        fields["error"] = StepError(**data["error"])
    return StepResult(**fields)


def relative_uri(path: Path, rootpath: Path) -> str:
    """The path as Cucumber writes a uri: relative to the root, with forward slashes."""
    try:
        return path.relative_to(rootpath).as_posix()
    except ValueError:
        return path.as_posix()


def attach(report: pytest.TestReport, result: ScenarioResult) -> None:
    """Carry the scenario's result on the report, as plain JSON so pytest-xdist can ship it."""
    setattr(report, REPORT_ATTRIBUTE, result.as_json())


def scenario_result_of(report: pytest.TestReport) -> ScenarioResult | None:
    """The scenario result a report carries (only the teardown report of a scenario carries one)."""
    data = getattr(report, REPORT_ATTRIBUTE, None)
    if not isinstance(data, dict):
        return None
    return ScenarioResult.from_json(cast(dict[str, Any], data))
